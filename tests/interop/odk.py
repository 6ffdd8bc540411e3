"""Checks ODK submissions (`qc convert-response --to odk`) against the XForm that pyxform built
from the XLSForm export: each submission's elements are those of the XForm's primary instance,
in its order (a repeat's element any number of times, its template never); each value fits
its bind's type (an integer, a decimal, a date); each code of a choice is one of the choices
its control offers.

Usage: odk.py FORM.xml SUBMISSION.xml...
"""

import re
import sys

from lxml import etree

XF = "{http://www.w3.org/2002/xforms}"
JR_TEMPLATE = "{http://openrosa.org/javarosa}template"


def local(tag):
    return tag.rsplit("}", 1)[-1]


def collapsed(names):
    """Names in order, a run of one name counted once (a repeat's records)."""
    out = []
    for name in names:
        if not out or out[-1] != name:
            out.append(name)
    return out


def path_of(element):
    steps = []
    while element is not None:
        steps.append(local(element.tag))
        element = element.getparent()
    return "/" + "/".join(reversed(steps))


class Form:
    def __init__(self, path):
        tree = etree.parse(path)
        model = tree.find(f".//{XF}model")
        instances = model.findall(f"{XF}instance")
        self.primary = next(iter(instances[0]))
        self.choices = {}
        for instance in instances[1:]:
            names = [item.findtext(f"{XF}name") for item in instance.iter(f"{XF}item")]
            self.choices[instance.get("id")] = set(names)
        self.types = {bind.get("nodeset"): bind.get("type") for bind in model.iter(f"{XF}bind")}
        self.selects = {}
        for control in tree.iter(f"{XF}select1", f"{XF}select"):
            itemset = control.find(f"{XF}itemset")
            if itemset is None:
                allowed = {value.text for value in control.iter(f"{XF}value")}
            else:
                allowed = self.choices[re.match(r"instance\('([^']+)'\)", itemset.get("nodeset")).group(1)]
            self.selects[control.get("ref")] = (local(control.tag), allowed)

    def check(self, submission, problems):
        root = etree.parse(submission).getroot()
        if root.get("id") != self.primary.get("id"):
            problems.append(f"{submission}: id {root.get('id')!r}, not {self.primary.get('id')!r}")
        self.compare(root, self.primary, submission, problems)
        return root

    def compare(self, given, template, name, problems):
        shape = [c for c in template if c.get(JR_TEMPLATE) is None]
        expected = collapsed(local(c.tag) for c in shape)
        actual = collapsed(local(c.tag) for c in given)
        # Records a submission leaves out (a list with none) are left out of the comparison.
        repeats = {local(c.tag) for c in template if c.get(JR_TEMPLATE) is not None}
        if [n for n in expected if n in actual or n not in repeats] != actual:
            problems.append(f"{name}: {path_of(given)} holds {actual}, the XForm {expected}")
            return
        by_name = {}
        for child in shape:
            by_name.setdefault(local(child.tag), child)
        for child in given:
            shaped = by_name[local(child.tag)]
            if len(shaped) or len(child):
                self.compare(child, shaped, name, problems)
            else:
                self.value(child, name, problems)

    def value(self, element, name, problems):
        text = element.text or ""
        if text == "":
            return
        path = re.sub(r"\[\d+\]", "", path_of(element))
        kind = self.types.get(path)
        if kind == "int" and not re.fullmatch(r"-?\d+", text):
            problems.append(f"{name}: {path} = {text!r} is not an integer")
        if kind == "decimal" and not re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text):
            problems.append(f"{name}: {path} = {text!r} is not a decimal")
        if kind == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            problems.append(f"{name}: {path} = {text!r} is not a date")
        if path in self.selects:
            control, allowed = self.selects[path]
            codes = text.split() if control == "select" else [text]
            for code in codes:
                if code not in allowed:
                    problems.append(f"{name}: {path}: {code!r} is not a choice of its control")


def main(form_path, submissions):
    form = Form(form_path)
    problems = []
    values = 0
    for submission in submissions:
        root = form.check(submission, problems)
        values += sum(1 for e in root.iter() if len(e) == 0 and (e.text or "").strip())
    for problem in problems:
        print(f"FAIL {problem}")
    print(f"{form_path}: {len(submissions)} submissions, {values} values, fit the XForm's instance")
    return not problems and values > 0


if __name__ == "__main__":
    sys.exit(0 if main(sys.argv[1], sys.argv[2:]) else 1)

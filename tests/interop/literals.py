"""Evaluates the `relevant` of every item of an XForm with a real XPath 1.0 engine (libxml2,
through lxml) on the answers of each reply, and compares it with the items qc asks: texts that
hold quotes of both kinds, backslashes, `${…}` and braces must mean themselves. Checks too that
the label of `shown` pipes one value and keeps its literal braces.

Usage: literals.py FORM.xml ASKED.json WARNINGS
Items that qc's XLSForm export reports as lost (in WARNINGS, its standard error) are not
compared: what an XForm cannot say is qc's to report, not to get right.
"""
import json
import re
import sys

from lxml import etree

XF = "http://www.w3.org/2002/xforms"


def plain(element):
    """A copy of an instance without namespaces, as XPath in `relevant` reads it."""
    copy = etree.Element(etree.QName(element).localname)
    for child in element:
        if isinstance(child.tag, str):
            copy.append(plain(child))
    return copy


def main(xml_path, asked_path, warnings_path):
    lost = set()
    for line in open(warnings_path, encoding="utf-8"):
        diagnostic = json.loads(line)
        if diagnostic.get("code") == "W0301":
            lost.update(re.findall(r"^xlsform: `(\w+)`", diagnostic["message"]))
            # The other items that lose the same, one label each.
            for label in diagnostic.get("labels", []):
                lost.update(re.findall(r"^`(\w+)` too$", label.get("message", "")))
    form = etree.parse(xml_path)
    model = form.find(f".//{{{XF}}}model")
    primary = next(child for child in model.find(f"{{{XF}}}instance") if isinstance(child.tag, str))
    binds = {
        bind.get("nodeset").rsplit("/", 1)[-1]: bind.get("relevant")
        for bind in model.iter(f"{{{XF}}}bind")
        if bind.get("relevant")
    }
    asked = json.load(open(asked_path, encoding="utf-8"))
    checks = failures = 0
    for reply_path, expected in asked.items():
        answers = json.load(open(reply_path, encoding="utf-8"))["answers"]
        instance = plain(primary)
        for name, value in answers.items():
            for node in instance.iter(name):
                node.text = value
        document = etree.ElementTree(instance)
        for item, relevant in binds.items():
            if item not in expected["items"] or item in lost:
                continue
            shown = bool(document.xpath(f"boolean({relevant})"))
            checks += 1
            if shown != expected["items"][item]:
                failures += 1
                print(f"FAIL {reply_path}: `{item}` is {'asked' if expected['items'][item] else 'not asked'} by qc, "
                      f"but its relevant `{relevant}` is {shown}")
    # The label of `shown`: one piped value, and the braces written twice kept as braces.
    outputs = [
        output
        for label in form.iter(f"{{{XF}}}label")
        if label.getparent().get("ref", "").endswith("/shown")
        for output in label.iter(f"{{{XF}}}output")
    ]
    checks += 1
    if len(outputs) != 1:
        failures += 1
        print(f"FAIL {xml_path}: the label of `shown` has {len(outputs)} piped values, not 1")
    print(f"xpath: {checks} checks of {len(binds)} relevant expressions ({len(lost)} reported lost: "
          f"{', '.join(sorted(lost))}), {failures} failures")
    if not lost:
        print("FAIL: the export reports no loss for the compared line break")
        failures += 1
    return failures == 0


if __name__ == "__main__":
    sys.exit(0 if main(*sys.argv[1:]) else 1)

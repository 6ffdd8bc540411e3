"""Converts an XLSForm export with pyxform, ODK Validate on, and checks the XForm's `relevant`
expressions against the conditions of qc's form definition.

Usage: xlsform.py FORM.xlsx FORM.json OUT.xml
       xlsform.py FORM.xlsx - OUT.xml      (conversion and ODK Validate only)
"""

import json
import re
import sys
import xml.etree.ElementTree as ET

from pyxform.xls2xform import xls2xform_convert


def main(xlsx, form_path, xml_path):
    # Raises on any error, ODK Validate's included.
    warnings = xls2xform_convert(xlsx, xml_path, validate=True)
    for warning in warnings:
        print(f"pyxform warning: {warning}")
    if form_path == "-":
        print(f"{xlsx}: ODK Validate passed")
        return True
    binds = {}
    for bind in ET.parse(xml_path).getroot().iter("{http://www.w3.org/2002/xforms}bind"):
        binds[bind.get("nodeset").rsplit("/", 1)[-1]] = bind
    form = json.load(open(form_path, encoding="utf-8"))
    checked = 0
    problems = []
    for item in items(form):
        rule = item.get("condition")
        if rule is None:
            continue
        expected = comparisons(rule)
        if expected is None:
            continue  # conditions other than choices are covered by the unit tests
        bind = binds.get(item["id"])
        relevant = normalise(bind.get("relevant", "")) if bind is not None else ""
        for name, code in expected:
            if f"/{name} = '{code}'" not in relevant:
                problems.append(f"{item['id']}: relevant `{relevant}` lacks {name} = '{code}'")
        joiner = next(iter(rule))
        if joiner in ("or", "and") and f" {joiner} " not in relevant:
            problems.append(f"{item['id']}: relevant `{relevant}` is not an `{joiner}`")
        checked += 1
    if checked == 0:
        problems.append("no condition was checked")
    for problem in problems:
        print(f"FAIL {xlsx}: {problem}")
    print(f"{xlsx}: ODK Validate passed, {checked} relevant expressions checked")
    return not problems


def items(form):
    def walk(item):
        yield item
        for child in item.get("items", []):
            yield from walk(child)

    for section in form["sections"]:
        for block in section["content"]:
            if block["type"] == "item":
                yield from walk(block)


def comparisons(rule):
    """The (item, code) pairs of a rule made only of `==` joined by one `or` or `and`."""
    operator, arguments = next(iter(rule.items()))
    if operator == "==" and isinstance(arguments[0], dict) and isinstance(arguments[1], str):
        return [(arguments[0]["var"], arguments[1])]
    if operator in ("or", "and"):
        parts = [comparisons(part) for part in arguments]
        if all(part is not None and len(part) == 1 for part in parts):
            return [part[0] for part in parts]
    return None


def normalise(xpath):
    return re.sub(r"\s+", " ", xpath).replace("( ", "(").replace(" )", ")").strip()


if __name__ == "__main__":
    sys.exit(0 if main(*sys.argv[1:4]) else 1)

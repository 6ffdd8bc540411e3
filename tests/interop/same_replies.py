"""Checks that the replies read back from a frontend (SurveyJS, FHIR, ODK) are the replies it was
given.

Usage: python3 same_replies.py FORM.json EXPECTED.json BACK_DIR REPLIES_DIR

EXPECTED.json maps each file of BACK_DIR to the file of REPLIES_DIR it must equal. Both are
compared as a frontend gives answers back: no nulls, no calculated values (qc computes them), a
grid's ticks in the grid's column order, rows and grids without a tick left out. SurveyJS keeps
no empty value, and an empty XML element is no answer: a text answered with "" (an item's or a
record's field's) and a list with no records come back unanswered (docs/exports.md), so they
are compared as unanswered.
"""
import json
import os
import sys

form_path, expected_path, back_dir, replies_dir = sys.argv[1:5]
form = json.load(open(form_path, encoding="utf-8"))

calculated, grids = set(), {}


def walk(items):
    for item in items:
        if item.get("kind") == "calc":
            calculated.add(item["id"])
        answer = item.get("answer") or {}
        if answer.get("type") == "grid":
            grids[item["id"]] = (
                [c["id"] for c in answer["columns"]],
                {r["id"] for r in answer["rows"] if "answer" in r},
            )
        walk(item.get("items", []))


for section in form["sections"]:
    walk([b for b in section["content"] if b.get("type") == "item"])
walk([b for b in form.get("introduction", []) if b.get("type") == "item"])


def canonical(answers):
    out = {}
    for key, value in answers.items():
        if value is None or value == "" or value == [] or key in calculated:
            continue
        if key in grids and isinstance(value, dict):
            columns, text_rows = grids[key]
            rows = {}
            for row, cell in value.items():
                if row in text_rows:
                    if cell is not None and cell != "":
                        rows[row] = cell
                elif isinstance(cell, list):
                    ticks = [c for c in columns if c in cell]
                    if ticks:
                        rows[row] = ticks
            if not rows:
                continue
            value = rows
        if isinstance(value, list):
            value = [
                {k: v for k, v in r.items() if v is not None and v != ""} if isinstance(r, dict) else r
                for r in value
            ]
        out[key] = value
    return out


failures = 0
expected = json.load(open(expected_path, encoding="utf-8"))
for back_file, reply_file in sorted(expected.items()):
    back = json.load(open(os.path.join(back_dir, back_file), encoding="utf-8"))
    reply = json.load(open(os.path.join(replies_dir, reply_file), encoding="utf-8"))
    ours, theirs = canonical(back["answers"]), canonical(reply["answers"])
    if ours != theirs:
        failures += 1
        for key in sorted(set(ours) | set(theirs)):
            if ours.get(key) != theirs.get(key):
                print(f"FAIL {back_file} (from {reply_file}): {key}: the frontend gave "
                      f"{json.dumps(ours.get(key))}, the reply has {json.dumps(theirs.get(key))}")
print(f"replies: {len(expected)} read back, {failures} differ from their reply")
sys.exit(1 if failures else 0)

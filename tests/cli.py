#!/usr/bin/env python3
"""Command-line tests for llmcost.

Two kinds of case, both run against the built binary:

* tests/cases/*.test -- golden cases in the spirit of jq.test.  Each file has
  `args:` (the command line after `llmcost`), optional `stdin:` (a file fed to
  standard input), `status:` and assertions, one per line:

      metric NAME VALUE UNIT [TOL]   the run's JSON reports NAME = VALUE UNIT
                                     (relative tolerance TOL, default 1e-9)
      claim ID holds|fails|unknown   the verdict of a claim in run's JSON
      json PATH VALUE [TOL]          a number at a path (a/0/b; list items by index or by name/id) of the JSON
      jsonstr PATH TEXT              a string at a path
      csv COLUMN KEY=VAL VALUE [TOL] CSV output parsed by Python's csv module
      stdout TEXT / stderr TEXT      the output contains TEXT
      no-stderr                      nothing on standard error
      stderr-lines N                 standard error has exactly N lines
      same-json-as ARGS...           another command gives the same JSON (but "threads")

  Expected values are worked out by hand (the arithmetic is in each file's
  comments) or taken from a published source; never copied from the program.

* tests/bad/NAME.yaml with NAME.expect -- hostile input: `status N` and
  `stderr TEXT`; the run must print exactly one line on standard error.
"""
import csv
import io
import json
import math
import os
import re
import subprocess
import sys
import time

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/release/llmcost")
# LLMCOST_WRAP: a command put in front of the binary (make valgrind sets it to
# memcheck); time limits are then 20 times longer.
WRAP = os.environ.get("LLMCOST_WRAP", "").split()
SLOW = 20 if WRAP else 1
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
passed = 0
failed = 0


def report(ok, name, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok " + name)
    else:
        failed += 1
        print("FAIL " + name + ": " + why)


def run(args, stdin=None, timeout=60):
    t0 = time.time()
    p = subprocess.run(WRAP + [BIN] + args, cwd=ROOT, input=stdin, capture_output=True,
                       timeout=timeout * SLOW)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace"), time.time() - t0


def close(a, b, tol):
    if a is None:
        return False
    if b == 0:
        return abs(a) <= tol
    return abs(a - b) <= tol * abs(b)


ROOT_KEYS = ("schema", "version", "command", "currency", "sections")


def at_path(doc, path):
    """A value of a JSON document by path, parts separated by '/': object keys,
    list indices, or list elements named by their name/id/metric/input/key.
    In an llmcost-result document a path may also start with fact/KEY (the
    first section that has the fact), a table id: TABLE, or TABLE@N for the Nth table of that id (claims/E3/deviation: table
    claims, row E3, column deviation), or a section id
    (scenario:dgx-electricity/facts/file)."""
    parts = path.split("/")
    if isinstance(doc, dict) and doc.get("schema") == "llmcost-result" and parts[0] not in ROOT_KEYS:
        head = parts.pop(0)
        secs = doc["sections"]
        tid, _, n = head.partition("@")
        tables = [t for s in secs for t in s["tables"] if t["id"] == tid]
        if head == "fact":
            key = parts.pop(0)
            doc = next(s["facts"][key] for s in secs if key in s["facts"])
        elif tables:
            doc = tables[int(n or 0)]["rows"]
        else:
            doc = next(s for s in secs if s["id"] == head)
    for part in parts:
        if isinstance(doc, list):
            if part.isdigit():
                doc = doc[int(part)]
            else:  # select the element whose name/id/metric equals part
                doc = next(x for x in doc if part in (x.get("name"), x.get("id"), x.get("metric"), x.get("input"), x.get("key")))
        else:
            doc = doc[part]
    return doc


# The columns of --format csv (one record per cell of every table).
TIDY = ["section", "table", "row", "column", "value", "unit"]


def table_rows(doc, table_id):
    """The rows of every table with this id, in every section (schema llmcost-result 1)."""
    if doc.get("schema") != "llmcost-result" or doc.get("version") != 1:
        raise ValueError("not an llmcost-result version 1 document")
    return [r for s in doc["sections"] for t in s["tables"] if t["id"] == table_id for r in t["rows"]]


def check_case(path):
    name = os.path.relpath(path, ROOT)
    args, status, stdin, asserts = None, 0, None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("args:"):
                args = line[5:].split()
            elif line.startswith("status:"):
                status = int(line[7:])
            elif line.startswith("stdin:"):
                with open(os.path.join(ROOT, line[6:].strip()), "rb") as g:
                    stdin = g.read()
            else:
                asserts.append(line.split("#")[0].rstrip() if not line.startswith(("stdout", "stderr", "jsonstr")) else line)
    try:
        rc, out, err, _ = run(args, stdin)
    except subprocess.TimeoutExpired:
        return report(False, name, "timed out")
    if rc != status:
        return report(False, name, "status %d, expected %d; stderr: %s" % (rc, status, err.strip()[:300]))
    doc = None
    if "--format" in args and args[args.index("--format") + 1] == "json":
        try:
            doc = json.loads(out)  # the standard JSON parser must accept the output
        except ValueError as e:
            return report(False, name, "output is not JSON: %s" % e)
    for a in asserts:
        w = a.split()
        try:
            if w[0] == "metric":
                m = next((r for r in table_rows(doc, "metrics") if r.get("name") == w[1]), None)
                if m is None:
                    return report(False, name, "no metric " + w[1])
                tol = float(w[4]) if len(w) > 4 else 1e-9
                unit = w[3] if len(w) > 3 else ""
                if unit == "-":
                    unit = ""
                if not close(m["value"], float(w[2]), tol) or m["unit"] != unit:
                    return report(False, name, "%s = %s %s, expected %s %s" % (w[1], m["value"], m["unit"], w[2], unit))
            elif w[0] == "claim" and doc.get("schema") != "llmcost-result":
                # simulate's own JSON until it fills a result document
                claims = doc["claims"] if "claims" in doc else doc
                c = next((x for x in claims if x["id"] == w[1]), None)
                want = {"holds": True, "fails": False, "unknown": None}[w[2]]
                if c is None or c["holds"] is not want:
                    return report(False, name, "claim %s: %s" % (w[1], c and c.get("verdict")))
            elif w[0] == "claim":
                c = next((r for r in table_rows(doc, "claims") if r.get("id") == w[1]), None)
                want = {"holds": "holds", "fails": "does not hold", "unknown": "unknown"}[w[2]]
                if c is None or c["holds"] != want:
                    return report(False, name, "claim %s: %s" % (w[1], c and c.get("verdict")))
            elif w[0] == "json":
                v = at_path(doc, w[1])
                tol = float(w[3]) if len(w) > 3 else 1e-9
                if not close(v, float(w[2]), tol):
                    return report(False, name, "%s = %s, expected %s" % (w[1], v, w[2]))
            elif w[0] == "jsonstr":
                path, text = a.split(None, 2)[1:]
                if at_path(doc, path) != text:
                    return report(False, name, "%s = %r, expected %r" % (path, at_path(doc, path), text))
            elif w[0] == "csv":
                # Columns are named by their first word ("x (unit)" is "x"); a key
                # that is a number matches numerically.
                rows = list(csv.DictReader(io.StringIO(out, newline="")))
                if rows and list(rows[0].keys()) == TIDY:
                    # One record per cell: rebuild each table row from its cells.
                    wide = {}
                    for r in rows:
                        k = (r["section"], r["table"], r["row"])
                        wide.setdefault(k, {"section": r["section"], "table": r["table"]})[r["column"]] = r["value"]
                    rows = list(wide.values())
                conds = [c.split("=", 1) for c in w[2].split(",")]

                def col(r, c):
                    return next((v for k, v in r.items() if k == c or k.split(" ")[0] == c), None)

                def same(a, b):
                    if a is None:
                        return False
                    try:
                        return close(float(a), float(b), 1e-12)
                    except ValueError:
                        return a == b
                row = next((r for r in rows if all(same(col(r, k), v) for k, v in conds)), None)
                tol = float(w[4]) if len(w) > 4 else 1e-9
                if row is None or not close(float(col(row, w[1])), float(w[3]), tol):
                    return report(False, name, "csv %s where %s: %s" % (w[1], w[2], row))
            elif w[0] == "stdout":
                text = a.split(None, 1)[1]
                if text not in out:
                    return report(False, name, "stdout lacks %r" % text)
            elif w[0] == "stderr":
                text = a.split(None, 1)[1]
                if text not in err:
                    return report(False, name, "stderr lacks %r; it is %r" % (text, err[:300]))
            elif w[0] == "same-json-as":
                # Another command whose JSON must be identical, apart from "threads".
                rc2, out2, err2, _ = run(w[1:], stdin)
                a, b = json.loads(out), json.loads(out2)
                for d in (a, b):
                    if isinstance(d, dict):
                        d.pop("threads", None)
                        for sec in d.get("sections", []):
                            sec.get("facts", {}).pop("threads", None)
                if rc2 != rc or a != b:
                    return report(False, name, "output differs from %s" % " ".join(w[1:]))
            elif w[0] == "no-stderr":
                if err:
                    return report(False, name, "stderr: %r" % err[:300])
            elif w[0] == "stderr-lines":
                if len(err.splitlines()) != int(w[1]):
                    return report(False, name, "stderr has %d lines: %r" % (len(err.splitlines()), err[:300]))
            else:
                return report(False, name, "unknown assertion " + a)
        except (KeyError, IndexError, StopIteration, TypeError, ValueError) as e:
            return report(False, name, "%s: %r" % (a, e))
    report(True, name)


def check_bad(path):
    name = os.path.relpath(path, ROOT)
    exp = open(path[:-5] + ".expect", encoding="utf-8").read().splitlines()
    status = int(exp[0].split()[1])
    text = exp[1].split(None, 1)[1]
    cmd = exp[2].split()[1:] if len(exp) > 2 and exp[2].startswith("args") else ["run"]
    try:
        rc, out, err, secs = run(cmd + [name], timeout=20)
    except subprocess.TimeoutExpired:
        return report(False, name, "hung (no answer in 20 s)")
    lines = err.splitlines()
    if rc != status:
        return report(False, name, "status %d, expected %d: %s" % (rc, status, err[:300]))
    if len(lines) != 1 or text not in lines[0]:
        return report(False, name, "stderr %r, expected one line containing %r" % (err[:400], text))
    if out:
        return report(False, name, "wrote to stdout on bad input: %r" % out[:200])
    report(True, name + " (%.3f s)" % secs)


# Every command that prints results, in each machine format: JSON must parse
# with Python's json and follow the result schema, CSV with Python's csv with
# the same number of fields on every record; the terminal table must not show
# an integer of eight or more digits without grouping or a suffix.
FORMAT_COMMANDS = [
    ["run", "scenarios/chatgpt-2023.yaml"],
    ["run", "scenarios/dgx-electricity.yaml", "scenarios/startup.yaml"],
    ["explain", "scenarios/dgx-electricity.yaml"],
    ["claims"],
    ["params"],
    ["catalog"],
    ["mc", "scenarios/chatgpt-2023.yaml", "--samples", "2000"],
    ["sweep", "scenarios/dgx-electricity.yaml", "--input", "electricity.price", "--from", "0.3CNY/kWh",
     "--to", "1CNY/kWh", "--steps", "3"],
    ["tornado", "scenarios/chatgpt-2023.yaml", "--metric", "inf.gpus"],
    ["sobol", "scenarios/chatgpt-2023.yaml", "--samples", "256", "--metric", "inf.gpus"],
    ["solve", "scenarios/copilot-1000-devs.yaml", "--input", "rev.price", "--metric",
     "rev.margin_per_day", "--target", "0USD/day"],
    ["validate"],
    ["simulate", "scenarios/startup.yaml", "--samples", "100"],
    ["compare", "scenarios/startup.yaml", "scenarios/bigtech.yaml"],
    ["compare", "scenarios/compute-strategies.yaml"],
]


def check_formats():
    for args in FORMAT_COMMANDS:
        name = "formats: " + " ".join(args)
        rc, out, err, _ = run(args + ["--format", "json"])
        try:
            doc = json.loads(out)
            ok = rc == 0 and doc["schema"] == "llmcost-result" and doc["version"] == 1 and \
                doc["command"] == args[0] and all("tables" in s for s in doc["sections"])
        except (ValueError, KeyError, TypeError) as e:
            ok, err = False, "%s %s" % (e, err)
        report(ok, name + " json", "status %d: %s" % (rc, err[:200]))
        rc, out, err, _ = run(args + ["--format", "csv"])
        try:
            rows = list(csv.reader(io.StringIO(out, newline="")))
            ok = rc == 0 and rows[0] == TIDY and all(len(r) == len(TIDY) for r in rows)
        except (csv.Error, IndexError) as e:
            ok, err = False, "%s %s" % (e, err)
        report(ok, name + " csv", "status %d: %s" % (rc, err[:200]))
        rc, out, err, _ = run(args)
        long_ints = [l for l in out.splitlines() if not l.startswith("    ")
                     and re.search(r"(^|[^0-9.,e])[0-9]{8,}", l)]
        report(rc == 0 and not long_ints, name + " table", "status %d: %s" % (rc, long_ints[:2] or err[:200]))


def main():
    check_formats()
    cases = sorted(os.path.join(ROOT, "tests", "cases", f)
                   for f in os.listdir(os.path.join(ROOT, "tests", "cases")) if f.endswith(".test"))
    for c in cases:
        check_case(c)
    bads = sorted(os.path.join(ROOT, "tests", "bad", f)
                  for f in os.listdir(os.path.join(ROOT, "tests", "bad")) if f.endswith(".yaml"))
    for b in bads:
        check_bad(b)
    print("cli: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Known bugs, as failing tests (not part of make check): each file here is a golden
case (NAME.test) or a hostile input (NAME.yaml + NAME.expect) in the formats of
tests/cli.py, written for the behaviour the fix should give.  Run them with

    python3 tests/bugs/run.py [build/release/llmcost]

A case that passes means its bug is fixed: move it to tests/cases/ or tests/bad/
(and its .yaml with it).  The bugs that need the fault-injection binary are listed
in README.md here, with the command that shows each.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("cli", os.path.join(HERE, "..", "cli.py"))
cli = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cli)
for f in sorted(os.listdir(HERE)):
    path = os.path.join(HERE, f)
    if f.endswith(".test"):
        cli.check_case(path)
    elif f.endswith(".yaml") and os.path.exists(path[:-5] + ".expect"):
        cli.check_bad(path)
print("bugs: %d fixed, %d still failing" % (cli.passed, cli.failed))

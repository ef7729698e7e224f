#!/bin/sh
# Run every test: the cmocka unit tests, then the command-line cases (golden
# outputs checked numerically, and hostile inputs in tests/bad/), the charts and
# report (tests/charts.py), help, man page, README and completion against the
# command table (tests/help.py) and the report in headless Chromium
# (tests/browser.py: skipped without chromium unless CI=true).
# Usage: tests/run.sh BUILD_DIR   (make test calls it).  Ends with one line
# "N passed, M failed" and exits non-zero when anything failed.
B=${1:-build/release}
passed=0
failed=0
failures=""
for t in "$B"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    out=$("$t" 2>&1)
    status=$?
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}
    f=${f:-0}
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or failed outside a test
    fi
    echo "$name: $p passed, $f failed"
    if [ "$f" -ne 0 ]; then
        printf '%s\n' "$out" | grep -E 'FAILED|ERROR|error|Assert|failure' | head -20
        failures="$failures $name"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done
for script in tests/cli.py tests/charts.py tests/help.py tests/browser.py; do
if command -v python3 >/dev/null 2>&1; then
    out=$(python3 "$script" "$B/llmcost" 2>&1)
    status=$?
    printf '%s\n' "$out" | grep -v '^ok ' 
    p=$(printf '%s\n' "$out" | sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^[a-z]*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' | tail -1)
    p=${p:-0}
    f=${f:-1}
    [ "$status" -ne 0 ] && [ "$f" -eq 0 ] && f=1
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -ne 0 ] && failures="$failures $script"
else
    echo "python3 is missing: the command-line tests need it (make deps installs it)"
    failed=$((failed + 1))
fi
done
[ -n "$failures" ] && echo "failing:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# Fault injection (make faults; make asan runs it under ASan too):
#   1. allocation failure: every allocation of each command below fails in turn
#      (LC_FAULT_ALLOC=N with BUILD_DIR/llmcost-faults, see tests/fault_alloc.c);
#      each run must exit 5 with one line "... out of memory" on stderr, or exit 0
#      with exactly the output of a run without faults; never crash or leak
#      (fault_alloc exits 98 on a leak, the sanitizers 99);
#   2. a full disk: standard output is /dev/full -> exit 4 and one line;
#   3. charts and data into a directory that cannot be written, or a file that
#      grows past the size limit: exit 4, one line, a previous chart left intact
#      and no temporary file left behind.
# Usage: tests/faults.sh BUILD_DIR [STRIDE]  (STRIDE > 1 fails every STRIDE-th
# allocation only, for slow builds).  Ends with "faults: N passed, M failed".
B=${1:-build/release}
STRIDE=${2:-${FAULT_STRIDE:-1}}
BIN=$B/llmcost
FBIN=$B/llmcost-faults
T=$(mktemp -d "${TMPDIR:-/tmp}/llmcost-faults.XXXXXX") || exit 1
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); echo "ok $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1: $2"; }

# strip_gcov FILE: drop the lines a coverage build's exit handler adds when the
# file-size limit stops it writing its counters too (make coverage).  Those runs
# write their counters under GCOV_PREFIX=$T/gcov, a folder thrown away: a
# counter file cut short by the limit would corrupt the real ones.
strip_gcov() {
    grep -v '^libgcov profiling error' "$1" > "$1.kept"
    mv "$1.kept" "$1"
}

# one_line FILE TEXT: FILE has exactly one line and it contains TEXT
one_line() {
    [ "$(wc -l < "$1")" -eq 1 ] && grep -q -- "$2" "$1"
}

# alloc_case NAME ARGS...: fail each allocation of `llmcost ARGS` in turn
# (standard input is the file $IN, /dev/null unless set).
IN=/dev/null
alloc_case() {
    name=$1
    shift
    LC_FAULT_COUNT=$T/count "$FBIN" "$@" < "$IN" > "$T/ref.out" 2> "$T/ref.err"
    rc=$?
    if [ "$rc" -ne 0 ] || [ ! -s "$T/count" ]; then
        fail "alloc $name" "the run without faults exits $rc: $(head -c 300 "$T/ref.err")"
        return
    fi
    total=$(cat "$T/count")
    n=1
    bad=""
    nbad=0
    oom=0
    while [ "$n" -le "$total" ]; do
        LC_FAULT_ALLOC=$n "$FBIN" "$@" < "$IN" > "$T/out" 2> "$T/err"
        rc=$?
        why=""
        case $rc in
        0) cmp -s "$T/out" "$T/ref.out" || why="exit 0 but the output differs from a run without faults" ;;
        5) oom=$((oom + 1)); one_line "$T/err" "out of memory" || why="exit 5, stderr: $(head -c 200 "$T/err")" ;;
        *) why="exit $rc, stderr: $(head -c 300 "$T/err" | tr '\n' ' ')" ;;
        esac
        if [ -n "$why" ]; then
            nbad=$((nbad + 1))
            [ "$nbad" -le 3 ] && bad="$bad
    allocation $n: $why"
        fi
        n=$((n + STRIDE))
    done
    if [ "$nbad" -eq 0 ]; then
        pass "alloc $name ($total allocations, every ${STRIDE}: $oom out of memory, the rest recovered)"
    elif [ -n "$KNOWN" ]; then
        echo "KNOWN alloc $name: $nbad of $total failed allocations not handled cleanly ($KNOWN):$bad"
    else
        fail "alloc $name" "$nbad of $total failed allocations not handled cleanly:$bad"
    fi
}
# KNOWN: a reported bug that makes the next alloc_case fail; it is then listed
# as KNOWN, not counted as a failure.  Empty it when the bug is fixed.
KNOWN=

# full_case NAME ARGS...: standard output on a full disk.
full_case() {
    name=$1
    shift
    "$BIN" "$@" > /dev/full 2> "$T/err"
    rc=$?
    if [ "$rc" -eq 4 ] && one_line "$T/err" "error"; then
        pass "full disk: $name"
    else
        fail "full disk: $name" "exit $rc (want 4), stderr: $(head -c 300 "$T/err")"
    fi
}

if [ ! -x "$FBIN" ] || [ ! -x "$BIN" ]; then
    echo "build $FBIN first (make faults)"
    echo "faults: 0 passed, 1 failed"
    exit 1
fi

S=scenarios/dgx-electricity.yaml
SWEEP="sweep $S --input electricity.price --from 0.3CNY/kWh --to 1CNY/kWh --steps 5"

# --- 1. allocation failures ----------------------------------------------------
alloc_case "run" run $S
# run json on the serving and training scenario (its analyses sample on
# every core, so allocation numbers vary between runs: the Monte Carlo is
# covered single-threaded by the mc case below)
alloc_case "run json" run scenarios/gpt3-training.yaml --format json
alloc_case "explain" explain $S
alloc_case "claims" claims scenarios/gpt3-training.yaml
alloc_case "sweep csv" $SWEEP --format csv
alloc_case "mc" mc scenarios/chatgpt-2023.yaml --samples 300 --threads 1 --seed 1
alloc_case "tornado" tornado scenarios/chatgpt-2023.yaml
alloc_case "solve" solve $S --input electricity.price --metric electricity.cost_per_day \
    --target 150000CNY/day --from 0.1CNY/kWh --to 2CNY/kWh
alloc_case "params" params --format json
IN=$S
alloc_case "stdin" run -
IN=/dev/null
# report and simulate: over 1,000 allocations each, so every 4th (and the
# first and last few through the stride's start)
save_stride=$STRIDE
STRIDE=$((STRIDE * 4))
alloc_case "report" report $S -o "$T/report-alloc"
alloc_case "simulate" simulate scenarios/startup.yaml --samples 20 --threads 1 --seed 1
# an organisation's claims, judged on its simulation (nothing uncertain: one run)
alloc_case "claims org" claims tests/cases/sim-tiny.yaml
# validate: one published run through both passes and its 20,000-sample interval
# (about 7,000 allocations: every 16th)
STRIDE=$((save_stride * 16))
alloc_case "validate" validate scenarios/validation/gpt3-patterson.yaml
STRIDE=$((save_stride * 4))
# charts (gnuplot runs each time: every 16th allocation)
if command -v gnuplot > /dev/null 2>&1; then
    STRIDE=$((save_stride * 16))
    alloc_case "sweep chart" $SWEEP --plot svg -o "$T/alloc-charts"
fi
STRIDE=$save_stride

# --- 2. a full disk --------------------------------------------------------------
full_case "run" run $S
full_case "run json" run $S --format json
full_case "run csv" run $S --format csv
full_case "explain" explain $S
full_case "params" params
full_case "catalog yaml" catalog yaml
full_case "sweep" $SWEEP
full_case "mc" mc scenarios/chatgpt-2023.yaml --samples 200 --threads 1
full_case "simulate" simulate scenarios/startup.yaml --samples 20 --threads 1
full_case "report (its paths)" report $S -o "$T/report-full"
# help and version are output too: a write error is not a success
full_case "--help" --help
full_case "--version" --version
full_case "sweep --help" sweep --help

# a report that cannot be written whole leaves the previous one intact
mkdir -p "$T/report"
if $BIN report $S -o "$T/report" > /dev/null 2> "$T/err"; then
    sums=$(cd "$T/report" && cksum * | sort)
    { (trap '' XFSZ; ulimit -f 2; GCOV_PREFIX=$T/gcov exec $BIN report $S -o "$T/report") 2>&1 > /dev/null
      echo $? > "$T/rc"; } | cat > "$T/err"
    strip_gcov "$T/err"
    rc=$(cat "$T/rc")
    sums2=$(cd "$T/report" && cksum * | sort)
    if [ "$rc" -eq 4 ] && one_line "$T/err" "cannot write .*/report.html: File too large" &&
        [ "$sums" = "$sums2" ]; then
        pass "report over the size limit: exit 4, the file and reason named, the previous report intact"
    else
        fail "report over the size limit" "exit $rc, stderr: $(head -c 300 "$T/err"), files: $sums2"
    fi
else
    fail "report" "the first report could not be made: $(head -c 300 "$T/err")"
fi

# --- 3. charts that cannot be written --------------------------------------------
# into a place where no directory can be made
for dir in /proc/llmcost-x "$T/afile/sub"; do
    : > "$T/afile"
    $BIN $SWEEP --plot png -o "$dir" > /dev/null 2> "$T/err"
    rc=$?
    if [ "$rc" -eq 4 ] && one_line "$T/err" "error" && [ ! -e "$dir" ]; then
        pass "chart into $dir"
    else
        fail "chart into $dir" "exit $rc (want 4), stderr: $(head -c 300 "$T/err")"
    fi
done

# a chart made once, then a second run that cannot write: the first one stays
mkdir -p "$T/charts"
if command -v gnuplot > /dev/null 2>&1 && $BIN $SWEEP --plot png -o "$T/charts" > /dev/null 2> "$T/err"; then
    before=$(cd "$T/charts" && ls | sort | tr '\n' ' ')
    sums=$(cd "$T/charts" && cksum * | sort)
    # (a) files may grow to 4 KiB only: the data and script fit, the PNG does not
    # (b) files may not grow at all: the data file itself cannot be written
    # (c) a directory without write permission (only when not root: root may write anyway)
    for how in fsize4k fsize0 readonly; do
        case $how in
        fsize*)
            # (standard error goes through a pipe: the size limit is on files)
            [ $how = fsize0 ] && lim=0 || lim=8
            { (trap '' XFSZ; ulimit -f $lim; GCOV_PREFIX=$T/gcov exec $BIN $SWEEP --plot png -o "$T/charts") 2>&1 > /dev/null
              echo $? > "$T/rc"; } | cat > "$T/err"
            (exit "$(cat "$T/rc")")
            ;;
        readonly)
            [ "$(id -u)" -eq 0 ] && continue
            chmod 500 "$T/charts"
            $BIN $SWEEP --plot png -o "$T/charts" > /dev/null 2> "$T/err"
            ;;
        esac
        rc=$?
        chmod 755 "$T/charts"
        # A coverage build's own complaint that it cannot write its counters
        # under the size limit is not llmcost's output.
        strip_gcov "$T/err"
        after=$(cd "$T/charts" && ls | sort | tr '\n' ' ')
        sums2=$(cd "$T/charts" && cksum * | sort)
        if [ "$rc" -ne 4 ] || ! one_line "$T/err" "error"; then
            fail "chart not writable ($how)" "exit $rc (want 4), stderr: $(head -c 300 "$T/err")"
        elif [ "$before" != "$after" ]; then
            fail "chart not writable ($how)" "files were [$before], now [$after]"
        elif [ "$sums" != "$sums2" ]; then
            fail "chart not writable ($how)" "a previous file changed"
        else
            pass "chart not writable ($how): exit 4, previous files intact"
        fi
    done
else
    fail "chart" "the first chart could not be made: $(head -c 300 "$T/err")"
fi

# --- 3b. interrupted: SIGTERM while gnuplot draws a report's chart ----------------
# A gnuplot that never finishes (a fake one first on PATH): the signal must end
# it and leave no temporary file of the report or the chart.  (SIGTERM: a
# non-interactive shell starts background jobs with SIGINT ignored, and llmcost
# keeps an ignored signal ignored; SIGINT takes the same handler, see lc_io.h.)
mkdir -p "$T/slowbin" "$T/intr"
printf '#!/bin/sh\necho $$ > %s/gnuplot.pid\nexec sleep 60\n' "$T" > "$T/slowbin/gnuplot"
chmod 755 "$T/slowbin/gnuplot"
PATH="$T/slowbin:$PATH" $BIN report scenarios/copilot-1000-devs.yaml -o "$T/intr" > /dev/null 2>&1 &
pid=$!
i=0
while [ ! -s "$T/gnuplot.pid" ] && [ $i -lt 300 ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.1
kill -TERM $pid
wait $pid
rc=$?
gp=$(cat "$T/gnuplot.pid" 2> /dev/null)
sleep 0.2
left=$(find "$T/intr" -name '*.tmp*' | head -3)
state=$( [ -n "$gp" ] && sed 's/^[^)]*) \(.\).*/\1/' /proc/$gp/stat 2> /dev/null)
if [ -n "$gp" ] && [ "$rc" -eq 143 ] && [ -z "$left" ] && { [ -z "$state" ] || [ "$state" = Z ]; }; then
    pass "report interrupted: killed by SIGTERM (143), gnuplot ended, no temporary left"
else
    fail "report interrupted" "exit $rc (want 143), gnuplot $gp state '$state', left: $left"
fi
[ -n "$state" ] && [ "$state" != Z ] && kill -9 "$gp" 2> /dev/null

# --- 4. a hostile chart title -------------------------------------------------------
# gnuplot runs commands in backquotes and system(); a scenario name full of them
# must come out as text: no file PWNED* may appear.
mkdir -p "$T/hostile"
cat > "$T/hostile/hostile.yaml" <<'YAML'
scenario: "../x `touch PWNED1` $(touch PWNED2) '; system('touch PWNED3'); \" system(\"touch PWNED4\") set output 'PWNED5' \\"
inputs:
  fleet.server: dgx-a100
  fleet.servers: 10
  power.cooling_ratio: 1.0
  electricity.price: 0.63 CNY/kWh
YAML
here=$(pwd)
if command -v gnuplot > /dev/null 2>&1; then
    (cd "$T/hostile" && "$here/$BIN" sweep hostile.yaml --input electricity.price --from 0.3CNY/kWh \
        --to 1CNY/kWh --steps 3 --metric electricity.cost_per_day --plot png > /dev/null 2> "$T/err")
    rc=$?
    pwned=$(find "$T" "$here" -maxdepth 3 -name 'PWNED*' 2> /dev/null)
    if [ "$rc" -eq 0 ] && [ -z "$pwned" ] && ls "$T"/hostile/hostile-charts/*.png > /dev/null 2>&1; then
        pass "hostile chart title: drawn as text, no command run"
    else
        fail "hostile chart title" "exit $rc, files: [$pwned], stderr: $(head -c 300 "$T/err")"
    fi
    rm -f "$here"/PWNED*
else
    fail "hostile chart title" "gnuplot is not installed"
fi

echo "faults: $passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/bin/sh
# Run the libFuzzer harnesses built by `make fuzz` (see tests/fuzz/README.md).
# Usage: tests/fuzz/run.sh BUILD_DIR SECONDS [FUZZER...]
#   Seeds BUILD_DIR/corpus/NAME from the repository (tests/fuzz/seed.sh), then
#   runs every fuzzer for SECONDS seconds, all at the same time (one per core),
#   with its dictionary; a crash, leak, sanitizer report or timeout (10 s on one
#   input) stops that fuzzer and leaves BUILD_DIR/crash-NAME-* to reproduce with
#   BUILD_DIR/fuzz_NAME FILE.  Prints the executions reached; exits 1 on a finding.
set -u
B=${1:?usage: run.sh BUILD_DIR SECONDS [FUZZER...]}
S=${2:-60}
shift 2
FUZZERS=${*:-scenario expr run}
sh tests/fuzz/seed.sh "$B/corpus" || exit 1
pids=""
for f in $FUZZERS; do
    # run: the whole-run harness, on the scenario corpus and dictionary; the
    # commands it runs print, so its standard output and error are closed
    case $f in
    scenario) maxlen=16384 dict=scenario extra= ;;
    run) maxlen=16384 dict=scenario extra=-close_fd_mask=3 ;;
    *) maxlen=8192 dict=$f extra= ;;
    esac
    corpus=$f
    [ "$f" = run ] && corpus=scenario
    mkdir -p "$B/corpus/$corpus"
    "$B/fuzz_$f" -max_total_time="$S" -max_len="$maxlen" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -dict=tests/fuzz/$dict.dict -artifact_prefix="$B/crash-$f-" $extra \
        "$B/corpus/$corpus" > "$B/$f.log" 2>&1 &
    pids="$pids $!"
done
bad=0
for p in $pids; do
    wait "$p" || bad=1
done
for f in $FUZZERS; do
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/$f.log" | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$B/$f.log" | tail -1)
    corpus=$f
    [ "$f" = run ] && corpus=scenario
    echo "fuzz_$f: ${runs:-?} executions in ${S} s, $cov, corpus $(ls "$B/corpus/$corpus" | wc -l) inputs"
    if grep -q -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|ERROR: libFuzzer' "$B/$f.log"; then
        grep -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|ERROR: libFuzzer|^artifact_prefix|Test unit written' "$B/$f.log" | head -10
        bad=1
    fi
done
exit $bad

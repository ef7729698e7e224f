#!/bin/sh
# Install the Debian packages llmcost needs to build, test and draw charts.
# Runs apt-get directly as root, through sudo otherwise.
# Arguments name more packages for one target: make valgrind adds valgrind,
# make coverage gcovr, make fuzz clang and libclang-rt-14-dev (libFuzzer),
# make browser and .ci/run chromium (tests/browser.py opens the report in it).
set -e
PKGS="build-essential pkg-config libgsl-dev libyaml-dev libjansson-dev libcmocka-dev gnuplot-nox python3 $*"
missing=""
if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "not a Debian system: install GSL, libyaml, cmocka, gnuplot and python3 yourself" >&2
    exit 0
fi
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "installing:$missing"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing

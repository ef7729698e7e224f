#!/bin/sh
# Build the fuzzers' seed corpora in a build directory (nothing is copied into git).
# Usage: tests/fuzz/seed.sh OUTDIR   -> OUTDIR/scenario/ and OUTDIR/expr/
#   scenario: scenarios/**/*.yaml and tests/bad/*.yaml under 64 KiB (the larger
#             hostile files test limits the fuzzer cannot grow past anyway)
#   expr:     every formula of the library (src/engine/library.c), the formulas of the
#             scenarios' metrics: sections, and tests/fuzz/expr.seeds
set -eu
out=${1:?usage: seed.sh OUTDIR}
mkdir -p "$out/scenario" "$out/expr"
for f in scenarios/*.yaml scenarios/*/*.yaml tests/bad/*.yaml; do
    [ -f "$f" ] || continue
    [ "$(wc -c < "$f")" -le 65536 ] || continue
    cp "$f" "$out/scenario/seed-$(echo "$f" | tr '/' '_')"
done
python3 - "$out/expr" <<'PY'
import glob, hashlib, os, re, sys
out = sys.argv[1]
seeds = set()
lib = open("src/engine/library.c", encoding="utf-8").read()
for m in re.finditer(r'FORMULA\(\s*"[^"]*",\s*"[^"]*",\s*((?:"(?:[^"\\]|\\.)*"\s*)+),', lib):
    seeds.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1))))
for f in glob.glob("scenarios/**/*.yaml", recursive=True):
    for line in open(f, encoding="utf-8"):
        m = re.match(r'\s+[a-z_][\w.]*:\s*(?:\{\s*formula:\s*)?([^#{}\n]*[-+*/()][^#{}\n]*?)\s*(?:,.*)?$', line)
        if m and not m.group(1).startswith(("http", '"')):
            seeds.add(m.group(1).strip())
for line in open("tests/fuzz/expr.seeds", encoding="utf-8"):
    if line.strip() and not line.startswith("#"):
        seeds.add(line.rstrip("\n"))
for s in seeds:
    name = hashlib.sha1(s.encode()).hexdigest()[:16]
    with open(os.path.join(out, "seed-" + name), "w", encoding="utf-8") as g:
        g.write(s)
PY
echo "seeds: $(ls "$out/scenario" | wc -l) scenarios, $(ls "$out/expr" | wc -l) formulas"

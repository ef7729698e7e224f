#!/usr/bin/env python3
"""Help that cannot drift: the command table (src/cli) against what is shipped.

Usage: tests/help.py BUILD_DIR/llmcost   (tests/run.sh calls it)

* the tracked llmcost.1 is what `llmcost --man` generates (else: make man), and
  groff reads it without a warning;
* README.md names every command of `llmcost --help` and every option of every
  command's --help;
* every option a command's --help lists is accepted by the parser, and an option
  a command does not list is refused (exit status 1, one line);
* the bash completion script (`llmcost --completion bash`) completes commands,
  options, option values and scenario files;
* every example of every --help runs;
* `make install DESTDIR=...` installs the binary, the page and the completion.

Expected values come from the command table as the issue and README state it
(for instance `run --help` must show --plot and -o), never from the output.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from testlib import Tally

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/release/llmcost")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TALLY = Tally("help")
report = TALLY.check


def run(args, cwd=ROOT, timeout=30):
    p = subprocess.run([BIN] + args, cwd=cwd, capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def commands():
    """The command names `llmcost --help` lists under "commands:"."""
    status, out, _ = run(["--help"])
    names, inside = [], False
    for line in out.splitlines():
        if line == "commands:":
            inside = True
        elif inside and line.startswith("  "):
            names.append(line.split()[0])
        elif inside:
            break
    return names


# An option line of --help: "  -n, --samples N   text" or "  --log   text".
OPTION = re.compile(r"^  (-[\w-]+)(?:, (--[\w-]+))?(?: (\S+))?(?:\s|$)")


def options(cmd):
    """[(name, alias, arg)] from the options: block of llmcost CMD --help."""
    status, out, _ = run([cmd, "--help"])
    opts, inside = [], False
    for line in out.splitlines():
        if line == "options:":
            inside = True
        elif inside and line == "":
            break
        elif inside and line.startswith("  -"):
            m = OPTION.match(line)
            if m.group(2):  # "-n, --samples": the alias comes first
                opts.append((m.group(2), m.group(1), m.group(3)))
            else:
                opts.append((m.group(1), None, m.group(3)))
    return opts


def word_in(word, text):
    return re.search(r"(?<![\w-])" + re.escape(word) + r"(?![\w-])", text) is not None


def test_table():
    cmds = commands()
    # 15 commands: the issue counts them (the old page's synopsis listed 4 of 15).
    report(len(cmds) == 15, "llmcost --help lists 15 commands", "got %d: %s" % (len(cmds), cmds))
    for c in cmds:
        opts = options(c)
        report(("--help", "-h", None) in opts, c + " --help lists -h, --help", str(opts))
    # Help fits 80 columns (79 and the newline), but for the example command lines.
    for args in [["--help"]] + [[c, "--help"] for c in cmds]:
        status, out, _ = run(args)
        text = out.split("\nexample")[0]
        wide = [l for l in text.splitlines() if len(l) > 79]
        report(wide == [], " ".join(args) + " fits 79 columns", "; ".join(wide))
    run_opts = [o[0] for o in options("run")]
    report("--plot" in run_opts and "-o" in run_opts, "run --help shows --plot and -o", str(run_opts))
    return cmds


def test_man(cmds):
    status, page, err = run(["--man"])
    report(status == 0 and err == "", "llmcost --man exits 0", err)
    with open(os.path.join(ROOT, "llmcost.1"), encoding="utf-8") as f:
        tracked = f.read()
    report(tracked == page, "llmcost.1 is what llmcost --man generates",
           "llmcost.1 is out of date: run make man and commit it")
    synopsis = page[page.index(".SH SYNOPSIS"):page.index(".SH DESCRIPTION")]
    for c in cmds:
        report(".B llmcost " + c + "\n" in synopsis, "man page synopsis has " + c)
        report(".SS " + c + "\n" in page, "man page describes " + c)
    if shutil.which("groff"):
        p = subprocess.run(["groff", "-man", "-ww", "-z"], input=page.encode(), capture_output=True,
                           timeout=30)
        report(p.returncode == 0 and p.stderr == b"", "groff reads the page without warnings",
               p.stderr.decode()[:300])


def test_readme(cmds):
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    for c in cmds:
        report("llmcost " + c in readme, "README names the command " + c)
        for name, alias, _ in options(c):
            for spelling in filter(None, (name, alias)):
                report(word_in(spelling, readme), "README names %s of %s" % (spelling, c))


# A value each kind of placeholder accepts at parse time (--help stops before use).
# (choices "a|b|c": the first)
VALUE = {"NAME=VALUE": "a=1", "METRIC=VALUE": "a=1"}


def test_parser(cmds):
    all_opts = set()
    for c in cmds:
        for name, alias, arg in options(c):
            all_opts.update(filter(None, (name, alias)))
            for spelling in filter(None, (name, alias)):
                value = VALUE.get(arg, arg.split("|")[0] if arg and "|" in arg else "1")
                args = [c, spelling] + ([value] if arg else []) + ["--help"]
                status, out, err = run(args)
                report(status == 0 and out.startswith("usage: llmcost " + c) and err == "",
                       "%s accepts %s" % (c, spelling), "status %d: %s" % (status, err.strip()))
    # An option of another command is refused by one that does not list it:
    # tornado moves inputs to P10/P90, it draws no samples.
    status, out, err = run(["tornado", "scenarios/chatgpt-2023.yaml", "--samples", "10"])
    report(status == 1 and out == "" and err.count("\n") == 1 and
           "unknown option: --samples" in err, "tornado refuses --samples",
           "status %d: %s" % (status, err))
    status, out, err = run(["mc", "scenarios/chatgpt-2023.yaml", "--sample", "10"])
    report(status == 1 and "(did you mean --samples?)" in err, "mc --sample suggests --samples", err)
    report("--log" in all_opts and "-n" in all_opts, "the tables hold --log and -n")


def complete(script, words, cwd):
    """COMPREPLY of _llmcost for the command line words (the last is the word
    being completed), with bash run in cwd."""
    prog = ('source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _llmcost; '
            'printf "%s\\n" "${COMPREPLY[@]}"')
    # llmcost on PATH: the script asks it for the library's names
    os.makedirs(os.path.join(cwd, "bin"), exist_ok=True)
    if not os.path.exists(os.path.join(cwd, "bin", "llmcost")):
        os.symlink(BIN, os.path.join(cwd, "bin", "llmcost"))
    env = dict(os.environ, PATH=os.path.join(cwd, "bin") + os.pathsep + os.environ["PATH"])
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", prog, "bash", script] + words,
                       cwd=cwd, env=env, capture_output=True, timeout=30)
    return sorted(x for x in p.stdout.decode().split("\n") if x), p.stderr.decode()


def test_completion(cmds):
    if not shutil.which("bash"):
        print("skip completion: no bash")
        return
    status, text, err = run(["--completion", "bash"])
    report(status == 0 and "complete -F _llmcost llmcost" in text, "llmcost --completion bash")
    status, names, err = run(["--completion", "names"])
    # names of the README's examples; every line one dotted name
    lines = names.splitlines()
    report(status == 0 and {"electricity.price", "inf.gpus", "server.power"} <= set(lines) and
           all(re.fullmatch(r"[a-z][a-z0-9_]*\.[a-z0-9_.]+", l) for l in lines),
           "llmcost --completion names lists the library", err)
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "llmcost.bash")
        with open(script, "w") as f:
            f.write(text)
        for name in ("a.yaml", "b.yml", "notes.txt"):
            open(os.path.join(tmp, name), "w").close()
        os.mkdir(os.path.join(tmp, "sub"))
        cases = [
            (["llmcost", ""], sorted(cmds + ["--help", "--version"])),
            (["llmcost", "si"], ["simulate"]),
            # mc's options that start with --me: --method and --metric
            (["llmcost", "mc", "--me"], ["--method", "--metric"]),
            # the five formats of the issue: table, CSV, JSON, Markdown, HTML
            (["llmcost", "run", "--format", ""], ["csv", "html", "json", "markdown", "table"]),
            (["llmcost", "run", "--format", "=", "j"], ["json"]),
            (["llmcost", "mc", "--method", ""], ["lhs", "random", "sobol"]),
            (["llmcost", "sweep", "x.yaml", "--plot", "s"], ["svg"]),
            (["llmcost", "catalog", ""], ["models", "yaml"]),
            (["llmcost", "help", "s"], ["simulate", "sobol", "solve", "sweep"]),
            # scenario files and folders, not notes.txt (bin/ holds the llmcost link)
            (["llmcost", "run", ""], ["a.yaml", "b.yml", "bin", "sub"]),
            # names of the formula library (README: electricity.price, the tariff,
            # is the only name that starts electricity.pr)
            (["llmcost", "sweep", "x.yaml", "--input", "electricity.pr"], ["electricity.price"]),
            # after a comma, the part after it (server.power: the server's draw)
            (["llmcost", "mc", "x.yaml", "--metric", "inf.gpus,server.po"],
             ["inf.gpus,server.power"]),
            (["llmcost", "report", "-o", ""], ["bin", "sub"]),
            (["llmcost", "mc", "--samples", ""], []),
            # report takes no --format
            (["llmcost", "report", "--f"], []),
        ]
        for words, want in cases:
            got, err = complete(script, words, tmp)
            report(got == want and err == "", "complete %r" % " ".join(words),
                   "got %s, want %s %s" % (got, want, err))


def examples(cmd):
    """The example command lines of llmcost CMD --help (continuations joined)."""
    status, out, _ = run([cmd, "--help"])
    found, text = [], out.split("\nexample", 1)
    if len(text) < 2:
        return found
    for line in text[1].split(":", 1)[1].splitlines():
        line = line.strip()
        if found and found[-1].endswith("\\"):
            found[-1] = found[-1][:-1] + line
        elif line:
            found.append(line)
    return found


def test_examples(cmds):
    """Every example of every --help (and so of the man page) runs: exit 0, some
    output.  They run in an empty folder that links scenarios/, with llmcost on
    PATH, through sh (report's example has a glob)."""
    with tempfile.TemporaryDirectory() as tmp:
        os.symlink(os.path.join(ROOT, "scenarios"), os.path.join(tmp, "scenarios"))
        os.mkdir(os.path.join(tmp, "bin"))
        os.symlink(BIN, os.path.join(tmp, "bin", "llmcost"))
        env = dict(os.environ, PATH=os.path.join(tmp, "bin") + os.pathsep + os.environ["PATH"])
        for c in cmds:
            ex = examples(c)
            report(len(ex) > 0, c + " --help has an example")
            for line in ex:
                p = subprocess.run(["sh", "-c", line], cwd=tmp, env=env, capture_output=True,
                                   timeout=300)
                report(p.returncode == 0 and p.stdout.strip() != b"", "example runs: " + line,
                       "status %d: %s" % (p.returncode, p.stderr.decode()[-300:]))


def test_install():
    if not shutil.which("make"):
        print("skip install: no make")
        return
    flavour = os.path.basename(os.path.dirname(BIN))
    with tempfile.TemporaryDirectory() as dest:
        p = subprocess.run(["make", "-s", "install", "FLAVOUR=" + flavour, "PREFIX=/usr",
                            "DESTDIR=" + dest], cwd=ROOT, capture_output=True, timeout=300)
        report(p.returncode == 0, "make install DESTDIR=...", p.stderr.decode()[-300:])
        for path in ("usr/bin/llmcost", "usr/share/man/man1/llmcost.1",
                     "usr/share/bash-completion/completions/llmcost"):
            report(os.path.isfile(os.path.join(dest, path)), "make install puts " + path)
        comp = os.path.join(dest, "usr/share/bash-completion/completions/llmcost")
        if os.path.isfile(comp):
            with open(comp) as f:
                report("_llmcost()" in f.read(), "the installed completion is the script")


def main():
    cmds = test_table()
    test_man(cmds)
    test_readme(cmds)
    test_parser(cmds)
    test_completion(cmds)
    test_examples(cmds)
    test_install()
    return TALLY.summary()


if __name__ == "__main__":
    sys.exit(main())

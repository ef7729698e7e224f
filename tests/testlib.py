"""What the Python test scripts share: a tally of checks, printed the way
tests/run.sh reads it ("ok NAME" / "FAIL NAME: why", then "SUITE: N passed, M failed")."""


class Tally:
    def __init__(self, suite):
        self.suite = suite
        self.passed = 0
        self.failed = 0

    def check(self, ok, name, why=""):
        if ok:
            self.passed += 1
            print("ok " + name)
        else:
            self.failed += 1
            print("FAIL " + name + ": " + why)

    def summary(self):
        """Print the last line; the script's exit status."""
        print("%s: %d passed, %d failed" % (self.suite, self.passed, self.failed))
        return 1 if self.failed else 0

#!/usr/bin/env python3
"""The report in a real browser: headless Chromium opens report.html.

Usage: tests/browser.py BUILD_DIR/llmcost   (tests/run.sh calls it)

Builds `llmcost report scenarios/startup.yaml scenarios/bigtech.yaml`, copies
report.html alone into an empty folder (so that anything not embedded fails to
load: the page must be self-contained), adds a probe script at the top of its
<head>, and lets `chromium --headless --dump-dom` load it.  The probe records
every error the page raises or logs (console.error, uncaught exceptions, failed
resource loads, rejected promises, Content-Security-Policy violations) and,
after the load event, writes into the DOM: the title, each <img> with its
natural size, every in-page link and whether its target exists, the table of
contents if there is one, and every resource the page fetched.  The test checks
only properties every report must have, not its content:

* the page has a title and at least one image, and every <img> decoded
  (complete, naturalWidth > 0);
* nothing logged an error;
* every in-page link (#id) has a target, a table of contents (if any) holds links;
* nothing was fetched but data: URIs (self-contained).

It also takes a screenshot, build/browser/report.png, for people to look at.

Without Chromium the test is skipped, unless CI is set (true or 1: .ci/run sets
it), when it fails.  Chromium runs with --no-sandbox (root in containers), a
throw-away profile, no network, and a time limit; on timeout its whole process
group is killed.
"""
import html
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile

from testlib import Tally

BIN = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "build/release/llmcost")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCREENSHOT = os.path.join(ROOT, "build", "browser", "report.png")
TIMEOUT = 120  # seconds for one Chromium run; it takes 5 to 15 s (2 loaded cores)
WIDTH = 1280   # screenshot width in CSS pixels
TALLY = Tally("browser")
report = TALLY.check


PROBE = r"""<script>
(function () {
  var errors = [];
  function note(kind, what) { errors.push(kind + ": " + String(what).slice(0, 300)); }
  var consoleError = console.error;
  console.error = function () {
    note("console.error", Array.prototype.join.call(arguments, " "));
    return consoleError.apply(console, arguments);
  };
  window.addEventListener("error", function (e) {
    if (e.target && e.target !== window)  /* an <img>, <script> or <link> that failed */
      note("failed to load", (e.target.tagName || "") + " " +
           String(e.target.src || e.target.href || "").slice(0, 80));
    else
      note("uncaught", e.message);
  }, true);
  window.addEventListener("unhandledrejection", function (e) { note("unhandled rejection", e.reason); });
  document.addEventListener("securitypolicyviolation", function (e) {
    note("CSP violation", e.violatedDirective + " " + e.blockedURI);
  });
  window.addEventListener("load", function () {
    setTimeout(function () {
      var imgs = Array.prototype.map.call(document.images, function (i) {
        return {src: String(i.currentSrc || i.src).slice(0, 60), alt: i.alt, complete: i.complete,
                width: i.naturalWidth, height: i.naturalHeight};
      });
      var links = Array.prototype.map.call(document.querySelectorAll('a[href^="#"]'), function (a) {
        var id = decodeURIComponent(a.getAttribute("href").slice(1));
        return {href: a.getAttribute("href"), target: id === "" || document.getElementById(id) !== null};
      });
      var toc = document.querySelector('nav, #toc, .toc, #contents, .contents, [role="doc-toc"]');
      var out = document.createElement("pre");
      out.id = "llmcost-probe";
      out.textContent = JSON.stringify({
        title: document.title, images: imgs, links: links, errors: errors,
        toc: toc ? toc.querySelectorAll("a[href]").length : null,
        resources: performance.getEntriesByType("resource").map(function (r) { return r.name.slice(0, 80); })
      });
      document.body.appendChild(out);
    }, 100);
  });
})();
</script>
"""


def chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


def browse(exe, url, extra, profile):
    """Run headless Chromium on url; (status, stdout, stderr); status None on timeout."""
    args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--disable-background-networking", "--disable-sync", "--mute-audio",
            "--host-resolver-rules=MAP * ~NOTFOUND",  # no network: nothing outside the page
            "--user-data-dir=" + profile, "--virtual-time-budget=2000"] + extra + [url]
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         stdin=subprocess.DEVNULL, start_new_session=True)
    try:
        out, err = p.communicate(timeout=TIMEOUT)
        status = p.returncode
    except subprocess.TimeoutExpired:
        out, err, status = b"", b"", None
    try:  # Chromium's helpers are in its own process group: leave none behind
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    if status is None:
        p.communicate()
    return status, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def inject(page):
    """page with the probe as the first thing in <head> (or the document)."""
    m = re.search(r"<head[^>]*>", page, re.I)
    at = m.end() if m else 0
    return page[:at] + PROBE + page[at:]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if len(head) < 24 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def check_page(exe, tmp, html_path):
    page_dir = os.path.join(tmp, "page")
    os.mkdir(page_dir)
    probe_path = os.path.join(page_dir, "report.html")
    with open(html_path, encoding="utf-8") as f:
        page = f.read()
    with open(probe_path, "w", encoding="utf-8") as f:
        f.write(inject(page))
    os.makedirs(os.path.dirname(SCREENSHOT), exist_ok=True)
    if os.path.exists(SCREENSHOT):
        os.remove(SCREENSHOT)
    # One start of Chromium (the slow part) for both the DOM and the screenshot.
    status, dom, err = browse(exe, "file://" + probe_path,
                              ["--dump-dom", "--screenshot=" + SCREENSHOT,
                               "--window-size=%d,3000" % WIDTH, "--hide-scrollbars"],
                              os.path.join(tmp, "profile"))
    report(status == 0, "chromium --dump-dom loads report.html",
           "timed out after %d s" % TIMEOUT if status is None else "status %s: %s" % (status, err[-500:]))
    size = png_size(SCREENSHOT) if os.path.exists(SCREENSHOT) else None
    report(size is not None and size[0] == WIDTH, "screenshot " + os.path.relpath(SCREENSHOT, ROOT),
           "PNG size %s" % (size,))
    m = re.search(r'<pre id="llmcost-probe">(.*?)</pre>', dom, re.S)
    report(m is not None, "the probe ran and wrote its results",
           "no result in the DOM (a Content-Security-Policy blocking inline scripts?)")
    if m is None:
        return
    r = json.loads(html.unescape(m.group(1)))
    report(r["title"].strip() != "", "the page has a title")
    report(len(r["images"]) > 0, "the page has images (its charts)")
    for i, img in enumerate(r["images"]):
        report(img["complete"] and img["width"] > 0 and img["height"] > 0,
               "image %d (%s) decoded" % (i + 1, img["alt"] or img["src"]),
               "complete %s, natural size %dx%d, src %s" % (img["complete"], img["width"],
                                                            img["height"], img["src"]))
    report(r["errors"] == [], "nothing logged an error", "; ".join(r["errors"])[:1000])
    broken = [l["href"] for l in r["links"] if not l["target"]]
    report(broken == [], "every in-page link has a target", " ".join(broken)[:500])
    if r["toc"] is not None:
        report(r["toc"] > 0, "the table of contents holds links")
    external = [x for x in r["resources"] if not x.startswith("data:")]
    report(external == [], "the page fetches nothing but data: URIs (self-contained)",
           " ".join(external)[:500])


def main():
    exe = chromium()
    if exe is None:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            report(False, "chromium", "not installed, and CI is set (tests/install-deps.sh chromium)")
        else:
            print("skip browser: chromium is not installed (sh tests/install-deps.sh chromium)")
        return TALLY.summary()
    with tempfile.TemporaryDirectory() as tmp:
        out_dir = os.path.join(tmp, "report")
        p = subprocess.run([BIN, "report", "scenarios/startup.yaml", "scenarios/bigtech.yaml",
                            "-o", out_dir], cwd=ROOT, capture_output=True, timeout=300)
        html_path = os.path.join(out_dir, "report.html")
        report(p.returncode == 0 and os.path.isfile(html_path),
               "llmcost report scenarios/startup.yaml scenarios/bigtech.yaml",
               "status %d: %s" % (p.returncode, p.stderr.decode()[-300:]))
        if os.path.isfile(html_path):
            check_page(exe, tmp, html_path)
    return TALLY.summary()


if __name__ == "__main__":
    sys.exit(main())

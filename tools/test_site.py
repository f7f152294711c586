#!/usr/bin/env python
"""Browser test of the offline site (tools/build_site.py), in Debian's chromium driven by Playwright.

    python tools/test_site.py --url http://127.0.0.1:8000/   # the site served by build_site.py --serve

Checks: every notebook of nbs/ has a page; every <img> of every page loads; no page shows a Python
traceback or a TensorFlow/absl log line; the filters page's slider changes its image. Requests that
leave the local server are blocked (no machine here has the internet) and listed, not failed.
Exits 1 on any failure.
"""

import argparse
import re
import sys
from pathlib import Path
from urllib.parse import urljoin, urlparse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]
FILTERS, REPORT = "05_filters", "06_report"

BAD_TEXT = [  # what a page of a clean notebook never shows
    (r"Traceback \(most recent call last\)", "a Python traceback"),
    (r"\w+(Error|Exception|Warning)\s+Traceback", "an IPython traceback"),
    (r"\x1b\[|\[[01];3\dm", "ANSI colour codes (a coloured traceback)"),
    (r"\b[IWEF]\d{4} \d\d:\d\d:\d\d", "an absl log line (I0000 00:00...)"),
    (r"cudart_stub|oneDNN custom operations|tensorflow/core|WARNING: All log messages before absl",
     "a TensorFlow log line"),
]

# Wait for every <img> to finish (load or error), then report the broken ones.
IMAGES_JS = """async () => {
  const imgs = [...document.images];
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => {
    i.addEventListener('load', r); i.addEventListener('error', r); setTimeout(r, 10000); })));
  return {n: imgs.length, broken: imgs.filter(i => !(i.complete && i.naturalWidth > 0))
                                   .map(i => (i.id || '') + ' ' + (i.getAttribute('src') || '(no src)').slice(0, 60))};
}"""

# A fingerprint of what the page displays: every <img> src and every <canvas> picture.
PICTURES_JS = """() => {
  const h = s => { let x = 2166136261; for (let k = 0; k < s.length; k++) x = Math.imul(x ^ s.charCodeAt(k), 16777619);
                   return (x >>> 0).toString(16) + ':' + s.length; };
  const canvas = c => { try { return c.toDataURL(); } catch (e) { return 'tainted'; } };
  return [...[...document.images].map(i => h(i.currentSrc || i.src || '')),
          ...[...document.querySelectorAll('canvas')].map(c => h(canvas(c)))].join(' ');
}"""

# Move a range input to another value as a user would: set it, then fire input and change.
MOVE_JS = """(el) => {
  const lo = Number(el.min || 0), hi = Number(el.max || 100), now = Number(el.value);
  el.value = String(now === hi ? lo : hi);
  el.dispatchEvent(new Event('input', {bubbles: true}));
  el.dispatchEvent(new Event('change', {bubbles: true}));
  return [now, el.value];
}"""


def expected_pages(nbs: Path) -> list[str]:  # the page names every notebook must have, e.g. 00_data.html
    "`index.ipynb` and every `NN*.ipynb` of nbs/ (as .ci/run counts them); smalldocs names a page after its notebook."
    names = sorted(p.stem for p in nbs.glob("[0-9]*.ipynb"))
    return (["index"] if (nbs / "index.ipynb").exists() else []) + names


def check_text(page) -> list[str]:  # one message per kind of noise found
    "Look for tracebacks and TensorFlow/absl log lines in the page's visible text."
    text = page.evaluate("() => document.body.innerText")
    found = []
    for pattern, what in BAD_TEXT:
        m = re.search(pattern, text)
        if m:
            found.append(f"shows {what}: {text[max(0, m.start() - 40):m.end() + 40]!r}")
    return found


def check_maths(page) -> list[str]:
    "Where the site carries its own KaTeX, no maths may be left as raw `\\(...\\)` / `$$...$$` text."
    if not page.evaluate("() => !!document.querySelector('script[src*=\"site_libs/katex\"]')"):
        return []
    page.wait_for_function("() => typeof renderMathInElement !== 'undefined'", timeout=10000)
    page.wait_for_timeout(200)
    text = page.evaluate(PROSE_JS)  # code may hold \( or \[ (regexes): only prose must not
    m = re.search(r"\\\(|\\\[|\$\$", text)
    return [f"maths not rendered: {text[max(0, m.start() - 30):m.end() + 30]!r}"] if m else []


PROSE_JS = """() => { const m = document.querySelector('main, body').cloneNode(true);
  m.querySelectorAll('pre, code').forEach(e => e.remove()); return m.innerText; }"""


def check_slider(page) -> list[str]:  # the failures
    "Move each range slider of the page and check that the displayed picture changes."
    sliders = page.locator("input[type=range]")
    if sliders.count() == 0:
        return ["has no input[type=range]: the percentile slider is missing (or was stripped)"]
    fails = []
    for k in range(sliders.count()):
        before = page.evaluate(PICTURES_JS)
        page.wait_for_timeout(300)
        if page.evaluate(PICTURES_JS) != before:
            fails.append(f"slider {k}: the picture changes without touching the slider (is it playing?)")
            continue
        old, new = sliders.nth(k).evaluate(MOVE_JS)
        page.wait_for_timeout(300)
        if page.evaluate(PICTURES_JS) == before:
            fails.append(f"slider {k}: moved from {old} to {new}, the picture did not change")
        else:
            print(f"  slider {k}: moved from {old} to {new}, the picture changed")
    return fails


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", required=True, help="the site's address, e.g. http://127.0.0.1:8000/")
    p.add_argument("--site", type=Path, default=ROOT / "_proc" / "_docs", help="the built site folder, to list its pages")
    p.add_argument("--nbs", type=Path, default=ROOT / "nbs", help="the notebooks that must have a page")
    p.add_argument("--artifacts", type=Path, default=ROOT / ".ci" / "artifacts", help="where screenshots go")
    args = p.parse_args()
    base = args.url if args.url.endswith("/") else args.url + "/"
    if not args.site.is_dir():
        sys.exit(f"test_site: no site at {args.site}: run `python tools/build_site.py` first")
    args.artifacts.mkdir(parents=True, exist_ok=True)

    pages = sorted(str(f.relative_to(args.site)) for f in args.site.rglob("*.html") if "site_libs" not in f.parts)
    failures = [f"{n}.html: missing: nbs/{n}.ipynb has no page" for n in expected_pages(args.nbs) if f"{n}.html" not in pages]
    for f in failures:
        print(f"FAIL {f}")
    shoot = next((n for n in (REPORT, "index") if f"{n}.html" in pages), Path(pages[0]).stem if pages else None)
    blocked, no_images = set(), []

    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except PlaywrightError as e:
            sys.exit(f"test_site: cannot start {CHROMIUM} ({str(e).splitlines()[0]}); install it: apt-get install -y chromium")
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        local = urlparse(base).netloc

        def route(r):
            if urlparse(r.request.url).netloc in (local, ""):
                return r.continue_()
            blocked.add(urlparse(r.request.url).netloc)
            r.abort()

        page.route("**/*", route)
        js_errors = []
        page.on("pageerror", lambda e: js_errors.append(str(e)))
        for name in pages:
            js_errors.clear()
            fails, imgs = [], None
            try:
                resp = page.goto(urljoin(base, name), wait_until="load", timeout=30000)
                if resp is None or not resp.ok:
                    fails.append(f"HTTP {resp.status if resp else 'no response'}")
                else:
                    imgs = page.evaluate(IMAGES_JS)
                    fails += [f"image does not load: {b}" for b in imgs["broken"]]
                    if imgs["n"] == 0:
                        no_images.append(name)
                    fails += check_text(page)
                    fails += check_maths(page)
                    if Path(name).stem == FILTERS:
                        fails += check_slider(page)
                    fails += [f"JavaScript error: {e}" for e in js_errors]
                    if Path(name).stem in (shoot, FILTERS):
                        shot = args.artifacts / f"site_{Path(name).stem}.png"
                        page.screenshot(path=str(shot), full_page=True)
                        print(f"  screenshot: {shot}")
            except PlaywrightError as e:
                fails.append(f"browser error: {str(e).splitlines()[0]}")
            status = "FAIL" if fails else "ok"
            print(f"{status:4} {name}" + (f", {imgs['n']} image(s)" if imgs else ""))
            for f in fails:
                print(f"     - {f}")
            failures += [f"{name}: {f}" for f in fails]
        browser.close()

    if f"{FILTERS}.html" not in pages:
        print(f"SKIP slider check: no {FILTERS}.html (nbs/{FILTERS}.ipynb does not exist yet)")
    if no_images:
        print(f"note: no image on {', '.join(no_images)} (were the notebooks executed before commit?)")
    if blocked:
        print(f"note: blocked requests to {', '.join(sorted(blocked))} (offline; e.g. KaTeX from a CDN)")
    print(f"site test: {len(pages)} page(s) checked, {len(failures)} failure(s)")
    return 1 if failures or not pages else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python
"""Browser test of the live filter explorer in real JupyterLab, in Debian's chromium driven by Playwright.

    python .ci/lab_test.py --url http://127.0.0.1:PORT/ --token TOKEN --notebook 05_filters.ipynb

Opens the notebook in JupyterLab (started by .ci/lab), as a reopened notebook: untrusted, no kernel
run yet. Checks that its stored outputs show the explorer's last picture, table and the line about
the kernel, and that both kernel-free animations show a picture. Then runs all its cells and drags
the first slider of the filter explorer as a user would. Checks: every cell runs without an error;
the picture changes; while it is recomputed the explorer's output never empties (sampled every 20 ms
in the page: the picture, the table and the note stay, and the output keeps its height). Requests
that leave the local server are blocked. Exits 1 on any failure.
"""

import argparse
import re
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run"]

# The output area of the cell whose outputs hold an ipywidgets slider: the explorer.
AREA_JS = """() => [...document.querySelectorAll('.jp-Cell .jp-OutputArea')]
                     .find(a => a.querySelector('.widget-slider'))"""

# What the explorer's output shows now: its pictures (a hash of each src), outputs and height.
STATE_JS = """(area) => {
  const h = s => { let x = 2166136261; for (let k = 0; k < s.length; k++) x = Math.imul(x ^ s.charCodeAt(k), 16777619);
                   return (x >>> 0).toString(16) + ':' + s.length; };
  const imgs = [...area.querySelectorAll('img')];
  return {pictures: imgs.map(i => h(i.src)).join(' '), n_img: imgs.length,
          decoded: imgs.filter(i => i.complete && i.naturalWidth > 0).length,
          outputs: area.querySelectorAll('.jp-OutputArea-output').length,
          tables: area.querySelectorAll('table').length,
          height: Math.round(area.getBoundingClientRect().height)};
}"""

# Sample the explorer's output every 20 ms until told to stop: the worst moment is what counts.
SAMPLE_JS = """(area) => {
  window.__samples = [];
  const state = """ + STATE_JS + """;
  window.__sampler = setInterval(() => window.__samples.push(state(area)), 20);
}"""


def busy_cells(page) -> int:
    "Cells queued or running: their prompt shows [*]"
    return page.evaluate("""() => [...document.querySelectorAll('.jp-InputPrompt')]
                               .filter(p => p.textContent.includes('*')).length""")


def check_stored(page) -> list[str]:
    "Before any cell runs, the explorer's stored output shows its last picture and the kernel note"
    js = """() => { const a = [...document.querySelectorAll('.jp-Cell .jp-OutputArea')]
        .find(a => /needs a running kernel/.test(a.textContent));
        return a ? {img: a.querySelectorAll('img').length, tables: a.querySelectorAll('table').length} : null; }"""
    try:
        page.wait_for_function(js, timeout=30000)
    except PlaywrightError:
        pass
    found = page.evaluate(js)
    if not found or not found["img"]:
        return [f"the stored notebook does not show the explorer's picture and note without a kernel: {found}"]
    print(f"  without running: the explorer's stored output shows {found['img']} picture(s), "
          f"{found['tables']} table(s) and the line about the kernel")
    anims = page.evaluate("""async () => { const imgs = [...document.querySelectorAll('.jp-OutputArea-output.jp-RenderedHTMLCommon img')];
      await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
      return {n: imgs.length, shown: imgs.filter(i => i.naturalWidth > 0).length}; }""")
    print(f"  without running (untrusted): {anims['shown']} of {anims['n']} animations show a picture")
    if anims["n"] == 0 or anims["shown"] < anims["n"]:
        return [f"the kernel-free animations do not all show a picture before the notebook runs: {anims}"]
    return []


def run_all(page, timeout: float) -> list[str]:
    "Run every cell with the Run menu; wait until none is queued or running. The failures."
    t0 = time.time()
    for attempt in range(3):  # a click before the kernel is connected may be lost: try again
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).first.click()
        try:
            page.wait_for_function("() => [...document.querySelectorAll('.jp-InputPrompt')]"
                                   ".some(p => /[*]|[0-9]/.test(p.textContent))", timeout=10000)
            break
        except PlaywrightError:
            print(f"  Run All Cells: no cell started within 10 s (attempt {attempt + 1})")
    while busy_cells(page):
        if time.time() - t0 > timeout:
            return [f"the notebook did not finish within {timeout:.0f} s"]
        page.wait_for_timeout(500)
    print(f"  ran all cells in {time.time() - t0:.1f} s")
    errors = page.evaluate("""() => [...document.querySelectorAll('.jp-OutputArea-output')]
        .map(o => o.innerText).filter(t => /Traceback|Error displaying widget/.test(t)).map(t => t.slice(0, 300))""")
    return [f"a cell shows an error: {e!r}" for e in errors]


def drag_slider(page, area):
    "Drag the first slider's handle to the right as a mouse would; the value is sent when released"
    handle = area.query_selector(".widget-slider .noUi-handle")
    track = area.query_selector(".widget-slider .noUi-base") or area.query_selector(".widget-slider")
    hb, tb = handle.bounding_box(), track.bounding_box()
    x, y = hb["x"] + hb["width"] / 2, hb["y"] + hb["height"] / 2
    to = tb["x"] + 0.25 * tb["width"]
    if abs(to - x) < 20:
        to = tb["x"] + 0.6 * tb["width"]
    page.mouse.move(x, y)
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(x + (to - x) * k / 10, y)
        page.wait_for_timeout(30)
    page.mouse.up()


def check_explorer(page, timeout: float) -> list[str]:
    "Drag a slider of the explorer; the picture must change and the output never empty. The failures."
    area = page.evaluate_handle(AREA_JS).as_element()
    if area is None:
        return ["no explorer: no output area holds an ipywidgets slider"]
    area.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    before = area.evaluate(STATE_JS)
    print(f"  before: {before}")
    if before["n_img"] == 0 or before["tables"] == 0:
        return [f"the explorer shows no picture or no table before the move: {before}"]
    readout = lambda: area.evaluate("a => a.querySelector('.widget-slider .widget-readout').innerText")
    value0 = readout()
    area.evaluate(SAMPLE_JS)
    t0 = time.time()
    drag_slider(page, area)
    changed = None
    while time.time() - t0 < timeout:
        page.wait_for_timeout(100)
        now = area.evaluate(STATE_JS)
        if now["n_img"] and now["pictures"] != before["pictures"] and now["decoded"] == now["n_img"]:
            changed = time.time() - t0
            page.wait_for_timeout(500)  # and a moment after the change
            break
    samples = page.evaluate("() => { clearInterval(window.__sampler); return window.__samples; }")
    after = area.evaluate(STATE_JS)
    print(f"  slider moved from {value0} to {readout()}; after: {after}")
    fails = []
    if changed is None:
        fails.append(f"the picture did not change within {timeout:.0f} s of moving the slider from {value0}")
    else:
        print(f"  the picture changed {changed:.1f} s after the drag began; {len(samples)} samples of the output")
    worst = min(samples, key=lambda s: (s["n_img"], s["outputs"], s["tables"], s["height"]), default=None)
    if not samples:
        fails.append("no sample of the output was taken")
    elif worst["n_img"] < before["n_img"] or worst["outputs"] < before["outputs"] or worst["tables"] < before["tables"]:
        fails.append(f"the output emptied while recomputing: {worst} (before: {before})")
    elif min(s["height"] for s in samples) < 0.8 * before["height"]:
        fails.append(f"the output shrank while recomputing (the page jumps): {min(s['height'] for s in samples)} px "
                     f"of {before['height']} px")
    else:
        undecoded = sum(s["decoded"] < s["n_img"] for s in samples)
        print(f"  the output never emptied: at least {worst['n_img']} picture(s), {worst['outputs']} outputs, "
              f"height {min(s['height'] for s in samples)}-{max(s['height'] for s in samples)} px "
              f"({undecoded} samples with a picture still decoding)")
    return fails


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--url", required=True, help="JupyterLab's address, e.g. http://127.0.0.1:8888/")
    p.add_argument("--token", required=True, help="the server's token")
    p.add_argument("--notebook", default="05_filters.ipynb", help="the notebook, relative to the server's root")
    p.add_argument("--artifacts", type=Path, default=Path(__file__).resolve().parent / "artifacts")
    p.add_argument("--timeout", type=float, default=600, help="seconds to run the notebook")
    args = p.parse_args()
    base = args.url if args.url.endswith("/") else args.url + "/"
    args.artifacts.mkdir(parents=True, exist_ok=True)
    fails, blocked, js_errors = [], set(), []
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        except PlaywrightError as e:
            sys.exit(f"lab_test: cannot start {CHROMIUM} ({str(e).splitlines()[0]}); install it: apt-get install -y chromium")
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        local = urlparse(base).netloc

        def route(r):
            if urlparse(r.request.url).netloc in (local, ""):
                return r.continue_()
            blocked.add(urlparse(r.request.url).netloc)
            r.abort()

        page.route("**/*", route)
        page.on("pageerror", lambda e: js_errors.append(str(e)))
        try:
            page.goto(f"{base}lab/tree/{args.notebook}?token={args.token}", wait_until="load", timeout=120000)
            page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=120000)
            page.wait_for_selector('.jp-Notebook-ExecutionIndicator[data-status="idle"]', state="attached", timeout=120000)
            page.wait_for_timeout(1000)
            fails += check_stored(page)
            fails += run_all(page, args.timeout)
            if not fails:
                fails += check_explorer(page, timeout=120)
        except PlaywrightError as e:
            fails.append(f"browser error: {str(e).splitlines()[0]}")
        shot = args.artifacts / "lab_explorer.png"
        try:
            page.screenshot(path=str(shot))
            print(f"  screenshot: {shot}")
        except PlaywrightError:
            pass
        browser.close()
    fails += [f"JavaScript error: {e}" for e in js_errors]
    if blocked:
        print(f"note: blocked requests to {', '.join(sorted(blocked))} (offline)")
    for f in fails:
        print(f"FAIL {f}")
    print(f"lab test: {'ok' if not fails else f'{len(fails)} failure(s)'}")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())

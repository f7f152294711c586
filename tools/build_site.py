#!/usr/bin/env python
"""Build the documentation site offline, without Quarto: `nbdev_proc_nbs`, then `smalldocs`.

    python tools/build_site.py            # writes _proc/_docs/ (open _proc/_docs/index.html)
    python tools/build_site.py --serve    # ... and serves it on http://127.0.0.1:8000/

The pages show the notebooks' *stored* outputs: nothing is executed here.
The official site is Quarto's `nbdev_docs` (.github/workflows/deploy.yaml); this is its offline stand-in.
"""

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repo: settings.ini, nbs/
PROC = ROOT / "_proc"  # where nbdev_proc_nbs writes (nbdev fixes it beside settings.ini)

# Without `quarto` on PATH, nbdev_proc_nbs runs nbdev's Quarto installer (sudo + a download) and then
# `pip install -e <repo>[dev]`, which re-points an editable install at whichever tree was built.
# A stub that only fails keeps nbdev from trying; nbdev_proc_nbs itself never calls Quarto.
QUARTO_STUB = '#!/bin/sh\necho "quarto is not installed: tools/build_site.py renders with smalldocs" >&2\nexit 1\n'


def proc_nbs() -> None:
    "Run `nbdev_proc_nbs` from a clean `_proc/`, so a deleted notebook leaves no stale page."
    exe = shutil.which("nbdev_proc_nbs")
    if exe is None:
        sys.exit("build_site: nbdev_proc_nbs not found: activate the venv and `pip install -e \".[dev]\"`")
    shutil.rmtree(PROC, ignore_errors=True)
    sidebar = ROOT / "nbs" / "sidebar.yml"  # nbdev_proc_nbs writes it into nbs/; we leave nbs/ as we found it
    had_sidebar = sidebar.exists()
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as stub_dir:
        if shutil.which("quarto") is None:
            stub = Path(stub_dir) / "quarto"
            stub.write_text(QUARTO_STUB)
            stub.chmod(0o755)
            env["PATH"] = f"{stub_dir}{os.pathsep}{env.get('PATH', '')}"
        # --file_re: nbdev's own sidebar default; the CLI's empty default lists nbdev.yml and styles.css as pages
        r = subprocess.run([exe, "--file_re", r"\.(?:ipynb|qmd|html)$"], cwd=ROOT, env=env)
    if not had_sidebar:
        sidebar.unlink(missing_ok=True)
    if r.returncode != 0 or not PROC.is_dir():
        sys.exit(f"build_site: nbdev_proc_nbs failed (exit {r.returncode}). It runs the cells with imports, `#| export` "
                 "and show_doc (not the others); the last 'Error in notebook' above names the cell. A cell that mixes "
                 "imports with code using earlier cells' variables fails here: move its imports to the imports cell.")


# The warnings smalldocs gives for settings that only Quarto reads (nbdev's `_quarto.yml` asks for a
# commonmark format and keep-md, and `nbdev_proc_nbs` gives every notebook an `output-file`): they
# are expected, so they are counted, not shown; any other warning is shown.
EXPECTED_WARNINGS = (
    re.compile(r"format commonmark is not built: smalldocs makes only html"),
    re.compile(r"format\.html\.keep-md is ignored"),
    re.compile(r"[\w.-]+\.ipynb: output-file is not read by smalldocs"),
)


def expected_warning(w: str) -> bool:
    "Whether `w` is one of `EXPECTED_WARNINGS`, word for word"
    return any(r.fullmatch(w) for r in EXPECTED_WARNINGS)


def render(all_warnings: bool = False) -> Path:  # the folder of the built site
    "Render `_proc/` with smalldocs; the output folder is nbdev.yml's `output-dir`, read relative to `_proc/`."
    from smalldocs.config import BuildError, ConfigError
    from smalldocs.site import build

    try:
        site = build(PROC)
    except (BuildError, ConfigError) as e:
        sys.exit(f"build_site: smalldocs could not render {PROC}: {e}")
    quiet = [w for w in site.warnings if expected_warning(w) and not all_warnings]
    for w in site.warnings:
        if w not in quiet:
            print(f"smalldocs warning: {w}", file=sys.stderr)
    if quiet:
        print(f"smalldocs: {len(quiet)} expected warnings about Quarto-only settings (commonmark, "
              "keep-md, output-file) not shown (--all-warnings shows them)", file=sys.stderr)
    return site.out


KATEX = "0.16.11"  # the version smalldocs links from a CDN
KATEX_CDN = f"https://cdn.jsdelivr.net/npm/katex@{KATEX}/dist/"


def vendor_katex(site: Path) -> bool:
    "Copy KaTeX (maths) into the site from the npm registry and point the pages at it, so maths renders offline."
    import tarfile
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nninvert" / f"katex-{KATEX}.tgz"
    if not cache.is_file():
        if shutil.which("npm") is None:
            print("build_site: npm not found; maths will load KaTeX from its CDN", file=sys.stderr)
            return False
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory() as tmp:
            r = subprocess.run(["npm", "pack", f"katex@{KATEX}", "--silent"], cwd=tmp, capture_output=True, text=True)
            got = Path(tmp) / f"katex-{KATEX}.tgz"
            if r.returncode != 0 or not got.is_file():
                print(f"build_site: `npm pack katex@{KATEX}` failed ({r.stderr.strip()[:200]}); maths will load KaTeX from its CDN", file=sys.stderr)
                return False
            os.replace(got, cache)
    dest = site / "site_libs" / "katex"
    shutil.rmtree(dest, ignore_errors=True)
    with tarfile.open(cache) as tf:
        for m in tf.getmembers():
            if m.isfile() and m.name.startswith("package/dist/"):
                out = dest / m.name[len("package/dist/"):]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(tf.extractfile(m).read())
    for page in site.glob("*.html"):
        page.write_text(page.read_text().replace(KATEX_CDN, "site_libs/katex/"))
    return True


def serve(site: Path, port: int) -> None:
    "Serve the built site on 127.0.0.1 until Ctrl-C."
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"serving {site} on http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C to stop)", file=sys.stderr)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--serve", action="store_true", help="serve the site after building it")
    p.add_argument("--port", type=int, default=8000, help="the port for --serve (default 8000; 0 picks a free one)")
    p.add_argument("--all-warnings", action="store_true", help="also show smalldocs' expected warnings")
    args = p.parse_args()
    proc_nbs()
    site = render(args.all_warnings)
    if vendor_katex(site):
        print(f"maths: KaTeX {KATEX} copied into the site", file=sys.stderr)
    print(f"site: {site}", file=sys.stderr)
    if args.serve:
        serve(site, args.port)


if __name__ == "__main__":
    main()

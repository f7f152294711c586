#!/usr/bin/env python
"""The README's own figures: install time, test times, `nninvert reproduce` cold and warm.

    python benchmarks/readme.py                          # all of them (about 15 minutes on 2 cores)
    python benchmarks/readme.py --only tests,reproduce   # some, keeping the others

Writes the section `readme` of benchmarks/results.json, which tools/check_readme_numbers.py
checks the README against. Run it with the project's environment active, from anywhere.
- install: `pip install -e ".[dev]"` (the README's set-up) in a fresh virtual environment, with
  pip's cache off so that every package is downloaded as on a new machine; numpy's version after
- tests: `nbdev_test` and `nbdev_test --flags slow`, wall time
- reproduce: `nninvert reproduce` with an empty cache (cold) and again with the cache it left
  (warm), wall time and peak memory
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))  # the repository: `benchmarks` is importable from there

SECTIONS = ('install', 'tests', 'reproduce')


def log(msg: str):
    print(f"readme: {msg}", file=sys.stderr, flush=True)


def wall(cmd: list, env: dict = None, cwd=ROOT) -> float:
    "Seconds `cmd` took; a `RuntimeError` with the end of its output if it failed"
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                       env=dict(os.environ, **(env or {})))
    if p.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed ({p.returncode}): {(p.stdout + p.stderr)[-800:]}")
    return time.perf_counter() - t0


def measure_install() -> dict:
    "The README's set-up in a fresh virtual environment, downloading everything"
    with tempfile.TemporaryDirectory() as d:
        venv = Path(d) / 'venv'
        wall([sys.executable, '-m', 'venv', str(venv)])
        py = str(venv / 'bin' / 'python')
        wall([py, '-m', 'pip', 'install', '-q', '--upgrade', 'pip'])
        log("pip install -e \".[dev]\" in a fresh virtual environment")
        s = wall([py, '-m', 'pip', 'install', '-q', '-e', '.[dev]'], env=dict(PIP_NO_CACHE_DIR='1'))
        numpy = subprocess.run([py, '-c', 'import numpy; print(numpy.__version__)'],
                               capture_output=True, text=True, check=True).stdout.strip()
    return dict(install_s=s, install_numpy=numpy)


def measure_tests() -> dict:
    "Wall time of the quick and of the slow test suite"
    bindir = Path(sys.executable).parent
    nbdev_test = str(bindir / 'nbdev_test') if (bindir / 'nbdev_test').is_file() else 'nbdev_test'
    log("nbdev_test")
    fast = wall([nbdev_test])
    log("nbdev_test --flags slow")
    slow = wall([nbdev_test, '--flags', 'slow'])
    return dict(nbdev_test_s=fast, nbdev_test_slow_s=slow)


def measure_reproduce() -> dict:
    "`nninvert reproduce` with an empty cache, then again with the cache it filled"
    from benchmarks.measure import measure_command
    from benchmarks.startup import nninvert_command
    out = {}
    with tempfile.TemporaryDirectory() as d:
        env = dict(NNINVERT_CACHE=str(Path(d) / 'cache'), MPLBACKEND='Agg')
        for run in ('cold', 'warm'):
            log(f"nninvert reproduce ({run} cache)")
            r = measure_command(nninvert_command() + ['reproduce', '--out', f'{d}/{run}'], env)
            if r['exit']:
                raise RuntimeError(f"nninvert reproduce failed: {r['stderr_tail']}")
            out.update({f'reproduce_{run}_s': r['wall_s'], f'reproduce_{run}_mib': r['max_rss_mib']})
    return out


MEASURE = dict(install=measure_install, tests=measure_tests, reproduce=measure_reproduce)


def machine() -> dict:
    "The machine and environment, in the words the README uses"
    from benchmarks.machine import machine_info, versions
    from nninvert.trained import cpu_isa
    m = machine_info()
    return dict(machine=f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB",
                cpu_isa=cpu_isa(), numpy=versions()['numpy'], load_average=m['load_average'])


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--only', help=f"comma-separated sections among {', '.join(SECTIONS)}")
    p.add_argument('--out', type=Path, default=HERE / 'results.json', help='the results file')
    args = p.parse_args(argv)
    only = [s.strip() for s in args.only.split(',')] if args.only else list(SECTIONS)
    if not set(only) <= set(SECTIONS):
        p.error(f"--only: sections are {', '.join(SECTIONS)}")
    from benchmarks.harness import load_results, write_results
    res = load_results(args.out) if args.out.is_file() else {}
    readme = dict(res.get('readme', {}), **machine(), command='python benchmarks/readme.py',
                  measured=datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))
    for name in only:  # the file is written after each section: a failure keeps what was measured
        readme.update(MEASURE[name]())
        readme.setdefault('sections', {})[name] = readme['measured']
        readme['load_average_end'] = machine()['load_average']
        res['readme'] = readme
        write_results(res, args.out)
        log(f"{name}: wrote the section readme of {args.out}")
    return 0


if __name__ == '__main__':
    sys.exit(main())

#!/usr/bin/env python
"""Benchmarks of nninvert, measured side by side in one process (read by nbs/08_benchmarks.ipynb).

    python benchmarks/run.py           # the full run: benchmarks/results.json and nbs/images/classes10/
    python benchmarks/run.py --small   # the CI setting, under a minute: out/results_small.json
    python benchmarks/run.py --only methods,scaling   # re-run some sections, updating the results

Run from anywhere; paths are relative to this file. Progress goes to stderr; scratch output and the
private cache of the `reproduce` runs go to benchmarks/out/ (git-ignored).
"""
import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # the repository: `benchmarks` is importable from there


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--small', action='store_true',
                   help='the small CI setting (under a minute) instead of the full run')
    p.add_argument('--out', type=Path,
                   help='results file (default: benchmarks/results.json, '
                        'or benchmarks/out/results_small.json with --small)')
    p.add_argument('--only', help='comma-separated sections to re-run, updating the results file')
    return p


def main(argv=None) -> int:
    p = parser()
    args = p.parse_args(argv)
    os.environ.setdefault('MPLBACKEND', 'Agg')
    os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '3')
    from benchmarks.harness import SECTIONS, load_results, run_benchmarks, write_results
    out = args.out or (HERE / 'out' / 'results_small.json' if args.small else HERE / 'results.json')
    only = [s.strip() for s in args.only.split(',')] if args.only else None
    if only and not set(only) <= set(SECTIONS):
        p.error(f"--only: sections are {', '.join(SECTIONS)}")
    previous = load_results(out) if only and out.is_file() else None
    work = HERE / 'out'
    work.mkdir(parents=True, exist_ok=True)
    keep10 = None if args.small else HERE.parent / 'nbs' / 'images' / 'classes10'
    t0 = time.perf_counter()
    res = run_benchmarks(args.small, work, keep10, only=only, previous=previous)
    write_results(res, out)
    took = time.perf_counter() - t0
    print(f"benchmarks: {res['meta']['mode']} run took {took:.0f} s; wrote {out}", file=sys.stderr)
    return 0


if __name__ == '__main__':
    sys.exit(main())

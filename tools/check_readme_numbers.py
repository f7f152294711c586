#!/usr/bin/env python
"""Check that every measured number README.md quotes comes from benchmarks/results.json.

    python tools/check_readme_numbers.py [--readme README.md] [--results benchmarks/results.json]

`CLAIMS` lists each number the README quotes: the entry of the results file it comes from (a path
of keys joined by `/`), a scale and the format the README writes it in. The check fails if
- an entry is missing from the results file,
- a claim, written as the README writes it, is not in the README (the run changed the number:
  update the README's text, or the claim's format), or
- the README has a number with a unit of time, size or speed-up (`25 s`, `434 MiB`, `3.3×`) that
  no claim accounts for: a new number needs a claim, and a measurement behind it.
Exits 0 if all is well, else 1 with one line per problem.
"""
import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MIN = 1 / 60
MS = 1000
GIB = 1 / 1024
CLAIMS = [  # (path in results.json, scale, format as the README writes it)
    # the README's own figures: python benchmarks/readme.py
    ('readme/install_s', MIN, '{:.1f} minutes'),
    ('readme/nbdev_test_s', MIN, '{:.1f} minutes'),
    ('readme/nbdev_test_slow_s', MIN, '{:.1f} minutes'),
    ('readme/reproduce_cold_s', 1, '{:.0f} s'),
    ('readme/reproduce_cold_mib', 1, '{:.0f} MiB'),
    ('readme/reproduce_warm_s', 1, '{:.0f} s'),
    ('readme/reproduce_warm_mib', 1, '{:.0f} MiB'),
    # the benchmarks: python benchmarks/run.py
    ('meta/machine/memory_gib', 1, '{:.1f} GiB'),
    ('headline/empirical_mlp_ratio', 1, '{:.0f}×'),
    ('headline/empirical_mlp_vectorised_s', MS, '{:.2f} ms'),
    ('headline/empirical_mlp_loop_s', MS, '{:.0f} ms'),
    ('headline/empirical_slp_ratio', 1, '{:.0f}×'),
    ('headline/fit_package_s_per_epoch', 1, '{:.2f} s'),
    ('headline/fit_plain_s_per_epoch', 1, '{:.2f} s'),
    ('headline/fit_ratio', 1, '{:.1f}×'),
    ('headline/fit_mlps_s_per_epoch', 1, '{:.2f} s'),
    ('headline/fit_mlps_ratio', 1, '{:.1f}×'),
    ('headline/fit_mlps_many_s_per_network_epoch', 1, '{:.2f} s'),
    ('headline/fit_mlps_many_ratio', 1, '{:.1f}×'),
    ('headline/study_empty_cache_s', MIN, '{:.1f} minutes'),
    ('headline/study_peak_mib', GIB, '{:.2f} GiB'),
    ('headline/study_cached_s', 1, '{:.0f} s'),
    ('headline/data_cached_s', 1, '{:.2f} s'),
    ('headline/data_first_s', 1, '{:.2f} s'),
    ('headline/data_ratio', 1, '{:.0f}×'),
    ('headline/reproduce --retrain/wall_s', 1, '{:.0f} s'),
    ('headline/reproduce --retrain/max_rss_mib', GIB, '{:.2f} GiB'),
    ('headline/reproduce --retrain/wall_s', MIN, '{:.0f} minutes'),
    ('headline/reproduce --classes 10/wall_s', 1, '{:.0f} s'),
    ('headline/reproduce --classes 10/wall_s', MIN, '{:.1f} minutes'),
    ('headline/reproduce --classes 10/max_rss_mib', GIB, '{:.2f} GiB'),
]

UNIT = r'(?:ms|s|seconds?|min|minutes?|h|hours?|KiB|MiB|GiB|kB|KB|MB|GB|×|%)'
QUOTED = re.compile(rf'(?<![\w.\-/])\d[\d,]*(?:\.\d+)?\s?{UNIT}(?![\w])')


def entry(res: dict, path: str):
    "The value at `path` (keys joined by `/`) in the results, else a `KeyError` naming the path"
    v = res
    for k in path.split('/'):
        if not isinstance(v, dict) or k not in v:
            raise KeyError(path)
        v = v[k]
    return v


def written(res: dict, claim: tuple) -> str:
    "A claim as the README writes it"
    path, scale, fmt = claim
    return fmt.format(entry(res, path) * scale)


def problems(readme: str, res: dict, claims=CLAIMS) -> list:
    "What is wrong: missing entries, claims not in the README, numbers no claim accounts for"
    out, texts = [], set()
    for c in claims:
        try:
            t = written(res, c)
        except KeyError as e:
            out.append(f"results.json has no entry {e.args[0]}")
            continue
        texts.add(t)
        if t not in readme:
            out.append(f"README does not say {t!r} ({c[0]} in results.json)")
    for m in QUOTED.finditer(readme):
        q = re.sub(r'\s+', ' ', m.group(0))
        if q not in texts:
            line = readme.count('\n', 0, m.start()) + 1
            out.append(f"README line {line}: {q!r} is not a listed number from results.json")
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--readme', type=Path, default=ROOT / 'README.md')
    p.add_argument('--results', type=Path, default=ROOT / 'benchmarks' / 'results.json')
    args = p.parse_args(argv)
    bad = problems(args.readme.read_text(), json.loads(args.results.read_text()))
    for b in bad:
        print(f"check_readme_numbers: {b}", file=sys.stderr)
    n = len(QUOTED.findall(args.readme.read_text()))
    print(f"check_readme_numbers: {n} numbers in {args.readme.name}, {len(bad)} problems")
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())

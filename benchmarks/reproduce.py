"`nninvert reproduce` end to end: wall time and peak memory, where its time goes, its figure rows"
import io
import os
import pstats
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from nninvert.data import plot_images

from .measure import measure_command, progress_lines, timed
from .startup import cli_entry, nninvert_command

RUNS = (  # label, extra arguments of `nninvert reproduce`
    ('5 classes, shipped networks', []),
    ('5 classes, shipped networks, trade-off curves cached', []),
    ('5 classes, --retrain', ['--retrain']),
    ('10 classes, first use (trains both networks)', ['--classes', '10']),
    ('10 classes, cached networks', ['--classes', '10']),
)


def copy_file(src: Path, dst: Path):
    "Copy a file atomically: a temporary file beside `dst`, then a rename"
    dst = Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_name(f'.{dst.name}.tmp-{os.getpid()}')
    tmp.write_bytes(Path(src).read_bytes())
    os.replace(tmp, dst)


def keep_ten(out: Path, keep10: Path):
    "Copy a ten-class run's figures and scorecard from `out` to `keep10`, dropping stale figures"
    new = sorted((out / 'figures').glob('*.png'))
    for f in new:
        copy_file(f, keep10 / 'figures' / f.name)
    names = {f.name for f in new}
    for f in (keep10 / 'figures').glob('*.png'):
        if f.name not in names:
            f.unlink()
    copy_file(out / 'scorecard.json', keep10 / 'scorecard.json')


def bench_reproduce(work: Path, cache: Path, keep10: Path = None, runs=RUNS) -> list:
    "`nninvert reproduce` for each of `runs` in a private `NNINVERT_CACHE`; keeps the 10-class run"
    env, rows = dict(NNINVERT_CACHE=str(cache), MPLBACKEND='Agg'), []
    for i, (label, args) in enumerate(runs):
        out = Path(work) / f'reproduce-{i}'
        cmd = nninvert_command() + ['reproduce', '--out', str(out), *args]
        rows.append(dict(label=label, args=args, **measure_command(cmd, env)))
        if keep10 and '10' in args and rows[-1]['exit'] == 0:
            keep_ten(out, Path(keep10))
    return rows


PHASES = {  # phase: (a part of the file's path, the function whose cumulative time it is)
    'all imports': ('importlib._bootstrap', '_find_and_load'),
    'TensorFlow import': ('nninvert/', 'import_tf'),
    'data (load_mnist)': ('nninvert/', 'load_mnist'),
    'SLP training': ('nninvert/', 'train_slp'),
    'MLP training': ('nninvert/', 'train_mlp'),
    'accuracies': ('nninvert/', 'accuracy'),
    'methods + scores (all steps)': ('nninvert/', '_step'),
    'scores': ('nninvert/', 'score'),
    'independent evaluator (fit_evaluator)': ('nninvert/', 'fit_evaluator'),
    'digit prior (fit_prior)': ('nninvert/', 'fit_prior'),
    'extra figures (report_figures)': ('nninvert/', 'report_figures'),
    'trade-off curves (lam_sweep)': ('nninvert/', 'lam_sweep'),
    'sanity check (sanity_check)': ('nninvert/', 'sanity_check'),
    'sanity check: training on shuffled labels': ('nninvert/', 'shuffled_nets'),
    'drawing figures (plot_images)': ('nninvert/', 'plot_images'),
    'PNG encoding (savefig)': ('nninvert/', 'save_figure'),
    'write_run (figures + files)': ('nninvert/', 'write_run'),
    'compute (data → scores)': ('nninvert/', 'compute'),
    'total (reproduce)': ('nninvert/', 'reproduce'),
}
METHOD_FUNCS = ('empirical', 'invert_pinv', 'pinv_top_bottom', 'pinv_middle', 'box_l2', 'box_l1',
                'box_optimise', 'prior_guided_default')


def cumulative(stats: pstats.Stats) -> dict:
    "`{(file, function): cumulative seconds}` of a profile, the largest where a name repeats"
    out = {}
    for (fname, _, func), (_, _, _, cum, _) in stats.stats.items():
        key = (fname.replace('\\', '/'), func)
        out[key] = max(cum, out.get(key, 0))
    return out


def phase_time(ct: dict, where: str, func: str):
    "The largest cumulative time of a function named `func` in a file whose path holds `where`"
    return max([c for (f, g), c in ct.items() if g == func and where in f], default=None)


def phase_times(stats: pstats.Stats) -> dict:
    "Cumulative seconds of each of `PHASES`, and of each method function, in a profile"
    ct = cumulative(stats)
    out = {k: phase_time(ct, *v) for k, v in PHASES.items()}
    out.update({f'method {m}': phase_time(ct, 'nninvert/', m) for m in METHOD_FUNCS})
    return {k: v for k, v in out.items() if v is not None}


def profiled_script() -> str:
    "Python code that runs the `nninvert` CLI on `argv[2:]` under cProfile, stats to `argv[1]`"
    module, attr = cli_entry()
    return '\n'.join(["import cProfile, os, sys", "os.environ.setdefault('MPLBACKEND', 'Agg')",
                      f"from {module} import {attr} as main", "p = cProfile.Profile()",
                      "p.enable()", "try:", "    main(sys.argv[2:])", "finally:",
                      "    p.disable()", "    p.dump_stats(sys.argv[1])"])


def profile_reproduce(args: list, env: dict = None) -> dict:
    "Run `nninvert reproduce *args` once under cProfile in a child process; seconds per phase"
    with tempfile.TemporaryDirectory() as d:
        prof = Path(d) / 'reproduce.prof'
        cmd = [sys.executable, '-c', profiled_script(), str(prof), 'reproduce', *args]
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True, env=dict(os.environ, **(env or {})))
        wall = time.perf_counter() - t0
        if p.returncode:
            raise RuntimeError(f"profiled reproduce failed: {p.stderr[-800:]}")
        return dict(args=args, wall_s=wall, phases=phase_times(pstats.Stats(str(prof))),
                    steps=progress_lines(p.stderr))


@contextmanager
def fixed_margins():
    "Within the block, `Figure.tight_layout()` sets fixed margins instead of measuring the texts"
    from matplotlib.figure import Figure
    orig = Figure.tight_layout

    def fixed(self, *args, **kwargs):
        self.subplots_adjust(0.02, 0.02, 0.98, 0.72, 0.08, 0.3)
    Figure.tight_layout = fixed
    try:
        yield
    finally:
        Figure.tight_layout = orig


def figure_row(X, titles, k: int):
    "One of the report's figure rows of `k` digits, drawn and encoded as a PNG at 80 dpi"
    fig = plot_images(X, titles, ncols=min(k, 5), vmin=0, vmax=255, size=1.7,
                      suptitle='Fig 3.1: Empirical Method, SLP')
    fig.savefig(io.BytesIO(), format='png', dpi=80)


def bench_figures(k: int = 5, repeats: int = 3) -> dict:
    "One report figure row of `k` digits (`plot_images` + PNG), automatic layout against fixed"
    X = np.random.default_rng(0).uniform(0, 255, (k, 784))
    titles = [f'{i}: p=1.000\nshown p=1.000' for i in range(k)]
    auto = timed(lambda: figure_row(X, titles, k), repeats)
    with fixed_margins():
        fixed = timed(lambda: figure_row(X, titles, k), repeats)
    return dict(images=k, tight_layout_s=auto.median, fixed_margins_s=fixed.median,
                ratio=auto.median / fixed.median)

"The whole run: the two settings, the sections in the order they run, the results file"
import json
import math
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from nninvert.data import load_mnist

from .machine import machine_info, versions
from .measure import environ
from .methods import bench_convergence, bench_empirical, bench_methods
from .reproduce import bench_figures, bench_reproduce, profile_reproduce
from .scaling import bench_sweep, slopes
from .startup import bench_data_load, bench_imports
from .subjects import paper_nets, trained_nets
from .training import bench_fast_training, bench_mlp_training, bench_slp_training, subset
from .study import bench_study

SWEEPS_SMALL = dict(width=(30, 100, 300), depth=(2, 4, 8), classes=(5, 10))
SWEEPS_FULL = dict(width=(30, 100, 300, 1000), depth=(2, 4, 8), classes=(5, 10))
SETTINGS = {
    'small': dict(repeats=3, loop_repeats=1, max_seconds=1., train_rows=1000, epochs=2,
                  one_epoch=False, train_repeats=1, slp_iter=10, load_repeats=1,
                  import_repeats=1, figure_sizes=(5,), caps=dict(box=(1, 3), prior=(5, 20)),
                  reproduce=False, sweep_skip=('empirical_loop', 'box', 'prior', 'box_l1'),
                  many=3, study_seeds=None,
                  sweeps=SWEEPS_SMALL),
    'full': dict(repeats=7, loop_repeats=3, max_seconds=20., train_rows=None, epochs=10,
                 one_epoch=True, train_repeats=2, slp_iter=200, load_repeats=3,
                 import_repeats=5, figure_sizes=(5, 10),
                 caps=dict(box=(1, 2, 3, 5, 10, 30), prior=(5, 10, 20, 50, 100, 200)),
                 reproduce=True, sweep_skip=(), sweeps=SWEEPS_FULL, many=10, study_seeds=10),
}


@dataclass
class Place:
    "Where a run works: `reproduce`'s outputs and private cache, the ten-digit copy, the log"
    work: Path
    keep10: Path  # None: the ten-digit figures are not kept
    log: object   # called with a message when a section is done

    @property
    def cache(self) -> Path:
        return self.work / 'cache'


def run_imports(s: dict, at: Place):
    return bench_imports(s['import_repeats'])


def run_data_load(s: dict, at: Place):
    return bench_data_load(5, s['load_repeats'])


def run_figures(s: dict, at: Place):
    return [bench_figures(k, s['load_repeats']) for k in s['figure_sizes']]


def run_empirical(s: dict, at: Place):
    return bench_empirical(paper_nets(), s['repeats'], s['loop_repeats'])


def run_methods(s: dict, at: Place):
    return bench_methods(paper_nets(), s['repeats'], s['max_seconds'])


def run_convergence(s: dict, at: Place):
    return bench_convergence(paper_nets(), s['caps'])


def run_training(s: dict, at: Place):
    data = load_mnist(5)
    data = subset(data, s['train_rows']) if s['train_rows'] else data
    mlp = bench_mlp_training(data, s['epochs'], s['train_repeats'], one_epoch=s['one_epoch'])
    plain = mlp['configs']['steps_per_execution=1']['per_epoch_s']
    mlp['fast'] = bench_fast_training(data, s['epochs'], s['train_repeats'], s['one_epoch'], plain,
                                      s['many'])
    return dict(mlp=mlp, slp=bench_slp_training(data, s['slp_iter']))


def run_study(s: dict, at: Place):
    return bench_study(at.work, s['study_seeds'])


def run_reproduce(s: dict, at: Place):
    shutil.rmtree(at.cache / 'models', ignore_errors=True)  # the ten-class networks: first use
    with environ(NNINVERT_CACHE=str(at.cache)):
        load_mnist(10)
    return bench_reproduce(at.work, at.cache, at.keep10)


def run_scaling(s: dict, at: Place):
    trained, rows = trained_nets(at.cache, s['sweeps']['classes']), []
    for axis, values in s['sweeps'].items():
        rows += bench_sweep(axis, values, s['repeats'], s['loop_repeats'], trained,
                            s['sweep_skip'], s['max_seconds'])
        at.log(f'  {axis} sweep')
    return rows


def run_profile(s: dict, at: Place):
    args = ['--out', str(at.work / 'profiled'), '--retrain']
    return profile_reproduce(args, dict(NNINVERT_CACHE=str(at.cache)))


SECTIONS = {  # name: the function that runs it, in the order they run
    'imports': run_imports, 'data_load': run_data_load, 'figures': run_figures,
    'empirical': run_empirical, 'methods': run_methods, 'convergence': run_convergence,
    'training': run_training, 'reproduce': run_reproduce, 'scaling': run_scaling,
    'profile': run_profile, 'study': run_study,
}
FULL_ONLY = ('reproduce', 'profile', 'study')  # sections of the full setting only


def sections_of(mode: str, only=None) -> list:
    "The sections a run of `mode` runs, in order (`only` some of them)"
    bad = set(only or ()) - set(SECTIONS)
    if bad:
        raise ValueError(f"only must name sections among {tuple(SECTIONS)}, got {sorted(bad)}")
    names = [n for n in SECTIONS if SETTINGS[mode]['reproduce'] or n not in FULL_ONLY]
    return [n for n in names if not only or n in only]


def progress(on: bool = True, prefix: str = 'benchmarks'):
    "A function that prints a message on stderr with the seconds since it was made"
    t0 = time.perf_counter()

    def log(msg: str):
        if on:
            print(f"{prefix}: [{time.perf_counter() - t0:5.1f} s] {msg}", file=sys.stderr,
                  flush=True)
    return log


def start(mode: str, previous: dict = None) -> dict:
    "The results to fill: a copy of `previous` (when updating it) with fresh metadata"
    res = json.loads(json.dumps(previous)) if previous else {}
    s, cmd = SETTINGS[mode], 'python benchmarks/run.py' + (' --small' if mode == 'small' else '')
    meta = dict(res.get('meta', {}), mode=mode, command=cmd, settings=s, machine=machine_info(),
                versions=versions())
    meta.setdefault('started', time.strftime('%Y-%m-%d %H:%M:%S %z'))
    meta.setdefault('sections', {})
    res['meta'] = meta
    res['skipped'] = {}  # kept for the file's structure: every method ships with the package
    return res


def finish(res: dict) -> dict:
    "Add the slopes, the headline, the total seconds and the load average at the end"
    if 'scaling' in res:
        res['slopes'] = slopes(res['scaling'])
    res['headline'] = headline(res)
    res['meta']['seconds'] = round(sum(v['seconds'] for v in res['meta']['sections'].values()), 1)
    res['meta']['load_average_end'] = machine_info()['load_average']
    return res


def run_benchmarks(
    small: bool = True,      # the CI setting (under a minute) or the full one
    work=None,               # folder for `reproduce`'s outputs and cache (default: temporary)
    keep10=None,             # where to copy the 10-class figures and scorecard (full run)
    log: bool = True,        # one line per section on stderr
    only=None,               # run only these sections, updating `previous`
    previous: dict = None,   # earlier results of the same setting, to update
) -> dict:
    "Run every benchmark of one setting (or `only` some); the results as plain data"
    mode = 'small' if small else 'full'
    names, s = sections_of(mode, only), SETTINGS[mode]
    res, now = start(mode, previous if only else None), time.strftime('%Y-%m-%d %H:%M:%S %z')
    with tempfile.TemporaryDirectory() as tmp:
        at = Place(Path(work or tmp), keep10, progress(log))
        for name in names:
            t = time.perf_counter()
            res[name] = SECTIONS[name](s, at)
            res['meta']['sections'][name] = dict(seconds=round(time.perf_counter() - t, 1), at=now)
            at.log(name)
    return finish(res)


def headline_empirical(res: dict) -> dict:
    emp = {r['model']: r for r in res['empirical']}
    return dict(empirical_mlp_loop_s=emp['mlp']['loop_s'],
                empirical_mlp_vectorised_s=emp['mlp']['vectorised_s'],
                empirical_mlp_ratio=emp['mlp']['ratio'], empirical_slp_ratio=emp['slp']['ratio'])


def headline_training(res: dict) -> dict:
    tr = res['training']['mlp']
    plain, package = tr['configs'].values()
    out = dict(fit_plain_s_per_epoch=plain['per_epoch_s'],
               fit_package_s_per_epoch=package['per_epoch_s'], fit_ratio=tr['ratio'],
               fit_weights_identical=tr['identical'], slp_fit_s=res['training']['slp']['seconds'])
    if 'fast' in tr:
        f = tr['fast']
        out.update(fit_mlps_s_per_epoch=f['one']['per_epoch_s'], fit_mlps_ratio=f['ratio_one'],
                   fit_mlps_many=f['together']['networks'],
                   fit_mlps_many_s_per_network_epoch=f['together']['per_network_epoch_s'],
                   fit_mlps_many_ratio=f['ratio_together'])
    return out


def headline_study(res: dict) -> dict:
    first, cached = res['study']['runs']
    return dict(study_seeds=first['seeds'], study_empty_cache_s=first['wall_s'],
                study_cached_s=cached['wall_s'],
                study_peak_mib=max(first['max_rss_mib'], cached['max_rss_mib']))


def headline_data_load(res: dict) -> dict:
    d = res['data_load']
    return dict(data_first_s=d['first_s'], data_cached_s=d['cached_s'], data_ratio=d['ratio'])


def headline_imports(res: dict) -> dict:
    imp = {r['what']: r for r in res['imports']}
    return dict(import_nninvert_s=imp['import nninvert']['seconds'],
                help_s=imp['nninvert --help']['seconds'],
                help_imports_tensorflow=imp['nninvert --help']['tensorflow_imported'])


def headline_reproduce(res: dict) -> dict:
    out = {}
    for r in res['reproduce']:
        key = ' '.join(['reproduce'] + r['args']) + (' (cached)' if 'cached' in r['label'] else '')
        out[key] = dict(wall_s=r['wall_s'], max_rss_mib=r['max_rss_mib'], exit=r['exit'])
    return out


HEADLINES = {'empirical': headline_empirical, 'training': headline_training,
             'data_load': headline_data_load, 'imports': headline_imports,
             'reproduce': headline_reproduce, 'study': headline_study}  # in the order the README quotes them


def headline(res: dict) -> dict:
    "The ratios and timings a README quotes (those of the sections present)"
    m = res['meta']['machine']
    h = dict(machine=f"{m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB")
    for name, part in HEADLINES.items():
        if name in res:
            h.update(part(res))
    return h


def plain(o):
    "A JSON-able copy: numpy scalars and arrays as Python, NaN and infinities as `None`"
    if isinstance(o, dict):
        return {str(k): plain(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [plain(v) for v in o]
    if hasattr(o, 'tolist'):
        return plain(o.tolist())
    if isinstance(o, float) and not math.isfinite(o):
        return None
    return o


def write_results(res: dict, path) -> Path:
    "Write `res` as strict JSON, atomically (a temporary file beside it, then a rename)"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f'.{path.name}.tmp-{os.getpid()}')
    tmp.write_text(json.dumps(plain(res), indent=1, allow_nan=False))
    os.replace(tmp, path)
    return path


def load_results(path) -> dict:
    "Read a results file written by `write_results`"
    return json.loads(Path(path).read_text())

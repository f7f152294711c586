"What a user waits for first: importing nninvert, `nninvert --help`, loading MNIST"
import shutil
import sys
import tempfile
from importlib.metadata import entry_points
from pathlib import Path

from nninvert.data import load_mnist

from .measure import environ, run_checked, timed


def cli_entry() -> tuple:
    "`(module, function)` of the `nninvert` console script, from the package's metadata"
    (ep,) = entry_points(group='console_scripts', name='nninvert')
    return ep.module, ep.attr


def nninvert_command() -> list:
    "The `nninvert` console script beside this Python, else the same function through `python -c`"
    exe = Path(sys.executable).parent / 'nninvert'
    if exe.is_file():
        return [str(exe)]
    if shutil.which('nninvert'):
        return [shutil.which('nninvert')]
    module, attr = cli_entry()
    return [sys.executable, '-c', f'import sys\nfrom {module} import {attr}\nsys.exit({attr}())']


PAPER_IMPORTS = 'import nninvert.empirical, nninvert.pinv, nninvert.filters'


def imports() -> dict:
    "What a user runs, by label: Python code timed in a fresh interpreter"
    cli = cli_entry()[0]
    return {'import nninvert': 'import nninvert',
            f'import {cli} (the CLI)': f'import {cli}',
            "import the paper's methods": PAPER_IMPORTS}


PROBE = "import sys\n{code}\nprint('TF_LOADED=%d' % ('tensorflow' in sys.modules), file=sys.stderr)"


def probe(code: str) -> list:
    "A command that runs `code` in a fresh interpreter, then says whether TensorFlow got imported"
    return [sys.executable, '-c', PROBE.format(code=code)]


def help_code() -> str:
    "Python code that does what `nninvert --help` does"
    module, attr = cli_entry()
    lines = [f"from {module} import {attr}", "try:", f"    {attr}(['--help'])",
             "except SystemExit:", "    pass"]
    return '\n'.join(lines)


def loads_tensorflow(code: str) -> bool:
    "Whether running `code` in a fresh interpreter imports TensorFlow"
    return 'TF_LOADED=1' in run_checked(probe(code)).stderr


def bench_imports(repeats: int = 5) -> list:
    "Wall seconds of each import and of `nninvert --help` in a fresh interpreter, minus a bare one"
    base = timed(lambda: run_checked([sys.executable, '-c', 'pass']), repeats).median
    rows = [dict(what='python -c pass (subtracted)', seconds=base, tensorflow_imported=False)]
    for what, code in imports().items():
        t = timed(lambda: run_checked(probe(code)), repeats, warmup=0)
        rows.append(dict(what=what, seconds=max(0., t.median - base),
                         tensorflow_imported='TF_LOADED=1' in t.value.stderr))
    t = timed(lambda: run_checked(nninvert_command() + ['--help']), repeats, warmup=0).median
    rows.append(dict(what='nninvert --help', seconds=max(0., t - base),
                     tensorflow_imported=loads_tensorflow(help_code())))
    return rows


def first_load(n_classes: int, parent: str):
    "`load_mnist` in a fresh cache folder inside `parent`: verify, decode and cache the file"
    with tempfile.TemporaryDirectory(dir=parent) as sub, environ(NNINVERT_CACHE=sub):
        return load_mnist(n_classes)


def bench_data_load(n_classes: int = 5, repeats: int = 3, cache=None) -> dict:
    "First (decode and cache) and cached `load_mnist`, in fresh temporary `NNINVERT_CACHE`s"
    with tempfile.TemporaryDirectory(dir=cache) as d:
        t1 = timed(lambda: first_load(n_classes, d), repeats, warmup=0)
        with environ(NNINVERT_CACHE=d):
            load_mnist(n_classes)
            t2 = timed(lambda: load_mnist(n_classes), repeats, warmup=0)
    return dict(n_classes=n_classes, first_s=t1.median, cached_s=t2.median,
                ratio=t1.median / t2.median, repeats=repeats)

"`nninvert study`: wall time and peak memory from an empty cache and once cached"
import tempfile
from pathlib import Path

from .measure import measure_command
from .startup import nninvert_command


def bench_study(work: Path, seeds: int = 10) -> dict:
    "Run `nninvert study --seeds N` twice with a new, empty model cache: first use, then cached"
    cache = Path(tempfile.mkdtemp(dir=work, prefix='study-cache-'))
    out = Path(work) / 'study'
    cmd = nninvert_command() + ['study', '--out', str(out), '--seeds', str(seeds)]
    runs = []
    for label in ('empty cache (trains 9 SLPs and 9 MLPs; seed 0 ships)', 'cached networks'):
        r = measure_command(cmd, env=dict(NNINVERT_CACHE=str(cache)))
        runs.append(dict(label=label, seeds=seeds, **r))
    return dict(runs=runs)

"The machine a run measured: CPU, cores, memory, BLAS, load, and the libraries' versions"
import os
import platform
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

PACKAGES = ('nninvert', 'numpy', 'scipy', 'scikit-learn', 'tensorflow', 'keras', 'matplotlib')


def cpu_model() -> str:
    "The CPU's model name from /proc/cpuinfo, else what `platform` says"
    try:
        lines = Path('/proc/cpuinfo').read_text().splitlines()
    except OSError:
        lines = []
    names = [line.split(':', 1)[1].strip() for line in lines if line.startswith('model name')]
    return names[0] if names else platform.processor() or platform.machine()


def cores() -> int:
    "The cores this process may run on"
    if hasattr(os, 'sched_getaffinity'):
        return len(os.sched_getaffinity(0))
    return os.cpu_count()


def memory_gib() -> float:
    "Physical memory in GiB (NaN where the system does not say)"
    if not hasattr(os, 'sysconf'):
        return float('nan')
    return round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30, 1)


def blas() -> str:
    "The BLAS numpy was built with"
    try:
        return np.show_config(mode='dicts')['Build Dependencies']['blas']['name']
    except Exception:  # a numpy without `mode`, or a build that does not say
        return 'unknown'


def load_average():
    "The 1, 5 and 15-minute load averages now, `None` where the system has none"
    if not hasattr(os, 'getloadavg'):
        return None
    return [round(x, 2) for x in os.getloadavg()]


def machine_info() -> dict:
    "CPU model, cores, memory, platform, Python, BLAS and the load average now"
    return dict(cpu=cpu_model(), cores=cores(), memory_gib=memory_gib(),
                platform=platform.platform(), python=platform.python_version(), blas=blas(),
                load_average=load_average())


def installed(package: str):
    "The installed version of `package` from its metadata (nothing is imported), else `None`"
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def versions(packages=PACKAGES) -> dict:
    "The installed version of each package, `None` if missing"
    return {p: installed(p) for p in packages}

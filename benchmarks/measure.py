"Measuring: seconds per call in this process; wall time and peak memory of a child process"
import os
import re
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from nninvert.cache import environ  # the package's own; the harness re-exports it


@dataclass
class Timing:
    "Seconds per call of each repeat, the calls per repeat, and the last call's return value"
    times: list
    number: int = 1
    value: object = None

    @property
    def median(self) -> float:
        return float(np.median(self.times))

    def json(self) -> dict:
        "What a results file keeps of it"
        return dict(median=self.median, min=float(min(self.times)), repeats=len(self.times),
                    number=self.number)


def calls_per_repeat(dt, min_seconds: float) -> int:
    "Calls per repeat so that a repeat lasts at least `min_seconds`, if one call took `dt`"
    if dt is None or dt >= min_seconds:
        return 1
    return int(min(10_000, np.ceil(min_seconds / max(dt, 1e-7))))


def affordable(repeats: int, dt, max_seconds) -> int:
    "Fewer repeats (at least 1) if `repeats` calls of `dt` seconds would last over `max_seconds`"
    if dt is None or not max_seconds or dt * repeats <= max_seconds:
        return repeats
    return max(1, min(repeats, int(max_seconds / dt)))


def timed(
    fn,                        # called with no arguments
    repeats: int = 5,          # timed repeats
    warmup: int = 1,           # untimed calls first (the last one also sets the calls per repeat)
    min_seconds: float = 0.005,  # a faster function is called in a loop until a repeat lasts this
    max_seconds: float = None,   # fewer repeats if the warm-up says they would last longer
    clock=time.perf_counter,   # the clock (a test may pass a fake one)
) -> Timing:
    "Time `fn()`: `repeats` durations per call, after `warmup` untimed calls"
    if not isinstance(repeats, int) or repeats < 1:
        raise ValueError(f"repeats must be an int >= 1, got {repeats!r}")
    value, dt = None, None
    for _ in range(warmup):
        t0 = clock()
        value = fn()
        dt = clock() - t0
    number, times = calls_per_repeat(dt, min_seconds), []
    for _ in range(affordable(repeats, dt, max_seconds)):
        t0 = clock()
        for _ in range(number):
            value = fn()
        times.append((clock() - t0) / number)
    return Timing(times, number, value)


@contextmanager
def quiet():
    "Within the block, no `UserWarning`s: inputs far outside the box, capped runs stopping early"
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', UserWarning)
        yield


def run_checked(cmd: list, env: dict = None) -> subprocess.CompletedProcess:
    "Run `cmd` with its output captured; `RuntimeError` with the end of its stderr if it fails"
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode:
        what = ' '.join(map(str, cmd[:3]))
        raise RuntimeError(f"{what} ... failed ({p.returncode}): {p.stderr[-500:]}")
    return p


def field(text: str, label: str):
    "The value after `label:` in GNU `time -v` output, `None` if absent"
    m = re.search(rf'{re.escape(label)}:\s*(\S+)', text)
    return m.group(1) if m else None


def clock_seconds(clock: str) -> float:
    "`h:mm:ss`, `m:ss` or `s` as seconds"
    parts = [float(p) for p in clock.split(':')]
    return sum(p * 60**i for i, p in enumerate(reversed(parts)))


def parse_time_v(text: str) -> dict:
    "Wall seconds, user and system seconds and peak RSS (MiB) from GNU `time -v` output"
    wall = field(text, 'Elapsed (wall clock) time (h:mm:ss or m:ss)')
    user, system = field(text, 'User time (seconds)'), field(text, 'System time (seconds)')
    rss = field(text, 'Maximum resident set size (kbytes)')
    return dict(wall_s=clock_seconds(wall) if wall else None,
                user_s=None if user is None else float(user),
                system_s=None if system is None else float(system),
                max_rss_mib=float(rss) / 1024 if rss else None)


STEP = re.compile(r'^nninvert: \[\s*([\d.]+) s\] (.*)$')  # a progress line of `nninvert`


def progress_lines(text: str) -> list:
    "`(seconds, message)` of each `nninvert: [  t s] message` progress line"
    return [(float(m.group(1)), m.group(2)) for m in map(STEP.match, text.splitlines()) if m]


GNU_TIME = Path('/usr/bin/time')

RUSAGE = '''
import resource, subprocess, sys, time
t = time.perf_counter()
code = subprocess.run(sys.argv[1:]).returncode
wall = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"Elapsed (wall clock) time (h:mm:ss or m:ss): {wall}", file=sys.stderr)
print(f"User time (seconds): {u.ru_utime}", file=sys.stderr)
print(f"System time (seconds): {u.ru_stime}", file=sys.stderr)
print(f"Maximum resident set size (kbytes): {u.ru_maxrss}", file=sys.stderr)
sys.exit(code)
'''  # what GNU `time -v` says, for machines without it


def time_command(cmd: list) -> list:
    "`cmd` under `/usr/bin/time -v`, or under a Python wrapper that prints the same from getrusage"
    if GNU_TIME.is_file():
        return [str(GNU_TIME), '-v', *cmd]
    return [sys.executable, '-c', RUSAGE, *cmd]


def measure_command(cmd: list, env: dict = None) -> dict:
    "Run `cmd` in a child process: exit code, wall time, peak RSS, its progress lines"
    p = subprocess.run(time_command(cmd), capture_output=True, text=True,
                       env=dict(os.environ, **(env or {})))
    return dict(parse_time_v(p.stderr), exit=p.returncode,
                timer='GNU time -v' if GNU_TIME.is_file() else 'getrusage',
                steps=progress_lines(p.stderr), stderr_tail=p.stderr[-800:] if p.returncode else '')

"The methods side by side, all classes at once: the empirical loop against one batch, every method"
import inspect

import numpy as np

from nninvert.empirical import empirical, empirical_loop
from nninvert.net import z_targets

from .measure import quiet, timed
from .subjects import iterative_methods, methods, residual

CAP_OPTIONS = ('max_iter', 'maxiter', 'iters', 'n_iter', 'steps', 'max_steps')  # iteration caps


def bench_method(fn, net, Z, repeats: int = 5, warmup: int = 1, max_seconds: float = 20.,
                 **options) -> dict:
    "Median seconds of `fn(net, Z, **options)` for all rows of `Z` at once, and its residual"
    t = timed(lambda: fn(net, Z, **options), repeats, warmup, max_seconds=max_seconds)
    return dict(t.json(), seconds=t.median, **residual(net, np.asarray(t.value, np.float64), Z))


def repeats_of(name: str, repeats: int, loop_repeats: int) -> tuple:
    "`(repeats, warmup)` of a method: the paper's slow loop gets its own repeats and no warm-up"
    if name == 'empirical_loop':
        return loop_repeats, 0
    return repeats, 1


def empirical_row(model: str, net, repeats: int, loop_repeats: int) -> dict:
    "The paper's per-pixel loop against the vectorised `empirical` on one network, all classes"
    Z = z_targets(net.n_out)
    loop = timed(lambda: empirical_loop(net, Z), loop_repeats, warmup=0)
    vec = timed(lambda: empirical(net, Z), repeats)
    return dict(model=model, classes=net.n_out, loop_s=loop.median, vectorised_s=vec.median,
                ratio=loop.median / vec.median,
                identical=bool(np.array_equal(loop.value, vec.value)),
                loop_repeats=len(loop.times), repeats=repeats)


def bench_empirical(
    nets: dict,             # model name -> DenseNet
    repeats: int = 5,       # repeats of the vectorised version
    loop_repeats: int = 3,  # repeats of the loop (slow)
) -> list:                  # one row per model
    "The paper's per-pixel loop against the vectorised `empirical`, same network and targets"
    return [empirical_row(m, net, repeats, loop_repeats) for m, net in nets.items()]


def bench_methods(nets: dict, repeats: int, max_seconds: float = 20.) -> list:
    "Every method on every model, all classes at once: median seconds and residual"
    rows = []
    for model, net in nets.items():
        for name, (fn, opts) in methods(model).items():
            n, warmup = repeats_of(name, repeats, max(1, repeats // 3))
            r = bench_method(fn, net, z_targets(net.n_out), n, warmup, max_seconds, **opts)
            rows.append(dict(model=model, method=name, classes=net.n_out, **r))
    return rows


def convergence(fn, net, Z, caps, **options):
    "Residual reached against time, `fn` run once with each iteration cap; `None` if it has none"
    names = [n for n in CAP_OPTIONS if n in inspect.signature(fn).parameters]
    if not names:
        return None
    rows = []
    for cap in caps:
        with quiet():  # a capped run stops before it converges: that is what is measured
            t = timed(lambda: fn(net, Z, **{names[0]: cap}, **options), 1, warmup=0)
        X = np.asarray(t.value, np.float64)
        rows.append(dict(cap=cap, option=names[0], seconds=t.median, **residual(net, X, Z)))
    return rows


def bench_convergence(nets: dict, caps: dict) -> dict:
    "Residual against time of each iterative method (`caps`: kind -> the caps to try)"
    out = {}
    for key, (fn, kind) in iterative_methods(nets).items():
        net = nets[key.split('/')[0]]
        out[key] = convergence(fn, net, z_targets(net.n_out), caps[kind])
    return out

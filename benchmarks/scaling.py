"How each method's cost grows with the hidden width, the depth and the number of classes"
import numpy as np

from nninvert.net import z_targets

from .measure import quiet
from .methods import bench_method, repeats_of
from .subjects import fixed_work, methods, random_net

AXES = ('width', 'depth', 'classes')


def shapes(net) -> list:
    "The `(m, n)` shape of each layer's weights"
    return [layer.W.shape for layer in net.layers]


def op_count(method: str, net, k: int = None):
    "The leading operation count of `method` on `net` for `k` target rows (None: no model of it)"
    k = net.n_out if k is None else k
    S, n_in = shapes(net), net.n_in
    mn = sum(m * n for m, n in S)
    svd = sum(m * n * min(m, n) for m, n in S)
    if method == 'pinv':
        return svd
    if method.startswith('pinv_'):
        return svd + sum(m * n * np.log2(m * n) for m, n in S)
    if method == 'empirical':
        return n_in * (mn - n_in * S[0][1]) + n_in * S[0][1] + k * n_in * np.log2(n_in)
    if method == 'empirical_loop':
        return n_in * k * mn
    if method in ('box', 'box_optimise'):
        return 2 * k * net.n_out * mn  # a Jacobian: one backward pass per logit and row
    if method in ('prior', 'prior_guided'):
        return 2 * k * mn
    return None


def fit_slope(x, y) -> float:
    "Slope of the least-squares line through `(log x, log y)`"
    x, y = np.log(np.asarray(x, float)), np.log(np.asarray(y, float))
    if len(x) < 2 or not np.all(np.isfinite(y)):
        return float('nan')
    return float(np.polyfit(x, y, 1)[0])


def sweep_nets(axis: str, values, trained: dict = None, seed: int = 0) -> dict:
    "`{x: {model: net}}`: random nets for 'width' and 'depth'; 'classes': the trained ones if any"
    if axis == 'width':
        return {w: {'mlp': random_net((w, w), seed=seed)} for w in values}
    if axis == 'depth':
        return {d: {'mlp': random_net((30,) * d, seed=seed)} for d in values}
    if axis != 'classes':
        raise ValueError(f"axis must be one of {AXES}, got {axis!r}")
    if trained and all(n in trained for n in values):
        return {n: trained[n] for n in values}
    return {n: {'slp': random_net((), n, seed=seed), 'mlp': random_net((30, 30), n, seed=seed)}
            for n in values}


def sweep_rows(axis, x, model, net, repeats, loop_repeats, skip, max_seconds) -> list:
    "One row per method of `model` at one point of a sweep"
    Z, rows = z_targets(net.n_out), []
    for name, (fn, opts) in methods(model).items():
        if name in skip:
            continue
        fn, extra = fixed_work(name, fn, net)
        n, warmup = repeats_of(name, repeats, loop_repeats)
        with quiet():  # fixed work: the iterative methods stop before they converge
            r = bench_method(fn, net, Z, n, warmup, max_seconds, **dict(opts, **extra))
        rows.append(dict(axis=axis, x=x, model=model, method=name, seconds=r['seconds'],
                         ops=op_count(name, net), z_l2=r['z_l2'],
                         trained=net.meta.get('model') != 'random'))
    return rows


def bench_sweep(axis: str, values, repeats: int = 3, loop_repeats: int = 1, trained: dict = None,
                skip=(), max_seconds: float = 20.) -> list:
    "Median seconds of every method, all classes, at each point of a sweep"
    rows = []
    for x, nets in sweep_nets(axis, values, trained).items():
        for model, net in nets.items():
            rows += sweep_rows(axis, x, model, net, repeats, loop_repeats, skip, max_seconds)
    return rows


def slope_row(rows: list) -> dict:
    "Measured and operation-count slopes of one method's rows of one sweep"
    rs = sorted(rows, key=lambda r: r['x'])
    xs = [r['x'] for r in rs]
    ops = [r['ops'] for r in rs]
    theory = fit_slope(xs, ops) if all(ops) else float('nan')
    return dict(axis=rs[0]['axis'], model=rs[0]['model'], method=rs[0]['method'], points=len(rs),
                x=f'{xs[0]}–{xs[-1]}', measured=fit_slope(xs, [r['seconds'] for r in rs]),
                theory=theory)


def sweep_key(row) -> tuple:
    "A sweep row's axis, model and method"
    return row['axis'], row['model'], row['method']


def slopes(rows) -> list:
    "Measured and operation-count slopes of `log t` against `log x`, per axis, model and method"
    keys = sorted({sweep_key(r) for r in rows})
    return [slope_row([r for r in rows if sweep_key(r) == k]) for k in keys]

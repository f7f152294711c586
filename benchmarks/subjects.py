"What is measured: the package's networks and methods, and random networks of the paper's kind"
from functools import lru_cache
from pathlib import Path

import numpy as np

from nninvert.box import box_optimise
from nninvert.prior import default_prior, prior_guided, typical_margin
from nninvert.report import BEYOND
from nninvert.data import load_mnist
from nninvert.empirical import empirical, empirical_loop
from nninvert.filters import pinv_middle, pinv_top_bottom
from nninvert.mlp import load_mlp
from nninvert.pinv import invert_pinv
from nninvert.net import DenseNet
from nninvert.slp import load_slp
from nninvert.trained import WEIGHTS_DIR

from .measure import environ, quiet

PAPER_METHODS = {  # name: (function, options), as the report runs them
    'empirical': (empirical, {}),
    'empirical_loop': (empirical_loop, {}),
    'pinv': (invert_pinv, {'bias': True}),
    'pinv_top_bottom': (pinv_top_bottom, {'p': 0.02}),
    'pinv_middle': (pinv_middle, {'p': 0.2}),
}


def methods(model: str) -> dict:
    "`{name: (fn, options)}` of every method that applies to `model` ('slp' or 'mlp')"
    out = dict(PAPER_METHODS)
    for step in BEYOND:  # the report's methods beyond the paper, with their defaults
        if step.model == model:
            out[step.method] = (step.fn, dict(step.options))
    return out


def random_net(
    hidden=(30, 30),      # hidden widths (empty: a single-layer perceptron)
    n_classes: int = 5,   # logits
    n_in: int = 784,      # inputs
    alpha: float = 0.01,  # LeakyReLU slope
    seed: int = 0,        # random seed
) -> DenseNet:            # He-normal weights, zero biases
    "A random-initialised LeakyReLU `DenseNet` of the paper's kind, for timing"
    rng = np.random.default_rng(seed)
    sizes = [n_in, *hidden, n_classes]
    acts = [{'name': 'leaky_relu', 'alpha': alpha}] * len(hidden) + ['identity']
    shapes = zip(sizes[:-1], sizes[1:])
    layers = [(rng.normal(0, np.sqrt(2 / a), (a, b)), np.zeros(b), act)
              for (a, b), act in zip(shapes, acts)]
    return DenseNet(layers, meta=dict(model='random', hidden=list(hidden), seed=seed))


def paper_nets() -> dict:
    "The package's trained networks of the paper (five digits, shipped)"
    return {'slp': load_slp(), 'mlp': load_mlp()}


def has_weights(cache: Path, n_classes: int) -> bool:
    "Whether both seed-0 networks of `n_classes` ship with the package or are in `cache`"
    sfx = '' if n_classes == 5 else f'_{n_classes}cls'
    files = [f'{m}_seed0{sfx}.npz' for m in ('slp', 'mlp')]
    return all((WEIGHTS_DIR / f).is_file() or (Path(cache) / 'models' / f).is_file() for f in files)


def trained_nets(cache: Path, classes) -> dict:
    "`{n: {model: net}}` for each number of classes whose networks exist (none is trained here)"
    with environ(NNINVERT_CACHE=str(cache)):
        return {n: {'slp': load_slp(0, n), 'mlp': load_mlp(0, n)}
                for n in classes if has_weights(cache, n)}


@lru_cache(maxsize=None)
def mnist(n_classes: int):
    "MNIST of `n_classes` digits, loaded once (the prior and the margin are fitted on it)"
    return load_mnist(n_classes)


def residual(net: DenseNet, X, Z) -> dict:
    "Worst class's `z_l2` = ‖z(x) − z′‖₂, smallest target probability, share of pixels in [-1, 1]"
    Z = np.asarray(Z, np.float64)
    with quiet():  # the pseudo-inverse of the MLP returns pixels of size 1e6, and that is measured
        z_l2 = np.linalg.norm(net.logits(X) - Z, axis=1).max()
        p = net.proba(X)[np.arange(len(Z)), Z.argmax(1)]
    return dict(z_l2=float(z_l2), min_target_prob=float(p.min()),
                in_box=float(np.mean(np.abs(X) <= 1 + 1e-9)))


def prior_options(net: DenseNet, **extra) -> dict:
    "The report's options of `prior_guided` on `net`: its prior, λ = 1, the typical margin"
    data = mnist(net.n_out)
    return dict(prior=default_prior(data), lam=1., margin=typical_margin(net, data), **extra)


def fixed_work(name: str, fn, net: DenseNet) -> tuple:
    "`(fn, options)` for the sweeps: the iterative methods with a fixed amount of work"
    if name == 'box':
        return fn, dict(starts=1, iters=5, tol=0.0)  # 5 Gauss–Newton steps from one start
    if name == 'prior':
        return prior_guided, prior_options(net, maxiter=20)  # 20 L-BFGS iterations
    return fn, {}


def capped_prior(net: DenseNet):
    "`prior_guided` with the report's options on `net`, its iteration cap `maxiter` left open"
    opts = prior_options(net)

    def prior(net, Z, maxiter: int):
        return prior_guided(net, Z, maxiter=maxiter, **opts)
    return prior


def iterative_methods(nets: dict) -> dict:
    "`{'model/method': (fn, kind)}`: the iterative methods, each with an iteration cap to vary"
    out = {f'{m}/prior': (capped_prior(net), 'prior') for m, net in nets.items()}
    if 'mlp' in nets:
        out['mlp/box'] = (box_optimise, 'box')
    return out

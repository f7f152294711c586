"Fitting the paper's two networks: the MLP with Keras's `fit` (with and without `steps_per_execution`) and with `fit_mlps`, the SLP"
import numpy as np

from nninvert.data import MNIST
from nninvert.fit import fit_mlps
from nninvert.mlp import import_tf, train_mlp
from nninvert.slp import train_slp

from .measure import timed


def subset(data: MNIST, n: int) -> MNIST:
    "The first `n` training images of `data` (all its test images), for quick timing runs"
    return MNIST(data.x_train[:n], data.y_train[:n], data.x_test, data.y_test, data.n_classes)


def keras_weights(model) -> list:
    "A Keras model's weights as float64 arrays"
    return [np.asarray(w, np.float64) for w in model.get_weights()]


def fit_times(data: MNIST, spe: int, epochs: int, repeats: int, seed: int, one_epoch: bool):
    "`(row, weights)`: seconds per epoch of the MLP fitted with `steps_per_execution=spe`"
    def fit(e):
        return train_mlp(data, seed, epochs=e, steps_per_execution=spe)
    tE = timed(lambda: fit(epochs), repeats, warmup=0)
    weights, loss = keras_weights(tE.value[0]), tE.value[1]['loss'][-1]
    t1 = timed(lambda: fit(1), repeats, warmup=0) if one_epoch and epochs > 1 else None
    import_tf()[1].backend.clear_session()
    per = (tE.median - t1.median) / (epochs - 1) if t1 else tE.median / epochs
    row = dict(steps_per_execution=spe, one_epoch_s=t1.median if t1 else None,
               total_s=tE.median, per_epoch_s=per, setup_s=t1.median - per if t1 else None,
               final_loss=loss)
    return row, weights


def bench_mlp_training(
    data: MNIST,             # training data
    epochs: int = 10,        # epochs of each timed fit; the weights are compared after these
    repeats: int = 1,        # repeats of each fit
    seed: int = 0,           # training seed (the same for both configurations)
    configs=(1, 64),         # `steps_per_execution`: the paper's plain `fit`, the package's
    one_epoch: bool = True,  # also time 1 epoch, to take the set-up out of the time per epoch
) -> dict:
    "Seconds per epoch of the MLP for each `steps_per_execution`; how far the weights differ"
    fits = {spe: fit_times(data, spe, epochs, repeats, seed, one_epoch) for spe in configs}
    out = {f'steps_per_execution={spe}': row for spe, (row, _) in fits.items()}
    a, b = (fits[c][1] for c in configs[:2])
    diff = max(float(np.abs(x - y).max()) for x, y in zip(a, b))
    plain, package = (fits[c][0]['per_epoch_s'] for c in configs[:2])
    return dict(rows=len(data.y_train), epochs=epochs, repeats=repeats, configs=out,
                max_abs_weight_diff=diff, identical=diff == 0.0, ratio=plain / package)


def bench_slp_training(data: MNIST, max_iter: int = 200, repeats: int = 1, seed: int = 0) -> dict:
    "Seconds to fit the paper's SLP, and per iteration"
    t = timed(lambda: train_slp(data, seed, max_iter=max_iter), repeats, warmup=0)
    n = int(t.value.n_iter_)
    return dict(rows=len(data.y_train), max_iter=max_iter, n_iter=n, seconds=t.median,
                per_iter_s=t.median / n, repeats=repeats)


def fast_times(data: MNIST, seeds, epochs: int, repeats: int, one_epoch: bool) -> dict:
    "Seconds per epoch of `fit_mlps` training `len(seeds)` networks in one compiled graph"
    def fit(e):
        return fit_mlps(data.x_train, data.y_train, list(seeds), epochs=e)
    tE = timed(lambda: fit(epochs), repeats, warmup=0)
    t1 = timed(lambda: fit(1), repeats, warmup=0) if one_epoch and epochs > 1 else None
    per = (tE.median - t1.median) / (epochs - 1) if t1 else tE.median / epochs
    return dict(networks=len(seeds), total_s=tE.median, per_epoch_s=per,
                per_network_epoch_s=per / len(seeds), setup_s=t1.median - per if t1 else None,
                final_loss=tE.value[0]['history']['loss'][-1])


def bench_fast_training(data: MNIST, epochs: int, repeats: int, one_epoch: bool,
                        plain_per_epoch: float, many: int = 10) -> dict:
    "`fit_mlps` for one network and for `many` together, against plain `fit` in the same run"
    one = fast_times(data, [0], epochs, repeats, one_epoch)
    together = fast_times(data, range(many), epochs, repeats, one_epoch)
    return dict(one=one, together=together, ratio_one=plain_per_epoch / one['per_epoch_s'],
                ratio_together=plain_per_epoch / together['per_network_epoch_s'])

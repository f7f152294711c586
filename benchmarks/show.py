"Tables and sentences of a results file, for the chapter `nbs/08_benchmarks.ipynb`"
import json
from pathlib import Path

import numpy as np
from IPython.display import Markdown

from nninvert.score import Table, summary


def fmt_s(s) -> str:
    "Seconds as a short human string: `12.3 µs`, `4.56 ms`, `7.89 s`"
    if s is None or not np.isfinite(s):
        return '—'
    if s < 1e-3:
        return f'{s * 1e6:.3g} µs'
    return f'{s * 1e3:.3g} ms' if s < 1 else f'{s:.3g} s'


def times(v) -> str:
    "A ratio as `1,234×`"
    return f'{v:,.0f}×' if v >= 10 else f'{v:.1f}×'


def seconds_cols(*cols) -> dict:
    "Formats that show these columns as seconds"
    return {c: fmt_s for c in cols}


def two(v) -> str:
    "A number with two decimals, `–` if there is none"
    return '–' if v is None else f'{v:.2f}'


def md(*lines) -> Markdown:
    "Lines of Markdown, shown as Markdown in a notebook"
    return Markdown('\n'.join(lines))


def about_run(res: dict) -> Markdown:
    "Which run a results file holds: setting, date, duration, machine, load, command"
    meta, h = res['meta'], res['headline']
    start, end = meta['machine']['load_average'], meta.get('load_average_end')
    return md(f"A {meta['mode']} run, started {meta['started']}, took {meta['seconds'] / 60:.1f} "
              f"min on {h['machine']}; load average (1, 5, 15 min) {start} at the start and "
              f"{end} at the end (other processes share this machine). Command: "
              f"`{meta['command']}`.")


def versions_table(res: dict) -> Table:
    "The libraries that did the work, and numpy's BLAS"
    meta = res['meta']
    rows = [dict(library=k, version=v) for k, v in meta['versions'].items()]
    return Table(rows + [dict(library='BLAS', version=meta['machine']['blas'])])


def headline_lines(res: dict) -> list:
    "The headline numbers, as the README quotes them (those of the sections present)"
    h, out = res['headline'], [f"Machine: {res['headline']['machine']}."]
    if 'empirical_mlp_ratio' in h:
        same = 'identical' if all(r['identical'] for r in res['empirical']) else 'different'
        out.append(f"Empirical method, MLP, all classes: the paper's loop "
                   f"{fmt_s(h['empirical_mlp_loop_s'])}, vectorised "
                   f"{fmt_s(h['empirical_mlp_vectorised_s'])}: {times(h['empirical_mlp_ratio'])} "
                   f"(SLP {times(h['empirical_slp_ratio'])}), {same} images.")
    if 'fit_ratio' in h:
        same = 'identical' if h['fit_weights_identical'] else 'different'
        out.append(f"MLP training: plain `fit` {fmt_s(h['fit_plain_s_per_epoch'])} per epoch, "
                   f"`steps_per_execution=64` {fmt_s(h['fit_package_s_per_epoch'])} "
                   f"({times(h['fit_ratio'])}), {same} weights; SLP fit {fmt_s(h['slp_fit_s'])}.")
    if 'data_ratio' in h:
        out.append(f"Data: first load {fmt_s(h['data_first_s'])}, cached "
                   f"{fmt_s(h['data_cached_s'])} ({times(h['data_ratio'])}).")
    if 'help_s' in h:
        tf = 'imports' if h['help_imports_tensorflow'] else 'without'
        out.append(f"`import nninvert` {fmt_s(h['import_nninvert_s'])}; `nninvert --help` "
                   f"{fmt_s(h['help_s'])} ({tf} TensorFlow).")
    out += [f"`nninvert {k}`: {fmt_s(v['wall_s'])}, peak memory {v['max_rss_mib']:,.0f} MiB."
            for k, v in h.items() if k.startswith('reproduce')]
    return out


def headline(res: dict) -> Markdown:
    "The headline numbers as a Markdown list"
    return md(*[f'- {line}' for line in headline_lines(res)])


def empirical_table(res: dict) -> Table:
    cols = ['model', 'classes', 'loop_s', 'vectorised_s', 'ratio', 'identical', 'loop_repeats',
            'repeats']
    return Table(res['empirical'], cols, dict(seconds_cols('loop_s', 'vectorised_s'), ratio=times))


def batch_rest(res: dict) -> Markdown:
    "What is left of the vectorised empirical method's time on the MLP"
    mlp = next(r for r in res['empirical'] if r['model'] == 'mlp')
    adds = 784 * 30 * 30 / 1e6
    return md(f"This run: the MLP's batch takes {fmt_s(mlp['vectorised_s'])}, the loop "
              f"{fmt_s(mlp['loop_s'])}. What is left of the batch's time is a few dozen numpy "
              f"calls of a few microseconds each and the hidden layer's {adds:.1f} million "
              f"multiply–adds.")


def methods_table(res: dict) -> Table:
    cols = ['model', 'method', 'seconds', 'repeats', 'z_l2', 'min_target_prob', 'in_box']
    return Table(res['methods'], cols,
                 dict(seconds=fmt_s, min_target_prob=lambda v: f'{v:.4f}'))


def fastest_slowest(res: dict) -> Markdown:
    "The fastest and the slowest method on each model, and their ratio"
    lines = []
    for model in dict.fromkeys(r['model'] for r in res['methods']):
        rows = sorted((r for r in res['methods'] if r['model'] == model),
                      key=lambda r: r['seconds'])
        lo, hi = rows[0], rows[-1]
        lines.append(f"- {model.upper()}: fastest `{lo['method']}` ({fmt_s(lo['seconds'])}), "
                     f"slowest `{hi['method']}` ({fmt_s(hi['seconds'])}), "
                     f"{times(hi['seconds'] / lo['seconds'])} apart.")
    return md(*lines)


def training_lines(res: dict) -> Markdown:
    "What the training section measured, in two sentences"
    tr, sl = res['training']['mlp'], res['training']['slp']
    same = 'identical' if tr['identical'] else 'different'
    return md(f"MLP, {tr['rows']:,} rows, {tr['epochs']} epochs per fit, {tr['repeats']} "
              f"repeat(s): the weights after {tr['epochs']} epochs are {same} (largest "
              f"difference {tr['max_abs_weight_diff']:.3g}); plain `fit` takes "
              f"{times(tr['ratio'])} as long per epoch.",
              '',
              f"SLP, {sl['rows']:,} rows: {sl['n_iter']} Adam iterations (of at most "
              f"{sl['max_iter']}) in {fmt_s(sl['seconds'])}, {fmt_s(sl['per_iter_s'])} each.")


def training_table(res: dict) -> Table:
    cols = ['steps_per_execution', 'per_epoch_s', 'one_epoch_s', 'setup_s', 'total_s',
            'final_loss']
    fmts = seconds_cols('per_epoch_s', 'one_epoch_s', 'setup_s', 'total_s')
    return Table(res['training']['mlp']['configs'].values(), cols, fmts)


def data_line(res: dict) -> Markdown:
    d = res['data_load']
    return md(f"`load_mnist({d['n_classes']})`: first {fmt_s(d['first_s'])}, cached "
              f"{fmt_s(d['cached_s'])} ({times(d['ratio'])} faster).")


def imports_table(res: dict) -> Table:
    return Table(res['imports'], ['what', 'seconds', 'tensorflow_imported'], dict(seconds=fmt_s))


def slopes_table(res: dict) -> Table:
    cols = ['axis', 'model', 'method', 'x', 'measured', 'theory']
    return Table(res['slopes'], cols, dict(measured=two, theory=two))


def reproduce_table(res: dict) -> Table:
    "One row per `nninvert reproduce` run: wall time, peak memory against the 1.5 GiB target"
    rows = [dict(run=r['label'], command=' '.join(['nninvert reproduce --out DIR'] + r['args']),
                 wall=r['wall_s'], peak_rss_mib=r['max_rss_mib'],
                 under_1_5_gib=(r['max_rss_mib'] or 0) <= 1.5 * 1024, exit=r['exit'])
            for r in res['reproduce']]
    return Table(rows, fmts=dict(wall=fmt_s, peak_rss_mib=lambda v: f'{v:,.0f}'))


def timeline(steps, top: int = None) -> list:
    "Seconds spent before each `(t, message)` progress line, the `top` largest first if given"
    rows, prev = [], 0.0
    for t, msg in steps:
        if msg.startswith('done in'):
            continue
        rows.append(dict(seconds=round(t - prev, 2), step=msg[:90]))
        prev = t
    return sorted(rows, key=lambda r: -r['seconds'])[:top] if top else rows


def largest_steps(res: dict, runs=(0, 2)) -> Markdown:
    "The largest step of some `reproduce` runs, with its share of the run"
    lines = []
    for r in (res['reproduce'][i] for i in runs):
        total, big = r['steps'][-1][0], timeline(r['steps'], 1)[0]
        lines.append(f"- {r['label']}: {total:.1f} s; largest step {big['seconds']:.1f} s "
                     f"({big['seconds'] / total:.0%}): {big['step']}")
    return md(*lines)


def peak_line(res: dict) -> Markdown:
    "The largest peak memory of the `reproduce` runs, against the 1.5 GiB target"
    r = max(res['reproduce'], key=lambda r: r['max_rss_mib'] or 0)
    under = 'under' if r['max_rss_mib'] <= 1.5 * 1024 else 'over'
    return md(f"Largest peak: {r['max_rss_mib']:,.0f} MiB, {under} the 1.5 GiB target, in the "
              f"run \"{r['label']}\" ({fmt_s(r['wall_s'])}).")


def time_notes(res: dict) -> Markdown:
    "Where `reproduce`'s time goes in this run: cached curves, training, the ten-digit run"
    runs, ph = res['reproduce'], res['profile']['phases']
    total = ph.get('total (reproduce)') or res['profile']['wall_s']
    train = ph.get('MLP training', 0) + ph.get('SLP training', 0)
    ten = timeline(runs[3]['steps'], 1)[0]
    return md(f"This run: the first five-class run took {fmt_s(runs[0]['wall_s'])}, the second "
              f"(curves read back) {fmt_s(runs[1]['wall_s'])}. Under the profiler, `--retrain` "
              f"spent {train / total:.0%} of its {fmt_s(total)} training (MLP "
              f"{fmt_s(ph.get('MLP training'))}, SLP {fmt_s(ph.get('SLP training'))}). The first "
              f"ten-digit run, which trains both networks, took {fmt_s(runs[3]['wall_s'])}; its "
              f"largest step, {fmt_s(ten['seconds'])}, is the one that ends with "
              f"“{ten['step'][:40]}…”.")


def phases_table(res: dict) -> Table:
    "The profiled `reproduce --retrain` by phase, largest first, with its share of the total"
    p = res['profile']
    total = p['phases'].get('total (reproduce)') or p['wall_s']
    rows = [dict(phase=k, seconds=v, share=v / total)
            for k, v in sorted(p['phases'].items(), key=lambda kv: -kv[1])]
    return Table(rows, fmts=dict(seconds=fmt_s, share=lambda v: f'{v:.0%}'))


def figures_table(res: dict) -> Table:
    cols = ['images', 'tight_layout_s', 'fixed_margins_s', 'ratio']
    return Table(res['figures'], cols,
                 dict(seconds_cols('tight_layout_s', 'fixed_margins_s'), ratio=times))


def scorecard_summary(path) -> Table:
    "One row per model × method of a `scorecard.json`: smallest target probability, correlation"
    sc, groups = json.loads(Path(path).read_text()), {}
    for r in sc['results']:
        groups.setdefault((r['model'], r['method']), []).append(r)
    rows = [dict(model=m, method=k, classes=len(rs), min_target_prob=s['min_target_prob'],
                 mean_corr_class_mean=s['corr_class_mean'], seconds=s.get('seconds'))
            for (m, k), rs in groups.items() for s in [summary(rs)]]
    fmts = dict(min_target_prob=lambda v: f'{v:.4f}', mean_corr_class_mean=lambda v: f'{v:.2f}',
                seconds=fmt_s)
    return Table(rows, fmts=fmts)

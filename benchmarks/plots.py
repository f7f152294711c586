"Plots of a results file, for the chapter `nbs/08_benchmarks.ipynb`, stored as small PNGs"
import io

import matplotlib.pyplot as plt
from IPython.display import Image
from PIL import Image as Picture

from .show import two


def png(fig, colours: int = 128, dpi: int = 72) -> Image:
    "A matplotlib figure as a small PNG: drawn at `dpi`, its colours reduced to a palette"
    raw = io.BytesIO()
    fig.savefig(raw, format='png', dpi=dpi, bbox_inches='tight')
    raw.seek(0)
    rgb = Picture.open(raw).convert('RGB')
    few = rgb.quantize(colours, method=Picture.Quantize.FASTOCTREE, dither=Picture.Dither.NONE)
    out = io.BytesIO()
    few.save(out, format='png', optimize=True)
    return Image(out.getvalue())


AXIS_LABELS = {'width': 'hidden width (2 hidden layers)', 'depth': 'hidden layers (width 30)',
               'classes': 'classes'}
PANELS = (('width', 'mlp'), ('depth', 'mlp'), ('classes', 'slp'), ('classes', 'mlp'))


def sweep_panel(ax, rows, slopes, colour):
    "One sweep of one model: seconds against x, log–log, one line per method with its slopes"
    for d in slopes:
        pts = sorted((r['x'], r['seconds']) for r in rows if r['method'] == d['method'])
        ax.loglog(*zip(*pts), 'o-', ms=3, color=colour[d['method']],
                  label=f"{d['method']}  {two(d['measured'])} (ops {two(d['theory'])})")
    xs = sorted({r['x'] for r in rows})
    ax.set_xticks(xs, [str(x) for x in xs])
    ax.minorticks_off()
    ax.set_ylabel('seconds, all classes')
    ax.legend(fontsize=7, title='slope measured (op count)', title_fontsize=7, loc='upper left',
              bbox_to_anchor=(1.01, 1))


def of_panel(rows, axis: str, model: str) -> list:
    "The rows of one sweep axis and model"
    return [r for r in rows if (r['axis'], r['model']) == (axis, model)]


def plot_sweeps(res: dict, panels=PANELS, size: float = 3.4):
    "Log–log plots of seconds against each sweep's variable, one line per method, with slopes"
    rows, slopes = res['scaling'], res['slopes']
    panels = [p for p in panels if any((r['axis'], r['model']) == p for r in rows)]
    names = sorted({r['method'] for r in rows})
    colour = {m: plt.cm.tab10(i % 10) for i, m in enumerate(names)}
    nrows = -(-len(panels) // 2)
    fig, axs = plt.subplots(nrows, 2, figsize=(size * 3.2, size * nrows), squeeze=False)
    for ax, (axis, model) in zip(axs.flat, panels):
        sweep_panel(ax, of_panel(rows, axis, model), of_panel(slopes, axis, model), colour)
        ax.set_xlabel(AXIS_LABELS[axis])
        ax.set_title(f"{model.upper()}: time against {axis}", fontsize=10)
    for ax in list(axs.flat)[len(panels):]:
        ax.axis('off')
    fig.tight_layout()
    plt.close(fig)
    return fig


def plot_convergence(conv: dict, size: float = 4.0):
    "Residual ‖z(x) − z′‖₂ (worst class) against seconds, one line per iterative method"
    fig, ax = plt.subplots(figsize=(size * 1.4, size))
    for key, rows in conv.items():
        x, y = [r['seconds'] for r in rows], [max(r['z_l2'], 1e-12) for r in rows]
        ax.loglog(x, y, 'o-', ms=3, label=key)
        for r, xi, yi in list(zip(rows, x, y))[::max(1, len(rows) // 3)]:
            ax.annotate(str(r['cap']), (xi, yi), fontsize=6)
    ax.set_xlabel('seconds (all classes)')
    ax.set_ylabel('worst z_l2')
    ax.set_title('residual reached against time (labels: iteration cap)', fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    plt.close(fig)
    return fig

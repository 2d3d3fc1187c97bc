"""The study's one seaborn theme and figure saving.

Every notebook calls ``set_theme()`` once; figures are saved with
``save_figure(fig, "01_search_scaling_curves")`` into ``reports/figures/`` as
PNG (deterministic metadata, so reruns produce identical bytes).

The module leaves matplotlib's backend alone: inside a Jupyter kernel the inline
backend stays active, so ``plt.show()`` embeds each figure in the executed
notebook (and its HTML) as well as saving it; elsewhere matplotlib falls back
to a non-interactive backend by itself.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import seaborn as sns

from . import paths

PALETTE = "colorblind"
CONTEXT = "notebook"


def table_number(x) -> str:
    """How a float reads in a displayed table: 3 significant digits, thousands separated, no 1e+06."""
    if x != x or x in (float("inf"), float("-inf")):
        return str(x)
    a = abs(x)
    if a >= 1000 or (a >= 1 and float(x).is_integer()):
        return f"{x:,.0f}"
    if a == 0:
        return "0"
    if a < 1e-3:
        return f"{x:.2e}"
    return f"{x:.3g}"


def set_theme() -> None:
    """The study's theme: seaborn whitegrid, colorblind palette, readable sizes; tables show floats
    with 3 significant digits (``table_number``)."""
    import pandas as pd

    pd.set_option("display.float_format", table_number)
    sns.set_theme(context=CONTEXT, style="whitegrid", palette=PALETTE,
                  rc={"figure.figsize": (7.5, 4.5), "figure.dpi": 100, "savefig.dpi": 120,
                      "axes.titleweight": "bold", "svg.hashsalt": "tts-study"})


def save_figure(fig, name: str) -> Path:
    """Save ``fig`` as ``reports/figures/<name>.png`` (no timestamp in metadata)."""
    out = paths.figures_dir() / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".png.tmp")
    fig.savefig(tmp, format="png", bbox_inches="tight", metadata={"Software": None})
    tmp.replace(out)
    return out


def log2_budget_axis(ax, axis: str = "x", label: str | None = None) -> None:
    """Log scale base 2 on one axis, with plain-number tick labels."""
    from matplotlib.ticker import FuncFormatter

    setter = ax.set_xscale if axis == "x" else ax.set_yscale
    setter("log", base=2)
    fmt = FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)
    if label:
        (ax.set_xlabel if axis == "x" else ax.set_ylabel)(label)


def share_axes(ax, *, xlabel: str, ylabel: str, title: str, xlog: bool = True, legend_loc: str = "lower right") -> None:
    """The common finish of a figure whose y axis is a share in [0, 1] against a cost or budget: log x
    (budgets span orders of magnitude), labels with units, y limited to [0, 1], title, small legend."""
    if xlog:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(fontsize="small", loc=legend_loc)

"""The study's one seaborn theme and figure saving.

Every notebook calls ``set_theme()`` once; figures are saved with
``save_figure(fig, "01_search_scaling_curves")`` into ``reports/figures/`` as
PNG (deterministic metadata, so reruns produce identical bytes). A quick run
(``set_theme(quick=True)``) saves draft figures: the same drawing, at
``QUICK_DPI`` and without the tight crop (the crop lays the figure out a
second time), which halves the cost of saving; a draft of a figure laid out
by ``fig.tight_layout()`` is also drawn once, not twice (the idle layout
engine that call leaves behind makes savefig draw the figure before drawing
it again; a draft sets it aside while saving). A draft is also laid out at
the dpi it is saved at (so ``tight_layout``'s text measurements are the
ones the drawing reuses), its glyphs are not hinted (FreeType's autohinter
is a tenth of a quick run's drawing) and its PNG is compressed at level 1;
it is shown at the full figures' size (``DISPLAY_DPI``).

The module leaves matplotlib's backend alone: inside a Jupyter kernel the inline
backend stays active; elsewhere matplotlib falls back to a non-interactive
backend by itself. Each figure is rendered once: inside a kernel with the
inline backend, ``save_figure`` shows the saved PNG's own bytes in the cell
(where the notebook's ``plt.show()`` would have drawn it) and closes the
figure, so the inline backend does not draw it a second time; ``plt.show()``
after it then draws only figures that were not saved. Outside a kernel
(scripts, tests) it only saves.
"""
from __future__ import annotations

import base64
import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.layout_engine import PlaceHolderLayoutEngine
from matplotlib.ticker import LogFormatter

from . import paths

PALETTE = "colorblind"
CONTEXT = "notebook"
DISPLAY_DPI = 100  # the figures' dpi (full runs) and the pixels per inch a notebook shows every figure at
SAVE_DPI = 120  # saved figures (full runs)
QUICK_DPI = 60  # saved figures of a quick run (draft: every figure drawn and saved, at half the resolution)
_quick = False  # set by set_theme(quick=...): save draft figures


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


def set_theme(quick: bool = False) -> None:
    """The study's theme: seaborn whitegrid, colorblind palette, readable sizes; tables show floats
    with 3 significant digits (``table_number``).

    ``quick``: a quick run's draft figures, laid out and saved at ``QUICK_DPI`` (120 -> 60) without the
    tight crop (``save_figure``), with unhinted glyphs; False (the default) leaves every full-run figure as it
    was (matplotlib's own hinting, laid out at ``DISPLAY_DPI``, saved at ``SAVE_DPI``).
    """
    import matplotlib as mpl
    import pandas as pd

    global _quick
    _quick = bool(quick)
    pd.set_option("display.float_format", table_number)
    sns.set_theme(context=CONTEXT, style="whitegrid", palette=PALETTE,
                  rc={"figure.figsize": (7.5, 4.5), "figure.dpi": QUICK_DPI if _quick else DISPLAY_DPI,
                      "savefig.dpi": QUICK_DPI if _quick else SAVE_DPI,
                      "text.hinting": "no_hinting" if _quick else mpl.rcParamsDefault["text.hinting"],
                      "axes.titleweight": "bold", "svg.hashsalt": "tts-study",
                      # titles sit at the top of their axes: the study's figures put no ticks or labels
                      # there, and matplotlib's default (None) measured every axis's decorations at each
                      # draw to move the title above them (about 0.1 s a notebook); a figure with top
                      # decorations moves its own title (ax.set_title(..., y=...))
                      "axes.titley": 1.0})


def save_figure(fig, name: str) -> Path:
    """Save ``fig`` as ``reports/figures/<name>.png`` (no timestamp in metadata), cropped tight to its
    artists (a quick run's draft, ``set_theme(quick=True)``: uncropped, at ``QUICK_DPI``).

    Inside a kernel with the inline backend the same bytes are also shown in the cell, at the size the
    inline backend would have drawn them, and the figure is closed (``show_saved``): one render per figure.
    """
    out = paths.figures_dir() / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".png.tmp")
    engine = fig.get_layout_engine()
    idle = _quick and isinstance(engine, PlaceHolderLayoutEngine)
    if idle:  # left by fig.tight_layout(): lays nothing out, but makes savefig draw the figure twice
        fig.set_layout_engine(None)
    try:
        fig.savefig(tmp, format="png", bbox_inches=None if _quick else "tight", metadata={"Software": None},
                    pil_kwargs={"compress_level": 1} if _quick else None)
    finally:
        if idle:
            fig.set_layout_engine(engine)
    tmp.replace(out)
    if inline_kernel():
        show_saved(fig, out.read_bytes())
    return out


def inline_kernel() -> bool:
    """True inside an IPython kernel whose matplotlib backend is the inline one (a notebook run)."""
    if "ipykernel" not in sys.modules:
        return False
    from IPython import get_ipython

    import matplotlib

    return get_ipython() is not None and "inline" in matplotlib.get_backend()


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from a PNG's IHDR chunk."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def show_saved(fig, png: bytes) -> None:
    """Show ``png`` (the saved render of ``fig``) as the cell's figure output, then close ``fig``.

    The output carries the figure's usual text (``<Figure size ...>``) and a display width and height scaled
    from the saving dpi to the figure's dpi, so the notebook shows it at the size the inline backend drew
    (a quick run's draft, laid out at ``QUICK_DPI``: at ``DISPLAY_DPI``, the size of the full run's figure).
    """
    from IPython.display import display

    import matplotlib as mpl

    saved_dpi = mpl.rcParams["savefig.dpi"]
    shown_dpi = DISPLAY_DPI if _quick else fig.dpi
    scale = 1.0 if saved_dpi == "figure" else shown_dpi / float(saved_dpi)
    w, h = _png_size(png)
    meta = {"width": max(1, round(w * scale)), "height": max(1, round(h * scale))}
    display({"image/png": base64.b64encode(png).decode("ascii"), "text/plain": repr(fig)},
            raw=True, metadata={"image/png": meta})
    plt.close(fig)


def log2_budget_axis(ax, axis: str = "x", label: str | None = None) -> None:
    """Log scale base 2 on one axis, with plain-number tick labels."""
    from matplotlib.ticker import FuncFormatter

    setter = ax.set_xscale if axis == "x" else ax.set_yscale
    setter("log", base=2)
    fmt = FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}")
    (ax.xaxis if axis == "x" else ax.yaxis).set_major_formatter(fmt)
    if label:
        (ax.set_xlabel if axis == "x" else ax.set_ylabel)(label)


def interval_err(est, lo, hi) -> np.ndarray:
    """``errorbar``'s (2, n) distances from each estimate down to ``lo`` and up to ``hi``, never below 0.

    A percentile-bootstrap interval need not contain its estimate (with few replicates, or a skewed statistic),
    and matplotlib refuses a negative distance (``ValueError: 'xerr' must not contain negative values``): such an
    interval is drawn from its far end to the estimate, with no bar on the other side. NaN stays NaN (no bar)."""
    est, lo, hi = (np.asarray(x, dtype=float) for x in (est, lo, hi))
    return np.clip(np.stack([est - lo, hi - est]), 0, None)


def plain_number(v: float) -> str:
    """A log axis's tick label written out: 0.001, 0.25, 1, 64, 1,000; from 10,000 up with k, M, B or T and three
    significant digits (10k, 65.5k, 2.5M, 1B)."""
    v = float(v)
    if not np.isfinite(v) or v < 1:
        return f"{v:g}"
    if v < 1e4:
        return f"{v:,.0f}" if v.is_integer() else f"{v:g}"
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if v >= scale:
            return f"{v / scale:.3g}{suffix}"
    raise AssertionError("unreachable")  # pragma: no cover


class PlainLogFormatter(LogFormatter):
    """matplotlib's own choice of which log-axis ticks get a label, written as plain numbers (``plain_number``)
    instead of mathtext powers (2^3, 10^6): easier to read off a budget, and no mathtext to lay out."""

    def _num_to_string(self, x, vmin, vmax):
        return plain_number(x)

    def set_locs(self, locs=None):
        """matplotlib's choice, except that an axis of more than one decade that matplotlib labels at 1, 2, 3,
        4 and 6 times each power of ten is labelled at 1, 2 and 5 times (20k, 50k, 100k: 30k and 40k run into
        each other there); a shorter axis keeps matplotlib's labels (2, 3, 4)."""
        super().set_locs(locs)
        if self._base == 10 and self._sublabels == {1.0, 2.0, 3.0, 4.0, 6.0, 10.0} and self.axis is not None:
            lo, hi = self.axis.get_view_interval()
            if lo > 0 and hi > 0 and abs(np.log10(hi / lo)) > 1:
                self._sublabels = {1.0, 2.0, 5.0}


def log_axis(ax, axis: str = "x", base: float = 10, label: str | None = None) -> None:
    """Log scale on one axis with plain-number tick labels (``PlainLogFormatter``, major and minor ticks)."""
    (ax.set_xscale if axis == "x" else ax.set_yscale)("log", base=base)
    a = ax.xaxis if axis == "x" else ax.yaxis
    a.set_major_formatter(PlainLogFormatter(base))
    a.set_minor_formatter(PlainLogFormatter(base))
    if label:
        (ax.set_xlabel if axis == "x" else ax.set_ylabel)(label)


def share_axes(ax, *, xlabel: str, ylabel: str, title: str, xlog: bool = True, legend_loc: str = "lower right") -> None:
    """The common finish of a figure whose y axis is a share in [0, 1] against a cost or budget: log x
    (budgets span orders of magnitude), labels with units, y limited to [0, 1], title, small legend."""
    if xlog:
        log_axis(ax, "x")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 1)
    ax.set_title(title)
    ax.legend(fontsize="small", loc=legend_loc)

"""helpers.plotting: a quick run's draft figures (lower dpi, no tight crop); the full theme is left as it was."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

from helpers import plotting  # noqa: E402


def _save(tmp_path, monkeypatch, quick):
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(tmp_path / ("quick" if quick else "full")))
    plotting.set_theme(quick)
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.plot([1, 2, 3], [0.2, 0.5, 0.4])
    ax.set(xlabel="samples k", ylabel="accuracy (share)", title="t")
    out = plotting.save_figure(fig, "plotting_test")
    plt.close(fig)
    return plotting._png_size(out.read_bytes()), out.read_bytes()


def test_quick_theme_saves_smaller_draft_figures_and_the_default_restores_the_full_ones(tmp_path, monkeypatch):
    try:
        (wq, hq), _ = _save(tmp_path, monkeypatch, True)
        assert matplotlib.rcParams["savefig.dpi"] == plotting.QUICK_DPI
        # a draft is laid out at the dpi it is saved at, with unhinted glyphs
        assert matplotlib.rcParams["figure.dpi"] == plotting.QUICK_DPI
        assert matplotlib.rcParams["text.hinting"] == "no_hinting"
        (wf, hf), full = _save(tmp_path, monkeypatch, False)
        assert matplotlib.rcParams["savefig.dpi"] == plotting.SAVE_DPI == 120
        # the full theme puts matplotlib's hinting and the 100-dpi layout back
        assert matplotlib.rcParams["figure.dpi"] == plotting.DISPLAY_DPI == 100
        assert matplotlib.rcParams["text.hinting"] == matplotlib.rcParamsDefault["text.hinting"] != "no_hinting"
        # the draft is the whole 4 x 3 inch canvas at QUICK_DPI (no crop); the full figure is cropped to its
        # artists (not the canvas) at 120 dpi, so about twice the draft's pixels across
        assert (wq, hq) == (4 * plotting.QUICK_DPI, 3 * plotting.QUICK_DPI)
        assert (wf, hf) != (4 * 120, 3 * 120) and 1.5 * wq < wf < 2.5 * wq and 1.5 * hq < hf < 2.5 * hq
        (wf2, hf2), full2 = _save(tmp_path, monkeypatch, False)
        assert full2 == full  # a full save is deterministic, whatever ran before it
    finally:
        plotting.set_theme()


def test_a_draft_of_a_tight_laid_out_figure_is_drawn_once_with_the_same_pixels(tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    draws = []
    orig = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: (draws.append(1), orig(self, r))[1])

    def tight_fig():
        fig, axes = plt.subplots(1, 2, figsize=(5, 3))
        for i, ax in enumerate(axes):
            ax.plot([1, 2, 4], [0.2, 0.5, 0.4 + 0.1 * i], label="curve")
            ax.set(xscale="log", xlabel="samples k (log)", ylabel="accuracy (share)", title=f"panel {i}")
            ax.legend(loc="best")
        fig.suptitle("two panels")
        fig.tight_layout()
        return fig

    monkeypatch.setenv("STUDY_REPORTS_DIR", str(tmp_path))
    try:
        plotting.set_theme(True)
        fig = tight_fig()
        engine = fig.get_layout_engine()
        once = plotting.save_figure(fig, "draft").read_bytes()
        assert len(draws) == 1 and fig.get_layout_engine() is engine  # drawn once; the engine is put back
        plt.close(fig)
        # the same draft as savefig's own two draws (the idle engine kept)
        monkeypatch.setattr(plotting, "PlaceHolderLayoutEngine", type("Never", (), {}))
        draws.clear()
        fig = tight_fig()
        assert plotting.save_figure(fig, "draft2").read_bytes() == once and len(draws) == 2
        plt.close(fig)
    finally:
        plotting.set_theme()


def test_plain_number_writes_log_tick_labels_out():
    cases = {0.001: "0.001", 0.25: "0.25", 1: "1", 64: "64", 1000: "1,000", 2.5: "2.5", 9999: "9,999",
             1e4: "10k", 65536: "65.5k", 2.5e6: "2.5M", 1e9: "1B", 1.76e13: "17.6T"}
    assert {v: plotting.plain_number(v) for v in cases} == cases


def test_log_axis_labels_ticks_as_plain_numbers_where_matplotlib_would_write_powers():
    fig, (a, b) = plt.subplots(1, 2)
    try:
        a.plot([1, 1e6], [1, 2])
        plotting.log_axis(a, "x")
        b.plot([1, 2], [0.5, 16])
        plotting.log_axis(b, "y", base=2)
        fig.canvas.draw()
        xs = [t.get_text() for t in a.get_xticklabels() if t.get_text()]
        ys = [t.get_text() for t in b.get_yticklabels() if t.get_text()]
        assert a.get_xscale() == b.get_yscale() == "log"
        assert {"1", "100", "10k", "1M"} <= set(xs) and not any("$" in t for t in xs)
        assert {"1", "2", "4", "8", "16"} <= set(ys) and not any("$" in t for t in ys)
        # the same ticks matplotlib's own formatter labels (it writes them as $\mathdefault{10^{3}}$)
        c = fig.add_subplot(2, 2, 1)
        c.plot([1, 1e6], [1, 2])
        c.set_xscale("log")
        fig.canvas.draw()
        assert len([t for t in c.get_xticklabels() if t.get_text()]) == len(xs)
    finally:
        plt.close(fig)


def test_log_axis_over_one_to_two_decades_labels_1_2_5_not_crowded_3_4_6():
    fig, ax = plt.subplots(figsize=(4, 3))
    try:
        ax.plot([2e4, 6e5], [0, 1])
        plotting.log_axis(ax, "x")
        fig.canvas.draw()
        lo, hi = ax.get_xlim()
        shown = {t.get_text() for t in ax.get_xticklabels(minor=True) + ax.get_xticklabels()
                 if t.get_text() and lo <= t.get_position()[0] <= hi}
        assert {"20k", "50k", "100k", "200k", "500k"} <= shown and not shown & {"30k", "40k", "60k", "300k"}
        # matplotlib's own formatter would label 3, 4 and 6 times each power of ten on this axis
        ax.set_xscale("log")
        fig.canvas.draw()
        assert len([t for t in ax.get_xticklabels(minor=True) if t.get_text()]) > len(shown)
        # an axis shorter than a decade keeps matplotlib's labels (2, 3 and 4 between 1 and 5)
        short = fig.add_subplot(2, 1, 2)
        short.plot([0.95, 4.2], [0, 1])
        plotting.log_axis(short, "x")
        short.set_xlim(0.95, 4.2)
        fig.canvas.draw()
        assert {"2", "3", "4"} <= {t.get_text() for t in short.get_xticklabels(minor=True)}
    finally:
        plt.close(fig)


def test_interval_err_never_negative_so_an_interval_missing_its_estimate_still_draws():
    import numpy as np

    err = plotting.interval_err([1.0, 2.0, 3.0, np.nan], [0.5, 2.5, 1.0, 0.0], [1.5, 3.0, 2.0, 1.0])
    assert err.shape == (2, 4)
    # inside: both sides; below its interval (2 in [2.5, 3]): up to the far end only; above it: down only; NaN: none
    assert np.array_equal(err[:, :3], [[0.5, 0.0, 2.0], [0.5, 1.0, 0.0]]) and np.isnan(err[:, 3]).all()
    fig, ax = plt.subplots()
    try:
        est, lo, hi = np.array([1.0, 2.0]), np.array([1.2, 1.5]), np.array([1.5, 2.5])  # the first misses its estimate
        with __import__("pytest").raises(ValueError, match="negative"):
            ax.errorbar(est, [0, 1], xerr=[est - lo, hi - est])  # what the figures did before
        ax.errorbar(est, [0, 1], xerr=plotting.interval_err(est, lo, hi))
    finally:
        plt.close(fig)

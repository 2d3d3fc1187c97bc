"""Tests of helpers.search_scaling.figures: every figure draws labelled axes from small inputs."""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from helpers import search_scaling as ss  # noqa: E402
from helpers.search_scaling import figures  # noqa: E402


def _labelled(fig):
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    return all(ax.get_xlabel() or ax.get_ylabel() for ax in axes)


def test_model_figures_have_labelled_log_axes():
    m = ss.RSModel()
    fig = figures.model_slices(m, 64, 2.0 ** 14)
    assert _labelled(fig) and fig.axes[0].get_xscale() == "log"
    plt.close(fig)
    paths = {rho: ss.expansion_path(m.with_(interaction=rho), [0.4, 0.6], 2.0 ** 14, 64, grid=40) for rho in (0.0, 1.0)}
    fig = figures.surface(m, paths, [0.3, 0.6], 12, 2.0 ** 14, 64)
    assert len(fig.axes) == 3 and fig.axes[0].get_title() == "interaction rho = 0"  # two panels and a colour bar
    plt.close(fig)


def test_error_rate_and_observational_figures():
    err = pd.DataFrame({"form": "power_saturating", "dispersion": "binomial", "ratio": [0.5, 1.0, 2.0],
                        "rate": [0.6, 0.05, 0.7], "ci_lo": [0.5, 0.02, 0.6], "ci_hi": [0.7, 0.1, 0.8]})
    fig = figures.error_rates(err, 0.05, 100)
    assert _labelled(fig) and "100 replicates" in fig.axes[0].get_title()
    plt.close(fig)
    bins = pd.DataFrame({"search_calls_lo": [1, 4], "search_calls_hi": [3, 9], "n": [10, 20],
                         "accuracy": [0.5, 0.25], "ci": [[0.2, 0.8], [0.1, 0.45]]})
    fig = figures.observational_bins(bins)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["1-3\n(n=10)", "4-9\n(n=20)"]
    plt.close(fig)


def test_curve_figures_from_fits():
    cur = ss.published_curves()
    cur = cur[cur["series"].str.startswith("s1-32B")]
    fits = ss.fit_table(cur, profile_points=5)
    fig = figures.curves_by_axis(cur, fits[fits["best"]].set_index("series"))
    assert _labelled(fig) and "(log2)" in fig.axes[0].get_xlabel()
    plt.close(fig)
    fig = figures.curvature(fits, "power_saturating", [])
    assert len(fig.axes[0].get_yticklabels()) == cur["series"].nunique()
    plt.close(fig)
    dr = ss.diminishing_returns(cur, fits)
    fig = figures.gain_per_doubling(fits, dr)
    assert len(fig.axes[0].get_yticklabels()) == len(dr)
    plt.close(fig)
    assert np.isfinite(fits["aic"]).any()

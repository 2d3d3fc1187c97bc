"""The planner's figure: each compared option's accuracy against its cost per finished artifact as the budget grows.

Per option, the coarse budget curve of ``choose_budget`` (accuracy with its 95% band against spend x USD per
sample / accuracy, with caching), the chosen budget as a point with its interval (filled: with caching,
hollow: without), the recommendation as a star and the target as a dashed line; log cost axis. Drawn in
``helpers.plotting``'s theme (set by the notebook).
"""
from __future__ import annotations

import matplotlib.pyplot as plt

from .. import plotting
from .costs import usd_per_sample
from .options import Z95

COLORS = {("non_reasoning", False): "C0", ("non_reasoning", True): "C9", ("reasoning", False): "C1",
          ("reasoning", True): "C3"}


def options_figure(plan, costs, target_accuracy=None):
    """The options figure (module docstring); returns the figure (the notebook saves and shows it)."""
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    for _, o in plan.options.iterrows():
        cv = plan.curves[(o["model_kind"], o["policy"])]
        usd = usd_per_sample(costs, o["model_kind"], True)
        ok = cv["accuracy"] > 0
        x = cv["spent"][ok] * usd / cv["accuracy"][ok]
        col = COLORS[(o["model_kind"], bool(o["adaptive"]))]
        ls = "-" if o["available"] else ":"
        lab = f"{o['model_kind']}, {o['policy']}" + ("" if o["available"] else " (not available)")
        ax.plot(x, cv["accuracy"][ok], ls, color=col, lw=1.5, label=lab)
        ax.fill_between(x, cv["accuracy"][ok] - Z95 * cv["se"][ok], cv["accuracy"][ok] + Z95 * cv["se"][ok],
                        color=col, alpha=0.2, lw=0)
        ax.errorbar(o["cost_per_artifact_usd"], o["expected_accuracy"],
                    yerr=plotting.interval_err([o["expected_accuracy"]], [o["accuracy_lo"]], [o["accuracy_hi"]]),
                    fmt="o", color=col, ms=6)
        ax.plot(o["cost_per_artifact_usd_no_cache"], o["expected_accuracy"], "o", mfc="none", color=col, ms=6)
    rec = plan.recommendation
    ax.plot(rec["cost_per_artifact_usd"], rec["expected_accuracy"], "*", color="black", ms=16, zorder=5,
            label=f"recommended: {rec['model_kind']}, {rec['policy']}")
    if target_accuracy is not None:
        ax.axhline(target_accuracy, color="C7", ls="--", lw=1, label="target accuracy")
    plotting.share_axes(ax, xlabel="cost per finished artifact (USD, log scale; filled: with caching, hollow: without)",
                        ylabel="expected accuracy (share of tasks finished)",
                        title="Options: accuracy against cost per artifact as the budget grows (95% bands)")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    return fig

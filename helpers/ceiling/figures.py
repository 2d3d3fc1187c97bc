"""Figures of notebook 04, part 1: the illustration, the recovery check and the published curves.

Each function draws one figure in the theme of ``helpers.plotting``, saves it under its fixed name
(``reports/figures/04_reasoning_ceiling_<name>.png``), shows it and returns it. Accuracy axes are shares;
sample axes are log base 2. Part 2 (logged data, the verdict) is ``figures_evidence``.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from scipy import stats

from .. import plotting
from .model import AGGREGATIONS, mixture_curve

STYLES = {"pass_at_k": "-", "majority_vote": ":", "verifier": "--"}


def done(fig, name: str):
    """Save as ``04_reasoning_ceiling_<name>`` and show; return the figure."""
    plotting.save_figure(fig, f"04_reasoning_ceiling_{name}")
    plt.show()
    return fig


def internal_external(sc, s, target: float):
    """Left: the p distributions of the illustrative pair; right: their curves and limits per aggregation."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3), gridspec_kw={"width_ratios": [1, 1.5]})
    ax = axes[0]
    pgrid = np.r_[0.0, np.geomspace(1e-4, 1.0, 300)]
    for (kind, mix), col in zip(sc.mixes.items(), ["C1", "C0"]):
        cdf = mix.pi0 + (1 - mix.pi0) * stats.beta.cdf(pgrid, mix.a, mix.b)
        ax.step(np.r_[0.0, pgrid], np.r_[0.0, cdf], where="post", color=col,
                label=f"{kind}: mean p = {mix.mean:.2f}, jump at 0 = π0 = {mix.pi0:.2f}")
    ax.set_xlabel("per-problem single-sample success p")
    ax.set_ylabel("share of problems with success at most p")
    ax.set_title("Internal scaling moves the p distribution")
    ax.legend(fontsize=7.5, loc="lower right")
    ax = axes[1]
    for (kind, agg), g in sc.curves.groupby(["kind", "aggregation"]):
        col = "C1" if kind == "non_reasoning" else "C0"
        ax.plot(g["samples"], g["accuracy"], STYLES[agg], color=col, label=f"{kind}, {s.agg_label[agg]}")
        lim = sc.limits.query("kind == @kind and aggregation == @agg")["limit"].iloc[0]
        ax.axhline(lim, color=col, ls=STYLES[agg], lw=0.8, alpha=0.5)
    ax.axhline(target, color="k", lw=1.2, alpha=0.7)
    ax.annotate("reasoning model, one sample (the catch-up target)", (1, target), xytext=(0, 4),
                textcoords="offset points", fontsize=8)
    plotting.log2_budget_axis(ax, "x", "samples per problem k (log scale)")
    ax.set_ylabel("accuracy (share of problems)")
    ax.set_ylim(0, 1.02)
    ax.set_title("External scaling moves along a curve to a fixed ceiling")
    ax.legend(fontsize=7, loc="lower right")
    return done(fig, "internal_external")


def catch_up_vs_pi0(sweep, s, p, target: float):
    """Samples to match one reasoning sample, and the limits, against the never-solved share."""
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.4), gridspec_kw={"wspace": 0.5})
    never_at = {"pass_at_k": 2.0 ** 42, "majority_vote": 2.0 ** 40, "verifier": 2.0 ** 38}
    for j, agg in enumerate(AGGREGATIONS):
        g = sweep[sweep["aggregation"] == agg]
        axes[0].plot(g["pi0"], g["samples_needed"].astype(float), marker="o", ms=4, ls=STYLES[agg], color=f"C{j}",
                     label=s.agg_label[agg])
        axes[1].plot(g["pi0"], g["limit"], ls=STYLES[agg], marker="o", ms=3, color=f"C{j}", label=s.agg_label[agg])
        inf = g[g["samples_needed"].isna()]
        axes[0].scatter(inf["pi0"], np.full(len(inf), never_at[agg]), marker="^", s=28, color=f"C{j}")
    for ax in axes:
        ax.axvline(1 - target, color="k", lw=0.8, ls="--")
    plotting.log_axis(axes[0], "y")  # base 10: 1, 100, 10k, ... (plain numbers; base 2 ticks read 32.8k, 1.05M)
    axes[0].set_ylim(0.8, 2.0 ** 44)
    per_sample = p.price_ratio / p.reasoning_token_multiplier  # one non-reasoning sample / one reasoning sample
    sec = axes[0].secondary_yaxis("right", functions=(lambda v: v * per_sample, lambda v: v / per_sample))
    sec.yaxis.set_major_formatter(plotting.PlainLogFormatter(10))
    sec.yaxis.set_minor_formatter(plotting.PlainLogFormatter(10))
    sec.set_ylabel("cost ratio (one reasoning sample = 1)")
    axes[0].set_xlabel("non-reasoning never-solved share π0")
    axes[0].set_ylabel("samples to match one reasoning sample (log; ▲ = never)")
    axes[0].set_title("Catch-up budget versus the never-solved share")
    axes[0].legend(fontsize=8)
    axes[1].axhline(target, color="k", lw=1)
    axes[1].set_xlabel("non-reasoning never-solved share π0")
    axes[1].set_ylabel("accuracy limit as k grows (share)")
    axes[1].set_title("Ceilings against the target (black line)")
    return done(fig, "catch_up_vs_pi0")


def extrapolation(mixes: dict, cc):
    """Each simulated model's short pass@k curve, its true curve, and the fits' extrapolations."""
    k_ext = np.unique(np.round(np.geomspace(1, 2.0 ** 24, 60)))
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.3), sharey=True)
    for ax, kind in zip(axes, mixes):
        cf = cc.fits[kind]
        ax.plot(cc.k_obs, cf["y"], "o", color="k", ms=4, label="observed pass@k (simulated)")
        ax.plot(k_ext, mixture_curve(mixes[kind], "pass_at_k", k_ext), color="k", lw=2, alpha=0.35,
                label="true curve")
        ax.axhline(1 - mixes[kind].pi0, color="k", lw=1, ls="--", label="true ceiling 1-π0")
        bm = cf["beta"]
        ax.plot(k_ext, mixture_curve(bm.mixture, "pass_at_k", k_ext), color="C0", label="Beta mixture (curve fit)")
        ax.axhspan(*bm.ceiling_ci, color="C0", alpha=0.12, label="its ceiling, 95% profile interval")
        for r, col in zip(cf["generic"].itertuples(), ["C3", "C2", "C4"]):
            ax.plot(k_ext, np.clip(r.fit.predict(k_ext), 0, 1), color=col, ls="--", label=r.method)
        ax.axvspan(cc.k_obs.max(), k_ext.max(), color="0.9", alpha=0.5, zorder=0)
        plotting.log2_budget_axis(ax, "x", "samples per problem k (log scale; shaded = extrapolation)")
        ax.set_xticks([2.0 ** i for i in range(0, 25, 4)])
        ax.set_title(f"{kind}: true π0 = {mixes[kind].pi0:.2f}")
    axes[0].set_ylabel("pass@k (share of problems)")
    axes[0].set_ylim(0, 1.05)
    axes[1].legend(fontsize=7, loc="lower right")
    return done(fig, "extrapolation")


def scaling_path(path, fits: dict):
    """The path's observed points, fitted curves and ceilings with their 95% intervals."""
    fig, ax = plt.subplots(figsize=(8.5, 4.6))
    table = path.table
    kx = np.unique(np.round(np.geomspace(1, max(2.0 ** 16, table["samples"].max() * 8), 60)))
    for i, ((model, agg), pf) in enumerate(sorted(fits.items())):
        col = f"C{i % 10}"
        ax.plot(pf["x"], pf["y"], "o", color=col, ms=5)
        ax.plot(kx, pf["curve"](kx), color=col, ls=STYLES[agg],
                label=f"{model} ({pf['kind'].replace('_', '-')}), {agg}: {pf['method']}")
        lo, hi = pf["ci"]
        ax.axhspan(lo, hi, color=col, alpha=0.1)
        ax.axhline(pf["asymptote"], color=col, lw=0.8, alpha=0.6)
    ax.axvspan(table["samples"].max(), kx.max(), color="0.92", zorder=0)
    plotting.log2_budget_axis(ax, "x", "samples per problem k (log scale; shaded = beyond the data)")
    ax.set_ylabel("accuracy (share of problems)")
    ax.set_title(f"{path.dataset}: curves and ceilings (bands: 95% intervals)")
    ax.legend(fontsize=7.5, loc="lower right")
    return done(fig, "scaling_path")


def browsecomp(bc, read_error: float):
    """BrowseComp accuracy per aggregation rule with the reading error, and power-law fits with 95% bands."""
    from .published import BC_LABEL, BC_MAP

    fig, ax = plt.subplots(figsize=(8, 4.3))
    xs = np.geomspace(1, 1024, 80)
    for i, (col, agg) in enumerate(BC_MAP.items()):
        ax.errorbar(bc.data["n_parallel_samples"], bc.data[col], yerr=read_error, fmt="o", color=f"C{i}", ms=4,
                    capsize=2, label=f"{BC_LABEL[col]} (±{read_error * 100:g} points reading error)")
        f = bc.fits[(agg, "power_saturating")]
        fx, flo, fhi = f.band(xs)
        ax.plot(xs, fx, color=f"C{i}")
        ax.fill_between(xs, flo, fhi, color=f"C{i}", alpha=0.15)
    plotting.log2_budget_axis(ax, "x", "parallel samples N (log scale)")
    ax.set_ylabel("BrowseComp accuracy (share)")
    ax.set_title(f"{bc.model}: the aggregation sets the plateau\n(power-law fits, 95% bands)")
    ax.legend(fontsize=8)
    return done(fig, "browsecomp")

"""Notebook 01's figures, each drawn in the study's theme (``helpers.plotting``) and returned unsaved.

The notebook saves each (``plotting.save_figure``, under its ``01_search_scaling_*`` name) and shows it.
Budgets go on log2 axes; intervals are drawn as bands or error bars.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .. import plotting, verdicts
from .data import AXES, AXIS_LABEL
from .fits import SHAPE_PARAM
from .model import RSModel, accuracy
from .substitution import fungible_range


def model_slices(model: RSModel, max_search_steps: float, max_reasoning_tokens: float):
    """Accuracy along each axis with the other budget held at three levels."""
    r_fixed = [0.0, 2048.0, 32768.0]
    s_fixed = [0.0, 4.0, 64.0]
    s_line = 2.0 ** np.linspace(-2, np.log2(max_search_steps), 80)
    r_line = 2.0 ** np.linspace(5, np.log2(max_reasoning_tokens), 80)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    for r in r_fixed:
        axes[0].plot(s_line, accuracy(model, r, s_line), label=f"r = {r:,.0f} tokens")
    for s in s_fixed:
        axes[1].plot(r_line, accuracy(model, r_line, s), label=f"s = {s:,.0f} steps")
    plotting.log2_budget_axis(axes[0], label="search steps s (log2)")
    plotting.log2_budget_axis(axes[1], label="reasoning tokens r (log2)")
    axes[1].set_xticks(2.0 ** np.arange(5, np.log2(max_reasoning_tokens) + 1, 3))
    for ax, t in zip(axes, ["accuracy vs search steps", "accuracy vs reasoning tokens"]):
        ax.axhline(model.ceiling, color="0.5", ls=":", lw=1)
        ax.set_ylabel("expected accuracy (share of tasks)")
        ax.set_title(f"{t} (interaction {model.interaction:g})")
        ax.legend(fontsize=9)
    return fig


def surface(model: RSModel, paths: Mapping[float, pd.DataFrame], iso_levels: Sequence[float], grid: int,
            max_reasoning_tokens: float, max_search_steps: float):
    """The accuracy surface A(r, s), its iso-quality curves and the expansion path, one panel per interaction
    in ``paths`` (interaction -> ``expansion_path`` frame)."""
    r_grid = 2.0 ** np.linspace(6, np.log2(max_reasoning_tokens), grid)
    s_grid = 2.0 ** np.linspace(-2, np.log2(max_search_steps), grid)
    RR, SS = np.meshgrid(r_grid, s_grid)
    shown = list(paths)
    fig, axes = plt.subplots(1, len(shown), figsize=(5.2 * len(shown), 4.4), sharey=True)
    for ax, rho in zip(np.atleast_1d(axes), shown):
        A = accuracy(model.with_(interaction=rho), RR, SS)
        cf = ax.contourf(RR, SS, A, levels=np.linspace(0, 1, 21), cmap="viridis")
        cs = ax.contour(RR, SS, A, levels=iso_levels, colors="white", linewidths=1.2)
        ax.clabel(cs, fmt="%.2f", fontsize=8)
        ep = paths[rho]
        ok = ep["reachable"] & (ep["s"] > 0.25)
        ax.plot(ep.loc[ok, "r"], ep.loc[ok, "s"], "o-", color="tab:red", ms=4, label="expansion path (cheapest)")
        plotting.log2_budget_axis(ax, "x", "reasoning tokens r (log2)")
        plotting.log2_budget_axis(ax, "y", "search steps s (log2)")
        ax.set_xticks(2.0 ** np.arange(6, np.log2(max_reasoning_tokens) + 1, 4))
        ax.set_title(f"interaction rho = {rho:g}")
        ax.legend(loc="lower left", fontsize=8)
    fig.colorbar(cf, ax=axes, label="expected accuracy", shrink=0.85)
    return fig


def substitution(model: RSModel, shown: Sequence[float], sub: pd.DataFrame, total_tokens: float, tol: float,
                 target: float):
    """Accuracy over every split of the optimum's tokens (per interaction in ``shown``), and the elasticity
    and fungible range across interactions (``sub``: ``substitution_by_interaction``)."""
    T_star = float(total_tokens)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    for rho in shown:
        fr = fungible_range(model.with_(interaction=rho), T_star, tol)
        line, = axes[0].plot(fr["share"], fr["accuracy"], label=f"rho = {rho:g}")
        axes[0].fill_between(fr["share"], fr["best_accuracy"] - tol, fr["best_accuracy"],
                             where=fr["accuracy"] >= fr["best_accuracy"] - tol, color=line.get_color(), alpha=0.15)
    axes[0].set_xlabel(f"share of {T_star:,.0f} tokens spent on search context")
    axes[0].set_ylabel("expected accuracy (share of tasks)")
    axes[0].set_title("same tokens, different split (band: within tolerance)")
    axes[0].legend(fontsize=9)
    axes[1].plot(sub["interaction"], sub["elasticity"], "o-", label="elasticity of substitution")
    axes[1].plot(sub["interaction"], sub["fungible_range"], "s-", label="fungible range (share of splits)")
    axes[1].set_xlabel("interaction rho (share of conjunctive tasks)")
    axes[1].set_ylabel("elasticity (ratio) / fungible range (share)")
    axes[1].set_title(f"substitutability at target {target:.2f}")
    axes[1].legend(fontsize=9)
    return fig


def error_rates(err: pd.DataFrame, alpha: float, reps: int):
    """Rejection rate of the same-shape test by curvature ratio, per form and dispersion (Wilson intervals)."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    for (form, disp), g in err.groupby(["form", "dispersion"]):
        g = g.sort_values("ratio")
        yerr = np.clip([g["rate"] - g["ci_lo"], g["ci_hi"] - g["rate"]], 0, None)  # a rate of 1: Wilson's end 1 - 1e-16
        ax.errorbar(g["ratio"], g["rate"], yerr=yerr, marker="o",
                    capsize=3, label=f"{form}, {disp}")
    ax.axhline(alpha, color="0.3", ls="--", lw=1, label=f"alpha = {alpha}")
    ax.set_xscale("log", base=2)
    ax.set_xticks(sorted(err["ratio"].unique()), [f"{v:g}" for v in sorted(err["ratio"].unique())])
    ax.set_xlabel("curvature ratio search / reasoning (log2 axis; 1 = same shape)")
    ax.set_ylabel("rejection rate (share of replicates)")
    ax.set_title(f"same-shape test: level and power ({reps} replicates, Wilson 95% CI)")
    ax.legend(fontsize=8)
    return fig


def mcpmark_ladders(ladder_pts: pd.DataFrame, measure: str):
    """Accuracy against mean tokens per run along each MCPMark effort ladder (task-cluster bootstrap intervals)."""
    fig, ax = plt.subplots(figsize=(8, 4.6))
    for i, (name, g) in enumerate(ladder_pts.groupby("series", sort=True)):
        g = g[np.isfinite(g["budget"])]
        col = sns.color_palette("colorblind", 10)[i % 10]
        ax.errorbar(g["budget"], g["accuracy"], yerr=plotting.interval_err(g["accuracy"], g["acc_lo"], g["acc_hi"]),
                    xerr=plotting.interval_err(g["budget"], g["budget_lo"], g["budget_hi"]), fmt="o-", capsize=3,
                    color=col, label=name, alpha=1.0 if g["usable"].all() else 0.4)
        for _, r in g.iterrows():
            ax.annotate(r["effort"], (r["budget"], r["accuracy"]), fontsize=7, xytext=(3, 3), textcoords="offset points")
    plotting.log2_budget_axis(ax, label=f"mean {measure.replace('_', ' ')} per run (log2)")
    ax.set_ylabel("accuracy (share of runs that succeed)")
    ax.set_title("MCPMark effort ladders (95% task-cluster bootstrap intervals)")
    ax.legend(fontsize=8)
    return fig


def curves_by_axis(all_curves: pd.DataFrame, best: pd.DataFrame):
    """One panel per compute axis: the points, the lowest-AIC fit of each series (``best``, indexed by series)
    and its pointwise delta-method band."""
    axes_present = [a for a in AXES if a in set(all_curves["axis"])]
    fig, axes = plt.subplots(1, len(axes_present), figsize=(5.6 * len(axes_present), 4.6))
    for ax, axis in zip(np.atleast_1d(axes), axes_present):
        sub_c = all_curves[all_curves["axis"] == axis]
        for i, (name, g) in enumerate(sub_c.groupby("series", sort=True)):
            color = sns.color_palette("colorblind", 10)[i % 10]
            ax.plot(g["budget"], g["accuracy"], "o", color=color, ms=5)
            fit = best.loc[name, "fit"]
            xx = 2.0 ** np.linspace(np.log2(g["budget"].min()), np.log2(g["budget"].max()), 60)
            f, lo, hi = fit.band(xx)
            ax.plot(xx, f, color=color, lw=1.5, ls="--" if g["role"].iloc[0] == "caveat" else "-",
                    label=f"{name} [{best.loc[name, 'form']}]")
            ax.fill_between(xx, lo, hi, color=color, alpha=0.15)
        plotting.log2_budget_axis(ax, label=AXIS_LABEL[axis] + " (log2)")
        ax.set_ylabel("accuracy (share of questions)")
        ax.set_title(axis.replace("_", " "))
        ax.legend(fontsize=7, loc="upper left")
    return fig


def gain_per_doubling(fits: pd.DataFrame, dr_fit: pd.DataFrame):
    """Gain per doubling at the smallest and largest observed budget, from the saturating form ``dr_fit`` reads."""
    gd = fits.merge(dr_fit[["series", "form"]], on=["series", "form"]).sort_values(["axis", "series"])
    fig, ax = plt.subplots(figsize=(8.5, 0.42 * len(gd) + 1.5))
    ypos = np.arange(len(gd))
    for off, end, mk in ((-0.15, "low", "o"), (0.15, "high", "s")):
        v = gd[f"gain_per_doubling_{end}"]
        lo = gd[f"gain_per_doubling_{end}_lo"]
        hi = gd[f"gain_per_doubling_{end}_hi"]
        ax.errorbar(v, ypos + off, xerr=[np.clip(v - lo, 0, None).fillna(0), np.clip(hi - v, 0, None).fillna(0)],
                    fmt=mk, capsize=3, label=f"at the {'smallest' if end == 'low' else 'largest'} observed budget")
    ax.set_yticks(ypos, [f"{s} ({a.replace('_', ' ')})" for s, a in zip(gd["series"], gd["axis"])], fontsize=8)
    ax.axvline(0, color="0.4", lw=1)
    ax.set_xlabel("gain per doubling of budget (accuracy points as a share)")
    ax.set_title("gain per doubling, saturating form per curve (95% intervals)")
    ax.legend(fontsize=8)
    return fig


def curvature(fits: pd.DataFrame, form: str, flat_series: Sequence[str]):
    """The curvature of ``form`` per series with its Wald interval (flat series left out), coloured by axis."""
    shape_fits = fits[(fits["form"] == form) & (fits["role"] == "curve")].copy()
    shape_fits = shape_fits[~shape_fits["series"].isin(flat_series)].sort_values(["axis", "series"])
    fig, ax = plt.subplots(figsize=(8.5, 0.42 * len(shape_fits) + 1.5))
    yy = np.arange(len(shape_fits))
    colors = {a: c for a, c in zip(AXES, sns.color_palette("colorblind", 3))}
    for i, (_, r) in enumerate(shape_fits.iterrows()):
        lo, hi = r["curvature_lo"], r["curvature_hi"]
        ax.errorbar(r["curvature"], i, xerr=[[max(r["curvature"] - lo, 0) if np.isfinite(lo) else 0],
                                             [max(hi - r["curvature"], 0) if np.isfinite(hi) else 0]],
                    fmt="o", color=colors[r["axis"]], capsize=3)
    for a, c in colors.items():
        ax.plot([], [], "o", color=c, label=a.replace("_", " "))
    ax.set_yticks(yy, shape_fits["series"], fontsize=8)
    ax.set_xlabel(f"curvature '{SHAPE_PARAM[form]}' of {form} (unitless; 95% Wald interval)")
    ax.set_title("curve shape by series: one shared value = same shape")
    ax.legend(fontsize=8)
    return fig


def observational_bins(bins: pd.DataFrame):
    """BrowseComp-Plus accuracy by the number of search calls a query drew (Wilson intervals)."""
    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    mid = np.arange(len(bins))
    acc = bins["accuracy"].astype(float)
    lo, hi = np.array([c[0] for c in bins["ci"]], float), np.array([c[1] for c in bins["ci"]], float)
    ax.errorbar(mid, acc, yerr=[acc - lo, hi - acc], fmt="o-", capsize=4, label="accuracy (Wilson 95%)")
    ax.set_xticks(mid, [f"{a}-{b}\n(n={n})" if a != b else f"{a}\n(n={n})"
                        for a, b, n in zip(bins["search_calls_lo"], bins["search_calls_hi"], bins["n"])])
    ax.set_xlabel("search calls the agent made on the query (observed, not set)")
    ax.set_ylabel("accuracy (share of queries)")
    ax.set_title("BrowseComp-Plus, GPT-4.1 + BM25: an association, not a budget curve")
    ax.legend(fontsize=8)
    return fig


def specification_curve(robustness: verdicts.Robustness, choices: Mapping[str, Sequence]):
    """The verdict of every specification (sorted by verdict) above the choices each one makes."""
    rt = robustness.table.assign(k=robustness.table["verdict"].map({v: i for i, v in enumerate(verdicts.VERDICTS)}))
    rt = rt.sort_values("k", kind="stable").reset_index(drop=True)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(10, 5.5), sharex=True, gridspec_kw={"height_ratios": [1, 1.6]})
    ax1.scatter(rt.index, rt["k"], c=np.where(rt["verdict"] == robustness.headline, "tab:blue", "tab:red"), s=18)
    ax1.set_yticks(range(len(verdicts.VERDICTS)), verdicts.VERDICTS)
    ax1.set_ylabel("verdict")
    ax1.set_title(f"specification curve: {robustness.sentence()}")
    labels = [(k, v) for k in choices for v in choices[k]]
    for j, (k, v) in enumerate(labels):
        on = np.flatnonzero(rt[k].map(lambda x: x == v).to_numpy())
        ax2.plot(on, np.full(len(on), j), "s", ms=3, color="0.3")
    ax2.set_yticks(range(len(labels)), [f"{k} = {v}" for k, v in labels], fontsize=7)
    ax2.set_xlabel("specification (sorted by verdict; count)")
    return fig

"""Notebook 02's figures in the study's theme: each function draws one and returns it (the notebook saves it).

The theme is ``helpers.plotting``'s; the notebook calls ``plotting.save_figure`` and ``plt.show()``.

recovery (estimate against closed form), spread (token share against the budget range tested), deepdive
and mcpmark (score against tokens), shares (stacked Shapley shares per dataset and unit), within_task
(binned residuals within tasks), specifications (the verdict of every specification).
"""
from __future__ import annotations

from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .. import plotting, verdicts
from .entries import shares_table
from .robustness import within_task_residuals


def recovery(rec: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    for (case, quantity), g in rec.groupby(["case", "quantity"]):
        ax.errorbar(g["true"], g["estimate"], yerr=plotting.interval_err(g["estimate"], g["lo"], g["hi"]), fmt="o",
                    capsize=3, label=f"{case}, {quantity}")
    lim = [0, float(rec[["true", "hi"]].to_numpy().max()) * 1.1]
    ax.plot(lim, lim, color="0.5", lw=1, ls="--", label="estimate = truth")
    ax.set_xlabel("closed-form value (share of variance, R² units)")
    ax.set_ylabel("estimate with bootstrap interval (R² units)")
    ax.set_title("Recovery: attribution on simulated linear data")
    ax.legend(fontsize=8)
    return fig


def spread(sweep: pd.DataFrame, claim_share: float):
    fig, ax = plt.subplots()
    for (unit, kind), g in sweep.groupby(["unit", "quantity"]):
        g = g.sort_values("spread")
        ls = "-" if kind == "alone R²" else "--"
        col = "C0" if unit == "config" else "C1"
        ax.plot(g["spread"], g["value"], ls=ls, marker="o", color=col, label=f"{unit} unit, tokens {kind}")
        ax.fill_between(g["spread"], g["lo"], g["hi"], color=col, alpha=0.15)
    ax.axhline(claim_share, color="0.3", lw=1, ls=":", label="claimed share")
    ax.set_xlabel("budget range tested (doublings: log2 of largest / smallest budget)")
    ax.set_ylabel("variance explained by tokens (R² units)")
    ax.set_ylim(0, 1)
    ax.set_title("Token share grows with the budget range tested")
    ax.legend(fontsize=8, loc="upper left")
    return fig


def deepdive(frame: pd.DataFrame):
    fig, ax = plt.subplots(figsize=(7, 4.5))
    se = np.sqrt(frame["score"] * (1 - frame["score"]) / frame["n_questions"])
    for (m, d), mk in zip(frame.groupby("model"), "osD^v"):
        for mode, dm in d.groupby("mode"):
            ax.errorbar(dm["tokens"], dm["score"], yerr=1.96 * se[dm.index], fmt=mk, capsize=2,
                        mfc="white" if mode != "standard" else None, label=f"{m.split('/')[-1]}, {mode}")
    plotting.log_axis(ax, "x")
    ax.set_xlabel("mean total tokens per question, incl. sub-agents (log scale)")
    ax.set_ylabel("accuracy (share of 50 questions, ±1.96 se)")
    ax.set_title("DeepDive: accuracy against tokens per configuration")
    ax.legend(fontsize=6, ncol=2, loc="lower right")
    return fig


def mcpmark(runs: pd.DataFrame):
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 4))
    cfg = runs.groupby("config").agg(y=("y", "mean"), x=("x_tok", "mean"), m=("y", "size"))
    a1.errorbar(np.exp2(cfg["x"]), cfg["y"], yerr=1.96 * np.sqrt(cfg["y"] * (1 - cfg["y"]) / cfg["m"]), fmt="o", capsize=2)
    plotting.log_axis(a1, "x")
    a1.set_xlabel("geometric mean tokens per run (log scale)")
    a1.set_ylabel("success rate (±1.96 se)")
    a1.set_title("per configuration")
    q = pd.qcut(runs["x_tok"], 10, duplicates="drop")
    b = runs.groupby(q, observed=True).agg(y=("y", "mean"), x=("x_tok", "median"), m=("y", "size"))
    a2.errorbar(np.exp2(b["x"]), b["y"], yerr=1.96 * np.sqrt(b["y"] * (1 - b["y"]) / b["m"]), fmt="s-", capsize=2)
    plotting.log_axis(a2, "x")
    a2.set_xlabel("tokens per run, decile median (log scale)")
    a2.set_ylabel("success rate (±1.96 se)")
    a2.set_title("per run, binned by tokens")
    fig.suptitle("MCPMark: success against tokens")
    return fig


def shares(entries: Mapping[str, Mapping], claim_share: float):
    """Stacked Shapley shares with the interval of each at its segment's end; diamonds: tokens alone R²."""
    tab = shares_table(entries)
    order = list(entries)
    group_order = [g for g in ("tokens", "tool_calls", "model", "scaffold") if g in set(tab["group"])]
    colors = dict(zip(group_order, sns.color_palette(plotting.PALETTE, len(group_order))))
    fig, ax = plt.subplots(figsize=(8.5, 0.42 * len(order) + 1.6))
    ypos = np.arange(len(order))
    left = np.zeros(len(order))
    for g in group_order:
        sub = tab[tab["group"] == g].set_index("dataset").reindex(order)
        vals = sub["share"].fillna(0).to_numpy()
        ax.barh(ypos, vals, left=left, color=colors[g], label=f"{g} (Shapley share)", height=0.7)
        ends = left + vals
        has = sub["share"].notna().to_numpy()
        err = plotting.interval_err(vals, sub["lo"].fillna(0), sub["hi"].fillna(0))
        ax.errorbar(ends[has], ypos[has], xerr=err[:, has], fmt="none", ecolor="0.2", capsize=2, lw=0.8)
        left = ends
    tok = tab[tab["group"] == "tokens"].set_index("dataset").reindex(order)
    ax.errorbar(tok["alone"], ypos, xerr=plotting.interval_err(tok["alone"], tok["alone_lo"], tok["alone_hi"]),
                fmt="D", color="k", ms=4, capsize=2, lw=0.8, label="tokens alone R²")
    ax.axvline(claim_share, color="0.3", ls=":", lw=1.2, label="claimed (tokens alone)")
    ax.set_yticks(ypos, order, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of score variance (R² units)")
    ax.set_title("Variance attribution per dataset and unit")
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.08 - 0.6 / len(order)), ncol=3)
    return fig


def within_task(panels: Sequence[tuple], seed: int, level: float, n_boot: int = 200):
    """One panel per (name, run frame, controls): residual log2 tokens against residual score, binned
    (``n_boot`` resamples for seaborn's intervals)."""
    fig, axes = plt.subplots(1, len(panels), figsize=(3.3 * len(panels), 3.8), sharey=True)
    for ax, (name, fr, ctrl) in zip(np.atleast_1d(axes), panels):
        d = within_task_residuals(fr, ctrl)
        centers = np.quantile(d["dx"], np.linspace(0.05, 0.95, 8))
        sns.regplot(data=d, x="dx", y="dy", x_bins=centers, ax=ax, n_boot=n_boot, seed=seed, ci=int(round(level * 100)),
                    scatter_kws={"s": 18}, line_kws={"lw": 1.2})
        ax.axhline(0, color="0.6", lw=0.8)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("")
        ax.set_ylabel("")
    np.atleast_1d(axes)[0].set_ylabel("score, net of task and model\n(success share)")
    fig.supxlabel("log2 tokens, net of task and model effects (doublings)", fontsize=10)
    fig.suptitle("Within-task association of tokens and success (binned means, linear fit)", fontsize=11)
    return fig


def specifications(robust, choices: Mapping):
    order_v = list(verdicts.VERDICTS)
    tab = robust.table.assign(code=robust.table["verdict"].map(order_v.index)).sort_values(["code"] + list(choices))
    fig, ax = plt.subplots(figsize=(8, 2.8))
    ax.scatter(np.arange(len(tab)), tab["code"], c=(tab["verdict"] == robust.headline).map({True: "C0", False: "C3"}), s=10)
    ax.set_yticks(range(len(order_v)), order_v)
    ax.set_xlabel("specification (sorted by verdict)")
    ax.set_ylabel("verdict")
    ax.set_title(f"Specification curve: {robust.sentence()}")
    return fig

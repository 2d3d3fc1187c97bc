"""Figures of notebook 04, part 2: the logged data (Monkeys, Terminal-Bench, MCPMark) and the verdict's views.

Each function draws one figure in the theme of ``helpers.plotting``, saves it under its fixed name, shows it
and returns it (``figures.done``). Part 1 (illustration, recovery, published curves) is ``figures``.
"""
from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .. import plotting, verdicts
from .figures import done
from .fit_counts import counts_curve, mixture_band
from .model import AGGREGATIONS, mixture_curve
from .verdict import RESULTS


def monkeys(mk):
    """Left: each Pythia size's p̂ distribution; right: pass@k with the Beta-mixture fit and ceiling."""
    fig, axes = plt.subplots(1, 2, figsize=(12.5, 4.5))
    pal = sns.color_palette("viridis", len(mk.models))
    n_per = mk.n_per
    k_full = np.unique(np.round(np.geomspace(1, n_per, 40)))
    for col, model in zip(pal, mk.models):
        n_, c_ = mk.data[model]
        ph = np.sort(c_[c_ > 0] / n_[c_ > 0])
        zero = float(np.mean(c_ == 0))
        axes[0].step(np.r_[1 / n_per, ph], np.r_[zero, zero + np.arange(1, ph.size + 1) / len(c_)], where="post",
                     color=col, label=f"{model} (never solved in the sample: {zero:.2f})")
        emp = counts_curve(n_, c_, "pass_at_k", k_full)
        f, lo, hi = mixture_band(mk.fits[model], k_full)
        axes[1].plot(k_full, emp, color=col, lw=2, label=model)
        axes[1].plot(k_full, f, color=col, lw=0.8, ls="--")
        xi = n_per * 1.5 ** (mk.models.index(model) + 1)
        fit = mk.fits[model]
        lo_c, hi_c = fit.ceiling_ci
        axes[1].errorbar([xi], [fit.ceiling], yerr=plotting.interval_err([fit.ceiling], [lo_c], [hi_c]), fmt="s", ms=3,
                         color=col, capsize=2)
    plotting.log_axis(axes[0], "x")
    axes[0].set_xlabel("per-problem p̂ = correct / samples (log; the step at the left = never solved)")
    axes[0].set_ylabel("share of problems with p̂ at most x")
    axes[0].set_title("Internal: larger models shift p̂")
    axes[0].legend(fontsize=7)
    plotting.log2_budget_axis(axes[1], "x", "samples per problem k (log scale)")
    axes[1].set_ylabel("pass@k (share of problems)")
    axes[1].set_title("External: pass@k (solid), fits (dashed), ceilings (right)")
    axes[1].set_xticks([2.0 ** i for i in range(0, int(np.log2(n_per)) + 1, 3)])
    axes[1].legend(fontsize=7, loc="upper left")
    return done(fig, "monkeys")


def monkeys_extrapolation(mk, ex, reference: str):
    """The reference model's full pass@k curve against fits that saw it only up to ``observed_k_max``."""
    ref_n, ref_c = mk.data[reference]
    k_full = np.unique(np.round(np.geomspace(1, mk.n_per, 40)))
    fig, ax = plt.subplots(figsize=(8.5, 4.4))
    kk = np.unique(np.round(np.geomspace(1, mk.n_per * 16, 60)))
    ax.plot(k_full, counts_curve(ref_n, ref_c, "pass_at_k", k_full), color="k", lw=2.5, alpha=0.4,
            label="observed pass@k (all samples)")
    ax.plot(ex.k_obs, ex.y_obs, "o", color="k", ms=4, label="points given to the fits")
    ax.plot(kk, mixture_curve(ex.beta.mixture, "pass_at_k", kk), color="C0", label="Beta mixture (curve fit)")
    ax.axhspan(*ex.beta.ceiling_ci, color="C0", alpha=0.1)
    for r, col in zip(ex.generic.itertuples(), ["C3", "C2", "C4"]):
        ax.plot(kk, np.clip(r.fit.predict(kk), 0, 1), ls="--", color=col, label=r.method)
    ax.axvspan(ex.k_obs.max(), kk.max(), color="0.92", zorder=0)
    plotting.log2_budget_axis(ax, "x", "samples per problem k (log scale; shaded = beyond the fitted points)")
    ax.set_xticks([2.0 ** i for i in range(0, int(np.log2(kk.max())) + 1, 3)])
    ax.set_ylabel("pass@k (share of problems)")
    ax.set_ylim(0, 1.05)
    ax.set_title(f"{reference}: extrapolating the ceiling from a short curve")
    ax.legend(fontsize=7.5, loc="lower right")
    return done(fig, "monkeys_extrapolation")


def terminal_bench(tb, rec, s):
    """Left: pass@k fits with bootstrap bands and observed points; right: each model's limits by aggregation."""
    tb_r, tb_nr = s.tb_r, s.tb_nr
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.8), gridspec_kw={"width_ratios": [1.3, 1], "wspace": 0.45})
    kk = np.unique(np.round(np.geomspace(1, 1024, 40)))
    for i, model in enumerate(tb_r + tb_nr):
        f, lo, hi = mixture_band(tb.fits[model], kk)
        ls = "-" if model in tb_r else "--"
        axes[0].plot(kk, f, ls=ls, color=f"C{i}", label=f"{model.split('/')[-1]} ({'R' if model in tb_r else 'NR'})")
        axes[0].fill_between(kk, lo, hi, color=f"C{i}", alpha=0.12)
        g = tb.per_task[tb.per_task["model"] == model]
        ks = np.arange(1, int(g["n"].min()) + 1)
        axes[0].plot(ks, counts_curve(g["n"].to_numpy(float), g["c"].to_numpy(float), "pass_at_k", ks), "o",
                     color=f"C{i}", ms=3)
    for model in tb_r:
        axes[0].axhline(tb.target[model], color="k", lw=0.6, alpha=0.5)
    plotting.log2_budget_axis(axes[0], "x", "trials per task k (log scale; dots = observed pass@k)")
    axes[0].set_ylabel("pass@k (share of tasks)")
    axes[0].set_title("Terminal-Bench pass@k: Beta mixture with bootstrap bands\n(thin black: reasoning single-trial targets)")
    axes[0].legend(fontsize=7, loc="lower right")
    asym = pd.DataFrame([r for r in rec.asym if r["dataset"] == "terminal_bench"])
    asym["lo"] = [c[0] for c in asym["ci"]]
    asym["hi"] = [c[1] for c in asym["ci"]]
    asym["label"] = [m.split("/")[-1][:24] for m in asym["model"]]
    offs = {"pass_at_k": -0.22, "majority_vote": 0.0, "verifier": 0.22}
    ylab = {m: i for i, m in enumerate(asym["label"].unique())}
    for j, agg in enumerate(AGGREGATIONS):
        a = asym[asym["aggregation"] == agg]
        yy = np.array([ylab[m] for m in a["label"]]) + offs[agg]
        axes[1].errorbar(a["asymptote"], yy, xerr=plotting.interval_err(a["asymptote"], a["lo"], a["hi"]), fmt="o",
                         ms=4, capsize=2, color=f"C{j}", label=s.agg_label[agg])
    axes[1].set_yticks(list(ylab.values()), list(ylab.keys()), fontsize=8)
    axes[1].set_xlabel("accuracy limit as k grows (share of tasks; 95% intervals)")
    axes[1].set_title("Ceilings by aggregation")
    axes[1].legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    return done(fig, "terminal_bench")


def mcpmark(m, head: pd.DataFrame, p):
    """Left: thinking pairs' pass@k against tokens spent; right: configuration pairs' gap at k = 1 and best gap."""
    th = head[head["unit"] == "thinking pair"]
    kk = np.arange(1, m.P.shape[2] + 1)
    acc = m.mc.acc
    lo_acc, hi_acc = np.quantile(acc[1:], [0.025, 0.975], axis=0)
    fig, axes = plt.subplots(1, 2, figsize=(13.5, 4.6), gridspec_kw={"wspace": 0.3})
    for j, r in enumerate(th.itertuples()):
        for name, ls in ((r.weaker, "--"), (r.stronger, "-")):
            i = m.idx[name]
            x = kk * m.tokens[i]
            axes[0].errorbar(x, acc[0, i], yerr=plotting.interval_err(acc[0, i], lo_acc[i], hi_acc[i]), ls=ls, marker="o",
                             ms=4, capsize=2, color=f"C{j}",
                             label=f"{name} ({'with' if ls == '-' else 'without'} thinking)")
    plotting.log_axis(axes[0], "x")
    axes[0].xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    axes[0].set_xlabel("tokens spent per task: k runs x mean tokens per run (log scale)")
    axes[0].set_ylabel("pass@k, k = 1..4 (share of tasks; 95% intervals)")
    axes[0].set_title("MCPMark thinking pairs at matched spend")
    axes[0].legend(fontsize=6.5, loc="upper left")
    cp = head[head["unit"] == "config pair"].copy()
    cp["shown"] = cp["best_gap"].astype(float).fillna(-0.75)
    sns.scatterplot(data=cp, x="gap_k1", y="shown", hue="result", style="doubtful", ax=axes[1], s=22,
                    hue_order=[r for r in RESULTS if r in set(cp["result"])])
    for ax_line in (axes[1].axhline, axes[1].axvline):
        ax_line(-p.catch_up_tolerance, color="k", lw=0.8, ls="--")
    axes[1].set_xlabel("weaker minus stronger pass@1 (k = 1, one run each)")
    axes[1].set_ylabel(f"best gap at matched spend, k >= 2\n({p.spend_view.replace('_', ' ')}; -0.75 = none compared)")
    axes[1].set_title("Configuration pairs: non-reasoning vs reasoning")
    axes[1].legend(fontsize=7, loc="upper left")
    return done(fig, "mcpmark")


def legacy_catch_up(lv, p):
    """The legacy view: cost of catching up against one stronger sample, per comparison and aggregation."""
    fig, ax = plt.subplots(figsize=(10, 4.8))
    df = lv.catch[lv.legacy].reset_index(drop=True)
    df = df.assign(price=[r["cost_ratio"] if r["cost_ratio"] is not None else
                          (r["samples_needed"] if r["samples_needed"] is not None else np.nan)
                          for r in df.to_dict("records")])
    never_y = 10.0 ** 7
    df["shown"] = df["price"].fillna(never_y).clip(upper=never_y)
    df["pair"] = [f"{d[:14]}: {a.split('/')[-1][:16]}→{b.split('/')[-1][:12]}" for d, a, b in
                  zip(df["dataset"], df["non_reasoning_model"], df["reasoning_model"])]
    sns.stripplot(data=df, x="shown", y="pair", hue="aggregation", dodge=True, ax=ax, size=6, jitter=False,
                  hue_order=list(AGGREGATIONS))
    plotting.log_axis(ax, "x")
    ax.axvline(p.affordable_cost_ratio, color="k", lw=1, ls="--")
    ax.axvline(never_y, color="C3", lw=6, alpha=0.15)
    ax.set_xlabel("cost of catching up / one reasoning sample (log; right edge = never: the target is above the ceiling)")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=7)
    ax.set_title("Legacy view: catch-up cost against one stronger sample (dashed: the affordable threshold)")
    return done(fig, "catch_up")


def specification_curve(robust, choices: dict):
    """Share of specifications giving each verdict, by the value of each analysis choice."""
    fig, axes = plt.subplots(1, len(choices), figsize=(15, 3.2), sharey=True)
    for ax, k in zip(axes, choices):
        share = pd.crosstab(robust.table[k].astype(str), robust.table["verdict"], normalize="index")
        share = share.reindex(columns=[v for v in verdicts.VERDICTS if v in share.columns])
        share.plot.bar(stacked=True, ax=ax, legend=False, width=0.8, rot=30)
        ax.set_title(k, fontsize=9)
        ax.set_xlabel("")
    axes[0].set_ylabel("share of specifications")
    axes[-1].legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.suptitle(f"Specification curve: {robust.sentence()}", fontsize=10)
    return done(fig, "specification_curve")

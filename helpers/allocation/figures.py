"""The notebook's figures, each a function returning the figure (``helpers.plotting``'s theme, set by the notebook).

The notebook saves each one (``plotting.save_figure``) and shows it. Log-2 budget axes; bands and error bars
are bootstrap intervals over problems; censored ratios are drawn at a stated cap.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns

from .. import plotting, verdicts
from .core import ADAPTIVE_POLICIES, DIFFICULTY_BINS, POLICIES


def _policy_colors() -> dict:
    return dict(zip(POLICIES, sns.color_palette(plotting.PALETTE, len(POLICIES))))


def panel_grid(n, height=3.4):
    """Up to three panels per row; the first spare panel (if any) holds the legend."""
    ncols = min(3, n)
    nrows = int(np.ceil(n / ncols))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, height * nrows), squeeze=False)
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.axis("off")
    return fig, axes, (axes[n] if n < len(axes) else None)


def _legend(axes, spare, spare_kw: dict, fallback_kw: dict) -> None:
    """The legend in the spare panel, else in the first panel."""
    handles, labels = axes[0].get_legend_handles_labels()
    if spare is not None:
        spare.legend(handles, labels, loc="center", **spare_kw)
    else:
        axes[0].legend(**fallback_kw)


def mcpmark_counts(problems):
    """Stacked shares of MCPMark tasks by successes out of 4 runs, per configuration."""
    fig, ax = plt.subplots(figsize=(7.5, 7))
    share = problems.iloc[:, :5].div(problems.iloc[:, :5].sum(axis=1), axis=0)
    left = np.zeros(len(share))
    for col, colr in zip(share.columns, sns.color_palette("crest", 5)):
        ax.barh(share.index, share[col], left=left, color=colr, label=col)
        left += share[col].to_numpy()
    ax.set_xlabel("share of the 127 tasks (fraction)")
    ax.set_ylabel("configuration (sorted by pass@1)")
    ax.tick_params(axis="y", labelsize=7)
    ax.legend(title="successes in 4 runs", fontsize=7, title_fontsize=7, loc="lower right")
    ax.set_title("MCPMark: successes out of 4 runs per task")
    return fig


def mcpmark_ratios(show, budgets, ratio_threshold, level, aggregation):
    """Held-out efficiency ratio per configuration and budget, with the oracle's upper bound."""
    fig, axes = plt.subplots(1, len(budgets), figsize=(4.2 * len(budgets), 0.16 * show["model"].nunique() + 2),
                             squeeze=False, sharey=True)
    cap = 4 * ratio_threshold
    for ax, B in zip(axes[0], budgets):
        d = show[show["budget"] == B].sort_values("model")
        y = np.arange(len(d))
        r = np.minimum(d["ratio"], cap)
        ax.errorbar(r, y, xerr=plotting.interval_err(r, np.minimum(d["lo"], cap), np.minimum(d["hi"], cap)), fmt="o", ms=3,
                    label="chosen realistic policy")
        ax.scatter(np.minimum(d["oracle"], cap), y, marker="|", s=40, color="0.4", label="oracle (upper bound)")
        ax.axvline(1, color="0.3", lw=1)
        ax.axvline(ratio_threshold, color="0.3", lw=1, ls=":")
        plotting.log_axis(ax, "x", base=2)
        ax.set_yticks(y, d["model"], fontsize=6)
        ax.set_xlabel("efficiency ratio vs uniform (x, log scale)")
        ax.set_title(f"{B:g} attempt(s) per task", fontsize=10)
    axes[0][0].legend(fontsize=7)
    fig.suptitle(f"MCPMark: held-out efficiency ratio per configuration\n({level:.0%} bootstrap intervals; {aggregation})")
    fig.tight_layout()
    return fig


def accuracy_curves(evaluated, level):
    """Accuracy against mean budget per dataset and policy, with bootstrap bands."""
    colors = _policy_colors()
    fig, axes, spare = panel_grid(len(evaluated))
    for ax, (name, res) in zip(axes, evaluated.items()):
        c = res.curves[res.curves["model"] == res.level_model]
        for pol in POLICIES:
            d = c[c["policy"] == pol]
            ax.plot(d["mean_budget"], d["accuracy"], marker="o", ms=3, color=colors[pol], label=pol)
            ax.fill_between(d["mean_budget"], d["accuracy_lo"], d["accuracy_hi"], color=colors[pol], alpha=0.2,
                            linewidth=0)
        plotting.log2_budget_axis(ax, "x", "mean budget (samples per problem)")
        ax.set_ylabel("accuracy (share of problems solved)")
        ax.set_title(name, fontsize=10)
    _legend(axes, spare, {"title": "policy"}, {"fontsize": 7})
    fig.suptitle(f"Accuracy at equal mean budget ({level:.0%} bootstrap bands over problems)")
    fig.tight_layout()
    return fig


def efficiency(evaluated, snell_x, ratio_threshold, level):
    """Efficiency ratio against mean budget per dataset and adaptive policy (censored drawn at 10x Snell's)."""
    colors = _policy_colors()
    fig, axes, spare = panel_grid(len(evaluated))
    cap = 10 * snell_x
    for ax, (name, res) in zip(axes, evaluated.items()):
        r = res.ratios[res.ratios["model"] == res.level_model]
        for pol in ADAPTIVE_POLICIES:
            d = r[r["policy"] == pol]
            ax.plot(d["mean_budget"], np.minimum(d["ratio"], cap), marker="o", ms=3, color=colors[pol], label=pol)
            ax.fill_between(d["mean_budget"], np.minimum(d["ratio_lo"], cap), np.minimum(d["ratio_hi"], cap),
                            color=colors[pol], alpha=0.2, linewidth=0)
        ax.axhline(1, color="0.3", lw=1)
        ax.axhline(snell_x, color="0.3", lw=1, ls="--")
        ax.axhline(ratio_threshold, color="0.3", lw=1, ls=":")
        plotting.log2_budget_axis(ax, "x", "mean budget (samples per problem)")
        plotting.log_axis(ax, "y", base=2)
        ax.set_ylabel("efficiency ratio vs uniform (x)")
        ax.set_title(name, fontsize=10)
    _legend(axes, spare, {"title": "policy"}, {"fontsize": 7})
    fig.suptitle(f"Efficiency ratio vs uniform ({level:.0%} bootstrap bands; dashed: Snell et al.'s headline, "
                 f"dotted: material-gain threshold; censored drawn at {10 * snell_x:g}x)")
    fig.tight_layout()
    return fig


def budget_shares(shares_all, names, hard_max_p, easy_min_p, share_budget):
    """Where each policy's budget goes by difficulty bin, per dataset."""
    fig, axes, spare = panel_grid(len(names), height=3.0)
    bin_colors = dict(zip(DIFFICULTY_BINS, sns.color_palette("crest", len(DIFFICULTY_BINS))))
    for ax, name in zip(axes, names):
        s = shares_all[shares_all["dataset"] == name].pivot(index="policy", columns="bin", values="share") \
            .reindex(index=list(POLICIES), columns=list(DIFFICULTY_BINS))
        left = np.zeros(len(s))
        for bn in DIFFICULTY_BINS:
            ax.barh(s.index, s[bn], left=left, color=bin_colors[bn], label=bn)
            left += s[bn].to_numpy()
        ax.set_xlabel("share of the budget spent (fraction)")
        ax.set_title(name, fontsize=10)
    title = f"difficulty (hard: p < {hard_max_p:g}; easy: p at least {easy_min_p:g};\nunsolvable: never solved)"
    _legend(axes, spare, {"title": title, "fontsize": 8, "title_fontsize": 8},
            {"fontsize": 7, "title": title, "title_fontsize": 7})
    fig.suptitle(f"Where the budget goes at {share_budget:g} samples per problem (point estimates)")
    fig.tight_layout()
    return fig


def predictor_quality(sweep, ref, predictors, evaluated):
    """The binned policy's ratio against its predictor's Spearman correlation (synthetic sweep, logged data)."""
    fig, ax = plt.subplots(figsize=(6.5, 4))
    for B in ref:
        d = sweep[sweep["mean_budget"] == B]
        ax.plot(d["spearman"], d["ratio"], marker="o", label=f"synthetic, B = {B:g}")
    for name, info in predictors.items():
        res = evaluated[name]
        r = res.ratios[(res.ratios["model"] == res.level_model) & (res.ratios["policy"] == "binned_predicted")
                       & res.ratios["mean_budget"].isin(ref)]
        ax.scatter(np.full(len(r), info["spearman_median"]), r["ratio"], marker="x", s=40,
                   label=f"{name} ({info['predictor'][0]})")
    ax.axhline(1, color="0.3", lw=1)
    ax.set_xlabel("predictor's Spearman correlation with p (higher = better predictor)")
    ax.set_ylabel("binned_predicted efficiency ratio (x)")
    ax.set_title("Binned policy versus the quality of its difficulty predictor")
    ax.legend(fontsize=7)
    return fig


def heterogeneity(het, share_budget):
    """log2 efficiency ratio over (unsolvable share, Beta concentration) for the oracle and early stopping."""
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.6))
    for ax, pol in zip(axes, ["oracle_greedy", "early_stop"]):
        h = het[het["policy"] == pol].pivot(index="pi0", columns="concentration", values="ratio")
        sns.heatmap(np.log2(h), annot=h.round(1), fmt="", cmap="viridis", ax=ax,
                    cbar_kws={"label": "log2 efficiency ratio"})
        ax.set_xlabel("Beta concentration a+b (small = widely spread p)")
        ax.set_ylabel("share of unsolvable problems")
        ax.set_title(f"{pol} at B = {share_budget:g}", fontsize=10)
    fig.tight_layout()
    return fig


def selectors(sel):
    """Accuracy by selector and allocation at equal budget."""
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    long = sel.melt(id_vars=["selector", "mean_budget"], value_vars=["uniform", "coverage_allocation", "selector_optimum"],
                    var_name="allocation", value_name="accuracy")
    long["cell"] = long["selector"] + ", B=" + long["mean_budget"].map(lambda b: f"{b:g}")
    sns.barplot(data=long, y="cell", x="accuracy", hue="allocation", ax=ax)
    ax.set_xlabel("accuracy (share of problems answered correctly)")
    ax.set_ylabel("selector and mean budget (samples per problem)")
    ax.set_title("Accuracy by selector and allocation at equal budget")
    return fig


def specification_curve(rob, choices, headline_spec):
    """Every specification's verdict (sorted), with the choices that make it (dark: the headline's)."""
    spec_t = rob.table.assign(order=rob.table["verdict"].map({v: i for i, v in enumerate(verdicts.VERDICTS)}))
    spec_t = spec_t.sort_values(["order"] + list(choices), kind="stable").reset_index(drop=True)
    rows = [(k, v) for k, vals in choices.items() for v in vals]
    fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(9, 1.8 + 0.22 * len(rows)), sharex=True,
                                   gridspec_kw={"height_ratios": [1, 0.3 * len(rows)]})
    ax0.scatter(spec_t.index, spec_t["order"], c=[sns.color_palette(plotting.PALETTE)[o] for o in spec_t["order"]], s=12)
    ax0.set_yticks(range(len(verdicts.VERDICTS)), verdicts.VERDICTS, fontsize=7)
    ax0.set_ylabel("verdict")
    for j, (k, v) in enumerate(rows):
        on = spec_t[k] == v
        ax1.scatter(spec_t.index[on], np.full(on.sum(), j), s=6, color="0.2" if v == headline_spec[k] else "0.6")
    ax1.set_yticks(range(len(rows)), [f"{k} = {v}" for k, v in rows], fontsize=6)
    ax1.set_xlabel("specification (sorted by verdict)")
    ax0.set_title(f"Specification curve: {rob.sentence()}")
    fig.tight_layout()
    return fig

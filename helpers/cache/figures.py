"""The figures of notebook 05 (claim 5), in the study's theme (``helpers.plotting``); each returns its figure.

The notebook saves (``plotting.save_figure``) and shows each one. Uncertainty is drawn on every figure:
95% bands across simulated agents, session-bootstrap intervals for logged sources, task-bootstrap
intervals for benchmark setups and MCPMark configurations.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from .. import plotting, tokens, verdicts
from .sessions import session_sums

MIX = [("cache_read", "cache read"), ("cache_write", "cache write"), ("uncached_input", "uncached input"), ("output", "output")]


def daily_share(sim, pub_share: float, majority_share: float):
    """Cache-read share of all tokens per simulated day (mean and 95% band across agents)."""
    daily = tokens.group_totals(sim, ["rep", "day"]).reset_index()
    fig, ax = plt.subplots()
    sns.lineplot(data=daily, x="day", y="cache_read_share_tokens", errorbar=("pi", 95), ax=ax, label="simulated agents (mean, 95% band)")
    ax.axhline(pub_share, color="C3", ls="--", label="case study (all tokens)")
    ax.axhline(majority_share, color="C7", ls=":", label="majority threshold")
    ax.set_xlabel("day of the simulated study (days)")
    ax.set_ylabel("cache reads / all tokens (share)")
    ax.set_ylim(0, 1)
    ax.set_title("Cache-read share over the simulated days")
    ax.legend(loc="lower right")
    return fig


def mix(sim, sim_reps, logs, pub):
    """Token mix and cost mix of the simulator and each logged source, with the read share's intervals."""
    mix_sources = {"simulator (defaults)": sim, **logs.priced}
    rows = []
    for name, d in mix_sources.items():
        d2 = d.assign(cache_write=d["cache_write_5m"] + d["cache_write_1h"],
                      cost_cache_write_usd=d["cost_cache_write_5m_usd"] + d["cost_cache_write_1h_usd"])
        tok = float(d2[[c for c, _ in MIX]].sum().sum())
        cost = float(d2["cost_usd"].sum())
        for c, lab in MIX:
            rows.append({"source": name, "kind": lab, "tokens": d2[c].sum() / tok, "cost": d2[f"cost_{c}_usd"].sum() / cost})
    mixd = pd.DataFrame(rows)
    ci_tok = {"simulator (defaults)": (sim_reps["cache_read_share_tokens_lo"], sim_reps["cache_read_share_tokens_hi"]),
              **{k: v["cache_read_share_tokens"] for k, v in logs.ci.items()}}
    ci_cost = {"simulator (defaults)": (sim_reps["cache_read_share_cost_lo"], sim_reps["cache_read_share_cost_hi"]),
               **{k: v["cache_read_share_cost"] for k, v in logs.ci.items()}}
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.8), sharey=True)
    names = list(mix_sources)
    for ax, col, cis, marker, mlab, mcol in ((axes[0], "tokens", ci_tok, pub["share"], "case study: reads / all tokens", "C3"),
                                             (axes[1], "cost", ci_cost, pub["tracelab_read_cost"], "TraceLab: cached prefix / spend", "C4")):
        left = np.zeros(len(names))
        for j, (_, lab) in enumerate(MIX):
            vals = mixd[mixd["kind"] == lab].set_index("source").loc[names, col].to_numpy()
            ax.barh(names, vals, left=left, color=f"C{j}", label=lab)
            left += vals
        lo = np.array([cis[n][0] for n in names])
        hi = np.array([cis[n][1] for n in names])
        mid = mixd[mixd["kind"] == "cache read"].set_index("source").loc[names, col].to_numpy()
        ax.errorbar(mid, np.arange(len(names)), xerr=plotting.interval_err(mid, lo, hi),
                    fmt="none", ecolor="black", capsize=3, label="95% interval of the read share")
        ax.axvline(marker, color=mcol, ls="--", lw=1.5, label=mlab)
        ax.set_xlim(0, 1)
        ax.set_xlabel(f"share of {'all tokens' if col == 'tokens' else 'cost (USD)'}")
    axes[0].set_ylabel("source")
    axes[0].set_title("Token mix")
    axes[1].set_title("Cost mix")
    handles, labs = axes[1].get_legend_handles_labels()
    h0, l0 = axes[0].get_legend_handles_labels()
    extra = [(h, l) for h, l in zip(h0, l0) if l.startswith("case study")]
    fig.legend(handles + [h for h, _ in extra], labs + [l for _, l in extra], loc="lower center",
               bbox_to_anchor=(0.5, -0.12), ncol=4, fontsize="small")
    return fig


def sessions(entries, real: dict, majority_share: float, pub_share: float):
    """Read share of every real session against its number of calls, with each source's interval."""
    fig, ax = plt.subplots(figsize=(8, 4.5))
    for j, e in enumerate(entries):
        s = session_sums(real[e["name"]])
        tok = s[["uncached_input", "cache_write", "cache_read", "output"]].sum(axis=1)
        ax.scatter(s["calls"], s["cache_read"] / tok, color=f"C{j}", s=40, label=f"{e['name']}: sessions")
        if e["cache_read_share_ci"]:
            ax.axhspan(*e["cache_read_share_ci"], color=f"C{j}", alpha=0.15, label=f"{e['name']}: 95% interval (sessions)")
    ax.axhline(majority_share, color="C7", ls=":", label="majority threshold")
    ax.axhline(pub_share, color="C3", ls="--", lw=1, label="case study (all tokens)")
    plotting.share_axes(ax, xlabel="model calls in the session (log scale)", ylabel="cache reads / all tokens (share)",
                        title="Cache-read share per real session")
    return fig


def cost_bench(bench):
    """Cost per token beside cost per attempt and per solved task of the coding-agent-cost-bench setups."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    y = np.arange(len(bench))
    axes[0].barh(y, bench["cost_per_mtok_usd"], color="C0")
    axes[0].set_yticks(y, bench.index)
    axes[0].set_xlabel("billed USD per million tokens")
    axes[0].set_ylabel("setup (sorted by cost per token)")
    axes[0].set_title("Cost per token")
    for what, fmt, color, label in (("solved", "o", "C3", "per solved task"), ("attempt", "s", "C7", "per attempt")):
        est, lo, hi = (bench[f"cost_per_{what}{suffix}"] for suffix in ("_usd", "_lo", "_hi"))
        axes[1].errorbar(est, y, xerr=plotting.interval_err(est, lo, hi), fmt=fmt, color=color, capsize=3,
                         label=f"{label} (95% interval)")
    axes[1].set_xlabel("billed USD")
    axes[1].set_title("Cost per attempt and per solved task")
    axes[1].legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2, fontsize="small")
    return fig


def mcpmark_denominator(d: dict, ladders: dict, token_prices: str):
    """(figure, configurations that never solved a task): MCPMark cost per token vs per solved task."""
    x = pd.Series(d["cost_per_mtok_usd"])
    y = pd.Series(d["cost_per_solved_usd"])
    ci = pd.DataFrame(d["cost_per_solved_ci"], index=["lo", "hi"]).T
    ok = np.isfinite(y)
    fig, ax = plt.subplots(figsize=(8.5, 5.5))
    ax.errorbar(x[ok], y[ok], yerr=plotting.interval_err(y[ok], ci["lo"][ok], np.minimum(ci["hi"][ok], 1e6)), fmt="o", color="C0",
                ms=4, alpha=0.7, capsize=2, label="configuration (95% interval, tasks resampled)")
    for j, (base_model, cfgs) in enumerate(sorted(ladders.items())):
        c = [k for k in cfgs if k in x.index and np.isfinite(y[k])]
        ax.plot(x[c], y[c], "-", color=f"C{j + 1}", lw=1.2, label=f"{base_model} effort ladder")
    for k, mark, lab in ((d["token_pick"], "s", "cheapest per token (list)"), (d["artifact_pick"], "*", "cheapest per solved task")):
        if k is not None and np.isfinite(y[k]):
            ax.scatter([x[k]], [y[k]], marker=mark, s=160, facecolors="none", edgecolors="C3", lw=2, label=f"{lab}: {k}")
    plotting.log_axis(ax, "x")
    plotting.log_axis(ax, "y")
    ax.set_xlabel(f"USD per million tokens ({token_prices} prices, log scale)")
    ax.set_ylabel("USD per solved task, cache-aware (log scale)")
    ax.set_title("MCPMark: cost per token vs cost per solved task")
    ax.legend(fontsize="x-small", loc="lower right")
    return fig, sorted(y.index[~ok])


def context_ttl(ctx: dict):
    """Cost per artifact and per token against the stable prefix, under a 5-minute and a 1-hour TTL."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for j, (lab, d) in enumerate(ctx.items()):
        axes[0].plot(d["value"], d["cost_per_artifact_usd"], "o-", color=f"C{j}", label=lab)
        axes[0].fill_between(d["value"], d["cost_per_artifact_usd_lo"], d["cost_per_artifact_usd_hi"], color=f"C{j}", alpha=0.2)
        axes[1].plot(d["value"], d["cost_per_token_usd"] * 1e6, "o-", color=f"C{j}", label=lab)
        axes[1].fill_between(d["value"], d["cost_per_token_usd_lo"] * 1e6, d["cost_per_token_usd_hi"] * 1e6, color=f"C{j}", alpha=0.2)
    for ax in axes:
        plotting.log2_budget_axis(ax, "x", "stable prefix (tokens, log scale)")
        ax.legend()
    axes[0].set_ylabel("USD per finished artifact")
    axes[0].set_title("Cost per artifact vs context and TTL")
    axes[1].set_ylabel("USD per million tokens")
    axes[1].set_title("Cost per token vs context and TTL")
    return fig


def sensitivity(sens: dict, sweeps: dict, pub_share: float, majority_share: float):
    """Read share and cost per artifact along each sweep (``sweeps``: field -> (axis label, grid, log x))."""
    fig, axes = plt.subplots(2, len(sweeps), figsize=(15, 6.5), sharey="row")
    for j, (f, (lab, grid, logx)) in enumerate(sweeps.items()):
        d = sens[f]
        for i, (k, ylab) in enumerate((("cache_read_share_tokens", "cache reads / all tokens"), ("cost_per_artifact_usd", "USD per finished artifact"))):
            ax = axes[i, j]
            ax.plot(d["value"], d[k], "o-", color=f"C{i}")
            ax.fill_between(d["value"], d[f"{k}_lo"], d[f"{k}_hi"], color=f"C{i}", alpha=0.2)
            if i == 0:
                ax.axhline(pub_share, color="C3", ls="--", lw=1, label="case study")
                ax.axhline(majority_share, color="C7", ls=":", lw=1, label="majority threshold")
                ax.set_ylim(0, 1)
            if logx:
                plotting.log2_budget_axis(ax, "x")
            elif f == "compaction_threshold_tokens":
                ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v / 1000:,.0f}"))
            ax.set_xlabel(lab if i == 1 else "")
            ax.set_ylabel(ylab if j == 0 else "")
    axes[0, 0].legend(loc="lower right", fontsize="small")
    fig.suptitle("Sensitivity of the cache-read share and of cost per artifact (95% band across simulated agents)")
    return fig


def ttl_break_even(be: dict, be_sim, be_cf):
    """Cost per artifact under each TTL against the mean idle pause, with the break-evens."""
    fig, ax = plt.subplots()
    for j, (lab, d) in enumerate(be.items()):
        ax.plot(d["value"], d["cost_per_artifact_usd"], "o-", color=f"C{j}", label=lab)
        ax.fill_between(d["value"], d["cost_per_artifact_usd_lo"], d["cost_per_artifact_usd_hi"], color=f"C{j}", alpha=0.2)
    for k, x in enumerate(be_sim):
        ax.axvline(x, color="black", ls="--", lw=1, label="break-even (simulated)" if k == 0 else None)
    for k, x in enumerate(be_cf):
        ax.axvline(x, color="C3", ls=":", lw=1.5, label="break-even (closed form)" if k == 0 else None)
    plotting.log2_budget_axis(ax, "x", "mean idle pause (s, log scale)")
    ax.set_ylabel("USD per finished artifact")
    ax.set_title("5-minute vs 1-hour cache TTL")
    ax.legend(fontsize="small")
    return fig


def specification_curve(robustness, choices: dict):
    """Verdicts across specifications and the share agreeing with the headline per analysis choice."""
    rt = robustness.table
    fig, axes = plt.subplots(1, 2, figsize=(12, 4), gridspec_kw={"width_ratios": [1, 2]})
    counts = rt["verdict"].value_counts().reindex(list(verdicts.VERDICTS), fill_value=0)
    axes[0].barh(counts.index, counts.to_numpy(), color=["C2" if v == robustness.headline else "C7" for v in counts.index])
    axes[0].set_xlabel("specifications (count)")
    axes[0].set_title("Verdict across specifications")
    labels, share = [], []
    for name, values in choices.items():
        for v in values:
            labels.append(f"{name} = {v:.3g}" if isinstance(v, float) else f"{name} = {v}")
            share.append(float((rt.loc[rt[name] == v, "verdict"] == robustness.headline).mean()))
    axes[1].barh(labels, share, color="C0")
    axes[1].set_xlim(0, 1)
    axes[1].set_xlabel(f"share of specifications agreeing with '{robustness.headline}'")
    axes[1].tick_params(axis="y", labelsize=7)
    axes[1].set_title("Agreement by analysis choice")
    return fig

"""MCPMark, the in-scope evidence of claim 4: tool-use agents with and without reasoning.

Loads the runs (``helpers.agent_runs``; summary.json's reasoning labels, optionally overridden), builds the
comparisons (thinking pairs, configuration pairs, capability pairs) with one bootstrap over tasks shared by
every configuration (``helpers.bootstrap.counts``), and turns each pair's outcome under each view into a
``catch_up`` record (the weaker side's first k within the tolerance at matched spend).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from .. import agent_runs, bootstrap, registry
from .mcpmark import MCPMarkComparisons, mcpmark_pairs, mcpmark_pass_at_k


def load(p, s, rng) -> SimpleNamespace | None:
    """Runs, labels, pass@k, spends and the comparisons; None (reason printed) without the data."""
    try:
        summary = agent_runs.mcpmark_summary()
        runs = agent_runs.mcpmark_runs(reasoning_override=p.mcpmark_reasoning_override or None)
    except registry.DataUnavailable as exc:
        print(exc)
        return None
    labels = runs.groupby("config")["is_reasoning"].first().to_dict()
    doubtful = agent_runs.DOUBTFUL_REASONING_LABELS
    doubt_table = pd.DataFrame([{"configuration": c, "label used": "reasoning" if labels.get(c) else "non-reasoning",
                                 "why the label is doubtful": why} for c, why in doubtful.items()])
    cfg, tasks, P, dropped = mcpmark_pass_at_k(runs)
    tokens = runs[runs["tokens_ok"]].groupby("config")["total_tokens"].mean().astype(float).reindex(cfg).to_numpy()
    usd = summary.set_index("config")["per_run_cost_usd"].reindex(cfg).to_numpy(float)
    pairs = mcpmark_pairs(cfg, labels, agent_runs.mcpmark_thinking_pairs(summary), set(doubtful))
    mc = MCPMarkComparisons.build(P, bootstrap.counts(len(tasks), s.n_boot, rng), cfg, pairs, tokens, usd)
    text = (f"{len(cfg)} configurations x {len(tasks)} tasks x 4 runs; left out (fewer than 4 runs per task): "
            f"{', '.join(dropped) or 'none'}; {runs.attrs['dropped_token_runs']} runs without a usable token "
            f"count are left out of the token means. Comparisons: "
            + ", ".join(f"{n} {u}s" for u, n in pairs["unit"].value_counts().items()) + ".")
    return SimpleNamespace(runs=runs, labels=labels, doubtful=doubtful, doubt_table=doubt_table, cfg=cfg, P=P,
                           tokens=tokens, usd=usd, pairs=pairs, mc=mc, text=text,
                           idx={c: i for i, c in enumerate(cfg)})


def views(m, p) -> dict:
    """Outcomes of every pair under matched attempts, matched tokens and the headline view."""
    return {v: m.mc.outcomes(v, p.catch_up_tolerance, p.affordable_cost_ratio, p.decide_by, True, True)
            for v in ("matched_k", "matched_tokens", p.spend_view)}


def views_table(vs: dict) -> pd.DataFrame:
    return pd.concat({v: pd.crosstab(o["unit"], o["result"]) for v, o in vs.items()}, names=["view"]).fillna(0).astype(int)


def views_text(vs: dict) -> str:
    lines = []
    for v, o in vs.items():
        cnt = o[o["unit"] != "capability pair"]["result"].value_counts()
        res = int(cnt.get("caught_up", 0) + cnt.get("stays_below", 0))
        lines.append(f"{v}: the weaker side catches up in {int(cnt.get('caught_up', 0))} of {res} counted thinking "
                     f"and configuration pairs; {int(cnt.get('already_ahead', 0))} are already level or ahead at "
                     f"k = 1 and {int(cnt.get('no_matched_spend', 0) + cnt.get('unresolved', 0))} cannot be decided.")
    return "\n".join(lines)


def record(m, vs: dict, rec) -> str:
    """``catch_up`` records of every pair under every view, and the per-configuration pass@k with intervals."""
    acc0 = m.mc.acc[0]
    for v, o in vs.items():
        spend = m.mc.spends[v]
        for r in o.to_dict("records"):
            w, s = m.idx[r["weaker"]], m.idx[r["stronger"]]
            ratio = 1.0 if spend is None else float(spend[w] / spend[s])
            k_ = None if pd.isna(r["k_caught_up"]) else int(r["k_caught_up"])
            rec.catch.append({"dataset": "mcpmark", "gap": r["unit"].replace(" ", "_"), "view": v,
                              "non_reasoning_model": r["weaker"], "reasoning_model": r["stronger"],
                              "aggregation": "pass_at_k", "target_accuracy": float(acc0[s, 0]),
                              "samples_needed": k_, "tokens_needed": None if k_ is None else float(k_ * m.tokens[w]),
                              "cost_ratio": None if k_ is None else k_ * ratio, "asymptote": None,
                              "status": r["result"], "result": r["result"], "gap_k1": r["gap_k1"],
                              "best_gap": r["best_gap"], "best_gap_ci": r["ci"],
                              "best_k": None if pd.isna(r["best_k"]) else int(r["best_k"]),
                              "spend_ratio": ratio, "doubtful_label": bool(r["doubtful"]),
                              "observed_k_max": int(m.P.shape[2]), "extrapolated": None if k_ is None else False})
    lo_a, hi_a = np.quantile(m.mc.acc[1:], [0.025, 0.975], axis=0)
    m.configs = [{"config": c, "is_reasoning": bool(m.labels[c]), "doubtful_label": c in m.doubtful,
                  "pass_at_k": [float(a) for a in acc0[i]],
                  "pass_at_k_ci": [[float(a), float(b)] for a, b in zip(lo_a[i], hi_a[i])],
                  "mean_tokens_per_run": float(m.tokens[i]), "usd_per_run": float(m.usd[i])}
                 for i, c in enumerate(m.cfg)]
    return f"{sum(c['dataset'] == 'mcpmark' for c in rec.catch)} MCPMark comparisons recorded ({len(vs)} views)."

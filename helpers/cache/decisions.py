"""Part (b) evidence of claim 5: does the per-artifact denominator change a decision among options?

A decision is a choice among options run on the same tasks: MCPMark (tool-use agents) over all
configurations and within each effort ladder (``ladder_decisions``); coding-agent-cost-bench setups
(``cost_bench_matrices``). ``decision`` finds the *token pick* (lowest cost per token at list price, or at
cache-aware prices) and the *artifact pick* (lowest cost per solved task at cache-aware prices), R = cost
per solved task of the token pick / that of the artifact pick, and, over a task bootstrap (tasks resampled
with replacement, the same draw ``W`` for every option), R's interval and p_change, the share of draws in
which the token pick is not the cheapest per solved task.

Cache-aware prices (an assumption, stated): MCPMark's ``per_run_cost_usd`` is list price without caching
(gpt-5-low: 641,564 input and 18,912 output tokens per task at 1.25/10 USD per Mtok give its 0.99 USD per
task). A configuration's input price c_in = (per-run cost / tasks) / (mean input + k mean output), with k
the output/input price ratio of its provider (``helpers.pricing.BASE_PRICES``), c_out = k c_in. Under caching a
share s of every run's input tokens is read from the cache, s measured on real agent logs (the pooled
cache-read share of prompt tokens of a real source), billed at m_r c_in, and the rest at w c_in
(w = the 5-minute write multiplier when ``writes_billed``, else 1); m_r, w, k are the provider's own
(``price_mode = "own"``; providers the study has no table for use ``fallback_provider``) or one provider's
for every option. coding-agent-cost-bench records billed dollars, which already include caching: both
sides use them.
"""
from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from .. import pricing, validate
from ..validate import DataError, ParameterError

TOKEN_PRICES = ("list", "cache-aware")


def provider_terms(provider: str | None, *, writes_billed: bool, fallback_provider: str = "OpenAI",
                   table: pd.DataFrame | None = None) -> dict:
    """{provider, read_mult, write_mult, out_in_ratio} of a provider (the fallback's when it has no table)."""
    prov = provider if provider in pricing.BASE_PRICES else fallback_provider
    validate.choice("fallback_provider", prov, sorted(pricing.BASE_PRICES))
    m = pricing.default_multipliers(prov, table)
    c_in, c_out, _ = pricing.BASE_PRICES[prov]
    return {"provider_used": prov, "read_mult": m["read_mult"],
            "write_mult": m["write_5m_mult"] if writes_billed else 1.0, "out_in_ratio": c_out / c_in}


def mcpmark_prices(summary: pd.DataFrame, *, price_mode: str = "own", writes_billed: bool = True,
                   fallback_provider: str = "OpenAI", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per configuration: list prices derived from MCPMark's list-price cost, and cache multipliers.

    c_in = (per_run_cost_usd / n_tasks) / (avg_input + k avg_output), c_out = k c_in (module docstring).
    """
    validate.choice("price_mode", price_mode, ["own"] + sorted(pricing.BASE_PRICES))
    need = ["config", "actual_model_name", "per_run_cost_usd", "avg_input_tokens", "avg_output_tokens", "n_tasks"]
    missing = [c for c in need if c not in summary]
    if missing:
        raise DataError(f"MCPMark summary lacks column(s) {missing}")
    table = pricing.published_multipliers() if table is None else table   # read once, not once per configuration
    rows, terms = [], {}   # terms: provider_terms of each provider, looked up once, not once per configuration
    for r in summary.itertuples(index=False):  # one row per configuration (39): not a hot path
        prov = (pricing.provider_of(r.actual_model_name) or pricing.provider_of(r.config)) if price_mode == "own" else price_mode
        if prov not in terms:
            terms[prov] = provider_terms(prov, writes_billed=writes_billed, fallback_provider=fallback_provider, table=table)
        t = terms[prov]
        per_task = float(r.per_run_cost_usd) / float(r.n_tasks)
        c_in = per_task / (float(r.avg_input_tokens) + t["out_in_ratio"] * float(r.avg_output_tokens))
        rows.append({"config": r.config, "provider": prov, **t, "c_in_usd_per_tok": c_in,
                     "c_out_usd_per_tok": c_in * t["out_in_ratio"]})
    return pd.DataFrame(rows).set_index("config")


def mcpmark_task_sums(runs: pd.DataFrame) -> dict:
    """Options x tasks sums of MCPMark runs with usable tokens: input, output, solved, runs (priced later)."""
    r = runs[runs["tokens_ok"]]
    if r.empty:
        raise DataError("MCPMark: no runs with usable token counts")
    r = pd.DataFrame({"config": r["config"], "task": r["task"], "input": r["input_tokens"].astype(float),
                      "output": r["output_tokens"].astype(float), "solved": r["success"].astype(float), "n": 1.0})
    return _matrices(r, "config", "task", ["input", "output", "solved", "n"])


def mcpmark_matrices(runs: pd.DataFrame | Mapping, prices: pd.DataFrame, read_share: float) -> dict:
    """Options x tasks matrices of MCPMark runs: list and cache-aware USD, tokens, solved, runs.

    ``runs``: the runs frame or its ``mcpmark_task_sums``. Cost is linear in tokens, so a run's
    cache-aware cost = input (s m_r + (1 - s) w) c_in + output c_out and list cost = input c_in + output c_out
    sum over the runs of a (config, task) cell.
    """
    validate.probability("read_share", read_share)
    sums = mcpmark_task_sums(runs) if isinstance(runs, pd.DataFrame) else runs
    p = prices.reindex(sums["options"])
    if p["c_in_usd_per_tok"].isna().any():
        raise DataError(f"MCPMark: no prices for config(s) {sorted(p.index[p['c_in_usd_per_tok'].isna()])}")
    c_in, c_out = p["c_in_usd_per_tok"].to_numpy()[:, None], p["c_out_usd_per_tok"].to_numpy()[:, None]
    f_in = read_share * p["read_mult"].to_numpy()[:, None] + (1 - read_share) * p["write_mult"].to_numpy()[:, None]
    inp, out = sums["input"], sums["output"]
    return {"options": sums["options"], "tasks": sums["tasks"], "list_cost": inp * c_in + out * c_out,
            "aware_cost": inp * c_in * f_in + out * c_out, "tokens": inp + out, "solved": sums["solved"], "n": sums["n"]}


def cost_bench_matrices(runs: pd.DataFrame) -> dict:
    """Setups x tasks matrices of coding-agent-cost-bench (billed USD on both sides: billing includes caching)."""
    r = runs.assign(list_cost=runs["billed_usd"], aware_cost=runs["billed_usd"],
                    tokens=(runs["tokens_in"] + runs["tokens_out"]).astype(float),
                    solved=runs["passed"].astype(float), n=1.0)
    return _matrices(r, "setup", "task", ["list_cost", "aware_cost", "tokens", "solved", "n"])


def _matrices(r: pd.DataFrame, opt: str, task: str, cols: list[str]) -> dict:
    g = r.groupby([opt, task], sort=True)[cols].sum()
    out = {c: g[c].unstack(task, fill_value=0.0) for c in cols}
    options = list(out["n"].index)
    return {"options": options, "tasks": list(out["n"].columns), **{c: out[c].to_numpy(float) for c in cols}}


def decision(mats: Mapping, options: Sequence[str], W: np.ndarray, *, token_prices: str = "list",
             level: float = 0.95) -> dict:
    """Token pick, artifact pick, R and its interval, p_change for one decision (module docstring)."""
    validate.choice("token_prices", token_prices, TOKEN_PRICES)
    pos = {o: i for i, o in enumerate(mats["options"])}
    unknown = [o for o in options if o not in pos]
    if unknown or len(options) < 2:
        raise ParameterError(f"a decision needs >= 2 known options; unknown {unknown}, got {list(options)}")
    sel = np.array([pos[o] for o in options])
    tok_cost = mats["list_cost" if token_prices == "list" else "aware_cost"][sel].sum(1)
    per_tok = tok_cost / mats["tokens"][sel].sum(1)
    cost, solved = mats["aware_cost"][sel], mats["solved"][sel]
    with np.errstate(divide="ignore", invalid="ignore"):
        cpa = np.where(solved.sum(1) > 0, cost.sum(1) / solved.sum(1), np.inf)
        cpa_b = np.where(solved @ W.T > 0, (cost @ W.T) / (solved @ W.T), np.inf)   # options x n_boot
    tp = int(np.argmin(per_tok))
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    lo, hi = np.percentile(cpa_b, q, axis=1, method="nearest")   # draws solving nothing stay inf
    out = {"options": list(options), "token_pick": options[tp],
           "cost_per_mtok_usd": dict(zip(options, (per_tok * 1e6).tolist())),
           "cost_per_solved_usd": dict(zip(options, cpa.tolist())),
           "cost_per_solved_ci": {o: [float(a), float(b)] for o, a, b in zip(options, lo, hi)}}
    if not np.isfinite(cpa).any():
        return {**out, "artifact_pick": None, "ratio": None, "ratio_ci": None, "p_change": None}
    ap = int(np.argmin(cpa))
    best_b = cpa_b.min(axis=0)
    ok = np.isfinite(best_b)
    change = cpa_b[tp, ok] > best_b[ok]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio_b = cpa_b[tp, ok] / best_b[ok]
    ci = [float(x) for x in np.percentile(ratio_b, q)] if ok.any() else None
    return {**out, "artifact_pick": options[ap], "ratio": float(cpa[tp] / cpa[ap]), "ratio_ci": ci,
            "p_change": float(change.mean()) if ok.any() else None}


def mcpmark_decisions(summary: pd.DataFrame, runs: pd.DataFrame | Mapping, ladders: Mapping[str, Sequence[str]],
                      read_share: float, W: np.ndarray, *, price_mode: str = "own", writes_billed: bool = True,
                      fallback_provider: str = "OpenAI", token_prices: str = "list") -> dict[str, dict]:
    """Every MCPMark decision (all configurations; each effort ladder) under one price specification
    (``runs``: the runs frame or its ``mcpmark_task_sums``)."""
    prices = mcpmark_prices(summary, price_mode=price_mode, writes_billed=writes_billed,
                            fallback_provider=fallback_provider)
    mats = mcpmark_matrices(runs, prices, read_share)
    if W.shape[1] != len(mats["tasks"]):
        raise ParameterError(f"bootstrap weights cover {W.shape[1]} tasks, the runs {len(mats['tasks'])}")
    return {name: decision(mats, opts, W, token_prices=token_prices)
            for name, opts in ladder_decisions(ladders, mats["options"]).items()}


def ladder_decisions(ladders: Mapping[str, Sequence[str]], options: Sequence[str]) -> dict[str, list[str]]:
    """{'mcpmark: all configurations': options, 'mcpmark: <model> effort': [...]} for ladders of >= 2 known options."""
    out = {"mcpmark: all configurations": list(options)}
    for base, cfgs in sorted(ladders.items()):
        c = [x for x in cfgs if x in set(options)]
        if len(c) >= 2:
            out[f"mcpmark: {base} effort"] = c
    return out

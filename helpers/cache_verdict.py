"""Claim 5's verdict: in persistent agents most tokens are cache reads, so cost per artifact is the denominator.

The claim has two parts, each judged on its own evidence rows (``helpers.verdicts`` evidence rows), then
combined. The rule is fixed here, before any number is looked at; every threshold is a notebook parameter.

Part (a): most tokens are cache reads in persistent agents (unit ``session``)
----------------------------------------------------------------------------
One row per real log source (a set of agent sessions read by ``helpers.agent_logs``): the Codex CLI
sessions of madshn/localpush, the TraceLab sample, or with ``logs_path`` each format of the user's logs.
The share is Σ cache reads / Σ all tokens (``share_of = "tokens"``, the seed's denominator) or
Σ cache reads / Σ prompt tokens (``"input"``) over the source's calls. Calls within a session share one
context and are not independent, so the interval is a **cluster bootstrap over sessions**: sessions are
resampled with replacement (seeded ``numpy.random.Generator``), the share is the ratio of the resampled
sums, the interval its percentiles. A row

- is ``unresolved`` when the source has fewer than ``min_sessions`` sessions (TraceLab's 2 cannot decide),
  or when its interval contains ``majority_share``;
- ``holds`` when the interval's lower end is above ``majority_share``;
- ``breaks`` when the interval's upper end is below it.

Part (b): the per-artifact denominator changes decisions (unit ``decision``)
----------------------------------------------------------------------------
One row per decision among options run on the same tasks: MCPMark (tool-use agents) over all
configurations and within each effort ladder (budget points of one model); coding-agent-cost-bench setups
as a generality check (out of scope by default). The *token pick* is the option with the lowest cost per
token at list price (``token_prices = "list"``; or at cache-aware prices); the *artifact pick* the option
with the lowest cost per solved task (a passing run) at **cache-aware prices**. R = cost per solved task
of the token pick / that of the artifact pick (R >= 1; R = 1: same decision). A task bootstrap (tasks
resampled with replacement, the same draw for every option) gives R's interval and p_change, the share of
draws in which the token pick is not the cheapest per solved task. A row

- ``holds`` when p_change >= ``confidence`` (the decision changes);
- ``breaks`` when p_change <= 1 - ``confidence`` (it does not);
- ``unresolved`` otherwise, or when no option solves a task.

Cache-aware prices (an assumption, stated): MCPMark's ``per_run_cost_usd`` is list price without caching
(gpt-5-low: 641,564 input and 18,912 output tokens per task at 1.25/10 USD per Mtok give its 0.99 USD per
task). A configuration's input price c_in = (per-run cost / tasks) / (mean input + k mean output), with k
the output/input price ratio of its provider (``ledger.BASE_PRICES``), c_out = k c_in. Under caching a
share s of every run's input tokens is read from the cache, s measured on real agent logs (the pooled
cache-read share of prompt tokens of a real source), billed at m_r c_in, and the rest at w c_in
(w = the 5-minute write multiplier when ``writes_billed``, else 1); m_r, w, k are the provider's own
(``price_mode = "own"``; providers the study has no table for use ``fallback_provider``) or one provider's
for every option. coding-agent-cost-bench records billed dollars, which already include caching: both
sides use them.

Combination
-----------
A part holds when at least ``min_rows`` of its in-scope rows are resolved and at least ``part_share`` of
them hold; it breaks when enough are resolved and fewer hold; it is unresolved otherwise. Then:
both parts hold: **supported**; one holds: **partly supported**; neither: **not supported**; a required
part unresolved: **inconclusive**. With user logs only part (a) is required (logs carry no per-option
artifacts), so the user's verdict is part (a) on the user's sessions alone.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from . import ledger as L
from . import validate, verdicts
from .validate import DataError, ParameterError

PART_OF_UNIT = {"session": "a", "decision": "b"}
PART_NAMES = {"a": "most tokens are cache reads", "b": "the per-artifact denominator changes decisions"}
SHARE_OF = ("tokens", "input")
TOKEN_PRICES = ("list", "cache-aware")


# ---------------------------------------------------------------- part (a): log sources


def session_sums(led: pd.DataFrame) -> pd.DataFrame:
    """Per-session sums of the four token kinds (cache writes merged) and the number of calls."""
    L.check_ledger(led)
    if "session" not in led:
        raise DataError("ledger lacks column 'session'")
    d = led.assign(cache_write=led["cache_write_5m"] + led["cache_write_1h"])
    g = d.groupby(d["session"].astype(str), sort=True)
    out = g[["uncached_input", "cache_write", "cache_read", "output"]].sum().astype("int64")
    out["calls"] = g.size().astype("int64")
    return out


def session_bootstrap(sums: pd.DataFrame, rng: np.random.Generator, n_boot: int, level: float = 0.95) -> dict:
    """Cluster-bootstrap intervals of the read share of all tokens and of prompt tokens over sessions.

    Only the per-session sums enter: splitting a session's calls differently leaves the interval unchanged.
    Vectorized: a (n_boot x sessions) matrix of resample counts times the per-session sums.
    """
    validate.integer("n_boot", n_boot, 10)
    validate.number("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
    if len(sums) == 0:
        raise DataError("no sessions to resample")
    W = task_weights(len(sums), rng, n_boot)      # the same resampling, of sessions
    read = sums["cache_read"].to_numpy(float)
    prompt = sums[["uncached_input", "cache_write", "cache_read"]].sum(axis=1).to_numpy(float)
    tokens = prompt + sums["output"].to_numpy(float)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    with np.errstate(invalid="ignore", divide="ignore"):
        share_tok = (W @ read) / (W @ tokens)
        share_in = (W @ read) / (W @ prompt)
    ci = lambda v: [float(x) for x in np.nanpercentile(v, q)] if np.isfinite(v).any() else None  # noqa: E731
    return {"tokens": ci(share_tok), "input": ci(share_in)}


def source_entry(name: str, led: pd.DataFrame, rng: np.random.Generator, n_boot: int, level: float = 0.95) -> dict:
    """One ``metrics.sources`` item: {name, sessions, calls, tokens, cache_read_share, cache_read_share_ci, ...}.

    ``cache_read_share`` is of all tokens; ``cache_read_share_input`` of prompt tokens; both intervals
    resample sessions (``session_bootstrap``).
    """
    s = session_sums(led)
    tot = s[["uncached_input", "cache_write", "cache_read", "output"]].sum()
    prompt = float(tot[["uncached_input", "cache_write", "cache_read"]].sum())
    alltok = prompt + float(tot["output"])
    ci = session_bootstrap(s, rng, n_boot, level)
    return {"name": str(name), "sessions": int(len(s)), "calls": int(s["calls"].sum()),
            "tokens": {k: int(tot[k]) for k in ("uncached_input", "cache_write", "cache_read", "output")},
            "cache_read_share": float(tot["cache_read"]) / alltok if alltok else None,
            "cache_read_share_ci": ci["tokens"],
            "cache_read_share_input": float(tot["cache_read"]) / prompt if prompt else None,
            "cache_read_share_input_ci": ci["input"]}


def share_row(entry: Mapping, *, majority_share: float, min_sessions: int, share_of: str = "tokens",
              in_scope: bool = True, setting: str = "coding agents") -> dict:
    """Part (a) evidence row of one log source (see the module docstring)."""
    validate.choice("share_of", share_of, SHARE_OF)
    key = "cache_read_share" if share_of == "tokens" else "cache_read_share_input"
    fig, ci = entry.get(key), entry.get(f"{key}_ci")
    n = int(entry["sessions"])
    if n < min_sessions:
        outcome, why = "unresolved", f"{n} session(s) < min_sessions = {min_sessions}"
    elif ci is None or fig is None:
        outcome, why = "unresolved", "no interval"
    elif ci[0] > majority_share:
        outcome, why = "holds", f"interval above {majority_share:g}"
    elif ci[1] < majority_share:
        outcome, why = "breaks", f"interval below {majority_share:g}"
    else:
        outcome, why = "unresolved", f"interval contains {majority_share:g}"
    note = f"cache reads / {'all tokens' if share_of == 'tokens' else 'prompt tokens'}; {n} sessions, " \
           f"{entry['calls']} calls; {why}"
    return verdicts.evidence_row(entry["name"], "session", in_scope=in_scope, outcome=outcome, figure=fig, ci=ci,
                                 setting=setting, note=note)


# ---------------------------------------------------------------- part (b): decisions


def provider_terms(provider: str | None, *, writes_billed: bool, fallback_provider: str = "OpenAI",
                   table: pd.DataFrame | None = None) -> dict:
    """{provider, read_mult, write_mult, out_in_ratio} of a provider (the fallback's when it has no table)."""
    prov = provider if provider in L.BASE_PRICES else fallback_provider
    validate.choice("fallback_provider", prov, sorted(L.BASE_PRICES))
    m = L.default_multipliers(prov, table)
    c_in, c_out, _ = L.BASE_PRICES[prov]
    return {"provider_used": prov, "read_mult": m["read_mult"],
            "write_mult": m["write_5m_mult"] if writes_billed else 1.0, "out_in_ratio": c_out / c_in}


def mcpmark_prices(summary: pd.DataFrame, *, price_mode: str = "own", writes_billed: bool = True,
                   fallback_provider: str = "OpenAI", table: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per configuration: list prices derived from MCPMark's list-price cost, and cache multipliers.

    c_in = (per_run_cost_usd / n_tasks) / (avg_input + k avg_output), c_out = k c_in (module docstring).
    """
    validate.choice("price_mode", price_mode, ["own"] + sorted(L.BASE_PRICES))
    need = ["config", "actual_model_name", "per_run_cost_usd", "avg_input_tokens", "avg_output_tokens", "n_tasks"]
    missing = [c for c in need if c not in summary]
    if missing:
        raise DataError(f"MCPMark summary lacks column(s) {missing}")
    table = L.published_multipliers() if table is None else table   # read once, not once per configuration
    rows = []
    for r in summary.itertuples(index=False):  # one row per configuration (39): not a hot path
        prov = (L.provider_of(r.actual_model_name) or L.provider_of(r.config)) if price_mode == "own" else price_mode
        t = provider_terms(prov, writes_billed=writes_billed, fallback_provider=fallback_provider, table=table)
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


def task_weights(n_tasks: int, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """(n_boot x n_tasks) resample counts of a bootstrap over tasks (or sessions); one draw shared by every option."""
    validate.integer("n_boot", n_boot, 10)
    if not isinstance(rng, np.random.Generator):
        raise ParameterError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    idx = rng.integers(0, n_tasks, size=(n_boot, n_tasks))
    W = np.zeros((n_boot, n_tasks))
    np.add.at(W, (np.repeat(np.arange(n_boot), n_tasks), idx.ravel()), 1.0)
    return W


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


def decision_row(name: str, d: Mapping, *, confidence: float, in_scope: bool = True, setting: str = "tool use") -> dict:
    """Part (b) evidence row of one decision (see the module docstring)."""
    p = d.get("p_change")
    if p is None:
        outcome = "unresolved"
    elif p >= confidence:
        outcome = "holds"
    elif p <= 1 - confidence:
        outcome = "breaks"
    else:
        outcome = "unresolved"
    note = (f"cheapest per token: {d['token_pick']}; cheapest per solved task (cache-aware): {d.get('artifact_pick')}; "
            f"P(change) = {'n/a' if p is None else f'{p:.2f}'} over task resamples")
    return verdicts.evidence_row(name, "decision", in_scope=in_scope, outcome=outcome, figure=d.get("ratio"),
                                 ci=d.get("ratio_ci"), setting=setting, note=note)


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


def evidence_rows(a_entries: Sequence[Mapping], b_decisions: Mapping[str, Mapping], *, majority_share: float,
                  min_sessions: int, share_of: str, confidence: float, cost_bench_in_scope: bool = False,
                  user_given: bool = False) -> list[dict]:
    """The evidence rows: part (a) from log-source entries (names 'user:...' are the user's), part (b) from
    decisions (names starting 'cost_bench' are coding agents, in scope only with ``cost_bench_in_scope``).
    Without user data the user's rows are left out; with it only they are in scope (``verdicts.user_scope``)."""
    rows = []
    for e in a_entries:
        user = str(e["name"]).startswith("user:")
        if user and not user_given:
            continue
        rows.append(share_row(e, majority_share=majority_share, min_sessions=min_sessions, share_of=share_of,
                              in_scope=user or not user_given, setting="user" if user else "coding agents"))
    for name, d in b_decisions.items():
        bench = name.startswith("cost_bench")
        rows.append(decision_row(name, d, confidence=confidence,
                                 in_scope=(cost_bench_in_scope if bench else True) and not user_given,
                                 setting="coding agents" if bench else "tool use"))
    return rows


def evidence(a_entries: Sequence[Mapping], b_decisions: Mapping[str, Mapping], **kw) -> pd.DataFrame:
    return verdicts.evidence_table(evidence_rows(a_entries, b_decisions, **kw))   # ``evidence_rows`` as a table


# ---------------------------------------------------------------- the rule


def check_thresholds(*, majority_share: float, min_sessions: int, confidence: float, part_share: float,
                     min_rows: int) -> None:
    """Every threshold in range (errors name the parameter)."""
    validate.number("majority_share", majority_share, 0.0, 1.0, lo_open=True, hi_open=True)
    validate.integer("min_sessions", min_sessions, 1)
    validate.number("confidence", confidence, 0.5, 1.0, lo_open=True)
    validate.number("part_share", part_share, 0.0, 1.0, lo_open=True)
    validate.integer("min_rows", min_rows, 1)


def rule_text(*, majority_share: float, min_sessions: int, confidence: float, part_share: float, min_rows: int,
              share_of: str = "tokens", token_prices: str = "list", user_given: bool = False) -> str:
    """The rule in words, computed from the thresholds (printed before the evidence)."""
    check_thresholds(majority_share=majority_share, min_sessions=min_sessions, confidence=confidence,
                     part_share=part_share, min_rows=min_rows)
    den = "all tokens" if share_of == "tokens" else "prompt tokens"
    a = (f"(a) most tokens are cache reads: a real log source holds when the 95% interval of its cache-read share of "
         f"{den}, resampling sessions, lies above {majority_share:.0%}; it breaks when the interval lies below; "
         f"fewer than {min_sessions} sessions or an interval containing {majority_share:.0%} leave it unresolved.")
    b = (f"(b) the per-artifact denominator changes decisions: a decision among options run on the same tasks holds "
         f"when the option cheapest per token at {'list' if token_prices == 'list' else 'cache-aware'} prices is not the cheapest per solved task under cache-aware "
         f"prices in at least {confidence:.0%} of task resamples; it breaks when that happens in at most "
         f"{1 - confidence:.0%}; unresolved in between.")
    comb = (f"A part holds when at least {min_rows} of its in-scope rows are resolved and at least {part_share:.0%} "
            f"of them hold, breaks when fewer hold. Both parts hold: supported; one: partly supported; neither: not "
            f"supported; a required part without {min_rows} resolved row(s): inconclusive.")
    scope = ("With your logs only part (a) is required and only your logs are in scope (they carry no artifacts "
             "per option); the study's evidence is shown beside them." if user_given else
             "In scope: real agent logs for (a); tool-use agent runs (MCPMark) for (b); coding-agent-cost-bench is a "
             "generality check and simulators never decide.")
    return " ".join([a, b, comb, scope])


def part_status(table: pd.DataFrame | Sequence[Mapping], part: str, *, part_share: float, min_rows: int) -> str:
    """'holds' | 'breaks' | 'unresolved' for part 'a' or 'b' from the in-scope rows of its unit
    (``table``: an evidence table or its rows)."""
    rows = table.to_dict("records") if isinstance(table, pd.DataFrame) else table
    mine = [r["outcome"] for r in rows if r["in_scope"] and PART_OF_UNIT.get(r["unit"]) == part]
    h, b = mine.count("holds"), mine.count("breaks")
    if h + b < min_rows:
        return "unresolved"
    return "holds" if h / (h + b) >= part_share else "breaks"


def combine(status: Mapping[str, str], parts: Iterable[str] = ("a", "b")) -> str:
    """The verdict from the required parts' statuses (module docstring)."""
    s = [status[p] for p in parts]
    if not s or any(x == "unresolved" for x in s):
        return "inconclusive"
    n = sum(x == "holds" for x in s)
    return "supported" if n == len(s) else ("not supported" if n == 0 else "partly supported")


def decide(table: pd.DataFrame | Sequence[Mapping], *, part_share: float, min_rows: int, user_given: bool = False) -> tuple[str, dict]:
    """(verdict, {part: status}); with user data only part (a) is required."""
    rows = table.to_dict("records") if isinstance(table, pd.DataFrame) else table
    status = {p: part_status(rows, p, part_share=part_share, min_rows=min_rows) for p in ("a", "b")}
    return combine(status, ("a",) if user_given else ("a", "b")), status


def ladder_decisions(ladders: Mapping[str, Sequence[str]], options: Sequence[str]) -> dict[str, list[str]]:
    """{'mcpmark: all configurations': options, 'mcpmark: <model> effort': [...]} for ladders of >= 2 known options."""
    out = {"mcpmark: all configurations": list(options)}
    for base, cfgs in sorted(ladders.items()):
        c = [x for x in cfgs if x in set(options)]
        if len(c) >= 2:
            out[f"mcpmark: {base} effort"] = c
    return out

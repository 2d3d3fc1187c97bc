"""The logged data of claim 5: which sources exist on this machine, read, priced and summed, never pooled.

- ``load_logs``: TraceLab's sanitized sample rounds, the madshn/localpush Codex CLI sessions and the user's
  logs (``logs_path``), each priced per model (TraceLab's ``pricing.json``, else the provider's published
  defaults, else the notebook's price table), with totals and session-bootstrap intervals of the shares;
- ``real_sources``: the real log sources of part (a), one per source (the user's split by log format);
- ``load_cost_bench``: coding-agent-cost-bench's cost per attempt, per token and per solved task;
- ``PartB``: the MCPMark inputs and every part (b) decision under one price specification (memoised, the
  same task resamples for every specification).

A source missing on this machine is printed (which file, how to get it) and recorded as absent in the
results' data sources (``results.source(..., available=False)``).
"""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from .. import agent_logs, agent_runs, datasets, pricing, registry, results, tokens
from .costs import cost_per_solved_task, kendall_tau_a, rank_agreement
from .decisions import cost_bench_matrices, decision, mcpmark_decisions, mcpmark_task_sums
from .sessions import bootstrap_shares, task_weights


def _registry_source(name, rows, available=True):
    return results.source(name, "logged", rows, registry.entry(name).sha256, available=available)


def load_logs(prices, trace_check, trace_stats, seed: int, n_boot: int, user_ledger=None, user_stats=None):
    """Read and price every logged source (module docstring); prints what is missing.

    Returns a namespace: tracelab_pricing, tracelab_ledger, codex_ledger, priced ({name: priced ledger}:
    each source, TraceLab's per provider, the user's), totals and ci (per name: ``tokens.totals`` and
    ``bootstrap_shares`` over sessions, drawn from ``default_rng(seed + 10)`` in that order), sources
    (``results.source`` records), dedup (reader statistics) and price_notes (which price each model got).
    """
    tracelab_pricing = None
    try:
        tracelab_pricing = pricing.tracelab_price_tables(registry.local_path("tracelab/pricing"))
    except registry.DataUnavailable as exc:
        print(f"TraceLab price file unavailable, using the published defaults: {exc}")
    sources, dedup, price_notes = [], {}, {}
    tracelab_ledger = None
    try:
        tracelab_ledger, tl_stats = agent_logs.read_logs(registry.local_path("tracelab/round_trace_sanitized"))
        dedup["tracelab_sample"] = tl_stats
        sources.append(_registry_source("tracelab/round_trace_sanitized", len(tracelab_ledger)))
    except registry.DataUnavailable as exc:
        print(exc)
        sources.append(_registry_source("tracelab/round_trace_sanitized", None, available=False))
    codex_ledger = None
    try:
        codex_ledger, codex_stats = agent_runs.codex_localpush_ledger()
        dedup["codex_localpush"] = codex_stats
        sources.append(results.source("codex_localpush/sessions", "logged", len(codex_ledger), None,
                                      note=f"{codex_stats['files']} rollout files; hashes pinned in the registry"))
    except registry.DataUnavailable as exc:
        print(exc)
        sources.append(results.source("codex_localpush/sessions", "logged", None, None, available=False))
    if trace_check is not None:
        dedup["tracelab_claude_trace"] = {k: trace_stats[k] for k in agent_logs.STATS_KEYS}
        sources.append(_registry_source("tracelab/claude_trace", trace_check["records"]))
    else:
        sources.append(_registry_source("tracelab/claude_trace", None, available=False))

    def price_logged(led):
        table, how = pricing.resolve_prices(led["model"], prices, tracelab_pricing)
        return pricing.price_ledger(led, table), how

    priced_logs = {}
    if tracelab_ledger is not None:
        priced, price_notes["tracelab_sample"] = price_logged(tracelab_ledger)
        priced_logs["tracelab_sample"] = priced
        for prov, part in priced.groupby("provider"):
            priced_logs[f"tracelab_sample/{prov}"] = part
    if codex_ledger is not None:
        priced_logs["codex_localpush"], price_notes["codex_localpush"] = price_logged(codex_ledger)
    if user_ledger is not None:
        priced_logs["user_logs"], price_notes["user_logs"] = price_logged(user_ledger)
        dedup["user_logs"] = user_stats
        sources.append(results.source("user_logs", "logged", len(user_ledger), None, note="logs_path"))
    rng_boot = np.random.default_rng(seed + 10)
    totals, ci = {}, {}
    for name, priced in priced_logs.items():
        totals[name] = tokens.totals(priced)
        ci[name] = bootstrap_shares(priced, "session", rng_boot, n_boot)
    return SimpleNamespace(tracelab_pricing=tracelab_pricing, tracelab_ledger=tracelab_ledger,
                           codex_ledger=codex_ledger, priced=priced_logs, totals=totals, ci=ci, sources=sources,
                           dedup=dedup, price_notes=price_notes)


def real_sources(logs, user_ledger=None) -> dict:
    """{name: ledger} of the real log sources of part (a); the user's logs as 'user:<format>', one per format."""
    real = {k: v for k, v in {"codex_localpush": logs.codex_ledger, "tracelab_sample": logs.tracelab_ledger}.items()
            if v is not None}
    if user_ledger is not None:
        real.update({f"user:{fmt}": part for fmt, part in user_ledger.groupby("source")})
    return real


def load_cost_bench(seed: int, n_boot: int, sources: list):
    """coding-agent-cost-bench per setup (``cost_per_solved_task``, task bootstrap from ``default_rng(seed + 20)``)
    sorted by cost per token, with Kendall's tau between the denominators; None (printed) when unavailable.
    Appends the data source to ``sources``."""
    try:
        runs = datasets.cost_bench_runs()
    except registry.DataUnavailable as exc:
        print(exc)
        sources.append(results.source("cost_bench", "logged", None, None, available=False))
        return None
    bench, boot = cost_per_solved_task(runs, np.random.default_rng(seed + 20), n_boot, return_boot=True)
    bench = bench.sort_values("cost_per_mtok_usd")
    taus = kendall_tau_a(boot["cost_per_mtok_usd"], boot["cost_per_solved_usd"], axis=0)
    out = SimpleNamespace(
        runs=runs, table=bench, boot=boot,
        tau_tok=rank_agreement(bench["cost_per_mtok_usd"], bench["cost_per_solved_usd"]),
        tau_att=rank_agreement(bench["cost_per_attempt_usd"], bench["cost_per_solved_usd"]),
        tau_ci=tuple(float(x) for x in np.nanpercentile(taus, [2.5, 97.5])))
    files = registry.names("cost_bench/")
    sources.append(results.source("cost_bench", "logged", len(runs), None,
                                  note=f"{len([n for n in files if n.endswith('per_run')])} per_run.csv files"))
    return out


class PartB:
    """Part (b): MCPMark's runs and ladders, task resamples, and the decisions of each price specification.

    ``read_shares``: {source: cache-read share of prompt tokens} of the real (not the user's) sources, which
    price MCPMark's runs. Task resamples: ``default_rng(seed + 40)`` (MCPMark), ``seed + 41`` (cost bench).
    """

    def __init__(self, source_entries, bench, seed: int, n_boot: int, fallback_provider: str, sources: list):
        self.read_shares = {e["name"]: e["cache_read_share_input"] for e in source_entries
                            if not e["name"].startswith("user:")}
        self.fallback_provider = fallback_provider
        self.summary, self.runs, self.ladders, self.W, self.sums = None, None, {}, None, None
        try:
            self.summary, self.runs = agent_runs.mcpmark_summary(), agent_runs.mcpmark_runs()
            self.ladders = agent_runs.mcpmark_effort_ladders(self.summary)
            self.sums = mcpmark_task_sums(self.runs)
            self.W = task_weights(len(self.sums["tasks"]), np.random.default_rng(seed + 40), n_boot)
            sources.append(_registry_source("mcpmark/summary", len(self.summary)))
            sources.append(results.source("mcpmark/task_results", "logged", len(self.runs), None,
                                          note=f"{self.runs.attrs.get('dropped_token_runs', 0)} runs without usable "
                                               "tokens left out"))
        except registry.DataUnavailable as exc:
            print(exc)
            sources.append(results.source("mcpmark/summary", "logged", None, None, available=False))
        self.bench_decision = None
        if bench is not None:
            mats = cost_bench_matrices(bench.runs)
            self.bench_decision = decision(mats, mats["options"], task_weights(
                len(mats["tasks"]), np.random.default_rng(seed + 41), n_boot))
        self._memo = {}

    def __call__(self, price_mode, writes, tok_prices, read_src) -> dict:
        """Part (b) decisions under one price specification (memoised; the same task resamples for every one)."""
        key = (price_mode, writes, tok_prices, read_src)
        if key not in self._memo:
            out = {}
            if self.summary is not None and self.read_shares.get(read_src) is not None:
                out = mcpmark_decisions(self.summary, self.sums, self.ladders, self.read_shares[read_src], self.W,
                                        price_mode=price_mode, writes_billed=writes,
                                        fallback_provider=self.fallback_provider, token_prices=tok_prices)
            if self.bench_decision is not None:
                out["cost_bench: setups"] = self.bench_decision
            self._memo[key] = out
        return self._memo[key]

    def without_caching(self, price_mode) -> dict:
        """MCPMark's all-configurations decision at list prices on both sides (no cache reads, no write fee)."""
        return mcpmark_decisions(self.summary, self.sums, {}, 0.0, self.W, price_mode=price_mode, writes_billed=False,
                                 fallback_provider=self.fallback_provider)["mcpmark: all configurations"]

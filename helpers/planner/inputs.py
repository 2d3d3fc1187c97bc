"""The user's inputs: files read before any computation, the cache shares and the data sources recorded.

Files are read as soon as the parameters are checked, so a bad row stops the run with an error naming the
file and line before any long computation (``read_user_files``). The cache-read share of prompt tokens (and
the cache-write share of the rest) is, in this order: the ``cache_read_share`` parameter; measured from the
user's logs (``logs_path``); measured from the TraceLab sample rounds (the study's own logged data); else
unavailable (0, so costs "with caching" equal costs without) (``measure_cache_shares``). Only token counts
of the logs are read (``agent_logs.read_logs``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import agent_logs, datasets, registry, results
from .costs import cache_shares
from .workload import read_workload_csv

TRACELAB = "tracelab/round_trace_sanitized"


def read_user_files(params) -> tuple[dict | None, pd.DataFrame | None]:
    """The user's per-problem counts by kind (``read_workload_csv``) and log ledger, each None when not given."""
    frames = read_workload_csv(params.problems_path) if params.problems_path is not None else None
    ledger = agent_logs.read_logs(params.logs_path)[0] if params.logs_path is not None else None
    return frames, ledger


@dataclass
class CacheShares:
    """Where the cache shares come from ("parameter", "logs_path", "tracelab_sample", "unavailable")."""
    read_share: float
    write_share: float
    source: str
    data_sources: list = field(default_factory=list)   # results.source entries of the logs read
    notes: list = field(default_factory=list)          # sentences for the reader


def _calls(sh: dict, provider: str, thousands: bool) -> str:
    n = f"{sh['calls']:,}" if thousands else f"{sh['calls']}"
    return f"{n} {'calls of ' + provider if sh['rows_of_provider'] else 'calls'}"


def measure_cache_shares(cache_read_share, cache_write_share, user_ledger, provider: str) -> CacheShares:
    """The cache shares and their source (module docstring)."""
    if cache_read_share is not None:
        return CacheShares(float(cache_read_share), float(cache_write_share), "parameter")
    if user_ledger is not None:
        sh = cache_shares(user_ledger, provider)
        return CacheShares(sh["cache_read_share"], sh["cache_write_share"], "logs_path",
                           [results.source("user_logs", "logged", len(user_ledger), None, note="logs_path")],
                           [f"Your logs: {len(user_ledger):,} model calls; shares measured on "
                            f"{_calls(sh, provider, True)}."])
    try:
        tl_ledger, _ = agent_logs.read_logs(registry.local_path(TRACELAB))
        sh = cache_shares(tl_ledger, provider)
        return CacheShares(sh["cache_read_share"], sh["cache_write_share"], "tracelab_sample",
                           [results.source(TRACELAB, "logged", len(tl_ledger), registry.entry(TRACELAB).sha256)],
                           [f"TraceLab sample: {len(tl_ledger)} model calls; shares measured on "
                            f"{_calls(sh, provider, False)}."])
    except registry.DataUnavailable as exc:
        return CacheShares(0.0, 0.0, "unavailable",
                           [results.source(TRACELAB, "logged", None, registry.entry(TRACELAB).sha256,
                                           available=False)],
                           [str(exc), "No cache-read share could be measured: costs 'with caching' equal costs "
                                      "without it."])


def data_sources(workloads: dict, problems_path, frames: dict | None, shares: CacheShares) -> list[dict]:
    """The results' data sources: synthetic workloads, the user's CSV, the logs read, the published tables."""
    sources = []
    for kind, w in workloads.items():
        if w.source == "beta_mixture":
            sources.append(results.source(f"synthetic beta mixture ({kind})", "synthetic", w.n_problems))
    if problems_path is not None:
        sources.append(results.source(f"user:{problems_path.name}", "logged", sum(len(f) for f in frames.values()),
                                      results.file_sha256(problems_path)))
    sources += shares.data_sources
    for name in ("pricing_multipliers", "headline_figures"):
        sources.append(results.source(f"published/{name}.csv", "published", len(datasets.published(name)),
                                      results.file_sha256(datasets.published_path(name))))
    return sources

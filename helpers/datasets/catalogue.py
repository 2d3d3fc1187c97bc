"""The catalogue of logged sources: loader, registry files, availability, rows, license, citation.

One row per source; the overview notebook shows it as its data table. Rows are counted only when every file
of the source is here (never fetched for the count).
"""
from __future__ import annotations

import pandas as pd

from .. import registry
from .logged import (agent_eval_humaneval, cost_bench_runs, monkeys_counts, swe_effi, terminal_bench_trials,
                     tracelab_rounds)


def _mcpmark():  # agent_runs imports helpers.datasets: import it when called
    from ..agent_runs import mcpmark_runs
    return mcpmark_runs()


def _browsecomp_plus():
    from ..agent_runs import browsecomp_plus_queries
    return browsecomp_plus_queries()


def _codex_localpush():
    from ..agent_runs import codex_localpush_ledger
    return codex_localpush_ledger()[0]


LOGGED_SOURCES = {
    # name: (loader, registry prefix, what it is)
    "swe_effi": (swe_effi, "swe_effi/", "SWE-bench runs: tokens, LLM calls, resolved (5 scaffolds x 3 models)"),
    "terminal_bench": (terminal_bench_trials, "terminal_bench/trial_token_usage",
                       "Terminus-2 trials: model, task, tokens, success"),
    "monkeys": (monkeys_counts, "monkeys/pass_at_k_processed", "per-problem correct counts, Pythia on MATH"),
    "monkeys_raw": (lambda: monkeys_counts("raw"), "monkeys/math_raw",
                    "per-problem counts with MATH level, all Pythia checkpoints"),
    "cost_bench": (cost_bench_runs, "cost_bench/", "coding-agent attempts: pass/fail, billed USD, tokens"),
    "agent_eval": (agent_eval_humaneval, "agent_eval/", "HumanEval runs: strategy x model, tokens, accuracy"),
    "tracelab": (tracelab_rounds, "tracelab/round_trace_sanitized", "agent rounds with cache-read/write tokens"),
    # tool-use and deep-research agents (helpers.agent_runs)
    "mcpmark": (_mcpmark, "mcpmark/", "MCPMark tool-use runs: 127 tasks x 39 configs x up to 4 runs, tokens, success"),
    "browsecomp_plus": (_browsecomp_plus, "browsecomp_plus/",
                        "BrowseComp-Plus: 830 queries, one GPT-4.1 + BM25 agent, correct and search calls"),
    "codex_localpush": (_codex_localpush, "codex_localpush/sessions/",
                        "six real Codex CLI sessions: per-call usage with cache reads"),
}


def logged_catalogue() -> pd.DataFrame:
    """One row per logged source: files, availability, rows (when available), license, citation."""
    rows = []
    for key, (loader, prefix, what) in LOGGED_SOURCES.items():
        files = registry.names(prefix)
        here = all(registry.available(n) for n in files)
        n_rows = None
        if here:
            n_rows = len(loader())
        e = registry.entry(files[0])
        rows.append({"source": key, "what": what, "files": len(files), "available": here, "rows": n_rows,
                     "repository": e.repo.owner_repo, "commit": e.repo.commit[:8], "license": e.license,
                     "citation": e.citation})
    return pd.DataFrame(rows)

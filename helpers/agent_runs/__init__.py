"""Tidy loaders for tool-use and deep-research agent runs (issue 11): MCPMark, DeepDive, BrowseComp-Plus, Codex.

Same conventions as ``helpers.datasets``: each loader returns a pandas frame with documented columns and
dtypes, and rejects a bad record with a ``DataError`` naming the file and the record (MCPMark:
``task_results/<task>.json: model '<config>' run N: ...``; JSON lists: the query id; CSV: the line, header =
line 1). ``path=None`` reads the registry's pinned copy (``registry.DataUnavailable`` with instructions
when it is not here); a ``path`` reads a user's copy of the same format.

Modules (each docstring gives its frames, column: dtype, meaning)
-----------------------------------------------------------------
- ``configs``     MCPMark configurations: effort suffixes, effort ladders, thinking pairs, doubtful labels
- ``mcpmark``     MCPMark loaders: ``mcpmark_runs()`` (one row per run), ``mcpmark_summary()`` (per config),
                  ``mcpmark_reasoning_coverage()``
- ``deepdive``    ``deepdive_aggregate()``: DeepDive per (model, mode), one agent vs an orchestrator
- ``browsecomp``  ``browsecomp_plus_queries()``: BrowseComp-Plus per query, one GPT-4.1 + BM25 agent
- ``codex``       ``codex_localpush_files()`` / ``codex_localpush_ledger()``: the six real Codex CLI rollouts
- ``files``       reading a JSON source file, its faults as ``DataError`` naming the file
- ``kept``        frames built from pinned files, kept on disk between processes (``mcpmark_runs``)
"""
from .. import paths, registry
from .browsecomp import browsecomp_plus_queries
from .codex import codex_localpush_files, codex_localpush_ledger
from .configs import (DOUBTFUL_REASONING_LABELS, EFFORT_ORDER, THINKING_PAIR_EVIDENCE, mcpmark_effort_ladders,
                      mcpmark_thinking_pairs, split_config)
from .deepdive import DEEPDIVE_COLUMNS, DEEPDIVE_TABLE, deepdive_aggregate
from .mcpmark import RUN_COLUMNS, mcpmark_reasoning_coverage, mcpmark_runs, mcpmark_summary

__all__ = ["DEEPDIVE_COLUMNS", "DEEPDIVE_TABLE", "DOUBTFUL_REASONING_LABELS", "EFFORT_ORDER", "RUN_COLUMNS",
           "THINKING_PAIR_EVIDENCE", "browsecomp_plus_queries", "codex_localpush_files", "codex_localpush_ledger",
           "deepdive_aggregate", "mcpmark_effort_ladders", "mcpmark_reasoning_coverage", "mcpmark_runs",
           "mcpmark_summary", "mcpmark_thinking_pairs", "split_config"]

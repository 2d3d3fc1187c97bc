"""Tidy loaders for the study's data: published tables and logged files.

Each loader returns a pandas frame with the documented columns and dtypes and
rejects bad rows with a ``DataError`` naming the file and the row (CSV: the
line number, header = line 1; JSON: the record key; JSONL: the line number).
Logged loaders accept ``path=`` to read a user's copy of the same format;
without it they use the registry (``registry.local_path``), which raises
``registry.DataUnavailable`` with instructions when the file is not here.

Modules
- ``checks``     reading and validating a table (the study's CSV conventions, row checks naming file and line):
                 what every loader, and every notebook reading a user's CSV, uses
- ``published``  the tables in ``data/published/`` and the headline figures behind each claim
- ``logged``     the logged sources' loaders (SWE-Effi, Terminal-Bench, Large Language Monkeys,
                 coding-agent-cost-bench, agent-eval HumanEval, TraceLab rounds); their frames are in its docstring
- ``catalogue``  one row per logged source: files, availability, rows, license, citation
"""
from .. import paths, registry
from .catalogue import LOGGED_SOURCES, logged_catalogue
from .checks import (INT64_MAX, NUMBER_LIMIT, _line, check_rows, read_csv, require_columns, to_bool,
                     to_numeric)
from .logged import (agent_eval_humaneval, cost_bench_difficulty, cost_bench_runs, monkeys_counts, swe_effi,
                     terminal_bench_trials, tracelab_rounds)
from .published import headline_figures, published, published_path

__all__ = ["INT64_MAX", "LOGGED_SOURCES", "NUMBER_LIMIT", "agent_eval_humaneval", "check_rows",
           "cost_bench_difficulty", "cost_bench_runs", "headline_figures", "logged_catalogue", "monkeys_counts",
           "published", "published_path", "read_csv", "require_columns", "swe_effi", "terminal_bench_trials",
           "to_bool", "to_numeric", "tracelab_rounds"]

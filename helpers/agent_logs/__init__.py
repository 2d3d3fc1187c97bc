"""Readers for real agent logs (a package, one module per log format): Claude Code, Codex CLI, TraceLab rounds and a generic CSV (claim 5).

``read_logs(path)`` takes a file or a folder (searched recursively for ``*.jsonl`` and ``*.csv``),
detects each file's format from its first lines, and returns ``(ledger, stats)``:

- ``ledger``: one row per model call with columns ``LEDGER_COLUMNS``: source (format), session, call_id,
  model, provider, timestamp (datetime64[ns, UTC]), sidechain (bool) and the five disjoint token
  columns of ``helpers.tokens`` (uncached_input, cache_write_5m, cache_write_1h, cache_read, output).
- ``stats``: {lines, valid, duplicates_dropped, malformed, files}: non-empty lines read; usage records
  that passed the checks; records dropped as repeats of one call; lines skipped as malformed (not a
  JSON object, or a usage record with a missing, negative or non-integer count). The ledger has
  ``valid - duplicates_dropped`` rows.

Formats
-------
Claude Code (``~/.claude/projects/<project>/<session>.jsonl``): usage of assistant lines, streamed repeats
and sidechain replays dropped (``claude_code``).

Codex CLI (``~/.codex/sessions/**/rollout-*.jsonl``): ``token_count`` events, cached input as reads, repeated
events dropped (``codex``).

TraceLab ``round_trace.jsonl``: read by ``helpers.datasets.tracelab_rounds`` (its errors apply);
cache writes are 5-minute writes (Claude Code's default).

Generic CSV: ``timestamp, session, model, uncached_input, cache_write, cache_read, output`` (optional
``cache_write_1h``: then ``cache_write`` is the 5-minute part). Unlike JSONL logs, a bad CSV row is an
error naming the file and line (a hand-made file should be fixed, not silently trimmed).

Privacy: only usage counts, ids, model names and timestamps are read into the ledger. Message text,
tool inputs and outputs are parsed transiently (a JSON line must be decoded to be checked) and never
stored, returned, printed or put in a warning. No folder or file name below ``logs_path`` reaches any
output either (Claude Code names its folders after the user's working directories): warnings, errors
and ids name a file below a folder as "file 3 of 12 (1a2b3c4d)" (a single file given as ``logs_path`` is
named as given), its rank in sorted order and a short hash of its
path relative to ``logs_path`` (``locate(logs_path, "1a2b3c4d")`` finds it again, on the user's machine).
A file or folder that cannot be read (permissions, I/O error) is skipped with an ``UnreadableLog``
warning and counted in ``stats["unreadable"]``.

Modules: ``common`` (ledger columns, statistics, warnings, privacy), ``claude_code``, ``codex``, ``tracelab``,
``generic_csv`` (one per format, each with its writer where tests need one), ``reader`` (``read_logs``).
"""
from .claude_code import read_claude_lines, write_claude_jsonl
from .codex import write_codex_jsonl
from .common import (LEDGER_COLUMNS, MAX_LINES_IN_WARNING, STATS_KEYS, MalformedLogLine, UnreadableLog, locate,
                     path_hash)
from .generic_csv import read_generic_csv
from .reader import log_files, read_logs, sniff_format
from .tracelab import read_tracelab, tracelab_trace_records

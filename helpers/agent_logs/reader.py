"""Reading a log file or folder: find the log files, detect each one's format, read, merge and deduplicate.

``read_logs(path)`` walks a folder (``*.jsonl`` and ``*.csv``, recursively), detects each file's format from its
name and first lines (``sniff_format``), reads it with its format's reader, deduplicates Claude Code records
across files (resumed sessions copy earlier messages), and returns one ledger with summed statistics. Files
below a folder are named by rank and hash only; an unreadable file or folder is skipped and counted.
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pandas as pd

from .. import pricing
from ..validate import DataError, ParameterError
from .claude_code import _claude_records, _dedup_claude
from .codex import _codex_records
from .common import (MAX_LINES_IN_WARNING, STATS_KEYS, UnreadableLog, _empty_stats, _finish, _jsonl_frame, _numbered_lines,
                     _redact, _warn_malformed, path_hash)
from .generic_csv import read_generic_csv
from .tracelab import read_tracelab


def sniff_format(path: Path | str, max_lines: int = 50) -> str:
    """'csv', 'tracelab', 'codex' or 'claude' from the file name and its first parseable lines."""
    p = Path(path)
    if p.suffix.lower() == ".csv":
        return "csv"
    with open(p, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f):
            if i >= max_lines:
                break
            try:
                rec = json.loads(line)
            except (json.JSONDecodeError, RecursionError):
                continue
            if not isinstance(rec, dict):
                continue
            if "round_index" in rec and ("prefix_tokens" in rec or "input_tokens_total" in rec):
                return "tracelab"
            if "payload" in rec and rec.get("type") in ("session_meta", "turn_context", "event_msg", "response_item"):
                return "codex"
            if "message" in rec or "sessionId" in rec:
                return "claude"
    return "claude"


def _walk(p: Path) -> tuple[list[Path], list[Path]]:
    """(log files, unreadable folders) of ``p``: the file itself, or ``*.jsonl``/``*.csv`` below a folder."""
    if not p.exists():
        raise DataError(f"{p}: no such file or folder")
    if p.is_file():
        return [p], []
    unreadable: list[Path] = []
    files = []
    for d, dirs, names in os.walk(p, onerror=lambda e: unreadable.append(Path(e.filename))):
        dirs.sort()
        files += [Path(d) / x for x in names if Path(x).suffix.lower() in (".jsonl", ".csv")]
    files = sorted(f for f in files if f.is_file())
    if not files:
        if p in unreadable:
            raise DataError(f"{p}: this folder cannot be read (permission denied?)")
        raise DataError(f"{p}: no *.jsonl or *.csv log files in this folder"
                        + (f" ({len(unreadable)} unreadable subfolder(s) skipped)" if unreadable else ""))
    return files, sorted(unreadable)


def log_files(path: Path | str) -> list[Path]:
    """The log files of ``path``: the file itself, or ``*.jsonl`` and ``*.csv`` under a folder (sorted)."""
    return _walk(Path(os.path.expanduser(str(path))))[0]


def read_logs(path: Path | str) -> tuple[pd.DataFrame, dict]:
    """Read a log file or folder into one tidy ledger and dedup statistics (see the module docstring).

    Malformed JSONL lines are skipped with a ``MalformedLogLine`` warning naming the file and lines;
    a ``DataError`` is raised only when no valid usage record remains.
    """
    if path is None or (isinstance(path, str) and not path.strip()):
        raise ParameterError("parameter 'logs_path' is empty")
    root = Path(os.path.expanduser(str(path)))
    files, bad_dirs = _walk(root)
    stats = _empty_stats()
    if bad_dirs:
        stats["unreadable"] += len(bad_dirs)
        warnings.warn(f"skipped {len(bad_dirs)} unreadable folder(s) below logs_path: "
                      + ", ".join(f"folder {path_hash(root, d)}" for d in bad_dirs[:MAX_LINES_IN_WARNING])
                      + (" and more" if len(bad_dirs) > MAX_LINES_IN_WARNING else ""), UnreadableLog, stacklevel=2)
    frames, claude_frames, bad_by_file = [], [], {}
    for i, f in enumerate(files, start=1):
        h = path_hash(root, f)
        # a file given as logs_path is the user's own parameter: named; files below a folder are not
        label = f.name if root.is_file() else f"file {i} of {len(files)} ({h})"
        caught: list = []
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fmt = sniff_format(f)
                if fmt == "csv":
                    df, st = read_generic_csv(f, call_prefix=h)
                elif fmt == "tracelab":
                    df, st = read_tracelab(f)
                else:
                    parse = _claude_records if fmt == "claude" else _codex_records
                    rows, st, bad = parse(_numbered_lines(f), h, f"file-{h}")
                    bad_by_file[label] = bad
                    df = _jsonl_frame(fmt, rows)
                    if fmt == "claude":
                        claude_frames.append(df)
                        df = None
        except OSError as exc:  # permission denied, I/O error: skip this file, say so, count it
            stats["unreadable"] += 1
            warnings.warn(f"skipped unreadable log {label}: {exc.strerror or type(exc).__name__}",
                          UnreadableLog, stacklevel=2)
            continue
        except DataError as exc:
            raise DataError(_redact(str(exc), f, root, label)) from None
        finally:
            for w in caught:
                warnings.warn(_redact(str(w.message), f, root, label), w.category, stacklevel=2)
        for k in STATS_KEYS:
            stats[k] += st[k]
        if df is not None and len(df):
            frames.append(df)
    if claude_frames:
        # dedup across files: resumed sessions copy earlier messages into new files
        cdf, n_drop = _dedup_claude(pd.concat(claude_frames, ignore_index=True))
        stats["duplicates_dropped"] += n_drop
        frames.append(cdf)
    _warn_malformed(bad_by_file)
    frames = [f.drop(columns="request_id", errors="ignore") for f in frames if len(f)]
    if not frames:
        raise DataError(f"{root}: no valid usage records in {len(files)} file(s) "
                        f"({stats['lines']} line(s), {stats['malformed']} malformed)")
    out = pd.concat(frames, ignore_index=True)
    if "provider" not in out or out["provider"].isna().any():
        prov = out["model"].map(lambda m: pricing.provider_of(m) or "unknown")
        out["provider"] = out["provider"].fillna(prov) if "provider" in out else prov
    return _finish(out), stats

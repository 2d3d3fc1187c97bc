"""The common ground of the agent-log readers: the ledger they return, their statistics, warnings and privacy.

Every reader returns ``(ledger, stats)``: the ledger has ``LEDGER_COLUMNS`` (``_finish`` sets dtypes and the
order), ``stats`` the ``STATS_KEYS`` counts. Malformed lines are skipped and named in one ``MalformedLogLine``
warning; unreadable files and folders give an ``UnreadableLog`` warning. Below a folder, files are named by
rank and ``path_hash`` (never by name); ``locate`` finds a hash again on the user's machine; ``_redact``
replaces any spelling of a path in a message by its label. ``_count`` accepts only non-negative integer counts.
"""
from __future__ import annotations

import hashlib
import json
import os
import warnings
from pathlib import Path
from typing import Iterator

import pandas as pd

from .. import tokens

LEDGER_COLUMNS = ["source", "session", "call_id", "model", "provider", "timestamp", "sidechain"] + tokens.TOKEN_COLUMNS
STATS_KEYS = ("lines", "valid", "duplicates_dropped", "malformed", "files", "unreadable")
MAX_LINES_IN_WARNING = 10
JSONL_COLUMNS = ["session", "call_id", "request_id", "model", "timestamp", "sidechain"] + tokens.TOKEN_COLUMNS


class MalformedLogLine(UserWarning):
    """Lines of an agent log were skipped (the message names the file and the line numbers)."""


class UnreadableLog(UserWarning):
    """A log file or folder could not be read and was skipped (named by rank and hash, never by name)."""


def path_hash(root: Path, path: Path) -> str:
    """Short hash naming ``path`` without revealing it: sha256 of its path relative to ``root``."""
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = path.name
    return hashlib.sha256(rel.encode("utf-8", "surrogateescape")).hexdigest()[:8]


def locate(logs_path: Path | str, short_hash: str) -> list[Path]:
    """The files or folders under ``logs_path`` whose ``path_hash`` is ``short_hash`` (for the user only)."""
    root = Path(os.path.expanduser(str(logs_path)))
    out = [root] if path_hash(root, root) == short_hash else []
    for d, dirs, files in os.walk(root):
        out += [Path(d) / x for x in dirs + files if path_hash(root, Path(d) / x) == short_hash]
    return out


def _redact(text: str, f: Path, root: Path, label: str) -> str:
    """``text`` with every spelling of the path of ``f`` replaced by its label."""
    for form in sorted({str(f), str(f.resolve()), str(f.relative_to(root)) if f != root else "", f.name} - {""},
                       key=len, reverse=True):
        text = text.replace(form, label)
    return text


def _count(v) -> int | None:
    """A non-negative integer count, or None when ``v`` is not one (bools and floats with fractions rejected)."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if 0 <= v < 2**63 else None  # beyond int64 a count would wrap to negative
    if isinstance(v, float) and v.is_integer() and 0 <= v < 2.0**63:
        return int(v)
    return None


def _empty_stats() -> dict:
    return {k: 0 for k in STATS_KEYS}


def _warn_malformed(bad_by_file: dict[str, list[int]]) -> None:
    """One warning naming every file with skipped lines and (up to 10 per file) their line numbers."""
    bad_by_file = {f: b for f, b in bad_by_file.items() if b}
    if not bad_by_file:
        return
    total = sum(map(len, bad_by_file.values()))
    parts = []
    for f, b in list(bad_by_file.items())[:MAX_LINES_IN_WARNING]:
        more = f" and {len(b) - MAX_LINES_IN_WARNING} more" if len(b) > MAX_LINES_IN_WARNING else ""
        parts.append(f"{f}: line {', '.join(map(str, b[:MAX_LINES_IN_WARNING]))}{more}")
    if len(bad_by_file) > MAX_LINES_IN_WARNING:
        parts.append(f"and {len(bad_by_file) - MAX_LINES_IN_WARNING} more file(s)")
    warnings.warn(f"skipped {total} malformed log line(s) in {len(bad_by_file)} file(s): " + "; ".join(parts),
                  MalformedLogLine, stacklevel=3)


def _json_objects(lines, bad: list, counter: list):
    """Yield (line number, object) for each non-blank line that is a JSON object; append the numbers
    of the others to ``bad`` and count non-blank lines in ``counter[0]``."""
    for ln, line in lines:
        if not line.strip():
            continue
        counter[0] += 1
        try:
            rec = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError):
            bad.append(ln)
            continue
        if not isinstance(rec, dict):
            bad.append(ln)
            continue
        yield ln, rec


def _numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for ln, line in enumerate(f, start=1):
            yield ln, line


def _finish(df: pd.DataFrame) -> pd.DataFrame:
    df = df.copy()
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, errors="coerce", format="mixed").astype("datetime64[ns, UTC]")
    for c in tokens.TOKEN_COLUMNS:
        df[c] = df[c].astype("int64")
    df["sidechain"] = df["sidechain"].astype(bool)
    for c in ("source", "session", "call_id", "model", "provider"):
        df[c] = df[c].astype(str)
    return df[LEDGER_COLUMNS].sort_values(["timestamp", "session", "call_id"], kind="stable",
                                          na_position="last").reset_index(drop=True)


def _jsonl_frame(fmt: str, rows: list) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=JSONL_COLUMNS)
    df.insert(0, "source", fmt)
    return df

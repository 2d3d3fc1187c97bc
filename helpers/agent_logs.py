"""Readers for real agent logs: Claude Code, Codex CLI, TraceLab rounds and a generic CSV (claim 5).

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
Claude Code (``~/.claude/projects/<project>/<session>.jsonl``): assistant lines carry ``message.id``,
``message.model``, ``requestId``, ``timestamp``, ``sessionId``, ``isSidechain`` and ``message.usage``
(``input_tokens`` excludes cache reads and writes; ``cache_creation.ephemeral_5m/1h_input_tokens`` split
the writes, else all writes are 5-minute). The same usage is repeated on every streamed content block:
records are deduplicated on (message.id, requestId), keeping the one with the largest total; a
sidechain record whose message.id also appears outside a sidechain is a replay and is dropped.
Synthetic placeholder messages (model ``<synthetic>``) are not model calls and are ignored.

Codex CLI (``~/.codex/sessions/**/rollout-*.jsonl``): ``event_msg`` lines with ``payload.type ==
"token_count"``; ``payload.info.last_token_usage`` is the call's usage with ``input_tokens`` INCLUDING
``cached_input_tokens``, so uncached = input - cached, read = cached, no writes; ``output_tokens``
includes reasoning. A token_count whose ``total_token_usage`` equals the previous one in the file is a
repeated event and is dropped. Model from the latest ``turn_context`` (``payload.model``), session from
``session_meta`` (``payload.id``), else the file name.

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
"""
from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np
import pandas as pd

from . import datasets, pricing, tokens
from .validate import DataError, ParameterError

LEDGER_COLUMNS = ["source", "session", "call_id", "model", "provider", "timestamp", "sidechain"] + tokens.TOKEN_COLUMNS
STATS_KEYS = ("lines", "valid", "duplicates_dropped", "malformed", "files", "unreadable")
MAX_LINES_IN_WARNING = 10


class MalformedLogLine(UserWarning):
    """Lines of an agent log were skipped (the message names the file and the line numbers)."""


class UnreadableLog(UserWarning):
    """A log file or folder could not be read and was skipped (named by rank and hash, never by name)."""


def path_hash(root: Path, path: Path) -> str:
    """Short hash naming ``path`` without revealing it: sha256 of its path relative to ``root``."""
    import hashlib

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


# ---------------------------------------------------------------- Claude Code


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


def _claude_records(lines: Iterable[tuple[int, str]], label: str, session_default: str):
    """Parse Claude Code lines; return (rows, stats, bad line numbers). Rows hold usage fields only."""
    rows, bad, counter = [], [], [0]
    n_valid = 0
    for ln, rec in _json_objects(lines, bad, counter):
        msg = rec.get("message")
        if not isinstance(msg, dict) or "usage" not in msg:
            continue  # user lines, snapshots, summaries: no usage, nothing to read
        usage = msg.get("usage")
        model = msg.get("model")
        if model == "<synthetic>":
            continue
        if not isinstance(usage, dict):
            bad.append(ln)
            continue
        inp, out = _count(usage.get("input_tokens")), _count(usage.get("output_tokens"))
        cw = _count(usage.get("cache_creation_input_tokens", 0) or 0)
        cr = _count(usage.get("cache_read_input_tokens", 0) or 0)
        if inp is None or out is None or cw is None or cr is None:
            bad.append(ln)
            continue
        w1h = 0
        cc = usage.get("cache_creation")
        if isinstance(cc, dict):
            w1h = _count(cc.get("ephemeral_1h_input_tokens", 0) or 0)
            if w1h is None or w1h > cw:
                bad.append(ln)
                continue
        mid = msg.get("id")
        rid = rec.get("requestId")
        n_valid += 1
        rows.append((str(rec.get("sessionId") or session_default),
                     str(mid) if mid is not None else f"{label}:{ln}",
                     "" if rid is None else str(rid),
                     str(model) if model is not None else "unknown",
                     rec.get("timestamp") if isinstance(rec.get("timestamp"), str) else None,
                     bool(rec.get("isSidechain") is True),
                     inp, cw - w1h, w1h, cr, out))
    stats = _empty_stats()
    stats.update(lines=counter[0], valid=n_valid, malformed=len(bad), files=1)
    return rows, stats, bad


_CLAUDE_COLS = ["session", "call_id", "request_id", "model", "timestamp", "sidechain"] + tokens.TOKEN_COLUMNS


def _dedup_claude(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Drop sidechain replays and streamed repeats; return the frame and the number dropped."""
    n0 = len(df)
    main_ids = set(df.loc[~df["sidechain"], "call_id"])
    df = df[~(df["sidechain"] & df["call_id"].isin(main_ids))]
    tot = df[tokens.TOKEN_COLUMNS].sum(axis=1)
    df = (df.assign(_tot=tot).sort_values(["call_id", "request_id", "_tot"], kind="stable")
            .drop_duplicates(["call_id", "request_id"], keep="last").drop(columns="_tot"))
    return df, n0 - len(df)


# ---------------------------------------------------------------- Codex CLI


def _codex_records(lines: Iterable[tuple[int, str]], label: str, session_default: str):
    rows, bad, counter = [], [], [0]
    n_valid = n_dup = 0
    session, model, prev_total = session_default, "unknown", None
    for ln, rec in _json_objects(lines, bad, counter):
        typ, pl = rec.get("type"), rec.get("payload")
        if not isinstance(pl, dict):
            continue
        if typ == "session_meta" and isinstance(pl.get("id"), str):
            session = pl["id"]
        elif typ == "turn_context" and isinstance(pl.get("model"), str):
            model = pl["model"]
        elif typ == "event_msg" and pl.get("type") == "token_count":
            info = pl.get("info")
            if info is None:
                continue  # rate-limit-only event: no usage
            last = info.get("last_token_usage") if isinstance(info, dict) else None
            if not isinstance(last, dict):
                bad.append(ln)
                continue
            inp, cached, out = (_count(last.get(k, 0) if k == "cached_input_tokens" else last.get(k))
                                for k in ("input_tokens", "cached_input_tokens", "output_tokens"))
            if inp is None or cached is None or out is None or cached > inp:
                bad.append(ln)
                continue
            n_valid += 1
            total = info.get("total_token_usage")
            key = json.dumps(total, sort_keys=True) if isinstance(total, dict) else None
            if key is not None and key == prev_total:
                n_dup += 1
                continue
            prev_total = key
            rows.append((session, f"{session}:{ln}", "", model,
                         rec.get("timestamp") if isinstance(rec.get("timestamp"), str) else None, False,
                         inp - cached, 0, 0, cached, out))
    stats = _empty_stats()
    stats.update(lines=counter[0], valid=n_valid, malformed=len(bad), duplicates_dropped=n_dup, files=1)
    return rows, stats, bad


# ---------------------------------------------------------------- TraceLab and generic CSV


def read_tracelab(path: Path | str) -> tuple[pd.DataFrame, dict]:
    """A TraceLab ``round_trace.jsonl`` as a ledger (via ``datasets.tracelab_rounds``)."""
    df = datasets.tracelab_rounds(path=path)
    out = pd.DataFrame({
        "source": "tracelab", "session": df["session_id"].astype(str), "call_id": df["round_id"].astype(str),
        "model": df["model"].astype(str), "provider": df["model"].map(lambda m: pricing.provider_of(m) or "unknown"),
        "timestamp": df["timestamp"], "sidechain": False,
        "uncached_input": df["uncached_input"], "cache_write_5m": df["cache_write"],
        "cache_write_1h": np.zeros(len(df), dtype=np.int64), "cache_read": df["cache_read"], "output": df["output"]})
    stats = _empty_stats()
    with open(path, encoding="utf-8") as f:
        n = sum(1 for line in f if line.strip())
    stats.update(lines=n, valid=len(out), files=1)
    return _finish(out), stats


def read_generic_csv(path: Path | str, call_prefix: str | None = None) -> tuple[pd.DataFrame, dict]:
    """The generic CSV; a bad row raises ``DataError`` naming the file and line (header = line 1).

    Call ids are ``<call_prefix>:<line>`` (default: the file name).
    """
    p = Path(path)
    df = datasets.read_csv(p, dtype={"session": str, "model": str, "timestamp": str})
    need = ["timestamp", "session", "model", "uncached_input", "cache_write", "cache_read", "output"]
    datasets.require_columns(df, need, p)
    counts = ["uncached_input", "cache_write", "cache_read", "output"] + (["cache_write_1h"] if "cache_write_1h" in df else [])
    df = datasets.to_numeric(df, counts, p)
    datasets.check_rows(df, p, [(c, lambda s: s >= 0, "is negative") for c in counts]
                        + [(c, lambda s: s == np.round(s), "is not a whole number") for c in counts])
    for c in ("session", "model"):
        bad = df[c].isna() | (df[c].astype(str).str.strip() == "")
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{p}, line {i + 2}: column {c!r} is empty")
    ts = pd.to_datetime(df["timestamp"], utc=True, errors="coerce", format="mixed")
    if ts.isna().any():
        i = int(np.flatnonzero(ts.isna().to_numpy())[0])
        raise DataError(f"{p}, line {i + 2}: column 'timestamp' = {df['timestamp'].iloc[i]!r} is not a date-time")
    w1h = df["cache_write_1h"].astype("int64") if "cache_write_1h" in df else pd.Series(0, index=df.index, dtype="int64")
    out = pd.DataFrame({
        "source": "csv", "session": df["session"].astype(str), "call_id": [f"{call_prefix or p.name}:{i + 2}" for i in range(len(df))],
        "model": df["model"].astype(str), "provider": df["model"].map(lambda m: pricing.provider_of(m) or "unknown"),
        "timestamp": ts, "sidechain": False, "uncached_input": df["uncached_input"].astype("int64"),
        "cache_write_5m": df["cache_write"].astype("int64"), "cache_write_1h": w1h,
        "cache_read": df["cache_read"].astype("int64"), "output": df["output"].astype("int64")})
    stats = _empty_stats()
    stats.update(lines=len(df), valid=len(df), files=1)
    return _finish(out), stats


# ---------------------------------------------------------------- dispatcher


def _numbered_lines(path: Path) -> Iterator[tuple[int, str]]:
    with open(path, encoding="utf-8", errors="replace") as f:
        for ln, line in enumerate(f, start=1):
            yield ln, line


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
    df = pd.DataFrame(rows, columns=_CLAUDE_COLS)
    df.insert(0, "source", fmt)
    return df


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


def read_claude_lines(lines: Iterable[str], label: str = "<lines>") -> tuple[pd.DataFrame, dict]:
    """Claude Code records given as JSON strings (one record each), e.g. from a pretty-printed trace."""
    rows, st, bad = _claude_records(enumerate(lines, start=1), label, label)
    _warn_malformed({label: bad})
    df = _jsonl_frame("claude", rows)
    df, n_drop = _dedup_claude(df)
    st["duplicates_dropped"] = n_drop
    if df.empty:
        raise DataError(f"{label}: no valid usage records")
    df["provider"] = df["model"].map(lambda m: pricing.provider_of(m) or "unknown")
    return _finish(df.drop(columns="request_id")), st


def tracelab_trace_records(path: Path | str) -> list[str]:
    """The records of TraceLab's pretty-printed ``example_sessions/claude/trace.json`` as JSON strings.

    That file is the raw Claude Code JSONL of one session with '===== record NNNN =====' separators and
    '#' comment lines; each record is re-serialised on one line, as Claude Code wrote it.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: no such file")
    chunks, cur = [], []
    for line in p.read_text(encoding="utf-8").splitlines():
        if line.startswith("===== record") or (not cur and line.startswith("#")):
            if cur:
                chunks.append("\n".join(cur))
            cur = []
            continue
        cur.append(line)
    if cur:
        chunks.append("\n".join(cur))
    out = []
    for c in (x for x in chunks if x.strip()):
        try:
            out.append(json.dumps(json.loads(c)))
        except json.JSONDecodeError:
            out.append("{malformed")  # keep the count of records; the reader will skip and report it
    return out


# ---------------------------------------------------------------- synthetic logs (tests, recovery)


def write_claude_jsonl(led: pd.DataFrame, folder: Path | str, rng: np.random.Generator, *,
                       text: str = "lorem ipsum", max_blocks: int = 3, sidechain_prob: float = 0.1,
                       malformed_prob: float = 0.0, files_per_session: bool = True) -> dict:
    """Write a ledger as Claude Code session JSONL with the quirks of the real thing.

    Each call becomes 1..``max_blocks`` streamed assistant lines repeating its usage (earlier blocks
    carry a partial ``output_tokens``, the last the full count), preceded by a user line; with
    probability ``sidechain_prob`` a sidechain replay of the call is added; malformed lines are
    inserted with probability ``malformed_prob`` per call. ``text`` fills every text field (message
    text, thinking, tool input and output, cwd, summaries). Returns the planted counts:
    {lines, valid, duplicates_dropped, malformed, files}.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    n = len(led)
    blocks = rng.integers(1, max_blocks + 1, size=n)
    side = rng.random(n) < sidechain_prob
    bad = rng.random(n) < malformed_prob
    sessions = led["session"].astype(str).to_numpy()
    ts = pd.to_datetime(led["timestamp"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").to_numpy() \
        if "timestamp" in led else np.full(n, "2026-01-01T00:00:00.000Z")
    cols = {c: led[c].to_numpy() for c in tokens.TOKEN_COLUMNS}
    models = led["model"].astype(str).to_numpy() if "model" in led else np.full(n, "claude-sonnet-4-6")
    handles = {}
    planted = {"lines": 0, "valid": 0, "duplicates_dropped": 0, "malformed": 0, "files": 0, "unreadable": 0}
    try:
        for i in range(n):
            s = sessions[i]
            key = s if files_per_session else "all"
            if key not in handles:
                handles[key] = open(folder / f"session-{key}.jsonl", "w", encoding="utf-8")
                planted["files"] += 1
            fh = handles[key]
            base = {"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": f"/home/{text}",
                    "sessionId": f"sess-{s}", "version": "2.1.0", "gitBranch": text, "timestamp": ts[i]}
            user = {**base, "type": "user", "message": {"role": "user", "content": [
                {"type": "tool_result", "tool_use_id": f"toolu_{i}", "content": text}, {"type": "text", "text": text}]}}
            fh.write(json.dumps(user) + "\n")
            planted["lines"] += 1
            usage = {"input_tokens": int(cols["uncached_input"][i]),
                     "cache_creation_input_tokens": int(cols["cache_write_5m"][i] + cols["cache_write_1h"][i]),
                     "cache_read_input_tokens": int(cols["cache_read"][i]), "output_tokens": int(cols["output"][i]),
                     "cache_creation": {"ephemeral_5m_input_tokens": int(cols["cache_write_5m"][i]),
                                        "ephemeral_1h_input_tokens": int(cols["cache_write_1h"][i])},
                     "service_tier": "standard"}
            content_kinds = [{"type": "thinking", "thinking": text, "signature": "sig"},
                             {"type": "text", "text": text},
                             {"type": "tool_use", "id": f"toolu_{i}", "name": "Bash", "input": {"command": text}}]
            for b in range(int(blocks[i])):
                last = b == blocks[i] - 1
                u = dict(usage, output_tokens=usage["output_tokens"] if last else min(1, usage["output_tokens"]))
                rec = {**base, "type": "assistant", "requestId": f"req_{i}",
                       "message": {"model": models[i], "id": f"msg_{i}", "type": "message", "role": "assistant",
                                   "content": [content_kinds[b % 3]], "stop_reason": None, "usage": u}}
                fh.write(json.dumps(rec) + "\n")
                planted["lines"] += 1
                planted["valid"] += 1
            planted["duplicates_dropped"] += int(blocks[i]) - 1
            if side[i]:
                rec = {**base, "isSidechain": True, "type": "assistant", "requestId": f"req_side_{i}",
                       "message": {"model": models[i], "id": f"msg_{i}", "type": "message", "role": "assistant",
                                   "content": [{"type": "text", "text": text}], "usage": usage}}
                fh.write(json.dumps(rec) + "\n")
                planted["lines"] += 1
                planted["valid"] += 1
                planted["duplicates_dropped"] += 1
            if bad[i]:
                fh.write('{"type": "assistant", "message": {"content": "' + text + '", "usage": {"input_tokens": 5\n')
                planted["lines"] += 1
                planted["malformed"] += 1
    finally:
        for fh in handles.values():
            fh.close()
    return planted


def write_codex_jsonl(led: pd.DataFrame, path: Path | str, rng: np.random.Generator, *, text: str = "lorem ipsum",
                      repeat_prob: float = 0.2, model: str = "gpt-5-codex") -> dict:
    """Write a ledger as one Codex CLI rollout JSONL (writes are folded into uncached input: Codex has none).

    Each call: a response_item line with ``text`` and a token_count event; with probability
    ``repeat_prob`` the token_count event is emitted twice (as Codex sometimes does). Returns planted counts.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    n = len(led)
    rep = rng.random(n) < repeat_prob
    planted = {"lines": 0, "valid": 0, "duplicates_dropped": 0, "malformed": 0, "files": 1, "unreadable": 0}
    tot = {"input_tokens": 0, "cached_input_tokens": 0, "output_tokens": 0, "reasoning_output_tokens": 0, "total_tokens": 0}
    with open(path, "w", encoding="utf-8") as fh:
        def w(obj):
            fh.write(json.dumps(obj) + "\n")
            planted["lines"] += 1
        w({"timestamp": "2026-03-21T10:00:00.000Z", "type": "session_meta",
           "payload": {"id": "codex-session-1", "cwd": f"/home/{text}", "instructions": text}})
        w({"timestamp": "2026-03-21T10:00:00.000Z", "type": "turn_context",
           "payload": {"model": model, "cwd": f"/home/{text}", "approval_policy": "never"}})
        w({"timestamp": "2026-03-21T10:00:01.000Z", "type": "event_msg",
           "payload": {"type": "token_count", "info": None, "rate_limits": {"primary": {"used_percent": 1.0}}}})
        ts = pd.to_datetime(led["timestamp"], utc=True).dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ").to_numpy()
        for i in range(n):
            r = led.iloc[i]
            cached = int(r["cache_read"])
            inp = int(r["uncached_input"] + r["cache_write_5m"] + r["cache_write_1h"]) + cached
            out = int(r["output"])
            last = {"input_tokens": inp, "cached_input_tokens": cached, "output_tokens": out,
                    "reasoning_output_tokens": out // 2, "total_tokens": inp + out}
            for k in tot:
                tot[k] += last[k]
            w({"timestamp": ts[i], "type": "response_item",
               "payload": {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": text}]}})
            ev = {"timestamp": ts[i], "type": "event_msg",
                  "payload": {"type": "token_count", "info": {"total_token_usage": dict(tot), "last_token_usage": last,
                                                                "model_context_window": 272000}}}
            w(ev)
            planted["valid"] += 1
            if rep[i]:
                w(ev)
                planted["valid"] += 1
                planted["duplicates_dropped"] += 1
    return planted

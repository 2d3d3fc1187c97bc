"""Tidy loaders for the study's data: published tables and logged files.

Each loader returns a pandas frame with the documented columns and dtypes and
rejects bad rows with a ``DataError`` naming the file and the row (CSV: the
line number, header = line 1; JSON: the record key; JSONL: the line number).
Logged loaders accept ``path=`` to read a user's copy of the same format;
without it they use the registry (``registry.local_path``), which raises
``registry.DataUnavailable`` with instructions when the file is not here.

Frames (column: dtype, meaning)
------------------------------
``swe_effi()``            scaffold, model, instance_id: str; input_tokens, output_tokens, total_tokens,
                          llm_calls: int64; duration_s: float64; resolved: bool.  One row per (scaffold,
                          model, SWE-bench instance).
``terminal_bench_trials()`` trial_id, model, provider, task: str; input_tokens, output_tokens,
                          total_tokens: int64; execution_time_s, reward: float64; success: bool.
``monkeys_counts()``      model, problem_id: str; n_samples, n_correct: int64; level: str (raw file only,
                          else "unknown"). One row per (model, problem).
``cost_bench_runs()``     run_set, task, setup, run: str; passed: bool; billed_usd, sole_usd, session_s:
                          float64; steps, tokens_in, tokens_out: int64.
``cost_bench_difficulty()`` run_set, task: str; complexity, pass_rate, avg_cost_usd: float64; trials,
                          passes: int64.
``agent_eval_humaneval()`` strategy, model, run: str; accuracy: float64 in [0,1]; n_tasks, prompt_tokens,
                          completion_tokens, total_tokens: int64; cost_usd: float64.
``tracelab_rounds()``     session_id, round_id, model, provider: str; round_index: int64; timestamp:
                          datetime64[ns, UTC] (first event of the round); uncached_input, cache_write,
                          cache_read, output: int64 (disjoint: prompt = uncached + write + read; Codex rows,
                          whose input total includes the cached prefix, are converted). Only usage fields,
                          ids, models and timestamps are read: no message or tool text.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from . import paths, registry
from .validate import DataError

# ---------------------------------------------------------------- generic checks


def _line(i: int) -> int:
    """CSV line number of data row i (header is line 1)."""
    return int(i) + 2


def require_columns(df: pd.DataFrame, cols: Iterable[str], file: Path | str) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DataError(f"{file}: missing required column(s) {missing}; found {list(df.columns)}")


def _plain(v):
    """A cell value for an error message: numpy scalars as plain python (1.7, not np.float64(1.7))."""
    if hasattr(v, "item"):
        try:
            v = v.item()
        except (ValueError, TypeError):  # pragma: no cover
            pass
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def check_rows(df: pd.DataFrame, file: Path | str, checks: list[tuple[str, Callable, str]],
               row_label: Callable[[int], str] | None = None) -> None:
    """Raise ``DataError`` at the first row failing any check.

    ``checks``: (column, vectorized predicate returning a boolean mask of GOOD rows, description).
    ``row_label(i)`` turns a positional index into 'line N' text (default: CSV line).
    """
    label = row_label or (lambda i: f"line {_line(i)}")
    for col, pred, desc in checks:
        with np.errstate(invalid="ignore"):
            ok = np.asarray(pred(df[col]), dtype=bool)
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            raise DataError(f"{file}, {label(i)}: column {col!r} = {_plain(df[col].iloc[i])!r} {desc} "
                            f"({int((~ok).sum())} bad row(s) in all)")


INT64_MAX = 2**63 - 1
NUMBER_LIMIT = 2.0**63  # beyond this a count would wrap in int64; no quantity of the study comes near it


def to_numeric(df: pd.DataFrame, cols: Iterable[str], file: Path | str,
               row_label: Callable[[int], str] | None = None) -> pd.DataFrame:
    """Coerce columns to finite numbers, naming the file, line and column of the first cell that is not one.

    Rejected: blank cells, ``nan``/``NA`` spelled out, ``inf``/``-inf`` (and numbers that overflow to it,
    such as ``1e400``), text, and magnitudes of 2^63 or more (they would wrap to negative as int64 counts).
    Columns come back as float64.
    """
    label = row_label or (lambda i: f"line {_line(i)}")
    out = df.copy()
    for c in cols:
        raw = out[c]
        conv = pd.to_numeric(raw, errors="coerce")
        if conv.dtype == object:  # pragma: no cover - mixed huge ints
            conv = conv.astype(float)
        conv = conv.astype("float64")
        with np.errstate(invalid="ignore"):
            blank = raw.isna().to_numpy() | (raw.astype(str).str.strip() == "").to_numpy()
            text = conv.isna().to_numpy() & ~blank
            inf = np.isinf(conv.to_numpy())
            big = ~inf & (np.abs(conv.to_numpy()) >= NUMBER_LIMIT)
        for mask, what in ((blank, "is blank (or nan): a number is needed"), (text, None),
                           (inf, "is infinite: a finite number is needed"),
                           (big, "is beyond the supported range (magnitude below 2^63)")):
            if mask.any():
                i = int(np.flatnonzero(mask)[0])
                what = what or f"= {_plain(raw.iloc[i])!r} is not a number"
                raise DataError(f"{file}, {label(i)}: column {c!r} {what} "
                                f"({int(mask.sum())} such row(s) in all)")
        out[c] = conv
    return out


def to_bool(series: pd.Series, file, col: str, row_label=None) -> pd.Series:
    label = row_label or (lambda i: f"line {_line(i)}")
    mapping = {True: True, False: False, "True": True, "False": False, "true": True, "false": False,
               1: True, 0: False, "1": True, "0": False, 1.0: True, 0.0: False}
    out = series.map(lambda v: mapping.get(v, None))
    if out.isna().any():
        i = int(np.flatnonzero(out.isna().to_numpy())[0])
        raise DataError(f"{file}, {label(i)}: column {col!r} = {_plain(series.iloc[i])!r} is not a boolean")
    return out.astype(bool)


def read_csv(path: Path | str, **kw) -> pd.DataFrame:
    """``pandas.read_csv`` with the study's conventions: a missing, unparsable or empty file is a
    ``DataError``; spaces after the commas are ignored and column names are stripped of surrounding
    spaces (``a, b, c`` is the header ``a,b,c``), so every reader accepts the formats as the README
    writes them."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: no such file")
    kw.setdefault("skipinitialspace", True)
    try:
        df = pd.read_csv(path, **kw)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot be read as CSV ({exc})") from None
    df.columns = [str(c).strip() for c in df.columns]
    if df.columns.duplicated().any():
        raise DataError(f"{path}: repeated column name(s) {sorted(set(df.columns[df.columns.duplicated()]))}")
    if df.empty:
        raise DataError(f"{path}: has no data rows")
    return df


def _nonneg(s):
    return s >= 0


def _pos(s):
    return s > 0


def _unit(s):
    return (s >= 0) & (s <= 1)


# ---------------------------------------------------------------- published tables


def published_path(name: str) -> Path:
    p = paths.DATA_PUBLISHED / (name if name.endswith(".csv") else f"{name}.csv")
    if not p.is_file():
        raise DataError(f"{p}: published table not found (known: "
                        f"{sorted(x.stem for x in paths.DATA_PUBLISHED.glob('*.csv'))})")
    return p


def published(name: str) -> pd.DataFrame:
    """A table from ``data/published/`` as is (citation columns intact)."""
    return read_csv(published_path(name))


def headline_figures() -> pd.DataFrame:
    """Headline numbers behind each claim.

    Columns: source_id, claim, quantity, value (str, as published: a number, several separated by ';',
    or empty for qualitative statements), value_numeric (float64; NaN unless value is one number),
    unit, scope, citation (a 'same' resolved to the citation above it), how_obtained.
    """
    p = published_path("headline_figures")
    df = read_csv(p, dtype={"value": str}, keep_default_na=False)
    require_columns(df, ["source_id", "claim", "quantity", "value", "unit", "scope", "citation"], p)
    df["value_numeric"] = pd.to_numeric(df["value"].where(df["value"].str.strip() != ""), errors="coerce")
    # the file says 'same' for a citation repeated from the row above: resolve it
    cit = df["citation"].where(~df["citation"].str.strip().str.lower().isin(["same", "same as above"]))
    df["citation"] = cit.groupby(df["source_id"]).ffill().fillna(df["citation"])
    return df


# ---------------------------------------------------------------- logged: SWE-Effi


def swe_effi(paths_: Iterable[Path] | None = None) -> pd.DataFrame:
    """SWE-Effi per-instance runs (5 scaffolds x 3 models x up to 50 SWE-bench instances).

    ``paths_``: optional list of ``.../<scaffold>/<model>/combined_stats.json`` files (a user's copy).
    """
    if paths_ is None:
        files = [(n.split("/")[1], n.split("/")[2], registry.local_path(n)) for n in registry.names("swe_effi/")]
    else:
        files = [(Path(p).parent.parent.name, Path(p).parent.name, Path(p)) for p in paths_]
    frames = []
    need = ["input_tokens", "output_tokens", "llm_calls", "duration", "resolved"]
    for scaffold, model, f in files:
        try:
            doc = json.loads(Path(f).read_text())
        except FileNotFoundError:
            raise DataError(f"{f}: no such file") from None
        except json.JSONDecodeError as exc:
            raise DataError(f"{f}: not valid JSON ({exc})") from None
        if not isinstance(doc, dict) or not doc:
            raise DataError(f"{f}: expected a non-empty object keyed by instance id")
        rows = []
        for inst, rec in doc.items():
            if not isinstance(rec, dict) or any(k not in rec for k in need):
                raise DataError(f"{f}, instance {inst!r}: record lacks one of {need}")
            for k in ("input_tokens", "output_tokens", "llm_calls"):
                v = rec[k]
                if isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 or v != int(v):
                    raise DataError(f"{f}, instance {inst!r}: {k} = {v!r} is not a non-negative integer")
            if not isinstance(rec["resolved"], bool):
                raise DataError(f"{f}, instance {inst!r}: resolved = {rec['resolved']!r} is not true/false")
            rows.append((scaffold, model, inst, int(rec["input_tokens"]), int(rec["output_tokens"]),
                         int(rec["llm_calls"]), float(rec["duration"]), rec["resolved"]))
        frames.append(pd.DataFrame(rows, columns=["scaffold", "model", "instance_id", "input_tokens",
                                                  "output_tokens", "llm_calls", "duration_s", "resolved"]))
    df = pd.concat(frames, ignore_index=True)
    df["total_tokens"] = df["input_tokens"] + df["output_tokens"]
    df = df.astype({"input_tokens": "int64", "output_tokens": "int64", "total_tokens": "int64",
                    "llm_calls": "int64", "duration_s": "float64", "resolved": "bool"})
    return df[["scaffold", "model", "instance_id", "input_tokens", "output_tokens", "total_tokens",
               "llm_calls", "duration_s", "resolved"]]


# ---------------------------------------------------------------- logged: Terminal-Bench


def terminal_bench_trials(path: Path | str | None = None) -> pd.DataFrame:
    """Terminus-2 trials: one row per trial (about 5 per model x task)."""
    p = Path(path) if path else registry.local_path("terminal_bench/trial_token_usage")
    df = read_csv(p)
    cols = ["trial_id", "model_name", "provider", "task_name", "n_input_tokens", "n_output_tokens",
            "total_tokens", "execution_time_sec", "success", "reward"]
    require_columns(df, cols, p)
    df = to_numeric(df, ["n_input_tokens", "n_output_tokens", "total_tokens", "execution_time_sec", "reward"], p)
    check_rows(df, p, [("n_input_tokens", _nonneg, "is negative"), ("n_output_tokens", _nonneg, "is negative"),
                       ("total_tokens", _nonneg, "is negative"), ("reward", _unit, "is outside [0, 1]")])
    if df["trial_id"].duplicated().any():
        i = int(np.flatnonzero(df["trial_id"].duplicated().to_numpy())[0])
        raise DataError(f"{p}, line {_line(i)}: duplicate trial_id {df['trial_id'].iloc[i]!r}")
    out = pd.DataFrame({
        "trial_id": df["trial_id"].astype(str), "model": df["model_name"].astype(str),
        "provider": df["provider"].astype(str), "task": df["task_name"].astype(str),
        "input_tokens": df["n_input_tokens"].astype("int64"), "output_tokens": df["n_output_tokens"].astype("int64"),
        "total_tokens": df["total_tokens"].astype("int64"),
        "execution_time_s": df["execution_time_sec"].astype("float64"),
        "success": to_bool(df["success"], p, "success"), "reward": df["reward"].astype("float64"),
    })
    return out


# ---------------------------------------------------------------- logged: Large Language Monkeys


def monkeys_counts(source: str = "processed", path: Path | str | None = None) -> pd.DataFrame:
    """Per-problem sample counts on MATH for Pythia models.

    ``source="processed"``: 7 Pythia sizes x 128 problems, 10,000 samples each (Brown et al. 2024 as
    re-released by Schaeffer et al. 2025). ``source="raw"``: every checkpoint, with the MATH level of each
    problem (``level``), sample counts varying by model.
    """
    if source not in ("processed", "raw"):
        raise ValueError(f"source must be 'processed' or 'raw', got {source!r}")
    name = "monkeys/pass_at_k_processed" if source == "processed" else "monkeys/math_raw"
    p = Path(path) if path else registry.local_path(name)
    try:
        raw = pd.read_parquet(p)
    except FileNotFoundError:
        raise DataError(f"{p}: no such file") from None
    except Exception as exc:
        raise DataError(f"{p}: cannot be read as parquet ({type(exc).__name__}: {exc})") from None
    if source == "processed":
        cols = {"Model": "model", "Problem Idx": "problem_id", "Num. Samples Total": "n_samples",
                "Num. Samples Correct": "n_correct"}
    else:
        cols = {"Model Nickname": "model", "prompt_idx": "problem_id", "Num. Samples": "n_samples",
                "Num. Samples Correct": "n_correct", "Level": "level"}
    require_columns(raw, list(cols), p)
    df = raw[list(cols)].rename(columns=cols).drop_duplicates(subset=["model", "problem_id"]).reset_index(drop=True)
    lab = lambda i: f"row {i} (model {df['model'].iloc[i]!r}, problem {df['problem_id'].iloc[i]!r})"  # noqa: E731
    df = to_numeric(df, ["n_samples", "n_correct"], p, lab)
    check_rows(df, p, [("n_samples", _pos, "is not positive"), ("n_correct", _nonneg, "is negative"),
                       ("n_correct", lambda s: s <= df["n_samples"], "exceeds n_samples"),
                       ("n_correct", lambda s: s == np.round(s), "is not a whole number")], lab)
    if "level" not in df:
        df["level"] = "unknown"
    df["model"] = df["model"].astype(str)
    df["problem_id"] = df["problem_id"].astype(str)
    df["level"] = df["level"].astype(str)
    df = df.astype({"n_samples": "int64", "n_correct": "int64"})
    return df[["model", "problem_id", "n_samples", "n_correct", "level"]].sort_values(
        ["model", "problem_id"], kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------- logged: coding-agent-cost-bench


def _cost_bench_sets() -> list[str]:
    return sorted({n.split("/")[1] for n in registry.names("cost_bench/")})


def cost_bench_runs(paths_: dict[str, Path] | None = None) -> pd.DataFrame:
    """Per-attempt rows of coding-agent-cost-bench: task, setup, pass/fail, billed USD, steps, tokens.

    ``paths_``: optional {run_set: per_run.csv path}.
    """
    files = paths_ or {s: registry.local_path(f"cost_bench/{s}/per_run") for s in _cost_bench_sets()}
    frames = []
    for run_set, p in sorted(files.items()):
        df = read_csv(p)
        require_columns(df, ["task", "setup", "run", "passed", "billed_usd", "sole_usd", "steps",
                             "tokens_in", "tokens_out", "session_s"], p)
        df = to_numeric(df, ["billed_usd", "sole_usd", "steps", "tokens_in", "tokens_out", "session_s"], p)
        check_rows(df, p, [(c, _nonneg, "is negative") for c in
                           ("billed_usd", "sole_usd", "steps", "tokens_in", "tokens_out", "session_s")])
        frames.append(pd.DataFrame({
            "run_set": run_set, "task": df["task"].astype(str), "setup": df["setup"].astype(str),
            "run": df["run"].astype(str), "passed": to_bool(df["passed"], p, "passed"),
            "billed_usd": df["billed_usd"].astype("float64"), "sole_usd": df["sole_usd"].astype("float64"),
            "session_s": df["session_s"].astype("float64"), "steps": df["steps"].astype("int64"),
            "tokens_in": df["tokens_in"].astype("int64"), "tokens_out": df["tokens_out"].astype("int64")}))
    return pd.concat(frames, ignore_index=True)


def cost_bench_difficulty(paths_: dict[str, Path] | None = None) -> pd.DataFrame:
    """Per-task difficulty of coding-agent-cost-bench: complexity score, trials, passes, pass rate (0-1)."""
    files = paths_ or {s: registry.local_path(f"cost_bench/{s}/deepswe_task_difficulty")
                       for s in _cost_bench_sets()}
    frames = []
    for run_set, p in sorted(files.items()):
        df = read_csv(p)
        require_columns(df, ["task", "complexity", "trials", "passes", "pass_rate_pct", "avg_cost_usd"], p)
        df = to_numeric(df, ["complexity", "trials", "passes", "pass_rate_pct", "avg_cost_usd"], p)
        check_rows(df, p, [("trials", _pos, "is not positive"), ("passes", _nonneg, "is negative"),
                           ("passes", lambda s: s <= df["trials"], "exceeds trials"),
                           ("pass_rate_pct", lambda s: (s >= 0) & (s <= 100), "is outside [0, 100]")])
        frames.append(pd.DataFrame({
            "run_set": run_set, "task": df["task"].astype(str), "complexity": df["complexity"].astype("float64"),
            "trials": df["trials"].astype("int64"), "passes": df["passes"].astype("int64"),
            "pass_rate": (df["passes"] / df["trials"]).astype("float64"),
            "avg_cost_usd": df["avg_cost_usd"].astype("float64")}))
    return pd.concat(frames, ignore_index=True)


# ---------------------------------------------------------------- logged: agent-eval HumanEval


def agent_eval_humaneval(path: Path | str | None = None) -> pd.DataFrame:
    """HumanEval runs of agent-eval: strategy x model x run, with tokens, cost and accuracy."""
    p = Path(path) if path else registry.local_path("agent_eval/humaneval_results")
    df = read_csv(p)
    cols = ["strategy", "model", "run", "accuracy", "total_tasks", "total_prompt_tokens",
            "total_completion_tokens", "total_cost"]
    require_columns(df, cols, p)
    df = to_numeric(df, ["accuracy", "total_tasks", "total_prompt_tokens", "total_completion_tokens",
                         "total_cost"], p)
    check_rows(df, p, [("accuracy", _unit, "is outside [0, 1]"), ("total_tasks", _pos, "is not positive"),
                       ("total_prompt_tokens", _nonneg, "is negative"),
                       ("total_completion_tokens", _nonneg, "is negative"), ("total_cost", _nonneg, "is negative")])
    out = pd.DataFrame({
        "strategy": df["strategy"].astype(str), "model": df["model"].astype(str), "run": df["run"].astype(str),
        "accuracy": df["accuracy"].astype("float64"), "n_tasks": df["total_tasks"].astype("int64"),
        "prompt_tokens": df["total_prompt_tokens"].astype("int64"),
        "completion_tokens": df["total_completion_tokens"].astype("int64"),
        "cost_usd": df["total_cost"].astype("float64")})
    out["total_tokens"] = out["prompt_tokens"] + out["completion_tokens"]
    return out


# ---------------------------------------------------------------- logged: TraceLab rounds

_TRACELAB_INT = {"claude_uncached_input_tokens": "uncached_input", "claude_cache_creation_input_tokens": "cache_write",
                 "claude_cache_read_input_tokens": "cache_read", "output_tokens": "output"}


def tracelab_rounds(which: str = "sanitized", path: Path | str | None = None) -> pd.DataFrame:
    """TraceLab round traces: one row per model round with its token usage.

    Reads only ids, provider, model, timestamps and token counts; every text-bearing field is ignored.
    """
    if which not in ("sanitized", "derived"):
        raise ValueError(f"which must be 'sanitized' or 'derived', got {which!r}")
    p = Path(path) if path else registry.local_path(f"tracelab/round_trace_{which}")
    if not p.is_file():
        raise DataError(f"{p}: no such file")
    rows = []
    with open(p, encoding="utf-8") as f:
        for ln, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"{p}, line {ln}: not valid JSON ({exc.msg})") from None
            if not isinstance(rec, dict):
                raise DataError(f"{p}, line {ln}: expected a JSON object")
            def _count(field):
                v = rec.get(field)
                if isinstance(v, bool) or not isinstance(v, int) or v < 0 or v > INT64_MAX:
                    raise DataError(f"{p}, line {ln}: field {field!r} = {v!r} is not a non-negative integer "
                                    f"below 2^63")
                return v

            if rec.get("claude_cache_read_input_tokens") is not None:
                # Anthropic convention: the three input kinds are disjoint
                vals = {dst: _count(src) for src, dst in _TRACELAB_INT.items()}
            else:
                # OpenAI/Codex convention: input_tokens_total includes the cached prefix; no cache writes
                total, cached = _count("input_tokens_total"), _count("prefix_tokens")
                if cached > total:
                    raise DataError(f"{p}, line {ln}: prefix_tokens {cached} exceeds input_tokens_total {total}")
                vals = {"uncached_input": total - cached, "cache_write": 0, "cache_read": cached,
                        "output": _count("output_tokens")}
            events = rec.get("timing_events") or []
            ts = next((e.get("timestamp") for e in events if isinstance(e, dict) and e.get("timestamp")), None)
            rows.append({"session_id": str(rec.get("session_id")), "round_index": int(rec.get("round_index", -1)),
                         "round_id": str(rec.get("round_id")), "provider": str(rec.get("provider")),
                         "model": str(rec.get("model")), "timestamp": ts, **vals})
    if not rows:
        raise DataError(f"{p}: no rounds")
    df = pd.DataFrame(rows)
    df["timestamp"] = pd.to_datetime(df["timestamp"], utc=True, errors="coerce").astype("datetime64[ns, UTC]")
    return df.astype({k: "int64" for k in _TRACELAB_INT.values()})


# ---------------------------------------------------------------- catalogue


def _mcpmark():  # agent_runs imports this module: import it when called
    from .agent_runs import mcpmark_runs
    return mcpmark_runs()


def _browsecomp_plus():
    from .agent_runs import browsecomp_plus_queries
    return browsecomp_plus_queries()


def _codex_localpush():
    from .agent_runs import codex_localpush_ledger
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

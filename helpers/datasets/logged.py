"""Loaders of the logged sources: one tidy frame per source, read from the registry or a user's copy.

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
from typing import Iterable

import numpy as np
import pandas as pd

from .. import registry
from ..validate import DataError
from .checks import (INT64_MAX, _line, _nonneg, _pos, _unit, check_rows, read_csv, require_columns, to_bool,
                     to_numeric)


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
    if source == "processed":
        cols = {"Model": "model", "Problem Idx": "problem_id", "Num. Samples Total": "n_samples",
                "Num. Samples Correct": "n_correct"}
    else:
        cols = {"Model Nickname": "model", "prompt_idx": "problem_id", "Num. Samples": "n_samples",
                "Num. Samples Correct": "n_correct", "Level": "level"}
    try:
        try:  # only the columns used (the files hold several more, e.g. pass@k per k)
            raw = pd.read_parquet(p, columns=list(cols))
        except FileNotFoundError:
            raise
        except Exception:  # a missing column (or an unreadable file): the whole file, for the errors below
            raw = pd.read_parquet(p)
    except FileNotFoundError:
        raise DataError(f"{p}: no such file") from None
    except Exception as exc:
        raise DataError(f"{p}: cannot be read as parquet ({type(exc).__name__}: {exc})") from None
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

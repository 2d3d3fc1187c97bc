"""MCPMark loaders: one tidy row per run, one per configuration, and where reasoning tokens are reported.

Frames (column: dtype, meaning)
------------------------------
``mcpmark_runs()``       one row per run (MCPMark, eval-sys/mcpmark-experiments @8f674f08: 127 tasks x 39
                         configurations, 4 runs each except claude-opus-4-1 with 1 = 19,431 runs).
    config: str           configuration key as in summary.json (e.g. 'gpt-5-low', 'deepseek-v3-2-thinking')
    base_model: str       config without its effort suffix ('gpt-5-low' -> 'gpt-5'); a config without an
                          effort suffix is its own base (thinking/chat variants stay distinct: see
                          ``mcpmark_thinking_pairs``)
    effort: str           'minimal' / 'low' / 'medium' / 'high' / 'xhigh', or 'default' (no suffix)
    task: str             '<category>__<task id>' as in the file
    service: str          MCP service: filesystem, github, notion, postgres, playwright (a browser)
    category: str         the part of ``task`` before '__' (e.g. 'chinook', 'shopping_admin')
    run: int64            1..4 (from 'run-N')
    success: bool
    input_tokens, output_tokens, reasoning_tokens, total_tokens: Int64 (nullable). A missing (null, absent)
                          or non-positive count is <NA>. In the source, total = input + output, and output
                          includes reasoning, except grok-4 / grok-code-fast-1 runs where the provider
                          reports reasoning outside output: there total = input + output + reasoning
                          (258 runs). Reasoning tokens are reported as null or 0 by many providers
                          (Anthropic, most open models, and many gpt-5-low / o3 runs): <NA> here; see
                          ``mcpmark_reasoning_coverage``.
    turns: Int64          agent turns (0 for runs that failed before the first call)
    time_s: float64       agent execution time, seconds
    is_reasoning: bool    summary.json ``is_reasoning_model``, unless ``reasoning_override[config]`` says
                          otherwise (see ``DOUBTFUL_REASONING_LABELS``)
    tokens_ok: bool       input, output and total tokens all present and positive. Runs without it are left
                          out of token analyses; their number is ``df.attrs["dropped_token_runs"]``
                          (reasoning tokens are not required: most non-reasoning configs report none).
``mcpmark_summary()``    one row per configuration (summary.json, section 'overall'):
    config, actual_model_name: str; is_reasoning_model, is_open_source_model: bool; pass1, pass1_std
    (population std over the runs' pass rates), pass4, pass_hat4 (NaN where a config has one run),
    per_run_cost_usd, avg_input_tokens, avg_output_tokens, avg_turns: float64; n_tasks: int64.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd

from .. import paths, registry
from ..datasets.checks import require_columns
from ..validate import DataError, ParameterError
from . import kept
from .configs import split_config
from .files import load_json as _load_json


_TOKEN_FIELDS = ("input_tokens", "output_tokens", "reasoning_tokens", "total_tokens")
RUN_COLUMNS = ["config", "base_model", "effort", "task", "service", "category", "run", "success",
               "input_tokens", "output_tokens", "reasoning_tokens", "total_tokens", "turns", "time_s",
               "is_reasoning", "tokens_ok"]


def _mcpmark_files(path) -> tuple[list[Path], Path]:
    """(task result files, summary.json) from the registry or a user folder holding both."""
    if path is None:
        files = [registry.local_path(n) for n in registry.names("mcpmark/task_results/")]
        return files, registry.local_path("mcpmark/summary")
    root = paths.resolve_user_path(path)
    if not root.is_dir():
        raise DataError(f"{root}: not a folder (expected one holding task_results/*.json and summary.json)")
    files = sorted((root / "task_results").glob("*.json"))
    if not files:
        raise DataError(f"{root}: no task_results/*.json files")
    return files, root / "summary.json"


def _short(p: Path) -> str:
    """'task_results/x.json' style label: the parent folder and the file name."""
    p = Path(p)
    return f"{p.parent.name}/{p.name}"


def mcpmark_summary(path=None) -> pd.DataFrame:
    """Per-configuration summary of MCPMark (summary.json 'overall'). ``path``: summary.json or its folder."""
    if path is None:
        p = registry.local_path("mcpmark/summary")
    else:
        p = paths.resolve_user_path(path)
        p = p / "summary.json" if p.is_dir() else p
    doc = _load_json(p)
    overall = doc.get("overall") if isinstance(doc, dict) else None
    if not isinstance(overall, dict) or not overall:
        raise DataError(f"{p}: expected an object with a non-empty 'overall' section keyed by configuration")
    rows = []
    for cfg, rec in overall.items():
        where = f"{p}: configuration {cfg!r}"
        if not isinstance(rec, dict):
            raise DataError(f"{where}: expected an object")
        need = ["actual_model_name", "is_reasoning_model", "is_open_source_model", "pass@1", "per_run_cost",
                "avg_input_tokens", "avg_output_tokens", "avg_turns", "total_tasks"]
        miss = [k for k in need if k not in rec]
        if miss:
            raise DataError(f"{where}: missing field(s) {miss}")
        for k in ("is_reasoning_model", "is_open_source_model"):
            if not isinstance(rec[k], bool):
                raise DataError(f"{where}: {k} = {rec[k]!r} is not true/false")
        p1 = rec["pass@1"]
        if not isinstance(p1, dict) or "avg" not in p1:
            raise DataError(f"{where}: pass@1 = {p1!r} lacks 'avg'")

        def num(v, k, *, optional=False, unit=False):
            if v is None and optional:
                return math.nan
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
                raise DataError(f"{where}: {k} = {v!r} is not a non-negative number")
            if unit and v > 1:
                raise DataError(f"{where}: {k} = {v!r} is outside [0, 1]")
            return float(v)

        rows.append({
            "config": str(cfg), "actual_model_name": str(rec["actual_model_name"]),
            "is_reasoning_model": rec["is_reasoning_model"], "is_open_source_model": rec["is_open_source_model"],
            "pass1": num(p1["avg"], "pass@1.avg", unit=True),
            "pass1_std": num(p1.get("std"), "pass@1.std", optional=True),
            "pass4": num(rec.get("pass@4"), "pass@4", optional=True, unit=True),
            "pass_hat4": num(rec.get("pass^4"), "pass^4", optional=True, unit=True),
            "per_run_cost_usd": num(rec["per_run_cost"], "per_run_cost"),
            "avg_input_tokens": num(rec["avg_input_tokens"], "avg_input_tokens"),
            "avg_output_tokens": num(rec["avg_output_tokens"], "avg_output_tokens"),
            "avg_turns": num(rec["avg_turns"], "avg_turns"),
            "n_tasks": int(num(rec["total_tasks"], "total_tasks"))})
    df = pd.DataFrame(rows).sort_values("config", kind="stable").reset_index(drop=True)
    df["config"] = df["config"].astype(str)
    df["actual_model_name"] = df["actual_model_name"].astype(str)
    return df.astype({"is_reasoning_model": bool, "is_open_source_model": bool, "n_tasks": "int64"})


_RUN_ID = re.compile(r"run-(\d+)")


def _token(v, where: str, field: str):
    """A token count: None/absent or non-positive -> None (missing); a non-number is an error."""
    if type(v) is int:  # the common case, decided as below: a whole number, missing unless positive
        return v if v > 0 else None
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not math.isfinite(v)):
        raise DataError(f"{where}: token_usage.{field} = {v!r} is not a number")
    if v != int(v):
        raise DataError(f"{where}: token_usage.{field} = {v!r} is not a whole number")
    return int(v) if v > 0 else None


def _task_rows(f: Path, doc, seen_tasks: dict) -> list[tuple]:
    """One task file's rows (config, task, service, category, run, success, the four token counts, turns,
    time_s), checked; the first bad field raises a ``DataError`` naming the file, model and run.

    The file's runs are read column by column and checked as whole columns (``_rows_fast``); a file
    whose columns fail any check is read again model by model and run by run (``_model_rows``), which
    names the first bad model or run exactly as before (and accepts the rare valid forms the column check
    leaves to it, such as whole-number floats)."""
    label = _short(f)
    if not isinstance(doc, dict):
        raise DataError(f"{label}: expected a JSON object with 'task', 'service' and 'models'")
    miss = [k for k in ("task", "service", "models") if k not in doc]
    if miss:
        raise DataError(f"{label}: missing field(s) {miss}")
    task, service, models = doc["task"], doc["service"], doc["models"]
    if not isinstance(task, str) or not task or not isinstance(service, str) or not service:
        raise DataError(f"{label}: 'task' and 'service' must be non-empty strings, got {task!r}, {service!r}")
    if task in seen_tasks:
        raise DataError(f"{label}: task {task!r} also appears in {seen_tasks[task]}")
    seen_tasks[task] = label
    if not isinstance(models, dict) or not models:
        raise DataError(f"{label}: 'models' must be a non-empty object keyed by configuration")
    category = task.split("__", 1)[0]
    cfgs, counts, runs_all = [], [], []
    for cfg, m in models.items():
        runs = m.get("runs") if isinstance(m, dict) else None
        if not isinstance(runs, list) or not runs:
            break
        cfgs.append(str(cfg))
        counts.append(len(runs))
        runs_all.extend(runs)
    else:
        fast = _rows_fast(cfgs, counts, runs_all, task, service, category)
        if fast is not None:
            return fast
    rows = []
    for cfg, m in models.items():
        runs = m.get("runs") if isinstance(m, dict) else None
        if not isinstance(runs, list) or not runs:
            raise DataError(f"{label}: model {cfg!r}: expected a non-empty 'runs' list")
        rows.extend(_model_rows(label, cfg, task, service, category, runs))
    return rows


_NONE = type(None)


def _rows_fast(cfgs: list[str], counts: list[int], runs: list, task: str, service: str,
               category: str) -> list[tuple] | None:
    """``_task_rows`` of one file in the common, valid form, built column by column (``runs``: every
    model's runs in file order, ``counts[i]`` of them for ``cfgs[i]``): run ids 'run-N' (N >= 1, distinct
    within a model), success true/false, token counts whole ints or null, turn_count a non-negative int
    or null, execution time a non-negative number or null. None when any run is not in that form (the
    caller then reads the runs one by one and raises on the first bad one)."""
    try:
        ids = [_RUN_ID.fullmatch(r["run"]) for r in runs]
        if None in ids:
            return None
        ns = [int(mm[1]) for mm in ids]
        success = [r["success"] for r in runs]
        usage = [r["token_usage"] for r in runs]
        turns = [r["turn_count"] for r in runs]
        times = [r.get("agent_execution_time", r.get("execution_time")) for r in runs]
        tok = [[None if tu is None else tu.get(k) for tu in usage] for k in _TOKEN_FIELDS]
    except (KeyError, TypeError, AttributeError):
        return None
    cfg = [c for c, k in zip(cfgs, counts) for _ in range(k)]
    if min(ns) < 1 or len(set(zip(cfg, ns))) != len(ns) or not set(map(type, success)) <= {bool}:
        return None
    if any(not set(map(type, col)) <= {int, _NONE} for col in (*tok, turns)):
        return None
    if not set(map(type, times)) <= {int, float, _NONE} or not all(t is None or t >= 0 for t in times):
        return None
    if any(t is not None and t < 0 for t in turns):
        return None
    tok = [[v if v is not None and v > 0 else None for v in col] for col in tok]
    times = [math.nan if t is None else float(t) for t in times]
    n = len(runs)
    return list(zip(cfg, [task] * n, [service] * n, [category] * n, ns, success, *tok, turns, times))


def _model_rows(label: str, cfg, task: str, service: str, category: str, runs: list) -> list[tuple]:
    """One model's runs read and checked run by run; the first bad field raises a ``DataError``."""
    rows = []
    seen_runs = set()
    for i, r in enumerate(runs):
        rid = r.get("run") if isinstance(r, dict) else None
        mm = _RUN_ID.fullmatch(rid) if isinstance(rid, str) else None
        if mm is None:
            raise DataError(f"{label}: model {cfg!r} run entry {i + 1}: 'run' = {rid!r} is not 'run-N'")
        n = int(mm[1])
        where = f"{label}: model {cfg!r} run {n}"
        if n < 1:
            raise DataError(f"{where}: run number must be >= 1")
        if n in seen_runs:
            raise DataError(f"{where}: duplicate run")
        seen_runs.add(n)
        miss = [k for k in ("success", "token_usage", "turn_count") if k not in r]
        if miss:
            raise DataError(f"{where}: missing field(s) {miss}")
        if not isinstance(r["success"], bool):
            raise DataError(f"{where}: success = {r['success']!r} is not true/false")
        tu = r["token_usage"]
        if tu is None:
            tu = {}
        if not isinstance(tu, dict):
            raise DataError(f"{where}: token_usage = {tu!r} is not an object")
        toks = [_token(tu.get(k), where, k) for k in _TOKEN_FIELDS]
        turns = r["turn_count"]
        if turns is not None and (isinstance(turns, bool) or not isinstance(turns, (int, float))
                                  or turns < 0 or turns != int(turns)):
            raise DataError(f"{where}: turn_count = {turns!r} is not a non-negative integer")
        t = r.get("agent_execution_time", r.get("execution_time"))
        if t is not None and (isinstance(t, bool) or not isinstance(t, (int, float)) or not t >= 0):
            raise DataError(f"{where}: agent_execution_time = {t!r} is not a non-negative number")
        rows.append((str(cfg), task, service, category, n, r["success"], *toks,
                     None if turns is None else int(turns), math.nan if t is None else float(t)))
    return rows


# the modules whose code builds the runs frame: a change to any of them invalidates the kept frames
_FRAME_CODE = ("mcpmark.py", "configs.py", "files.py")


def _kept_frame_path() -> Path:
    """Where the runs frame of the registry's MCPMark files is kept (``kept.path_for``: named by the 129
    pinned SHA-256s, the source of ``_FRAME_CODE`` and the library versions)."""
    names = (*registry.names("mcpmark/task_results/"), "mcpmark/summary")
    here = Path(__file__).parent
    return kept.path_for("mcpmark_runs", {n: registry.entry(n).sha256 for n in names},
                         [here / m for m in _FRAME_CODE])


def mcpmark_runs(path=None, reasoning_override: dict[str, bool] | None = None) -> pd.DataFrame:
    """MCPMark runs, one tidy row per (config, task, run); columns in this module's docstring.

    ``path``: a folder holding ``task_results/*.json`` and ``summary.json`` (a user's copy), else the registry.
    ``reasoning_override``: {config: bool} replacing summary.json's ``is_reasoning_model`` for those configs.

    The registry's files are verified (their SHA-256) at every call; the frame built from them is kept on
    disk (``helpers.agent_runs.kept``) and read back by later calls and processes, which skips parsing 128
    JSON files (about 0.1 s of each of notebooks 00-05). A user's folder is always parsed.
    """
    files, summary_path = _mcpmark_files(path)
    summary = mcpmark_summary(summary_path)
    label_of = dict(zip(summary["config"], summary["is_reasoning_model"]))
    where = _kept_frame_path() if path is None else None
    df = kept.read(where, RUN_COLUMNS) if where is not None else None
    if df is None:
        df = _runs_frame(files, summary_path, label_of)
        if where is not None:
            kept.write(df, where)
    return _with_override(df, label_of, reasoning_override)


def _with_override(df: pd.DataFrame, label_of: dict, reasoning_override) -> pd.DataFrame:
    """``df`` with ``is_reasoning`` from ``reasoning_override`` where it names a config (checked here)."""
    if reasoning_override is None:
        return df
    if not isinstance(reasoning_override, dict):
        raise ParameterError(f"parameter 'reasoning_override' must be a dict {{config: bool}}, "
                             f"got {type(reasoning_override).__name__}")
    bad = [k for k in reasoning_override if k not in label_of]
    if bad:
        raise ParameterError(f"parameter 'reasoning_override' names unknown configuration(s) {bad}; "
                             f"known: {sorted(label_of)}")
    nonbool = {k: v for k, v in reasoning_override.items() if not isinstance(v, bool)}
    if nonbool:
        raise ParameterError(f"parameter 'reasoning_override' values must be true/false, got {nonbool}")
    label_of = {**label_of, **reasoning_override}
    df["is_reasoning"] = df["config"].map(label_of).astype(bool)
    return df


def _runs_frame(files, summary_path, label_of: dict) -> pd.DataFrame:
    """The runs frame parsed from the task files, ``is_reasoning`` as summary.json labels it."""
    rows, seen_tasks = [], {}
    for f in files:
        rows.extend(_task_rows(f, _load_json(f), seen_tasks))
    cols = ["config", "task", "service", "category", "run", "success", "input_tokens", "output_tokens",
            "reasoning_tokens", "total_tokens", "turns", "time_s"]
    df = pd.DataFrame(rows, columns=cols)
    unknown = sorted(set(df["config"]) - set(label_of))
    if unknown:
        first = df.loc[df["config"] == unknown[0]].iloc[0]
        raise DataError(f"task_results/{first['task']}.json: model {unknown[0]!r}: configuration has no entry in "
                        f"{summary_path} ({len(unknown)} such: {unknown[:5]})")
    split = {c: split_config(c) for c in df["config"].unique()}
    df.insert(1, "base_model", df["config"].map(lambda c: split[c][0]))
    df.insert(2, "effort", df["config"].map(lambda c: split[c][1]))
    for c in ("config", "base_model", "effort", "task", "service", "category"):
        df[c] = df[c].astype(str)
    df["run"] = df["run"].astype("int64")
    df["success"] = df["success"].astype(bool)
    for c in (*_TOKEN_FIELDS, "turns"):
        df[c] = pd.array(df[c].tolist(), dtype="Int64")
    df["time_s"] = df["time_s"].astype("float64")
    df["is_reasoning"] = df["config"].map(label_of).astype(bool)
    df["tokens_ok"] = df[["input_tokens", "output_tokens", "total_tokens"]].notna().all(axis=1).astype(bool)
    df = df[RUN_COLUMNS].sort_values(["config", "task", "run"], kind="stable").reset_index(drop=True)
    df.attrs["dropped_token_runs"] = int((~df["tokens_ok"]).sum())
    return df


def mcpmark_reasoning_coverage(runs: pd.DataFrame) -> pd.DataFrame:
    """Per config: runs, share of runs with a positive reasoning-token count, label. Sorted by config.

    Shows where a reasoning-token axis is observable: many providers report none (Anthropic, most open
    models) and several OpenAI configs report them only in some runs (gpt-5-low: 9 of 508).
    """
    require_columns(runs, ["config", "reasoning_tokens", "is_reasoning"], "runs frame")
    g = runs.groupby("config", sort=True)
    out = pd.DataFrame({"runs": g.size(), "reasoning_reported_share": g["reasoning_tokens"].apply(lambda s: s.notna().mean()),
                        "is_reasoning": g["is_reasoning"].first()})
    return out.reset_index().astype({"runs": "int64", "reasoning_reported_share": "float64"})

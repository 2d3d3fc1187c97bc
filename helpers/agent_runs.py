"""Tidy loaders for tool-use and deep-research agent runs (issue 11): MCPMark, DeepDive, BrowseComp-Plus, Codex.

Same conventions as ``helpers.datasets``: each loader returns a pandas frame with the columns and dtypes
below, and rejects a bad record with a ``DataError`` naming the file and the record (MCPMark:
``task_results/<task>.json: model '<config>' run N: ...``; JSON lists: the query id; CSV: the line, header =
line 1). ``path=None`` reads the registry's pinned copy (``registry.DataUnavailable`` with instructions
when it is not here); a ``path`` reads a user's copy of the same format.

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
``deepdive_aggregate()`` one row per (model, mode) of DeepDive (PrimeIntellect-ai/verifiers
                         environments/deepdive/outputs/aggregate.csv @07daa4a2, MIT; copied into
                         data/published/deepdive_multiagent_aggregate.csv):
    model, mode: str ('standard' = one agent with search/open tools; 'rlm', 'rlm_tips' = an orchestrator
    spawning sub-agents); orchestrated: bool (mode != 'standard'); n_questions: int64; accuracy,
    accuracy_std: float64 (std of the 0/1 outcomes with ddof=1: sqrt(p(1-p) n/(n-1))); root_prompt_tokens,
    root_completion_tokens, sub_prompt_tokens, sub_completion_tokens, total_tokens: float64 means per
    question (total = the four summed; NaN where tokens_logged is False, whose zeros are missing values);
    subagent_calls: float64; tool_calls: float64 (root agent's calls; NaN where the file has 0, which is
    unlogged for a web-research agent); sub_tool_calls: float64 (sub-agents' tool calls; 0 in 'standard');
    turns, wall_time_s: float64; tokens_logged: bool; source_id, value_status: str (citation columns).
``browsecomp_plus_queries()`` one row per query of BrowseComp-Plus, one GPT-4.1 agent with BM25 search
                         (Agent-Evaluation/BrowseComp-Plus runs/bm25/single_gpt_4.1 @48a8558a):
    query_id: str; correct: bool (judge said 'yes'; 'unknown' = unparseable answer counts as incorrect, as
    the file's own accuracy does); search_calls: int64 (observed, not capped); confidence: float64 in
    [0, 100] (NaN where the answer could not be parsed); parse_error: bool. ``df.attrs`` holds the file's
    stated 'accuracy' (fraction), 'n_evaluated', 'n_correct' and 'mean_search_calls'.
Codex: ``codex_localpush_files()`` the six real Codex CLI rollouts (madshn/localpush @219b5397, MIT),
                         read by ``helpers.agent_logs.read_logs`` (``codex_localpush_ledger()``).

MCPMark configurations and labels
---------------------------------
``mcpmark_effort_ladders`` groups configs that are effort settings of one model; ``mcpmark_thinking_pairs``
lists (non-thinking, thinking) configs of one base model; ``DOUBTFUL_REASONING_LABELS`` names the configs
whose ``is_reasoning_model`` label the data contradict, with the evidence.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd

from . import paths, registry
from .datasets import check_rows, read_csv, require_columns, to_numeric
from .validate import DataError, ParameterError

# ---------------------------------------------------------------- MCPMark: configurations

EFFORT_ORDER = {"minimal": 0, "low": 1, "medium": 2, "high": 3, "xhigh": 4}
_EFFORT_RE = re.compile(r"^(?P<base>.+)-(?P<effort>" + "|".join(EFFORT_ORDER) + r")$")

DOUBTFUL_REASONING_LABELS: dict[str, str] = {
    "deepseek-v3-1-terminus": (
        "labelled reasoning, but it is the non-thinking mode of deepseek-v3.1-terminus (the thinking mode is the "
        "separate config deepseek-v3-1-terminus-thinking); reasoning_tokens = 0 in all 508 runs and median "
        "output 2.1k tokens against 9.3k for the thinking config. Likely non-reasoning."),
    "deepseek-v3-2-chat": (
        "labelled reasoning, but actual_model_name 'deepseek-v3.2-chat' is DeepSeek's non-thinking endpoint "
        "(the thinking one, 'deepseek-v3.2-reasoner', is config deepseek-v3-2-thinking); reasoning_tokens = 0 in "
        "all 508 runs. The analogous deepseek-chat (v3.1 non-think) is labelled non-reasoning. Likely "
        "non-reasoning."),
    "claude-sonnet-4-low": (
        "labelled non-reasoning although named as an effort (extended-thinking) setting of claude-sonnet-4; "
        "reasoning tokens are 0 in every run and output per run is only 7% above claude-sonnet-4 (input 1.85x), "
        "so the data can neither confirm nor rule out thinking."),
    "claude-sonnet-4-high": (
        "labelled non-reasoning although named as an effort (extended-thinking) setting of claude-sonnet-4; "
        "reasoning tokens are 0 in every run and output per run is only 9% above claude-sonnet-4 (input 1.78x), "
        "so the data can neither confirm nor rule out thinking."),
    "claude-opus-4-5-high": (
        "labelled non-reasoning although named as a 'high' effort (extended-thinking) setting; reasoning tokens "
        "are 0 in every run (Anthropic reports none), so the label cannot be checked against the data; its "
        "cost matches its reported tokens at list price ($5/$25 per million), so any thinking is inside output."),
}

# (non-thinking config, thinking config, evidence). Filtered to the configs present by mcpmark_thinking_pairs.
THINKING_PAIR_EVIDENCE: list[tuple[str, str, str]] = [
    ("deepseek-v3-1-terminus", "deepseek-v3-1-terminus-thinking",
     "same checkpoint (actual_model_name deepseek-v3.1-terminus vs deepseek-v3.1-terminus-thinking); the "
     "non-thinking config reports 0 reasoning tokens in every run, the thinking one a median 7.4k per run "
     "(0 in 39% of runs)."),
    ("deepseek-v3-2-chat", "deepseek-v3-2-thinking",
     "same model served as DeepSeek's chat (non-thinking) and reasoner (thinking) endpoints "
     "(deepseek-v3.2-chat vs deepseek-v3.2-reasoner); reasoning tokens 0 in every chat run, >0 in every "
     "reasoner run."),
    ("claude-sonnet-4", "claude-sonnet-4-high",
     "same checkpoint claude-sonnet-4-20250514 without and with the 'high' effort (extended-thinking) setting; "
     "evidence is the configuration only: Anthropic reports no reasoning tokens and output per run differs by "
     "9%. claude-sonnet-4-low is the other thinking setting (see the effort ladder)."),
]
# Not a pair: deepseek-chat is deepseek-v3.1 (non-think), an earlier checkpoint than -terminus-thinking.


def split_config(config: str) -> tuple[str, str]:
    """(base_model, effort) of an MCPMark configuration key: 'gpt-5-mini-low' -> ('gpt-5-mini', 'low')."""
    m = _EFFORT_RE.match(config)
    return (m["base"], m["effort"]) if m else (config, "default")


def _configs_of(x) -> list[str]:
    if isinstance(x, pd.DataFrame):
        if "config" not in x:
            raise ParameterError("expected a frame with a 'config' column (mcpmark_runs() or mcpmark_summary())")
        return sorted(x["config"].astype(str).unique())
    if isinstance(x, (str, bytes)):
        raise ParameterError("expected a frame or a list of configuration names, got a string")
    return sorted({str(c) for c in x})


def mcpmark_effort_ladders(runs_or_summary) -> dict[str, list[str]]:
    """Base model -> its configs ordered by effort (minimal < low < medium < high < xhigh).

    Only bases with at least two effort levels. A config without an effort suffix ('claude-sonnet-4') has an
    unknown effort and is not on its base's ladder; thinking/non-thinking variants ('-thinking', '-chat')
    are pairs, not ladders. On the pinned data: gpt-5, gpt-5-mini, gpt-5-nano (low/medium/high),
    claude-sonnet-4 and gemini-3-pro (low/high).
    """
    by_base: dict[str, list[str]] = {}
    for c in _configs_of(runs_or_summary):
        base, effort = split_config(c)
        if effort != "default":
            by_base.setdefault(base, []).append(c)
    return {b: sorted(cs, key=lambda c: EFFORT_ORDER[split_config(c)[1]])
            for b, cs in sorted(by_base.items()) if len(cs) >= 2}


def mcpmark_thinking_pairs(summary) -> list[tuple[str, str]]:
    """(non-thinking config, thinking config) pairs of one base model present in ``summary``.

    The candidates and the evidence for each are in ``THINKING_PAIR_EVIDENCE``.
    """
    have = set(_configs_of(summary))
    return [(a, b) for a, b, _ in THINKING_PAIR_EVIDENCE if a in have and b in have]


# ---------------------------------------------------------------- MCPMark: loaders

_TOKEN_FIELDS = ("input_tokens", "output_tokens", "reasoning_tokens", "total_tokens")
RUN_COLUMNS = ["config", "base_model", "effort", "task", "service", "category", "run", "success",
               "input_tokens", "output_tokens", "reasoning_tokens", "total_tokens", "turns", "time_s",
               "is_reasoning", "tokens_ok"]


def _load_json(p: Path):
    try:
        return json.loads(Path(p).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{p}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{p}: not valid JSON ({exc})") from None


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


def _token(v, where: str, field: str):
    """A token count: None/absent or non-positive -> None (missing); a non-number is an error."""
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)) or (isinstance(v, float) and not math.isfinite(v)):
        raise DataError(f"{where}: token_usage.{field} = {v!r} is not a number")
    if v != int(v):
        raise DataError(f"{where}: token_usage.{field} = {v!r} is not a whole number")
    return int(v) if v > 0 else None


def _task_rows(f: Path, doc, seen_tasks: dict) -> list[tuple]:
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
    rows = []
    for cfg, m in models.items():
        runs = m.get("runs") if isinstance(m, dict) else None
        if not isinstance(runs, list) or not runs:
            raise DataError(f"{label}: model {cfg!r}: expected a non-empty 'runs' list")
        seen_runs = set()
        for i, r in enumerate(runs):
            rid = r.get("run") if isinstance(r, dict) else None
            mm = re.fullmatch(r"run-(\d+)", rid) if isinstance(rid, str) else None
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


def mcpmark_runs(path=None, reasoning_override: dict[str, bool] | None = None) -> pd.DataFrame:
    """MCPMark runs, one tidy row per (config, task, run); columns in the module docstring.

    ``path``: a folder holding ``task_results/*.json`` and ``summary.json`` (a user's copy), else the registry.
    ``reasoning_override``: {config: bool} replacing summary.json's ``is_reasoning_model`` for those configs.
    """
    files, summary_path = _mcpmark_files(path)
    summary = mcpmark_summary(summary_path)
    label_of = dict(zip(summary["config"], summary["is_reasoning_model"]))
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
    if reasoning_override is not None:
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


# ---------------------------------------------------------------- DeepDive (published table)

DEEPDIVE_TABLE = "deepdive_multiagent_aggregate"
DEEPDIVE_COLUMNS = ["model", "mode", "orchestrated", "n_questions", "accuracy", "accuracy_std",
                    "root_prompt_tokens", "root_completion_tokens", "sub_prompt_tokens", "sub_completion_tokens",
                    "total_tokens", "subagent_calls", "tool_calls", "sub_tool_calls", "turns", "wall_time_s",
                    "tokens_logged", "source_id", "value_status"]


def deepdive_aggregate(path=None) -> pd.DataFrame:
    """DeepDive per (model, mode); columns in the module docstring. ``path``: a CSV of the same format."""
    p = paths.resolve_user_path(path) if path is not None else paths.DATA_PUBLISHED / f"{DEEPDIVE_TABLE}.csv"
    df = read_csv(p, dtype={"tokens_logged": str, "model": str, "mode": str})
    num = ["questions", "accuracy", "accuracy_std", "prompt_tokens_mean", "completion_tokens_mean",
           "sub_llm_prompt_tokens_mean", "sub_llm_completion_tokens_mean", "sub_llm_calls_mean", "tool_calls_mean",
           "sub_llm_tool_calls_mean", "turns_mean", "total_ms_mean"]
    require_columns(df, ["source_id", "model", "mode", "tokens_logged", "value_status"] + num, p)
    df = to_numeric(df, num, p)
    nonneg = lambda s: s >= 0  # noqa: E731
    check_rows(df, p, [("mode", lambda s: s.isin(["standard", "rlm", "rlm_tips"]), "is not standard/rlm/rlm_tips"),
                       ("tokens_logged", lambda s: s.isin(["yes", "no"]), "is not yes/no"),
                       ("questions", lambda s: (s > 0) & (s == np.round(s)), "is not a positive integer"),
                       ("accuracy", lambda s: (s >= 0) & (s <= 1), "is outside [0, 1]"),
                       ("accuracy", lambda s: np.abs(s * df["questions"] - np.round(s * df["questions"])) < 1e-6,
                        "times questions is not a whole number of correct answers")]
                   + [(c, nonneg, "is negative") for c in num])
    key = df[["model", "mode"]].astype(str).agg("/".join, axis=1)
    if key.duplicated().any():
        i = int(np.flatnonzero(key.duplicated().to_numpy())[0])
        raise DataError(f"{p}, line {i + 2}: duplicate (model, mode) {key.iloc[i]!r}")
    logged = df["tokens_logged"].eq("yes").to_numpy()
    tok = lambda c: df[c].astype("float64").where(logged)  # noqa: E731
    out = pd.DataFrame({
        "model": df["model"].astype(str), "mode": df["mode"].astype(str), "orchestrated": df["mode"].ne("standard"),
        "n_questions": df["questions"].astype("int64"), "accuracy": df["accuracy"].astype("float64"),
        "accuracy_std": df["accuracy_std"].astype("float64"),
        "root_prompt_tokens": tok("prompt_tokens_mean"), "root_completion_tokens": tok("completion_tokens_mean"),
        "sub_prompt_tokens": tok("sub_llm_prompt_tokens_mean"),
        "sub_completion_tokens": tok("sub_llm_completion_tokens_mean")})
    out["total_tokens"] = out[["root_prompt_tokens", "root_completion_tokens", "sub_prompt_tokens",
                               "sub_completion_tokens"]].sum(axis=1, min_count=4).astype("float64")
    out["subagent_calls"] = df["sub_llm_calls_mean"].astype("float64")
    out["tool_calls"] = df["tool_calls_mean"].astype("float64").where(df["tool_calls_mean"] > 0)
    out["sub_tool_calls"] = df["sub_llm_tool_calls_mean"].astype("float64")
    out["turns"] = df["turns_mean"].astype("float64")
    out["wall_time_s"] = (df["total_ms_mean"] / 1000.0).astype("float64")
    out["tokens_logged"] = logged.astype(bool)
    out["source_id"] = df["source_id"].astype(str)
    out["value_status"] = df["value_status"].astype(str)
    out["orchestrated"] = out["orchestrated"].astype(bool)
    return out[DEEPDIVE_COLUMNS]


# ---------------------------------------------------------------- BrowseComp-Plus


def browsecomp_plus_queries(path=None) -> pd.DataFrame:
    """BrowseComp-Plus per-query outcomes of one GPT-4.1 + BM25 agent; columns in the module docstring."""
    p = paths.resolve_user_path(path) if path is not None else registry.local_path("browsecomp_plus/bm25_single_gpt_4.1")
    doc = _load_json(p)
    q = doc.get("per_query_metrics") if isinstance(doc, dict) else None
    if not isinstance(q, list) or not q:
        raise DataError(f"{p}: expected an object with a non-empty 'per_query_metrics' list")
    rows, seen = [], set()
    for i, r in enumerate(q):
        if not isinstance(r, dict) or "query_id" not in r:
            raise DataError(f"{p}: per_query_metrics entry {i + 1}: expected an object with 'query_id'")
        qid = str(r["query_id"])
        where = f"{p}: query {qid!r}"
        if qid in seen:
            raise DataError(f"{where}: duplicate query_id")
        seen.add(qid)
        miss = [k for k in ("correct", "tool_calls") if k not in r]
        if miss:
            raise DataError(f"{where}: missing field(s) {miss}")
        if r["correct"] not in ("yes", "no", "unknown"):
            raise DataError(f"{where}: correct = {r['correct']!r} is not yes/no/unknown")
        tc = r["tool_calls"]
        s = tc.get("search", 0) if isinstance(tc, dict) else None
        if isinstance(s, bool) or not isinstance(s, (int, float)) or s < 0 or s != int(s):
            raise DataError(f"{where}: tool_calls.search = {s!r} is not a non-negative integer")
        parse_error = r.get("parse_error") is True or r["correct"] == "unknown"
        c = r.get("confidence")
        if c is not None and (isinstance(c, bool) or not isinstance(c, (int, float)) or not 0 <= c <= 100):
            raise DataError(f"{where}: confidence = {c!r} is not a number in [0, 100]")
        conf = math.nan if (c is None or parse_error) else float(c)
        rows.append((qid, r["correct"] == "yes", int(s), conf, parse_error))
    df = pd.DataFrame(rows, columns=["query_id", "correct", "search_calls", "confidence", "parse_error"])
    df = df.astype({"query_id": str, "correct": bool, "search_calls": "int64", "confidence": "float64",
                    "parse_error": bool})

    def stated(k, scale=1.0):
        v = doc.get(k)
        return float(v) / scale if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    as_int = lambda v: None if v is None else int(v)  # noqa: E731
    df.attrs.update({"accuracy": stated("Accuracy (%)", 100.0), "n_evaluated": as_int(stated("Total Evaluated")),
                     "n_correct": as_int(stated("Correct")),
                     "mean_search_calls": (float(doc["avg_tool_stats"]["search"])
                                           if isinstance(doc.get("avg_tool_stats"), dict)
                                           and isinstance(doc["avg_tool_stats"].get("search"), (int, float))
                                           else None)})
    return df


# ---------------------------------------------------------------- Codex rollouts (madshn/localpush)


def codex_localpush_files() -> list[Path]:
    """Verified local paths of the six Codex CLI rollouts (registry ``codex_localpush/sessions/*``)."""
    return [registry.local_path(n) for n in registry.names("codex_localpush/sessions/")]


def codex_localpush_ledger():
    """``agent_logs.read_logs`` over the six rollouts' folder: (ledger, stats). Only usage fields are read."""
    from . import agent_logs

    files = codex_localpush_files()
    folders = {f.parent for f in files}
    if len(folders) != 1:  # pragma: no cover - the registry keeps them in one folder
        raise DataError(f"the Codex rollouts are expected in one folder, found {len(folders)}")
    return agent_logs.read_logs(folders.pop())


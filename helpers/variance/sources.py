"""Logged sources and the user's CSV -> run frames.

Coding agents (SWE-Effi, Terminal-Bench, agent-eval HumanEval), tool use (MCPMark runs) and multi-agent
research (DeepDive, an aggregate table: one row per configuration). ``read_runs(path)`` reads a user's CSV
with columns model, tokens, score (+ optional tool_calls, task, config) and raises ``DataError`` naming the
line of the first bad row (header = line 1).
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from .. import datasets
from ..validate import DataError
from .frames import MIN_MODELS, MIN_RUNS

def from_swe_effi(df: pd.DataFrame) -> pd.DataFrame:
    """SWE-Effi rows -> run frame: tokens = total_tokens, tool_calls = llm_calls, score = resolved,
    task = instance_id, config = scaffold × model."""
    return pd.DataFrame({
        "model": df["model"].astype(str), "scaffold": df["scaffold"].astype(str),
        "task": df["instance_id"].astype(str), "config": df["scaffold"].astype(str) + "|" + df["model"].astype(str),
        "tokens": df["total_tokens"].astype(float), "tool_calls": df["llm_calls"].astype(float),
        "score": df["resolved"].astype(float)})


def from_terminal_bench(df: pd.DataFrame) -> pd.DataFrame:
    """Terminal-Bench trials -> run frame (score = success, config = model, no tool calls).

    Trials that recorded zero tokens (no log2) are dropped; the caller reports how many.
    """
    keep = df["total_tokens"] > 0
    d = df.loc[keep]
    return pd.DataFrame({"model": d["model"].astype(str), "task": d["task"].astype(str),
                         "config": d["model"].astype(str), "tokens": d["total_tokens"].astype(float),
                         "score": d["success"].astype(float)}).reset_index(drop=True)


_FAMILY_PATTERNS = (("gpt-4", re.compile(r"gpt-?4", re.I)), ("gpt-3.5", re.compile(r"gpt-?3\.?5", re.I)),
                    ("other", re.compile(r"\bl3_|llama|\bCL\b", re.I)))


def model_family(label: str) -> str:
    """Model family of an agent-eval label: 'gpt-4' or 'gpt-3.5' when only that family is named, else 'mixed'."""
    fams = {name for name, pat in _FAMILY_PATTERNS if pat.search(label)}
    return fams.pop() if len(fams) == 1 else "mixed"


def from_agent_eval(df: pd.DataFrame) -> pd.DataFrame:
    """agent-eval HumanEval runs -> run frame: score = accuracy (graded, over ``n_tasks`` problems),
    model = family of the label (``model_family``), scaffold = strategy, config = strategy × label.
    There is no task column: the file holds one accuracy per run, not per problem."""
    return pd.DataFrame({
        "model": df["model"].map(model_family), "scaffold": df["strategy"].astype(str),
        "config": df["strategy"].astype(str) + "|" + df["model"].astype(str),
        "tokens": df["total_tokens"].astype(float), "score": df["accuracy"].astype(float),
        "n_tasks": df["n_tasks"].astype(float)})


# ---------------------------------------------------------------- user CSV


def read_runs(path: str | Path) -> pd.DataFrame:
    """A user's runs CSV -> run frame. Columns: model, tokens, score (+ optional tool_calls, task, config).

    Raises ``DataError`` naming the file and the line of the first bad row: missing columns, a blank model,
    task or config, non-numeric or non-positive tokens, score outside [0, 1], negative tool_calls; and for
    fewer than ``MIN_RUNS`` runs or ``MIN_MODELS`` models.
    """
    path = Path(path)
    df = datasets.read_csv(path, dtype={"model": str, "task": str, "config": str}, keep_default_na=True)
    df.columns = [str(c).strip() for c in df.columns]
    datasets.require_columns(df, ["model", "tokens", "score"], path)
    optional = [c for c in ("tool_calls", "task", "config") if c in df.columns]
    for c in ["model"] + [c for c in ("task", "config") if c in optional]:
        s = df[c]
        bad = s.isna() | (s.astype(str).str.strip() == "")
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataError(f"{path}, line {i + 2}: column {c!r} is empty")
    num = ["tokens", "score"] + (["tool_calls"] if "tool_calls" in optional else [])
    df = datasets.to_numeric(df, num, path)
    checks = [("tokens", lambda s: np.isfinite(s) & (s > 0), "is not a positive number of tokens"),
              ("score", lambda s: (s >= 0) & (s <= 1), "is outside [0, 1]")]
    if "tool_calls" in optional:
        checks.append(("tool_calls", lambda s: np.isfinite(s) & (s >= 0), "is negative"))
    datasets.check_rows(df, path, checks)
    if len(df) < MIN_RUNS:
        raise DataError(f"{path}: needs at least {MIN_RUNS} runs (rows), got {len(df)}")
    n_models = df["model"].astype(str).str.strip().nunique()
    if n_models < MIN_MODELS:
        raise DataError(f"{path}: needs at least {MIN_MODELS} distinct models, got {n_models}")
    out = pd.DataFrame({"model": df["model"].astype(str).str.strip(), "tokens": df["tokens"].astype(float),
                        "score": df["score"].astype(float)})
    for c in optional:
        out[c] = df[c].astype(float) if c == "tool_calls" else df[c].astype(str).str.strip()
    return out


def from_mcpmark(runs: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """MCPMark runs (``agent_runs.mcpmark_runs``) -> run frame and the number of runs left out for tokens.

    model = base model (effort settings of one model share it), config = configuration, task, service,
    tokens = total tokens, tool_calls = turns (the tool-call analogue: one tool call per agent turn at
    most), score = success.
    """
    ok = runs["tokens_ok"].to_numpy(bool)
    d = runs.loc[ok]
    out = pd.DataFrame({"model": d["base_model"].astype(str), "config": d["config"].astype(str),
                        "task": d["task"].astype(str), "service": d["service"].astype(str),
                        "tokens": d["total_tokens"].astype(float), "tool_calls": d["turns"].astype(float),
                        "score": d["success"].astype(float)}).reset_index(drop=True)
    return out, int((~ok).sum())


def from_deepdive(agg: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """DeepDive aggregate (``agent_runs.deepdive_aggregate``) -> one row per configuration (model × mode)
    and the models left out because they logged no tokens.

    tokens = mean total tokens per question including sub-agents; orchestration = 'orchestrated' (rlm,
    rlm_tips: an orchestrator spawning sub-agents) or 'standard'; score = accuracy; n_questions kept.
    """
    ok = agg["tokens_logged"].to_numpy(bool) & np.isfinite(agg["total_tokens"].to_numpy(float))
    excluded = sorted(agg.loc[~ok, "model"].astype(str).unique())
    d = agg.loc[ok]
    out = pd.DataFrame({"model": d["model"].astype(str), "mode": d["mode"].astype(str),
                        "config": d["model"].astype(str) + "|" + d["mode"].astype(str),
                        "orchestration": np.where(d["orchestrated"].to_numpy(bool), "orchestrated", "standard"),
                        "tokens": d["total_tokens"].astype(float), "score": d["accuracy"].astype(float),
                        "n_questions": d["n_questions"].astype(int)}).reset_index(drop=True)
    return out, excluded

"""DeepDive per (model, mode): one agent with search/open tools against an orchestrator spawning sub-agents.

Frame (column: dtype, meaning)
------------------------------
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
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import paths
from ..datasets.checks import check_rows, read_csv, require_columns, to_numeric
from ..validate import DataError


DEEPDIVE_TABLE = "deepdive_multiagent_aggregate"
DEEPDIVE_COLUMNS = ["model", "mode", "orchestrated", "n_questions", "accuracy", "accuracy_std",
                    "root_prompt_tokens", "root_completion_tokens", "sub_prompt_tokens", "sub_completion_tokens",
                    "total_tokens", "subagent_calls", "tool_calls", "sub_tool_calls", "turns", "wall_time_s",
                    "tokens_logged", "source_id", "value_status"]


def deepdive_aggregate(path=None) -> pd.DataFrame:
    """DeepDive per (model, mode); columns in this module's docstring. ``path``: a CSV of the same format."""
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

"""Run frames: the data every attribution reads, and the predictor groups it offers.

Data: one row per run (``RUN_COLUMNS``): ``model``, ``tokens`` (> 0), ``score`` in [0, 1] (binary success
or a graded accuracy), optionally ``tool_calls`` (>= 0), ``task``, ``config``, ``scaffold``. ``prepare``
adds the model columns; predictors come in groups g (``GROUP_TERMS``):

- tokens      x_tok  = log2(tokens)                       (one column)
- tool_calls  x_call = log2(1 + tool_calls)               (one column)
- model       C(model), treatment-coded dummies           (levels - 1 columns)
- scaffold    C(scaffold), treatment-coded dummies
- task        C(task) (optional; many levels)

Units. ``run``: each row as is. ``config``: one row per configuration (``config`` column, ``aggregate_configs``),
holding the mean score, the mean of log2 tokens (log of the geometric mean) and of log2(1 + calls), and the
configuration's model and scaffold.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

from ..validate import DataError, ParameterError

RUN_COLUMNS = ("model", "tokens", "score", "tool_calls", "task", "config", "scaffold")
GROUP_TERMS = {"tokens": "x_tok", "tool_calls": "x_call", "model": "C(model)", "scaffold": "C(scaffold)",
               "task": "C(task)", "service": "C(service)", "orchestration": "C(orchestration)"}
CATEGORICAL = {"model", "scaffold", "task", "service", "orchestration"}
MAX_GROUPS = 6
MIN_RUNS = 10
MIN_MODELS = 2
MIN_CONFIGS = 5
LEVEL = 0.95
UNITS = ("run", "config")
MECHANISMS = ("budget", "usage")


# ---------------------------------------------------------------- run frames


def _check_rng(rng):
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator")


def prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the model columns to a run frame: y (score), x_tok = log2 tokens, x_call = log2(1 + calls).

    Requires model, tokens > 0 and score in [0, 1]; fills ``config`` with model (× scaffold) when absent.
    """
    if not isinstance(frame, pd.DataFrame):
        raise ParameterError("runs must be a pandas DataFrame")
    missing = [c for c in ("model", "tokens", "score") if c not in frame]
    if missing:
        raise DataError(f"run frame lacks column(s) {missing}")
    if len(frame) == 0:
        raise DataError("run frame has no rows")
    df = frame.copy().reset_index(drop=True)
    tok = df["tokens"].to_numpy(float)
    sc = df["score"].to_numpy(float)
    if not np.all(np.isfinite(tok)) or np.any(tok <= 0):
        raise DataError(f"row {int(np.flatnonzero(~(tok > 0))[0])}: tokens must be positive")
    if not np.all(np.isfinite(sc)) or np.any((sc < 0) | (sc > 1)):
        raise DataError(f"row {int(np.flatnonzero(~((sc >= 0) & (sc <= 1)))[0])}: score must lie in [0, 1]")
    df["model"] = df["model"].astype(str)
    df["y"] = sc
    df["x_tok"] = np.log2(tok)
    if "tool_calls" in df and df["tool_calls"].notna().all():
        tc = df["tool_calls"].to_numpy(float)
        if np.any(tc < 0):
            raise DataError(f"row {int(np.flatnonzero(tc < 0)[0])}: tool_calls must be >= 0")
        df["x_call"] = np.log2(1.0 + tc)
    for c in ("task", "scaffold", "config", "service", "orchestration"):
        if c in df:
            df[c] = df[c].astype(str)
    if "config" not in df:
        df["config"] = df["model"] + ("|" + df["scaffold"] if "scaffold" in df else "")
    return df


def available_groups(df: pd.DataFrame, candidates: Sequence[str] = ("tokens", "tool_calls", "model", "scaffold")
                     ) -> list[str]:
    """Groups of ``candidates`` that the frame supports and that vary."""
    out = []
    for g in candidates:
        col = {"tokens": "x_tok", "tool_calls": "x_call"}.get(g, g)
        if col in df and df[col].nunique() > 1:
            out.append(g)
    return out


def aggregate_configs(df: pd.DataFrame) -> pd.DataFrame:
    """One row per configuration: mean y, mean x_tok, mean x_call, the configuration's categorical columns, runs."""
    agg = {"y": ("y", "mean"), "x_tok": ("x_tok", "mean"), "runs": ("y", "size")}
    if "x_call" in df:
        agg["x_call"] = ("x_call", "mean")
    for c in ("model", "scaffold", "orchestration"):
        if c in df:
            agg[c] = (c, "first")
    return df.groupby("config", sort=True).agg(**agg).reset_index()

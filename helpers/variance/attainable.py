"""Attainable R²: how much of a noisy score any predictor of its success probability can explain.

A score is a noisy measurement of a success probability: at the run unit a 0/1 outcome, at the config
unit a mean over a finite number of runs or questions. No predictor of the probability can explain the
measurement noise, so the attainable R² is 1 - σ²_noise / Var(y):

- run unit: σ²_noise = pooled within-cell variance of y over cells (config × task) with two runs or more
  (repeated runs of one configuration on one task); None without repeated cells;
- config unit: σ²_noise = mean over configurations of the noise variance of their mean score, i.e. the
  pooled within-(config, task) variance over the configuration's runs divided by its runs (binomial
  p̂(1-p̂)/(m-1) when it has no repeated cells; p̂(1-p̂)/(n-1) for a published accuracy over n questions).

The attainable R² is a point estimate: its own uncertainty is not propagated.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd

def attainable_run(runs: pd.DataFrame, cell: Sequence[str] = ("config", "task")) -> float | None:
    """1 - pooled within-cell variance / Var(y) (module docstring); None without repeated cells."""
    cols = [c for c in cell if c in runs]
    if len(cols) < len(cell):
        return None
    g = runs.groupby(list(cols))["y"]
    k = g.transform("size").to_numpy()
    rep = k >= 2
    if not rep.any():
        return None
    dev = (runs["y"] - g.transform("mean")).to_numpy()[rep]
    n_cells = runs.loc[rep].groupby(list(cols)).ngroups
    s2w = float(np.sum(dev ** 2) / (rep.sum() - n_cells))
    vy = float(np.var(runs["y"], ddof=1))
    return float(np.clip(1.0 - s2w / vy, 0.0, 1.0)) if vy > 0 else None


def attainable_config(runs: pd.DataFrame) -> float | None:
    """Attainable R² of configuration mean scores computed from runs (module docstring)."""
    cfg = runs.groupby("config")["y"]
    m = cfg.size()
    p = cfg.mean()
    binary = bool(np.isin(runs["y"].to_numpy(), (0.0, 1.0)).all())
    noise = (p * (1 - p) / (m - 1).clip(lower=1)) if binary else cfg.var(ddof=1).fillna(0) / m
    if "task" in runs:
        g = runs.groupby(["config", "task"])["y"]
        k = g.transform("size")
        rep = (k >= 2).to_numpy()
        if rep.any():
            d = runs.loc[rep].assign(dev2=(runs["y"] - g.transform("mean"))[rep] ** 2)
            by = d.groupby("config").agg(ss=("dev2", "sum"), n=("dev2", "size"),
                                         cells=("task", "nunique"))
            s2w = by["ss"] / (by["n"] - by["cells"])
            noise.loc[s2w.index] = (s2w / m.loc[s2w.index]).to_numpy()
    return _ceiling(float(noise.mean()), float(np.var(p, ddof=1)) if len(p) > 1 else 0.0)


def attainable_aggregate(frame: pd.DataFrame, trials: str = "n_questions") -> float | None:
    """Attainable R² of published accuracies over ``trials`` questions: noise p̂(1-p̂)/(n-1) per row."""
    p = frame["score"].to_numpy(float)
    n = frame[trials].to_numpy(float)
    return _ceiling(float(np.mean(p * (1 - p) / np.maximum(n - 1, 1))), float(np.var(p, ddof=1)))


def _ceiling(noise: float, var: float) -> float | None:
    return float(np.clip(1.0 - noise / var, 0.0, 1.0)) if var > 0 else None

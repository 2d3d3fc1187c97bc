"""Variance attribution with intervals: R² alone and Shapley shares of each group, bootstrapped.

``attribute`` fits a run frame at the ``run`` or ``config`` unit: point estimates are the statsmodels
formula fits of every subset (``lmg``), intervals a cluster bootstrap over tasks through batched Gram
matrices (``gram``); without a task column each run is its own cluster. Percentile intervals at ``level``.
At the config unit a categorical group that would nearly saturate the configurations (columns >=
n_configs - 2, e.g. model when every configuration is one model) is dropped and reported in ``dropped``.

``attribute_aggregate`` attributes a table with one row per configuration and no runs (DeepDive): each
bootstrap replicate resamples the configurations with replacement and redraws each drawn configuration's
accuracy as Binomial(n, p̂)/n (question sampling); token means are held fixed (no per-question tokens).
With ``resample_configs=False`` only the binomial redraw (the question-only interval).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from .. import bootstrap
from ..validate import DataError, ParameterError
from .frames import (CATEGORICAL, GROUP_TERMS, LEVEL, MAX_GROUPS, MIN_CONFIGS, MIN_RUNS, UNITS, _check_rng,
                     aggregate_configs, available_groups, prepare)
from .gram import _gram_configs, _gram_configs_clustered, _gram_runs, _gram_runs_clustered, design, subset_r2_from_gram
from .lmg import _mask_subset, r2_subsets_ols, shapley_matrix, token_slope

@dataclass
class Attribution:
    unit: str
    n: int
    groups: list[str]
    r2_subsets: dict
    r2_total: float
    shares: dict[str, float]
    alone_r2: dict[str, float]
    shares_ci: dict[str, tuple[float, float]]
    alone_ci: dict[str, tuple[float, float]]
    r2_total_ci: tuple[float, float]
    n_boot: int
    cluster: str
    dropped: list[str] = field(default_factory=list)
    n_params: int | None = None  # coefficients of the full fit (intercept included)
    token_slope: float | None = None  # OLS slope of y on log2 tokens alone (sign of the association)
    boot_shares: np.ndarray | None = None  # (n_boot, p)
    boot_alone: np.ndarray | None = None


def _pct(a: np.ndarray, level: float) -> tuple[float, float]:
    a = a[np.isfinite(a)]
    if a.size == 0:
        return (float("nan"), float("nan"))
    lo, hi = np.quantile(a, [(1 - level) / 2, (1 + level) / 2])
    return float(lo), float(hi)


def attribute(runs: pd.DataFrame, groups: Sequence[str], *, unit: str = "run", n_boot: int = 200,
              rng: np.random.Generator, level: float = LEVEL, cluster: str | None = "task") -> Attribution:
    """R² alone and Shapley shares of ``groups`` at ``unit``, with cluster-bootstrap percentile intervals.

    ``runs``: a frame from ``prepare``. ``cluster``: column resampled by the bootstrap (``task``); when it is
    None or absent each run is its own cluster. Point estimates are statsmodels formula fits.
    """
    _check_rng(rng)
    if unit not in UNITS:
        raise ParameterError(f"unit {unit!r} is not one of {UNITS}")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise ParameterError(f"n_boot must be a positive integer, got {n_boot!r}")
    if not 0 < level < 1:
        raise ParameterError(f"level must lie in (0, 1), got {level!r}")
    groups = list(groups)
    unknown = [g for g in groups if g not in GROUP_TERMS]
    if unknown or not groups or len(groups) > MAX_GROUPS:
        raise ParameterError(f"groups must be 1 to {MAX_GROUPS} of {list(GROUP_TERMS)}, got {groups}")
    df = runs.reset_index(drop=True)
    if len(df) < MIN_RUNS:
        raise DataError(f"attribution needs at least {MIN_RUNS} runs, got {len(df)}")
    cl = cluster if (cluster and cluster in df) else None
    dropped: list[str] = []
    if unit == "config":
        fit_df = aggregate_configs(df)
        if len(fit_df) < MIN_CONFIGS:
            raise DataError(f"the config unit needs at least {MIN_CONFIGS} configurations, got {len(fit_df)}")
        keep = []
        for g in groups:
            if {"tokens": "x_tok", "tool_calls": "x_call"}.get(g, g) not in fit_df:  # varies within a configuration (task, service): no config-level column
                dropped.append(g)
                continue
            df_g = fit_df[g].nunique() - 1 if g in CATEGORICAL else 1
            if g == "task" or df_g < 1 or df_g >= len(fit_df) - 2:
                dropped.append(g)
            else:
                keep.append(g)
        groups = keep
        if not groups:
            raise DataError("no predictor group is left at the config unit")
    else:
        fit_df = df
    # point estimates: statsmodels formulas over every subset
    r2 = r2_subsets_ols(fit_df, groups)
    p = len(groups)
    Phi = shapley_matrix(p)
    vec = np.array([r2[_mask_subset(m, groups)] for m in range(2 ** p)])
    shares = dict(zip(groups, vec @ Phi))
    alone = {g: r2[frozenset([g])] for g in groups}
    # bootstrap over clusters through batched Gram matrices of the run-level design
    Z, cols = design(df, groups)
    counts, ccodes = bootstrap.cluster_counts(df[cl].to_numpy() if cl else np.arange(len(df)), n_boot, rng)
    if unit == "run":
        G = _gram_runs_clustered(Z, ccodes, counts)
    else:
        codes = np.asarray(pd.Categorical(df["config"], categories=fit_df["config"]).codes)
        G = _gram_configs_clustered(Z, ccodes, counts, codes, len(fit_df))
    R2b = subset_r2_from_gram(G, cols)
    Sb = R2b @ Phi
    Ab = R2b[:, [1 << i for i in range(p)]]
    return Attribution(
        unit=unit, n=len(fit_df), groups=groups, r2_subsets=r2, r2_total=r2[frozenset(groups)],
        shares=shares, alone_r2=alone,
        shares_ci={g: _pct(Sb[:, i], level) for i, g in enumerate(groups)},
        alone_ci={g: _pct(Ab[:, i], level) for i, g in enumerate(groups)},
        r2_total_ci=_pct(R2b[:, -1], level), n_boot=int(n_boot), cluster=cl or "run", dropped=dropped,
        n_params=int(Z.shape[1] - 1), token_slope=token_slope(fit_df) if "tokens" in groups else None,
        boot_shares=Sb, boot_alone=Ab)


def gram_r2_point(runs: pd.DataFrame, groups: Sequence[str], unit: str = "run") -> dict[frozenset, float]:
    """R² of every subset through the Gram path with unit weights (checks it against ``r2_subsets_ols``)."""
    df = runs.reset_index(drop=True)
    Z, cols = design(df, groups)
    W = np.ones((1, len(df)))
    if unit == "run":
        G = _gram_runs(Z, W)
    else:
        cfg = aggregate_configs(df)
        codes = pd.Categorical(df["config"], categories=cfg["config"]).codes
        G = _gram_configs(Z, W, codes, len(cfg))
    R2 = subset_r2_from_gram(G, cols)[0]
    return {_mask_subset(m, groups): float(R2[m]) for m in range(2 ** len(groups))}


def attribute_aggregate(frame: pd.DataFrame, groups: Sequence[str], *, n_boot: int, rng: np.random.Generator,
                        level: float = LEVEL, trials: str = "n_questions",
                        resample_configs: bool = True) -> Attribution:
    """Attribution at the config unit of a table with one row per configuration (module docstring:
    configurations resampled and accuracies redrawn Binomial(n, p̂)/n; ``resample_configs=False``: the
    binomial redraw alone). Point estimates are the statsmodels formula fits."""
    _check_rng(rng)
    df = prepare(frame)
    groups = [g for g in groups if g in available_groups(df, groups)]
    if len(df) < MIN_CONFIGS or not groups:
        raise DataError(f"attribution needs at least {MIN_CONFIGS} configurations and a varying group")
    r2 = r2_subsets_ols(df, groups)
    p = len(groups)
    Phi = shapley_matrix(p)
    vec = np.array([r2[_mask_subset(m, groups)] for m in range(2 ** p)])
    Z, cols = design(df, groups)
    n = len(df)
    ntr = df[trials].to_numpy(int)
    ystar = rng.binomial(ntr, df["y"].to_numpy(float), size=(n_boot, n)) / ntr
    Zb = np.broadcast_to(Z, (n_boot,) + Z.shape).copy()
    Zb[:, :, -1] = ystar - df["y"].mean()
    w = bootstrap.counts(n, n_boot, rng) if resample_configs else np.ones((n_boot, n))
    G = np.einsum("bn,bni,bnj->bij", w, Zb, Zb)
    R2b = subset_r2_from_gram(G, cols)
    Sb, Ab = R2b @ Phi, R2b[:, [1 << i for i in range(p)]]
    return Attribution(
        unit="config", n=n, groups=groups, r2_subsets=r2, r2_total=r2[frozenset(groups)],
        shares=dict(zip(groups, vec @ Phi)), alone_r2={g: r2[frozenset([g])] for g in groups},
        shares_ci={g: _pct(Sb[:, i], level) for i, g in enumerate(groups)},
        alone_ci={g: _pct(Ab[:, i], level) for i, g in enumerate(groups)},
        r2_total_ci=_pct(R2b[:, -1], level), n_boot=int(n_boot),
        cluster="configurations + binomial(questions)" if resample_configs else "binomial(questions)",
        n_params=int(Z.shape[1] - 1),
        token_slope=token_slope(df) if "tokens" in groups else None,
        boot_shares=Sb, boot_alone=Ab)

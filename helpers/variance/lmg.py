"""Shapley (LMG) algebra: R² of every subset of predictor groups, split into one share per group.

For every subset S of the p groups (p <= ``MAX_GROUPS``, all 2^p subsets enumerated), R²(S) is the R² of
the statsmodels formula OLS  y ~ 1 + terms(S)  (R²(∅) = 0). Reported per group g:

- alone    R²({g})
- Shapley / LMG share
      φ_g = Σ_{S ⊆ G∖{g}} |S|! (p-|S|-1)! / p! · [R²(S ∪ {g}) - R²(S)],   with  Σ_g φ_g = R²(G).

φ_g is in units of the total variance of y (like R²), so "tokens explain 80 %" reads as either
R²({tokens}) = 0.80 (the post's "by itself") or φ_tokens = 0.80. For independent predictors in a linear
model y = Σ_g f_g(x_g) + ε, R²(S) = Σ_{g∈S} Var f_g / Var y, so both equal Var f_g / Var y. With
positively correlated groups with same-sign effects, R²({g}) > φ_g: the alone figure claims the shared
variance for every group that shares it (``model.closed_form_two_predictors``).
"""
from __future__ import annotations

import math
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from ..validate import ParameterError
from .frames import GROUP_TERMS, MAX_GROUPS

def shapley_matrix(p: int) -> np.ndarray:
    """(2^p, p) matrix Φ with shares = R2 @ Φ, R2 indexed by subset bitmask (bit g set = group g in S)."""
    if not (1 <= p <= MAX_GROUPS):
        raise ParameterError(f"attribution needs 1 to {MAX_GROUPS} groups, got {p}")
    phi = np.zeros((2 ** p, p))
    for g in range(p):
        bit = 1 << g
        for mask in range(2 ** p):
            if mask & bit:
                continue
            s = bin(mask).count("1")
            w = math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p)
            phi[mask | bit, g] += w
            phi[mask, g] -= w
    return phi


def shapley(r2_by_subset: Mapping[frozenset, float], groups: Sequence[str]) -> dict[str, float]:
    """Shapley (LMG) shares from R² of every subset (keys: frozensets of group names)."""
    p = len(groups)
    vec = np.array([r2_by_subset[frozenset(g for i, g in enumerate(groups) if m >> i & 1)] if m else 0.0
                    for m in range(2 ** p)])
    return dict(zip(groups, vec @ shapley_matrix(p)))


def _mask_subset(mask: int, groups: Sequence[str]) -> frozenset:
    return frozenset(g for i, g in enumerate(groups) if mask >> i & 1)


def r2_subsets_ols(df: pd.DataFrame, groups: Sequence[str], y: str = "y") -> dict[frozenset, float]:
    """R² of the statsmodels formula OLS y ~ terms(S) for every subset S of ``groups`` (R²(∅) = 0)."""
    out = {frozenset(): 0.0}
    for mask in range(1, 2 ** len(groups)):
        S = _mask_subset(mask, groups)
        formula = f"{y} ~ " + " + ".join(GROUP_TERMS[g] for g in groups if g in S)
        out[S] = float(smf.ols(formula, df).fit().rsquared)
    return out

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


def term_blocks(df: pd.DataFrame, groups: Sequence[str], y: str = "y") -> dict[str, np.ndarray] | None:
    """Each group's formula columns (patsy treatment coding, intercept dropped) of the formula
    ``y ~ terms(groups)``, or None when that evaluation drops rows (missing values): the caller then fits
    each formula on its own. With an intercept, a main-effect term's columns do not depend on the other terms.

    The common case (y and numeric terms float or integer without NaN, categorical terms all strings, no
    repeated term) is built directly (``_direct_design``) with patsy's numbers and memory layout; anything
    else goes through patsy itself (``_patsy_design``).
    """
    terms = [GROUP_TERMS[g] for g in groups]
    built = _direct_design(df, terms, y)
    if built is None:
        built = _patsy_design(df, terms, y)
        if built is None:
            return None
    X, slices, _ = built
    return {g: X[:, slices[GROUP_TERMS[g]]] for g in groups}


def _patsy_design(df: pd.DataFrame, terms: Sequence[str], y: str = "y") -> tuple[np.ndarray, dict, list] | None:
    """patsy's design matrix of ``y ~ terms`` (intercept first), its column slice per term and its column
    names, or None when patsy drops rows (missing values)."""
    from patsy import dmatrices

    _, X = dmatrices(f"{y} ~ " + " + ".join(terms), df, return_type="matrix")
    if X.shape[0] != len(df):
        return None
    info = X.design_info
    return np.asarray(X, dtype=float), dict(info.term_name_slices), list(info.column_names)


def _complete_numeric(s: pd.Series) -> np.ndarray | None:
    """A numpy float/integer column without NaN as float64 (patsy's numeric factor), else None."""
    if not isinstance(s.dtype, np.dtype) or s.dtype.kind not in "fiu":
        return None
    v = s.to_numpy(dtype=float)
    return None if np.isnan(v).any() else v


def _direct_design(df: pd.DataFrame, terms: Sequence[str], y: str = "y") -> tuple[np.ndarray, dict, list] | None:
    """``_patsy_design`` without patsy's per-row Python loops, for the common case (``term_blocks``; terms
    are column names or ``C(column)``): the intercept, then each categorical term's treatment dummies
    (levels sorted, the first left out), then each numeric term, in formula order within each kind; a
    C-ordered float64 matrix of patsy's width, with patsy's column names. None when the case is not
    covered (patsy then decides)."""
    terms = list(terms)
    if not len(df) or len(set(terms)) != len(terms) or y not in df or _complete_numeric(df[y]) is None:
        return None
    cat, num = [t for t in terms if t.startswith("C(")], [t for t in terms if not t.startswith("C(")]
    cols: dict[str, tuple] = {}
    names: dict[str, list] = {}
    for t in cat:
        c = t[2:-1]
        if c not in df or df[c].isna().any() or pd.api.types.infer_dtype(df[c], skipna=False) != "string":
            return None
        values = df[c].to_numpy(dtype=object)
        levels = sorted(set(values))  # patsy sorts the levels it finds; treatment coding drops the first
        cols[t] = ("C", np.searchsorted(np.array(levels, dtype=object), values), len(levels) - 1)
        names[t] = [f"{t}[T.{lvl}]" for lvl in levels[1:]]
    for t in num:
        v = _complete_numeric(df[t]) if t in df else None
        if v is None:
            return None
        cols[t] = ("N", v, 1)
        names[t] = [t]
    n = len(df)
    X = np.zeros((n, 1 + sum(cols[t][2] for t in terms)))
    X[:, 0] = 1.0
    slices, start = {}, 1
    for t in cat + num:
        kind, v, width = cols[t]
        if kind == "C":
            rows = np.flatnonzero(v > 0)
            X[rows, start + v[rows] - 1] = 1.0
        else:
            X[:, start] = v
        slices[t] = slice(start, start + width)
        start += width
    return X, slices, ["Intercept"] + [c for t in cat + num for c in names[t]]


def subset_exog(blocks: Mapping[str, np.ndarray], groups: Sequence[str], mask: int) -> np.ndarray:
    """The exog of the formula ``y ~ terms(S)`` (S = the groups of ``mask``) in patsy's column order: the
    intercept, then the categorical terms, then the numeric ones, each in formula order."""
    S = [g for i, g in enumerate(groups) if mask >> i & 1]
    order = [g for g in S if GROUP_TERMS[g].startswith("C(")] + [g for g in S if not GROUP_TERMS[g].startswith("C(")]
    n = next(iter(blocks.values())).shape[0]
    return np.asfortranarray(np.hstack([np.ones((n, 1))] + [blocks[g] for g in order]))  # the formula exog's layout


def r2_subsets_ols(df: pd.DataFrame, groups: Sequence[str], y: str = "y") -> dict[frozenset, float]:
    """R² of the statsmodels formula OLS y ~ terms(S) for every subset S of ``groups`` (R²(∅) = 0); the
    formula's design is evaluated once (``term_blocks``) and every subset fits its columns of it."""
    from statsmodels.regression.linear_model import OLS

    out = {frozenset(): 0.0}
    blocks = term_blocks(df, groups, y)
    yy = df[y].to_numpy(float)
    for mask in range(1, 2 ** len(groups)):
        S = _mask_subset(mask, groups)
        if blocks is None:
            formula = f"{y} ~ " + " + ".join(GROUP_TERMS[g] for g in groups if g in S)
            out[S] = float(smf.ols(formula, df).fit().rsquared)
        else:
            out[S] = float(OLS(yy, subset_exog(blocks, groups, mask)).fit().rsquared)
    return out


def token_slope(df: pd.DataFrame) -> float:
    """OLS slope of y on log2 tokens alone: the formula fit ``y ~ x_tok`` on its design built directly
    (an intercept column and x_tok, in the formula exog's layout: the same numbers bit for bit)."""
    from statsmodels.regression.linear_model import OLS

    X = np.asfortranarray(np.column_stack([np.ones(len(df)), df["x_tok"].to_numpy(float)]))
    return float(OLS(df["y"].to_numpy(float), X).fit().params[1])

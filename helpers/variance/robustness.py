"""Robustness of the attribution: McFadden pseudo-R² shares and the within-task token coefficient.

McFadden pseudo-R² = 1 - ℓ(S)/ℓ(∅) of a logit (``smf.logit``, binary scores) or a binomial GLM with
``trials`` per row (graded scores), decomposed with the same Shapley weights (run unit only).

Within-task token coefficient (MixedLM, run unit):
      y_ij = α + β_w (x_ij - x̄_j) + β_b x̄_j + model/scaffold effects + u_j + e_ij,   u_j ~ N(0, τ²),
with x = log2 tokens and j = task (the within-between, "Mundlak", form): β_w is the change in score per
doubling of tokens between runs of the same task; β_b carries the between-task association.
Wald interval from statsmodels. The same form with j = config gives the within-configuration coefficient.
"""
from __future__ import annotations

import warnings
from typing import Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf
from statsmodels.discrete.discrete_model import Logit
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.regression.mixed_linear_model import MixedLM

from .frames import GROUP_TERMS, LEVEL
from .lmg import _direct_design, _mask_subset, shapley, subset_exog, term_blocks

def _loglik(formula: str, df: pd.DataFrame, binary: bool, trials: np.ndarray | None,
            exog: np.ndarray | None = None, null: dict | None = None) -> tuple[float, float]:
    """Log-likelihoods (fit, null) of the formula; ``exog``: the formula's design already evaluated (same fit);
    ``null``: a dict keeping the logit's constant-only log-likelihood (it depends on y alone) across calls."""
    def model(cls, **kw):
        return cls.from_formula(formula, df, **kw) if exog is None else cls(df["y"].to_numpy(float), exog, **kw)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if binary:
            try:
                res = model(Logit).fit(disp=0, method="newton", maxiter=100)
            except np.linalg.LinAlgError:
                res = model(Logit).fit(disp=0, method="bfgs", maxiter=500)
            if null is None:
                return float(res.llf), float(res.llnull)
            if "logit" not in null:
                null["logit"] = float(res.llnull)
            return float(res.llf), null["logit"]
        res = model(GLM, family=families.Binomial(), var_weights=trials).fit()
        return float(res.llf), float(res.llnull)


def mcfadden_shapley(runs: pd.DataFrame, groups: Sequence[str], trials: str | None = None) -> dict:
    """Shapley decomposition of McFadden's pseudo-R² (run unit).

    Binary scores: ``smf.logit``. Graded scores: binomial GLM on the score as a proportion of ``trials``
    (a column of trial counts, e.g. tasks per run; 1 when None). Returns {r2_total, shares, alone}.
    The formula's design is evaluated once (``lmg.term_blocks``); every subset fits its columns of it.
    """
    df = runs.reset_index(drop=True)
    groups = list(groups)
    binary = bool(np.isin(df["y"].to_numpy(), (0.0, 1.0)).all())
    tr = None if binary else (df[trials].to_numpy(float) if trials else np.ones(len(df)))
    blocks = term_blocks(df, groups)
    null: dict = {}
    r2 = {frozenset(): 0.0}
    for mask in range(1, 2 ** len(groups)):
        S = _mask_subset(mask, groups)
        llf, llnull = _loglik("y ~ " + " + ".join(GROUP_TERMS[g] for g in groups if g in S), df, binary, tr,
                              None if blocks is None else subset_exog(blocks, groups, mask), null)
        r2[S] = 1.0 - llf / llnull if llnull != 0 else float("nan")
    return {"r2_total": r2[frozenset(groups)], "shares": shapley(r2, groups),
            "alone": {g: r2[frozenset([g])] for g in groups}, "model": "logit" if binary else "binomial GLM"}


# ---------------------------------------------------------------- mixed model: within-task coefficient


def within_coefficient(runs: pd.DataFrame, group: str = "task", controls: Sequence[str] = ("model",),
                       level: float = LEVEL) -> dict | None:
    """β_w of the within-between MixedLM (module docstring): score change per doubling of tokens within ``group``.

    Returns {coef, ci: (lo, hi), between, n_groups, converged} or None when ``group`` is absent or has < 3 levels.
    """
    if group not in runs or runs[group].nunique() < 3:
        return None
    df = runs.reset_index(drop=True).copy()
    df["x_between"] = df.groupby(group)["x_tok"].transform("mean") - df["x_tok"].mean()
    df["x_within"] = df["x_tok"] - df.groupby(group)["x_tok"].transform("mean")
    terms = ["x_within"]
    if df["x_between"].nunique() > 1:
        terms.append("x_between")
    terms += [GROUP_TERMS[c] for c in controls if c in df and c != group and df[c].nunique() > 1]
    built = _direct_design(df, terms, "y")  # patsy's exog of the formula, built directly
    if built is None:
        model = smf.mixedlm("y ~ " + " + ".join(terms), df, groups=df[group])
    else:  # the formula route's arguments: endog and exog frames, groups as an array
        X, _, names = built
        model = MixedLM(pd.DataFrame(df["y"].to_numpy(float)[:, None], columns=["y"], index=df.index),
                        pd.DataFrame(X, columns=names, index=df.index), groups=np.asarray(df[group]))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = model.fit(method=["bfgs", "lbfgs"], reml=True)
        except np.linalg.LinAlgError:
            res = model.fit(method=["powell"], reml=True)
    ci = res.conf_int(alpha=1 - level).loc["x_within"]
    conv = bool(getattr(res, "converged", True)) and not any("converge" in str(w.message).lower() for w in caught)
    return {"coef": float(res.params["x_within"]), "ci": (float(ci.iloc[0]), float(ci.iloc[1])),
            "between": float(res.params["x_between"]) if "x_between" in res.params else None,
            "n_groups": int(df[group].nunique()), "converged": conv}


def within_task_residuals(runs: pd.DataFrame, controls: Sequence[str] = ("model",)) -> pd.DataFrame:
    """Log2 tokens and score net of task and control fixed effects (Frisch-Waugh-Lovell): the slope of
    ``dy`` on ``dx`` is the fixed-effects within-task token coefficient, the figure's counterpart of β_w.

    Task effects are removed by demeaning within task (exact for task fixed effects); the control
    dummies, demeaned the same way, are then partialled out by least squares.
    """
    df = runs.reset_index(drop=True)
    g = df.groupby("task")
    x = (df["x_tok"] - g["x_tok"].transform("mean")).to_numpy()
    y = (df["y"] - g["y"].transform("mean")).to_numpy()
    cols = [c for c in controls if c in df and df[c].nunique() > 1]
    if cols:
        D = pd.get_dummies(df[cols].astype(str), drop_first=True).astype(float)
        D = (D - D.groupby(df["task"]).transform("mean")).to_numpy()
        coef, *_ = np.linalg.lstsq(D, np.column_stack([x, y]), rcond=None)
        x, y = (np.column_stack([x, y]) - D @ coef).T
    return pd.DataFrame({"dx": x, "dy": y})


def task_alone_r2(runs: pd.DataFrame) -> float:
    """R² of y on task identity alone (task fixed effects): 1 - Σ(y - ȳ_task)² / Σ(y - ȳ)²."""
    y = runs["y"].to_numpy(float)
    tss = float(np.sum((y - y.mean()) ** 2))
    rss = float(np.sum((y - runs.groupby("task")["y"].transform("mean").to_numpy()) ** 2))
    return 1.0 - rss / tss if tss > 0 else float("nan")

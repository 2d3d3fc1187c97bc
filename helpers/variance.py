"""How much of the variance in agent performance do tokens, tool calls and model choice explain?

Data: one row per run ("run frame", see ``RUN_COLUMNS``): ``model``, ``tokens`` (> 0), ``score`` in [0, 1]
(binary success or a graded accuracy), optionally ``tool_calls`` (>= 0), ``task``, ``config``, ``scaffold``.
Predictors, in groups g (``GROUP_TERMS``):

- tokens      x_tok  = log2(tokens)                       (one column)
- tool_calls  x_call = log2(1 + tool_calls)               (one column)
- model       C(model), treatment-coded dummies           (levels - 1 columns)
- scaffold    C(scaffold), treatment-coded dummies
- task        C(task) (optional; many levels)

Variance attribution (unit = run, or config after aggregation)
--------------------------------------------------------------
For every subset S of the p groups (p <= ``MAX_GROUPS``, all 2^p subsets enumerated), R²(S) is the R² of
the statsmodels formula OLS  y ~ 1 + terms(S)  (R²(∅) = 0). Reported per group g:

- alone    R²({g})
- Shapley / LMG share
      φ_g = Σ_{S ⊆ G∖{g}} |S|! (p-|S|-1)! / p! · [R²(S ∪ {g}) - R²(S)],   with  Σ_g φ_g = R²(G).

φ_g is in units of the total variance of y (like R²), so "tokens explain 80 %" reads as either
R²({tokens}) = 0.80 (the post's "by itself") or φ_tokens = 0.80. For independent predictors in a linear
model y = Σ_g f_g(x_g) + ε, R²(S) = Σ_{g∈S} Var f_g / Var y, so both equal Var f_g / Var y. With
positively correlated groups with same-sign effects, R²({g}) > φ_g: the alone figure claims the shared
variance for every group that shares it (``closed_form_two_predictors``).

Robustness: McFadden pseudo-R² = 1 - ℓ(S)/ℓ(∅) of a logit (``smf.logit``, binary scores) or a binomial GLM
with ``trials`` per row (graded scores), decomposed with the same Shapley weights (run unit only).

Units. ``run``: each row as is. ``config``: one row per configuration (``config`` column), holding the
mean score, the mean of log2 tokens (log of the geometric mean) and of log2(1 + calls), and the
configuration's model and scaffold. A categorical group that would nearly saturate the configurations
(columns >= n_configs - 2, e.g. model when every configuration is one model) is dropped at that unit and
reported in ``dropped``.

Cluster bootstrap over tasks. A resample draws K tasks with replacement (multinomial counts c_k); each run
of task k gets weight c_k. The run unit fits weighted least squares through the weighted Gram matrix
Z'WZ of Z = [1, X, y] (y and numeric columns centred), solving every subset from its sub-block with a
pseudo-inverse (rank-deficient blocks when a level is absent are handled); the config unit re-aggregates
the weighted runs into configuration means and fits those. All resamples are one batched matrix product;
the loop runs over the 2^p subsets only. Without a task column each run is its own cluster. Percentile
intervals at level ``level``.

Within-task token coefficient (MixedLM, run unit):
      y_ij = α + β_w (x_ij - x̄_j) + β_b x̄_j + model/scaffold effects + u_j + e_ij,   u_j ~ N(0, τ²),
with x = log2 tokens and j = task (the within-between, "Mundlak", form): β_w is the change in score per
doubling of tokens between runs of the same task; β_b carries the between-task association.
Wald interval from statsmodels. The same form with j = config gives the within-configuration coefficient.

Synthetic multi-agent runs (``simulate_runs``). Tasks t with difficulty d_t ~ N(0, σ_d²); configurations
(model m with capability θ_m, subagents s, token budget B); ``runs`` runs per (task, configuration):
      p = expit(θ_m + β · log2(B / B_ref) - d_t),          y ~ Bernoulli(p)
      log2 tokens = log2 B + γ · (1 - y) · [mechanism = "usage"] + σ_tok · z
      tool_calls ~ Poisson( s^κ · tokens / tokens_per_call )
Under ``budget`` the tokens recorded are the budget the experimenter set (a cause of y); under ``usage`` a
failing run loops longer and spends 2^γ times more (tokens are partly an effect of failure). Tool calls
follow tokens and subagents and have no effect of their own on y.

User data: ``read_runs(path)`` reads a CSV with columns model, tokens, score (+ optional tool_calls, task,
config) and raises ``DataError`` naming the line of the first bad row (header = line 1).
"""
from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd
import statsmodels.api as sm
import statsmodels.formula.api as smf
from scipy import special, stats

from . import datasets
from .validate import DataError, ParameterError

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


# ---------------------------------------------------------------- Shapley algebra


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


# ---------------------------------------------------------------- design and batched Gram fits


def design(df: pd.DataFrame, groups: Sequence[str], y: str = "y") -> tuple[np.ndarray, list[np.ndarray]]:
    """Z = [1, group columns..., y] from the same formula terms as the OLS fits; column indices per group.

    Numeric columns and y are centred at their sample means (better conditioning; R² unchanged).
    """
    blocks, cols, start = [np.ones((len(df), 1))], [], 1
    for g in groups:
        X = np.asarray(smf.ols(f"{y} ~ {GROUP_TERMS[g]}", df).exog, dtype=float)[:, 1:]
        if g not in CATEGORICAL:
            X = X - X.mean(axis=0)
        blocks.append(X)
        cols.append(np.arange(start, start + X.shape[1]))
        start += X.shape[1]
    yy = df[y].to_numpy(float)
    blocks.append((yy - yy.mean())[:, None])
    return np.hstack(blocks), cols


def _gram_runs(Z: np.ndarray, W: np.ndarray) -> np.ndarray:
    """Weighted Gram matrices Z' diag(w_b) Z for every row w_b of W (B, n) -> (B, q, q)."""
    n, q = Z.shape
    ZZ = (Z[:, :, None] * Z[:, None, :]).reshape(n, q * q)
    return (W @ ZZ).reshape(W.shape[0], q, q)


def _gram_configs(Z: np.ndarray, W: np.ndarray, config_codes: np.ndarray, n_configs: int) -> np.ndarray:
    """Gram of configuration means under run weights W: each configuration with weight > 0 counts once."""
    n, q = Z.shape
    Zc = np.zeros((n, n_configs, q))
    Zc[np.arange(n), config_codes] = Z
    S = (W @ Zc.reshape(n, n_configs * q)).reshape(W.shape[0], n_configs, q)
    m = S[:, :, 0]
    present = m > 0
    M = np.divide(S, m[..., None], out=np.zeros_like(S), where=present[..., None])
    return np.einsum("bci,bcj->bij", M, M)


def subset_r2_from_gram(G: np.ndarray, cols: Sequence[np.ndarray]) -> np.ndarray:
    """R² of every subset (by bitmask) from stacked Gram matrices G (B, q, q) of Z = [1, X, y]; -> (B, 2^p)."""
    B, q, _ = G.shape
    yi = q - 1
    p = len(cols)
    n_w, sy, syy = G[:, 0, 0], G[:, 0, yi], G[:, yi, yi]
    with np.errstate(divide="ignore", invalid="ignore"):
        tss = syy - sy ** 2 / n_w
    out = np.zeros((B, 2 ** p))
    for mask in range(1, 2 ** p):  # a loop over the 2^p subsets, vectorized over resamples
        idx = np.concatenate([[0]] + [cols[g] for g in range(p) if mask >> g & 1])
        A = G[:, idx[:, None], idx[None, :]]
        b = G[:, idx, yi]
        beta = np.linalg.pinv(A, rcond=1e-11, hermitian=True) @ b[..., None]
        fitted = (b[:, None, :] @ beta)[:, 0, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[:, mask] = np.where(tss > 0, fitted - sy ** 2 / n_w, np.nan) / tss
    return out


def cluster_counts(clusters: np.ndarray, n_boot: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(counts (n_boot, K), codes (n,)): how often each of the K clusters is drawn per resample, and each
    run's cluster index (the same draws as ``cluster_weights``)."""
    _check_rng(rng)
    codes, uniq = pd.factorize(pd.Series(clusters), sort=True)
    K = len(uniq)
    counts = rng.multinomial(K, np.full(K, 1.0 / K), size=n_boot)
    return counts.astype(float), np.asarray(codes)


def cluster_weights(clusters: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n) run weights of a cluster bootstrap: clusters drawn with replacement, runs weighted by count."""
    counts, codes = cluster_counts(clusters, n_boot, rng)
    return counts[:, codes]


def _gram_runs_clustered(Z: np.ndarray, codes: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``_gram_runs`` for weights constant within clusters: Σ_k c_bk Z_k'Z_k, with the per-cluster Gram
    matrices from one batched product over clusters padded to equal size (memory K·m·q, not n·q²)."""
    n, q = Z.shape
    K = counts.shape[1]
    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes, minlength=K)
    pos = np.arange(n) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    P = np.zeros((K, int(sizes.max()), q))
    P[codes[order], pos] = Z[order]
    Gk = np.einsum("kmi,kmj->kij", P, P).reshape(K, q * q)
    return (counts @ Gk).reshape(counts.shape[0], q, q)


def _gram_configs_clustered(Z: np.ndarray, codes: np.ndarray, counts: np.ndarray, config_codes: np.ndarray,
                            n_configs: int) -> np.ndarray:
    """``_gram_configs`` for weights constant within clusters: per-(cluster, configuration) sums of Z,
    combined by the cluster counts (memory K·C·q, not n·C·q)."""
    n, q = Z.shape
    K = counts.shape[1]
    T = np.zeros((K * n_configs, q))
    np.add.at(T, codes * n_configs + config_codes, Z)
    S = (counts @ T.reshape(K, n_configs * q)).reshape(counts.shape[0], n_configs, q)
    m = S[:, :, 0]
    M = np.divide(S, m[..., None], out=np.zeros_like(S), where=(m > 0)[..., None])
    return np.einsum("bci,bcj->bij", M, M)


# ---------------------------------------------------------------- attribution


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
    counts, ccodes = cluster_counts(df[cl].to_numpy() if cl else np.arange(len(df)), n_boot, rng)
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
        n_params=int(Z.shape[1] - 1), token_slope=float(smf.ols("y ~ x_tok", fit_df).fit().params["x_tok"]) if "tokens" in groups else None,
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


# ---------------------------------------------------------------- McFadden pseudo-R²


def _loglik(formula: str, df: pd.DataFrame, binary: bool, trials: np.ndarray | None) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if binary:
            try:
                res = smf.logit(formula, df).fit(disp=0, method="newton", maxiter=100)
            except np.linalg.LinAlgError:
                res = smf.logit(formula, df).fit(disp=0, method="bfgs", maxiter=500)
            return float(res.llf), float(res.llnull)
        res = smf.glm(formula, df, family=sm.families.Binomial(), var_weights=trials).fit()
        return float(res.llf), float(res.llnull)


def mcfadden_shapley(runs: pd.DataFrame, groups: Sequence[str], trials: str | None = None) -> dict:
    """Shapley decomposition of McFadden's pseudo-R² (run unit).

    Binary scores: ``smf.logit``. Graded scores: binomial GLM on the score as a proportion of ``trials``
    (a column of trial counts, e.g. tasks per run; 1 when None). Returns {r2_total, shares, alone}.
    """
    df = runs.reset_index(drop=True)
    groups = list(groups)
    binary = bool(np.isin(df["y"].to_numpy(), (0.0, 1.0)).all())
    tr = None if binary else (df[trials].to_numpy(float) if trials else np.ones(len(df)))
    r2 = {frozenset(): 0.0}
    for mask in range(1, 2 ** len(groups)):
        S = _mask_subset(mask, groups)
        llf, llnull = _loglik("y ~ " + " + ".join(GROUP_TERMS[g] for g in groups if g in S), df, binary, tr)
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
    model = smf.mixedlm("y ~ " + " + ".join(terms), df, groups=df[group])
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


# ---------------------------------------------------------------- results entries


def entry(att: Attribution, *, source: str, within_task: dict | None = None, extra: Mapping | None = None,
          all_groups: Sequence[str] = ("tokens", "tool_calls", "model")) -> dict:
    """The results ``datasets`` entry of one attribution (stable keys; absent groups are None)."""
    keys = list(dict.fromkeys(list(all_groups) + att.groups + att.dropped))
    out = {
        "unit": att.unit, "n": att.n, "r2_total": att.r2_total,
        "shares": {g: att.shares.get(g) for g in keys},
        "shares_ci": {g: (list(att.shares_ci[g]) if g in att.shares_ci else None) for g in keys},
        "alone_r2": {g: att.alone_r2.get(g) for g in keys},
        "alone_r2_ci": {g: (list(att.alone_ci[g]) if g in att.alone_ci else None) for g in keys},
        "r2_total_ci": list(att.r2_total_ci),
        "token_coef_within_task": None if within_task is None else within_task["coef"],
        "token_coef_within_task_ci": None if within_task is None else list(within_task["ci"]),
        "token_slope": att.token_slope, "source": source, "groups": att.groups, "dropped_groups": att.dropped, "cluster": att.cluster,
        "n_boot": att.n_boot, "n_params": att.n_params,
        "points_per_param": (att.n / att.n_params) if att.n_params else None,
    }
    if extra:
        out.update(extra)
    return out


def shares_table(entries: Mapping[str, Mapping]) -> pd.DataFrame:
    """Long table (dataset, unit, group, share, lo, hi, alone, alone_lo, alone_hi) from results entries."""
    rows = []
    for name, e in entries.items():
        for g, v in e["shares"].items():
            if v is None:
                continue
            lo, hi = e["shares_ci"][g]
            alo, ahi = e["alone_r2_ci"][g]
            rows.append({"dataset": name, "unit": e["unit"], "group": g, "share": v, "lo": lo, "hi": hi,
                         "alone": e["alone_r2"][g], "alone_lo": alo, "alone_hi": ahi, "r2_total": e["r2_total"]})
    return pd.DataFrame(rows)


def rng_for(seed: int, name: str) -> np.random.Generator:
    """A Generator for one named analysis, from the notebook seed and a stable hash of the name, so that
    a dataset's draws do not depend on which other datasets were analysed before it."""
    import zlib

    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


def analyse_runs(runs: pd.DataFrame, groups: Sequence[str], *, source: str, n_boot: int,
                 rng: np.random.Generator, level: float = LEVEL, units: Sequence[str] = UNITS,
                 controls: Sequence[str] = ("model", "scaffold"), trials: str | None = None,
                 within_config: bool = False, extra: Mapping | None = None) -> tuple[dict, list[str]]:
    """Attribution at each unit, McFadden shares and within-task coefficient at the run unit.

    Returns ({unit: results entry or None}, notes); a unit that cannot be analysed (too few configurations)
    gives None and a note saying why.
    """
    out, notes = {}, []
    for unit in units:
        try:
            att = attribute(runs, groups, unit=unit, n_boot=n_boot, rng=rng, level=level)
        except DataError as exc:
            out[unit] = None
            notes.append(f"{source}, {unit} unit: {exc}")
            continue
        ex = dict(extra or {})
        within = None
        if unit == "run":
            within = within_coefficient(runs, "task", [c for c in controls if c in groups], level)
            mcf = mcfadden_shapley(runs, att.groups, trials=trials)
            ex["mcfadden"] = {k: mcf[k] for k in ("r2_total", "shares", "alone")}
            ex["mcfadden_model"] = mcf["model"]
            if "task" in runs and runs["task"].nunique() > 1:
                ex["task_alone_r2"] = task_alone_r2(runs)
            if within_config:
                wc = within_coefficient(runs, "config", (), level)
                ex["token_coef_within_config"] = None if wc is None else wc["coef"]
                ex["token_coef_within_config_ci"] = None if wc is None else list(wc["ci"])
        out[unit] = entry(att, source=source, within_task=within, extra=ex)
    return out, notes


# ---------------------------------------------------------------- logged sources -> run frames


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


# ---------------------------------------------------------------- synthetic multi-agent runs


def simulate_runs(rng: np.random.Generator, *, n_tasks: int, capabilities: Mapping[str, float],
                  log2_budgets: Sequence[float], subagents: Sequence[int] = (1, 4), runs: int = 1,
                  token_effect: float = 0.35, difficulty_sd: float = 1.5, mechanism: str = "budget",
                  loop_effect: float = 1.5, token_noise_sd: float = 0.3, log2_tokens_per_call: float = 11.0,
                  subagent_call_exponent: float = 0.5, log2_budget_ref: float | None = None) -> pd.DataFrame:
    """Synthetic multi-agent research runs (module docstring). One row per (task, configuration, run).

    ``log2_budgets``: token budgets tested, in log2 tokens. ``capabilities``: {model name: θ (logit)}.
    ``log2_budget_ref``: budget at which θ applies (default: mean of ``log2_budgets``).
    Columns: task, model, subagents, log2_budget, config, difficulty, p, score, tokens, tool_calls.
    """
    _check_rng(rng)
    if mechanism not in MECHANISMS:
        raise ParameterError(f"mechanism {mechanism!r} is not one of {MECHANISMS}")
    for name, v, lo in (("n_tasks", n_tasks, 1), ("runs", runs, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise ParameterError(f"{name} must be an integer >= {lo}, got {v!r}")
    if not capabilities:
        raise ParameterError("capabilities needs at least one model")
    b = np.asarray(log2_budgets, dtype=float)
    s = np.asarray(subagents, dtype=float)
    if b.size < 1 or not np.all(np.isfinite(b)):
        raise ParameterError("log2_budgets must be finite numbers")
    if s.size < 1 or np.any(s < 1):
        raise ParameterError("subagents must be >= 1")
    for name, v in (("difficulty_sd", difficulty_sd), ("token_noise_sd", token_noise_sd)):
        if not (np.isfinite(v) and v >= 0):
            raise ParameterError(f"{name} must be >= 0, got {v!r}")
    ref = float(np.mean(b)) if log2_budget_ref is None else float(log2_budget_ref)
    names = list(capabilities)
    theta = np.array([capabilities[m] for m in names], dtype=float)
    # full grid: task x model x subagents x budget x run, vectorized
    T, M, Sa, Bn, R = n_tasks, len(names), s.size, b.size, runs
    t_i, m_i, s_i, b_i, _ = (a.ravel() for a in np.meshgrid(np.arange(T), np.arange(M), np.arange(Sa),
                                                            np.arange(Bn), np.arange(R), indexing="ij"))
    d = rng.normal(0.0, difficulty_sd, T)
    eta = theta[m_i] + token_effect * (b[b_i] - ref) - d[t_i]
    p = special.expit(eta)
    y = (rng.random(p.size) < p).astype(float)
    loop = loop_effect * (1.0 - y) if mechanism == "usage" else 0.0
    log2_tok = b[b_i] + loop + token_noise_sd * rng.standard_normal(p.size)
    tokens = np.exp2(log2_tok)
    calls = rng.poisson(np.power(s[s_i], subagent_call_exponent) * np.exp2(log2_tok - log2_tokens_per_call))
    model = np.asarray(names, dtype=object)[m_i]
    config = pd.Series(model).astype(str) + "|s" + pd.Series(s[s_i].astype(int)).astype(str) + "|b" + \
        pd.Series(b[b_i]).map(lambda v: f"{v:g}")
    return pd.DataFrame({"task": pd.Series(t_i).map(lambda i: f"t{i:04d}"), "model": model.astype(str),
                         "subagents": s[s_i].astype(int), "log2_budget": b[b_i], "config": config,
                         "difficulty": d[t_i], "p": p, "score": y, "tokens": tokens,
                         "tool_calls": calls.astype(float)})


def explainable_ceiling(sim: pd.DataFrame) -> float:
    """Var(p) / Var(y): the largest R² any predictor of a run's binary score can reach (true p known)."""
    vy = float(np.var(sim["score"]))
    return float(np.var(sim["p"]) / vy) if vy > 0 else float("nan")


# ---------------------------------------------------------------- closed forms for recovery tests


def simulate_linear_groups(rng: np.random.Generator, n: int, *, b_tok: float, b_call: float,
                           model_effects: Sequence[float], rho: float = 0.0, noise_sd: float = 1.0,
                           n_tasks: int | None = None) -> pd.DataFrame:
    """Linear-Gaussian runs with known variance contributions (for recovery tests).

    x_tok, x_call ~ N(0, 1) with correlation rho (written back as tokens = 2^x_tok, tool_calls = 2^x_call - 1);
    model uniform over len(model_effects) levels, independent of both; y = b_tok·x_tok + b_call·x_call +
    μ_model + ε, ε ~ N(0, noise_sd²). ``score`` is y itself (not bounded): use with ``prepare`` skipped.
    """
    _check_rng(rng)
    if not -1 < rho < 1:
        raise ParameterError("rho must lie in (-1, 1)")
    z = rng.standard_normal((n, 2))
    x1 = z[:, 0]
    x2 = rho * z[:, 0] + math.sqrt(1 - rho ** 2) * z[:, 1]
    mu = np.asarray(model_effects, dtype=float)
    k = rng.integers(0, mu.size, n)
    y = b_tok * x1 + b_call * x2 + mu[k] + noise_sd * rng.standard_normal(n)
    df = pd.DataFrame({"model": pd.Series(k).map(lambda i: f"m{i}"), "x_tok": x1, "x_call": x2, "y": y,
                       "tokens": np.exp2(x1), "tool_calls": np.exp2(x2) - 1})
    df["config"] = df["model"]
    if n_tasks:
        df["task"] = pd.Series(rng.integers(0, n_tasks, n)).map(lambda i: f"t{i}")
    return df


def closed_form_two_predictors(b_tok: float, b_call: float, model_effects: Sequence[float], rho: float,
                               noise_sd: float) -> dict:
    """Population R² alone and Shapley shares of ``simulate_linear_groups`` (model independent of x's)."""
    mu = np.asarray(model_effects, dtype=float)
    v_model = float(np.var(mu))  # uniform levels
    v_x = b_tok ** 2 + b_call ** 2 + 2 * rho * b_tok * b_call
    vy = v_x + v_model + noise_sd ** 2
    r_tok = (b_tok + rho * b_call) ** 2 / vy
    r_call = (b_call + rho * b_tok) ** 2 / vy
    r_both = v_x / vy
    share_tok = 0.5 * (r_tok + (r_both - r_call))
    share_call = 0.5 * (r_call + (r_both - r_tok))
    return {"alone": {"tokens": r_tok, "tool_calls": r_call, "model": v_model / vy},
            "shares": {"tokens": share_tok, "tool_calls": share_call, "model": v_model / vy},
            "r2_total": (v_x + v_model) / vy}


# ---------------------------------------------------------------- model upgrade versus doubling the budget


def upgrade_vs_doubling(theta_from: float, theta_to: float, token_effect: float, difficulty_sd: float,
                        log2_budget_rel: float = 0.0, nodes: int = 64) -> dict:
    """Accuracy gain of upgrading the model versus doubling the budget, averaged over task difficulty.

    acc(θ, b) = E_d[expit(θ + β·b - d)], d ~ N(0, σ_d²) (Gauss-Hermite quadrature). Returns the two gains and
    the number of budget doublings that matches the upgrade, (θ_to - θ_from)/β, on the logit scale.
    """
    x, w = np.polynomial.hermite_e.hermegauss(nodes)
    w = w / w.sum()

    def acc(th, bb):
        return float(np.sum(w * special.expit(th + token_effect * bb - difficulty_sd * x)))

    base = acc(theta_from, log2_budget_rel)
    return {"acc_base": base, "gain_upgrade": acc(theta_to, log2_budget_rel) - base,
            "gain_doubling": acc(theta_from, log2_budget_rel + 1) - base,
            "doublings_equivalent": (theta_to - theta_from) / token_effect if token_effect else float("inf")}


def fitted_upgrade_vs_doubling(sim: pd.DataFrame, model_from: str, model_to: str, level: float = LEVEL) -> dict:
    """The same comparison estimated from runs where the budget was varied by design: a conditional logit
    (task fixed effects conditioned out, statsmodels ``ConditionalLogit``) of score on log2_budget and an
    indicator of ``model_to`` among runs of the two models; ratio (θ_to - θ_from)/β with a delta-method
    interval."""
    from statsmodels.discrete.conditional_models import ConditionalLogit

    df = sim[sim["model"].isin([model_from, model_to])].reset_index(drop=True)
    if df["model"].nunique() < 2:
        raise ParameterError(f"runs of both {model_from!r} and {model_to!r} are needed")
    exog = pd.DataFrame({"log2_budget": df["log2_budget"].astype(float),
                         "upgrade": (df["model"] == model_to).astype(float)})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = ConditionalLogit(df["score"].astype(float), exog, groups=df["task"]).fit(disp=0)
    beta, dth = float(res.params["log2_budget"]), float(res.params["upgrade"])
    cov = np.asarray(res.cov_params())[[1, 0]][:, [1, 0]]
    grad = np.array([1 / beta, -dth / beta ** 2])
    se = float(np.sqrt(grad @ cov @ grad))
    z = stats.norm.ppf(0.5 + level / 2)
    ci_b = res.conf_int(alpha=1 - level).loc["log2_budget"]
    ratio = dth / beta
    return {"token_effect": beta, "token_effect_ci": (float(ci_b.iloc[0]), float(ci_b.iloc[1])),
            "upgrade_effect": dth, "doublings_equivalent": ratio,
            "doublings_equivalent_ci": (ratio - z * se, ratio + z * se)}


def check_capabilities(name: str, value) -> dict[str, float]:
    """A {model name: capability (logit)} mapping with at least one entry and finite numbers."""
    if not isinstance(value, Mapping) or not value:
        raise ParameterError(f"parameter {name!r} must be a non-empty dict {{model: capability}}, got {value!r}")
    for k, v in value.items():
        if not isinstance(k, str) or not k or isinstance(v, bool) or not isinstance(v, (int, float)) \
                or not math.isfinite(v) or abs(v) > 10:
            raise ParameterError(f"parameter {name!r}: entry {k!r}: {v!r} must be a capability in [-10, 10] (logit)")
    return dict(value)


def check_model_list(name: str, value, capabilities: Mapping[str, float]) -> list[str]:
    """A non-empty list of distinct model names, each a key of ``capabilities``."""
    if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)) or not value:
        raise ParameterError(f"parameter {name!r} must be a non-empty list of model names, got {value!r}")
    bad = [m for m in value if m not in capabilities]
    if bad or len(set(value)) != len(value):
        raise ParameterError(f"parameter {name!r} = {value!r}: names must be distinct keys of {list(capabilities)}")
    return list(value)

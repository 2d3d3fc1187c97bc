"""Batched weighted least squares: R² of every subset for every bootstrap resample from Gram matrices.

Z = [1, X, y] (y and numeric columns centred) is the run-level design (``design``). Under run weights w_b
the run unit fits weighted least squares through the weighted Gram matrix Z'W_bZ, solving every subset
from its sub-block with a pseudo-inverse (rank-deficient blocks when a level is absent are handled); the
config unit re-aggregates the weighted runs into configuration means and fits those. All resamples are
one batched matrix product; the loop runs over the 2^p subsets only. When the weights are constant
within clusters (a cluster bootstrap), the ``*_clustered`` forms combine per-cluster Gram matrices by the
cluster counts (memory K·m·q instead of n·q²).

Cluster bootstrap over tasks: a resample draws K tasks with replacement (counts c_k, from
``helpers.bootstrap.cluster_counts``); each run of task k gets weight c_k.
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
import statsmodels.formula.api as smf

from .frames import CATEGORICAL, GROUP_TERMS
from .lmg import term_blocks

def design(df: pd.DataFrame, groups: Sequence[str], y: str = "y") -> tuple[np.ndarray, list[np.ndarray]]:
    """Z = [1, group columns..., y] from the same formula terms as the OLS fits; column indices per group.

    Numeric columns and y are centred at their sample means (better conditioning; R² unchanged).
    """
    blocks, cols, start = [np.ones((len(df), 1))], [], 1
    terms = term_blocks(df, groups, y)  # one formula evaluation; a term's columns are those of its own formula
    for g in groups:
        X = terms[g] if terms is not None else np.asarray(smf.ols(f"{y} ~ {GROUP_TERMS[g]}", df).exog, dtype=float)[:, 1:]
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

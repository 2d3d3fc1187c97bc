"""One bootstrap for the whole study: plain or cluster resampling, drawn from a seeded Generator passed in.

Model. A nonparametric bootstrap resample of ``n`` units draws ``n`` unit indices uniformly with
replacement: ``indices`` returns the (n_boot, n) draws, ``counts`` the same draws as multiplicities
(row b, column i: how often unit i is in resample b; every row sums to n). A statistic that is a weighted
sum over units is then one matrix product ``counts @ x`` for all resamples at once.

A cluster bootstrap (tasks as clusters of runs, sessions as clusters of calls) resamples the K clusters
instead: ``cluster_counts`` gives the (n_boot, K) cluster multiplicities (drawn by ``counts(K, ...)``) and
each unit's cluster code (clusters sorted); ``cluster_weights`` spreads them to the units, so a unit weighs
as often as its cluster was drawn. With every unit its own cluster, ``cluster_weights`` equals ``counts``
(the same random stream), so one interval does not depend on which of the two a caller used.

Every function takes ``rng`` explicitly (a ``numpy.random.Generator``) and draws all resamples in one call.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .validate import ParameterError


def _check(n: int, n_boot: int, rng) -> None:
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator")
    if int(n_boot) < 0:
        raise ParameterError(f"n_boot must be >= 0, got {n_boot}")
    if int(n) < 1:
        raise ParameterError(f"cannot resample {n} units: need at least 1")


def indices(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n) unit indices, each row a resample of ``range(n)`` with replacement."""
    _check(n, n_boot, rng)
    return rng.integers(0, n, size=(n_boot, n))


def counts_of(idx: np.ndarray, n: int) -> np.ndarray:
    """(n_boot, n) float multiplicities of index resamples ``idx`` (n_boot, m)."""
    n_boot = idx.shape[0]
    flat = (idx + n * np.arange(n_boot)[:, None]).ravel()
    return np.bincount(flat, minlength=n_boot * n).reshape(n_boot, n).astype(float)


def counts(n: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n) multiplicities of a resample with replacement (each row sums to n); same draws as ``indices``."""
    return counts_of(indices(n, n_boot, rng), n)


def cluster_counts(clusters, n_boot: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """((n_boot, K) cluster multiplicities, (n,) each unit's cluster code, clusters in sorted order)."""
    codes, uniq = pd.factorize(pd.Series(np.asarray(clusters)), sort=True)
    return counts(len(uniq), n_boot, rng), np.asarray(codes)


def cluster_weights(clusters, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """(n_boot, n) unit weights of a cluster bootstrap: clusters drawn with replacement, units weighted by count."""
    c, codes = cluster_counts(clusters, n_boot, rng)
    return c[:, codes]


def percentile_interval(stats: np.ndarray, level: float = 0.95, axis: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval of bootstrap statistics along ``axis`` (NaN resamples ignored)."""
    if not 0 < level < 1:
        raise ParameterError(f"level must be in (0, 1), got {level}")
    a = (1 - level) / 2
    return np.nanquantile(stats, a, axis=axis), np.nanquantile(stats, 1 - a, axis=axis)

"""Difficulty: predictors and bins for the binned policy, and where a policy's budget goes by difficulty.

A difficulty predictor is a noisy score logit(p) + σ·ε (``noisy_score``), other models' success on the
problem (``data.leave_one_out_score``), or a human label such as the MATH level (``label_bins``); problems
are put in bins by rank of the score (``quantile_bins``). As σ grows the bins become random, their curves
equal, and the binned policy tends to uniform.

For reporting, problems fall in four bins by p ('unsolvable' p = 0, 'hard', 'medium', 'easy':
``difficulty_bin``); ``budget_share`` is the share of a policy's spend on each, and ``describe_shift`` names
how a policy moves budget relative to uniform (triage of the unsolvable, or toward harder problems).
"""
from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from scipy import special

from ..validate import ParameterError
from .core import DIFFICULTY_BINS, _rng

def quantile_bins(score, n_bins: int, rng) -> np.ndarray:
    """Bins 0..n_bins-1 by rank of ``score`` along the last axis (ties in random order; 0 = lowest)."""
    _rng(rng)
    score = np.asarray(score, dtype=float)
    if not isinstance(n_bins, (int, np.integer)) or isinstance(n_bins, bool) or n_bins < 1:
        raise ParameterError("n_bins must be a positive integer")
    N = score.shape[-1]
    order = np.lexsort((rng.random(score.shape), score), axis=-1)
    rank = np.empty(score.shape, dtype=np.int64)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(N), score.shape), axis=-1)
    return (rank * n_bins) // N


def noisy_score(p, noise: float, rng, floor: float = 1e-3) -> np.ndarray:
    """A difficulty predictor: logit(clip(p, floor, 1-floor)) + noise·ε, ε ~ N(0, 1) (higher = easier)."""
    _rng(rng)
    if not (np.isfinite(noise) and noise >= 0):
        raise ParameterError("predictor noise must be a finite number >= 0")
    if not (0 < floor < 0.5):
        raise ParameterError("predictor floor must lie in (0, 0.5)")
    p = np.clip(np.asarray(p, dtype=float), floor, 1 - floor)
    return special.logit(p) + noise * rng.standard_normal(p.shape)


def label_bins(labels, order: Sequence[str] | None = None) -> np.ndarray:
    """Integer bins from categorical labels (sorted order unless ``order`` is given)."""
    labels = np.asarray(labels).astype(str)
    cats = list(order) if order is not None else sorted(set(labels.tolist()))
    index = {c: i for i, c in enumerate(cats)}
    if any(lab not in index for lab in set(labels.tolist())):
        raise ParameterError("a label is missing from the given order")
    return pd.Series(labels).map(index).to_numpy(dtype=np.int64)



def difficulty_bin(p, hard_max: float, easy_min: float) -> np.ndarray:
    """'unsolvable' (p = 0), 'hard' (0 < p < hard_max), 'medium', 'easy' (p >= easy_min)."""
    if not (0 < hard_max < easy_min <= 1):
        raise ParameterError("difficulty thresholds need 0 < hard_max < easy_min <= 1")
    p = np.asarray(p, dtype=float)
    return np.where(p <= 0, "unsolvable", np.where(p < hard_max, "hard", np.where(p < easy_min, "medium", "easy")))


def budget_share(spent, labels) -> dict[str, float]:
    """Share of the spend on each difficulty bin (``spent`` and ``labels`` (N,))."""
    spent = np.asarray(spent, dtype=float)
    labels = np.asarray(labels)
    tot = spent.sum()
    return {b: (float(spent[labels == b].sum() / tot) if tot > 0 else 0.0) for b in DIFFICULTY_BINS}


def describe_shift(policy_share: dict, uniform_share: dict, tol: float = 0.01) -> dict:
    """How a policy moves budget relative to uniform across difficulty bins (shares in [0, 1]).

    ``triage``: less on unsolvable problems, no more on easy ones, more on the solvable middle (medium or
    hard); ``harder``: more on hard and unsolvable together, less on easy and medium together; ``mixed``:
    neither. Shifts smaller than ``tol`` count as none. Returns label, from (bins losing), to (bins gaining).
    """
    d = {b: float(policy_share.get(b, 0.0)) - float(uniform_share.get(b, 0.0)) for b in DIFFICULTY_BINS}
    frm = [b for b in DIFFICULTY_BINS if d[b] < -tol]
    to = [b for b in DIFFICULTY_BINS if d[b] > tol]
    if d["unsolvable"] < -tol and d["easy"] <= tol and (d["medium"] > tol or d["hard"] > tol):
        label = "triage"
    elif d["hard"] + d["unsolvable"] > tol and d["easy"] + d["medium"] < -tol:
        label = "harder"
    else:
        label = "mixed"
    return {"label": label, "from": frm, "to": to, "shift": d}

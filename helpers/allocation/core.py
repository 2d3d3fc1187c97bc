"""Shared constants and array helpers of the allocation package (no model of its own).

The policy names, difficulty bins and evaluation modes every module uses; ``_prefix_fill`` (hand out extra
samples in a key order, ties random, within a spend), ``_bisect_count`` (how many samples have a gain above
a threshold, for any non-increasing gains) and ``_GeomGains`` (coverage gains p(1-p)^k with closed-form
counts), which water-filling and the policies share.
"""
from __future__ import annotations

import numpy as np

from ..validate import ParameterError

POLICIES = ("uniform", "oracle_greedy", "binned_predicted", "probe_then_allocate", "early_stop")
ADAPTIVE_POLICIES = POLICIES[1:]
REALISTIC_POLICIES = ("binned_predicted", "probe_then_allocate", "early_stop")
DIFFICULTY_BINS = ("easy", "medium", "hard", "unsolvable")
MODES = ("replay", "plugin", "posterior")
POOLED = "all models"
_LOG_MIN = float(np.log(1e-300))
_K_MAX = 2.0 ** 45  # search bound for the early-stopping cap (effectively unbounded)


def _rng(rng) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator (seeded by the caller)")
    return rng


def _costs(cost, shape):
    if cost is None:
        return np.ones(shape)
    c = np.broadcast_to(np.asarray(cost, dtype=float), shape)
    if np.any(~np.isfinite(c)) or np.any(c <= 0):
        raise ParameterError("cost per sample must be positive and finite")
    return c


def _gather(arr, idx):
    """arr[..., idx] along the last axis, broadcasting arr's leading axes against idx's (idx may add axes)."""
    arr = np.asarray(arr)
    idx = np.asarray(idx)
    if arr.ndim == 1:
        return arr[idx]
    a = arr
    while a.ndim < idx.ndim:
        a = a[..., None, :]
    a = np.broadcast_to(a, np.broadcast_shapes(a.shape[:-1], idx.shape[:-1]) + (arr.shape[-1],))
    return np.take_along_axis(a, np.broadcast_to(idx, a.shape[:-1] + (idx.shape[-1],)), axis=-1)


def _prefix_fill(m, unit, remaining, key, rng):
    """Hand out up to ``m`` extra units per problem, in ascending ``key`` order (ties: random), while the
    running spend (``unit`` per extra) stays within ``remaining``. Shapes (..., N); ``remaining`` (...).

    Only the problem at the boundary may receive part of its ``m``; the leftover is below one unit.
    """
    m = np.asarray(m, dtype=float)
    shape = m.shape
    unit = np.broadcast_to(np.asarray(unit, dtype=float), shape)
    key = np.broadcast_to(np.asarray(key, dtype=float), shape)
    # ties in random order: a perturbation far below any distinct key difference (1e-9 in log gain)
    order = np.argsort(np.where(np.isfinite(key), key, np.inf) + 1e-9 * rng.random(shape), axis=-1)
    ms = np.take_along_axis(m, order, axis=-1)
    us = np.take_along_axis(unit, order, axis=-1)
    mc = ms * us
    before = np.cumsum(mc, axis=-1) - mc
    room = np.asarray(remaining, dtype=float)[..., None] - before
    with np.errstate(divide="ignore", invalid="ignore"):
        take = np.where(us > 0, np.floor(room / np.where(us > 0, us, 1.0) + 1e-9), np.where(room >= -1e-9, ms, 0))
    take = np.clip(take, 0, ms)
    out = np.zeros(shape)
    np.put_along_axis(out, order, take, axis=-1)
    return out


def _bisect_count(log_gain, log_thr, upper):
    """#{k in [0, upper): log_gain(k) >= log_thr} for non-increasing gains, by integer bisection."""
    lo = np.zeros(np.broadcast_shapes(np.shape(log_thr), np.shape(upper)))
    hi = np.broadcast_to(np.asarray(upper, dtype=float), lo.shape).copy()
    hi = np.where(np.isfinite(hi), np.maximum(hi, 0), 2.0 ** 40)
    for _ in range(80):
        active = hi > lo
        if not active.any():
            break
        mid = np.ceil(0.5 * (lo + hi))
        ok = log_gain(np.maximum(mid - 1, 0)) >= log_thr
        lo = np.where(active & ok, mid, lo)
        hi = np.where(active & ~ok, mid - 1, hi)
    return lo


class _GeomGains:
    """Coverage gains g(k) = p (1-p)^k with log p and log(1-p) computed once (closed-form counts)."""

    def __init__(self, p):
        p = np.asarray(p, dtype=float)
        self.interior = (p > 0) & (p < 1)
        self.one = p >= 1
        with np.errstate(divide="ignore", invalid="ignore"):
            self.logp = np.where(p > 0, np.log(np.where(p > 0, p, 1.0)), -np.inf)
            self.log1m = np.where(self.interior, np.log1p(-np.where(self.interior, p, 0.5)), -1.0)

    def count(self, log_thr, cap=np.inf):
        """#{k >= 0: log g(k) >= log_thr}, capped at ``cap``."""
        pos = self.logp >= log_thr
        with np.errstate(invalid="ignore", over="ignore"):
            r = (log_thr - self.logp) / self.log1m
        n = np.where(pos & self.interior, np.floor(np.minimum(r, 1e15)) + 1.0, np.where(pos & self.one, 1.0, 0.0))
        return np.minimum(n, cap)

    def log_gain(self, k):
        k = np.asarray(k, dtype=float)
        lg = self.logp + np.where(k > 0, k * self.log1m, 0.0)
        return np.where(self.one & (k > 0), -np.inf, lg)

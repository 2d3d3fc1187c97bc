"""The model of claim 4: per-problem success p as a Beta mixture with a never-solved share.

Each model has a per-problem single-sample success probability p. Over the problems p follows a
Beta mixture with a never-solved share (Schaeffer et al. 2025):

    p = 0 with probability pi0,   p ~ Beta(a, b) otherwise;   mean accuracy  m = (1-pi0)·a/(a+b).

Internal scaling (training a reasoning protocol) changes this distribution, including pi0.
External scaling (k samples and an aggregation rule) moves along a curve A(k) whose limit the
distribution fixes. Aggregations (their per-problem curves live in ``helpers.sampling``):

- ``pass_at_k`` (perfect verifier, coverage): A(k) = (1-pi0)·(1 - B(a, b+k)/B(a, b))
  (``sampling.beta_coverage``);  limit 1 - pi0, the share of problems with p > 0.
- ``majority_vote`` (wrong answers concentrate on one rival with share r of the wrong mass,
  ``wrong_concentration``): A(k) = E[majority_vote(p, k, r)];  limit E[majority_vote_limit(p, r)]
  = (1-pi0)·P(p > r/(1+r)) for the mixture: the share of problems whose right answer is the mode.
- ``verifier`` (learned verifier, true/false positive rates tpr, fpr): A(k) = E[verifier_select(p, k)];
  limit E[p·tpr / (p·tpr + (1-p)·fpr)] (``sampling.verifier_limit``).

All three equal m at k = 1. Expectations over the Beta part use ``n_nodes`` quantile nodes
p_j = F^{-1}((j + 1/2)/n_nodes; a, b) with equal weights (error of a step function ≤ 1/n_nodes);
coverage uses the exact closed form. A mixture's nodes are computed once per (pi0, a, b, n_nodes) and
reused (a catch-up search evaluates one curve many times). The majority-vote curve at many budgets
evaluates ``sampling.majority_vote``'s per-vote-count terms for a block of budgets at once and sums each
budget's own terms as that function does (the same numbers, without one call per budget).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .. import sampling
from ..validate import ParameterError

AGGREGATIONS = ("pass_at_k", "majority_vote", "verifier")
KINDS = ("reasoning", "non_reasoning")
LEVEL = 0.95


# ---------------------------------------------------------------- the generative model


@dataclass(frozen=True)
class BetaMixture:
    """Per-problem p: 0 with probability pi0, else Beta(a, b)."""
    pi0: float
    a: float
    b: float

    def __post_init__(self):
        if not (0.0 <= self.pi0 < 1.0):
            raise ParameterError(f"pi0 must lie in [0, 1), got {self.pi0!r}")
        if not (self.a > 0 and self.b > 0 and np.isfinite(self.a) and np.isfinite(self.b)):
            raise ParameterError(f"Beta parameters must be positive and finite, got a={self.a!r}, b={self.b!r}")

    @property
    def mean(self) -> float:
        """Single-sample accuracy (1-pi0)·a/(a+b)."""
        return (1 - self.pi0) * self.a / (self.a + self.b)

    @classmethod
    def from_mean(cls, mean: float, pi0: float, concentration: float) -> "BetaMixture":
        """Mixture with a given overall mean, never-solved share and Beta concentration a+b."""
        if concentration <= 0:
            raise ParameterError("concentration must be positive")
        m = mean / (1 - pi0)
        if not (0 < m < 1):
            raise ParameterError(f"mean {mean!r} is not reachable with pi0 = {pi0!r} (needs mean < 1 - pi0)")
        return cls(pi0, m * concentration, (1 - m) * concentration)

    def sample(self, n_problems: int, rng: np.random.Generator) -> np.ndarray:
        return sampling.sample_beta_mixture(n_problems, self.a, self.b, self.pi0, rng)


@dataclass(frozen=True)
class Selector:
    """How samples are aggregated: for majority vote, the share of a problem's wrong samples on its most
    common wrong answer (``wrong_concentration``); for the learned verifier, its true/false positive rates."""
    wrong_concentration: float = 0.5
    tpr: float = 0.9
    fpr: float = 0.1

    def __post_init__(self):
        for name in ("wrong_concentration", "tpr", "fpr"):
            v = getattr(self, name)
            if not (0.0 <= v <= 1.0):
                raise ParameterError(f"{name} must lie in [0, 1], got {v!r}")


def _check_aggregation(aggregation: str) -> str:
    if aggregation not in AGGREGATIONS:
        raise ParameterError(f"aggregation {aggregation!r} is not one of {list(AGGREGATIONS)}")
    return aggregation


def mixture_nodes(pi0, a, b, n_nodes: int = 512) -> tuple[np.ndarray, np.ndarray]:
    """Quantile nodes of the mixture: p (..., n_nodes + 1) and weights; the last node is the point mass at 0.

    ``pi0, a, b`` may be arrays of equal shape (e.g. bootstrap replicates); nodes broadcast over them.
    """
    pi0, a, b = (np.asarray(v, dtype=float) for v in (pi0, a, b))
    u = (np.arange(n_nodes) + 0.5) / n_nodes
    p = stats.beta.ppf(u, a[..., None], b[..., None])
    p = np.concatenate([p, np.zeros(p.shape[:-1] + (1,))], axis=-1)
    w = np.concatenate([np.broadcast_to(((1 - pi0) / n_nodes)[..., None], p.shape[:-1] + (n_nodes,)),
                        pi0[..., None] * np.ones(p.shape[:-1] + (1,))], axis=-1)
    return p, w


@functools.lru_cache(maxsize=256)
def _scalar_nodes(pi0: float, a: float, b: float, n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """``mixture_nodes`` of one mixture, computed once and kept (read-only arrays)."""
    p, w = mixture_nodes(pi0, a, b, n_nodes)
    p.setflags(write=False)
    w.setflags(write=False)
    return p, w


def _ks(k) -> np.ndarray:
    k = np.atleast_1d(np.asarray(k, dtype=float))
    if np.any(k < 1) or np.any(k != np.floor(k)):
        raise ParameterError("sample counts k must be whole numbers >= 1")
    return k


def weighted_curve(p, w, aggregation: str, k, selector: Selector = Selector()) -> np.ndarray:
    """A(k) = sum_j w_j·f(p_j, k) for a discrete p distribution (problems or mixture nodes)."""
    _check_aggregation(aggregation)
    p = np.asarray(p, dtype=float)
    w = np.asarray(w, dtype=float)
    k = _ks(k)
    if aggregation == "pass_at_k":
        return (w[:, None] * sampling.coverage(p[:, None], k[None, :])).sum(axis=0)
    if aggregation == "verifier":
        return (w[:, None] * sampling.verifier_select(p[:, None], k[None, :], selector.tpr, selector.fpr)).sum(axis=0)
    return _majority_vote_curve(p, w, k, selector.wrong_concentration)


MV_BLOCK_ELEMENTS = 2 ** 20  # largest (problems x budgets x vote counts) block of majority-vote terms at once
MV_BLOCK_PADDING = 1.1  # a block evaluates at most this many times its budgets' own terms (padding to its largest k)


def _mv_blocks(k: np.ndarray, n_p: int) -> list[np.ndarray]:
    """Positions of ``k`` in blocks of similar budgets: each block's padded terms (its largest k + 1 vote
    counts for every budget) stay under ``MV_BLOCK_ELEMENTS`` and ``MV_BLOCK_PADDING`` times its budgets' own terms."""
    blocks, cur, own = [], [], 0
    for i in np.argsort(k, kind="stable"):
        need = int(k[i]) + 1
        padded = (len(cur) + 1) * need
        if cur and (n_p * padded > MV_BLOCK_ELEMENTS or padded > MV_BLOCK_PADDING * (own + need)):
            blocks.append(np.array(cur))
            cur, own = [], 0
        cur.append(i)
        own += need
    if cur:
        blocks.append(np.array(cur))
    return blocks


def _majority_vote_curve(p: np.ndarray, w: np.ndarray, k: np.ndarray, wrong_concentration: float) -> np.ndarray:
    """sum_j w_j·majority_vote(p_j, k) at every budget in ``k``: the same numbers as one
    ``sampling.majority_vote`` call per budget (the same elementwise terms, each budget's terms summed over its
    own k + 1 vote counts in the same order), with the terms of a block of budgets evaluated at once."""
    p = sampling._probs(p)
    r = float(sampling._probs(wrong_concentration, "wrong_concentration"))
    k = k.astype(int)
    out = np.empty(k.size)
    if p.ndim != 1:  # not the problems/nodes vector the block evaluation is written for
        for i, kk in enumerate(k):
            out[i] = float(np.dot(w, sampling.majority_vote(p, int(kk), r)))
        return out
    q = np.divide(r * (1 - p), 1 - p, out=np.zeros_like(p), where=(1 - p) > 0)[:, None, None]
    for idx in _mv_blocks(k, p.size):
        kb = k[idx]
        xx = np.broadcast_to(np.arange(int(kb.max()) + 1), (p.size, kb.size, int(kb.max()) + 1))
        kk = np.broadcast_to(kb[None, :, None], xx.shape)
        px = stats.binom.pmf(xx, kk, np.broadcast_to(p[:, None, None], xx.shape))
        m = np.clip(kk - xx, 0, None)
        qq = np.broadcast_to(q, xx.shape)
        below = stats.binom.cdf(xx - 1, m, qq)
        tie = stats.binom.pmf(xx, m, qq)
        one = (below + tie) / np.maximum(kk, 1)
        terms = px * np.where(xx >= 2, below + 0.5 * tie, np.where(xx == 1, one, 0.0))
        for j, i in enumerate(idx):
            win = np.ascontiguousarray(terms[:, j, :kb[j] + 1]).sum(axis=-1)
            out[i] = float(np.dot(w, win))
    return out


def weighted_asymptote(p, w, aggregation: str, selector: Selector = Selector()) -> float:
    """k -> infinity limit of ``weighted_curve``."""
    _check_aggregation(aggregation)
    p = np.asarray(p, dtype=float)
    w = np.asarray(w, dtype=float)
    if aggregation == "pass_at_k":
        return float(np.dot(w, p > 0))
    if aggregation == "majority_vote":
        return float(np.dot(w, sampling.majority_vote_limit(p, selector.wrong_concentration)))
    return float(np.dot(w, sampling.verifier_limit(p, selector.tpr, selector.fpr)))


def mixture_curve(mix: BetaMixture, aggregation: str, k, selector: Selector = Selector(),
                  n_nodes: int = 512) -> np.ndarray:
    """Expected accuracy of k samples under ``aggregation`` for a Beta mixture (coverage exact)."""
    _check_aggregation(aggregation)
    if aggregation == "pass_at_k":
        return np.atleast_1d(sampling.beta_coverage(_ks(k), mix.a, mix.b, mix.pi0))
    p, w = _scalar_nodes(float(mix.pi0), float(mix.a), float(mix.b), int(n_nodes))
    return weighted_curve(p, w, aggregation, k, selector)


def mixture_asymptote(pi0, a, b, aggregation: str, selector: Selector = Selector(), n_nodes: int = 512):
    """Limit of ``mixture_curve``; vectorized over arrays of (pi0, a, b) (bootstrap replicates)."""
    _check_aggregation(aggregation)
    pi0 = np.asarray(pi0, dtype=float)
    if aggregation == "pass_at_k":
        out = 1 - pi0
    else:
        if pi0.ndim == 0 and np.ndim(a) == 0 and np.ndim(b) == 0:  # one mixture: its kept nodes
            p, w = _scalar_nodes(float(pi0), float(a), float(b), int(n_nodes))
        else:
            p, w = mixture_nodes(pi0, a, b, n_nodes)
        if aggregation == "majority_vote":
            f = sampling.majority_vote_limit(p, selector.wrong_concentration)
        else:
            f = sampling.verifier_limit(p, selector.tpr, selector.fpr)
        out = (w * f).sum(axis=-1)
    return float(out) if np.ndim(out) == 0 else out


def majority_vote_ceiling_closed_form(mix: BetaMixture, wrong_concentration: float) -> float:
    """(1-pi0)·P(p > r/(1+r)) for p ~ Beta(a, b): the majority-vote limit of the mixture in closed form."""
    r = float(wrong_concentration)
    return float((1 - mix.pi0) * stats.beta.sf(r / (1 + r), mix.a, mix.b))



def simulate_counts(mix: BetaMixture, n_problems: int, n_samples: int, rng: np.random.Generator):
    """True per-problem p and binomial counts c ~ Binomial(n_samples, p)."""
    p = mix.sample(n_problems, rng)
    c = rng.binomial(int(n_samples), p)
    return p, c


"""Repeated sampling with a selector: pass@k, majority vote and verifiers, per problem.

A problem has single-sample success probability p. With k independent samples:

- perfect verifier (coverage):   P_k = 1 - (1-p)^k
- unbiased pass@k from n samples with c correct (Chen et al. 2021):
                                 1 - C(n-c, k) / C(n, k), computed in log space
- Beta mixture over problems (Schaeffer et al. 2025): a share pi0 of problems is never solved
  (p = 0) and p ~ Beta(a, b) on the rest, so
                                 E[P_k] = (1-pi0) · (1 - B(a, b+k) / B(a, b)),  ceiling 1 - pi0
- majority vote: each sample is the correct answer w.p. p, the modal wrong answer w.p.
  w = r·(1-p) (r = ``wrong_concentration`` in [0, 1]), and otherwise a scattered wrong answer that
  no other sample repeats (one vote each). With X correct and Y modal-wrong votes ((X, Y)
  multinomial) and ties broken uniformly among the answers with the most votes, the vote is right
  w.p. 1 when X > max(Y, 1), 1/2 when X = Y >= 2, and 1/k when X = 1 and Y <= 1 (then every answer
  present has one vote, k of them). As k grows it tends to 1 if p > w, 1/2 if p = w, 0 if p < w:
  the share of problems whose right answer is the most likely one.
- learned verifier with true-positive rate tpr and false-positive rate fpr: pick uniformly among
  the samples it accepts, or among all if it accepts none. With a = p·tpr + (1-p)·fpr,
                                 P_k = (1-(1-a)^k)·p·tpr/a + (1-a)^k · p·(1-tpr)/(1-a)
  (exact, by exchangeability of the accepted samples); the limit is p·tpr/a. tpr=1, fpr=0 gives coverage.

All functions broadcast over numpy arrays of p and k; none loops over problems or samples.
"""
from __future__ import annotations

import numpy as np
from scipy import special, stats

from .validate import ParameterError


def _probs(p, name="p"):
    p = np.asarray(p, dtype=float)
    if np.any(~np.isfinite(p)) or np.any((p < 0) | (p > 1)):
        raise ParameterError(f"{name} must lie in [0, 1]")
    return p


def _ks(k, name="k"):
    k = np.asarray(k)
    if np.any(k < 0) or np.any(np.asarray(k, dtype=float) != np.floor(np.asarray(k, dtype=float))):
        raise ParameterError(f"{name} must be a non-negative whole number of samples")
    return k.astype(float)


def coverage(p, k):
    """1 - (1-p)^k: success of k samples under a perfect verifier."""
    p, k = _probs(p), _ks(k)
    return -np.expm1(k * np.log1p(-np.minimum(p, 1 - 1e-300))) if np.all(p < 1) else 1 - (1 - p) ** k


def pass_at_k(n, c, k):
    """Unbiased pass@k from n samples with c correct: 1 - C(n-c, k)/C(n, k), stable for large n."""
    n, c, k = (np.asarray(v, dtype=float) for v in (n, c, k))
    if np.any(c < 0) or np.any(c > n) or np.any(n <= 0):
        raise ParameterError("pass_at_k needs 0 <= c <= n and n > 0")
    if np.any(k < 1) or np.any(k > n):
        raise ParameterError("pass_at_k needs 1 <= k <= n")
    n, c, k = np.broadcast_arrays(n, c, k)
    out = np.ones(n.shape)
    ok = (n - c) >= k
    nn, cc, kk = n[ok], c[ok], k[ok]
    log_ratio = (special.gammaln(nn - cc + 1) - special.gammaln(nn - cc - kk + 1)
                 - special.gammaln(nn + 1) + special.gammaln(nn - kk + 1))
    out[ok] = -np.expm1(log_ratio)
    return out if out.ndim else float(out)


def beta_coverage(k, a, b, pi0=0.0):
    """(1-pi0)·(1 - B(a, b+k)/B(a, b)): expected coverage over a Beta(a, b) mixture with a share pi0 unsolvable."""
    k = _ks(k)
    if np.any(np.asarray(a) <= 0) or np.any(np.asarray(b) <= 0):
        raise ParameterError("Beta parameters a and b must be positive")
    _probs(pi0, "pi0")
    return (1 - pi0) * -np.expm1(special.betaln(a, b + k) - special.betaln(a, b))


def majority_vote(p, k, wrong_concentration=0.5):
    """P(majority of k samples is right) per problem; see the module docstring for the model.

    Vectorized over problems and k (k may be an array, broadcast against p); cost O(len(p) · max k).
    """
    p = _probs(p)
    r = float(_probs(wrong_concentration, "wrong_concentration"))
    k = _ks(k).astype(int)
    p_b, k_b = np.broadcast_arrays(p, k)
    w = r * (1 - p_b)
    kmax = int(k_b.max()) if k_b.size else 0
    x = np.arange(kmax + 1)
    shape = p_b.shape + (kmax + 1,)
    xx = np.broadcast_to(x, shape)
    kk = k_b[..., None]
    px = stats.binom.pmf(xx, kk, p_b[..., None])  # P(X = x); zero for x > k
    # Y | X = x ~ Binomial(k - x, w / (1 - p)); right when Y < x, half when Y = x > 0
    q = np.divide(w, 1 - p_b, out=np.zeros_like(w), where=(1 - p_b) > 0)[..., None]
    m = np.clip(kk - xx, 0, None)
    below = stats.binom.cdf(xx - 1, m, q)  # P(Y < x)
    tie = stats.binom.pmf(xx, m, q)  # P(Y = x)
    # x >= 2: win if Y < x, coin flip if Y = x; x = 1: all k answers present have one vote when Y <= 1
    one = (below + tie) / np.maximum(kk, 1)
    p_win = np.where(xx >= 2, below + 0.5 * tie, np.where(xx == 1, one, 0.0))
    valid = xx <= kk
    win = np.where(valid, px * p_win, 0.0).sum(axis=-1)
    # k = 0: no answer at all
    return np.where(k_b == 0, 0.0, win)


def majority_vote_limit(p, wrong_concentration=0.5):
    """k -> infinity limit of majority vote: 1 if p > w, 1/2 if p = w, 0 if p < w (w = r·(1-p))."""
    p = _probs(p)
    w = float(wrong_concentration) * (1 - p)
    return np.where(p > w, 1.0, np.where(np.isclose(p, w) & (p > 0), 0.5, 0.0))


def verifier_select(p, k, tpr=1.0, fpr=0.0):
    """P(the sample picked by a verifier with given TPR/FPR among k samples is right)."""
    p = _probs(p)
    tpr = _probs(tpr, "tpr")
    fpr = _probs(fpr, "fpr")
    k = _ks(k)
    a = p * tpr + (1 - p) * fpr
    none = np.power(1 - a, k)
    acc_part = np.divide(p * tpr, a, out=np.zeros_like(a * k), where=a > 0)
    rej_part = np.divide(p * (1 - tpr), 1 - a, out=np.zeros_like(a * k), where=(1 - a) > 0)
    out = (1 - none) * acc_part + none * rej_part
    return np.where(k == 0, 0.0, out)


def verifier_limit(p, tpr=1.0, fpr=0.0):
    """k -> infinity limit of ``verifier_select``: p·tpr / (p·tpr + (1-p)·fpr) (0 when nothing is accepted)."""
    p = _probs(p)
    a = p * tpr + (1 - p) * fpr
    return np.divide(p * tpr, a, out=np.zeros_like(a), where=a > 0)


def sample_beta_mixture(n_problems: int, a: float, b: float, pi0: float, rng: np.random.Generator) -> np.ndarray:
    """Per-problem p: 0 with probability pi0, else Beta(a, b)."""
    if not isinstance(rng, np.random.Generator):
        raise ParameterError("rng must be a numpy.random.Generator")
    p = rng.beta(a, b, size=n_problems)
    return np.where(rng.random(n_problems) < pi0, 0.0, p)

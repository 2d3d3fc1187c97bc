"""Closed forms of repeated sampling, checked against combinatorics and simulation."""
from math import comb

import numpy as np
import pytest

from helpers import sampling as S
from helpers.validate import ParameterError


def test_coverage_closed_form_and_monotone():
    p = np.array([0.0, 0.05, 0.3, 1.0])
    k = np.arange(0, 50)
    cov = S.coverage(p[:, None], k[None, :])
    assert np.allclose(cov, 1 - (1 - p[:, None]) ** k[None, :])
    assert np.all(np.diff(cov, axis=1) >= 0)
    assert np.all(cov[0] == 0) and np.all(cov[3, 1:] == 1)


def test_unbiased_pass_at_k_matches_combinatorics():
    for n, c, k in [(10, 3, 1), (10, 3, 5), (10, 0, 4), (10, 10, 2), (20, 7, 13), (100, 1, 99)]:
        exact = 1 - comb(n - c, k) / comb(n, k)
        assert S.pass_at_k(n, c, k) == pytest.approx(exact, rel=1e-12, abs=1e-12)
    # stable at n = 10,000 and vectorized
    v = S.pass_at_k(10_000, np.array([0, 1, 50, 10_000]), 256)
    assert v[0] == 0 and v[-1] == 1 and np.all(np.diff(v) > 0)
    # pass@1 is the plain success rate
    assert S.pass_at_k(10_000, 123, 1) == pytest.approx(0.0123)
    with pytest.raises(ParameterError):
        S.pass_at_k(10, 11, 1)
    with pytest.raises(ParameterError):
        S.pass_at_k(10, 1, 11)


def test_beta_coverage_matches_monte_carlo_and_ceiling():
    rng = np.random.default_rng(0)
    a, b, pi0 = 0.4, 3.0, 0.25
    p = S.sample_beta_mixture(400_000, a, b, pi0, rng)
    for k in (1, 8, 128):
        assert S.beta_coverage(k, a, b, pi0) == pytest.approx(S.coverage(p, k).mean(), abs=4e-3)
    assert S.beta_coverage(1, a, b, pi0) == pytest.approx((1 - pi0) * a / (a + b))
    assert S.beta_coverage(10**9, a, b, pi0) == pytest.approx(1 - pi0, abs=1e-3)


def test_majority_vote_matches_simulation_and_limits():
    rng = np.random.default_rng(1)
    for p, r, k in [(0.3, 0.5, 7), (0.2, 0.9, 15), (0.6, 1.0, 4), (0.1, 0.0, 9)]:
        w = r * (1 - p)
        draws = rng.multinomial(k, [p, w, 1 - p - w], size=300_000)
        X, Y = draws[:, 0], draws[:, 1]
        # scattered wrong answers have one vote each; ties are broken uniformly
        win = np.where(X >= 2, (X > Y) + 0.5 * (X == Y), np.where((X == 1) & (Y <= 1), 1.0 / k, 0.0))
        mc = win.mean()
        assert S.majority_vote(p, k, r) == pytest.approx(mc, abs=4e-3)
    p = np.array([0.2, 0.4, 0.6])
    lim = S.majority_vote_limit(p, 0.8)  # w = 0.64, 0.48, 0.32
    assert lim.tolist() == [0.0, 0.0, 1.0]
    big = S.majority_vote(p, 2001, 0.8)
    assert np.allclose(big, lim, atol=1e-3)
    assert S.majority_vote(0.25, 1, 0.5) == pytest.approx(0.25)  # one sample: its own accuracy
    # two samples: a 1-1 split is a coin flip, so majority vote of 2 equals one sample's accuracy
    assert S.majority_vote(0.25, 2, 0.0) == pytest.approx(0.25)
    assert S.majority_vote(0.25, 2, 0.7) == pytest.approx(0.25)


def test_verifier_select_special_cases_and_simulation():
    p = np.linspace(0, 1, 11)
    assert np.allclose(S.verifier_select(p, 16, 1.0, 0.0), S.coverage(p, 16))  # perfect verifier
    assert np.allclose(S.verifier_select(p, 1, 0.7, 0.3), p)  # one sample: no choice
    assert np.allclose(S.verifier_select(p, 16, 0.5, 0.5), p)  # uninformative verifier
    assert np.allclose(S.verifier_select(p, 10**7, 0.9, 0.2), S.verifier_limit(p, 0.9, 0.2), atol=1e-6)
    rng = np.random.default_rng(2)
    pp, k, tpr, fpr, n = 0.3, 6, 0.8, 0.1, 200_000
    correct = rng.random((n, k)) < pp
    accept = np.where(correct, rng.random((n, k)) < tpr, rng.random((n, k)) < fpr)
    pool = np.where(accept.any(axis=1)[:, None], accept, True)
    score = np.where(pool, rng.random((n, k)), -1.0)
    chosen = correct[np.arange(n), score.argmax(axis=1)]
    assert S.verifier_select(pp, k, tpr, fpr) == pytest.approx(chosen.mean(), abs=4e-3)


def test_bad_inputs():
    with pytest.raises(ParameterError, match=r"p must lie in \[0, 1\]"):
        S.coverage(1.2, 3)
    with pytest.raises(ParameterError, match="whole number"):
        S.coverage(0.2, 2.5)
    with pytest.raises(ParameterError, match="Beta parameters"):
        S.beta_coverage(3, -1, 2)
    with pytest.raises(ParameterError, match="wrong_concentration"):
        S.majority_vote(0.3, 3, 1.5)
    with pytest.raises(ParameterError, match="Generator"):
        S.sample_beta_mixture(10, 1, 1, 0, np.random.RandomState(0))

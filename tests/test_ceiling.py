"""helpers.ceiling: closed-form ceilings, recovery of (pi0, a, b), catch-up budgets, the scaling-path reader."""
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special, stats

from helpers import ceiling as C
from helpers import bootstrap, curves, sampling
from helpers.validate import DataError, ParameterError

SEL = C.Selector(wrong_concentration=0.5, tpr=0.9, fpr=0.1)


# ---------------------------------------------------------------- closed forms


@pytest.mark.parametrize("mix", [C.BetaMixture(0.0, 0.7, 2.0), C.BetaMixture(0.3, 0.4, 4.0), C.BetaMixture(0.6, 2.0, 0.5)])
def test_every_aggregation_starts_at_the_mean_and_coverage_tends_to_one_minus_pi0(mix):
    for agg in C.AGGREGATIONS:
        assert C.mixture_curve(mix, agg, [1], SEL)[0] == pytest.approx(mix.mean, abs=2e-3)
    assert C.mixture_asymptote(mix.pi0, mix.a, mix.b, "pass_at_k") == pytest.approx(1 - mix.pi0)
    k = np.array([1.0, 10.0, 1e3, 1e6, 1e12])
    cov = C.mixture_curve(mix, "pass_at_k", k)
    assert np.all(np.diff(cov) > 0) and cov[-1] <= 1 - mix.pi0 + 1e-12
    assert cov[-1] == pytest.approx(1 - mix.pi0, abs=0.02)
    np.testing.assert_allclose(cov, sampling.beta_coverage(k, mix.a, mix.b, mix.pi0))


@pytest.mark.parametrize("r", [0.1, 0.5, 1.0])
def test_majority_vote_limit_of_the_mixture_matches_its_closed_form_and_monte_carlo(r):
    mix = C.BetaMixture(0.25, 1.2, 1.5)
    closed = C.majority_vote_ceiling_closed_form(mix, r)
    assert closed == pytest.approx((1 - 0.25) * stats.beta.sf(r / (1 + r), 1.2, 1.5))
    nodes = C.mixture_asymptote(mix.pi0, mix.a, mix.b, "majority_vote", C.Selector(r, 1, 0), n_nodes=2048)
    assert nodes == pytest.approx(closed, abs=1.5 / 2048)
    p = mix.sample(200_000, np.random.default_rng(7))
    mc = sampling.majority_vote_limit(p, r).mean()
    assert mc == pytest.approx(closed, abs=4 * np.sqrt(closed * (1 - closed) / p.size))


def test_verifier_limit_of_the_mixture_matches_monte_carlo_and_reduces_to_coverage():
    mix = C.BetaMixture(0.2, 0.8, 3.0)
    p = mix.sample(200_000, np.random.default_rng(3))
    mc = sampling.verifier_limit(p, 0.9, 0.1).mean()
    assert C.mixture_asymptote(0.2, 0.8, 3.0, "verifier", SEL, 2048) == pytest.approx(mc, abs=3e-3)
    # a perfect verifier is coverage: same curve, limit 1 - pi0
    perfect = C.Selector(0.5, 1.0, 0.0)
    k = np.array([1.0, 4.0, 32.0])
    np.testing.assert_allclose(C.mixture_curve(mix, "verifier", k, perfect, 4096),
                               C.mixture_curve(mix, "pass_at_k", k), atol=2e-3)
    assert C.mixture_asymptote(0.2, 0.8, 3.0, "verifier", perfect) == pytest.approx(0.8)


def test_weighted_curves_approach_their_limits():
    p = np.array([0.0, 0.05, 0.2, 0.6, 0.9])
    w = np.full(5, 0.2)
    for agg in C.AGGREGATIONS:
        lim = C.weighted_asymptote(p, w, agg, SEL)
        assert C.weighted_curve(p, w, agg, [800], SEL)[0] == pytest.approx(lim, abs=0.01)
    assert C.weighted_asymptote(p, w, "pass_at_k") == pytest.approx(0.8)
    # majority vote: right answer is the mode when p > r(1-p), i.e. p > 1/3 at r = 0.5
    assert C.weighted_asymptote(p, w, "majority_vote", SEL) == pytest.approx(0.4)


@pytest.mark.parametrize("r", [0.0, 0.5, 1.0])
def test_majority_vote_curve_in_blocks_equals_one_call_per_budget(r, monkeypatch):
    # the block evaluation gives exactly the numbers of one sampling.majority_vote call per budget, whatever
    # the order of the budgets, repeated budgets, p at 0 and 1, and blocks cut by size
    rng = np.random.default_rng(3)
    p = np.r_[rng.random(37), 0.0, 1.0, 0.25]
    w = rng.random(p.size) / p.size
    k = np.array([1, 2, 3, 7, 7, 48, 5, 64, 65, 200, 129, 1, 4])
    ref = np.array([float(np.dot(w, sampling.majority_vote(p, int(kk), r))) for kk in k])
    sel = C.Selector(r, 0.9, 0.1)
    np.testing.assert_array_equal(C.weighted_curve(p, w, "majority_vote", k, sel), ref)
    monkeypatch.setattr(C.model, "MV_BLOCK_ELEMENTS", 4000)  # many small blocks
    np.testing.assert_array_equal(C.weighted_curve(p, w, "majority_vote", k, sel), ref)
    monkeypatch.setattr(C.model, "MV_BLOCK_PADDING", 10.0)  # padded blocks
    monkeypatch.setattr(C.model, "MV_BLOCK_ELEMENTS", 2 ** 22)
    np.testing.assert_array_equal(C.weighted_curve(p, w, "majority_vote", k, sel), ref)
    with pytest.raises(ParameterError, match="p must lie in"):
        C.weighted_curve(np.r_[p, 1.5], np.r_[w, 0.0], "majority_vote", k, sel)


def test_mixture_curve_reuses_its_nodes_with_the_same_numbers():
    mix = C.BetaMixture(0.2, 0.7, 1.3)
    k = np.array([1.0, 3.0, 10.0, 40.0])
    for agg in ("majority_vote", "verifier"):
        p, w = C.mixture_nodes(mix.pi0, mix.a, mix.b, 64)
        ref = C.weighted_curve(p, w, agg, k, SEL)
        np.testing.assert_array_equal(C.mixture_curve(mix, agg, k, SEL, 64), ref)
        np.testing.assert_array_equal(C.mixture_curve(mix, agg, k, SEL, 64), ref)  # second call: kept nodes


def test_asymptotes_vectorize_over_bootstrap_replicates():
    pi0 = np.array([0.1, 0.3])
    a = np.array([0.5, 2.0])
    b = np.array([3.0, 1.0])
    vec = C.mixture_asymptote(pi0, a, b, "verifier", SEL, 256)
    one = [C.mixture_asymptote(pi0[i], a[i], b[i], "verifier", SEL, 256) for i in range(2)]
    np.testing.assert_allclose(vec, one)


# ---------------------------------------------------------------- likelihoods


def test_counts_likelihood_gradient_is_exact():
    mix = C.BetaMixture(0.3, 0.5, 6.0)
    _, c = C.simulate_counts(mix, 200, 300, np.random.default_rng(1))
    n = np.full(200, 300.0)
    w = np.random.default_rng(2).integers(0, 3, 200).astype(float)
    for th in (np.array([-0.7, np.log(0.4), np.log(5.0)]), np.array([1.0, 0.3, 0.1])):
        for weights in (None, w):
            f = lambda t: C.counts_nll(t, n, c.astype(float), weights)[0]  # noqa: E731
            g = C.counts_nll(th, n, c.astype(float), weights)[1]
            num = optimize.approx_fprime(th, f, 1e-6)
            np.testing.assert_allclose(g, num, rtol=1e-3, atol=1e-3)


def test_counts_likelihood_is_the_beta_binomial_with_a_point_mass():
    n = np.array([10.0, 10.0])
    c = np.array([0.0, 3.0])
    pi0, a, b = 0.2, 1.5, 2.5
    bb = stats.betabinom.pmf(c.astype(int), 10, a, b)
    expected = -(np.log(pi0 + (1 - pi0) * bb[0]) + np.log((1 - pi0) * bb[1]))
    got = C.counts_nll(np.array([special.logit(pi0), np.log(a), np.log(b)]), n, c)[0]
    assert got == pytest.approx(expected)


def test_curve_objective_gradient_is_exact():
    k = 2.0 ** np.arange(8)
    y = np.array([0.1, 0.16, 0.22, 0.28, 0.33, 0.38, 0.42, 0.45])
    th = np.array([-0.4, np.log(0.6), np.log(4.0)])
    for n, rs in ((400.0, None), (None, None), (400.0, 0.01)):
        f = lambda t: C.fit_curve._curve_objective(t, k, y, n, rs)[0]  # noqa: E731
        np.testing.assert_allclose(C.fit_curve._curve_objective(th, k, y, n, rs)[1], optimize.approx_fprime(th, f, 1e-6),
                                   rtol=1e-3, atol=1e-3)


def test_curve_objective_value_is_the_likelihood_of_beta_coverage():
    # the objective computes the coverage from the log ratio it also uses for the gradient: the same numbers as
    # sampling.beta_coverage
    k = 2.0 ** np.arange(8)
    y = np.array([0.1, 0.16, 0.22, 0.28, 0.33, 0.38, 0.42, 0.45])
    for th, pi0_fixed in ((np.array([-0.4, np.log(0.6), np.log(4.0)]), None), (np.array([0.0, -2.0, 5.0]), 0.3),
                          (np.array([9.0, 1.5, -3.0]), None)):
        pi0 = special.expit(th[0]) if pi0_fixed is None else pi0_fixed
        f = sampling.beta_coverage(k, np.exp(th[1]), np.exp(th[2]), pi0)
        assert C.fit_curve._curve_objective(th, k, y, 400.0, None, pi0_fixed)[0] == curves.nll(f, y, 400.0)
        assert C.fit_curve._curve_objective(th, k, y, None, None, pi0_fixed)[0] == curves.nll(f, y, None)


# ---------------------------------------------------------------- recovery on simulated data


def test_counts_fit_recovers_the_ceiling_within_its_profile_interval():
    mix = C.BetaMixture(0.3, 0.6, 3.0)
    covered, errs = 0, []
    for s in range(12):
        rng = np.random.default_rng(100 + s)
        p, c = C.simulate_counts(mix, 300, 400, rng)
        fit = C.profile_counts_ceiling(np.full(300, 400.0), c, C.fit_beta_mixture_counts(np.full(300, 400.0), c))
        truth = float(np.mean(p > 0))  # the ceiling of these problems
        lo, hi = fit.ceiling_ci
        covered += lo - 1e-6 <= truth <= hi + 1e-6
        errs.append(fit.mixture.pi0 - mix.pi0)
        assert lo <= fit.ceiling <= hi
        assert lo >= np.mean(c > 0) - 1e-9  # the ceiling is never below the share solved at least once
    assert covered >= 10
    assert abs(np.mean(errs)) < 0.03


def test_bootstrap_intervals_cover_true_limits_and_are_reproducible():
    mix = C.BetaMixture(0.2, 1.0, 2.0)
    hits = {agg: 0 for agg in C.AGGREGATIONS}
    reps = 8
    for s in range(reps):
        p, c = C.simulate_counts(mix, 250, 200, np.random.default_rng(s))
        n = np.full(250, 200.0)
        fit = C.bootstrap_counts_fit(n, c, 60, np.random.default_rng(50 + s), profile_points=12)
        truth = {"pass_at_k": np.mean(p > 0), "majority_vote": sampling.majority_vote_limit(p, 0.5).mean(),
                 "verifier": sampling.verifier_limit(p, 0.9, 0.1).mean()}
        lo, hi = fit.ceiling_ci
        hits["pass_at_k"] += lo - 1e-6 <= truth["pass_at_k"] <= hi + 1e-6
        for agg in ("majority_vote", "verifier"):
            d = C.mixture_fit_asymptote(fit, agg, SEL, 256)
            hits[agg] += d["ci"][0] - 0.01 <= truth[agg] <= d["ci"][1] + 0.01
    assert all(h >= reps - 2 for h in hits.values()), hits
    p, c = C.simulate_counts(mix, 100, 50, np.random.default_rng(9))
    f1 = C.bootstrap_counts_fit(np.full(100, 50.0), c, 25, np.random.default_rng(4), profile_points=8)
    f2 = C.bootstrap_counts_fit(np.full(100, 50.0), c, 25, np.random.default_rng(4), profile_points=8)
    np.testing.assert_array_equal(f1.boot, f2.boot)


def test_bootstrap_weights_resample_every_problem_count_once_per_row():
    """The package resamples through helpers.bootstrap.counts: the same draws as its former own weights."""
    W = bootstrap.counts(37, 11, np.random.default_rng(0))
    assert W.shape == (11, 37)
    np.testing.assert_array_equal(W.sum(axis=1), np.full(11, 37.0))
    assert np.all(W >= 0)
    idx = np.random.default_rng(0).integers(0, 37, size=(11, 37))  # the removed ceiling.bootstrap_weights' draws
    np.testing.assert_array_equal(W, np.stack([np.bincount(r, minlength=37) for r in idx]).astype(float))
    assert not hasattr(C, "bootstrap_weights")


def test_few_trials_per_problem_leave_the_ceiling_unidentified():
    mix = C.BetaMixture(0.3, 0.5, 1.5)
    p, c = C.simulate_counts(mix, 80, 5, np.random.default_rng(2))
    fit = C.profile_counts_ceiling(np.full(80, 5.0), c, C.fit_beta_mixture_counts(np.full(80, 5.0), c), max_width=0.2)
    assert fit.identifiable is False
    assert fit.ceiling_ci[1] - fit.ceiling_ci[0] > 0.2


def test_curve_fit_recovers_a_clean_ceiling_and_flags_a_short_curve():
    mix = C.BetaMixture(0.25, 1.0, 1.5)
    k = 2.0 ** np.arange(0, 14)
    y = C.mixture_curve(mix, "pass_at_k", k)
    fit = C.fit_beta_mixture_curve(k, y, 2000, profile_points=15)
    assert fit.ceiling == pytest.approx(0.75, abs=0.01)
    assert fit.ceiling_ci[0] <= 0.75 <= fit.ceiling_ci[1] and fit.identifiable
    # the same model with a thin left tail, seen only to k = 16: the ceiling is not pinned down
    slow = C.BetaMixture(0.25, 0.2, 3.0)
    ks = 2.0 ** np.arange(0, 5)
    short = C.fit_beta_mixture_curve(ks, C.mixture_curve(slow, "pass_at_k", ks), 300, profile_points=15)
    assert short.identifiable is False and short.ceiling_ci[1] == pytest.approx(1.0)


def test_a_coarser_profile_tolerance_moves_only_the_interval_ends_within_it():
    """Quick mode's profile_xtol (1e-2): the same fit, the interval's ends within the tolerance of the fine ones."""
    mix = C.BetaMixture(0.3, 0.5, 1.5)
    n = np.full(300, 400.0)
    _, c = C.simulate_counts(mix, 300, 400, np.random.default_rng(7))
    fine = C.profile_counts_ceiling(n, c, C.fit_beta_mixture_counts(n, c))
    coarse = C.profile_counts_ceiling(n, c, C.fit_beta_mixture_counts(n, c), xtol=1e-2)
    assert coarse.ceiling == fine.ceiling and coarse.ceiling_ci != fine.ceiling_ci
    np.testing.assert_allclose(coarse.ceiling_ci, fine.ceiling_ci, rtol=0, atol=2e-2)
    k = 2.0 ** np.arange(0, 10)
    y = C.mixture_curve(C.BetaMixture(0.25, 1.0, 1.5), "pass_at_k", k)
    f1, f2 = (C.fit_beta_mixture_curve(k, y, 500, profile_points=10, profile_xtol=t) for t in (1e-5, 1e-2))
    assert f1.ceiling == f2.ceiling
    np.testing.assert_allclose(f2.ceiling_ci, f1.ceiling_ci, rtol=0, atol=2e-2)


def test_exponentiated_power_law_has_its_ceiling_at_one():
    k = 2.0 ** np.arange(8)
    y = C.mixture_curve(C.BetaMixture(0.4, 0.5, 2.0), "pass_at_k", k)
    e = C.fit_exp_power_law(k, y, 500)
    assert e.asymptote == 1.0 and e.predict([1e12])[0] > 0.99
    g = C.generic_ceilings(k, y, 500)
    assert list(g["method"]) == ["power_saturating", "logistic_log", "exp_power_law"]


# ---------------------------------------------------------------- catch-up


def test_catch_up_is_infinite_above_the_asymptote_and_minimal_below_it():
    mix = C.BetaMixture(0.4, 0.6, 2.0)  # coverage ceiling 0.6
    curve = lambda k: C.mixture_curve(mix, "pass_at_k", k)  # noqa: E731
    above = C.catch_up(curve, 0.6, 0.7, tokens_nr=100.0, tokens_r=500.0)
    assert above["samples_needed"] is None and above["status"] == "ceiling" and above["cost_ratio"] is None
    assert C.catch_up(curve, 0.6, 0.7, asymptote_ci=(0.5, 0.75))["status"] == "ceiling_uncertain"
    ks = []
    for target in (0.3, 0.45, 0.55, 0.59):
        r = C.catch_up(curve, 0.6, target, tokens_nr=100.0, tokens_r=500.0, price_nr=2.0, price_r=3.0)
        k = r["samples_needed"]
        assert r["status"] == "reached"
        assert curve([k])[0] >= target and (k == 1 or curve([k - 1])[0] < target)
        assert r["tokens_needed"] == pytest.approx(k * 100.0)
        assert r["cost_ratio"] == pytest.approx(k * 100.0 * 2.0 / (500.0 * 3.0))
        ks.append(k)
    assert ks == sorted(ks) and ks[-1] > ks[0]
    # a target at the single-sample accuracy needs exactly one sample
    assert C.catch_up(curve, 0.6, mix.mean)["samples_needed"] == 1


def test_majority_vote_bump_is_transient_not_a_catch_up():
    # the right answer is not the most likely one (p = 0.3 < w = 0.35): the vote first rises above its
    # single-sample value while the rival's votes are still scattered among junk, then falls to 0
    p = np.full(4, 0.3)
    w = np.full(4, 0.25)
    curve = lambda k: C.weighted_curve(p, w, "majority_vote", k, SEL)  # noqa: E731
    lim = C.weighted_asymptote(p, w, "majority_vote", SEL)
    assert lim == 0.0
    target = 0.35
    assert curve([1])[0] < target < curve(np.arange(1, 11)).max()
    r = C.catch_up(curve, lim, target, k_max=256)
    assert r["status"] == "transient" and r["samples_needed"] is not None
    assert C.classify_catch_up(r, 10.0) == "unresolved"


def test_samples_to_reach_beyond_the_search_range_is_reported():
    curve = lambda k: 0.9 * (1 - np.power(0.999, k))  # noqa: E731
    k, reason = C.samples_to_reach(curve, 0.8, 0.9, k_max=100)
    assert k is None and reason == "beyond_k_max"
    k, reason = C.samples_to_reach(curve, 0.8, 0.9, k_max=10 ** 6)
    assert reason == "reached" and curve(np.array([k]))[0] >= 0.8 > curve(np.array([k - 1]))[0]


def test_counts_curve_uses_the_unbiased_estimator_then_the_mixture():
    n = np.array([20.0, 20.0, 20.0])
    c = np.array([0.0, 2.0, 10.0])
    k = np.array([1.0, 5.0, 20.0, 100.0])
    mix = C.BetaMixture(0.2, 0.5, 2.0)
    out = C.counts_curve(n, c, "pass_at_k", k, mixture=mix)
    np.testing.assert_allclose(out[:3], sampling.pass_at_k(n[:, None], c[:, None], k[None, :3]).mean(axis=0))
    assert out[3] == pytest.approx(C.mixture_curve(mix, "pass_at_k", [100])[0])
    assert C.counts_asymptote_terms(n, c, "pass_at_k").mean() == pytest.approx(2 / 3)


# ---------------------------------------------------------------- verdict


def test_verdict_rules():
    rows = pd.DataFrame([
        {"aggregation": "pass_at_k", "samples_needed": 3, "cost_ratio": 1.5, "status": "reached"},
        {"aggregation": "pass_at_k", "samples_needed": 4, "cost_ratio": None, "status": "reached"},
        {"aggregation": "majority_vote", "samples_needed": None, "cost_ratio": None, "status": "ceiling"},
        {"aggregation": "majority_vote", "samples_needed": None, "cost_ratio": None, "status": "ceiling_uncertain"},
        {"aggregation": "verifier", "samples_needed": 500, "cost_ratio": 80.0, "status": "reached"},
        {"aggregation": "verifier", "samples_needed": 2, "cost_ratio": 1.0, "status": "reached"},
    ])
    out = [C.classify_catch_up(r, 10.0) for r in rows.to_dict("records")]  # NaN, not None, after the frame
    assert out == ["caught_up", "caught_up", "ceiling", "unresolved", "expensive", "caught_up"]
    per = C.aggregation_verdicts(rows, 10.0, 0.1, 0.5).set_index("aggregation")
    assert per.loc["pass_at_k", "ceiling_status"] == "breaks"
    assert per.loc["majority_vote", "ceiling_status"] == "holds" and per.loc["majority_vote", "resolved"] == 1
    assert per.loc["verifier", "ceiling_status"] == "breaks"  # 1 of 2 caught up = 0.5
    assert C.overall_verdict(per.reset_index()) == "partly supported"
    assert C.overall_verdict(per.reset_index()[per.reset_index()["aggregation"] == "majority_vote"]) == "supported"
    assert C.overall_verdict(per.reset_index()[per.reset_index()["aggregation"] != "majority_vote"]) == "not supported"
    empty = C.aggregation_verdicts(rows.iloc[:0], 10.0, 0.1, 0.5)
    assert C.overall_verdict(empty) == "inconclusive"


# ---------------------------------------------------------------- bad input


def test_bad_parameters_raise_named_errors():
    with pytest.raises(ParameterError, match="pi0"):
        C.BetaMixture(1.0, 1.0, 1.0)
    with pytest.raises(ParameterError, match="positive"):
        C.BetaMixture(0.1, -1.0, 1.0)
    with pytest.raises(ParameterError, match="tpr"):
        C.Selector(0.5, 1.5, 0.1)
    with pytest.raises(ParameterError, match="aggregation"):
        C.mixture_asymptote(0.1, 1.0, 1.0, "best_of_n")
    with pytest.raises(ParameterError, match="not reachable"):
        C.BetaMixture.from_mean(0.9, 0.5, 2.0)
    with pytest.raises(ParameterError, match="whole numbers"):
        C.mixture_curve(C.BetaMixture(0.1, 1.0, 1.0), "pass_at_k", [0.5])
    with pytest.raises(ParameterError, match="counts"):
        C.fit_beta_mixture_counts(np.array([5.0, 5.0]), np.array([6.0, 1.0]))
    with pytest.raises(ParameterError, match="rng"):
        C.bootstrap_counts_fit(np.full(5, 3.0), np.array([0.0, 1.0, 2.0, 3.0, 1.0]), 3, 42)
    with pytest.raises(ParameterError, match="at least 3"):
        C.fit_beta_mixture_curve([1, 2], [0.1, 0.2])
    with pytest.raises(ParameterError, match="parameter count"):
        C.pythia_parameters("GPT-4o")
    assert C.pythia_parameters("Pythia 160M") == 1.6e8 and C.pythia_parameters("Pythia 2.8B") == 2.8e9


GOOD = """model,kind,samples,accuracy,tokens_per_sample,aggregation
R,reasoning,1,0.70,5000,pass_at_k
R,reasoning,4,0.80,5000,pass_at_k
R,reasoning,16,0.86,5000,pass_at_k
N,non_reasoning,1,0.30,800,pass_at_k
N,non_reasoning,4,0.45,800,pass_at_k
N,non_reasoning,16,0.52,800,pass_at_k
N,non_reasoning,4,0.35,800,majority_vote
"""


def _write(tmp_path, text, name="path.csv"):
    p = tmp_path / name
    p.write_text(text)
    return p


def test_reader_accepts_a_good_file_and_defaults_optional_columns(tmp_path):
    df = C.read_scaling_path(_write(tmp_path, GOOD))
    assert list(df.columns) == ["model", "kind", "samples", "accuracy", "tokens_per_sample", "aggregation"]
    assert df["samples"].dtype == "int64" and len(df) == 7
    assert set(df["aggregation"]) == {"pass_at_k", "majority_vote"}
    minimal = C.read_scaling_path(_write(tmp_path, "model,kind,samples,accuracy\nA,reasoning,1,0.5\n"
                                                   "B,non_reasoning,1,0.2\n", "m.csv"))
    assert (minimal["aggregation"] == "pass_at_k").all() and minimal["tokens_per_sample"].isna().all()


@pytest.mark.parametrize("bad, match", [
    (GOOD.replace("R,reasoning,4,0.80", "R,thinking,4,0.80"), r"line 3: column 'kind'"),
    (GOOD.replace("N,non_reasoning,4,0.45", "N,non_reasoning,four,0.45"), r"line 6: column 'samples' = 'four' is not a number"),
    (GOOD.replace("N,non_reasoning,16,0.52", "N,non_reasoning,0,0.52"), r"line 7: column 'samples'"),
    (GOOD.replace("R,reasoning,16,0.86", "R,reasoning,16,1.86"), r"line 4: column 'accuracy'"),
    (GOOD.replace("majority_vote", "best_of_n"), r"line 8: column 'aggregation'"),
    (GOOD.replace("R,reasoning,4,0.80,5000", "R,reasoning,4,0.80,-3"), r"line 3: column 'tokens_per_sample'"),
    (GOOD + "N,non_reasoning,16,0.50,800,pass_at_k\n", r"line 9: duplicate"),
    (GOOD + "N,reasoning,64,0.60,800,pass_at_k\n", r"line 9: model 'N' has kind 'reasoning'"),
    (GOOD.replace("\nR,reasoning,1,0.70", "\n,reasoning,1,0.70"), r"line 2: column 'model' is empty"),
    ("model,kind,samples\nA,reasoning,1\n", r"missing required column"),
    ("model,kind,samples,accuracy\n", r"no data rows"),
    ("model,kind,samples,accuracy\nA,reasoning,1,0.5\n", r"each kind"),
])
def test_reader_rejects_bad_files_naming_the_row(tmp_path, bad, match):
    with pytest.raises(DataError, match=match):
        C.read_scaling_path(_write(tmp_path, bad))


def test_reader_reports_a_missing_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        C.read_scaling_path(tmp_path / "absent.csv")


def test_published_scaling_path_conversion():
    t = pd.DataFrame({"model": ["base", "base", "rl", "rl"], "k": [1, 2, 1, 2], "pass_at_k": [0.5, 0.6, 0.7, 0.72]})
    df = C.published_scaling_path(t, reasoning="rl", non_reasoning="base")
    assert set(df["kind"]) == {"reasoning", "non_reasoning"} and (df["aggregation"] == "pass_at_k").all()
    with pytest.raises(DataError, match="lacks model"):
        C.published_scaling_path(t, reasoning="o1", non_reasoning="base")

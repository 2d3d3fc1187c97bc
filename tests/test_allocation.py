"""Tests of helpers.allocation: closed forms, greedy optimality, budget conservation, the noisy predictor,
efficiency ratios, recovery of known quantities, the user CSV reader and bad input."""
from __future__ import annotations

import itertools
import time
from math import comb

import numpy as np
import pandas as pd
import pytest
from scipy import special

from helpers import allocation as A
from helpers import bootstrap, sampling
from helpers.validate import DataError, ParameterError


def _pops(rng, N=60, n=40):
    """One population of each kind over the same problems (p from a Beta mixture)."""
    p = sampling.sample_beta_mixture(N, 0.6, 4.0, 0.25, rng)
    c = rng.binomial(n, p)
    cost = rng.uniform(0.5, 3.0, N)
    return {"known": A.ProbPopulation(p, cost),
            "replay": A.CountPopulation(np.full(N, n), c, cost, mode="replay"),
            "plugin": A.CountPopulation(np.full(N, n), c, cost, mode="plugin"),
            "posterior": A.CountPopulation(np.full(N, n), c, cost, mode="posterior")}


# ---------------------------------------------------------------- closed forms

def test_coverage_and_geometric_closed_forms(rng):
    p = np.array([0.0, 1e-4, 0.05, 0.3, 0.9, 1.0])
    pop = A.ProbPopulation(p)
    for K in (0, 1, 2, 7, 40):
        assert np.allclose(pop.success(np.full(p.size, K)), sampling.coverage(p, K))
        brute = np.array([sum((1 - q) ** j for j in range(K)) for q in p])
        assert np.allclose(pop.stop_cost(K), brute)
        # counts of gains above a threshold match brute force over k
        thr = 10.0 ** -rng.uniform(0.5, 6)
        gains = p[:, None] * (1 - p[:, None]) ** np.arange(2000)[None, :]
        assert np.array_equal(pop.count(np.log(thr), 2000), (gains >= thr).sum(axis=1))


def test_replay_closed_forms_match_combinatorics():
    n = np.array([10, 10, 10, 7, 20])
    c = np.array([0, 1, 5, 7, 3])
    pop = A.CountPopulation(n, c, mode="replay")
    for K in (0, 1, 2, 5, 10, 15):
        brute = np.array([sum(comb(nn - cc, j) / comb(nn, j) for j in range(min(K, nn))) for nn, cc in zip(n, c)])
        assert np.allclose(pop.stop_cost(K), brute)
    ks = np.arange(0, 9)
    S = np.stack([pop.success(np.full(5, k)) for k in ks])
    G = np.exp(np.stack([pop.log_gain(np.full(5, k)) for k in ks[:-1]]))
    assert np.allclose(np.diff(S, axis=0), G, atol=1e-12)
    assert np.allclose(pop.success(np.full(5, 3)), sampling.pass_at_k(n, c, 3))


@pytest.mark.parametrize("a,b", [(0.3, 5.0), (1.0, 3.0), (2.5, 1.2), (1 + 1e-10, 4.0)])
def test_beta_geometric_partial_sum(a, b):
    for K in (1, 3, 50):
        brute = sum(np.exp(special.betaln(a, b + j) - special.betaln(a, b)) for j in range(K))
        assert A.beta_geometric_partial_sum(a, b, K) == pytest.approx(brute, rel=1e-8)


def test_posterior_gains_are_differences_of_success(rng):
    pop = _pops(rng)["posterior"]
    ks = np.arange(0, 30)
    S = np.stack([pop.success(np.full(pop.n_problems, k)) for k in ks])
    G = np.exp(np.stack([pop.log_gain(np.full(pop.n_problems, k)) for k in ks[:-1]]))
    assert np.allclose(np.diff(S, axis=0), G, atol=1e-12)
    assert np.all(np.diff(G, axis=0) <= 1e-15)  # concave: gains never grow


def test_posterior_early_stop_cost_matches_monte_carlo(rng):
    a, b, K = 0.7, 3.0, 20
    p = rng.beta(a, b, 400_000)
    G = rng.geometric(p)
    assert np.minimum(G, K).mean() == pytest.approx(float(A.beta_geometric_partial_sum(a, b, K)), rel=0.01)


# ---------------------------------------------------------------- greedy optimality

def _brute_best(success_fn, N, T):
    best = -1.0
    for ks in itertools.product(range(T + 1), repeat=N):
        if sum(ks) == T:
            best = max(best, float(success_fn(np.array(ks, dtype=float)).sum()))
    return best


@pytest.mark.parametrize("kind", ["known", "replay", "posterior"])
def test_greedy_is_optimal_against_brute_force(kind, rng):
    for trial in range(25):
        N, T = 3, int(rng.integers(0, 9))
        if kind == "known":
            p = rng.choice([0.0, 0.05, 0.2, 0.5, 0.9, 1.0], N) if trial % 2 else rng.random(N)
            pop = A.ProbPopulation(p)
        else:
            n = rng.integers(8, 12, N)
            pop = A.CountPopulation(n, rng.binomial(n, rng.random(N) * 0.5), mode=kind,
                                    prior=(0.5, 3.0, 0.2) if kind == "posterior" else None)
        f = A.fill_population(pop, T, rng)
        assert f.k.sum() == T
        assert pop.success(f.k).sum() == pytest.approx(_brute_best(pop.success, N, T), abs=1e-12)
        if kind == "known":
            g = A.water_fill(pop.p, T, rng=rng)
            assert pop.success(g.k).sum() == pytest.approx(_brute_best(pop.success, N, T), abs=1e-12)


def test_water_filling_matches_an_independent_lagrangian_optimizer(rng):
    p = sampling.sample_beta_mixture(500, 0.5, 5.0, 0.2, rng)
    S = A.success_table(p, 256)
    for B in (1, 4, 16):
        k_wf = A.water_fill(p, B * p.size, rng=rng).k
        k_lg = A.lagrangian_table_allocation(S, B * p.size, rng=rng)
        assert sampling.coverage(p, k_wf).mean() >= sampling.coverage(p, k_lg).mean() - 1e-12


def test_binned_with_one_problem_per_bin_is_the_oracle(rng):
    pop = A.ProbPopulation(sampling.sample_beta_mixture(40, 0.5, 5.0, 0.2, rng))
    for B in (1.0, 3.0, 17.0):
        o = A.oracle_greedy(pop, B, rng).accuracy
        b = A.binned_predicted(pop, B, np.arange(40), rng).accuracy
        assert b == pytest.approx(o, abs=1e-12)


@pytest.mark.parametrize("kind", ["known", "replay", "plugin", "posterior"])
def test_binned_counts_from_the_table_equal_the_bisection_on_the_curves(kind, rng, monkeypatch):
    """The bin curves' table of log G_j(k) holds the same numbers as evaluating the curves, so counts and the
    whole binned policy are identical with it and without it (TABLE_FACTOR 0: always bisect on the curves),
    with a leading replicate axis too."""
    from helpers.allocation import waterfill

    pop = _pops(rng, N=60, n=40)[kind]
    bins = A.quantile_bins(A.noisy_score(pop.p_point, 1.0, rng), 4, rng)
    idx = rng.integers(0, 60, size=(3, 60))
    popR, binsR = pop.take(idx), bins[idx]
    loglam = np.linspace(-12.0, 0.5, 9)[:, None]  # (9, 1): every replicate at every threshold
    budgets = [1, 2.5, 7, 16, 33.3]

    def both():
        bc = waterfill.bin_curves(popR, binsR)
        return (bc.counts(loglam, np.full((9, 3), 60.0 * 16)),
                A.binned_predicted(pop, budgets, bins, np.random.default_rng(5)).k, bc._table is not None)

    table = both()
    assert table[2] and table[0].shape == (9, 3, 4)  # the table was used
    assert (table[0] > 0).any() and (table[0] < 60 * 16).all()  # thresholds inside the curves' range
    monkeypatch.setattr(waterfill, "TABLE_FACTOR", 0)
    curves = both()
    assert not curves[2]
    assert np.array_equal(table[0], curves[0]) and np.array_equal(table[1], curves[1])


def test_oracle_beats_every_fixed_allocation(rng):
    pop = A.ProbPopulation(sampling.sample_beta_mixture(2000, 0.5, 5.0, 0.2, rng))
    bins = A.quantile_bins(A.noisy_score(pop.p, 1.0, rng), 5, rng)
    res = A.run_policies(pop, [1, 4, 16, 64, 256], rng, bins=bins)
    assert np.all(res["oracle_greedy"].accuracy >= res["uniform"].accuracy - 1e-12)
    assert np.all(res["oracle_greedy"].accuracy >= res["binned_predicted"].accuracy - 1e-12)
    for r in res.values():  # more budget never hurts under coverage
        assert np.all(np.diff(r.accuracy) > 0)


# ---------------------------------------------------------------- budget conservation

@pytest.mark.parametrize("kind", ["known", "replay", "plugin", "posterior"])
def test_every_policy_spends_its_budget_within_one_sample(kind, rng):
    pop = _pops(rng, N=60, n=40)[kind]
    bins = A.quantile_bins(A.noisy_score(pop.p_point, 1.0, rng), 4, rng)
    budgets = [1, 2.5, 7, 16, 33.3] if kind != "replay" else [1, 2.5, 7, 16, 33.3, 40]
    res = A.run_policies(pop, budgets, rng, bins=bins)
    for name, r in res.items():
        err = np.abs(r.spent_total - r.total)
        # early stopping may be unable to spend everything (every problem solved or its logged samples used up):
        # then it says so, and spends less, never more
        sat = np.asarray(r.info.get("saturated", np.zeros(err.shape, bool)))
        assert np.all((err <= pop.cost.max() + 1e-9) | (sat & (r.spent_total <= r.total))), (name, err)
        if name != "early_stop":
            assert not sat.any()
        if pop.cap is not None:
            assert np.all(r.k <= pop.cap + 1e-9), name


def test_conservation_with_leading_replicate_axis(rng):
    pop = _pops(rng, N=50)["known"]
    idx = rng.integers(0, 50, size=(7, 50))
    popR = A.with_budget_axis(pop.take(idx))
    bins = A.quantile_bins(A.noisy_score(pop.p, 1.0, rng), 5, rng)[idx][:, None, :]
    B = np.array([2.0, 8.0, 32.0])
    for name in A.POLICIES:
        r = A.run_policy(name, popR, B, rng, bins=bins)
        assert r.spent_total.shape == (7, 3)
        assert np.all(np.abs(r.spent_total - r.total) <= pop.cost.max() + 1e-9), name
        if name == "oracle_greedy":  # the same allocation problem row by row gives the same accuracy
            for i in range(7):
                single = A.oracle_greedy(pop.take(idx[i]), 8.0, rng).accuracy
                assert r.accuracy[i, 1] == pytest.approx(single, abs=1e-12)


def test_uniform_gives_whole_samples_and_an_exact_total(rng):
    pop = A.ProbPopulation(rng.random(101))
    r = A.uniform_allocation(pop, 3.37, rng)
    assert set(np.unique(r.k)) <= {3.0, 4.0}
    assert r.k.sum() == np.floor(3.37 * 101)


def test_early_stop_closed_form_matches_simulation(rng):
    p = sampling.sample_beta_mixture(20000, 0.5, 5.0, 0.2, rng)
    r = A.early_stop(A.ProbPopulation(p), 32, rng)
    G = np.where(p > 0, rng.geometric(np.where(p > 0, p, 0.5)), np.iinfo(np.int64).max)
    se = np.std(np.minimum(G, r.k)) / np.sqrt(p.size)
    assert abs(np.minimum(G, r.k).mean() - r.spent.mean()) < 4 * se
    assert abs((G <= r.k).mean() - r.accuracy) < 4 * np.sqrt(r.accuracy * (1 - r.accuracy) / p.size)


def test_probe_expected_success_matches_monte_carlo(rng):
    p = sampling.sample_beta_mixture(3000, 0.5, 3.0, 0.2, rng)
    pop = A.ProbPopulation(p)
    r = A.probe_then_allocate(pop, 16, 4, rng)
    # realized: solved in the probe, or solved by the extra samples the problem received
    X = rng.binomial(4, np.broadcast_to(p, (200, p.size)))
    # the allocation among unsolved problems is (nearly) equal: use the policy's level for a Monte Carlo check
    level = np.median(r.k[r.k > 4]) - 4
    mc = np.mean((X >= 1) | (rng.random(X.shape) < sampling.coverage(p, level)))
    assert r.accuracy == pytest.approx(mc, abs=0.01)


# ---------------------------------------------------------------- the noisy predictor

def test_noisy_predictor_degrades_toward_uniform(rng):
    pop = A.ProbPopulation(sampling.sample_beta_mixture(10000, 0.5, 5.0, 0.2, rng))
    sweep = A.noise_sweep(pop, [0, 1, 2, 8, 64], [16, 64], rng)
    r = sweep.groupby("noise")["ratio"].mean()
    assert r[0] > r[1] > r[2] > r[8]
    assert r[0] > 1.3
    assert abs(r[64] - 1) < 0.02  # random bins: every bin's curve is the population's, so uniform
    assert np.all(sweep["ratio"] >= 1 - 1e-3)  # bin-constant greedy is never worse than uniform
    rho = sweep.groupby("noise")["spearman"].first()
    assert rho[0] > 0.95 and abs(rho[64]) < 0.1


def test_quantile_bins_are_balanced_and_ordered(rng):
    s = rng.random(1000)
    b = A.quantile_bins(s, 5, rng)
    assert np.all(np.bincount(b) == 200)
    assert np.all(np.diff([s[b == j].mean() for j in range(5)]) > 0)


# ---------------------------------------------------------------- curves and ratios

def test_invert_curve_and_ratio():
    grid = np.array([1.0, 2, 4, 8, 16, 32])
    U = 0.1 * np.log2(grid) + 0.2  # log-linear: interpolation in log budget is exact
    assert np.allclose(A.invert_curve(grid, U, [0.3, 0.45, 0.65]), [2.0, 2 ** 2.5, 2 ** 4.5])
    assert np.isinf(A.invert_curve(grid, U, 0.9))
    assert A.invert_curve(grid, U, 0.1) == pytest.approx(0.5)  # linear from the origin below the grid
    assert np.allclose(A.efficiency_ratio(grid, U, U[[1, 3]], [2, 8]), 1.0)
    assert A.efficiency_ratio(grid, U, [0.5], [4])[0] == pytest.approx(2.0)
    # plateau: every policy at the ceiling counts as equal, not as a ratio below 1
    flat = np.array([0.2, 0.5, 0.5, 0.5, 0.5, 0.5])
    assert np.allclose(A.efficiency_ratio(grid, flat, [0.5, 0.5], [8, 32]), 1.0)


def test_uniform_curve_with_weights_equals_resampled_curve(rng):
    pop = A.ProbPopulation(rng.random(30))
    idx = rng.integers(0, 30, size=(4, 30))
    W = bootstrap.counts_of(idx, 30)
    grid = A.integer_grid(100)
    U = A.uniform_curve(pop, grid, W)
    for i in range(4):
        assert np.allclose(U[i], A.uniform_curve(pop.take(idx[i]), grid))


def test_integer_grid_contains_powers_of_two():
    g = A.integer_grid(65536)
    assert set(2.0 ** np.arange(17)) <= set(g)
    assert np.all(np.diff(g) > 0) and g[0] == 1 and g[-1] == 65536


# ---------------------------------------------------------------- recovery and the dataset evaluation

def test_prior_fit_recovers_known_mixture(rng):
    p = sampling.sample_beta_mixture(4000, 0.6, 4.0, 0.3, rng)
    n = np.full(p.size, 25)
    a, b, pi0 = A.fit_zero_inflated_beta(n, rng.binomial(n, p))
    assert a == pytest.approx(0.6, rel=0.25)
    assert a / (a + b) == pytest.approx(0.6 / 4.6, rel=0.1)
    assert pi0 == pytest.approx(0.3, abs=0.06)


def test_replay_is_unbiased_for_coverage(rng):
    p = sampling.sample_beta_mixture(4000, 0.5, 5.0, 0.2, rng)
    n = 128
    truth = sampling.coverage(p[None, :], np.array([1, 16, 64, 128])[:, None]).mean(axis=1)
    est = np.array([A.CountPopulation(np.full(p.size, n), rng.binomial(n, p), mode="replay")
                    .success(np.array([1, 16, 64, 128])[:, None]).mean(axis=1) for _ in range(20)])
    se = est.std(axis=0) / np.sqrt(est.shape[0])
    assert np.all(np.abs(est.mean(axis=0) - truth) < 4 * se + 1e-4)


def test_evaluate_dataset_interval_covers_the_population_value(rng):
    a, b, pi0 = 0.5, 5.0, 0.2
    pop = A.ProbPopulation(sampling.sample_beta_mixture(3000, a, b, pi0, rng))
    bins = A.quantile_bins(A.noisy_score(pop.p, 1.0, rng), 5, rng)
    res = A.evaluate_dataset("syn", {"m": pop}, [4, 16, 64], rng, bins={"m": bins}, n_boot=100, share_budget=16)
    u = res.curves[res.curves["policy"] == "uniform"].set_index("mean_budget")
    truth = sampling.beta_coverage(np.array([4, 16, 64]), a, b, pi0)
    assert np.all((u["accuracy_lo"].to_numpy() <= truth) & (truth <= u["accuracy_hi"].to_numpy()))
    r = res.ratios.set_index(["policy", "mean_budget"])
    assert np.allclose(r.loc["uniform", "ratio"], 1.0)
    assert np.all(r.loc["oracle_greedy", "ratio_lo"] > 1)
    shares = res.shares.groupby("policy")["share"].sum()
    assert np.allclose(shares, 1.0)
    # the oracle abandons problems it knows are unsolvable
    s = res.shares.set_index(["policy", "bin"])["share"]
    assert s[("oracle_greedy", "unsolvable")] == 0.0 and s[("uniform", "unsolvable")] > 0.1


def test_evaluate_dataset_is_deterministic_and_pools_models():
    def run(seed):
        rng = np.random.default_rng(seed)
        pops, bins = {}, {}
        for m in ("a", "b"):
            n = np.full(40, 300)
            pops[m] = A.CountPopulation(n, rng.binomial(n, rng.beta(0.5, 5, 40)), mode="replay")
            bins[m] = A.quantile_bins(pops[m].p_point, 4, rng)
        ids = {m: np.array([f"q{i}" for i in range(40)]) for m in pops}
        return A.evaluate_dataset("d", pops, [2, 16, 64], rng, bins=bins, ids=ids, n_boot=30, share_budget=16)

    r1, r2 = run(5), run(5)
    pd.testing.assert_frame_equal(r1.curves, r2.curves)
    pd.testing.assert_frame_equal(r1.ratios, r2.ratios)
    assert A.POOLED in set(r1.curves["model"])
    pooled = r1.curves[r1.curves["model"] == A.POOLED].set_index(["policy", "mean_budget"])["accuracy"]
    per = r1.curves[r1.curves["model"] != A.POOLED].groupby(["policy", "mean_budget"])["accuracy"].mean()
    assert np.allclose(pooled.sort_index(), per.sort_index())


def test_ten_thousand_problems_at_1024_samples_without_a_loop_per_sample(rng):
    pop = A.ProbPopulation(sampling.sample_beta_mixture(10000, 0.5, 5.0, 0.2, rng))
    bins = A.quantile_bins(A.noisy_score(pop.p, 1.0, rng), 5, rng)
    t = time.perf_counter()
    res = A.run_policies(pop, [256, 1024], rng, bins=bins)
    assert time.perf_counter() - t < 30  # ~10 million samples: a per-sample Python loop would take minutes
    assert all(np.allclose(r.spent_total, r.total, atol=1) for r in res.values())


# ---------------------------------------------------------------- selectors, shifts and the verdict

def test_majority_vote_breaks_the_coverage_allocation(rng):
    p = sampling.sample_beta_mixture(300, 0.5, 5.0, 0.2, rng)
    t = A.selector_comparison(p, [2, 8], 32, rng, {"cov": ("coverage", {}),
                                                    "mv": ("majority", {"wrong_concentration": 0.9})})
    cov = t[t["selector"] == "cov"]
    assert np.allclose(cov["coverage_allocation"], cov["selector_optimum"], atol=1e-12)
    mv = t[t["selector"] == "mv"]
    assert np.all(mv["selector_optimum"] >= mv[["uniform", "coverage_allocation"]].max(axis=1) - 1e-12)
    assert np.all(mv["optimum_spend"] <= mv["mean_budget"] + 1e-9)


def test_describe_shift_labels():
    u = {"easy": 0.3, "medium": 0.3, "hard": 0.2, "unsolvable": 0.2}
    assert A.describe_shift({"easy": 0.2, "medium": 0.5, "hard": 0.3, "unsolvable": 0.0}, u)["label"] == "triage"
    assert A.describe_shift({"easy": 0.1, "medium": 0.2, "hard": 0.3, "unsolvable": 0.4}, u)["label"] == "harder"
    assert A.describe_shift(u, u)["label"] == "mixed"


# ---------------------------------------------------------------- user CSV and bad input

def _write(tmp_path, text, name="p.csv"):
    f = tmp_path / name
    f.write_text(text)
    return f


def test_read_problems_csv_good(tmp_path):
    f = _write(tmp_path, "problem_id,n_samples,n_correct,model,difficulty_label,cost\n"
                         "a,10,2,m1,easy,1.5\nb,10,0,m1,hard,2\na,10,5,m2,easy,1\n")
    df = A.read_problems_csv(f)
    assert list(df.columns) == ["model", "problem_id", "difficulty_label", "n_samples", "n_correct", "cost", "kind"]
    assert df["n_samples"].dtype == "int64" and df["cost"].dtype == "float64"
    g = _write(tmp_path, "problem_id,n_samples,n_correct\na,10,2\n", "min.csv")
    d = A.read_problems_csv(g)
    assert d["model"].iloc[0] == "all" and d["cost"].iloc[0] == 1.0


@pytest.mark.parametrize("text,needle", [
    ("problem_id,n_samples,n_correct\na,10,2\nb,10,12\n", "line 3: column 'n_correct' = 12 exceeds n_samples"),
    ("problem_id,n_samples,n_correct\na,10,2\nb,10,-1\n", "line 3: column 'n_correct' = -1 is negative"),
    ("problem_id,n_samples,n_correct\na,-4,0\n", "line 2: column 'n_samples' = -4 is not positive"),
    ("problem_id,n_samples,n_correct,model\na,10,2,m\nb,10,1,m\na,10,3,m\n", "line 4: duplicate problem_id 'a'"),
    ("problem_id,n_samples,n_correct\na,ten,2\n", "line 2: column 'n_samples' = 'ten' is not a number"),
    ("problem_id,n_samples,n_correct\na,10,2.5\n", "line 2: column 'n_correct' = 2.5 is not a whole number"),
    ("problem_id,n_samples,n_correct,cost\na,10,2,0\n", "line 2: column 'cost' = 0"),
    ("problem_id,n_samples,n_correct\n,10,2\n", "line 2: column 'problem_id' is empty"),
    ("problem_id,n_correct\na,2\n", "missing required column(s) ['n_samples']"),
    ("problem_id,n_samples,n_correct\n", "has no data rows"),
    ("", "cannot be read as CSV"),
])
def test_read_problems_csv_bad_rows_are_named(tmp_path, text, needle):
    with pytest.raises(DataError, match=None) as exc:
        A.read_problems_csv(_write(tmp_path, text))
    assert needle in str(exc.value)


def test_same_problem_id_in_two_models_is_fine_and_missing_file_errors(tmp_path):
    A.read_problems_csv(_write(tmp_path, "problem_id,n_samples,n_correct,model\na,5,1,x\na,5,2,y\n"))
    with pytest.raises(DataError, match="no such file"):
        A.read_problems_csv(tmp_path / "absent.csv")


def test_bad_parameters_raise(rng):
    pop = A.ProbPopulation(rng.random(10))
    with pytest.raises(ParameterError, match="rng"):
        A.uniform_allocation(pop, 4, np.random.RandomState(0))
    with pytest.raises(ParameterError, match="budget"):
        A.oracle_greedy(pop, -1, rng)
    with pytest.raises(ParameterError, match="probe size"):
        A.probe_then_allocate(pop, 8, 0, rng)
    with pytest.raises(ParameterError, match="n_bins"):
        A.quantile_bins(rng.random(10), 0, rng)
    with pytest.raises(ParameterError, match="noise"):
        A.noisy_score(rng.random(10), -1.0, rng)
    with pytest.raises(ParameterError, match="thresholds"):
        A.difficulty_bin([0.1], 0.5, 0.2)
    with pytest.raises(ParameterError, match="policy"):
        A.run_policy("bogus", pop, 4, rng)
    with pytest.raises(ParameterError, match="bins"):
        A.run_policy("binned_predicted", pop, 4, rng)
    with pytest.raises(ParameterError, match="0 <= c <= n"):
        A.CountPopulation([5, 5], [6, 1])
    with pytest.raises(ParameterError, match="mode"):
        A.CountPopulation([5], [1], mode="magic")
    with pytest.raises(ParameterError, match="cost"):
        A.ProbPopulation([0.5, 0.5], cost=[1.0, 0.0])
    with pytest.raises(ParameterError, match="p must lie"):
        A.ProbPopulation([0.5, 1.5])
    replay = A.CountPopulation([8, 8], [1, 2], mode="replay")
    with pytest.raises(ParameterError, match="exceeds the logged samples"):
        A.uniform_allocation(replay, 9, rng)
    with pytest.raises(ParameterError, match="exceed the uniform curve's range"):
        A.evaluate_dataset("d", {"m": replay}, [4, 16], rng, bins={"m": np.zeros(2, int)}, share_budget=4)
    with pytest.raises(ParameterError, match="share budget"):
        A.evaluate_dataset("d", {"m": pop}, [4, 16], rng, bins={"m": np.zeros(10, int)}, share_budget=8)

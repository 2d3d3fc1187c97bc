"""helpers.variance: Shapley algebra, closed-form recovery, bootstrap, mechanisms, loaders' frames, user CSV."""
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from helpers import bootstrap
from helpers import datasets as D
from helpers import registry
from helpers import variance as V
from helpers.variance import gram as VG
from helpers.validate import DataError, ParameterError

GROUPS3 = ["tokens", "tool_calls", "model"]
TRUTH = dict(b_tok=1.0, b_call=0.5, model_effects=[-1.0, 0.0, 1.0], noise_sd=1.0)


# ---------------------------------------------------------------- Shapley algebra


def test_shapley_weights_are_efficient_and_symmetric(rng):
    for p in (1, 2, 3, 4):
        Phi = V.shapley_matrix(p)
        r2 = np.r_[0.0, rng.random(2 ** p - 1)]
        shares = r2 @ Phi
        assert shares.sum() == pytest.approx(r2[-1])  # efficiency: shares add up to the full R²
    # additive value function: each share is the group's own contribution
    contrib = np.array([0.1, 0.25, 0.05])
    r2 = np.array([sum(contrib[g] for g in range(3) if m >> g & 1) for m in range(8)])
    assert r2 @ V.shapley_matrix(3) == pytest.approx(contrib)
    # two groups: closed form (R2_1 - R2_2 + R2_12) / 2
    r1, r2_, r12 = 0.3, 0.2, 0.4
    s = V.shapley({frozenset(): 0, frozenset(["a"]): r1, frozenset(["b"]): r2_, frozenset(["a", "b"]): r12}, ["a", "b"])
    assert s["a"] == pytest.approx((r1 - r2_ + r12) / 2) and s["b"] == pytest.approx((r2_ - r1 + r12) / 2)
    with pytest.raises(ParameterError):
        V.shapley_matrix(0)
    with pytest.raises(ParameterError):
        V.shapley_matrix(V.MAX_GROUPS + 1)


# ---------------------------------------------------------------- closed-form recovery


def test_independent_predictors_recover_variance_contributions(rng):
    df = V.simulate_linear_groups(rng, 6000, rho=0.0, n_tasks=300, **TRUTH)
    att = V.attribute(df, GROUPS3, n_boot=200, rng=rng)
    cf = V.closed_form_two_predictors(rho=0.0, **TRUTH)
    for i, g in enumerate(GROUPS3):
        se = att.boot_shares[:, i].std()
        assert abs(att.shares[g] - cf["shares"][g]) <= 3 * se, (g, att.shares[g], cf["shares"][g], se)
        assert att.shares[g] == pytest.approx(cf["shares"][g], abs=0.02)
        assert att.alone_r2[g] == pytest.approx(att.shares[g], abs=0.01)  # independent: alone = share
    assert sum(att.shares.values()) == pytest.approx(att.r2_total)
    assert att.r2_total == pytest.approx(cf["r2_total"], abs=0.02)


def test_bootstrap_intervals_cover_closed_form_at_about_their_level():
    """Over repeated simulations the percentile intervals cover the closed-form shares near their level."""
    cf = V.closed_form_two_predictors(rho=0.5, **TRUTH)
    hits = []
    for r in range(30):
        rng = np.random.default_rng(1000 + r)
        df = V.simulate_linear_groups(rng, 1000, rho=0.5, n_tasks=100, **TRUTH)
        att = V.attribute(df, GROUPS3, n_boot=80, rng=rng, level=0.9)
        hits += [att.shares_ci[g][0] <= cf["shares"][g] <= att.shares_ci[g][1] for g in GROUPS3]
    assert 0.75 <= np.mean(hits) <= 0.99, np.mean(hits)


def test_correlated_predictors_alone_exceeds_shapley_share(rng):
    rho = 0.8
    df = V.simulate_linear_groups(rng, 6000, rho=rho, n_tasks=300, **TRUTH)
    att = V.attribute(df, GROUPS3, n_boot=200, rng=rng)
    cf = V.closed_form_two_predictors(rho=rho, **TRUTH)
    for g in ("tokens", "tool_calls"):
        assert cf["alone"][g] > cf["shares"][g]  # the closed form says so...
        assert att.alone_ci[g][0] > att.shares_ci[g][1]  # ...and the estimates separate clearly
        assert att.alone_r2[g] == pytest.approx(cf["alone"][g], abs=0.03)
        assert att.shares[g] == pytest.approx(cf["shares"][g], abs=0.03)
    # the sum of alone R² over-counts the shared variance; Shapley shares add up to the total
    assert sum(att.alone_r2.values()) > att.r2_total + 0.3
    assert sum(att.shares.values()) == pytest.approx(att.r2_total)


# ---------------------------------------------------------------- Gram path = statsmodels, bootstrap = duplicated rows


def _small_runs(rng, n_tasks=30):
    sim = V.simulate_runs(rng, n_tasks=n_tasks, capabilities={"A": -0.5, "B": 0.5}, log2_budgets=[12, 14, 16])
    return V.prepare(sim)


def test_gram_r2_matches_statsmodels_at_both_units(rng):
    runs = _small_runs(rng)
    for unit, frame in (("run", runs), ("config", V.aggregate_configs(runs))):
        ols = V.r2_subsets_ols(frame, GROUPS3)
        gram = V.gram_r2_point(runs, GROUPS3, unit)
        for S in ols:
            assert gram[S] == pytest.approx(ols[S], abs=1e-9), (unit, S)


def test_cluster_bootstrap_equals_refit_on_duplicated_tasks(rng):
    runs = _small_runs(rng)
    W = V.cluster_weights(runs["task"].to_numpy(), 3, np.random.default_rng(5))
    K = runs["task"].nunique()
    # conservation: K tasks drawn per resample; every run carries its task's count
    counts = pd.DataFrame(W.T).groupby(runs["task"].to_numpy()).first()
    assert (counts.sum(axis=0) == K).all()
    assert np.all(W == counts.loc[runs["task"]].to_numpy().T)
    Z, cols = V.design(runs, GROUPS3)
    G = VG._gram_runs(Z, W)
    r2 = V.subset_r2_from_gram(G, cols)
    Gc = VG._gram_configs(Z, W, pd.Categorical(runs["config"], categories=V.aggregate_configs(runs)["config"]).codes,
                         runs["config"].nunique())
    r2c = V.subset_r2_from_gram(Gc, cols)
    for b in range(W.shape[0]):
        dup = runs.loc[runs.index.repeat(W[b].astype(int))].reset_index(drop=True)
        full = frozenset(GROUPS3)
        assert r2[b, -1] == pytest.approx(V.r2_subsets_ols(dup, GROUPS3)[full], abs=1e-8)
        cfg = V.aggregate_configs(dup)
        assert r2c[b, -1] == pytest.approx(V.r2_subsets_ols(cfg, GROUPS3)[full], abs=1e-8)


def test_clustered_grams_equal_the_run_weighted_ones(rng):
    # the fast path (per-cluster Gram matrices combined by cluster counts) is the same algebra
    runs = _small_runs(rng)
    counts, codes = V.cluster_counts(runs["task"].to_numpy(), 4, np.random.default_rng(2))
    W = V.cluster_weights(runs["task"].to_numpy(), 4, np.random.default_rng(2))
    assert np.array_equal(W, counts[:, codes])
    Z, _ = V.design(runs, GROUPS3)
    np.testing.assert_allclose(VG._gram_runs_clustered(Z, codes, counts), VG._gram_runs(Z, W), rtol=1e-10, atol=1e-8)
    cfg = np.asarray(pd.Categorical(runs["config"], categories=V.aggregate_configs(runs)["config"]).codes)
    np.testing.assert_allclose(VG._gram_configs_clustered(Z, codes, counts, cfg, runs["config"].nunique()),
                               VG._gram_configs(Z, W, cfg, runs["config"].nunique()), rtol=1e-10, atol=1e-8)


def test_attribution_resamples_tasks_through_the_study_bootstrap(rng):
    # one bootstrap for the study: the resamples are helpers.bootstrap's task counts, weighting each run
    runs = _small_runs(rng)
    a = V.attribute(runs, GROUPS3, n_boot=7, rng=np.random.default_rng(4))
    counts, codes = bootstrap.cluster_counts(runs["task"].to_numpy(), 7, np.random.default_rng(4))
    assert (counts.sum(axis=1) == runs["task"].nunique()).all()
    Z, cols = V.design(runs, GROUPS3)
    r2 = V.subset_r2_from_gram(VG._gram_runs(Z, counts[:, codes]), cols)
    np.testing.assert_allclose(a.boot_alone, r2[:, [1, 2, 4]], rtol=1e-8, atol=1e-10)


def test_bootstrap_is_seeded_and_sized(rng):
    runs = _small_runs(rng)
    a = V.attribute(runs, GROUPS3, n_boot=25, rng=np.random.default_rng(1))
    b = V.attribute(runs, GROUPS3, n_boot=25, rng=np.random.default_rng(1))
    c = V.attribute(runs, GROUPS3, n_boot=25, rng=np.random.default_rng(2))
    assert a.boot_shares.shape == (25, 3) and a.n_boot == 25 and a.cluster == "task"
    assert np.array_equal(a.boot_shares, b.boot_shares)
    assert not np.array_equal(a.boot_shares, c.boot_shares)
    assert a.shares == c.shares  # point estimates do not depend on the resamples


# ---------------------------------------------------------------- simulator: mechanisms and designs


def test_usage_mechanism_flips_within_task_sign_while_budget_helps():
    kw = dict(n_tasks=150, capabilities={"A": -1.0, "B": 0.0, "C": 1.0}, log2_budgets=[14, 14.5, 15, 15.5, 16],
              token_effect=0.35, loop_effect=1.5)
    budget = V.prepare(V.simulate_runs(np.random.default_rng(11), mechanism="budget", **kw))
    usage = V.prepare(V.simulate_runs(np.random.default_rng(11), mechanism="usage", **kw))
    wb = V.within_coefficient(budget, "task", ["model"])
    wu = V.within_coefficient(usage, "task", ["model"])
    assert wb["ci"][0] > 0, wb
    assert wu["ci"][1] < 0, wu
    # the budget still helps under usage: success rises with the designed budget
    rate = usage.groupby("log2_budget")["score"].mean()
    assert rate.iloc[-1] > rate.iloc[0]
    # conservation of the design: the simulator spends exactly the budgets given (before noise / loops)
    assert set(budget["log2_budget"]) == set(kw["log2_budgets"])
    assert np.allclose(np.log2(budget["tokens"]).groupby(budget["log2_budget"]).mean().index, kw["log2_budgets"])


def test_token_share_grows_with_budget_spread_and_unit():
    vals = []
    for spread in (0.5, 3.0, 8.0):
        runs = V.prepare(V.simulate_runs(np.random.default_rng(3), n_tasks=120, capabilities={"B": 0.0, "C": 1.0},
                                         log2_budgets=list(14 + np.linspace(0, spread, 5))))
        cfg = V.attribute(runs, GROUPS3, unit="config", n_boot=20, rng=np.random.default_rng(0))
        run = V.attribute(runs, GROUPS3, unit="run", n_boot=20, rng=np.random.default_rng(0))
        vals.append(cfg.alone_r2["tokens"])
        assert run.alone_r2["tokens"] < cfg.alone_r2["tokens"]  # run noise caps the run unit
    assert vals[0] < vals[1] < vals[2]
    assert vals[2] > 0.6 and vals[0] < 0.15


def test_explainable_ceiling_bounds_run_level_r2(rng):
    sim = V.simulate_runs(rng, n_tasks=100, capabilities={"B": 0.0, "C": 1.0}, log2_budgets=[10, 14, 18])
    ceil = V.explainable_ceiling(sim)
    att = V.attribute(V.prepare(sim), GROUPS3, n_boot=10, rng=rng)
    assert 0 < ceil < 1
    assert att.r2_total <= ceil + 0.02


def test_upgrade_vs_doubling_closed_form_and_recovery():
    # no difficulty spread: exact logistic differences
    u = V.upgrade_vs_doubling(0.0, 1.0, 0.35, 0.0)
    expit = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731
    assert u["gain_upgrade"] == pytest.approx(expit(1.0) - 0.5)
    assert u["gain_doubling"] == pytest.approx(expit(0.35) - 0.5)
    assert u["doublings_equivalent"] == pytest.approx(1 / 0.35)
    sim = V.simulate_runs(np.random.default_rng(4), n_tasks=200, capabilities={"B": 0.0, "C": 1.0},
                          log2_budgets=[12, 14, 16, 18, 20], token_effect=0.35)
    f = V.fitted_upgrade_vs_doubling(sim, "B", "C")
    assert f["token_effect_ci"][0] <= 0.35 <= f["token_effect_ci"][1]
    lo, hi = f["doublings_equivalent_ci"]
    assert lo <= 1 / 0.35 <= hi


def test_within_coefficient_recovers_a_known_linear_slope(rng):
    n_t, per = 80, 12
    task = np.repeat(np.arange(n_t), per)
    x = rng.normal(0, 1, n_t)[task] + rng.normal(0, 1, n_t * per)  # tokens: task part + within part
    y = 0.1 * (x - pd.Series(x).groupby(task).transform("mean")) + rng.normal(0, 0.5, n_t)[task] \
        + rng.normal(0, 0.2, n_t * per)
    df = pd.DataFrame({"task": task.astype(str), "x_tok": x, "y": y, "model": "m"})
    w = V.within_coefficient(df, "task", ["model"])
    assert w["ci"][0] <= 0.1 <= w["ci"][1]
    d = V.within_task_residuals(df, ["model"])
    assert smf.ols("dy ~ dx", d).fit().params["dx"] == pytest.approx(w["coef"], abs=0.01)
    assert V.within_coefficient(df.drop(columns="task"), "task") is None


def test_mcfadden_matches_logit_and_adds_up(rng):
    runs = _small_runs(rng, 60)
    m = V.mcfadden_shapley(runs, GROUPS3)
    full = smf.logit("y ~ x_tok + x_call + C(model)", runs).fit(disp=0)
    assert m["r2_total"] == pytest.approx(full.prsquared, abs=1e-6)
    assert sum(m["shares"].values()) == pytest.approx(m["r2_total"])
    assert m["model"] == "logit"


# ---------------------------------------------------------------- bad input


def test_bad_parameters_raise_named_errors(rng):
    runs = _small_runs(rng)
    with pytest.raises(ParameterError, match="unit"):
        V.attribute(runs, GROUPS3, unit="question", rng=rng)
    with pytest.raises(ParameterError, match="n_boot"):
        V.attribute(runs, GROUPS3, n_boot=0, rng=rng)
    with pytest.raises(ParameterError, match="groups"):
        V.attribute(runs, ["tokens", "budget"], rng=rng)
    with pytest.raises(ParameterError, match="Generator"):
        V.attribute(runs, GROUPS3, rng=np.random.RandomState(0))
    with pytest.raises(DataError, match="at least"):
        V.attribute(runs.head(5), GROUPS3, rng=rng)
    with pytest.raises(ParameterError, match="mechanism"):
        V.simulate_runs(rng, n_tasks=5, capabilities={"A": 0.0}, log2_budgets=[10], mechanism="cause")
    with pytest.raises(ParameterError, match="n_tasks"):
        V.simulate_runs(rng, n_tasks=0, capabilities={"A": 0.0}, log2_budgets=[10])
    with pytest.raises(ParameterError, match="model_capability"):
        V.check_capabilities("model_capability", {"A": "high"})
    with pytest.raises(ParameterError, match="wide_models"):
        V.check_model_list("wide_models", ["Z"], {"A": 0.0})
    with pytest.raises(DataError, match="score"):
        V.prepare(pd.DataFrame({"model": ["a"], "tokens": [10.0], "score": [1.5]}))
    with pytest.raises(DataError, match="tokens"):
        V.prepare(pd.DataFrame({"model": ["a"], "tokens": [0.0], "score": [1.0]}))


def _write(tmp_path, rows, header="model,tokens,score,tool_calls,task,config"):
    p = tmp_path / "runs.csv"
    p.write_text(header + "\n" + "\n".join(rows) + "\n")
    return p


def _good_rows(n=12):
    return [f"{'m1' if i % 2 else 'm2'},{1000 * (i + 1)},{i % 2},{i},t{i % 4},c{i % 3}" for i in range(n)]


def test_read_runs_good_file(tmp_path):
    df = V.read_runs(_write(tmp_path, _good_rows()))
    assert list(df.columns) == ["model", "tokens", "score", "tool_calls", "task", "config"]
    assert len(df) == 12 and df["tokens"].dtype == float
    runs = V.prepare(df)
    assert {"x_tok", "x_call", "y"} <= set(runs.columns)
    minimal = V.read_runs(_write(tmp_path, [r.split(",", 3)[0] + "," + r.split(",")[1] + "," + r.split(",")[2]
                                            for r in _good_rows()], header="model,tokens,score"))
    assert list(minimal.columns) == ["model", "tokens", "score"]


@pytest.mark.parametrize("line, bad, match", [
    (3, "m1,-5,1,1,t1,c1", "line 3.*'tokens'.*positive"),
    (4, "m1,100,1.5,1,t1,c1", "line 4.*'score'.*outside"),
    (5, "m1,lots,1,1,t1,c1", "line 5.*'tokens'.*not a number"),
    (6, ",100,1,1,t1,c1", "line 6.*'model'.*empty"),
    (7, "m1,100,1,-2,t1,c1", "line 7.*'tool_calls'.*negative"),
])
def test_read_runs_names_the_bad_line(tmp_path, line, bad, match):
    rows = _good_rows()
    rows[line - 2] = bad
    with pytest.raises(DataError, match=match):
        V.read_runs(_write(tmp_path, rows))


def test_read_runs_file_level_errors(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        V.read_runs(tmp_path / "absent.csv")
    with pytest.raises(DataError, match="no data rows|cannot be read"):
        V.read_runs(_write(tmp_path, []))
    with pytest.raises(DataError, match="missing required column.*score"):
        V.read_runs(_write(tmp_path, ["m1,100"] * 12, header="model,tokens"))
    with pytest.raises(DataError, match="at least 10 runs"):
        V.read_runs(_write(tmp_path, _good_rows(6)))
    with pytest.raises(DataError, match="at least 2 distinct models"):
        V.read_runs(_write(tmp_path, [r.replace("m2", "m1") for r in _good_rows()]))


def test_model_family():
    assert V.model_family("gpt-4-0613+gpt-4-0613") == "gpt-4"
    assert V.model_family("gpt-3.5-turbo-0125+reflexion") == "gpt-3.5"
    assert V.model_family("gpt-3.5-turbo-0125+gpt-4-turbo-2024-04-09") == "mixed"
    assert V.model_family("l3_8b-gpt35-l3_70b-gpt4") == "mixed"
    assert V.model_family("gpt-4-turbo-0409-5step") == "gpt-4"


# ---------------------------------------------------------------- loaders' frames feed the attribution


def test_swe_effi_frame_feeds_attribution(require_logged):
    for n in registry.names("swe_effi/"):
        require_logged(n)
    runs = V.prepare(V.from_swe_effi(D.swe_effi()))
    groups = V.available_groups(runs)
    assert groups == ["tokens", "tool_calls", "model", "scaffold"]
    res, notes = V.analyse_runs(runs, groups, source="swe_effi", n_boot=20, rng=np.random.default_rng(0))
    assert not notes
    run, cfg = res["run"], res["config"]
    assert run["n"] == 742 and cfg["n"] == 15 and run["cluster"] == "task"
    assert set(run["shares"]) >= {"tokens", "tool_calls", "model", "scaffold"}
    assert sum(run["shares"].values()) == pytest.approx(run["r2_total"])
    assert run["token_coef_within_task"] is not None and cfg["token_coef_within_task"] is None
    assert 0 <= run["alone_r2"]["tokens"] <= 1


def test_terminal_bench_frame_drops_zero_tokens_and_saturated_model(require_logged):
    require_logged("terminal_bench/trial_token_usage")
    raw = D.terminal_bench_trials()
    runs = V.prepare(V.from_terminal_bench(raw))
    assert len(runs) == int((raw["total_tokens"] > 0).sum()) and "x_call" not in runs
    res, _ = V.analyse_runs(runs, V.available_groups(runs), source="terminal_bench", n_boot=20,
                            rng=np.random.default_rng(0))
    assert res["config"]["dropped_groups"] == ["model"]  # one configuration per model
    assert res["config"]["shares"]["tool_calls"] is None
    assert res["run"]["shares"]["model"] is not None


def test_agent_eval_frame_has_no_task_level_data(require_logged):
    require_logged("agent_eval/humaneval_results")
    runs = V.prepare(V.from_agent_eval(D.agent_eval_humaneval()))
    assert "task" not in runs
    res, _ = V.analyse_runs(runs, ["tokens", "model", "scaffold"], source="agent_eval", n_boot=20,
                            rng=np.random.default_rng(0), within_config=True, trials="n_tasks")
    assert res["run"]["cluster"] == "run" and res["run"]["token_coef_within_task"] is None
    assert res["run"]["token_coef_within_config"] is not None
    assert res["run"]["mcfadden_model"] == "binomial GLM"


def test_one_formula_evaluation_gives_every_subsets_formula_fit_exactly():
    """Subsets fitted on columns of one evaluated design match each subset's own formula fit bit for bit
    (same exog, same layout: the results of a full run do not move), categorical terms listed first."""
    import statsmodels.api as sm

    from helpers.variance.lmg import _mask_subset, subset_exog, term_blocks, token_slope
    from helpers.variance.robustness import _loglik, mcfadden_shapley

    rng = np.random.default_rng(4)
    n = 300
    df = V.prepare(pd.DataFrame({
        "model": rng.choice(["m1", "m2", "m3"], n), "service": rng.choice(["s1", "s2"], n),
        "tokens": rng.integers(1_000, 100_000, n), "tool_calls": rng.integers(0, 30, n),
        "score": rng.integers(0, 2, n).astype(float)}))
    groups = ["tokens", "model", "tool_calls", "service"]
    blocks = term_blocks(df, groups)
    r2 = V.r2_subsets_ols(df, groups)
    for mask in range(1, 2 ** len(groups)):
        S = _mask_subset(mask, groups)
        formula = "y ~ " + " + ".join(V.GROUP_TERMS[g] for g in groups if g in S)
        mod = smf.ols(formula, df)
        X = subset_exog(blocks, groups, mask)
        assert np.array_equal(np.asarray(mod.exog), X) and X.flags["F_CONTIGUOUS"], formula
        assert r2[S] == mod.fit().rsquared == sm.OLS(df["y"].to_numpy(float), X).fit().rsquared, formula
        assert _loglik(formula, df, True, None) == _loglik(formula, df, True, None, X), formula
    assert term_blocks(df.assign(x_call=np.where(np.arange(n) == 5, np.nan, df["x_call"])), groups) is None
    assert token_slope(df) == float(smf.ols("y ~ x_tok", df).fit().params["x_tok"])
    mcf = mcfadden_shapley(df, groups)  # the logit's null log-likelihood computed once, reused
    for g in groups:
        llf, llnull = _loglik("y ~ " + V.GROUP_TERMS[g], df, True, None)
        assert mcf["alone"][g] == 1.0 - llf / llnull


def test_direct_design_matches_patsy_bit_for_bit():
    """``term_blocks`` builds the common case without patsy: the same numbers, column slices and memory
    layout as patsy's design matrix; uncovered cases (missing values, non-string categories) go to patsy."""
    from helpers.variance.lmg import _direct_design, _patsy_design, term_blocks

    rng = np.random.default_rng(11)
    n = 257
    df = V.prepare(pd.DataFrame({
        "model": rng.choice(["m10", "m2", "M3", "a b", "z"], n), "service": rng.choice(["s1", "s2"], n),
        "scaffold": rng.choice(["only"], n), "tokens": rng.integers(1_000, 100_000, n),
        "tool_calls": rng.integers(0, 30, n), "score": rng.random(n)}))
    for groups in (["tokens", "model", "tool_calls", "service"], ["model"], ["tokens"], ["service", "tokens", "model"],
                   ["scaffold", "tool_calls"], ["model", "scaffold", "service", "tool_calls", "tokens"]):
        terms = [V.GROUP_TERMS[g] for g in groups]
        (A, sa, na), (B, sb, nb) = _direct_design(df, terms), _patsy_design(df, terms)
        assert np.array_equal(A, B) and A.dtype == B.dtype and A.strides == B.strides and A.flags.c_contiguous
        assert sa == {t: s for t, s in sb.items() if t != "Intercept"} and na == nb, groups
    for bad in (df.assign(model=df["model"].where(np.arange(n) != 3)),  # a missing category: patsy drops the row
                df.assign(model=pd.Categorical(df["model"])),  # a pandas categorical: patsy's own levels
                df.assign(x_tok=np.where(np.arange(n) == 7, np.nan, df["x_tok"])),
                df.assign(y=np.where(np.arange(n) == 9, np.nan, df["y"]))):
        assert _direct_design(bad, ["x_tok", "C(model)"]) is None
    assert term_blocks(df.assign(model=df["model"].where(np.arange(n) != 3)), ["tokens", "model"]) is None
    cat = term_blocks(df.assign(model=pd.Categorical(df["model"])), ["tokens", "model"])
    assert np.array_equal(cat["model"], term_blocks(df, ["tokens", "model"])["model"])


def test_within_coefficient_direct_exog_equals_the_formula_fit(monkeypatch, rng):
    """The MixedLM gets patsy's exog built directly (``lmg._direct_design``); its estimate, interval and
    flags equal those of the formula route (``smf.mixedlm``) exactly."""
    from helpers.variance import robustness as VR

    n = 240
    df = V.prepare(pd.DataFrame({
        "model": rng.choice(["m1", "m2", "m3"], n), "scaffold": rng.choice(["a", "b"], n),
        "task": rng.choice([f"t{i}" for i in range(12)], n), "tokens": 2.0 ** rng.normal(14, 1, n),
        "score": rng.integers(0, 2, n).astype(float)}))
    cases = [("task", ("model",)), ("task", ("model", "scaffold")), ("config", ()), ("task", ())]
    direct = [VR.within_coefficient(df, g, c) for g, c in cases]
    monkeypatch.setattr(VR, "_direct_design", lambda *a, **k: None)
    formula = [VR.within_coefficient(df, g, c) for g, c in cases]
    assert direct == formula and all(d is not None for d in direct)


def test_table_conditional_logit_equals_statsmodels_recursion(rng):
    """``model._conditional_logit_class``: the conditional logit's log-likelihood and score from one table
    over all groups equal statsmodels' per-group recursion exactly (ordinary, extreme and overflowing
    parameters), and so does the fitted comparison of ``fitted_upgrade_vs_doubling``."""
    import warnings

    from statsmodels.discrete.conditional_models import ConditionalLogit

    from helpers.variance import model as VM

    caps = {"a": -0.5, "b": 0.5, "c": 1.2}
    for T, runs, budgets in ((40, 1, [14, 15, 16, 17]), (25, 3, [10, 13]), (15, 2, [12, 14, 16, 18, 20])):
        sim = V.simulate_runs(rng, n_tasks=T, capabilities=caps, log2_budgets=budgets, runs=runs, subagents=(1, 2))
        df = sim[sim["model"].isin(["a", "c"])].reset_index(drop=True)
        exog = pd.DataFrame({"log2_budget": df["log2_budget"], "upgrade": (df["model"] == "c").astype(float)})
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = ConditionalLogit(df["score"].astype(float), exog, groups=df["task"])
            tab = VM._conditional_logit_class()(df["score"].astype(float), exog, groups=df["task"])
            for p in [rng.normal(0, 1, 2) for _ in range(5)] + [np.array([3.0, -40.0]), np.array([60.0, 1.0])]:
                lr, lt = ref.loglike(p), tab.loglike(p)
                assert lr == lt or (np.isnan(lr) and np.isnan(lt)), p
                assert np.array_equal(ref.score(p), tab.score(p), equal_nan=True), p
            fit_ref, fit_tab = ref.fit(disp=0), tab.fit(disp=0)
        assert np.array_equal(fit_ref.params, fit_tab.params)
        assert np.array_equal(np.asarray(fit_ref.cov_params()), np.asarray(fit_tab.cov_params()))

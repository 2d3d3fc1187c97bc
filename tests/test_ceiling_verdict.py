"""Claim 4's rule and matched-spend comparisons (helpers.ceiling.verdict, helpers.ceiling.mcpmark, helpers.ceiling.evidence)."""
import numpy as np
import pandas as pd
import pytest

from helpers import ceiling as C
from helpers import ceiling as V
from helpers import bootstrap, verdicts
from helpers.validate import DataError, ParameterError

RULE = V.CeilingRule(holds_max_share=0.1, breaks_min_share=0.5)


def _table(rows):
    return verdicts.evidence_table([verdicts.evidence_row(s, u, in_scope=i, outcome=o) for s, u, i, o in rows])


# ---------------------------------------------------------------- every outcome of the rule is reachable


def test_rule_supported_when_the_ceiling_holds_in_every_unit():
    t = _table([("mcpmark", "thinking pair", True, "holds"), ("mcpmark", "config pair", True, "holds"),
                ("mcpmark", "config pair", True, "unresolved"), ("math", "rl vs base", False, "breaks")])
    assert RULE.decide(t) == "supported"


def test_rule_not_supported_when_it_breaks_in_every_unit():
    t = _table([("mcpmark", "thinking pair", True, "breaks"), ("mcpmark", "config pair", True, "breaks"),
                ("mcpmark", "config pair", True, "holds"), ("mcpmark", "config pair", True, "breaks")])
    assert RULE.decide(t) == "not supported"


def test_rule_partly_supported_when_units_disagree_or_a_unit_is_mixed():
    t = _table([("mcpmark", "thinking pair", True, "breaks"), ("mcpmark", "config pair", True, "holds")])
    assert RULE.decide(t) == "partly supported"
    mixed = _table([("mcpmark", "config pair", True, o) for o in ["breaks"] + ["holds"] * 4])  # 20%
    assert RULE.units(mixed)["status"].tolist() == ["mixed"] and RULE.decide(mixed) == "partly supported"


def test_rule_inconclusive_without_counted_in_scope_rows():
    t = _table([("mcpmark", "config pair", True, "unresolved"), ("math", "rl vs base", False, "holds")])
    assert RULE.decide(t) == "inconclusive"
    assert RULE.decide(_table([])) == "inconclusive"
    assert V.CeilingRule(min_resolved=3).decide(_table([("m", "u", True, "holds")] * 2)) == "inconclusive"


def test_rule_thresholds_are_checked_and_described():
    with pytest.raises(ParameterError, match="breaks_min_share"):
        V.CeilingRule(0.5, 0.4)
    with pytest.raises(ParameterError, match="holds_max_share"):
        V.CeilingRule(1.0, 1.0)
    assert "25%" in V.CeilingRule(0.25, 0.75).describe() and "75%" in V.CeilingRule(0.25, 0.75).describe()


# ---------------------------------------------------------------- one comparison


def test_level_at_one_attempt_is_already_ahead_not_a_catch_up():
    k = np.array([1, 2, 4])
    assert V.classify(k, [0.0, 0.1, 0.2], d1=-0.01, tol=0.02) == "already_ahead"
    assert V.classify(k, [-0.3, -0.1, 0.01], d1=-0.3, tol=0.02) == "caught_up"
    assert V.classify(k, [-0.3, -0.1, -0.05], d1=-0.3, tol=0.02) == "stays_below"
    assert V.classify(k, [np.nan, np.nan, np.nan], d1=-0.3, tol=0.02) == "no_matched_spend"
    # k = 1 alone never counts as a catch-up
    assert V.classify(k, [0.1, np.nan, np.nan], d1=-0.3, tol=0.02) == "no_matched_spend"


def test_interval_decision_is_unresolved_when_the_interval_straddles():
    k = np.array([1, 2])
    args = dict(d1=-0.2, tol=0.0, d1_lo=-0.3)
    assert V.classify(k, [-0.2, -0.05], d_lo=[-0.3, -0.1], d_hi=[-0.1, 0.02], **args) == "unresolved"
    assert V.classify(k, [-0.2, 0.05], d_lo=[-0.3, 0.01], d_hi=[-0.1, 0.1], **args) == "caught_up"
    assert V.classify(k, [-0.2, -0.05], d_lo=[-0.3, -0.1], d_hi=[-0.1, -0.01], **args) == "stays_below"


def test_matched_gaps_closed_form_and_interpolation():
    p_w, p_s = 0.2, 0.5  # one problem each: A(k) = 1 - (1-p)^k
    k = np.arange(1, 9, dtype=float)
    aw, as_ = 1 - (1 - p_w) ** k, 1 - (1 - p_s) ** k
    # W costs half of S per attempt: at W's k, S gets k/2 attempts; at even k exact, k = 1 not comparable
    d = V.matched_gaps(k, aw, k, as_, 1.0, 2.0)
    even = k % 2 == 0
    np.testing.assert_allclose(d[even], aw[even] - (1 - (1 - p_s) ** (k[even] / 2)))
    assert np.isnan(d[0])
    # odd k: linear interpolation between neighbouring budgets, a lower bound of the concave curve
    mid = 0.5 * (as_[0] + as_[1])
    assert d[2] == pytest.approx(aw[2] - mid) and mid <= 1 - (1 - p_s) ** 1.5
    # equal attempts: the plain difference; beyond S's observed budgets: NaN; above the cost limit: NaN
    np.testing.assert_allclose(V.matched_gaps(k, aw, k, as_, 1.0, 1.0), aw - as_)
    assert np.isnan(V.matched_gaps(k, aw, k, as_, 2.0, 1.0)[-1])
    assert np.isnan(V.matched_gaps(k, aw, k, as_, 1.0, 1.0, cost_limit=4)[4:]).all()
    with pytest.raises(ParameterError, match="positive"):
        V.matched_gaps(k, aw, k, as_, 0.0, 1.0)


def _user_curves(weak, strong, t_w, t_s, tol=0.02):
    k = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024], dtype=float)
    return V.curve_comparison(k, C.mixture_curve(weak, "pass_at_k", k), k, C.mixture_curve(strong, "pass_at_k", k),
                              t_w, t_s, tol)


def test_curves_that_plateau_below_hold_and_curves_that_overtake_break():
    strong = C.BetaMixture(0.05, 3.0, 1.0)
    assert _user_curves(C.BetaMixture(0.5, 1.0, 1.0), strong, 500.0, 4000.0)["result"] == "stays_below"
    over = _user_curves(C.BetaMixture(0.0, 0.3, 1.0), C.BetaMixture(0.3, 3.0, 1.0), 1.0, 1.0)
    assert over["result"] == "caught_up" and over["k_caught_up"] >= 2 and over["gap_k1"] < -0.02


def test_matched_spend_can_differ_from_matched_attempts():
    """A weaker side that catches up at equal attempts but costs 8x per attempt stays below at equal spend."""
    weak, strong = C.BetaMixture(0.0, 0.5, 1.0), C.BetaMixture(0.05, 3.0, 1.0)  # ceilings 1 and 0.95
    assert _user_curves(weak, strong, 1.0, 1.0)["result"] == "caught_up"
    dear = _user_curves(weak, strong, 8.0, 1.0)
    assert dear["result"] == "stays_below" and dear["best_k"] == 128 and dear["spend_ratio"] == 8.0
    with pytest.raises(DataError, match="k = 1"):
        V.curve_comparison([2, 4], [0.1, 0.2], [1, 2], [0.3, 0.4], 1.0, 1.0, 0.0)


# ---------------------------------------------------------------- MCPMark arrays


def _runs(p_by_config, n_runs, rng):
    rows = []
    for cfg, p in p_by_config.items():
        for t, pt in enumerate(p):
            for r in range(n_runs.get(cfg, 4)):
                rows.append((cfg, f"t{t:03d}", bool(rng.random() < pt)))
    return pd.DataFrame(rows, columns=["config", "task", "success"])


def test_mcpmark_pass_at_k_is_the_unbiased_estimator_and_drops_short_configs():
    rng = np.random.default_rng(1)
    runs = _runs({"a": np.full(50, 0.3), "b": np.full(50, 0.6), "c": np.full(50, 0.5)}, {"c": 1}, rng)
    cfg, tasks, P, dropped = V.mcpmark_pass_at_k(runs)
    assert cfg == ["a", "b"] and dropped == ["c"] and P.shape == (2, 50, 4)
    g = runs[runs["config"] == "a"].groupby("task")["success"]
    np.testing.assert_allclose(P[0, :, 0], g.mean().to_numpy())
    np.testing.assert_allclose(P[0, :, 3], g.any().to_numpy().astype(float))
    assert np.all(np.diff(P, axis=2) >= -1e-12)  # pass@k never falls with k


def test_mcpmark_gaps_point_values_and_bootstrap_interval_cover_the_truth():
    rng = np.random.default_rng(2)
    n_t = 400
    pw, ps = rng.beta(1, 3, n_t), rng.beta(2, 2, n_t)
    runs = _runs({"w": pw, "s": ps}, {}, rng)
    cfg, tasks, P, _ = V.mcpmark_pass_at_k(runs)
    W = bootstrap.counts(n_t, 300, np.random.default_rng(3))
    iw, is_ = cfg.index("w"), cfg.index("s")
    d, d1, ks = V.mcpmark_gaps(P, W, [iw], [is_], None)
    np.testing.assert_allclose(d[0, 0], P[iw].mean(0) - P[is_].mean(0))
    assert d1[0, 0] == pytest.approx(d[0, 0, 0])
    # at matched k, the true pass@4 gap of these tasks lies in the 95% bootstrap interval
    truth = np.mean(1 - (1 - pw) ** 4) - np.mean(1 - (1 - ps) ** 4)
    lo, hi = np.quantile(d[1:, 0, 3], [0.025, 0.975])
    assert lo <= truth <= hi
    # spend: w costs half per run, so at w's k = 4, s gets 2 runs; k = 1 is not comparable
    spend = np.where(np.array(cfg) == "w", 1.0, 2.0)
    d2, _, ks2 = V.mcpmark_gaps(P, W, [iw], [is_], spend)
    assert ks2[0].tolist() == [0.5, 1.0, 1.5, 2.0] and np.isnan(d2[0, 0, 0])
    assert d2[0, 0, 3] == pytest.approx(P[iw, :, 3].mean() - P[is_, :, 1].mean())
    out = V.mcpmark_outcomes(d2, d1, ks2, tol=0.02, cost_limit=10.0)
    assert out["result"].iloc[0] in V.RESULTS and len(out["ci"].iloc[0]) == 2


@pytest.mark.filterwarnings("ignore:All-NaN slice:RuntimeWarning")
def test_mcpmark_bootstrap_quantiles_are_nanquantiles_bit_for_bit():
    from helpers.ceiling import mcpmark as M
    rng = np.random.default_rng(3)
    x = rng.normal(size=(41, 7, 4))
    x[:, 2, :] = np.nan  # a pair never compared
    x[:, :, 0] = np.nan  # a k outside the matched range
    want = np.nanquantile(x, [0.025, 0.975], axis=0)
    got = M._nan_quantiles(x, [0.025, 0.975])
    assert got.tobytes() == want.tobytes() and np.isnan(got[:, 2]).all()
    x[5, 3, 1] = np.nan  # a column with some NaN: nanquantile's own pass, the same numbers
    assert M._nan_quantiles(x, [0.025, 0.975]).tobytes() == np.nanquantile(x, [0.025, 0.975], axis=0).tobytes()
    # outcomes with the bounds computed once per (view, cost limit) equal outcomes computed afresh
    d1 = rng.normal(size=(41, 7))
    ks = np.tile(np.arange(1.0, 5.0), (7, 1)) * rng.uniform(0.5, 2, size=(7, 1))
    for tol, lim, how in [(0.0, 2.0, "point"), (0.02, 10.0, "interval"), (0.05, np.inf, "interval")]:
        b = M.mcpmark_bounds(x, d1, ks, lim)
        keep = np.array([True, False, True, True, False, True, True])
        fresh = M.mcpmark_outcomes(x[:, keep], d1[:, keep], ks[keep], tol, lim, how)
        reused = M.mcpmark_outcomes(x[:, keep], d1[:, keep], ks[keep], tol, lim, how,
                                    bounds=(b[0][:, keep], b[1][keep], b[2][keep], b[3][keep]))
        pd.testing.assert_frame_equal(fresh, reused)


def test_mcpmark_pairs_units_and_doubtful_flags():
    cfgs = ["nr1", "nr2", "r1", "r1-thinking", "gpt-4-1-nano", "gpt-4-1"]
    labels = {"nr1": False, "nr2": False, "r1": True, "r1-thinking": True, "gpt-4-1-nano": False, "gpt-4-1": False}
    pairs = V.mcpmark_pairs(cfgs, labels, [("r1", "r1-thinking"), ("x", "y")], {"r1", "nr2"})
    th = pairs[pairs["unit"] == "thinking pair"]
    assert th[["weaker", "stronger"]].values.tolist() == [["r1", "r1-thinking"]] and not th["doubtful"].iloc[0]
    cp = pairs[pairs["unit"] == "config pair"]
    assert len(cp) == 4 * 2 and set(cp["stronger"]) == {"r1", "r1-thinking"}
    assert cp.loc[cp["weaker"] == "nr2", "doubtful"].all() and cp.loc[cp["stronger"] == "r1", "doubtful"].all()
    cap = pairs[pairs["unit"] == "capability pair"]
    assert cap[["weaker", "stronger"]].values.tolist() == [["gpt-4-1-nano", "gpt-4-1"]]


# ---------------------------------------------------------------- the user's curves decide alone


def _user_file(tmp_path, weak, strong, t_w, t_s, name):
    k = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
    rows = [("strong", "reasoning", kk, v, t_s) for kk, v in zip(k, C.mixture_curve(strong, "pass_at_k", k))]
    rows += [("weak", "non_reasoning", kk, v, t_w) for kk, v in zip(k, C.mixture_curve(weak, "pass_at_k", k))]
    path = tmp_path / name
    pd.DataFrame(rows, columns=["model", "kind", "samples", "accuracy", "tokens_per_sample"]).to_csv(path, index=False)
    return path


def _user_verdict(path, spec_view="matched_tokens", cost_limit=np.inf):
    table = C.read_scaling_path(path)
    comps = V.path_comparisons(table, "user pair")
    study = _table([("mcpmark", "config pair", True, "breaks")])  # the study's rows stay beside, out of scope
    ev = V.table_from([(V.curve_outcomes(comps, spec_view, 0.02, cost_limit), f"user:{path.name}", "user", True)])
    both = verdicts.user_scope(pd.concat([study, ev], ignore_index=True), True)
    return RULE.decide(both), both


def test_user_curves_that_plateau_below_at_every_matched_spend_give_supported(tmp_path):
    path = _user_file(tmp_path, C.BetaMixture(0.5, 1.0, 1.0), C.BetaMixture(0.05, 3.0, 1.0), 500.0, 4000.0, "low.csv")
    v, table = _user_verdict(path)
    assert v == "supported"
    assert table.loc[table["source"] == "mcpmark", "in_scope"].eq(False).all()


def test_user_curves_that_overtake_at_matched_spend_give_not_supported(tmp_path):
    path = _user_file(tmp_path, C.BetaMixture(0.0, 0.3, 1.0), C.BetaMixture(0.3, 3.0, 1.0), 1000.0, 1000.0, "over.csv")
    assert _user_verdict(path)[0] == "not supported"
    # the cost limit bounds the spends compared: within 10 attempts of the stronger side it has not overtaken yet
    assert _user_verdict(path, cost_limit=10.0)[0] == "supported"


def test_mcpmark_specification_filters_doubtful_and_capability_pairs():
    rng = np.random.default_rng(4)
    p = {"nr": np.full(60, 0.2), "r": np.full(60, 0.5), "r2": np.full(60, 0.21), "gpt-4-1-nano": np.full(60, 0.1),
         "gpt-4-1": np.full(60, 0.3)}
    runs = _runs(p, {}, rng)
    cfg, tasks, P, _ = V.mcpmark_pass_at_k(runs)
    labels = {"nr": False, "r": True, "r2": True, "gpt-4-1-nano": False, "gpt-4-1": False}
    pairs = V.mcpmark_pairs(cfg, labels, [], {"r2"})
    spend = np.ones(len(cfg))
    mc = V.MCPMarkComparisons.build(P, bootstrap.counts(len(tasks), 50, rng), cfg, pairs, spend, spend)
    full = mc.outcomes("matched_k", 0.02, np.inf, "point", True, True)
    assert len(full) == len(pairs)
    no_doubt = mc.outcomes("matched_k", 0.02, np.inf, "point", False, False)
    assert "r2" not in set(no_doubt["stronger"]) and "capability pair" not in set(no_doubt["unit"])
    # r (0.5) stays far ahead of every non-reasoning config at equal attempts: the ceiling holds there
    assert set(full.loc[full["stronger"] == "r", "result"]) == {"stays_below"}
    with pytest.raises(ParameterError, match="view"):
        mc.outcomes("matched_hours", 0.02, np.inf, "point", True, True)
    with pytest.raises(DataError, match="positive"):
        V.MCPMarkComparisons.build(P, bootstrap.counts(len(tasks), 5, rng), cfg, pairs, spend * 0, spend)


def test_evidence_table_under_every_specification_equals_the_table_built_part_by_part(tmp_path):
    """``Evidence.table`` builds each part's rows once and selects them: the same table as ``table_from`` over
    the kept MCPMark pairs and the counted curve groups, under every specification (cached or not)."""
    rng = np.random.default_rng(5)
    p = {"nr": np.full(60, 0.2), "r": np.full(60, 0.5), "r2": np.full(60, 0.21), "gpt-4-1-nano": np.full(60, 0.1),
         "gpt-4-1": np.full(60, 0.3)}
    cfg, tasks, P, _ = V.mcpmark_pass_at_k(_runs(p, {}, rng))
    labels = {"nr": False, "r": True, "r2": True, "gpt-4-1-nano": False, "gpt-4-1": False}
    pairs = V.mcpmark_pairs(cfg, labels, [], {"r2"})
    spend = np.ones(len(cfg))
    mc = V.MCPMarkComparisons.build(P, bootstrap.counts(len(tasks), 50, rng), cfg, pairs, spend, spend)
    path = _user_file(tmp_path, C.BetaMixture(0.0, 0.3, 1.0), C.BetaMixture(0.3, 3.0, 1.0), 1000.0, 1000.0, "o.csv")
    comps = V.path_comparisons(C.read_scaling_path(path), "rl vs base")
    groups = [(comps, "path", "math", False, False), (comps, "sizes", "math", False, True),
              ([], "none", "math", False, False)]
    ev = C.evidence.Evidence(mc, groups, False)
    n = 0
    for view in V.VIEWS:
        for tol, cost, decide, doubt, cap in [(0.0, np.inf, "point", "in", "in"),
                                              (0.02, 10.0, "interval", "out", "in"),
                                              (0.05, 2.0, "point", "in", "out"),
                                              (0.02, 10.0, "interval", "out", "out")]:
            spec = {"view": view, "tolerance": tol, "cost_limit": cost, "decide_by": decide, "doubtful_labels": doubt,
                    "capability_pairs": cap}
            keep = mc.select(doubt == "in", cap == "in")
            parts = [(mc.outcomes(view, tol, cost, decide, True, True)[keep].reset_index(drop=True), "mcpmark",
                      "tool use", True)]
            parts += [(V.curve_outcomes(c, view, tol, cost), src, setting, in_scope)
                      for c, src, setting, in_scope, capability in groups if c and not (capability and cap == "out")]
            expected = V.table_from(parts)
            for _ in range(2):  # first built, then from the cache
                got = ev.table(spec)
                pd.testing.assert_frame_equal(got, expected, check_exact=True)
                assert got.to_json() == expected.to_json()
            assert (got["source"] == "sizes").any() == (cap == "in")
            assert (got["source"] == "mcpmark").sum() == keep.sum()
            n += 1
    assert n == 3 * 4 and ev._mcp_rows.cache_info().hits >= n


def test_decide_equals_the_verdict_of_the_units_table_on_random_tables():
    """``decide`` counts with numpy; it must give ``combine`` of the ``units`` statuses, every verdict reached."""
    rng = np.random.default_rng(11)
    seen = set()
    for i in range(300):
        n = int(rng.integers(0, 25))
        rows = [(str(rng.choice(["mcpmark", "path", "user:a.csv"])), str(rng.choice(["thinking pair", "config pair"])),
                 bool(rng.random() < 0.8), str(rng.choice(["holds", "breaks", "unresolved"], p=[0.45, 0.35, 0.2])))
                for _ in range(n)]
        rule = V.CeilingRule(float(rng.choice([0.0, 0.1, 0.3])), float(rng.choice([0.5, 0.6, 1.0])),
                             int(rng.integers(1, 4)))
        t = _table(rows)
        expected = V.combine(rule.units(t)["status"])
        assert rule.decide(t) == expected
        seen.add(expected)
    assert seen == {"supported", "not supported", "partly supported", "inconclusive"}

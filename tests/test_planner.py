"""Tests of helpers.planner: contrasting recommendations, closed forms of the composed pieces,
conservation, monotonicity, bad input (errors naming the parameter or the CSV line) and determinism."""
from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pytest
from scipy import special

from helpers import allocation as A
from helpers import tokens
from helpers import planner as P
from helpers import sampling
from helpers.validate import DataError, ParameterError

TOKENS = {"non_reasoning": (20000.0, 1000.0), "reasoning": (20000.0, 8000.0)}
EASY = {"non_reasoning": (0.05, 2.0, 2.0), "reasoning": (0.02, 3.0, 1.5)}
HARD = {"non_reasoning": (0.5, 1.0, 2.0), "reasoning": (0.05, 0.5, 2.0)}


def valid_params(**changes) -> dict:
    """The notebook's defaults (a valid set of planner inputs) with ``changes``."""
    d = dict(target_accuracy=0.6, budget_cap_usd=None, pi0_nr=0.3, a_nr=0.5, b_nr=3.0, pi0_r=0.05, a_r=1.0, b_r=1.5,
             n_problems=4000, predictor_noise=1.0, n_bins=5, probe_samples=4, price_provider="Anthropic",
             input_usd_per_mtok=None, output_usd_per_mtok=None, reasoning_price_multiplier=1.0,
             usd_per_search_call=0.0, input_tokens_per_sample_nr=20000, output_tokens_per_sample_nr=1000,
             input_tokens_per_sample_r=20000, output_tokens_per_sample_r=8000, tokens_per_search_step=2000,
             cache_read_share=0.9, cache_write_share=1.0, reasoning_model_available=True, aggregation="pass_at_k",
             verifier_tpr=0.9, verifier_fpr=0.1, min_saving=0.1, max_samples_per_task=1024, rs_model={},
             problems_path=None, logs_path=None)
    d.update(changes)
    return d


def make_inputs(mixtures=None, *, target=0.6, cap=None, n=1500, seed=0, aggregation="pass_at_k", tpr=0.9, fpr=0.1,
                available=True, read_share=0.9, write_share=1.0, frames=None, min_saving=0.1, max_samples=1024,
                refine=12, multiplier=1.0) -> P.PlanInputs:
    rng = np.random.default_rng(seed)
    mixtures = mixtures or {"non_reasoning": (0.3, 0.5, 3.0), "reasoning": (0.05, 1.0, 1.5)}
    w = P.build_workloads(mixtures, frames, n, rng, predictor_noise=1.0, n_bins=5)
    prices = P.price_tables("Anthropic", reasoning_price_multiplier=multiplier)
    costs = P.sample_costs(prices, TOKENS, read_share, write_share, 2000.0)
    return P.PlanInputs(w, costs, prices, TOKENS, target, cap, aggregation, P.selector_of(aggregation, tpr, fpr),
                        available, min_saving, max_samples, 2000.0, refine_points=refine, seed=seed)


@functools.lru_cache(maxsize=None)
def hard_plan():
    """(inputs, plan) of the hard workload at target 0.8, planned once for the tests that read it."""
    inp = make_inputs(HARD, target=0.8)
    return inp, P.plan(inp)


# ---------------------------------------------------------------- the two contrasting situations


def test_cheap_target_on_easy_workload_recommends_non_reasoning_uniform():
    inp = make_inputs(EASY, target=0.3)
    pl = P.plan(inp)
    rec = pl.recommendation
    assert rec["model_kind"] == "non_reasoning" and rec["policy"] == "uniform"
    assert pl.how["meets"] and rec["expected_accuracy"] >= 0.3
    # one attempt per task already reaches it: nothing adaptive can save much at one sample
    assert rec["mean_samples"] == pytest.approx(1.0)
    assert P.status_of(True, False, pl.how["meets"]) == "meets target"


def test_hard_target_with_a_large_never_solved_share_recommends_reasoning_adaptive():
    inp, pl = hard_plan()
    rec = pl.recommendation
    assert rec["model_kind"] == "reasoning" and rec["policy"] in A.REALISTIC_POLICIES
    assert pl.how["meets"] and rec["expected_accuracy"] >= 0.8
    assert pl.how["saving_vs_uniform"]["reasoning"] >= inp.min_saving
    # the non-reasoning model cannot get there: its pass@k ceiling is 1 - pi0
    nr = pl.options[pl.options["model_kind"] == "non_reasoning"]
    assert not nr["meets_target"].any()
    reach = P.reachability(inp.workloads["non_reasoning"], 0.8, "pass_at_k", inp.selector, 0.03, 0.13)
    assert reach["asymptote"] == pytest.approx(0.5) and not reach["reachable"] and reach["status"] == "ceiling"


def test_no_reasoning_model_no_option_meets_and_the_most_accurate_is_flagged():
    inp = make_inputs(HARD, target=0.8, available=False)
    pl = P.plan(inp)
    assert not pl.how["meets"]
    assert pl.recommendation["model_kind"] == "non_reasoning"
    avail = pl.options[pl.options["available"]]
    assert pl.recommendation["expected_accuracy"] == pytest.approx(avail["expected_accuracy"].max())
    assert P.status_of(True, False, pl.how["meets"]) == "no option meets"


def test_verdict_rules():
    assert P.status_of(False, False, True) == "no target or cap"
    assert P.status_of(True, True, False) == "no option meets"
    assert P.status_of(False, True, True) == "meets target"


# ---------------------------------------------------------------- options: budgets, costs, conservation


def test_option_budget_is_minimal_and_costs_follow_from_it():
    inp = make_inputs(target=0.6)
    pl = P.plan(inp)
    t = pl.table
    for _, o in t[t["meets_target"]].iterrows():
        usd = P.usd_per_sample(inp.costs, o["model_kind"], True)
        usd0 = P.usd_per_sample(inp.costs, o["model_kind"], False)
        I, O = TOKENS[o["model_kind"]]
        B = o["mean_samples"]
        assert o["cost_per_task_usd"] == pytest.approx(B * usd)
        assert o["cost_per_task_usd_no_cache"] == pytest.approx(B * usd0)
        assert o["cost_per_artifact_usd"] == pytest.approx(B * usd / o["expected_accuracy"])
        assert o["tokens"] == pytest.approx(B * (I + O))
        assert o["search_steps"] == pytest.approx(B * I / 2000.0)
        assert o["reasoning_tokens"] == pytest.approx(B * O if o["model_kind"] == "reasoning" else 0.0)
    # minimality for uniform: 10% less budget misses the target
    for kind in P.KINDS:
        u = t[(t["model_kind"] == kind) & (t["policy"] == "uniform")].iloc[0]
        if u["meets_target"] and u["mean_samples"] > 1.5:
            e = P.evaluate(inp.workloads[kind], "uniform", [0.9 * u["mean_samples"]], np.random.default_rng(1),
                           selector=inp.selector)
            assert e["accuracy"][0] < 0.6


def test_every_policy_spends_its_budget_and_uniform_matches_the_closed_form():
    inp = make_inputs(n=3000)
    pl = P.plan(inp)
    chk = P.recovery_checks(inp, pl)
    assert chk["spend_error"] < 0.01
    assert all(z < 4.5 for z in chk["uniform_vs_closed_form_z"].values())
    assert chk["ledger_cost_identity"] < 1e-12 and chk["zero_share_cache_gap_usd"] == 0.0
    # the closed form itself: uniform pass@k of a Beta mixture (Schaeffer et al.)
    w = inp.workloads["reasoning"]
    k = np.array([1.0, 4.0, 32.0])
    assert np.allclose(w.curve(k, "pass_at_k", inp.selector),
                       (1 - 0.05) * (1 - np.exp(special.betaln(1.0, 1.5 + k) - special.betaln(1.0, 1.5))))


def test_chosen_budget_and_cost_rise_with_the_target():
    inp = make_inputs(n=1500)
    rows = []
    for t in (0.3, 0.5, 0.7, 0.85):
        r = P.choose_budget(inp.workloads["reasoning"], "uniform", target=t, cap_samples=None, max_samples=1024,
                            selector=inp.selector, seed=0, key=(1, 0), refine_points=12)
        rows.append(r)
    B = [r["budget"] for r in rows]
    assert all(r["meets_target"] for r in rows)
    assert all(b2 >= b1 for b1, b2 in zip(B, B[1:])) and B[-1] > B[0]


def test_budget_cap_is_respected_and_best_accuracy_under_it():
    inp = make_inputs(target=0.95, cap=0.5)
    pl = P.plan(inp)
    t = pl.table
    assert (t["cost_per_task_usd"] <= 0.5 + 1e-6).all()
    assert set(t["limited_by"]) <= {"cap", "target", "one_sample", "saturated"}
    # cap only: the most accurate option wins (all spend the cap, so cheapest per artifact = most accurate)
    pl2 = P.plan(make_inputs(target=None, cap=0.5))
    o = pl2.options[pl2.options["available"]]
    assert pl2.recommendation["expected_accuracy"] >= o["expected_accuracy"].max() - 0.02
    assert pl2.recommendation["cost_per_task_usd"] <= 0.5 + 1e-6


def test_no_target_and_no_cap_evaluates_one_sample_per_task():
    pl = P.plan(make_inputs(target=None, cap=None))
    assert (pl.table["mean_samples"].round(6) == 1.0).all()
    assert (pl.table["limited_by"] == "one_sample").all()


def test_adaptive_recommended_only_above_min_saving():
    inp, pl = hard_plan()
    s = pl.how["saving_vs_uniform"]["reasoning"]
    assert 0 < s < 0.95
    strict = make_inputs(HARD, target=0.8, min_saving=min(0.99, s + 0.01))
    assert P.plan(strict).recommendation["policy"] == "uniform"


# ---------------------------------------------------------------- verifier aggregation


def test_perfect_verifier_equals_pass_at_k_and_early_stop_success_is_verifier_select():
    inp = make_inputs(n=800)
    w = inp.workloads["reasoning"]
    B = [1.0, 3.0, 12.0]
    for pol in ("uniform", "early_stop", "binned_predicted"):
        a = P.evaluate(w, pol, B, np.random.default_rng(5), selector=P.selector_of("pass_at_k", 0.9, 0.1))
        b = P.evaluate(w, pol, B, np.random.default_rng(5), selector=P.selector_of("verifier", 1.0, 0.0))
        assert np.allclose(a["accuracy"], b["accuracy"]) and np.allclose(a["spent"], b["spent"])
    sel = P.selector_of("verifier", 0.8, 0.2)
    e = P.evaluate(w, "early_stop", B, np.random.default_rng(5), selector=sel)
    assert np.allclose(e["accuracy"], sampling.verifier_select(w.p, e["k"], 0.8, 0.2).mean(axis=-1))
    # with a learned verifier the spend is the geometric spend on the acceptance rate
    acc_p = w.p * 0.8 + (1 - w.p) * 0.2
    assert np.allclose(e["spent"], A.ProbPopulation(acc_p).stop_cost(e["k"]).mean(axis=-1))
    assert "probe_then_allocate" not in P.policies_for(sel)
    with pytest.raises(ParameterError, match="not available"):
        P.evaluate(w, "probe_then_allocate", B, np.random.default_rng(5), selector=sel)


def test_verifier_lowers_the_non_reasoning_ceiling():
    inp = make_inputs()
    w = inp.workloads["non_reasoning"]
    perfect = w.asymptote("pass_at_k", P.selector_of("pass_at_k", 1, 0))
    learned = w.asymptote("verifier", P.selector_of("verifier", 0.9, 0.1))
    assert perfect == pytest.approx(0.7) and learned < perfect


# ---------------------------------------------------------------- reachability (claim 4), split (claim 1), share (claim 2)


def test_reachability_samples_match_the_closed_form():
    inp = make_inputs(HARD)
    w = inp.workloads["non_reasoning"]
    r = P.reachability(w, 0.4, "pass_at_k", inp.selector, 0.02, 0.1)
    k = np.arange(1, 5000)
    cov = sampling.beta_coverage(k, 1.0, 2.0, 0.5)
    k_star = int(k[np.argmax(cov >= 0.4)])
    assert r["reachable"] and r["samples_needed"] == k_star
    assert r["cost_ratio_vs_one_reasoning_sample"] == pytest.approx(k_star * 0.02 / 0.1)


def test_search_split_is_the_expansion_path_optimum():
    inp = make_inputs()
    m = P.claim1_model({}, inp.prices, inp.costs, TOKENS, 2000.0)
    sp = P.search_split(m, 0.6)
    assert sp["reachable"]
    assert m.price_reasoning_per_mtok == inp.prices["reasoning"].output_usd_per_mtok
    # the search price is the effective prompt price with caching
    row = inp.costs[(inp.costs["model"] == "reasoning") & inp.costs["caching"]].iloc[0]
    eff = sum(row[tokens.COST_COLUMNS[c]] for c in tokens.PROMPT_COLUMNS) / 20000 * 1e6
    assert m.price_search_per_mtok == pytest.approx(eff)
    if sp["interior"]:
        assert sp["mrs"] == pytest.approx(sp["price_ratio"], rel=1e-3)
    assert not P.search_split(m, 0.95)["reachable"]  # above the model's ceiling 1 - unsolvable_share


def test_quality_split_known_cases():
    q = P.quality_split(0.2, 0.5, 0.6, 0.9)
    assert q["budget_part"] + q["model_part"] == pytest.approx(q["total"]) == pytest.approx(0.7)
    assert P.quality_split(0.2, 0.5, 0.2, 0.5)["share_from_budget"] == pytest.approx(1.0)  # model does not matter
    assert P.quality_split(0.2, 0.2, 0.6, 0.6)["share_from_budget"] == pytest.approx(0.0)  # budget does not matter
    inp = make_inputs()
    b = P.budget_vs_model(inp, 4.0)
    assert 0 <= b["share_from_budget"] <= 1
    acc = b["accuracy"]
    assert b["gain_upgrade"] == pytest.approx(acc["reasoning"]["one_sample"] - acc["non_reasoning"]["one_sample"], abs=1e-6)
    assert b["gain_doubling"] == pytest.approx(acc["non_reasoning"]["two_samples"] - acc["non_reasoning"]["one_sample"],
                                               abs=1e-6)


# ---------------------------------------------------------------- prices and caching (claim 5)


def test_sample_costs_closed_form():
    prices = P.price_tables("Anthropic", reasoning_price_multiplier=2.0)
    costs = P.sample_costs(prices, TOKENS, 0.9, 1.0, 2000.0, usd_per_search_call=0.01)
    t = prices["non_reasoning"]
    I, O = TOKENS["non_reasoning"]
    plain = (I * t.input_usd_per_mtok + O * t.output_usd_per_mtok) / 1e6 + I / 2000 * 0.01
    cached = (I * t.input_usd_per_mtok * (0.9 * t.read_mult + 0.1 * t.write_5m_mult) + O * t.output_usd_per_mtok) / 1e6 \
        + I / 2000 * 0.01
    assert P.usd_per_sample(costs, "non_reasoning", False) == pytest.approx(plain)
    assert P.usd_per_sample(costs, "non_reasoning", True) == pytest.approx(cached)
    assert prices["reasoning"].output_usd_per_mtok == pytest.approx(2 * t.output_usd_per_mtok)
    # ledger columns add up to the prompt
    led = P.sample_ledger(TOKENS, 0.37, 0.5)
    assert (led[tokens.PROMPT_COLUMNS].sum(axis=1).to_numpy() == [20000] * 4).all()


def test_cache_shares_from_a_ledger():
    led = pd.DataFrame({"uncached_input": [100, 0], "cache_write_5m": [300, 0], "cache_write_1h": [0, 0],
                        "cache_read": [600, 1000], "output": [50, 50], "provider": ["Anthropic", "OpenAI"]})
    led = led.astype({c: "int64" for c in tokens.TOKEN_COLUMNS})
    s = P.cache_shares(led, "Anthropic")
    assert s["cache_read_share"] == pytest.approx(0.6) and s["cache_write_share"] == pytest.approx(0.75)
    s_all = P.cache_shares(led, "DeepSeek")  # no rows of that provider: all rows
    assert s_all["cache_read_share"] == pytest.approx(1600 / 2000) and s_all["calls"] == 2


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("changes, name", [
    ({"target_accuracy": 0.0}, "target_accuracy"),
    ({"target_accuracy": 1.0}, "target_accuracy"),
    ({"target_accuracy": 1.5}, "target_accuracy"),
    ({"target_accuracy": "high"}, "target_accuracy"),
    ({"budget_cap_usd": -1.0}, "budget_cap_usd"),
    ({"input_usd_per_mtok": -3.0}, "input_usd_per_mtok"),
    ({"output_usd_per_mtok": -15.0}, "output_usd_per_mtok"),
    ({"price_provider": "Acme"}, "price_provider"),
    ({"cache_read_share": 1.2}, "cache_read_share"),
    ({"cache_write_share": -0.1}, "cache_write_share"),
    ({"pi0_nr": 1.0}, "pi0_nr"),
    ({"a_r": 0.0}, "a_r"),
    ({"n_problems": 10.5}, "n_problems"),
    ({"reasoning_model_available": "yes"}, "reasoning_model_available"),
    ({"aggregation": "majority_vote"}, "aggregation"),
    ({"aggregation": "verifier", "verifier_tpr": 0.3, "verifier_fpr": 0.4}, "verifier_fpr"),
    ({"min_saving": 1.0}, "min_saving"),
    ({"reasoning_price_multiplier": 0.0}, "reasoning_price_multiplier"),
    ({"tokens_per_search_step": 0}, "tokens_per_search_step"),
    ({"max_samples_per_task": 0}, "max_samples_per_task"),
    ({"rs_model": {"colour": 1}}, "rs_model"),
    ({"rs_model": {"interaction": 2.0}}, "rs_model"),
    ({"rs_model": [1, 2]}, "rs_model"),
    ({"problems_path": "/no/such/file.csv"}, "problems_path"),
])
def test_bad_parameters_are_rejected_naming_the_parameter(changes, name):
    with pytest.raises(ParameterError, match=name):
        P.validate_inputs(**valid_params(**changes))


def test_valid_parameters_pass_and_logs_exclude_a_given_share(tmp_path):
    assert P.validate_inputs(**valid_params()) == {"problems_path": None, "logs_path": None}
    f = tmp_path / "logs.csv"
    f.write_text("timestamp,session,model,uncached_input,cache_write,cache_read,output\n")
    with pytest.raises(ParameterError, match="cache_read_share"):
        P.validate_inputs(**valid_params(logs_path=str(f)))


def _write(tmp_path, text, name="p.csv"):
    f = tmp_path / name
    f.write_text(text)
    return f


@pytest.mark.parametrize("text, needle", [
    ("problem_id,n_samples,n_correct\nq1,10,3\nq2,10,11\n", "line 3"),
    ("problem_id,n_samples,n_correct\nq1,10,3\nq2,ten,1\n", "line 3"),
    ("problem_id,n_samples,n_correct\nq1,0,0\n", "line 2"),
    ("problem_id,n_samples,n_correct,kind\nq1,10,3,reasoning\nq2,10,1,gpt-4o\n", "line 3: column 'kind'"),
    ("problem_id,n_samples\nq1,10\n", "n_correct"),
    ("problem_id,n_samples,n_correct\n", "no data rows"),
])
def test_malformed_problems_csv_names_the_row(tmp_path, text, needle):
    with pytest.raises(DataError, match=needle):
        P.read_workload_csv(_write(tmp_path, text))


def test_problems_csv_split_by_kind_and_plug_in_curve(tmp_path):
    rows = ["problem_id,n_samples,n_correct,model"]
    rng = np.random.default_rng(2)
    for kind, scale in (("non_reasoning", 0.2), ("reasoning", 0.8)):
        for i in range(40):
            rows.append(f"q{i},50,{rng.binomial(50, scale * (i % 5) / 4)},{kind}")
    frames = P.read_workload_csv(_write(tmp_path, "\n".join(rows) + "\n"))
    assert set(frames) == set(P.KINDS) and all(len(f) == 40 for f in frames.values())
    only = P.read_workload_csv(_write(tmp_path, "problem_id,n_samples,n_correct\nq1,10,3\nq2,10,0\n", "o.csv"))
    assert set(only) == {"non_reasoning"}
    inp = make_inputs(frames=frames, target=0.5)
    w = inp.workloads["non_reasoning"]
    assert w.source == "problems_path" and np.allclose(w.p, frames["non_reasoning"]["n_correct"] / 50)
    assert w.asymptote("pass_at_k", inp.selector) == pytest.approx(np.mean(frames["non_reasoning"]["n_correct"] > 0))
    pl = P.plan(inp)
    chk = P.recovery_checks(inp, pl)
    assert max(chk["uniform_vs_closed_form_z"].values()) < 1e-6  # the same tasks, exactly


# ---------------------------------------------------------------- determinism


def test_same_seed_same_plan_different_seed_different_population():
    a = P.plan(make_inputs(HARD, target=0.8, n=600, seed=3)).table
    b = P.plan(make_inputs(HARD, target=0.8, n=600, seed=3)).table
    pd.testing.assert_frame_equal(a, b)
    c = P.plan(make_inputs(HARD, target=0.8, n=600, seed=4)).table
    assert not np.allclose(a["expected_accuracy"], c["expected_accuracy"])

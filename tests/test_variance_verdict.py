"""helpers.variance verdict: claim 2's rule (every outcome reachable), attainable R², the aggregate bootstrap,
the points-per-parameter flag, user data judged alone, and the specification curve."""
import numpy as np
import pandas as pd
import pytest

from helpers import variance as V
from helpers import verdicts
from helpers.validate import ParameterError

CLAIM, TOL = 0.80, 0.10


def entry(alone, ci, n=100, n_params=4, attainable=None, shares=None, shares_ci=None):
    return {"unit": "run", "n": n, "n_params": n_params, "attainable_r2": attainable,
            "alone_r2": {"tokens": alone}, "alone_r2_ci": {"tokens": ci},
            "shares": {"tokens": alone if shares is None else shares},
            "shares_ci": {"tokens": ci if shares_ci is None else shares_ci}}


HOLD = entry(0.9, [0.85, 0.95])
BREAK = entry(0.1, [0.05, 0.2])
STRADDLE = entry(0.7, [0.5, 0.9])


def decide(entries, **kw):
    t = V.evidence(entries, claim=CLAIM, tolerance=TOL, **kw)
    rule, _ = V.rule(1.0, 1, CLAIM, TOL, 5.0)
    return rule.decide(t), t


@pytest.mark.parametrize("entries, expected", [
    ({"deepdive_config": HOLD, "mcpmark_run": HOLD, "mcpmark_config": HOLD}, "supported"),
    ({"deepdive_config": BREAK, "mcpmark_run": BREAK, "mcpmark_config": STRADDLE}, "not supported"),
    ({"deepdive_config": HOLD, "mcpmark_run": BREAK}, "partly supported"),
    ({"deepdive_config": STRADDLE, "mcpmark_run": STRADDLE}, "inconclusive"),
    ({}, "inconclusive"),
])
def test_every_outcome_is_reachable(entries, expected):
    assert decide(entries)[0] == expected


def test_coding_agents_and_simulators_never_decide():
    v, t = decide({"swe_effi_run": HOLD, "terminal_bench_config": HOLD, "synthetic_wide_config": HOLD,
                   "mcpmark_run": BREAK})
    assert v == "not supported"
    assert set(t["source"]) == {"swe_effi", "terminal_bench", "mcpmark"}  # simulators are not in the table
    assert not t.loc[t["source"] != "mcpmark", "in_scope"].any()
    assert decide({"swe_effi_run": HOLD, "synthetic_wide_config": HOLD})[0] == "inconclusive"


def test_too_few_points_per_parameter_is_unresolved():
    # 9 parameters on 15 points: the Shapley share is not resolved, however tight its interval
    e = entry(0.9, [0.85, 0.95], n=15, n_params=9)
    v, t = decide({"deepdive_config": e}, statistic="shapley")
    assert v == "inconclusive" and t["outcome"].iloc[0] == "unresolved" and "15 points for 9" in t["note"].iloc[0]
    # the alone R² needs 2 parameters: 15 points suffice
    assert decide({"deepdive_config": e}, statistic="alone")[0] == "supported"


def test_attainable_scale_compares_with_what_a_binary_outcome_allows():
    # raw R² 0.5 with interval [0.45, 0.55] breaks on the raw scale; with an attainable R² of 0.6 it is
    # 0.83 of what is attainable and holds
    e = entry(0.5, [0.45, 0.55], attainable=0.6)
    assert decide({"mcpmark_run": e}, scale="raw")[0] == "not supported"
    v, t = decide({"mcpmark_run": e}, scale="attainable")
    assert v == "supported" and t["figure"].iloc[0] == pytest.approx(0.5 / 0.6)
    # almost nothing to explain beyond noise: unresolved on the attainable scale
    assert decide({"mcpmark_run": entry(0.5, [0.45, 0.55], attainable=0.05)})[0] == "inconclusive"


def test_attainable_run_recovers_var_p_over_var_y(rng):
    # cells with known success probabilities, 4 runs each: attainable R² = Var(p) / Var(y)
    p = rng.beta(0.7, 0.7, 3000)
    y = (rng.random((3000, 4)) < p[:, None]).astype(float)
    runs = pd.DataFrame({"config": "c", "task": np.repeat(np.arange(3000), 4).astype(str), "y": y.ravel()})
    truth = np.var(p) / (np.mean(p) * (1 - np.mean(p)))
    assert V.attainable_run(runs) == pytest.approx(truth, abs=0.03)
    assert V.attainable_run(runs.drop(columns="task")) is None
    single = runs.groupby("task").head(1)
    assert V.attainable_run(single) is None  # no repeated cells: not estimable


def test_attainable_aggregate_closed_form():
    # accuracies over n questions: noise p(1-p)/(n-1) against their spread
    f = pd.DataFrame({"score": [0.2, 0.5, 0.8], "n_questions": 50})
    noise = np.mean([0.2 * 0.8 / 49, 0.25 / 49, 0.2 * 0.8 / 49])
    assert V.attainable_aggregate(f) == pytest.approx(1 - noise / np.var([0.2, 0.5, 0.8], ddof=1))
    assert V.attainable_aggregate(f.assign(score=0.5)) is None


def _aggregate(rng, slope, n_cfg=18, n_q=200):
    x = np.linspace(14, 20, n_cfg)
    p = np.clip(0.15 + slope * (x - 14), 0.02, 0.98)
    acc = rng.binomial(n_q, p) / n_q
    return pd.DataFrame({"model": [f"m{i % 3}" for i in range(n_cfg)], "config": [f"c{i}" for i in range(n_cfg)],
                         "orchestration": ["standard", "orchestrated"] * (n_cfg // 2), "tokens": np.exp2(x),
                         "score": acc, "n_questions": n_q})


def test_aggregate_bootstrap_recovers_and_is_wider_with_configurations(rng):
    f = _aggregate(rng, 0.12)
    a = V.attribute_aggregate(f, ["tokens", "model"], n_boot=400, rng=np.random.default_rng(1))
    b = V.attribute_aggregate(f, ["tokens", "model"], n_boot=400, rng=np.random.default_rng(1), resample_configs=False)
    assert a.alone_r2["tokens"] > 0.9 and a.alone_ci["tokens"][0] > 0.8
    assert sum(a.shares.values()) == pytest.approx(a.r2_total)
    assert a.n_params == 1 + 1 + 2
    w = lambda ci: ci[1] - ci[0]  # noqa: E731
    assert w(a.alone_ci["tokens"]) >= w(b.alone_ci["tokens"])
    flat = V.attribute_aggregate(_aggregate(rng, 0.0), ["tokens"], n_boot=400, rng=np.random.default_rng(2))
    assert flat.alone_ci["tokens"][1] < 0.5
    again = V.attribute_aggregate(f, ["tokens", "model"], n_boot=400, rng=np.random.default_rng(1))
    assert again.alone_ci == a.alone_ci  # seeded


def test_deepdive_model_without_tokens_is_excluded_and_counted():
    agg = pd.DataFrame({"model": ["a", "a", "b", "b"], "mode": ["standard", "rlm"] * 2,
                        "orchestrated": [False, True] * 2, "tokens_logged": [True, True, False, False],
                        "total_tokens": [1e5, 3e5, np.nan, np.nan], "accuracy": [0.5, 0.6, 0.3, 0.4],
                        "n_questions": 50})
    f, excluded = V.from_deepdive(agg)
    assert excluded == ["b"] and len(f) == 2
    assert list(f["orchestration"]) == ["standard", "orchestrated"]


def test_mcpmark_runs_without_tokens_are_left_out_and_counted():
    raw = pd.DataFrame({"base_model": "m", "config": "m-low", "task": ["t1", "t2", "t3"], "service": "github",
                        "total_tokens": pd.array([100, pd.NA, 300], dtype="Int64"), "turns": pd.array([1, 2, 3], dtype="Int64"),
                        "success": [True, False, True], "tokens_ok": [True, False, True]})
    f, dropped = V.from_mcpmark(raw)
    assert dropped == 1 and list(f["task"]) == ["t1", "t3"] and list(f["tool_calls"]) == [1.0, 3.0]


def _user_runs(rng, explain: bool):
    n_cfg, n_task, reps = 12, 15, 2
    cfg = np.repeat(np.arange(n_cfg), n_task * reps)
    task = np.tile(np.repeat(np.arange(n_task), reps), n_cfg)
    log2_tok = 12 + cfg * 0.5 + rng.normal(0, 0.8, cfg.size)
    if explain:  # the score is (nearly) a linear function of log tokens
        score = np.clip(0.05 + 0.12 * (log2_tok - 11), 0, 1) + rng.normal(0, 0.005, cfg.size)
    else:  # the score depends on the task only, not on tokens
        score = (rng.random(cfg.size) < np.linspace(0.1, 0.9, n_task)[task]).astype(float)
    return V.prepare(pd.DataFrame({"model": [f"m{c % 4}" for c in cfg], "config": [f"c{c}" for c in cfg],
                                   "task": [f"t{t}" for t in task], "tokens": np.exp2(log2_tok),
                                   "score": np.clip(score, 0, 1)}))


@pytest.mark.parametrize("explain, expected", [(True, "supported"), (False, "not supported")])
def test_user_runs_alone_decide(rng, explain, expected):
    runs = _user_runs(rng, explain)
    res, _ = V.analyse_logged(runs, ["tokens", "model"], source="user", n_boot=60, rng=np.random.default_rng(3),
                               controls=("model",))
    entries = {f"user_{u}": e for u, e in res.items() if e is not None}
    # the study's evidence is shown beside and does not decide
    entries["mcpmark_run"] = BREAK if explain else HOLD
    t = verdicts.user_scope(V.evidence(entries, claim=CLAIM, tolerance=TOL), True)
    assert V.rule(1.0, 1, CLAIM, TOL, 5.0)[0].decide(t) == expected
    mine = t[t["in_scope"]].set_index("unit")["outcome"]
    assert set(mine.index) == {"run", "config"}
    if explain:
        assert (mine == "holds").all()
    else:
        assert mine["run"] == "breaks" and "holds" not in set(mine)
    spec = {"statistic": "alone", "scale": "attainable", "tolerance": TOL, "units": "run+config", "sources": "user",
            "orchestration": "as a factor"}
    assert V.verdict_for(spec, entries, claim=CLAIM, support_share=1.0, min_resolved=1, min_points_per_param=5.0,
                          user=True) == expected


def test_specification_curve_over_declared_alternatives():
    entries = {"deepdive_config": BREAK, "deepdive_config_no_orchestration": HOLD, "mcpmark_run": BREAK,
               "mcpmark_config": BREAK}
    choices = V.spec_choices(TOL, user=False)
    assert choices["tolerance"] == [0.05, 0.1, 0.2]
    head = {k: v[0] for k, v in choices.items()} | {"tolerance": TOL}
    rob = verdicts.specification_curve(
        lambda s: V.verdict_for(s, entries, claim=CLAIM, support_share=1.0, min_resolved=1,
                                 min_points_per_param=5.0, user=False), choices, head)
    assert rob.headline == "not supported"
    flips = rob.table[rob.table["verdict"] != "not supported"]
    # leaving orchestration out swaps in an entry that holds: DeepDive-only specs flip to supported
    assert set(flips.loc[flips["verdict"] == "supported", "orchestration"]) == {"left out"}
    assert set(flips.loc[flips["verdict"] == "supported", "sources"]) == {"deepdive"}
    assert rob.specifications == 2 * 2 * 3 * 3 * 3 * 2


def test_bad_choices_name_the_parameter():
    with pytest.raises(ParameterError, match="statistic"):
        V.figure_of(HOLD, "median", "raw")
    with pytest.raises(ParameterError, match="support_share"):
        V.rule(0.4, 1, CLAIM, TOL, 5.0)
    with pytest.raises(ParameterError, match="names no unit"):
        V.source_of("mcpmark")

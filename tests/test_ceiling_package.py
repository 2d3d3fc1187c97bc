"""The notebook-facing modules of helpers.ceiling: params, records, synthetic, published, evidence, report, figures."""
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from helpers import ceiling as C
from helpers import paths, schema
from helpers.validate import ParameterError

NB = paths.NOTEBOOKS / "04_reasoning_ceiling.ipynb"


def _params(**over):
    values = {n: d for n, _, d, _ in schema.parameters_cell(NB)}
    values.update(over)
    return C.params.SCHEMA.validate(values)


# ---------------------------------------------------------------- params


def test_quick_sizes_shrink_and_full_sizes_are_the_parameters():
    full, quick = C.params.sizes(_params()), C.params.sizes(_params(quick=True))
    assert (full.n_boot, full.n_nodes, full.profile_points) == (200, 512, 30)
    assert (quick.n_boot, quick.n_nodes, quick.n_nodes_vote, quick.profile_points) == (10, 96, 48, 10)
    assert quick.pi0_points == 3 and quick.curve_profile_xtol == 1e-2 and full.curve_profile_xtol is None
    assert quick.profile_xtol == 1e-2 and full.profile_xtol == 1e-5  # 1e-5: the fits' own default
    assert quick.observed_k_max <= quick.synthetic_samples and len(quick.tb_r) == 1 and len(quick.tb_nr) == 2
    assert quick.curve_profile_points == 10 and full.curve_profile_points is None  # None: helpers.curves' default
    assert quick.curve_forms == ("power_saturating",) and full.curve_forms == ("power_saturating", "logistic_log")
    assert quick.monkeys_smaller == 2 and full.monkeys_smaller is None  # None: every Pythia size
    assert full.nodes["majority_vote"] == full.n_nodes_vote and full.k_max["majority_vote"] == full.k_max_vote
    assert "TPR 0.9" in full.agg_label["verifier"]


def test_quick_specification_curve_keeps_the_headline_and_one_alternative_per_choice_but_two():
    for over in ({}, {"spend_view": "matched_k", "catch_up_tolerance": 0.05, "affordable_cost_ratio": 2.0}):
        full, quick = C.evidence.choices(_params(**over)), C.evidence.choices(_params(quick=True, **over))
        head = C.evidence.headline(_params(quick=True, **over))
        assert list(full) == list(quick) and int(np.prod([len(v) for v in full.values()])) == (96 if over else 216)
        for k, v in quick.items():
            assert len(v) == (1 if k in ("cost_limit", "tolerance") else 2) and head[k] in v and set(v) <= set(full[k])
            assert v == [x for x in full[k] if x in v]


@pytest.mark.parametrize("over, name", [({"breaks_min_share": 0.05}, "breaks_min_share"),
                                        ({"observed_k_max": 2000}, "observed_k_max"),
                                        ({"mcpmark_reasoning_override": {"gpt-5": "yes"}}, "mcpmark_reasoning_override")])
def test_cross_parameter_checks_name_the_parameter(over, name):
    with pytest.raises(ParameterError, match=name):
        _params(**over)


# ---------------------------------------------------------------- records and the legacy view


def test_records_flag_extrapolated_budgets_and_count_capability_gaps_only_when_asked():
    rec = C.records.Records()
    rec.add_asym("d", "m", "pass_at_k", 0.5, (0.4, 0.6), True, "beta_mixture")
    assert rec.asym_of("d", "m", "pass_at_k")["ci"] == [0.4, 0.6]
    base = {"target_accuracy": 0.6, "tokens_needed": None, "cost_ratio": 3.0, "asymptote": 0.9, "status": "reached"}
    rec.add_catch("d", "rl_vs_base", "a", "b", "pass_at_k", {**base, "samples_needed": 8}, 4)
    rec.add_catch("d", "capability_gap", "c", "b", "pass_at_k", {**base, "samples_needed": 2}, 4)
    assert [c["extrapolated"] for c in rec.catch] == [True, False]
    p = SimpleNamespace(affordable_cost_ratio=10.0, holds_max_share=0.1, breaks_min_share=0.5,
                        count_capability_gap=False)
    assert len(C.records.legacy_view(rec, p).evidence) == 1
    p.count_capability_gap = True
    lv = C.records.legacy_view(rec, p)
    assert len(lv.evidence) == 2 and lv.per_agg["caught_up"].iloc[0] == 2


# ---------------------------------------------------------------- synthetic


def test_pi0_sweep_catches_up_by_coverage_only_below_the_wall():
    p = _params(quick=True, pi0_points=5)
    s = C.params.sizes(p)
    a = SimpleNamespace(gpt4o=0.1, o1_single=0.5)
    sweep = C.synthetic.pi0_sweep(p, s, a)
    cov = sweep[sweep["aggregation"] == "pass_at_k"]
    # the coverage limit is 1 - pi0: it reaches the target exactly while pi0 < 1 - target
    np.testing.assert_allclose(cov["limit"], 1 - cov["pi0"])
    assert (cov["samples_needed"].notna() == (cov["pi0"] < 1 - a.o1_single)).all()
    assert "π0 < 1 - target = 0.50" in C.synthetic.sweep_text(sweep, s, a)


def test_vote_sensitivity_nodes_match_the_closed_form():
    p = _params()
    tab = C.synthetic.vote_sensitivity(C.BetaMixture(0.3, 0.5, 1.5), p, C.params.sizes(p))
    np.testing.assert_allclose(tab["via majority_vote_limit on nodes"], tab["majority-vote ceiling (closed form)"],
                               atol=2 / 512)
    assert tab["majority-vote ceiling (closed form)"].is_monotonic_decreasing  # more rival mass: lower ceiling


# ---------------------------------------------------------------- published curves and evidence


def _path(tmp_path, weak, strong, t_w=500.0, t_s=4000.0):
    k = np.array([1, 2, 4, 8, 16, 32, 64, 128])
    rows = [("strong", "reasoning", kk, v, t_s, "pass_at_k") for kk, v in zip(k, C.mixture_curve(strong, "pass_at_k", k))]
    rows += [("weak", "non_reasoning", kk, v, t_w, "pass_at_k") for kk, v in zip(k, C.mixture_curve(weak, "pass_at_k", k))]
    f = tmp_path / "path.csv"
    pd.DataFrame(rows, columns=["model", "kind", "samples", "accuracy", "tokens_per_sample", "aggregation"]).to_csv(f, index=False)
    return C.published.scaling_path(f)


def test_a_user_path_below_its_target_hits_the_ceiling_and_decides_alone(tmp_path):
    path = _path(tmp_path, C.BetaMixture(0.5, 1.0, 1.0), C.BetaMixture(0.05, 3.0, 1.0))
    p = _params(quick=True, scaling_path=str(path.file))
    s, rec = C.params.sizes(p), C.records.Records()
    fits, gen = C.published.path_fits(path, rec, p, s)
    assert fits[("weak", "pass_at_k")]["asymptote"] == pytest.approx(0.5, abs=0.02)
    assert set(gen["method"]) >= {"beta_mixture", "power_saturating", "exp_power_law"}
    cat = C.published.path_catch_up(path, fits, rec, p)
    assert cat["status"].tolist() == ["ceiling"] and cat["samples_needed"].isna().all()
    assert C.published.crossings(path) == ["Observed pass@k: weak stays below strong at every observed k."]
    ev = C.evidence.Evidence(None, C.evidence.curve_groups(path, p, s), user=True)
    head = C.evidence.headline(p)
    tab = ev.table(head)
    assert tab["in_scope"].all() and set(tab["outcome"]) == {"holds"}
    assert C.CeilingRule().decide(tab) == "supported"
    assert all(head[k] in v for k, v in C.evidence.choices(p).items())


def test_counts_comparisons_use_one_spend_for_tokens_and_dollars():
    k = np.arange(1, 5.0)
    out = C.evidence.counts_comparisons([("w", "s")], {"w": (k, k / 10), "s": (k, k / 5)}, {("w", "s"): (1.0, 3.0)},
                                        "reasoning vs instruct")
    assert out[0]["spends"] == {"matched_tokens": (1.0, 3.0), "matched_cost": (1.0, 3.0), "matched_k": (1.0, 1.0)}
    r = C.curve_outcomes(out, "matched_tokens", 0.02, np.inf)
    # w costs a third of s per attempt: w's k = 3 (0.3) meets s's k = 1 (0.2); w's k = 2 buys s less than one attempt
    assert r["result"].iloc[0] == "caught_up" and r["k_caught_up"].iloc[0] == 3
    assert C.curve_outcomes(out, "matched_k", 0.02, np.inf)["result"].iloc[0] == "stays_below"


# ---------------------------------------------------------------- report


def test_parameters_record_the_sizes_used_and_the_override_sorted():
    p = _params(quick=True, mcpmark_reasoning_override={"b": True, "a": False})
    out = C.report.parameters(p, C.params.sizes(p))
    assert set(out) == set(C.params.SCHEMA.params)  # every parameter, nothing else
    assert out["n_boot"] == 10 and out["profile_points"] == 10 and out["quick"] is True
    assert list(out["mcpmark_reasoning_override"]) == ["a", "b"] and out["scaling_path"] is None


def test_summary_counts_catch_ups_per_unit_and_level_starts():
    from helpers import verdicts

    rows = [verdicts.evidence_row("mcpmark", "thinking pair", in_scope=True, outcome="breaks", figure=0.0, ci=None,
                                  setting="tool use", note="a vs b: catches up at matched spend"),
            verdicts.evidence_row("mcpmark", "thinking pair", in_scope=True, outcome="holds", figure=-0.1, ci=None,
                                  setting="tool use", note="c vs d: stays below at every matched spend"),
            verdicts.evidence_row("mcpmark", "config pair", in_scope=True, outcome="unresolved", figure=None, ci=None,
                                  setting="tool use", note="e vs f: already level or ahead at k = 1 (no scaling involved)")]
    tab = verdicts.evidence_table(rows)
    units = C.CeilingRule().units(tab)
    text = C.report.summary(units, tab, _params())
    assert "thinking pair: 1 of 2 catch up (breaks)" in text and "1 in-scope comparison(s) are already level" in text
    assert C.CeilingRule().decide(tab) == "not supported"


# ---------------------------------------------------------------- figures


def test_figures_are_saved_under_their_names(tmp_path, monkeypatch):
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(tmp_path))
    p = _params(quick=True, pi0_points=3)
    s = C.params.sizes(p)
    a = SimpleNamespace(gpt4o=0.1, o1_single=0.5)
    C.figures.catch_up_vs_pi0(C.synthetic.pi0_sweep(p, s, a), s, p, a.o1_single)
    rec = C.records.Records()
    base = {"target_accuracy": 0.6, "tokens_needed": None, "cost_ratio": None, "asymptote": 0.5, "status": "ceiling",
            "samples_needed": None}
    rec.add_catch("d", "rl_vs_base", "a", "b", "pass_at_k", base, 4)
    C.figures_evidence.legacy_catch_up(C.records.legacy_view(rec, p), p)
    saved = {f.name for f in tmp_path.rglob("*.png")}
    assert saved == {"04_reasoning_ceiling_catch_up_vs_pi0.png", "04_reasoning_ceiling_catch_up.png"}


# ---------------------------------------------------------------- logged data and MCPMark


def test_unavailable_logged_data_is_reported_and_draws_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("STUDY_DATA_DIR", str(tmp_path / "nothing"))
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    p = _params(quick=True)
    s, rec, rng = C.params.sizes(p), C.records.Records(), np.random.default_rng(0)
    assert C.logged.monkeys(rec, p, s, rng) is None and C.logged.terminal_bench(rec, p, s, rng) is None
    assert C.agents.load(p, s, rng) is None
    assert rec.asym == [] and rec.catch == [] and capsys.readouterr().out.strip()
    assert rng.integers(0, 2 ** 32) == np.random.default_rng(0).integers(0, 2 ** 32)  # the stream is untouched


def test_quick_monkeys_fit_the_reference_and_the_smallest_and_largest_size_below_it():
    from helpers import datasets, registry

    try:
        every = sorted(datasets.monkeys_counts()["model"].unique(), key=C.data.pythia_parameters)
    except registry.DataUnavailable:
        pytest.skip("Large Language Monkeys counts not fetched")
    p = _params(quick=True)
    s, rec = C.params.sizes(p), C.records.Records()
    mk = C.logged.monkeys(rec, p, s, np.random.default_rng(0))
    below = [m for m in every if C.data.pythia_parameters(m) < C.data.pythia_parameters(p.monkeys_reference)]
    assert len(below) > 2 and mk.models == [below[0], below[-1], p.monkeys_reference]
    assert set(mk.summary["model"]) == set(mk.models) == {a["model"] for a in rec.asym}
    assert len(rec.asym) == 3 * len(mk.models)  # pass@k, majority vote and verifier limits of each size kept


def test_views_text_counts_only_thinking_and_config_pairs():
    o = pd.DataFrame({"unit": ["thinking pair", "config pair", "config pair", "capability pair"],
                      "result": ["caught_up", "stays_below", "already_ahead", "caught_up"]})
    text = C.agents.views_text({"matched_k": o})
    assert text == ("matched_k: the weaker side catches up in 1 of 2 counted thinking and configuration pairs; "
                    "1 are already level or ahead at k = 1 and 0 cannot be decided.")
    assert C.agents.views_table({"matched_k": o}).loc[("matched_k", "capability pair"), "caught_up"] == 1

"""helpers.variance params, study, report and figures: notebook 02's schema checks, steps, sentences and plots."""
from types import SimpleNamespace

import matplotlib
import numpy as np
import pandas as pd
import pytest

matplotlib.use("Agg")

from helpers import schema, verdicts  # noqa: E402
from helpers.validate import ParameterError  # noqa: E402
from helpers.variance import figures as F  # noqa: E402
from helpers.variance import params as P  # noqa: E402
from helpers.variance import report as R  # noqa: E402
from helpers.variance import study  # noqa: E402

DEFAULTS = {n: d for n, _, d, _ in schema.parameters_cell(
    __import__("helpers.paths", fromlist=["NOTEBOOKS"]).NOTEBOOKS / "02_token_variance.ipynb")}


# ---------------------------------------------------------------- params


@pytest.mark.parametrize("change, name", [
    ({"upgrade_to": "B"}, "upgrade_to"),                        # the upgrade must change the model
    ({"upgrade_from": "Z"}, "upgrade_from"),                    # not in the catalogue
    ({"wide_models": ["B", "B"]}, "wide_models"),               # names must be distinct
    ({"narrow_models": ["A", "X"]}, "narrow_models"),           # and keys of model_capability
    ({"model_capability": {"A": 11.0}}, "model_capability"),    # capabilities are logits in [-10, 10]
    ({"model_capability": {}}, "model_capability"),
])
def test_cross_parameter_checks_name_the_parameter(change, name):
    with pytest.raises(ParameterError, match=rf"'{name}'"):
        P.SCHEMA.validate({**DEFAULTS, **change})


def test_sizes_shrink_in_quick_mode_only():
    full = P.sizes(P.SCHEMA.validate(DEFAULTS))
    quick = P.sizes(P.SCHEMA.validate({**DEFAULTS, "quick": True}))
    g = DEFAULTS["spread_grid"]
    assert (full.B, full.T, full.GRID) == (DEFAULTS["n_boot"], DEFAULTS["n_tasks_sim"], g)
    assert (quick.B, quick.T, quick.GRID) == (20, 40, [g[0], g[len(g) // 2], g[-1]])
    assert full.caps == DEFAULTS["model_capability"] and full.SIM["runs"] == DEFAULTS["runs_per_cell"]
    assert (full.LOGGED_TASKS, full.FIG_BOOT) == (None, 200) and (quick.LOGGED_TASKS, quick.FIG_BOOT) == (16, 20)


def test_quick_mode_keeps_a_seeded_draw_of_a_logged_sources_tasks():
    rng = np.random.default_rng(1)
    raw = pd.DataFrame({"model": rng.choice(["a", "b", "c"], 600), "tokens": rng.integers(1000, 9000, 600),
                        "score": rng.integers(0, 2, 600).astype(float), "task": [f"t{i % 40}" for i in range(600)]})
    out = {}
    for quick, cap in ((False, None), (True, 16)):
        p = SimpleNamespace(seed=0, level=0.95)
        size = SimpleNamespace(B=20, LOGGED_TASKS=cap)
        out[quick] = study.logged("demo", lambda: raw, lambda r: r, ["tokens", "model"], None, p, size)
    assert out[False][1]["task"].nunique() == 40 and out[True][1]["task"].nunique() == 16
    assert set(out[True][1]["task"]) < set(raw["task"]) and out[True][2]["rows"] == 600
    again = study.logged("demo", lambda: raw, lambda r: r, ["tokens", "model"], None, p, size)[1]
    assert again.equals(out[True][1])


# ---------------------------------------------------------------- study


def test_budgets_span_the_spread_from_the_smallest_budget():
    p = SimpleNamespace(log2_budget_min=14.0, n_budget_levels=5)
    b = study.budgets(p, 8.0)
    assert b[0] == 14.0 and b[-1] == 22.0 and np.allclose(np.diff(b), 2.0)


def test_recovery_covers_the_closed_form_for_independent_predictors():
    rec = study.recovery(SimpleNamespace(quick=True, seed=0, level=0.95), SimpleNamespace(B=60))
    ind = rec[rec["case"] == "independent"]
    assert len(ind) == 6 and ind["covered"].sum() >= 5
    assert np.max(np.abs(ind["estimate"] - ind["true"])) < 0.05
    cor = rec[(rec["case"] == "correlated") & (rec["group"] == "tokens")].set_index("quantity")["estimate"]
    assert cor["alone R²"] > cor["Shapley share"]  # shared variance claimed by the alone figure


# ---------------------------------------------------------------- report


def _entry(alone, ci, within=None, wci=None, **kw):
    return {"unit": "run", "n": 100, "r2_total": 0.5, "alone_r2": {"tokens": alone}, "alone_r2_ci": {"tokens": ci},
            "shares": {"tokens": alone / 2, "tool_calls": 0.1}, "shares_ci": {"tokens": [0, 1], "tool_calls": [0, 1]},
            "token_slope": 0.1, "token_coef_within_task": within, "token_coef_within_task_ci": wci,
            "dropped_groups": [], **kw}


def test_claim_reads_the_shares_from_the_headline_table():
    h = pd.DataFrame({"claim": ["token_variance", "token_variance", "other"],
                      "quantity": ["token usage alone explains", "three factors explain", "x"],
                      "value": ["80%", "95%", "1"], "value_numeric": [80.0, 95.0, 1.0], "unit": ["%", "%", ""],
                      "scope": ["BrowseComp"] * 3, "citation": ["the post"] * 3})
    share, three, text = R.claim(h)
    assert (share, three) == (0.80, 0.95)
    assert "Source: the post" in text and "tokens alone explain 80%" in text and "together explain 95%" in text


def test_mechanism_flip_needs_both_intervals_to_exclude_zero():
    e = {"synthetic_mechanism_budget_run": _entry(0.2, [0.1, 0.3], 0.05, [0.01, 0.09]),
         "synthetic_mechanism_usage_run": _entry(0.2, [0.1, 0.3], -0.05, [-0.09, -0.01])}
    assert R.mechanism_text(e, 0.35)[1] is True
    e["synthetic_mechanism_usage_run"]["token_coef_within_task_ci"] = [-0.09, 0.01]
    text, flip = R.mechanism_text(e, 0.35)
    assert flip is False and text.endswith("does not flip at these parameters.")


def test_sweep_text_names_the_first_spread_within_tolerance():
    rows = [{"spread": s, "unit": u, "quantity": "alone R²", "value": v, "lo": v - 0.1, "hi": v + 0.15}
            for s, v in ((1.0, 0.2), (4.0, 0.6), (8.0, 0.8)) for u in ("config", "run")]
    t = R.sweep_text(pd.DataFrame(rows), 0.8, 0.1)
    assert "rises from 0.20 at a range of 1 doublings to 0.80 at 8" in t and "at 4 doublings" in t
    assert "never reaches" in R.sweep_text(pd.DataFrame(rows), 0.99, 0.0)


def test_summary_and_metrics_carry_the_verdict():
    ev = verdicts.evidence_table([verdicts.evidence_row("mcpmark", "run", in_scope=True, outcome="breaks", figure=0.1,
                                                        ci=[0.05, 0.15], setting="tool use", note="n")])
    robust = SimpleNamespace(agree=3, specifications=4)
    s = R.summary(ev, "not supported", robust, 0.8, "alone", "raw")
    assert s == ("Against the claimed 0.80, tokens (alone R², raw scale) give mcpmark per run 0.10 [0.05, 0.15] "
                 "(breaks): not supported; 3 of 4 specifications agree.")
    assert R.summary(ev.iloc[:0], "inconclusive", robust, 0.8, "alone", "raw").startswith("No in-scope")
    rec = pd.DataFrame({"covered": [True, False, True, True]})
    m = R.metrics(entries={}, dd_extra={}, claim_share=0.8, claim_three=0.95, verdict="not supported",
                  counts={"holds": 0}, statistic="alone", scale="raw", tolerance=0.1, design_alone=[0.3, 0.1, 0.7],
                  sweep=pd.DataFrame({"a": [1]}), uvd={}, fit_uvd={}, sign_flip=True, recovery=rec, notes=[])
    assert m["synthetic_token_alone_range"] == [0.1, 0.7] and m["recovery_coverage"] == 0.75
    assert m["verdict"] == "not supported" and m["deepdive_without_orchestration"] is None


# ---------------------------------------------------------------- figures


def test_figures_are_labelled():
    rec = pd.DataFrame({"case": ["independent"] * 2, "quantity": ["alone R²"] * 2, "true": [0.2, 0.4],
                        "estimate": [0.21, 0.39], "lo": [0.1, 0.3], "hi": [0.3, 0.5]})
    sweep = pd.DataFrame([{"spread": s, "unit": u, "quantity": q, "value": 0.5, "lo": 0.4, "hi": 0.6}
                          for s in (1.0, 2.0) for u in ("run", "config") for q in ("alone R²", "Shapley share")])
    for fig in (F.recovery(rec), F.spread(sweep, 0.8)):
        ax = fig.axes[0]
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
        matplotlib.pyplot.close(fig)

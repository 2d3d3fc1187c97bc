"""helpers.allocation's notebook parts: recovery of known truth, the evidence run (study), the report's tables,
sentences and metrics, and the figures."""
from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from helpers import allocation as A  # noqa: E402
from helpers import paths, sampling, schema  # noqa: E402
from helpers.allocation import figures, report  # noqa: E402
from helpers.allocation.recovery import recover  # noqa: E402
from helpers.allocation.study import Study  # noqa: E402


def _params(**over):
    cell = schema.parameters_cell(paths.NOTEBOOKS / "03_adaptive_allocation.ipynb")
    return A.params.SCHEMA.validate({**{n: d for n, _, d, _ in cell}, "quick": True, **over})


def test_recovery_reproduces_closed_forms_and_the_prior():
    rng = np.random.default_rng(5)
    a, b, pi0 = 0.5, 5.0, 0.2
    p = sampling.sample_beta_mixture(4000, a, b, pi0, rng)
    m, lines = recover(A.ProbPopulation(p), p, [1.0, 4.0, 16.0, 64.0], [2, 8], 16, (a, b, pi0), rng)
    assert len(lines) == 5
    assert m["uniform_vs_closed_form_max_se"] < 4  # a sample of the mixture: within a few standard errors
    assert m["waterfill_minus_lagrangian_min"] >= -2e-3  # greedy is optimal up to one marginal sample
    assert m["early_stop_spend_simulated"] == pytest.approx(m["early_stop_spend_closed_form"], rel=0.05)
    assert m["early_stop_success_simulated"] == pytest.approx(m["early_stop_success_closed_form"], abs=0.03)
    assert m["replay_minus_truth_max_abs"] < 0.02  # unbiased pass@k
    assert m["prior_fit"]["pi0"] == pytest.approx(pi0, abs=0.15)
    assert m["prior_fit"]["a"] / (m["prior_fit"]["a"] + m["prior_fit"]["b"]) == pytest.approx(a / (a + b), abs=0.05)


def _counts(rng, models=("m1", "m2"), N=40, n=300):
    rows = []
    p = np.where(rng.random(N) < 0.3, 0.0, rng.beta(0.5, 3.0, N))
    for m in models:
        c = rng.binomial(n, p)
        rows += [{"model": m, "problem_id": f"q{i}", "n_samples": n, "n_correct": int(c[i]), "cost": 1.0 + i % 3,
                  "difficulty_label": ""} for i in range(N)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def run():
    p = _params(n_boot=8, n_boot_prior=2)
    z = A.params.sizes(p)
    z.max_models = 2  # quick sizes keep one model per dataset; two here: pooled curves, the other-models predictor
    rng = np.random.default_rng(0)
    rule = A.AllocationRule(p.ratio_threshold, p.support_share, p.min_resolved_cells, p.level)
    st = Study(p, z, rng, rule)
    frame = _counts(rng)
    line = st.run_counts("toy", frame)
    st.replay("toy", frame, [1.0, 4.0], "user", limit=False)
    st.prior_cells("toy", frame.assign(n_samples=5, n_correct=lambda d: np.minimum(d["n_correct"], 5)), "user")
    return st, line, frame


def test_study_collects_evaluations_replayed_and_prior_cells(run):
    st, line, _ = run
    assert line.startswith("toy: 2 model(s), 80 model-problem pairs")
    res = st.evaluated["toy"]
    assert set(res.curves["model"]) == {"m1", "m2", A.POOLED}
    assert st.predictors["toy"]["predictor"] == ["other models' success rate on the problem"]
    cells = st.all_cells()
    assert set(cells["budget"]) == {1.0, 4.0} and set(cells["source"]) == {"toy"}
    assert len(st.prior_evidence) == 2 * len(st.z.ref)  # one prior per model, one row per reference budget
    assert all(not r["in_scope"] and "fitted prior" in r["unit"] for r in st.prior_evidence)
    assert len(Study(st.p, st.z, np.random.default_rng(1), st.rule).all_cells()) == 0


def test_plugin_comparison_runs_only_evaluated_datasets(run):
    st, _, frame = run
    out = st.plugin_comparison({"toy": lambda: frame, "absent": lambda: 1 / 0})
    assert set(out["dataset"]) == {"toy"} and set(out["evaluation"]) == {"posterior", "plugin"}


def test_report_tables_and_metrics(run):
    st, _, _ = run
    ev = st.evaluated
    t = report.ratio_table(ev["toy"], st.z.ref)
    assert list(t.index) == list(A.POLICIES)
    shares = report.shares_frame(ev)
    for pol, g in shares.groupby("policy"):
        assert g["share"].sum() == pytest.approx(1.0, abs=1e-9), pol
    shifts = report.oracle_shifts(shares, ev)
    assert shifts["toy"]["label"] in ("triage", "harder", "mixed")
    ins = report.insample_table(ev, ["toy"], st.z.ref)
    assert len(ins) == len(st.z.ref) and set(ins["realistic_policy"]) <= set(A.REALISTIC_POLICIES)
    cells = st.all_cells()
    table = A.evidence(cells, st.rule, aggregation="perfect verifier", split_seed=0, prior_rows=st.prior_evidence)
    counts = st.rule.counting().counts(table)
    text = report.summary(table, counts, "x; 1 of 1 specifications agree", ins, where="toy data", ratio_threshold=2,
                          snell_x=4)
    assert text.startswith("On toy data, replaying 1, 4 attempt(s)") and f"{counts['holds']} of" in text
    empty = table[~table["in_scope"]]
    assert report.summary(empty, counts, "s", ins.iloc[:0], where="w", ratio_threshold=2,
                          snell_x=4).startswith("No replayable in-scope data (w)")
    m = report.metrics(ev, verdict="supported", summary=text, shares_all=shares, z=st.z, share_budget=64,
                       predictors=st.predictors, sweep=pd.DataFrame(), het=pd.DataFrame(), sel=pd.DataFrame(),
                       plugin_cmp=pd.DataFrame(), recovery={}, verdict_cells=st.headline_view(cells), user_given=True,
                       counts=counts, insample=ins, mcpmark=None, shifts=shifts, kept=0.5,
                       anchors={"snell_x": 4.0, "damani_less_compute_pct": 50.0, "damani_better_quality_pct": 10.0})
    assert m["efficiency_ratio"]["toy"]["uniform"]["16"] == pytest.approx(1.0)
    assert all(len(v) == 2 for v in m["efficiency_ratio_ci"]["toy"]["oracle_greedy"].values())
    assert all(c["in_scope"] for c in m["verdict_cells"])  # the user's setting decides with problems_path


def test_binned_kept_is_the_median_log_share():
    ins = pd.DataFrame({"binned": [2.0, 4.0, 1.0, np.inf], "oracle": [4.0, 4.0, 1.0, 8.0]})
    # log2/log4 = 0.5, log4/log4 = 1, 0/0 dropped, inf dropped
    assert report.binned_kept(ins) == pytest.approx(0.75)
    assert math.isnan(report.binned_kept(ins.iloc[:0]))


def test_published_anchors_and_text():
    head = pd.DataFrame({"claim": ["adaptive_allocation"] * 3, "source_id": ["SNELL2024", "DAMANI2024", "DAMANI2024"],
                         "quantity": ["efficiency gain", "compute reduction", "quality improvement"],
                         "value_numeric": [4.0, 50.0, 10.0]})
    _, a = report.published(head)
    assert a["damani_x"] == pytest.approx(2.0) and a["snell_x"] == 4.0
    assert "an efficiency ratio of 2x" in report.published_text(a, 2.0)


def test_figures_label_their_axes(run):
    import matplotlib.pyplot as plt

    st, _, _ = run
    for fig in (figures.accuracy_curves(st.evaluated, 0.95), figures.efficiency(st.evaluated, 4.0, 2.0, 0.95)):
        ax = fig.axes[0]
        assert "mean budget" in ax.get_xlabel() and ax.get_ylabel() and ax.get_xscale() == "log"
        plt.close(fig)
    fig = figures.budget_shares(report.shares_frame(st.evaluated), list(st.evaluated), 0.01, 0.3, 64)
    assert "share of the budget" in fig.axes[0].get_xlabel()
    plt.close(fig)

"""Notebook 03 (adaptive allocation) in quick mode: results keys and types, a user CSV, a bad user CSV."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import allocation as A
from helpers import results

STEM = "03_adaptive_allocation"
pytestmark = pytest.mark.notebook


def _check_ratio_map(m, allowed_policies):
    assert set(m) <= set(allowed_policies)
    for pol, by_b in m.items():
        assert {"16", "64", "256"} <= set(by_b), pol
        for v in by_b.values():
            assert v is None or isinstance(v, (int, float))


def test_notebook_quick_results_keys_and_types(run_notebook, require_logged):
    require_logged("monkeys/pass_at_k_processed")
    r = run_notebook(STEM)
    assert r["claim"] == "adaptive_allocation"
    assert r["verdict"] in results.VERDICTS
    assert isinstance(r["summary"], str) and r["summary"].strip()
    m = r["metrics"]
    for key in ("curves", "efficiency_ratio", "efficiency_ratio_ci", "budget_share_by_difficulty", "verdict", "summary"):
        assert key in m, key
    assert m["verdict"] == r["verdict"] and m["summary"] == r["summary"]
    # curves: one row per dataset x model x policy x budget, with the stable fields
    curves = m["curves"]
    assert curves and all({"dataset", "model", "policy", "mean_budget", "accuracy"} <= set(c) for c in curves)
    assert {c["policy"] for c in curves} == set(A.POLICIES)
    assert {16.0, 64.0, 256.0} <= {c["mean_budget"] for c in curves}
    assert all(0.0 <= c["accuracy"] <= 1.0 for c in curves)
    assert {"synthetic", "monkeys_math"} <= {c["dataset"] for c in curves}
    # efficiency ratios and their intervals: {dataset: {policy: {budget: value}}}
    for ds, by_pol in m["efficiency_ratio"].items():
        _check_ratio_map(by_pol, A.POLICIES)
        assert all(v == pytest.approx(1.0, abs=1e-3) for v in by_pol["uniform"].values())
        for pol, by_b in m["efficiency_ratio_ci"][ds].items():
            for b, ci in by_b.items():
                assert isinstance(ci, list) and len(ci) == 2
                lo, hi = ci
                if lo is not None and hi is not None:
                    assert lo <= hi + 1e-9
    # budget shares: every policy's shares over the four bins sum to one
    for ds, by_pol in m["budget_share_by_difficulty"].items():
        for pol, shares in by_pol.items():
            assert set(shares) == set(A.DIFFICULTY_BINS)
            assert sum(shares.values()) == pytest.approx(1.0, abs=1e-6)
    assert r["parameters"]["quick"] is True
    assert any(s["kind"] == "logged" and s["available"] for s in r["data_sources"])


def test_notebook_runs_on_a_user_csv(run_notebook, tmp_path):
    rng = np.random.default_rng(3)
    rows = ["problem_id,n_samples,n_correct,model,difficulty_label,cost"]
    for model, scale in (("small", 0.3), ("large", 1.0)):
        for i in range(30):
            p = 0.0 if i % 5 == 0 else min(1.0, scale * rng.beta(0.5, 4.0))
            n = 300
            rows.append(f"q{i},{n},{rng.binomial(n, p)},{model},{'hard' if i % 3 else 'easy'},{1 + i % 4}")
    f = tmp_path / "mine.csv"
    f.write_text("\n".join(rows) + "\n")
    r = run_notebook(STEM, problems_path=str(f))
    m = r["metrics"]
    assert "user" in m["efficiency_ratio"]
    user_curves = [c for c in m["curves"] if c["dataset"] == "user"]
    assert {c["model"] for c in user_curves} == {"small", "large", A.POOLED}
    assert {c["policy"] for c in user_curves} == set(A.POLICIES)
    assert m["evaluation"]["user"]["small"].startswith("unbiased pass@k")  # 300 samples >= 256: replayed
    assert any(s["name"] == "user:mine.csv" and s["sha256"] for s in r["data_sources"])


def test_bad_user_csv_fails_early_naming_the_row(run_notebook, tmp_path):
    import papermill as pm

    f = tmp_path / "bad.csv"
    f.write_text("problem_id,n_samples,n_correct\nq1,10,3\nq2,10,11\n")
    with pytest.raises(pm.PapermillExecutionError) as exc:
        run_notebook(STEM, problems_path=str(f))
    msg = str(exc.value)
    assert "line 3" in msg and "n_correct" in msg and "exceeds n_samples" in msg

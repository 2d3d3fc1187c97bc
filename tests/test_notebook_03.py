"""Notebook 03 (adaptive allocation) in quick mode: results keys and types, a user CSV, a bad user CSV."""
from __future__ import annotations

import json

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
            assert v is None or v == "inf" or isinstance(v, (int, float))  # infinite: "inf" (contract)


def test_notebook_quick_results_keys_and_types(run_notebook, require_logged, reports_tmp):
    require_logged("monkeys/pass_at_k_processed")
    require_logged("mcpmark/summary")
    r = run_notebook(STEM)
    # the reader's page shows no matplotlib font warning: its font list is this environment's (MPLCONFIGDIR,
    # Makefile), not a ~/.cache/matplotlib written without the bundled fonts, under the first log-scale figure
    nb = json.loads((reports_tmp / "notebooks" / f"{STEM}.ipynb").read_text())
    streams = ["".join(o["text"]) for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "stream"]
    assert streams and not any("findfont" in t for t in streams)
    assert r["claim"] == "adaptive_allocation"
    assert r["verdict"] in results.VERDICTS and r["verdict_scope"] == "study"
    # issue 12: the rule, the evidence it decides on, the specification curve
    m = r["metrics"]
    assert isinstance(m["rule"], str) and "2x" in m["rule"]
    ev = m["evidence"]
    assert ev and all({"source", "unit", "in_scope", "outcome", "figure", "ci"} <= set(e) for e in ev)
    inscope = [e for e in ev if e["in_scope"]]
    assert inscope and {e["source"] for e in inscope} == {"mcpmark"}  # tool use decides; MATH, coding agents do not
    assert all("fitted prior" not in e["unit"] for e in inscope)
    assert any("fitted prior" in e["unit"] and not e["in_scope"] for e in ev)
    assert all(not (e["figure"] is None and e["outcome"] != "unresolved") for e in ev)  # inf is "inf", never null
    rob = m["robustness"]
    assert rob["specifications"] >= 2 and 0 <= rob["agree"] <= rob["specifications"]
    assert len(rob["flips"]) == rob["specifications"] - rob["agree"]
    # issue 11: MCPMark successes out of 4 per (configuration, task), replayed at the budgets the data support
    assert all(sum(v[f"{k} of 4"] for k in range(5)) == 127 for v in m["mcpmark"]["problems"].values())
    assert max(m["mcpmark"]["replay_budgets"]) <= 4
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
                lo, hi = (results.number(x) for x in ci)
                if lo is not None and hi is not None:
                    assert lo <= hi + 1e-9
    # budget shares: every policy's shares over the four bins sum to one
    for ds, by_pol in m["budget_share_by_difficulty"].items():
        for pol, shares in by_pol.items():
            assert set(shares) == set(A.DIFFICULTY_BINS)
            assert sum(shares.values()) == pytest.approx(1.0, abs=1e-6)
    assert r["parameters"]["quick"] is True
    assert any(s["kind"] == "logged" and s["available"] for s in r["data_sources"])


def test_notebook_runs_on_a_user_csv(run_notebook, keep_input, tmp_path):
    rng = np.random.default_rng(3)
    rows = ["problem_id,n_samples,n_correct,model,difficulty_label,cost"]
    # clear-cut and predictable: never solved, rarely solved, always solved, and the label says which
    for model, rare in (("small", 0.03), ("large", 0.06)):
        for i in range(60):
            p = (0.0, rare, 1.0)[i % 3]
            rows.append(f"q{i},300,{rng.binomial(300, p)},{model},{('never', 'rare', 'always')[i % 3]},{1 + i % 4}")
    f = tmp_path / "mine.csv"
    f.write_text("\n".join(rows) + "\n")
    f = keep_input(f)  # named by its contents: the run is kept
    r = run_notebook(STEM, problems_path=str(f))
    m = r["metrics"]
    assert "user" in m["efficiency_ratio"]
    user_curves = [c for c in m["curves"] if c["dataset"] == "user"]
    assert {c["model"] for c in user_curves} == {"small", "large", A.POOLED}
    assert {c["policy"] for c in user_curves} == set(A.POLICIES)
    assert m["evaluation"]["user"]["small"].startswith("unbiased pass@k")  # 300 samples >= 256: replayed
    assert any(s["name"] == "user:mine.csv" and s["sha256"] for s in r["data_sources"])
    # the verdict is the rule on the user's problems alone: adaptive allocation clearly wins here
    assert r["verdict_scope"] == "user" and r["verdict"] == "supported"
    assert {e["source"] for e in m["evidence"] if e["in_scope"]} == {"user:mine.csv"}


def test_bad_user_csv_fails_early_naming_the_row(run_notebook, keep_input, tmp_path):
    import papermill as pm

    f = tmp_path / "bad.csv"
    f.write_text("problem_id,n_samples,n_correct\nq1,10,3\nq2,10,11\n")
    f = keep_input(f)  # named by its contents: the run is kept
    with pytest.raises(pm.PapermillExecutionError) as exc:
        run_notebook(STEM, problems_path=str(f))
    msg = str(exc.value)
    assert "line 3" in msg and "n_correct" in msg and "exceeds n_samples" in msg


def test_notebook_runs_with_the_fewest_bootstrap_replicates(run_notebook, require_logged):
    """n_boot = 2 is a valid setting: a percentile interval from 2 replicates often misses its estimate, and
    the MCPMark ratio figure then stopped the run (matplotlib refuses a negative error bar) before
    plotting.interval_err; 0 (no intervals) must run too."""
    require_logged("mcpmark/summary")
    for n in (0, 2):
        r = run_notebook(STEM, n_boot=n, n_boot_synthetic=n, n_boot_prior=n)
        assert r["parameters"]["n_boot"] == n and r["verdict"] in results.VERDICTS

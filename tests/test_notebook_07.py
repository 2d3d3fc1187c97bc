"""Notebook 07 (budget planner) in quick mode: results keys and types, byte-identical reruns, a user CSV
with user logs, a bad user CSV and a bad parameter failing early with errors naming the row / parameter."""
from __future__ import annotations

import numpy as np
import pytest

from helpers import planner as P
from helpers import results

STEM = "07_budget_planner"
pytestmark = pytest.mark.notebook
OPTION_KEYS = set(P.OPTION_KEYS)


def _check_option(o):
    assert OPTION_KEYS <= set(o)
    assert o["model_kind"] in P.KINDS and o["policy"] in P.POLICIES
    assert 0.0 <= o["expected_accuracy"] <= 1.0
    for k in ("reasoning_tokens", "search_steps"):
        assert isinstance(o[k], (int, float)) and o[k] >= 0
    assert o["cost_per_artifact_usd"] is None or (isinstance(o["cost_per_artifact_usd"], float)
                                                  and o["cost_per_artifact_usd"] > 0)


def test_notebook_quick_results_keys_types_and_byte_identical_rerun(run_notebook, reports_tmp):
    r = run_notebook(STEM)
    first = (reports_tmp / "results" / f"{STEM}.json").read_bytes()
    assert r["claim"] == "budget_planner"
    assert r["verdict"] is None and r["verdict_scope"] == "study"
    assert r["metrics"]["status"] == "meets target"
    assert isinstance(r["summary"], str) and r["summary"].strip()
    m = r["metrics"]
    rec = m["recommendation"]
    _check_option(rec)
    assert rec["meets_target"] is True and rec["expected_accuracy"] >= r["parameters"]["target_accuracy"]
    assert isinstance(m["options"], list) and len(m["options"]) == 4
    for o in m["options"]:
        _check_option(o)
    assert {(o["model_kind"], o["policy"] == "uniform") for o in m["options"]} == \
        {(k, u) for k in P.KINDS for u in (True, False)}
    assert (rec["model_kind"], rec["policy"]) in {(o["model_kind"], o["policy"]) for o in m["options"]}
    assert isinstance(m["reachable"], bool)
    assert 0.0 <= m["non_reasoning_asymptote"] <= 1.0
    assert 0.0 <= m["cache_read_share"] <= 1.0 and m["cache_share_source"] in ("tracelab_sample", "unavailable")
    assert set(m["saving_vs_uniform"]) == set(P.KINDS)
    assert {"reasoning_tokens", "search_steps", "reachable"} <= set(m["search_split"])
    assert 0.0 <= m["quality_from_budget"]["share_from_budget"] <= 1.0
    assert m["recovery"]["spend_error"] < 0.01
    assert r["parameters"]["quick"] is True and r["parameters"]["n_tasks_used"] <= 600
    assert any(s["kind"] == "published" for s in r["data_sources"])
    # a second run with the same parameters writes the same bytes
    run_notebook(STEM, fresh=True)
    assert (reports_tmp / "results" / f"{STEM}.json").read_bytes() == first


def test_notebook_runs_on_a_user_csv_and_user_logs(run_notebook, keep_input, tmp_path):
    rng = np.random.default_rng(11)
    rows = ["problem_id,n_samples,n_correct,model,difficulty_label"]
    for kind, scale, zero_every in (("non_reasoning", 0.4, 2), ("reasoning", 0.9, 20)):
        for i in range(60):
            p = 0.0 if i % zero_every == 0 else scale * rng.beta(1.0, 2.0)
            rows.append(f"q{i},100,{rng.binomial(100, p)},{kind},{'hard' if i % 3 else 'easy'}")
    f = tmp_path / "mine.csv"
    f.write_text("\n".join(rows) + "\n")
    logs = tmp_path / "logs.csv"
    logs.write_text("timestamp,session,model,uncached_input,cache_write,cache_read,output\n"
                    "2026-01-01T10:00:00Z,s1,claude-sonnet-4-6,100,900,9000,300\n"
                    "2026-01-01T10:01:00Z,s1,claude-sonnet-4-6,0,500,9500,200\n")
    f = keep_input(f)  # named by its contents: the run is kept
    logs = keep_input(logs)  # named by its contents: the run is kept
    r = run_notebook(STEM, problems_path=str(f), logs_path=str(logs), target_accuracy=0.7)
    m = r["metrics"]
    assert m["cache_share_source"] == "logs_path"
    assert m["cache_read_share"] == pytest.approx(18500 / 20000)
    assert m["cache_write_share"] == pytest.approx(1400 / 1500)
    assert any(s["name"] == "user:mine.csv" and s["sha256"] for s in r["data_sources"])
    assert any(s["name"] == "user_logs" for s in r["data_sources"])
    # half the non-reasoning problems are never solved: pass@k cannot go past the solved share
    assert m["non_reasoning_asymptote"] <= 0.55 and m["reachable"] is False
    assert m["recommendation"]["model_kind"] == "reasoning"


def test_bad_user_csv_fails_early_naming_the_row(run_notebook, keep_input, tmp_path, reports_tmp):
    import papermill as pm

    f = tmp_path / "bad.csv"
    f.write_text("problem_id,n_samples,n_correct\nq1,10,3\nq2,10,11\n")
    f = keep_input(f)  # named by its contents: the run is kept
    with pytest.raises(pm.PapermillExecutionError) as exc:
        run_notebook(STEM, problems_path=str(f))
    msg = str(exc.value)
    assert "line 3" in msg and "n_correct" in msg and "exceeds n_samples" in msg
    assert not (reports_tmp / "results" / f"{STEM}.json").exists()


def test_bad_parameter_fails_naming_it(check_parameters, reports_tmp):
    import papermill as pm

    with pytest.raises(pm.PapermillExecutionError) as exc:
        check_parameters(STEM, cache_read_share=1.5)
    assert "cache_read_share" in str(exc.value)
    assert not (reports_tmp / "results" / f"{STEM}.json").exists()

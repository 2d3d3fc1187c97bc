"""Notebook 04 (reasoning ceiling) in quick mode: results keys, a user scaling path offline, bad input fails early."""
import numpy as np
import pandas as pd
import pytest

from helpers import ceiling as C
from helpers import results

pytestmark = pytest.mark.notebook

STEM = "04_reasoning_ceiling"
ASYM_KEYS = {"dataset", "model", "aggregation", "asymptote", "ci", "identifiable", "method"}
CATCH_KEYS = {"dataset", "non_reasoning_model", "reasoning_model", "target_accuracy", "samples_needed",
              "tokens_needed", "cost_ratio"}


def _check_contract(r):
    assert r["claim"] == "reasoning_ceiling"
    assert r["verdict"] in results.VERDICTS
    m = r["metrics"]
    assert m["verdict"] == r["verdict"] and m["summary"] == r["summary"] and r["summary"].strip()
    assert isinstance(m["asymptotes"], list) and m["asymptotes"]
    for a in m["asymptotes"]:
        assert ASYM_KEYS <= set(a)
        assert isinstance(a["identifiable"], bool) and isinstance(a["method"], str)
        assert len(a["ci"]) == 2
        lo, hi = a["ci"]
        assert a["asymptote"] is None or 0 <= a["asymptote"] <= 1
        if lo is not None and hi is not None:
            assert lo <= hi + 1e-9
    assert r["verdict_scope"] in ("study", "user") and isinstance(m["rule"], str) and "matched spend" in m["rule"]
    assert m["evidence"] and all({"source", "unit", "in_scope", "outcome", "figure", "ci"} <= set(e) for e in m["evidence"])
    rob = m["robustness"]
    assert rob["specifications"] >= 2 and 0 <= rob["agree"] <= rob["specifications"]
    assert rob["agree"] == rob["specifications"] - len(rob["flips"])
    assert {"view", "doubtful_labels", "capability_pairs", "tolerance", "cost_limit", "decide_by"} <= set(rob["choices"])
    keys = {(a["dataset"], a["model"], a["aggregation"]) for a in m["asymptotes"]}
    assert len(keys) == len(m["asymptotes"])  # one entry per (dataset, model, aggregation)
    assert isinstance(m["catch_up"], list) and m["catch_up"]
    for c in m["catch_up"]:
        assert CATCH_KEYS <= set(c)
        if c["samples_needed"] is None:
            assert c["tokens_needed"] is None and c["cost_ratio"] is None
        else:
            assert isinstance(c["samples_needed"], int) and c["samples_needed"] >= 1
        if c.get("status") == "ceiling":
            assert c["samples_needed"] is None and c["target_accuracy"] >= c["asymptote"]
    return m


def test_quick_run_writes_the_contract_results(run_notebook, reports_tmp):
    r = run_notebook(STEM)
    m = _check_contract(r)
    datasets_ = {a["dataset"] for a in m["asymptotes"]}
    assert {"synthetic", "limit_of_rlvr_repro_qwen25_7b_math500", "browsecomp_parallel_sampling"} <= datasets_
    rl = [c for c in m["catch_up"] if c["dataset"] == "limit_of_rlvr_repro_qwen25_7b_math500"]
    assert rl and rl[0]["non_reasoning_model"] == "base" and rl[0]["samples_needed"] is not None
    assert r["parameters"]["quick"] is True and r["parameters"]["scaling_path"] is None
    assert m["recovery_covered"] >= m["recovery_total"] - 1
    assert {s["kind"] for s in r["data_sources"]} >= {"published", "synthetic", "logged"}
    figs = {p.stem for p in (reports_tmp / "figures").glob("04_*.png")}
    assert {"04_reasoning_ceiling_catch_up_vs_pi0", "04_reasoning_ceiling_scaling_path",
            "04_reasoning_ceiling_specification_curve"} <= figs
    assert r["verdict_scope"] == "study"
    # capability gaps (Pythia sizes) are out by default and never in scope; "already level at k = 1" never a catch-up
    assert not any(e["in_scope"] and e["unit"] == "capability pair" for e in m["evidence"])
    assert not any(e["outcome"] == "breaks" and "already level" in e["note"] for e in m["evidence"])
    mcp = [s for s in r["data_sources"] if s["name"] == "mcpmark"]
    if mcp and mcp[0].get("available", True):
        mc = [c for c in m["catch_up"] if c["dataset"] == "mcpmark"]
        assert {c["view"] for c in mc} >= {"matched_k", "matched_tokens"}
        assert {c["gap"] for c in mc} >= {"thinking_pair", "config_pair"}
        assert all(c["samples_needed"] is None or c["samples_needed"] >= 2 for c in mc)
        assert all((c["result"] == "caught_up") == (c["samples_needed"] is not None) for c in mc)
        assert {e["unit"] for e in m["evidence"] if e["in_scope"]} == {"thinking pair", "config pair"}
        assert "04_reasoning_ceiling_mcpmark" in figs


def test_user_scaling_path_runs_offline(run_notebook, keep_input, tmp_path, offline):
    """A user's curves from known mixtures: the non-reasoning ceiling sits below the target, so no catch-up."""
    k = np.array([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
    strong = C.BetaMixture(0.05, 3.0, 1.0)   # single sample 0.71
    weak = C.BetaMixture(0.5, 1.0, 1.0)      # coverage ceiling 0.5 < 0.71
    rows = [("strong", "reasoning", kk, v, 4000.0, "pass_at_k") for kk, v in zip(k, C.mixture_curve(strong, "pass_at_k", k))]
    rows += [("weak", "non_reasoning", kk, v, 500.0, "pass_at_k") for kk, v in zip(k, C.mixture_curve(weak, "pass_at_k", k))]
    path = tmp_path / "my_path.csv"
    pd.DataFrame(rows, columns=["model", "kind", "samples", "accuracy", "tokens_per_sample", "aggregation"]).to_csv(path, index=False)
    path = keep_input(path)  # named by its contents: the run is kept
    r = run_notebook(STEM, scaling_path=str(path))
    m = _check_contract(r)
    mine = [c for c in m["catch_up"] if c["dataset"] == "user:my_path.csv"]
    assert len(mine) == 1 and mine[0]["samples_needed"] is None and mine[0]["status"] == "ceiling"
    weak_asym = [a for a in m["asymptotes"] if a["dataset"] == "user:my_path.csv" and a["model"] == "weak"][0]
    assert weak_asym["method"] == "beta_mixture" and weak_asym["asymptote"] == pytest.approx(0.5, abs=0.02)
    logged = [s for s in r["data_sources"] if s["kind"] == "logged" and s["name"] in ("monkeys", "terminal_bench")]
    assert logged and all(s["available"] is False and s["rows"] is None for s in logged)
    assert r["parameters"]["scaling_path"] == str(path)
    # the user's curves decide alone: the weak model plateaus below the strong one at every matched spend
    assert r["verdict_scope"] == "user" and r["verdict"] == "supported"
    assert {e["source"] for e in m["evidence"] if e["in_scope"]} == {"user:my_path.csv"}


def test_bad_user_file_fails_early_naming_the_row(run_notebook, keep_input, tmp_path, reports_tmp):
    import papermill

    path = tmp_path / "bad.csv"
    path.write_text("model,kind,samples,accuracy\nA,reasoning,1,0.7\nB,thinking,1,0.3\n")
    path = keep_input(path)  # named by its contents: the run is kept
    with pytest.raises(papermill.PapermillExecutionError, match="line 3: column 'kind'"):
        run_notebook(STEM, scaling_path=str(path))
    assert not (reports_tmp / "results" / f"{STEM}.json").exists()


def test_bad_parameter_fails_naming_it(check_parameters):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match="'max_ci_width'"):
        check_parameters(STEM, max_ci_width=0.0)

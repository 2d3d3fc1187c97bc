"""02_token_variance in quick mode: results contract, user CSV (good and bad), offline logged data."""
import pytest

pytestmark = pytest.mark.notebook

STEM = "02_token_variance"
ENTRY_KEYS = {"unit", "n", "r2_total", "shares", "shares_ci", "alone_r2", "token_coef_within_task",
              "token_coef_within_task_ci"}


def _check_entry(name, e):
    assert ENTRY_KEYS <= set(e), name
    assert e["unit"] in ("run", "config")
    assert isinstance(e["n"], int) and e["n"] > 0
    assert 0 <= e["r2_total"] <= 1
    assert {"tokens", "tool_calls", "model"} <= set(e["shares"])
    assert isinstance(e["shares"]["tokens"], float)
    for g, ci in e["shares_ci"].items():
        assert ci is None or (isinstance(ci, list) and len(ci) == 2), (name, g)
    assert set(e["alone_r2"]) == set(e["shares"])
    if e["token_coef_within_task"] is not None:
        lo, hi = e["token_coef_within_task_ci"]
        assert lo <= e["token_coef_within_task"] <= hi


def test_quick_run_writes_contract_results(run_notebook, require_logged):
    for name in ("mcpmark/summary", "swe_effi/openhands/qwen3-32B", "terminal_bench/trial_token_usage",
                 "agent_eval/humaneval_results"):  # the logged entries checked below
        require_logged(name)
    r = run_notebook(STEM, seed=3)
    assert r["claim"] == "token_variance"
    assert r["verdict"] in ("supported", "partly supported", "not supported", "inconclusive")
    m = r["metrics"]
    assert m["claim_share_tokens"] == pytest.approx(0.80)
    assert m["verdict"] == r["verdict"]
    ds = m["datasets"]
    for name in ("synthetic_wide_config", "synthetic_narrow_run", "synthetic_mechanism_usage_run",
                 "swe_effi_run", "swe_effi_config", "terminal_bench_run", "agent_eval_run"):
        assert name in ds, name
    for name, e in ds.items():
        _check_entry(name, e)
    assert ds["agent_eval_run"]["token_coef_within_task"] is None  # no task-level data
    assert ds["synthetic_mechanism_usage_run"]["token_coef_within_task"] < 0 < \
        ds["synthetic_mechanism_budget_run"]["token_coef_within_task"]
    assert r["parameters"]["quick"] is True and r["parameters"]["seed"] == 3 and r["parameters"]["runs_path"] is None
    assert r["seed"] == 3 and isinstance(r["summary"], str) and r["summary"]
    # issue 11: in-scope logged sources, in the entry shape; issue 12: rule, evidence, robustness
    for name in ("mcpmark_run", "mcpmark_config", "deepdive_config"):
        assert name in ds and ds[name]["shares_ci"]["tokens"] is not None, name
    assert ds["deepdive_config"]["excluded_models"] == ["prime-intellect/intellect-3"]
    assert ds["mcpmark_run"]["dropped_token_runs"] > 0 and 0 < ds["mcpmark_run"]["attainable_r2"] < 1
    assert r["verdict_scope"] == "study" and m["rule"].startswith("Only in-scope evidence decides")
    scope = {(e["source"], e["unit"]) for e in m["evidence"] if e["in_scope"]}
    assert scope == {("deepdive", "config"), ("mcpmark", "run"), ("mcpmark", "config")}
    assert not any(e["source"].startswith("synthetic") for e in m["evidence"])
    rob = m["robustness"]
    assert rob["specifications"] == len(rob["flips"]) + rob["agree"] and rob["agree"] >= 1
    kinds = {s["kind"] for s in r["data_sources"]}
    assert kinds == {"synthetic", "published", "logged"}


def test_user_csv_offline_is_analysed(run_notebook, keep_input, tmp_path, offline):
    # no logged data on this 'machine': the notebook completes on the user's file alone
    import numpy as np

    rng = np.random.default_rng(0)
    lines = ["model,tokens,score,tool_calls,task,config"]
    for i in range(120):  # log tokens explain nearly all of the (graded) score, per run and per configuration
        model = ["alpha", "beta", "gamma"][i % 3]
        cfg = f"{model}-b{(i // 3) % 4}"
        log2_tok = 12 + (i // 3) % 4 + rng.normal(0, 0.3)
        score = min(1.0, max(0.0, 0.1 + 0.2 * (log2_tok - 12) + rng.normal(0, 0.005)))
        tok = int(2 ** log2_tok)
        lines.append(f"{model},{tok},{score:.4f},{tok // 900},q{i % 20},{cfg}")
    p = tmp_path / "my_runs.csv"
    p.write_text("\n".join(lines) + "\n")
    p = keep_input(p)  # named by its contents: the run is kept
    r = run_notebook(STEM, runs_path=str(p))
    ds = r["metrics"]["datasets"]
    assert "user_run" in ds and "user_config" in ds
    assert ds["user_run"]["n"] == 120 and ds["user_config"]["n"] == 12
    # the verdict is the rule on the user's runs alone: tokens explain nearly everything at both units
    assert r["verdict_scope"] == "user" and r["verdict"] == "supported"
    mine = [e for e in r["metrics"]["evidence"] if e["in_scope"]]
    assert {(e["source"], e["unit"]) for e in mine} == {("user", "run"), ("user", "config")}
    assert all(e["outcome"] == "holds" for e in mine)
    _check_entry("user_run", ds["user_run"])
    assert ds["user_run"]["token_coef_within_task"] is not None
    assert not any(k.startswith(("swe_effi", "terminal_bench", "agent_eval")) for k in ds)
    logged = {s["name"]: s for s in r["data_sources"] if s["kind"] == "logged"}
    assert all(logged[n]["available"] is False for n in ("swe_effi", "terminal_bench", "agent_eval"))
    assert logged["user:my_runs.csv"]["available"] is True and logged["user:my_runs.csv"]["rows"] == 120
    assert r["parameters"]["runs_path"] == str(p)


def test_bad_user_csv_fails_early_naming_the_line(run_notebook, keep_input, tmp_path, reports_tmp):
    import papermill

    lines = ["model,tokens,score"] + [f"m{i % 2},{1000 + i},{i % 2}" for i in range(12)]
    lines[5] = "m1,-40,1"  # line 6 of the file
    p = tmp_path / "bad.csv"
    p.write_text("\n".join(lines) + "\n")
    p = keep_input(p)  # named by its contents: the run is kept
    with pytest.raises(papermill.PapermillExecutionError, match=r"line 6: column 'tokens'"):
        run_notebook(STEM, runs_path=str(p))
    assert not (reports_tmp / "results" / f"{STEM}.json").exists()

"""helpers.agent_runs: MCPMark, DeepDive, BrowseComp-Plus and Codex loaders on the real files, cross-checked
against the numbers each source states about itself; malformed copies give errors naming file and record."""
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest

from helpers import agent_logs as A
from helpers import agent_runs as R
from helpers import paths, registry
from helpers.validate import DataError, ParameterError

MCP_NAMES = registry.names("mcpmark/")


def _need(names):
    """Fetch the files (mirror or network); skip offline, fail when DATA_MIRROR is set (as conftest does)."""
    for n in names:
        try:
            registry.fetch(n)
        except registry.DataUnavailable as exc:
            if os.environ.get("DATA_MIRROR"):
                pytest.fail(f"DATA_MIRROR is set but {exc}")
            pytest.skip(f"MCPMark files are not here: {exc}")


@pytest.fixture(scope="module")
def mcp_runs():
    _need(MCP_NAMES)
    return R.mcpmark_runs()


@pytest.fixture(scope="module")
def mcp_summary():
    _need(["mcpmark/summary"])
    return R.mcpmark_summary()


def test_registry_pins_the_new_sources():
    assert len(registry.names("mcpmark/task_results/")) == 127
    assert {"mcpmark/summary", "mcpmark/task_meta", "mcpmark/readme"} <= set(MCP_NAMES)
    assert len(registry.names("codex_localpush/sessions/")) == 6
    assert {"codex_localpush/fixture_readme", "codex_localpush/manifest", "codex_localpush/cargo_toml"} \
        <= set(registry.names("codex_localpush/"))
    assert registry.names("browsecomp_plus/") == ["browsecomp_plus/bm25_single_gpt_4.1"]
    assert registry.entry("mcpmark/summary").license.startswith("none stated")
    assert registry.entry("browsecomp_plus/bm25_single_gpt_4.1").license.startswith("none stated")
    assert registry.entry("codex_localpush/manifest").license.startswith("MIT")


def test_mcpmark_cargo_license_field_is_mit(require_logged):
    text = require_logged("codex_localpush/cargo_toml").read_text()
    assert 'license = "MIT"' in text


# ---------------------------------------------------------------- MCPMark on the real files


def test_mcpmark_shape_and_dtypes(mcp_runs):
    df = mcp_runs
    assert list(df.columns) == R.RUN_COLUMNS
    # 38 configs x 127 tasks x 4 runs + claude-opus-4-1 with one run per task
    assert len(df) == 38 * 127 * 4 + 127 == 19431
    assert df["config"].nunique() == 39 and df["task"].nunique() == 127
    per_cfg = df.groupby("config").size()
    assert per_cfg.drop("claude-opus-4-1").eq(508).all() and per_cfg["claude-opus-4-1"] == 127
    assert set(df["service"]) == {"filesystem", "github", "notion", "postgres", "playwright"}
    assert not df.duplicated(["config", "task", "run"]).any()
    assert set(df["run"]) == {1, 2, 3, 4}
    for c in ("input_tokens", "output_tokens", "reasoning_tokens", "total_tokens", "turns"):
        assert str(df[c].dtype) == "Int64", c
    assert df["success"].dtype == bool and df["tokens_ok"].dtype == bool and df["is_reasoning"].dtype == bool
    assert df["run"].dtype == np.int64 and df["time_s"].dtype == np.float64
    # missing and non-positive counts are <NA>, never 0; tokens_ok is exactly "the three counts present"
    for c in ("input_tokens", "output_tokens", "reasoning_tokens", "total_tokens"):
        assert (df[c].dropna() > 0).all()
    ok = df[["input_tokens", "output_tokens", "total_tokens"]].notna().all(axis=1)
    assert (df["tokens_ok"] == ok).all()
    assert df.attrs["dropped_token_runs"] == int((~ok).sum()) == 76
    # the runs without tokens are failures that never reached the model (0 turns) or one with no output
    assert not df.loc[~df["tokens_ok"], "success"].any()


def test_mcpmark_token_identity(mcp_runs):
    """total = input + output (output includes reasoning), or input + output + reasoning where a provider
    reports reasoning outside output (grok); at most one run in 19k breaks both, by under 1%."""
    d = mcp_runs[mcp_runs["tokens_ok"]]
    tot, io = d["total_tokens"], d["input_tokens"] + d["output_tokens"]
    plain = tot == io
    with_r = tot == io + d["reasoning_tokens"].fillna(0)
    neither = ~(plain | with_r)
    assert int(neither.sum()) <= 1
    assert ((tot[neither] - io[neither]).abs() / tot[neither] < 0.01).all()
    outside = d.loc[~plain & with_r, "config"].unique()
    assert set(outside) <= {"grok-4", "grok-code-fast-1"}
    # where reasoning sits inside output, it cannot exceed it
    inside = d[plain & d["reasoning_tokens"].notna()]
    assert (inside["reasoning_tokens"] <= inside["output_tokens"]).all()


def test_mcpmark_runs_reproduce_summary_pass_rates(mcp_runs, mcp_summary):
    """Success per config equals summary.json pass@1 (avg and population std over runs), pass@4, pass^4."""
    s = mcp_summary.set_index("config")
    assert set(s.index) == set(mcp_runs["config"])
    per_run = mcp_runs.groupby(["config", "run"])["success"].mean().unstack()
    p1 = per_run.mean(axis=1)
    np.testing.assert_allclose(p1.to_numpy(), s.loc[p1.index, "pass1"].to_numpy(), atol=1e-4 + 1e-9)
    sd = per_run.std(axis=1, ddof=0)
    np.testing.assert_allclose(sd.to_numpy(), s.loc[sd.index, "pass1_std"].to_numpy(), atol=1e-4 + 1e-9)
    per_task = mcp_runs.groupby(["config", "task"])["success"]
    any_ok, all_ok = per_task.max().groupby("config").mean(), per_task.min().groupby("config").mean()
    four = s["pass4"].notna()
    np.testing.assert_allclose(any_ok[four[four].index], s.loc[four, "pass4"], atol=1e-4 + 1e-9)
    np.testing.assert_allclose(all_ok[four[four].index], s.loc[four, "pass_hat4"], atol=1e-4 + 1e-9)
    assert list(s.index[~four]) == ["claude-opus-4-1"]  # one run: no pass@4
    assert (s["n_tasks"] == 127).all()


def test_mcpmark_effort_ladders_and_pairs(mcp_runs, mcp_summary):
    lad = R.mcpmark_effort_ladders(mcp_runs)
    assert lad == {"claude-sonnet-4": ["claude-sonnet-4-low", "claude-sonnet-4-high"],
                   "gemini-3-pro": ["gemini-3-pro-low", "gemini-3-pro-high"],
                   "gpt-5": ["gpt-5-low", "gpt-5-medium", "gpt-5-high"],
                   "gpt-5-mini": ["gpt-5-mini-low", "gpt-5-mini-medium", "gpt-5-mini-high"],
                   "gpt-5-nano": ["gpt-5-nano-low", "gpt-5-nano-medium", "gpt-5-nano-high"]}
    assert R.mcpmark_effort_ladders(mcp_summary) == lad
    # the same underlying model on every rung
    name = mcp_summary.set_index("config")["actual_model_name"]
    for cfgs in lad.values():
        assert name[cfgs].nunique() == 1
    # OpenAI ladders: more effort, more output tokens (which include reasoning) per run
    out = mcp_runs[mcp_runs["tokens_ok"]].groupby("config")["output_tokens"].mean()
    for base in ("gpt-5", "gpt-5-mini", "gpt-5-nano"):
        assert np.all(np.diff(out[lad[base]].to_numpy(dtype=float)) > 0), base
    pairs = R.mcpmark_thinking_pairs(mcp_summary)
    assert ("deepseek-v3-2-chat", "deepseek-v3-2-thinking") in pairs
    assert ("deepseek-v3-1-terminus", "deepseek-v3-1-terminus-thinking") in pairs
    rep = mcp_runs.groupby("config")["reasoning_tokens"].apply(lambda x: x.notna().mean())
    for a, b in pairs:
        assert rep[a] <= rep[b]
        if a.startswith("deepseek"):
            assert rep[a] == 0 and rep[b] > 0.5  # the thinking side reports reasoning, the other never
    assert R.mcpmark_thinking_pairs(["deepseek-v3-2-chat"]) == []


def test_mcpmark_doubtful_labels_and_override(mcp_runs):
    lab = mcp_runs.groupby("config")["is_reasoning"].first()
    rep = R.mcpmark_reasoning_coverage(mcp_runs).set_index("config")["reasoning_reported_share"]
    for cfg, why in R.DOUBTFUL_REASONING_LABELS.items():
        assert cfg in lab.index and len(why) > 40
        assert rep[cfg] == 0  # every doubt rests on a config that never reports reasoning tokens
    assert lab["deepseek-v3-2-chat"] and lab["deepseek-v3-1-terminus"]  # the labels doubted
    assert not lab["claude-sonnet-4-high"]
    flip = {"deepseek-v3-2-chat": False, "claude-sonnet-4-high": True}
    df2 = R.mcpmark_runs(reasoning_override=flip)
    lab2 = df2.groupby("config")["is_reasoning"].first()
    assert not lab2["deepseek-v3-2-chat"] and lab2["claude-sonnet-4-high"]
    assert (lab2.drop(list(flip)) == lab.drop(list(flip))).all()
    with pytest.raises(ParameterError, match="reasoning_override.*unknown.*gpt-9"):
        R.mcpmark_runs(reasoning_override={"gpt-9": True})
    with pytest.raises(ParameterError, match="reasoning_override.*true/false"):
        R.mcpmark_runs(reasoning_override={"o3": "yes"})


def test_split_config():
    assert R.split_config("gpt-5-mini-low") == ("gpt-5-mini", "low")
    assert R.split_config("gpt-5-2-high") == ("gpt-5-2", "high")
    assert R.split_config("deepseek-v3-1-terminus-thinking") == ("deepseek-v3-1-terminus-thinking", "default")
    assert R.split_config("claude-sonnet-4") == ("claude-sonnet-4", "default")
    assert R.mcpmark_effort_ladders(["a-low", "a-high", "a-medium", "b-high", "b"]) == {"a": ["a-low", "a-medium", "a-high"]}
    with pytest.raises(ParameterError):
        R.mcpmark_effort_ladders("gpt-5-low")


# ---------------------------------------------------------------- MCPMark malformed copies


def _run(n, succ=True, inp=100, out=10, rea=0, turns=3):
    return {"run": f"run-{n}", "success": succ, "execution_time": 1.0, "agent_execution_time": 1.0,
            "token_usage": {"input_tokens": inp, "output_tokens": out, "total_tokens": (inp or 0) + (out or 0),
                            "reasoning_tokens": rea}, "turn_count": turns}


def _summary_rec(name, reasoning):
    return {"actual_model_name": name, "is_reasoning_model": reasoning, "is_open_source_model": False,
            "pass@1": {"avg": 0.5, "std": 0.0}, "pass@4": 1.0, "pass^4": 0.0, "per_run_cost": 1.0,
            "avg_input_tokens": 100.0, "avg_output_tokens": 10.0, "avg_turns": 3.0, "total_tasks": 2}


def _mini_mcpmark(root):
    (root / "task_results").mkdir(parents=True)
    summary = {"k": 4, "overall": {"m-low": _summary_rec("m", True), "m-high": _summary_rec("m", True),
                                   "plain": _summary_rec("p", False)}}
    (root / "summary.json").write_text(json.dumps(summary))
    docs = {}
    for t, svc in (("cat__t1", "postgres"), ("cat__t2", "notion")):
        docs[t] = {"task": t, "service": svc, "models": {
            "m-low": {"runs": [_run(1), _run(2, succ=False)]},
            "m-high": {"runs": [_run(1, rea=5), _run(2, rea=6)]},
            "plain": {"runs": [_run(1, rea=None), _run(2, inp=0, out=0, turns=0, succ=False)]}}}
        (root / "task_results" / f"{t}.json").write_text(json.dumps(docs[t]))
    return docs


def test_mcpmark_user_copy(tmp_path):
    _mini_mcpmark(tmp_path / "mcp")
    df = R.mcpmark_runs(tmp_path / "mcp")
    assert len(df) == 12 and list(df.columns) == R.RUN_COLUMNS
    assert df.attrs["dropped_token_runs"] == 2  # the 'plain' run-2 of each task has zero tokens
    z = df[(df.config == "plain") & (df.run == 2)]
    assert z["input_tokens"].isna().all() and z["total_tokens"].isna().all() and (z["turns"] == 0).all()
    assert df.loc[df.config == "m-low", "reasoning_tokens"].isna().all()  # 0 reasoning -> <NA>
    assert (df.loc[df.config == "m-high", ["base_model", "effort"]].drop_duplicates().to_numpy() == [["m", "high"]]).all()
    assert set(df["category"]) == {"cat"} and set(df["service"]) == {"postgres", "notion"}
    assert R.mcpmark_effort_ladders(df) == {"m": ["m-low", "m-high"]}


@pytest.mark.parametrize("mutate, pattern", [
    (lambda d: d["models"]["m-high"]["runs"][1].pop("success"),
     r"task_results/cat__t1\.json: model 'm-high' run 2: missing field\(s\) \['success'\]"),
    (lambda d: d["models"]["m-low"]["runs"][0]["token_usage"].update(output_tokens="many"),
     r"task_results/cat__t1\.json: model 'm-low' run 1: token_usage\.output_tokens = 'many' is not a number"),
    (lambda d: d["models"]["plain"]["runs"].append(_run(2)),
     r"task_results/cat__t1\.json: model 'plain' run 2: duplicate run"),
    (lambda d: d["models"]["m-low"]["runs"][0].update(turn_count=2.5),
     r"task_results/cat__t1\.json: model 'm-low' run 1: turn_count = 2\.5"),
    (lambda d: d["models"]["m-low"]["runs"][1].update(run="second"),
     r"task_results/cat__t1\.json: model 'm-low' run entry 2: 'run' = 'second'"),
    (lambda d: d["models"].update({"ghost": {"runs": [_run(1)]}}),
     r"task_results/cat__t1\.json: model 'ghost': configuration has no entry in .*summary\.json"),
    (lambda d: d.pop("service"), r"task_results/cat__t1\.json: missing field\(s\) \['service'\]"),
])
def test_mcpmark_malformed_records_name_file_and_record(tmp_path, mutate, pattern):
    docs = _mini_mcpmark(tmp_path / "mcp")
    d = docs["cat__t1"]
    mutate(d)
    (tmp_path / "mcp" / "task_results" / "cat__t1.json").write_text(json.dumps(d))
    with pytest.raises(DataError, match=pattern):
        R.mcpmark_runs(tmp_path / "mcp")


def test_mcpmark_bad_json_and_summary(tmp_path):
    _mini_mcpmark(tmp_path / "mcp")
    (tmp_path / "mcp" / "task_results" / "cat__t2.json").write_text('{"task": "cat__t2", "models": {')
    with pytest.raises(DataError, match=r"cat__t2\.json: not valid JSON"):
        R.mcpmark_runs(tmp_path / "mcp")
    _mini_mcpmark(tmp_path / "mcp2")
    s = json.loads((tmp_path / "mcp2" / "summary.json").read_text())
    s["overall"]["plain"]["is_reasoning_model"] = "no"
    (tmp_path / "mcp2" / "summary.json").write_text(json.dumps(s))
    with pytest.raises(DataError, match=r"summary\.json: configuration 'plain': is_reasoning_model = 'no'"):
        R.mcpmark_runs(tmp_path / "mcp2")
    with pytest.raises(DataError, match="not a folder"):
        R.mcpmark_runs(tmp_path / "nowhere")


# ---------------------------------------------------------------- DeepDive


def test_deepdive_aggregate():
    d = R.deepdive_aggregate()
    assert list(d.columns) == R.DEEPDIVE_COLUMNS and len(d) == 18
    assert d["model"].nunique() == 6 and set(d["mode"]) == {"standard", "rlm", "rlm_tips"}
    assert (d.groupby("model").size() == 3).all() and (d["n_questions"] == 50).all()
    assert (d["orchestrated"] == (d["mode"] != "standard")).all()
    # the std is that of 50 Bernoulli outcomes with ddof=1: sqrt(p(1-p) n/(n-1)), not /sqrt(n)
    p, n = d["accuracy"], d["n_questions"]
    np.testing.assert_allclose(d["accuracy_std"], np.sqrt(p * (1 - p) * n / (n - 1)), atol=1e-9)
    assert np.allclose(p * n, np.round(p * n))
    parts = d[["root_prompt_tokens", "root_completion_tokens", "sub_prompt_tokens", "sub_completion_tokens"]]
    np.testing.assert_allclose(d["total_tokens"], parts.sum(axis=1, min_count=4))
    unlogged = d[~d["tokens_logged"]]
    assert set(unlogged["model"]) == {"prime-intellect/intellect-3"}
    assert unlogged[["total_tokens", "root_prompt_tokens"]].isna().all().all()
    assert d.loc[d["tokens_logged"], "total_tokens"].gt(0).all()
    # sub-agents: none in standard mode, some in every orchestrated run
    assert (d.loc[~d["orchestrated"], ["subagent_calls", "sub_prompt_tokens"]].fillna(0) == 0).all().all()
    assert (d.loc[d["orchestrated"], "subagent_calls"] > 0).all()
    assert d["tool_calls"].isna().any() and (d["tool_calls"].dropna() > 0).all()
    assert {"source_id", "value_status"} <= set(d.columns)


@pytest.mark.parametrize("edit, pattern", [
    (lambda t: t.replace(",rlm_tips,", ",rlm_tricks,", 1), r"line 3: column 'mode' = 'rlm_tricks'"),
    (lambda t: t.replace(",50,0.04,", ",50,0.041,", 1), r"line 2: column 'accuracy' = 0.041 times questions"),
    (lambda t: t.replace(",50,0.04,", ",50,lots,", 1), r"line 2: column 'accuracy' = 'lots' is not a number"),
    (lambda t: t + t.splitlines()[1] + "\n", r"line 20: duplicate \(model, mode\)"),
])
def test_deepdive_malformed_rows_name_the_line(tmp_path, edit, pattern):
    src = (R.paths.DATA_PUBLISHED / f"{R.DEEPDIVE_TABLE}.csv").read_text()
    bad = tmp_path / "dd.csv"
    bad.write_text(edit(src))
    with pytest.raises(DataError, match=r"dd\.csv.*" + pattern):
        R.deepdive_aggregate(bad)


# ---------------------------------------------------------------- BrowseComp-Plus


def test_browsecomp_plus_real(require_logged):
    require_logged("browsecomp_plus/bm25_single_gpt_4.1")
    b = R.browsecomp_plus_queries()
    assert list(b.columns) == ["query_id", "correct", "search_calls", "confidence", "parse_error"]
    assert len(b) == 830 == b.attrs["n_evaluated"] and b["query_id"].is_unique
    assert int(b["correct"].sum()) == b.attrs["n_correct"] == 74
    # the file states accuracy in percent with two decimals and the mean search calls with two
    assert round(100 * b["correct"].mean(), 2) == pytest.approx(100 * b.attrs["accuracy"])
    assert round(b["search_calls"].mean(), 2) == pytest.approx(b.attrs["mean_search_calls"])
    assert b["search_calls"].between(1, 10).all()
    assert int(b["parse_error"].sum()) == 25 and not b.loc[b["parse_error"], "correct"].any()
    assert b.loc[b["parse_error"], "confidence"].isna().all()
    assert b["confidence"].dropna().between(0, 100).all()
    assert b["correct"].dtype == bool and b["search_calls"].dtype == np.int64


def _bc_doc():
    q = [{"query_id": str(i), "status": "evaluated", "correct": c, "confidence": 50, "extracted_answer": "x",
          "reasoning": "x", "parse_error": c == "unknown", "tool_calls": {"search": s}}
         for i, (c, s) in enumerate([("yes", 3), ("no", 5), ("unknown", 2)])]
    return {"Accuracy (%)": 33.33, "Total Evaluated": 3, "Correct": 1, "avg_tool_stats": {"search": 3.33},
            "per_query_metrics": q}


@pytest.mark.parametrize("mutate, pattern", [
    (lambda d: d["per_query_metrics"][1].pop("correct"), r"query '1': missing field\(s\) \['correct'\]"),
    (lambda d: d["per_query_metrics"][2]["tool_calls"].update(search="four"),
     r"query '2': tool_calls.search = 'four' is not a non-negative integer"),
    (lambda d: d["per_query_metrics"].append(dict(d["per_query_metrics"][0])), r"query '0': duplicate query_id"),
    (lambda d: d["per_query_metrics"][0].update(correct="maybe"), r"query '0': correct = 'maybe'"),
])
def test_browsecomp_malformed(tmp_path, mutate, pattern):
    p = tmp_path / "eval_summary.json"
    doc = _bc_doc()
    p.write_text(json.dumps(doc))
    ok = R.browsecomp_plus_queries(p)
    assert ok["correct"].tolist() == [True, False, False] and ok["search_calls"].tolist() == [3, 5, 2]
    assert math.isnan(ok["confidence"].iloc[2])
    mutate(doc)
    p.write_text(json.dumps(doc))
    with pytest.raises(DataError, match=r"eval_summary\.json: " + pattern):
        R.browsecomp_plus_queries(p)
    p.write_text("{not json")
    with pytest.raises(DataError, match=r"eval_summary\.json: not valid JSON"):
        R.browsecomp_plus_queries(p)


# ---------------------------------------------------------------- Codex rollouts


def _last_running_totals(path):
    last = None
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        pl = r.get("payload") or {}
        if r.get("type") == "event_msg" and pl.get("type") == "token_count" and pl.get("info"):
            last = pl["info"]["total_token_usage"]
    return last


def _session_id(path):
    for line in open(path, encoding="utf-8"):
        r = json.loads(line)
        if r.get("type") == "session_meta":
            return r["payload"]["id"]


def test_codex_localpush_sessions_equal_their_last_running_totals(require_logged):
    for n in registry.names("codex_localpush/"):
        require_logged(n)
    files = R.codex_localpush_files()
    assert len(files) == 6 and all(f.suffix == ".jsonl" for f in files)
    led, st = R.codex_localpush_ledger()
    assert st["files"] == 6 and st["malformed"] == 0
    manifest = json.loads(registry.local_path("codex_localpush/manifest").read_text())
    # the fixture's own count of repeated running totals, collapsed by the reader
    assert st["duplicates_dropped"] == manifest["verification"]["duplicate_events_collapsed"] == 480
    assert len(led) == st["valid"] - st["duplicates_dropped"] == 485
    assert set(led["model"]) == set(manifest["verification"]["models_used"]) == {"gpt-5.3-codex"}
    assert led["session"].nunique() == 6 and (led["cache_write_5m"] + led["cache_write_1h"] == 0).all()
    tot = led.groupby("session")[["uncached_input", "cache_read", "output"]].sum()
    for f in files:
        last = _last_running_totals(f)
        row = tot.loc[_session_id(f)]
        assert row["uncached_input"] + row["cache_read"] == last["input_tokens"]
        assert row["cache_read"] == last["cached_input_tokens"]
        assert row["output"] == last["output_tokens"]
    assert list(led.columns) == A.LEDGER_COLUMNS  # usage, ids, models, timestamps only


def test_codex_real_file_with_a_bad_line_is_read_around_it(require_logged, tmp_path):
    src = require_logged(registry.names("codex_localpush/sessions/")[-1])
    lines = src.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "rollout-bad.jsonl"
    bad.write_text("".join(lines[:3] + ['{"type": "event_msg", "payload": {\n'] + lines[3:]), encoding="utf-8")
    with pytest.warns(A.MalformedLogLine, match=r"rollout-bad\.jsonl: line 4"):
        led, st = A.read_logs(bad)
    assert st["malformed"] == 1
    last = _last_running_totals(src)
    assert led["uncached_input"].sum() + led["cache_read"].sum() == last["input_tokens"]


_RUN_MUTATIONS = [  # (model, run index, change): valid forms left to the run-by-run reader, and bad ones
    ("m-low", 0, lambda r: r["token_usage"].update(input_tokens=100.0)),
    ("m-low", 0, lambda r: r["token_usage"].update(input_tokens=100.5)),
    ("m-low", 0, lambda r: r["token_usage"].update(input_tokens=True)),
    ("m-low", 0, lambda r: r["token_usage"].update(input_tokens=-5)),
    ("m-low", 1, lambda r: r.update(token_usage=None)),
    ("m-low", 1, lambda r: r.update(token_usage=[1, 2])),
    ("m-high", 1, lambda r: r.update(turn_count=3.0)),
    ("m-high", 1, lambda r: r.update(turn_count=None)),
    ("m-high", 1, lambda r: r.update(turn_count=-1)),
    ("m-high", 1, lambda r: r.update(turn_count=False)),
    ("plain", 0, lambda r: [r.pop("agent_execution_time"), r.pop("execution_time")]),
    ("plain", 0, lambda r: r.pop("agent_execution_time")),
    ("plain", 0, lambda r: r.update(agent_execution_time=3)),
    ("plain", 0, lambda r: r.update(agent_execution_time=-1.0)),
    ("plain", 0, lambda r: r.update(agent_execution_time=float("nan"))),
    ("plain", 0, lambda r: r.update(agent_execution_time="1s")),
    ("plain", 1, lambda r: r.update(success=1)),
    ("plain", 1, lambda r: r.update(run="run-0")),
    ("plain", 1, lambda r: r.update(run="run-1")),
    ("plain", 1, lambda r: r.update(run=2)),
    ("plain", 1, lambda r: r.pop("run")),
    ("plain", 1, lambda r: r.pop("turn_count")),
]


@pytest.mark.parametrize("i", range(len(_RUN_MUTATIONS) + 4))
def test_mcpmark_column_reader_matches_run_by_run_reader(monkeypatch, i):
    """``_task_rows`` reads a file's runs column by column; whatever the file holds, its rows or its error
    message equal those of the run-by-run reader alone (the column reader switched off)."""
    import copy

    from helpers.agent_runs import mcpmark as M

    base = _mini_mcpmark_doc()
    doc = copy.deepcopy(base)
    if i < len(_RUN_MUTATIONS):
        model, k, change = _RUN_MUTATIONS[i]
        change(doc["models"][model]["runs"][k])
    else:  # whole-model problems, and a bad run before a bad model (the run is named first)
        [lambda d: d["models"]["m-high"].update(runs=[]),
         lambda d: d["models"].update({"m-high": "x"}),
         lambda d: (d["models"]["m-low"]["runs"][1].update(success=None), d["models"]["plain"].update(runs=None)),
         lambda d: d["models"]["m-low"]["runs"].insert(0, "run-3")][i - len(_RUN_MUTATIONS)](doc)

    def read(fast: bool):
        if not fast:
            monkeypatch.setattr(M, "_rows_fast", lambda *a, **k: None)
        try:
            return M._task_rows(Path("task_results/cat__t1.json"), copy.deepcopy(doc), {})
        except DataError as exc:
            return str(exc)
        finally:
            monkeypatch.undo()

    fast, slow = read(True), read(False)
    assert type(fast) is type(slow) and (fast == slow if isinstance(fast, str) else _same_rows(fast, slow))
    clean = M._task_rows(Path("task_results/cat__t1.json"), copy.deepcopy(base), {})
    assert M._rows_fast(["m-low", "m-high", "plain"], [2, 2, 2], [r for m in base["models"].values()
                                                                  for r in m["runs"]], "cat__t1", "postgres",
                        "cat") == clean  # the clean file does take the column reader


def _same_rows(a, b):
    """Rows equal value for value and type for type (NaN equal to NaN)."""
    return len(a) == len(b) and all(
        len(x) == len(y) and all(type(u) is type(v) and (u == v or (isinstance(u, float) and math.isnan(u)
                                                                    and math.isnan(v))) for u, v in zip(x, y))
        for x, y in zip(a, b))


def _mini_mcpmark_doc():
    return {"task": "cat__t1", "service": "postgres", "models": {
        "m-low": {"runs": [_run(1), _run(2, succ=False)]},
        "m-high": {"runs": [_run(1, rea=5), _run(2, rea=6)]},
        "plain": {"runs": [_run(1, rea=None), _run(2, inp=0, out=0, turns=0, succ=False)]}}}


def test_mcpmark_runs_keeps_its_frame_and_reads_back_the_same_bytes(tmp_path, monkeypatch):
    """The frame parsed from the registry's files is kept on disk and read back by the next call (no parse):
    equal values, dtypes and attrs; a damaged copy is parsed again and replaced; an override still applies."""
    import pandas as pd

    from helpers.agent_runs import mcpmark as M

    _need(MCP_NAMES)
    kept = tmp_path / "derived" / "mcpmark_runs-test.pkl"
    stale = kept.with_name("mcpmark_runs-older.pkl")
    stale.parent.mkdir()
    stale.write_bytes(b"a frame of older code")
    cut = kept.with_name(".mcpmark_runs-test.pkl.abc123.tmp")  # a write killed before its os.replace
    cut.write_bytes(b"half a pickle")
    monkeypatch.setattr(M, "_kept_frame_path", lambda: kept)
    parses = []
    real = M._runs_frame
    monkeypatch.setattr(M, "_runs_frame", lambda *a: (parses.append(1), real(*a))[1])
    built = R.mcpmark_runs()
    assert len(parses) == 1 and kept.is_file() and not stale.exists() and not cut.exists()  # the current one
    read = R.mcpmark_runs()
    assert len(parses) == 1, "the kept frame was not used"
    pd.testing.assert_frame_equal(read, built, check_exact=True)
    assert read.attrs == built.attrs and list(read.dtypes) == list(built.dtypes)
    kept.write_bytes(b"not a pickle")  # e.g. a copy cut short
    again = R.mcpmark_runs()
    assert len(parses) == 2 and pd.read_pickle(kept).equals(built)
    pd.testing.assert_frame_equal(again, built, check_exact=True)
    flipped = R.mcpmark_runs(reasoning_override={"claude-sonnet-4-high": True})
    assert len(parses) == 2 and flipped.loc[flipped["config"] == "claude-sonnet-4-high", "is_reasoning"].all()
    assert not R.mcpmark_runs().loc[lambda d: d["config"] == "claude-sonnet-4-high", "is_reasoning"].any()


def test_mcpmark_kept_frame_name_changes_with_any_input(monkeypatch):
    """The kept frame's name hashes the pinned files, the code that builds it and the library versions."""
    import pandas as pd

    from helpers.agent_runs import mcpmark as M

    base = M._kept_frame_path()
    assert base.parent == paths.data_external() / "derived" and base.suffix == ".pkl"
    e = registry.entry("mcpmark/summary")
    monkeypatch.setitem(registry.REGISTRY, e.name, registry.DataFile(e.name, e.repo, e.path, "0" * 64))
    other_data = M._kept_frame_path()
    monkeypatch.undo()
    monkeypatch.setattr(M, "_FRAME_CODE", M._FRAME_CODE[:-1])  # one module less: other code
    other_code = M._kept_frame_path()
    monkeypatch.undo()
    monkeypatch.setattr(pd, "__version__", "0.0.0")
    other_pandas = M._kept_frame_path()
    assert len({base, other_data, other_code, other_pandas}) == 4

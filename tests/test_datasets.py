"""Loaders: documented frames on the real files; named errors on malformed copies."""
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from helpers import datasets as D
from helpers import registry
from helpers.validate import DataError


def test_published_tables_keep_citations():
    h = D.headline_figures()
    assert {"source_id", "claim", "quantity", "value", "value_numeric", "citation"} <= set(h.columns)
    assert not h["citation"].str.fullmatch(r"\s*same\s*", case=False).any()
    row = h[(h.source_id == "ALZAHRANI2026") & h.quantity.str.contains("cache reads")]
    assert row["value_numeric"].iloc[0] == pytest.approx(82.9)
    assert np.isnan(h.loc[h["value"] == "", "value_numeric"]).all()
    for p in D.paths.DATA_PUBLISHED.glob("*.csv"):
        t = D.published(p.stem)
        assert len(t) > 0
    with pytest.raises(DataError, match="published table not found"):
        D.published("no_such_table")


def test_swe_effi(require_logged, tmp_path):
    for n in registry.names("swe_effi/"):
        require_logged(n)
    df = D.swe_effi()
    assert len(df) == 742 and df["scaffold"].nunique() == 5 and df["model"].nunique() == 3
    assert (df["total_tokens"] == df["input_tokens"] + df["output_tokens"]).all()
    assert df["resolved"].dtype == bool and df["llm_calls"].dtype == np.int64
    # malformed copy: a negative token count names the file and the instance
    src = registry.entry(registry.names("swe_effi/")[0]).local
    doc = json.loads(src.read_text())
    first = next(iter(doc))
    doc[first]["input_tokens"] = -5
    bad = tmp_path / "agentless" / "m" / "combined_stats.json"
    bad.parent.mkdir(parents=True)
    bad.write_text(json.dumps(doc))
    with pytest.raises(DataError, match=rf"combined_stats.json, instance '{first}': input_tokens = -5"):
        D.swe_effi([bad])
    bad.write_text("{not json")
    with pytest.raises(DataError, match="not valid JSON"):
        D.swe_effi([bad])


def _corrupt_csv(src, dst, row, col, value):
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    df.loc[row, col] = value
    df.to_csv(dst, index=False)
    return dst


def test_terminal_bench(require_logged, tmp_path):
    p = require_logged("terminal_bench/trial_token_usage")
    df = D.terminal_bench_trials()
    assert len(df) == 6199 and df["model"].nunique() == 16
    assert df["success"].dtype == bool and (df["total_tokens"] >= 0).all()
    bad = _corrupt_csv(p, tmp_path / "t.csv", 41, "n_input_tokens", "-3")
    with pytest.raises(DataError, match=r"t.csv, line 43: column 'n_input_tokens' = -3"):
        D.terminal_bench_trials(bad)
    bad = _corrupt_csv(p, tmp_path / "t2.csv", 7, "success", "maybe")
    with pytest.raises(DataError, match=r"line 9: column 'success' = 'maybe' is not a boolean"):
        D.terminal_bench_trials(bad)
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(DataError, match="empty.csv"):
        D.terminal_bench_trials(tmp_path / "empty.csv")
    with pytest.raises(DataError, match="no such file"):
        D.terminal_bench_trials(tmp_path / "absent.csv")


def test_monkeys(require_logged, tmp_path):
    p = require_logged("monkeys/pass_at_k_processed")
    df = D.monkeys_counts()
    assert df.groupby("model").size().eq(128).all() and df["model"].nunique() == 7
    assert (df["n_samples"] == 10000).all() and (df["n_correct"] <= df["n_samples"]).all()
    raw = D.monkeys_counts("raw", require_logged("monkeys/math_raw"))
    assert raw["level"].str.startswith("Level").all()
    t = pd.read_parquet(p)
    t.loc[t.index[0], "Num. Samples Correct"] = 20000
    t.to_parquet(tmp_path / "bad.parquet")
    with pytest.raises(DataError, match=r"bad.parquet, row \d+ \(model .*\): column 'n_correct' = 20000.* exceeds n_samples"):
        D.monkeys_counts(path=tmp_path / "bad.parquet")
    (tmp_path / "junk.parquet").write_text("not parquet")
    with pytest.raises(DataError, match="cannot be read as parquet"):
        D.monkeys_counts(path=tmp_path / "junk.parquet")


def test_monkeys_reads_only_its_columns_and_names_a_missing_one(require_logged, tmp_path, monkeypatch):
    """monkeys_counts reads only the columns it uses: the frames equal those built from the whole file, and a
    file without one of them still fails naming the missing column and every column found."""
    paths = {"processed": require_logged("monkeys/pass_at_k_processed"), "raw": require_logged("monkeys/math_raw")}
    got = {s: D.monkeys_counts(s) for s in paths}
    whole = pd.read_parquet
    monkeypatch.setattr(pd, "read_parquet", lambda path, columns=None, **kw: whole(path, **kw))
    for s in paths:
        pd.testing.assert_frame_equal(got[s], D.monkeys_counts(s), check_exact=True)
    monkeypatch.undo()
    t = pd.read_parquet(paths["processed"]).drop(columns=["Problem Idx"])
    t.to_parquet(tmp_path / "short.parquet")
    with pytest.raises(DataError, match=r"short.parquet: missing required column\(s\) \['Problem Idx'\]; "
                                        r"found \['Model', 'Benchmark', "):
        D.monkeys_counts(path=tmp_path / "short.parquet")


def test_cost_bench(require_logged, tmp_path):
    for n in registry.names("cost_bench/"):
        require_logged(n)
    runs = D.cost_bench_runs()
    assert set(runs["run_set"]) == {"deepswe33-glm-opus48", "deepswe33-kimi-k3", "deepswe33-opus5"}
    assert runs["passed"].dtype == bool and (runs["billed_usd"] >= 0).all()
    diff = D.cost_bench_difficulty()
    assert diff["pass_rate"].between(0, 1).all()
    src = registry.entry("cost_bench/deepswe33-opus5/per_run").local
    bad = _corrupt_csv(src, tmp_path / "per_run.csv", 3, "billed_usd", "-1.0")
    with pytest.raises(DataError, match=r"per_run.csv, line 5: column 'billed_usd'"):
        D.cost_bench_runs({"x": bad})
    src = registry.entry("cost_bench/deepswe33-opus5/deepswe_task_difficulty").local
    bad = _corrupt_csv(src, tmp_path / "diff.csv", 0, "passes", "99")
    with pytest.raises(DataError, match=r"diff.csv, line 2: column 'passes' = 99.* exceeds trials"):
        D.cost_bench_difficulty({"x": bad})


def test_agent_eval(require_logged, tmp_path):
    p = require_logged("agent_eval/humaneval_results")
    df = D.agent_eval_humaneval()
    assert len(df) == 178 and df["accuracy"].between(0, 1).all()
    assert (df["total_tokens"] == df["prompt_tokens"] + df["completion_tokens"]).all()
    bad = _corrupt_csv(p, tmp_path / "he.csv", 10, "accuracy", "1.7")
    with pytest.raises(DataError, match=r"he.csv, line 12: column 'accuracy' = 1.7 is outside \[0, 1\]"):
        D.agent_eval_humaneval(bad)
    bad = _corrupt_csv(p, tmp_path / "he2.csv", 2, "total_cost", "abc")
    with pytest.raises(DataError, match=r"line 4: column 'total_cost' = 'abc' is not a number"):
        D.agent_eval_humaneval(bad)
    pd.read_csv(p).drop(columns=["accuracy"]).to_csv(tmp_path / "he3.csv", index=False)
    with pytest.raises(DataError, match=r"missing required column\(s\) \['accuracy'\]"):
        D.agent_eval_humaneval(tmp_path / "he3.csv")


def test_tracelab(require_logged, tmp_path):
    p = require_logged("tracelab/round_trace_sanitized")
    df = D.tracelab_rounds()
    assert len(df) == 19 and set(df["provider"]) == {"claude", "codex"}
    assert str(df["timestamp"].dtype).startswith("datetime64")
    # ledger identity against the file's own total: prompt = uncached + write + read
    totals = [json.loads(line)["input_tokens_total"] for line in p.read_text().splitlines() if line.strip()]
    assert (df["uncached_input"] + df["cache_write"] + df["cache_read"]).tolist() == totals
    # no text-bearing field reaches the frame
    assert set(df.columns) == {"session_id", "round_index", "round_id", "provider", "model", "timestamp",
                               "uncached_input", "cache_write", "cache_read", "output"}
    lines = p.read_text().splitlines()
    lines[4] = lines[4][:40]
    (tmp_path / "bad.jsonl").write_text("\n".join(lines) + "\n")
    with pytest.raises(DataError, match=r"bad.jsonl, line 5: not valid JSON"):
        D.tracelab_rounds(path=tmp_path / "bad.jsonl")
    rec = json.loads(lines[0])
    rec["claude_cache_read_input_tokens"] = -1
    (tmp_path / "neg.jsonl").write_text(json.dumps(rec) + "\n")
    with pytest.raises(DataError, match=r"neg.jsonl, line 1: field 'claude_cache_read_input_tokens' = -1"):
        D.tracelab_rounds(path=tmp_path / "neg.jsonl")


def test_catalogue_reports_absent_sources(tmp_path, monkeypatch):
    monkeypatch.setenv("STUDY_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DATA_MIRROR", raising=False)
    cat = D.logged_catalogue()
    assert not cat["available"].any() and cat["rows"].isna().all()

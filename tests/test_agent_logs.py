"""Tests of helpers.agent_logs: Claude Code / Codex CLI / TraceLab / CSV readers, dedup, privacy, speed."""
from __future__ import annotations

import json
import time
import warnings

import numpy as np
import pytest

from helpers import agent_logs as A, cache, datasets, tokens
from helpers.validate import DataError, ParameterError

SECRET = "TOPSECRET-7f3a9c-do-not-leak"


@pytest.fixture
def small_ledger():
    p = cache.AgentParams(days=3, sessions_per_day=2.0, turns_per_session=15.0, cache_ttl_s=900.0)
    return cache.simulate_agent(p, np.random.default_rng(1), 1).assign(model="claude-sonnet-4-6")


def _line(msg_id="msg_1", req="req_1", out=10, inp=3, cw=100, cr=1000, side=False, session="s1", model="claude-opus-4-8",
          ts="2026-06-01T05:40:20.151Z", w1h=0, text="hello"):
    return json.dumps({"type": "assistant", "isSidechain": side, "sessionId": session, "requestId": req, "timestamp": ts,
                       "cwd": f"/home/{text}", "message": {"id": msg_id, "model": model, "role": "assistant",
                                                           "content": [{"type": "text", "text": text}],
                                                           "usage": {"input_tokens": inp, "output_tokens": out,
                                                                     "cache_creation_input_tokens": cw,
                                                                     "cache_read_input_tokens": cr,
                                                                     "cache_creation": {"ephemeral_5m_input_tokens": cw - w1h,
                                                                                        "ephemeral_1h_input_tokens": w1h}}}})


def _write(path, lines):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------- Claude Code


def test_claude_fixture_recovers_planted_ledger(tmp_path, small_ledger):
    planted = A.write_claude_jsonl(small_ledger, tmp_path / "proj", np.random.default_rng(2), max_blocks=4,
                                   sidechain_prob=0.3, malformed_prob=0.1)
    assert planted["duplicates_dropped"] > 0 and planted["malformed"] > 0
    with pytest.warns(A.MalformedLogLine) as rec:
        led, stats = A.read_logs(tmp_path / "proj")
    assert stats == planted
    assert len(led) == len(small_ledger) == stats["valid"] - stats["duplicates_dropped"]
    for c in tokens.TOKEN_COLUMNS:
        assert led[c].sum() == small_ledger[c].sum(), c
    assert list(led.columns) == A.LEDGER_COLUMNS
    assert (led["provider"] == "Anthropic").all() and led["timestamp"].notna().all()
    # the warning names files and lines, and those lines are the malformed ones
    msg = str(rec[0].message)
    assert f"skipped {planted['malformed']} malformed" in msg
    first_file, first_lines = msg.split(": ", 1)[1].split("; ")[0].split(": line ")
    # files are named by rank and a short hash of their relative path, never by name (privacy)
    (path,) = A.locate(tmp_path / "proj", first_file.rsplit("(", 1)[1].rstrip(")"))
    text = open(path, encoding="utf-8").read().splitlines()
    for ln in first_lines.split(", "):
        with pytest.raises(json.JSONDecodeError):
            json.loads(text[int(ln) - 1])


def test_claude_keeps_largest_streamed_totals(tmp_path):
    f = _write(tmp_path / "a.jsonl", [_line(out=5), _line(out=931), _line(out=1),
                                      json.dumps({"type": "user", "message": {"role": "user", "content": "hi"}})])
    led, stats = A.read_logs(f)
    assert len(led) == 1 and led["output"].iloc[0] == 931
    assert stats == {"lines": 4, "valid": 3, "duplicates_dropped": 2, "malformed": 0, "files": 1, "unreadable": 0}


def test_claude_sidechains_and_resumed_sessions(tmp_path):
    _write(tmp_path / "p" / "s1.jsonl", [
        _line("msg_a", "req_a"),
        _line("msg_a", "req_side", side=True),      # replay of a main-chain message: dropped
        _line("msg_sub", "req_sub", side=True),     # a real subagent call: kept
        _line("msg_b", "req_b", w1h=40)])
    _write(tmp_path / "p" / "s2.jsonl", [_line("msg_b", "req_b", w1h=40, session="s2"),  # resumed session copies msg_b
                                         _line("msg_c", "req_c", session="s2")])
    led, stats = A.read_logs(tmp_path / "p")
    assert sorted(led["call_id"]) == ["msg_a", "msg_b", "msg_c", "msg_sub"]
    assert stats["duplicates_dropped"] == 2 and stats["valid"] == 6
    assert led.loc[led["call_id"] == "msg_sub", "sidechain"].item() is True
    b = led[led["call_id"] == "msg_b"].iloc[0]
    assert (b["cache_write_5m"], b["cache_write_1h"]) == (60, 40)


def test_claude_usage_without_split_goes_to_5m_and_synthetic_ignored(tmp_path):
    rec = json.loads(_line())
    del rec["message"]["usage"]["cache_creation"]
    syn = json.loads(_line("msg_syn", "req_syn", model="<synthetic>"))
    f = _write(tmp_path / "a.jsonl", [json.dumps(rec), json.dumps(syn)])
    led, stats = A.read_logs(f)
    assert len(led) == 1 and led["cache_write_5m"].item() == 100 and led["cache_write_1h"].item() == 0
    assert stats["valid"] == 1


@pytest.mark.parametrize("mutate", [
    lambda u: u.update(input_tokens=-1), lambda u: u.update(output_tokens="12"), lambda u: u.update(cache_read_input_tokens=1.5),
    lambda u: u.update(input_tokens=True), lambda u: u.pop("output_tokens"),
    lambda u: u["cache_creation"].update(ephemeral_1h_input_tokens=10_000),
])
def test_claude_bad_usage_is_malformed(tmp_path, mutate):
    bad = json.loads(_line("msg_bad", "req_bad"))
    mutate(bad["message"]["usage"])
    f = _write(tmp_path / "a.jsonl", [_line(), json.dumps(bad), "[1, 2]", "{not json"])
    with pytest.warns(A.MalformedLogLine, match=r"a\.jsonl: line 2, 3, 4"):
        led, stats = A.read_logs(f)
    assert len(led) == 1 and stats["malformed"] == 3 and stats["valid"] == 1


def test_nothing_valid_fails_clearly(tmp_path):
    f = _write(tmp_path / "bad" / "a.jsonl", ["{oops", "also not json"])
    with pytest.warns(A.MalformedLogLine), pytest.raises(DataError, match="no valid usage records"):
        A.read_logs(f)
    _write(tmp_path / "users" / "a.jsonl", [json.dumps({"type": "user", "message": {"content": "x"}})])
    with pytest.raises(DataError, match="no valid usage records"):
        A.read_logs(tmp_path / "users")
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match="no \\*.jsonl or \\*.csv"):
        A.read_logs(tmp_path / "empty")
    with pytest.raises(DataError, match="no such file"):
        A.read_logs(tmp_path / "missing")
    with pytest.raises(ParameterError, match="logs_path"):
        A.read_logs("  ")


# ---------------------------------------------------------------- Codex CLI


def test_codex_fixture_recovers_planted_ledger(tmp_path, small_ledger):
    planted = A.write_codex_jsonl(small_ledger, tmp_path / "codex" / "rollout-1.jsonl", np.random.default_rng(3), repeat_prob=0.3)
    led, stats = A.read_logs(tmp_path / "codex")
    assert stats == planted and len(led) == len(small_ledger)
    assert led["cache_read"].sum() == small_ledger["cache_read"].sum()
    assert led[tokens.PROMPT_COLUMNS].sum().sum() == small_ledger[tokens.PROMPT_COLUMNS].sum().sum()
    assert (led[["cache_write_5m", "cache_write_1h"]] == 0).all().all()
    assert (led["model"] == "gpt-5-codex").all() and (led["session"] == "codex-session-1").all()
    assert (led["provider"] == "OpenAI").all() and (led["source"] == "codex").all()


def test_codex_bad_events(tmp_path):
    ok = {"type": "event_msg", "timestamp": "2026-03-21T10:00:00Z", "payload": {"type": "token_count", "info": {
        "total_token_usage": {"input_tokens": 10}, "last_token_usage": {"input_tokens": 100, "cached_input_tokens": 60, "output_tokens": 7}}}}
    bad = json.loads(json.dumps(ok))
    bad["payload"]["info"]["last_token_usage"]["cached_input_tokens"] = 500
    bad["payload"]["info"]["total_token_usage"] = {"input_tokens": 20}
    f = _write(tmp_path / "r.jsonl", [json.dumps({"type": "session_meta", "payload": {"id": "S"}}), json.dumps(ok), json.dumps(bad)])
    with pytest.warns(A.MalformedLogLine, match="line 3"):
        led, stats = A.read_logs(f)
    assert len(led) == 1 and led["uncached_input"].item() == 40 and led["cache_read"].item() == 60
    assert stats["malformed"] == 1 and led["model"].item() == "unknown"


# ---------------------------------------------------------------- TraceLab


def test_tracelab_rounds_through_read_logs(require_logged):
    p = require_logged("tracelab/round_trace_sanitized")
    led, stats = A.read_logs(p)
    rounds = datasets.tracelab_rounds(path=p)
    assert len(led) == len(rounds) == stats["valid"] == stats["lines"]
    assert led["cache_read"].sum() == rounds["cache_read"].sum()
    assert led["cache_write_5m"].sum() == rounds["cache_write"].sum()
    assert set(led["provider"]) == {"Anthropic", "OpenAI"}


def test_tracelab_raw_claude_trace_matches_rounds(require_logged):
    """On real data: the raw Claude Code segment dedups to exactly TraceLab's rounds for that session."""
    lines = A.tracelab_trace_records(require_logged("tracelab/claude_trace"))
    led, stats = A.read_claude_lines(lines, "trace")
    rounds = datasets.tracelab_rounds(path=require_logged("tracelab/round_trace_sanitized"))
    rc = rounds[rounds["provider"] == "claude"].sort_values("round_index")
    assert stats["duplicates_dropped"] > 0 and len(led) == len(rc)
    got = led.sort_values("timestamp")[["uncached_input", "cache_write_5m", "cache_read", "output"]].to_numpy()
    np.testing.assert_array_equal(got, rc[["uncached_input", "cache_write", "cache_read", "output"]].to_numpy())


# ---------------------------------------------------------------- generic CSV


GOOD_CSV = """timestamp,session,model,uncached_input,cache_write,cache_read,output
2026-05-01T10:00:00Z,s1,claude-sonnet-4-6,10,2000,0,300
2026-05-01T10:01:00Z,s1,claude-sonnet-4-6,5,400,2000,120
2026-05-01T11:00:00Z,s2,gpt-5,800,0,9000,50
"""


def test_generic_csv(tmp_path):
    f = tmp_path / "u.csv"
    f.write_text(GOOD_CSV)
    led, stats = A.read_logs(f)
    assert len(led) == 3 and stats == {"lines": 3, "valid": 3, "duplicates_dropped": 0, "malformed": 0, "files": 1, "unreadable": 0}
    assert led["cache_read"].sum() == 11_000 and led["cache_write_5m"].sum() == 2_400
    assert list(led["provider"]) == ["Anthropic", "Anthropic", "OpenAI"]
    f2 = tmp_path / "v.csv"
    f2.write_text(GOOD_CSV.replace("output\n", "output,cache_write_1h\n").replace("300\n", "300,7\n").replace("120\n", "120,0\n").replace("50\n", "50,0\n"))
    led2, _ = A.read_logs(f2)
    assert led2["cache_write_1h"].sum() == 7


@pytest.mark.parametrize("old,new,match", [
    ("5,400,2000,120", "5,400,-2000,120", r"line 3: column 'cache_read' = -2000"),
    ("5,400,2000,120", "5,400,2000.5,120", r"line 3: column 'cache_read' = 2000.5 is not a whole number"),
    ("800,0,9000,50", "800,0,lots,50", r"line 4: column 'cache_read' = 'lots' is not a number"),
    ("2026-05-01T11:00:00Z", "yesterday", r"line 4: column 'timestamp'"),
    (",s2,", ",,", r"line 4: column 'session' is empty"),
    ("cache_read,", "cache_hit,", r"missing required column"),
])
def test_generic_csv_bad_rows_name_the_line(tmp_path, old, new, match):
    f = tmp_path / "bad.csv"
    f.write_text(GOOD_CSV.replace(old, new, 1))
    with pytest.raises(DataError, match=match):
        A.read_logs(f)


def test_mixed_folder_and_sniffing(tmp_path, small_ledger):
    A.write_claude_jsonl(small_ledger.iloc[:20], tmp_path / "mix" / "claude", np.random.default_rng(4))
    A.write_codex_jsonl(small_ledger.iloc[:10], tmp_path / "mix" / "codex" / "r.jsonl", np.random.default_rng(5))
    (tmp_path / "mix" / "u.csv").write_text(GOOD_CSV)
    led, stats = A.read_logs(tmp_path / "mix")
    assert led.groupby("source").size().to_dict() == {"claude": 20, "codex": 10, "csv": 3}
    assert A.sniff_format(tmp_path / "mix" / "u.csv") == "csv"
    assert A.sniff_format(tmp_path / "mix" / "codex" / "r.jsonl") == "codex"


# ---------------------------------------------------------------- privacy and speed


def test_privacy_no_text_in_frame_stats_or_warnings(tmp_path, small_ledger):
    A.write_claude_jsonl(small_ledger, tmp_path / "logs" / "claude", np.random.default_rng(6), text=SECRET,
                         sidechain_prob=0.2, malformed_prob=0.2)
    A.write_codex_jsonl(small_ledger, tmp_path / "logs" / "codex" / "r.jsonl", np.random.default_rng(7), text=SECRET)
    assert SECRET in (tmp_path / "logs" / "codex" / "r.jsonl").read_text()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        led, stats = A.read_logs(tmp_path / "logs")
    assert caught and all(SECRET not in str(w.message) for w in caught)
    assert SECRET not in led.to_csv() and SECRET not in json.dumps(stats)
    for c in led.columns:
        assert not led[c].astype(str).str.contains("TOPSECRET").any(), c


def test_reads_100k_lines_in_seconds(tmp_path):
    pad = "x" * 400  # message text of a realistic size (parsed, never kept)
    tmpl = ('{"type":"assistant","isSidechain":false,"sessionId":"s%d","requestId":"r%d","timestamp":"2026-05-01T10:00:00Z",'
            '"message":{"id":"m%d","model":"claude-sonnet-4-6","content":[{"type":"text","text":"' + pad + '"}],'
            '"usage":{"input_tokens":3,"output_tokens":%d,"cache_creation_input_tokens":50,"cache_read_input_tokens":9000}}}')
    n = 100_000
    ids = np.arange(n) // 2  # every message streamed twice
    lines = [tmpl % (i // 500, i, i, 7) for i in ids.tolist()]
    f = tmp_path / "big.jsonl"
    f.write_text("\n".join(lines) + "\n")
    t0 = time.perf_counter()
    led, stats = A.read_logs(f)
    took = time.perf_counter() - t0
    assert stats["lines"] == n and len(led) == n // 2 and stats["duplicates_dropped"] == n // 2
    assert took < 15.0, f"reading {n} lines took {took:.1f} s"

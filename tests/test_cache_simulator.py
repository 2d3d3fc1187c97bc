"""Tests of claim 5's model (helpers.cache): the persistent-agent simulator against a reference loop, its
identities and closed forms, the TTL break-even, cost per solved task and the session-bootstrap shares."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from helpers import cache, datasets, pricing, tokens
from helpers.validate import DataError, ParameterError

SMALL = cache.AgentParams(days=6, sessions_per_day=2.0, turns_per_session=25.0)


# ---------------------------------------------------------------- simulator


def _reference_ledger(p: cache.AgentParams, d: dict, n_reps: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The model of the module docstring as a plain loop over calls (independent of the vectorized code)."""
    turns_rows, comp_rows = [], []
    s_idx = c_idx = 0
    summ = int(round(p.summary_tokens))
    long_tier = p.cache_ttl_s > pricing.FIVE_MINUTES_S
    for r in range(n_reps):
        for day in range(p.days):
            for j in range(int(d["n_sess"][r * p.days + day])):
                P = int(np.rint(p.stable_prefix_tokens + p.memory_growth_tokens_per_day * day))
                H_prev = o_prev = 0
                for t in range(int(d["turns"][s_idx])):
                    i = int(np.rint(p.new_input_mean_tokens * np.exp(p.new_input_sigma * d["z_in"][c_idx] - p.new_input_sigma ** 2 / 2)))
                    o = int(np.rint(p.output_mean_tokens * np.exp(p.output_sigma * d["z_out"][c_idx] - p.output_sigma ** 2 / 2)))
                    if t == 0:
                        gap = math.inf if j == 0 else p.session_gap_mean_s * d["e_sess"][s_idx]
                    else:
                        gap = p.turn_gap_mean_s * d["e_short"][c_idx] + (d["u_idle"][c_idx] < p.idle_prob) * p.idle_gap_mean_s * d["e_idle"][c_idx]
                    warm = gap <= p.cache_ttl_s
                    H = H_prev + o_prev + i
                    compacted = t > 0 and P + H > p.compaction_threshold_tokens
                    if compacted:
                        comp_rows.append({"session": s_idx, "turn": t, "read": P + H_prev if warm else 0,
                                          "new": o_prev if warm else P + H_prev + o_prev, "output": summ})
                        H = summ + i
                        read = P if p.compaction_keeps_prefix else 0
                        new = H + (0 if p.compaction_keeps_prefix else P)
                    else:
                        read = P + H_prev if warm else 0
                        new = o_prev + i if warm else P + H
                    att = int(d["u_att"][c_idx] < p.artifact_rate)
                    turns_rows.append({"session": s_idx, "turn": t, "read": read, "new": new, "output": o, "warm": warm,
                                       "compacted": compacted, "attempted": att,
                                       "finished": att * int(d["u_rew"][c_idx] >= p.rework_prob)})
                    H_prev, o_prev = H, o
                    c_idx += 1
                s_idx += 1

    def split(df):
        w = np.rint(p.write_share * df["new"].to_numpy(float)).astype(np.int64)
        return df.assign(uncached_input=df["new"] - w, cache_write_5m=w * (not long_tier), cache_write_1h=w * long_tier,
                         cache_read=df["read"])
    return split(pd.DataFrame(turns_rows)), split(pd.DataFrame(comp_rows)) if comp_rows else pd.DataFrame()


@pytest.mark.parametrize("kw", [
    {},
    {"compaction_threshold_tokens": 52_000.0, "summary_tokens": 4_000.0, "idle_prob": 0.3, "idle_gap_mean_s": 400.0},
    {"compaction_threshold_tokens": 50_000.0, "compaction_keeps_prefix": False, "write_share": 0.4, "cache_ttl_s": 900.0},
])
def test_simulator_equals_reference_loop(kw):
    """The vectorized simulator is exactly the documented model: no constant beyond the parameters."""
    p = SMALL.with_(**kw)
    d = cache.draw_randomness(p, np.random.default_rng(11), 2)
    ref_t, ref_c = _reference_ledger(p, d, 2)
    sim = cache.simulate_agent(p, np.random.default_rng(11), 2)
    st, sc = sim[sim["kind"] == "turn"].reset_index(drop=True), sim[sim["kind"] == "compaction"].reset_index(drop=True)
    cols = ["uncached_input", "cache_write_5m", "cache_write_1h", "cache_read", "output"]
    np.testing.assert_array_equal(st[cols].to_numpy(), ref_t[cols].to_numpy())
    np.testing.assert_array_equal(st["warm"], ref_t["warm"])
    np.testing.assert_array_equal(st["compacted"], ref_t["compacted"])
    np.testing.assert_array_equal(st["artifacts_finished"], ref_t["finished"])
    assert len(sc) == len(ref_c)
    if len(sc):
        np.testing.assert_array_equal(sc[cols].to_numpy(), ref_c[cols].to_numpy())
        assert sc["compacted"].all()
    if "compaction_threshold_tokens" in kw:
        assert len(sc) > 0  # the case exercises compaction


def test_simulator_identities_and_determinism():
    a = pricing.price_ledger(cache.simulate_agent(SMALL, np.random.default_rng(3), 2), pricing.price_table())
    b = pricing.price_ledger(cache.simulate_agent(SMALL, np.random.default_rng(3), 2), pricing.price_table())
    pd.testing.assert_frame_equal(a, b)
    assert tokens.identity_errors(a) == {"prompt": 0.0, "cost": 0.0}
    c = cache.simulate_agent(SMALL, np.random.default_rng(4), 2)
    assert not a["cache_read"].equals(c["cache_read"])
    assert (a["artifacts_finished"] <= a["artifacts_attempted"]).all()


def test_closed_form_session_sums():
    p = SMALL.with_(new_input_sigma=0.0, output_sigma=0.0, idle_prob=0.0, turn_gap_mean_s=1e-3,
                    compaction_threshold_tokens=1e9, memory_growth_tokens_per_day=250.0, session_gap_mean_s=300.0)
    led = cache.simulate_agent(p, np.random.default_rng(5), 3)
    g = led.groupby("session").agg(T=("turn", "size"), day=("day", "first"), w0=("warm", "first"), r=("cache_read", "sum"),
                                   w=("cache_write_5m", "sum"), o=("output", "sum"))
    P = np.rint(p.stable_prefix_tokens + p.memory_growth_tokens_per_day * g["day"]).astype(np.int64)
    cf = cache.closed_form_session_sums(g["T"].to_numpy(), P.to_numpy(), 1000, 400, g["w0"].to_numpy())
    np.testing.assert_array_equal(g["r"].to_numpy(), cf["cache_read"])
    np.testing.assert_array_equal(g["w"].to_numpy(), cf["cache_write"])
    np.testing.assert_array_equal(g["o"].to_numpy(), cf["output"])
    assert g["w0"].any() and (~g["w0"]).any()  # both warm and cold session starts occur


def test_ttl_expiry_turns_reads_into_writes():
    p = SMALL.with_(idle_prob=1.0, idle_gap_mean_s=1e5, turn_gap_mean_s=1.0, session_gap_mean_s=1e-3)
    led = cache.simulate_agent(p, np.random.default_rng(6), 1)
    inner = led[led["turn"] > 0]
    assert (~inner["warm"]).mean() > 0.99
    cold = inner[~inner["warm"]]
    assert (cold["cache_read"] == 0).all()
    assert (cold["cache_write_5m"] == cold["context_tokens"]).all()
    # a session that follows another within the TTL starts warm: it reads the stable prefix
    starts = led[(led["turn"] == 0) & led["warm"]]
    assert len(starts) > 0
    np.testing.assert_array_equal(starts["cache_read"], np.rint(p.stable_prefix_tokens + p.memory_growth_tokens_per_day * starts["day"]))


def test_ttl_tier_and_monotone_share():
    """Prompts do not depend on the cache (conservation); a longer TTL only turns writes into reads."""
    shares, prompts = [], None
    for ttl in (10.0, 60.0, 300.0, 900.0, 3600.0):
        led = cache.simulate_agent(SMALL.with_(cache_ttl_s=ttl), np.random.default_rng(7), 2)
        if prompts is None:
            prompts = led["context_tokens"].to_numpy()
        np.testing.assert_array_equal(led["context_tokens"].to_numpy(), prompts)
        tier_long = ttl > pricing.FIVE_MINUTES_S
        assert (led["cache_write_1h"].sum() > 0) == tier_long and (led["cache_write_5m"].sum() > 0) == (not tier_long)
        shares.append(led["cache_read"].sum() / led[tokens.TOKEN_COLUMNS].sum().sum())
    assert all(b > a for a, b in zip(shares, shares[1:]))


def test_compaction_resets_the_cache():
    p = SMALL.with_(compaction_threshold_tokens=55_000.0, summary_tokens=5_000.0)
    led = cache.simulate_agent(p, np.random.default_rng(8), 2)
    turns = led[led["kind"] == "turn"]
    reset = turns[turns["compacted"]]
    assert len(reset) > 5
    P = np.rint(p.stable_prefix_tokens + p.memory_growth_tokens_per_day * reset["day"])
    np.testing.assert_array_equal(reset["cache_read"], P)                 # only the stable prefix survives
    assert (reset["context_tokens"] - P - 5_000 == reset["cache_write_5m"] - 5_000).all()
    assert (turns.loc[~turns["compacted"] & (turns["turn"] > 0), "context_tokens"] <= 55_000).all()
    comp = led[led["kind"] == "compaction"]
    assert len(comp) == len(reset) and (comp["output"] == 5_000).all()
    # without keeping the prefix, a compaction invalidates everything
    led2 = cache.simulate_agent(p.with_(compaction_keeps_prefix=False), np.random.default_rng(8), 2)
    assert (led2.loc[(led2["kind"] == "turn") & led2["compacted"], "cache_read"] == 0).all()
    # a lower threshold compacts more often
    counts = [(cache.simulate_agent(p.with_(compaction_threshold_tokens=th), np.random.default_rng(8), 2)["kind"] == "compaction").sum()
              for th in (50_000.0, 60_000.0, 80_000.0, 1e9)]
    assert all(a >= b for a, b in zip(counts, counts[1:])) and counts[-1] == 0


def test_artifact_rate_recovered():
    p = SMALL.with_(days=30, artifact_rate=0.2, rework_prob=0.25)
    led = cache.simulate_agent(p, np.random.default_rng(9), 3)
    turns = led[led["kind"] == "turn"]
    n, k = len(turns), int(turns["artifacts_finished"].sum())
    ci = stats.binomtest(k, n).proportion_ci(0.999)
    assert ci.low <= 0.2 * 0.75 <= ci.high


def test_gap_tail_closed_form(rng):
    a, q, b, tau = 30.0, 0.3, 600.0, 300.0
    n = 400_000
    g = a * rng.standard_exponential(n) + (rng.random(n) < q) * b * rng.standard_exponential(n)
    p = float(cache.p_gap_exceeds(tau, a, q, b))
    assert abs((g > tau).mean() - p) < 4 * math.sqrt(p * (1 - p) / n)
    g2 = a * rng.standard_exponential(n) + a * rng.standard_exponential(n)  # a == b: Erlang-2 tail
    p2 = float(cache.p_gap_exceeds(tau / 5, a, 1.0, a))
    assert abs((g2 > tau / 5).mean() - p2) < 4 * math.sqrt(p2 * (1 - p2) / n)
    # the simulator's cold share within sessions matches the closed form
    p_ = SMALL.with_(days=20, idle_prob=0.3, idle_gap_mean_s=600.0)
    led = cache.simulate_agent(p_, np.random.default_rng(10), 3)
    inner = led[(led["kind"] == "turn") & (led["turn"] > 0)]
    pc = float(cache.p_gap_exceeds(p_.cache_ttl_s, p_.turn_gap_mean_s, p_.idle_prob, p_.idle_gap_mean_s))
    assert abs((~inner["warm"]).mean() - pc) < 4 * math.sqrt(pc * (1 - pc) / len(inner))


def test_ttl_break_even_closed_form_matches_simulation():
    p = cache.AgentParams(days=25, sessions_per_day=1.0, turns_per_session=60.0, compaction_threshold_tokens=1e9)
    pt = pricing.price_table()
    grid = [30, 60, 120, 240, 480, 900, 1800, 3600, 7200, 14400, 28800]
    cost = {}
    for ttl in (300.0, 3600.0):
        cost[ttl] = cache.sweep(p.with_(cache_ttl_s=ttl), "idle_gap_mean_s", grid, pt, 0, 4)["cost_per_artifact_usd"].to_numpy()
    sim_be = cache.crossings(grid, cost[3600.0] - cost[300.0])
    led = cache.simulate_agent(p, np.random.default_rng(0), 4)
    inner = led[(led["kind"] == "turn") & (led["turn"] > 0)]
    n = p.new_input_mean_tokens + p.output_mean_tokens
    cf_be = cache.ttl_break_even_closed_form(p, pt, float(inner["context_tokens"].mean() - n), n, lo_s=30, hi_s=28800)
    assert len(sim_be) == len(cf_be) == 2
    np.testing.assert_allclose(np.log(sim_be), np.log(cf_be), atol=np.log(1.35))
    # the expected call cost is linear in the cold probability, with slope C (w - r) c_in
    e0 = cache.expected_call_cost(1e5, 1e3, 0.0, pt, 300)
    e1 = cache.expected_call_cost(1e5, 1e3, 1.0, pt, 300)
    assert e1 - e0 == pytest.approx(1e5 * (pt.write_5m_mult - pt.read_mult) * pt.input_usd_per_mtok / 1e6)


def _published_range():
    h = datasets.headline_figures()
    ce = h[(h["claim"] == "cache_economics") & (h["unit"] == "percent")]
    vals = [float(x) for v in ce["value"] for x in str(v).split(";")]
    return min(vals) / 100, max(vals) / 100


def test_defaults_land_in_published_range_only_because_of_parameters():
    lo, hi = _published_range()
    share = lambda p: cache.summarize_reps(pricing.price_ledger(cache.simulate_agent(p, np.random.default_rng(0), 3), pricing.price_table()))[  # noqa: E731
        "cache_read_share_tokens"]
    base = cache.AgentParams(days=20)
    assert lo <= share(base) <= hi
    # parameters that say "the cache rarely survives" push it below the published range ...
    assert share(base.with_(cache_ttl_s=1.0)) < lo
    # ... and parameters that say "it always survives" push it above
    assert share(base.with_(idle_prob=0.0, session_gap_mean_s=60.0, cache_ttl_s=3600.0, turns_per_session=200.0,
                            compaction_threshold_tokens=1e9)) > hi


def test_notebook_defaults_equal_helper_defaults():
    """The notebook passes every simulator parameter; its defaults are the documented AgentParams defaults."""
    import ast
    import json
    from helpers import paths

    nb = json.loads((paths.NOTEBOOKS / "05_cache_economics.ipynb").read_text())
    cell = next(c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", []))
    src = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    values = {(n.targets[0] if isinstance(n, ast.Assign) else n.target).id: ast.literal_eval(n.value)
              for n in ast.parse(src).body if isinstance(n, (ast.Assign, ast.AnnAssign))}
    for f in cache.AgentParams.field_names():
        if f == "day_start_hour":
            continue
        assert f in values, f
        assert values[f] == getattr(cache.AgentParams(), f), f


@pytest.mark.parametrize("kw,name", [
    ({"idle_prob": 1.5}, "idle_prob"), ({"days": 2.5}, "days"), ({"cache_ttl_s": 7200.0}, "cache_ttl_s"),
    ({"cache_ttl_s": 0.0}, "cache_ttl_s"), ({"compaction_threshold_tokens": 35_000.0}, "compaction_threshold_tokens"),
    ({"write_share": -0.1}, "write_share"), ({"compaction_keeps_prefix": 1}, "compaction_keeps_prefix"),
    ({"turns_per_session": 0.5}, "turns_per_session"), ({"sessions_per_day": 0.0}, "sessions_per_day"),
])
def test_bad_parameters_name_the_parameter(kw, name):
    with pytest.raises(ParameterError, match=name):
        cache.AgentParams(**kw).validate()


def test_bad_simulation_arguments():
    with pytest.raises(ParameterError, match="n_reps"):
        cache.simulate_agent(SMALL, np.random.default_rng(0), 0)
    with pytest.raises(ParameterError, match="Generator"):
        cache.simulate_agent(SMALL, 0, 1)
    with pytest.raises(ParameterError, match="no sessions"):
        cache.simulate_agent(cache.AgentParams(days=1, sessions_per_day=1e-9), np.random.default_rng(0), 1)
    with pytest.raises(ParameterError, match="not a simulator parameter"):
        cache.sweep(SMALL, "ttl", [1], pricing.price_table(), 0, 1)


# ---------------------------------------------------------------- cost per solved task


def test_cost_per_solved_task_recovers_truth(rng):
    tasks = [f"t{i}" for i in range(60)]
    rows = []
    for setup, cost, p in (("cheap_weak", 1.0, 0.2), ("dear_strong", 3.0, 0.9)):
        for t in tasks:
            for r in range(4):
                rows.append({"setup": setup, "task": t, "passed": rng.random() < p, "billed_usd": cost,
                             "tokens_in": 1_000_000 if setup == "cheap_weak" else 1_000_000, "tokens_out": 0})
    runs = pd.DataFrame(rows)
    out = cache.cost_per_solved_task(runs, np.random.default_rng(1), 1000)
    for setup, cost, p in (("cheap_weak", 1.0, 0.2), ("dear_strong", 3.0, 0.9)):
        r = out.loc[setup]
        assert r["cost_per_attempt_usd"] == pytest.approx(cost)
        assert r["cost_per_solved_usd"] == pytest.approx(r["billed_usd"] / r["solved"])
        assert r["cost_per_solved_lo"] <= cost / p <= r["cost_per_solved_hi"]
        assert r["cost_per_mtok_usd"] == pytest.approx(cost)
    # cheaper per attempt, dearer per solved task: the denominators disagree
    assert out.loc["cheap_weak", "cost_per_solved_usd"] > out.loc["dear_strong", "cost_per_solved_usd"]
    with pytest.raises(DataError, match="lack column"):
        cache.cost_per_solved_task(runs.drop(columns="billed_usd"), rng)
    with pytest.raises(DataError, match="no runs"):
        cache.cost_per_solved_task(runs.iloc[:0], rng)


def test_cost_bench_real(require_logged):
    require_logged("cost_bench/deepswe33-opus5/per_run")
    runs = datasets.cost_bench_runs()
    out = cache.cost_per_solved_task(runs, np.random.default_rng(0), 200)
    assert len(out) == runs["setup"].nunique() and (out["attempts"] == runs.groupby("setup").size()).all()
    np.testing.assert_allclose(out["cost_per_solved_usd"] * out["solved"], out["billed_usd"])


def test_kendall_tau_matches_scipy(rng):
    x, y = rng.normal(size=(2, 9))
    assert cache.kendall_tau_a(x, y) == pytest.approx(stats.kendalltau(x, y).statistic)
    assert cache.rank_agreement(x, -x) == pytest.approx(-1.0)
    X, Y = rng.normal(size=(2, 9, 50))
    got = cache.kendall_tau_a(X, Y, axis=0)
    assert got.shape == (50,)
    assert got[7] == pytest.approx(stats.kendalltau(X[:, 7], Y[:, 7]).statistic)


def test_bootstrap_shares_interval(rng):
    led = pricing.price_ledger(cache.simulate_agent(SMALL, np.random.default_rng(2), 1), pricing.price_table())
    ci = cache.bootstrap_shares(led, "session", rng, 500)
    t = tokens.totals(led)
    for k in ("cache_read_share_tokens", "cache_read_share_prompt", "cache_read_share_cost"):
        assert ci[k][0] <= t[k] <= ci[k][1]
    with pytest.raises(ParameterError, match="n_boot"):
        cache.bootstrap_shares(led, "session", rng, 5)

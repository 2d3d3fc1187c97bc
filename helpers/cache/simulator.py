"""The persistent-agent simulator (claim 5): days of sessions of model calls over a prompt cache.

``simulate_agent(AgentParams(...), rng, n_reps)`` draws ``n_reps`` independent agents over ``days``.
Every quantity is a field of ``AgentParams``; the code holds no other tuning constant. Per agent-day the
number of sessions is Poisson(``sessions_per_day``); a session has 1 + Poisson(``turns_per_session`` - 1)
calls. In session s on day d, call t (t = 0, 1, ...):

    stable prefix      P_s   = stable_prefix_tokens + memory_growth_tokens_per_day * d
    new input          i_t   ~ LogNormal with mean new_input_mean_tokens, log-sd new_input_sigma
    output             o_t   ~ LogNormal with mean output_mean_tokens,    log-sd output_sigma
    history            H_t   = H_{t-1} + o_{t-1} + i_t          (H_0 = i_0)
    prompt             C_t   = P_s + H_t
    gap before call    g_t   = turn_gap_mean_s * E1 + B * idle_gap_mean_s * E2,  B ~ Bernoulli(idle_prob)
                       g_0   = session_gap_mean_s * E3 after an earlier session that day, infinite for the
                               first session of a day (overnight gaps exceed every TTL allowed, <= 1 h)

Cache (prefix caching; a read refreshes the TTL, as Anthropic's does): call t is *warm* when
g_t <= cache_ttl_s. A warm call reads the previous prompt and writes what is new; a cold call (the gap
outlived the TTL) reads nothing and writes the whole prompt:

    warm:  read = P_s + H_{t-1},  new = o_{t-1} + i_t          (t = 0: read = P_s, new = i_0)
    cold:  read = 0,              new = P_s + H_t

Compaction: when C_t would exceed ``compaction_threshold_tokens``, a compaction call first summarises
the conversation (read/new as above for a prompt of P_s + H_{t-1} + o_{t-1}, output ``summary_tokens``),
then the history restarts from the summary, H_t = summary_tokens + i_t, which invalidates the cached
history: call t reads only P_s (``compaction_keeps_prefix``; else nothing) and writes the rest.

New prompt tokens are billed as cache writes in share ``write_share`` (Anthropic: 1) and as uncached
input otherwise (automatic caching: 0): write = round(write_share * new), uncached = new - write. Writes
go to the 5-minute column when cache_ttl_s <= 300 s and to the 1-hour column otherwise (Anthropic's two
TTL tiers). Artifacts: each call attempts one with probability ``artifact_rate``; an attempt is finished
unless it needs rework (probability ``rework_prob``). Cost per artifact = cost / finished artifacts.

Every draw is made up front with sizes that depend only on the counts (days, sessions, calls), in a
fixed order, so a sweep over TTL, gaps, prefix or compaction threshold uses common random numbers.
The calls of all sessions are one flat array: histories are segment-wise cumulative sums; compaction
is applied to every session at once, one round per compaction (a handful of vectorized passes).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace

import numpy as np
import pandas as pd

from .. import validate
from ..pricing import FIVE_MINUTES_S, ONE_HOUR_S
from ..validate import ParameterError


@dataclass(frozen=True)
class AgentParams:
    """Every assumption of the persistent-agent simulator (units in the names; see the module docstring).

    The defaults describe a Claude Code-like research agent; each is a documented assumption, and the
    notebook passes every one explicitly as a parameter.
    """
    days: int = 115                              # study window (the case study's 115 days)
    sessions_per_day: float = 2.0                # mean sessions per day (Poisson)
    turns_per_session: float = 80.0              # mean calls per session (1 + Poisson); TraceLab ~84
    stable_prefix_tokens: float = 30_000         # system prompt + tools + memory files at day 0
    memory_growth_tokens_per_day: float = 100    # memory files grow by this much per day
    new_input_mean_tokens: float = 1_000         # tool results / user message appended per call (mean)
    new_input_sigma: float = 1.0                 # log-sd of that (lognormal)
    output_mean_tokens: float = 400              # output per call (mean)
    output_sigma: float = 1.0                    # log-sd of output
    turn_gap_mean_s: float = 30.0                # model + tool time between calls (exponential mean)
    idle_prob: float = 0.1                       # chance the human steps away before a call
    idle_gap_mean_s: float = 1200.0              # mean length of such an idle pause (exponential)
    session_gap_mean_s: float = 3600.0           # mean gap between sessions on the same day
    cache_ttl_s: float = 300.0                   # cache time-to-live (<= 300: 5m tier; else 1h tier)
    write_share: float = 1.0                     # share of new prompt tokens billed as cache writes
    compaction_threshold_tokens: float = 160_000  # compact when the prompt would pass this
    summary_tokens: float = 8_000                # size of the compaction summary
    compaction_keeps_prefix: bool = True         # the stable prefix stays cached through a compaction
    artifact_rate: float = 0.03                  # chance a call completes an artifact attempt
    rework_prob: float = 0.2                     # chance an attempt needs rework (not finished)
    day_start_hour: float = 9.0                  # clock time of the first session (timestamps only)

    def validate(self) -> "AgentParams":
        """Check every field; errors name the field (the notebook's parameter of the same name)."""
        v = validate
        v.integer("days", self.days, 1, 10_000)
        v.number("sessions_per_day", self.sessions_per_day, 0.0, 100.0, lo_open=True)
        v.number("turns_per_session", self.turns_per_session, 1.0, 10_000.0)
        v.number("stable_prefix_tokens", self.stable_prefix_tokens, 0.0, 10_000_000.0)
        v.number("memory_growth_tokens_per_day", self.memory_growth_tokens_per_day, 0.0, 1_000_000.0)
        v.number("new_input_mean_tokens", self.new_input_mean_tokens, 0.0, 10_000_000.0)
        v.number("new_input_sigma", self.new_input_sigma, 0.0, 5.0)
        v.number("output_mean_tokens", self.output_mean_tokens, 0.0, 10_000_000.0)
        v.number("output_sigma", self.output_sigma, 0.0, 5.0)
        v.number("turn_gap_mean_s", self.turn_gap_mean_s, 0.0, 86_400.0, lo_open=True)
        v.probability("idle_prob", self.idle_prob)
        v.number("idle_gap_mean_s", self.idle_gap_mean_s, 0.0, 1_000_000.0, lo_open=True)
        v.number("session_gap_mean_s", self.session_gap_mean_s, 0.0, 1_000_000.0, lo_open=True)
        v.number("cache_ttl_s", self.cache_ttl_s, 0.0, ONE_HOUR_S, lo_open=True)
        v.probability("write_share", self.write_share)
        v.number("compaction_threshold_tokens", self.compaction_threshold_tokens, 1.0, 1e12)
        v.number("summary_tokens", self.summary_tokens, 0.0, 10_000_000.0)
        v.boolean("compaction_keeps_prefix", self.compaction_keeps_prefix)
        v.probability("artifact_rate", self.artifact_rate)
        v.probability("rework_prob", self.rework_prob)
        v.number("day_start_hour", self.day_start_hour, 0.0, 24.0, hi_open=True)
        top = self.stable_prefix_tokens + self.memory_growth_tokens_per_day * (self.days - 1) + self.summary_tokens
        if self.compaction_threshold_tokens <= top:
            raise ParameterError(
                f"parameter 'compaction_threshold_tokens' = {self.compaction_threshold_tokens!r} must exceed the "
                f"largest stable prefix plus the summary ({top:,.0f} tokens), or compaction could never shrink "
                f"the prompt below it")
        return self

    def with_(self, **kw) -> "AgentParams":
        return replace(self, **kw).validate()

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def _lognormal(mean: float, sigma: float, z: np.ndarray) -> np.ndarray:
    """Integer draws with the given mean: rint(mean * exp(sigma z - sigma^2/2))."""
    return np.rint(mean * np.exp(sigma * z - sigma * sigma / 2.0)).astype(np.int64)


def _segment_cumsum(x: np.ndarray, seg_start: np.ndarray) -> np.ndarray:
    """Cumulative sum of ``x`` restarting at every index where ``seg_start`` is True."""
    c = np.cumsum(x)
    starts = np.flatnonzero(seg_start)
    base = (c[starts] - x[starts])
    owner = np.cumsum(seg_start) - 1
    return c - base[owner]


def draw_randomness(params: AgentParams, rng: np.random.Generator, n_reps: int = 1) -> dict[str, np.ndarray]:
    """Every random draw of ``simulate_agent``, in its fixed order (sizes depend on the counts only).

    n_sess (n_reps*days sessions per agent-day, Poisson), turns (per session, 1 + Poisson), then per call
    z_in, z_out (standard normal), e_short (standard exponential), u_idle (uniform), e_idle (exponential),
    per session e_sess (exponential), per call u_att, u_rew (uniform).
    """
    p = params.validate()
    validate.integer("n_reps", n_reps, 1, 100_000)
    if not isinstance(rng, np.random.Generator):
        raise ParameterError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    R, D = int(n_reps), int(p.days)
    n_sess = rng.poisson(p.sessions_per_day, size=(R, D)).ravel()
    S = int(n_sess.sum())
    if S == 0:
        raise ParameterError("the simulation drew no sessions: raise 'days' or 'sessions_per_day'")
    turns = 1 + rng.poisson(p.turns_per_session - 1.0, size=S)
    N = int(turns.sum())
    out = {"n_sess": n_sess, "turns": turns}
    out["z_in"], out["z_out"] = rng.standard_normal(N), rng.standard_normal(N)
    out["e_short"], out["u_idle"], out["e_idle"] = rng.standard_exponential(N), rng.random(N), rng.standard_exponential(N)
    out["e_sess"] = rng.standard_exponential(S)
    out["u_att"], out["u_rew"] = rng.random(N), rng.random(N)
    return out


def simulate_agent(params: AgentParams, rng: np.random.Generator, n_reps: int = 1,
                   start: str = "2026-01-31") -> pd.DataFrame:
    """Simulate ``n_reps`` persistent agents; return the ledger (one row per model call).

    Columns: rep, day, session (global id), turn, kind ('turn' | 'compaction'), timestamp, gap_s, warm,
    compacted, context_tokens (the prompt), the five token columns, artifacts_attempted,
    artifacts_finished, model ('simulated'), provider ('simulated'). See the module docstring.
    """
    p = params.validate()
    dr = draw_randomness(p, rng, n_reps)
    R, D = int(n_reps), int(p.days)
    n_sess, turns = dr["n_sess"], dr["turns"]
    S, N = len(turns), int(turns.sum())
    z_in, z_out, e_short, u_idle, e_idle = (dr[k] for k in ("z_in", "z_out", "e_short", "u_idle", "e_idle"))
    e_sess, u_att, u_rew = dr["e_sess"], dr["u_att"], dr["u_rew"]

    # ---- structure of the flat call array
    sess_rep = np.repeat(np.repeat(np.arange(R), D), n_sess)
    sess_day = np.repeat(np.tile(np.arange(D), R), n_sess)
    first_of_day = np.r_[True, (sess_rep[1:] != sess_rep[:-1]) | (sess_day[1:] != sess_day[:-1])]
    sess = np.repeat(np.arange(S), turns)
    starts = np.r_[0, np.cumsum(turns)[:-1]]
    pos = np.arange(N)
    turn = pos - starts[sess]
    first = turn == 0

    # ---- tokens
    inp = _lognormal(p.new_input_mean_tokens, p.new_input_sigma, z_in)
    out = _lognormal(p.output_mean_tokens, p.output_sigma, z_out)
    P = np.rint(p.stable_prefix_tokens + p.memory_growth_tokens_per_day * sess_day).astype(np.int64)[sess]
    out_prev = np.where(first, 0, np.r_[0, out[:-1]])
    cum = _segment_cumsum(inp + out_prev, first)          # history without compaction
    summ = int(round(p.summary_tokens))
    theta = float(p.compaction_threshold_tokens)

    # ---- compaction: one vectorized pass per compaction round, all sessions at once
    off = np.zeros(N, dtype=np.int64)                     # H_t = cum_t - off_t
    last_reset = starts[sess].copy()
    reset = np.zeros(N, dtype=bool)
    while True:
        viol = (P + cum - off > theta) & (pos > last_reset)
        if not viol.any():
            break
        vi = np.flatnonzero(viol)
        vs = sess[vi]
        r_idx = vi[np.r_[True, vs[1:] != vs[:-1]]]        # first violation per session (sorted by position)
        r_of_sess = np.full(S, -1, dtype=np.int64)
        r_of_sess[sess[r_idx]] = r_idx
        off_of_sess = np.zeros(S, dtype=np.int64)
        off_of_sess[sess[r_idx]] = cum[r_idx] - inp[r_idx] - summ
        r_t = r_of_sess[sess]
        m = (r_t >= 0) & (pos >= r_t)
        off[m] = off_of_sess[sess][m]
        last_reset[m] = r_t[m]
        reset[r_idx] = True
    H = cum - off
    H_prev = np.where(first, 0, np.r_[0, H[:-1]])

    # ---- gaps and cache state
    gap = p.turn_gap_mean_s * e_short + (u_idle < p.idle_prob) * p.idle_gap_mean_s * e_idle
    sgap = np.where(first_of_day, np.inf, p.session_gap_mean_s * e_sess)
    gap = np.where(first, sgap[sess], gap)
    warm = gap <= p.cache_ttl_s

    # turn calls
    read = np.where(warm, P + H_prev, 0)
    new = np.where(warm, out_prev + inp, P + H)
    keep = bool(p.compaction_keeps_prefix)
    read = np.where(reset, P if keep else 0, read)
    new = np.where(reset, H + (0 if keep else P), new)
    # compaction calls (at reset positions, before the turn call)
    ri = np.flatnonzero(reset)
    c_read = np.where(warm[ri], P[ri] + H_prev[ri], 0)
    c_new = np.where(warm[ri], out_prev[ri], P[ri] + H_prev[ri] + out_prev[ri])

    # ---- time stamps: seconds from the start, restarting each day at day_start_hour
    step = np.where(first, np.where(first_of_day[sess], 0.0, sgap[sess]), gap)
    t_s = sess_day[sess] * 86_400.0 + p.day_start_hour * 3600.0 + _segment_cumsum(step, first & first_of_day[sess])

    attempted = (u_att < p.artifact_rate).astype(np.int64)
    finished = attempted * (u_rew >= p.rework_prob)

    def _rows(idx, kind, rd, nw, outp, att, fin):
        w = np.rint(p.write_share * nw).astype(np.int64)
        long_tier = p.cache_ttl_s > FIVE_MINUTES_S
        return pd.DataFrame({
            "rep": sess_rep[sess[idx]], "day": sess_day[sess[idx]], "session": sess[idx], "turn": turn[idx],
            "kind": kind, "t_s": t_s[idx], "gap_s": gap[idx], "warm": warm[idx], "compacted": reset[idx],
            "context_tokens": (rd + nw).astype(np.int64),
            "uncached_input": (nw - w).astype(np.int64),
            "cache_write_5m": (w * (not long_tier)).astype(np.int64),
            "cache_write_1h": (w * long_tier).astype(np.int64),
            "cache_read": rd.astype(np.int64), "output": outp.astype(np.int64),
            "artifacts_attempted": att, "artifacts_finished": fin, "_order": 2 * idx + (kind == "turn")})

    zeros = np.zeros(len(ri), dtype=np.int64)
    df = pd.concat([_rows(pos, "turn", read, new, out, attempted, finished),
                    _rows(ri, "compaction", c_read, c_new, np.full(len(ri), summ, dtype=np.int64), zeros, zeros)],
                   ignore_index=True)
    df = df.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)
    origin = pd.Timestamp(start, tz="UTC")
    df.insert(5, "timestamp", origin + pd.to_timedelta(df.pop("t_s"), unit="s"))
    df["model"] = "simulated"
    df["provider"] = "simulated"
    return df

"""Closed forms of the cache model (claim 5): the gap tail, the expected call cost and the TTL break-even.

They check the simulator (recovery of known ground truth) and explain its sweeps:

- ``p_gap_exceeds``: the chance a gap outlives the TTL (the share of cold calls);
- ``expected_call_cost``: the expected USD of one within-session call under the warm/cold rule;
- ``ttl_break_even_closed_form``: the mean idle pauses at which a 5-minute and a 1-hour TTL cost the same;
- ``crossings``: zero crossings of a simulated cost difference on a grid (the simulated break-even);
- ``closed_form_session_sums``: exact per-session sums when every call is warm and tokens are constant.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..pricing import FIVE_MINUTES_S, ONE_HOUR_S, PriceTable
from .simulator import AgentParams


def p_gap_exceeds(ttl_s, turn_gap_mean_s, idle_prob, idle_gap_mean_s):
    """P(g > ttl) for g = a*E1 + B*b*E2 (a, b exponential means; B ~ Bernoulli(q)). Broadcasts.

        P = (1-q) e^{-τ/a} + q * (b e^{-τ/b} - a e^{-τ/a}) / (b - a)      (a ≠ b)
        the second term is (1 + τ/a) e^{-τ/a} when a = b (the Erlang-2 tail).
    """
    tau, a, q, b = (np.asarray(x, dtype=float) for x in (ttl_s, turn_gap_mean_s, idle_prob, idle_gap_mean_s))
    short = np.exp(-tau / a)
    same = np.isclose(a, b)
    b_safe = np.where(same, b + 1.0, b)
    hypo = np.where(same, (1 + tau / a) * np.exp(-tau / a),
                    (b_safe * np.exp(-tau / b_safe) - a * np.exp(-tau / a)) / (b_safe - a))
    return (1 - q) * short + q * hypo


def expected_call_cost(prev_prompt, new_tokens, p_cold, prices: PriceTable, ttl_s: float,
                       write_share: float = 1.0, output_tokens: float = 0.0):
    """Expected USD of one within-session call (closed form of the warm/cold rule).

        E[cost] = [ (1-p) C r + (n + p C) e(m) ] c_in / 1e6 + o c_out / 1e6,
        e(m) = write_share * m + (1 - write_share),   m = the write multiplier of the TTL tier
    with C the previous prompt, n the new tokens, p the chance the gap outlives the TTL.
    """
    m = prices.write_5m_mult if ttl_s <= FIVE_MINUTES_S else prices.write_1h_mult
    e = write_share * m + (1 - write_share)
    C, n, pc = (np.asarray(x, dtype=float) for x in (prev_prompt, new_tokens, p_cold))
    c_in = prices.input_usd_per_mtok / 1e6
    return ((1 - pc) * C * prices.read_mult + (n + pc * C) * e) * c_in + output_tokens * prices.output_usd_per_mtok / 1e6


def ttl_break_even_closed_form(params: AgentParams, prices: PriceTable, prev_prompt: float, new_tokens: float,
                               lo_s: float = 1.0, hi_s: float = 1e6, ttl_short_s: float = FIVE_MINUTES_S,
                               ttl_long_s: float = ONE_HOUR_S) -> list[float]:
    """Idle-gap means at which a 5-minute and a 1-hour TTL cost the same per call (closed form).

    Δ(b) = E[cost | 1 h TTL] - E[cost | 5 min TTL] for a call with previous prompt C and new tokens n
    when the idle pause has mean b (other gap parameters from ``params``). Roots are bracketed on a
    log grid and refined with ``scipy.optimize.brentq``; returns all roots in [lo_s, hi_s].
    """
    from scipy.optimize import brentq

    def delta(b):
        p5 = p_gap_exceeds(ttl_short_s, params.turn_gap_mean_s, params.idle_prob, b)
        p1 = p_gap_exceeds(ttl_long_s, params.turn_gap_mean_s, params.idle_prob, b)
        return (expected_call_cost(prev_prompt, new_tokens, p1, prices, ttl_long_s, params.write_share)
                - expected_call_cost(prev_prompt, new_tokens, p5, prices, ttl_short_s, params.write_share))

    grid = np.geomspace(lo_s, hi_s, 400)
    d = np.array([float(delta(b)) for b in grid])
    roots = []
    for i in np.flatnonzero(np.sign(d[:-1]) * np.sign(d[1:]) < 0):
        roots.append(float(brentq(lambda b: float(delta(b)), grid[i], grid[i + 1], xtol=1e-6)))
    return roots


def crossings(x, y) -> list[float]:
    """x values where the piecewise-linear curve y(x) crosses zero (log-x interpolation)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    out = []
    for i in np.flatnonzero(np.sign(y[:-1]) * np.sign(y[1:]) < 0):
        lx0, lx1 = np.log(x[i]), np.log(x[i + 1])
        out.append(float(np.exp(lx0 + (lx1 - lx0) * (0 - y[i]) / (y[i + 1] - y[i]))))
    return out


def closed_form_session_sums(turns: np.ndarray, prefix: np.ndarray, new_input: float, output: float,
                             warm_start: np.ndarray) -> pd.DataFrame:
    """Exact per-session sums when every call is warm, tokens are constant and nothing compacts.

    With T calls, prefix P, constant new input i and output o (write_share = 1):
        reads  = (T-1) P + i T(T-1)/2 + o (T-1)(T-2)/2 + (P if the session starts warm)
        writes = T i + (T-1) o + (0 if warm start else P)
        output = T o
    """
    T = np.asarray(turns, dtype=np.int64)
    P = np.asarray(prefix, dtype=np.int64)
    ws = np.asarray(warm_start, dtype=bool)
    reads = (T - 1) * P + new_input * T * (T - 1) // 2 + output * (T - 1) * (T - 2) // 2 + np.where(ws, P, 0)
    writes = T * new_input + (T - 1) * output + np.where(ws, 0, P)
    return pd.DataFrame({"cache_read": reads.astype(np.int64), "cache_write": writes.astype(np.int64),
                         "output": (T * output).astype(np.int64)})

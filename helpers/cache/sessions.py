"""Part (a) evidence of claim 5 (logged agent sessions): token sums per session and intervals over sessions.

One evidence item per real log source (a set of agent sessions read by ``helpers.agent_logs``). The
cache-read share is Σ cache reads / Σ all tokens (or / Σ prompt tokens) over the source's calls. Calls
within a session share one context and are not independent, so intervals are a **cluster bootstrap over
sessions**: sessions are resampled with replacement (``helpers.bootstrap``, a seeded Generator passed in),
the share is the ratio of the resampled sums, the interval its percentiles. Only per-session sums enter.
``bootstrap_shares`` does the same for the shares of tokens, prompt and cost of a priced ledger.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import bootstrap, validate
from ..tokens import COST_COLUMNS, PROMPT_COLUMNS, check_ledger, group_totals
from ..validate import DataError


def session_sums(led: pd.DataFrame) -> pd.DataFrame:
    """Per-session sums of the four token kinds (cache writes merged) and the number of calls."""
    check_ledger(led)
    if "session" not in led:
        raise DataError("ledger lacks column 'session'")
    d = led.assign(cache_write=led["cache_write_5m"] + led["cache_write_1h"])
    g = d.groupby(d["session"].astype(str), sort=True)
    out = g[["uncached_input", "cache_write", "cache_read", "output"]].sum().astype("int64")
    out["calls"] = g.size().astype("int64")
    return out


def session_bootstrap(sums: pd.DataFrame, rng: np.random.Generator, n_boot: int, level: float = 0.95) -> dict:
    """Cluster-bootstrap intervals of the read share of all tokens and of prompt tokens over sessions.

    Only the per-session sums enter: splitting a session's calls differently leaves the interval unchanged.
    Vectorized: a (n_boot x sessions) matrix of resample counts times the per-session sums.
    """
    validate.integer("n_boot", n_boot, 10)
    validate.number("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
    if len(sums) == 0:
        raise DataError("no sessions to resample")
    W = task_weights(len(sums), rng, n_boot)      # the same resampling, of sessions
    read = sums["cache_read"].to_numpy(float)
    prompt = sums[["uncached_input", "cache_write", "cache_read"]].sum(axis=1).to_numpy(float)
    tokens = prompt + sums["output"].to_numpy(float)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    with np.errstate(invalid="ignore", divide="ignore"):
        share_tok = (W @ read) / (W @ tokens)
        share_in = (W @ read) / (W @ prompt)
    ci = lambda v: [float(x) for x in np.nanpercentile(v, q)] if np.isfinite(v).any() else None  # noqa: E731
    return {"tokens": ci(share_tok), "input": ci(share_in)}


def source_entry(name: str, led: pd.DataFrame, rng: np.random.Generator, n_boot: int, level: float = 0.95) -> dict:
    """One ``metrics.sources`` item: {name, sessions, calls, tokens, cache_read_share, cache_read_share_ci, ...}.

    ``cache_read_share`` is of all tokens; ``cache_read_share_input`` of prompt tokens; both intervals
    resample sessions (``session_bootstrap``).
    """
    s = session_sums(led)
    tot = s[["uncached_input", "cache_write", "cache_read", "output"]].sum()
    prompt = float(tot[["uncached_input", "cache_write", "cache_read"]].sum())
    alltok = prompt + float(tot["output"])
    ci = session_bootstrap(s, rng, n_boot, level)
    return {"name": str(name), "sessions": int(len(s)), "calls": int(s["calls"].sum()),
            "tokens": {k: int(tot[k]) for k in ("uncached_input", "cache_write", "cache_read", "output")},
            "cache_read_share": float(tot["cache_read"]) / alltok if alltok else None,
            "cache_read_share_ci": ci["tokens"],
            "cache_read_share_input": float(tot["cache_read"]) / prompt if prompt else None,
            "cache_read_share_input_ci": ci["input"]}


def task_weights(n_tasks: int, rng: np.random.Generator, n_boot: int) -> np.ndarray:
    """(n_boot x n_tasks) resample counts of a bootstrap over tasks (or sessions); one draw shared by every option
    (``helpers.bootstrap.counts``)."""
    validate.integer("n_boot", n_boot, 10)
    return bootstrap.counts(n_tasks, n_boot, rng)


def bootstrap_shares(priced: pd.DataFrame, by: str, rng: np.random.Generator, n_boot: int = 2000,
                     level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile intervals of the cache-read shares (tokens, prompt, cost), resampling groups ``by``.

    Vectorized: per-group sums form a matrix; ``n_boot`` resamples of the groups are index arrays
    (``helpers.bootstrap.indices``).
    """
    validate.integer("n_boot", n_boot, 10)
    validate.number("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
    g = group_totals(priced, by)
    G = len(g)
    idx = bootstrap.indices(G, n_boot, rng)
    read = g["cache_read"].to_numpy(float)[idx].sum(1)
    tok = g["tokens"].to_numpy(float)[idx].sum(1)
    prompt = g[PROMPT_COLUMNS].sum(axis=1).to_numpy(float)[idx].sum(1)
    rc = g[COST_COLUMNS["cache_read"]].to_numpy(float)[idx].sum(1)
    cost = g["cost_usd"].to_numpy(float)[idx].sum(1)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    with np.errstate(invalid="ignore", divide="ignore"):
        return {k: tuple(float(x) for x in np.nanpercentile(v, q))
                for k, v in {"cache_read_share_tokens": read / tok, "cache_read_share_prompt": read / prompt,
                             "cache_read_share_cost": rc / cost}.items()}

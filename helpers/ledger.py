"""Token ledger, price tables and a persistent-agent simulator (claim 5: cache economics).

Ledger
------
One row per model call. Token columns are int64 and disjoint:

    uncached_input   prompt tokens neither read from nor written to the cache
    cache_write_5m   prompt tokens written to the cache with a 5-minute TTL
    cache_write_1h   prompt tokens written to the cache with a 1-hour TTL
    cache_read       prompt tokens read from the cache
    output           generated tokens (reasoning included)

with ``timestamp`` (datetime64[ns, UTC]), ``session``, ``model`` and ``provider``. Identities:

    prompt = uncached_input + cache_write_5m + cache_write_1h + cache_read
    cost   = sum over types of tokens_type * price_type / 1e6

Prices (USD per million tokens) come from a base input price ``c_in``, an output price ``c_out`` and
multipliers on ``c_in``: uncached 1, 5-minute write ``m_5m``, 1-hour write ``m_1h``, read ``m_r``.
The multipliers are read from ``data/published/pricing_multipliers.csv`` (``published_multipliers``);
base prices are ``BASE_PRICES`` (each with the published example it reproduces). Every value can be
overridden (``price_table(..., input_usd_per_mtok=..., read_mult=...)``). Providers whose caching is
automatic (OpenAI, DeepSeek) charge no write fee: a cache miss is billed as ordinary input, so their
write multipliers are 1.

Persistent-agent simulator
--------------------------
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

import math
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd

from . import validate
from .validate import DataError, ParameterError

TOKEN_COLUMNS = ["uncached_input", "cache_write_5m", "cache_write_1h", "cache_read", "output"]
PROMPT_COLUMNS = ["uncached_input", "cache_write_5m", "cache_write_1h", "cache_read"]
COST_COLUMNS = {c: f"cost_{c}_usd" for c in TOKEN_COLUMNS}
FIVE_MINUTES_S = 300.0   # Anthropic's short TTL tier (definition, not a tuning constant)
ONE_HOUR_S = 3600.0      # Anthropic's long TTL tier

# ---------------------------------------------------------------- prices

# Base prices in USD per million tokens (input, output) with the published figure each reproduces.
BASE_PRICES = {
    "Anthropic": (3.00, 15.00, "Claude Sonnet 4.x: pricing_multipliers.csv 'base 3.00'; output 15 as in "
                               "TraceLab artifacts/utils/pricing.json (claude-sonnet-4-6)"),
    "OpenAI": (1.25, 10.00, "gpt-5: pricing_multipliers.csv '1.25 in / 0.125 cached / 10 out'"),
    "DeepSeek": (0.27, 1.10, "deepseek-chat (V3 era): pricing_multipliers.csv 'hit 0.07 / miss 0.27 / out 1.10'"),
}
# Which row of pricing_multipliers.csv gives each multiplier; None = no write fee (a miss is input).
MULTIPLIER_ROWS = {
    "Anthropic": {"read_mult": "cache_read", "write_5m_mult": "cache_write_5m", "write_1h_mult": "cache_write_1h"},
    "OpenAI": {"read_mult": "cache_read (gpt-5 family)", "write_5m_mult": None, "write_1h_mult": None},
    "DeepSeek": {"read_mult": "cache_hit (deepseek-chat V3 era)", "write_5m_mult": None, "write_1h_mult": None},
}
PROVIDER_PATTERNS = [  # (regex on the lower-cased model name, provider)
    (r"claude|opus|sonnet|haiku|anthropic", "Anthropic"),
    (r"deepseek", "DeepSeek"),
    (r"gpt|codex|openai|^o[1-9]", "OpenAI"),
    (r"gemini", "Google Gemini"),
]


@dataclass(frozen=True)
class PriceTable:
    """Prices of one model: base input/output USD per Mtok and cache multipliers on the input price."""
    provider: str
    input_usd_per_mtok: float
    output_usd_per_mtok: float
    write_5m_mult: float
    write_1h_mult: float
    read_mult: float
    model: str = "default"

    def usd_per_mtok(self) -> dict[str, float]:
        """Price of each token type (USD per million)."""
        c = self.input_usd_per_mtok
        return {"uncached_input": c, "cache_write_5m": c * self.write_5m_mult,
                "cache_write_1h": c * self.write_1h_mult, "cache_read": c * self.read_mult,
                "output": self.output_usd_per_mtok}


def _leading_number(text) -> float:
    m = re.match(r"\s*([0-9]*\.?[0-9]+)", str(text))
    return float(m.group(1)) if m else math.nan


def published_multipliers() -> pd.DataFrame:
    """``pricing_multipliers.csv`` with a numeric ``multiplier`` column (leading number; NaN if none)."""
    from . import datasets

    df = datasets.published("pricing_multipliers")
    df = df.assign(multiplier=df["multiplier_vs_base_input"].map(_leading_number))
    return df


def default_multipliers(provider: str, table: pd.DataFrame | None = None) -> dict[str, float]:
    """read/write multipliers of ``provider`` from the published table (see ``MULTIPLIER_ROWS``)."""
    if provider not in MULTIPLIER_ROWS:
        raise ParameterError(f"parameter 'price_provider' = {provider!r} is not one of {sorted(MULTIPLIER_ROWS)}")
    t = published_multipliers() if table is None else table
    out = {}
    for key, item in MULTIPLIER_ROWS[provider].items():
        if item is None:
            out[key] = 1.0
            continue
        hit = t[(t["provider"] == provider) & (t["item"] == item)]
        if hit.empty or not np.isfinite(hit["multiplier"].iloc[0]):
            raise DataError(f"pricing_multipliers.csv: no numeric row for provider {provider!r}, item {item!r}")
        out[key] = float(hit["multiplier"].iloc[0])
    return out


def price_table(provider: str = "Anthropic", *, input_usd_per_mtok: float | None = None,
                output_usd_per_mtok: float | None = None, read_mult: float | None = None,
                write_5m_mult: float | None = None, write_1h_mult: float | None = None,
                model: str = "default", table: pd.DataFrame | None = None) -> PriceTable:
    """A provider's default prices, any of which the caller overrides (None = default)."""
    validate.choice("price_provider", provider, sorted(BASE_PRICES))
    mult = default_multipliers(provider, table)
    base_in, base_out, _ = BASE_PRICES[provider]
    vals = {"input_usd_per_mtok": input_usd_per_mtok, "output_usd_per_mtok": output_usd_per_mtok,
            "read_mult": read_mult, "write_5m_mult": write_5m_mult, "write_1h_mult": write_1h_mult}
    defaults = {"input_usd_per_mtok": base_in, "output_usd_per_mtok": base_out, **mult}
    for k, v in vals.items():
        if v is not None:
            validate.number(k, v, 0.0, None)
    return PriceTable(provider=provider, model=model,
                      **{k: float(defaults[k] if v is None else v) for k, v in vals.items()})


def provider_of(model: str) -> str | None:
    """Provider guessed from a model name (None when unknown)."""
    name = str(model).lower()
    for pat, prov in PROVIDER_PATTERNS:
        if re.search(pat, name):
            return prov
    return None


def tracelab_price_tables(path: Path | str, table: pd.DataFrame | None = None) -> dict:
    """Model prices from TraceLab's ``artifacts/utils/pricing.json``.

    Returns {"exact": {model: PriceTable}, "family": [(substring, PriceTable)]}. The 1-hour write
    multiplier, absent from that file, comes from the published table; a missing 5-minute write price
    means writes are billed as input (the file's own rule).
    """
    import json

    p = Path(path)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{p}: no such file") from None
    except json.JSONDecodeError as exc:
        raise DataError(f"{p}: not valid JSON ({exc.msg})") from None
    m1h = default_multipliers("Anthropic", table)["write_1h_mult"]

    def _table(key, rec, model):
        try:
            c_in, c_out, c_read = (float(rec[k]) for k in ("inputPerM", "outputPerM", "cachedInputPerM"))
        except (KeyError, TypeError, ValueError):
            raise DataError(f"{p}: entry {key!r} lacks inputPerM/outputPerM/cachedInputPerM") from None
        w5 = float(rec.get("cacheWrite5mInputPerM", c_in))
        prov = provider_of(model) or "unknown"
        return PriceTable(provider=prov, model=model, input_usd_per_mtok=c_in, output_usd_per_mtok=c_out,
                          write_5m_mult=w5 / c_in if c_in else 1.0,
                          write_1h_mult=m1h if prov == "Anthropic" else 1.0, read_mult=c_read / c_in if c_in else 0.0)

    exact = {}
    for key, rec in (doc.get("exact") or {}).items():
        model = key.split(":", 1)[-1]
        exact[model] = _table(key, rec, model)
    family = [(str(rec.get("match", "")).lower(), _table(f"family {rec.get('match')}", rec, str(rec.get("match"))))
              for rec in (doc.get("family") or [])]
    return {"exact": exact, "family": family}


def resolve_prices(models: Iterable[str], default: PriceTable, tracelab: dict | None = None,
                   table: pd.DataFrame | None = None) -> tuple[dict[str, PriceTable], dict[str, str]]:
    """Price table for each model name and where it came from.

    Order: TraceLab exact model, TraceLab family (substring), the provider's published defaults
    (``price_table(provider_of(model))``), else ``default``.
    """
    out, how = {}, {}
    for m in sorted(set(map(str, models))):
        low = m.lower()
        if tracelab and m in tracelab["exact"]:
            out[m], how[m] = tracelab["exact"][m], "TraceLab pricing.json (exact)"
            continue
        fam = next((t for sub, t in (tracelab or {}).get("family", []) if sub and sub in low), None)
        if fam is not None:
            out[m], how[m] = replace(fam, model=m), "TraceLab pricing.json (family)"
            continue
        prov = provider_of(m)
        if prov in BASE_PRICES:
            out[m], how[m] = replace(price_table(prov, table=table), model=m), f"{prov} published defaults"
        else:
            out[m], how[m] = replace(default, model=m), f"default ({default.provider})"
    return out, how


def price_ledger(ledger: pd.DataFrame, prices: PriceTable | Mapping[str, PriceTable]) -> pd.DataFrame:
    """Add ``cost_<type>_usd`` columns and ``cost_usd`` (their sum) to a ledger.

    ``prices``: one ``PriceTable`` for every row, or {model: PriceTable} (every model must be present).
    """
    check_ledger(ledger)
    out = ledger.copy()
    if isinstance(prices, PriceTable):
        per = prices.usd_per_mtok()
        for c in TOKEN_COLUMNS:
            out[COST_COLUMNS[c]] = out[c].to_numpy(dtype=float) * per[c] / 1e6
    else:
        models = out["model"].astype(str)
        missing = sorted(set(models) - set(prices))
        if missing:
            raise DataError(f"no price table for model(s) {missing}")
        keys = sorted(prices)
        mat = np.array([[prices[k].usd_per_mtok()[c] for c in TOKEN_COLUMNS] for k in keys])
        idx = pd.Categorical(models, categories=keys).codes
        for j, c in enumerate(TOKEN_COLUMNS):
            out[COST_COLUMNS[c]] = out[c].to_numpy(dtype=float) * mat[idx, j] / 1e6
    out["cost_usd"] = out[[COST_COLUMNS[c] for c in TOKEN_COLUMNS]].sum(axis=1)
    return out


def check_ledger(ledger: pd.DataFrame) -> None:
    """A ledger has the five token columns, each a non-negative integer."""
    if not isinstance(ledger, pd.DataFrame):
        raise DataError(f"a ledger must be a pandas DataFrame, got {type(ledger).__name__}")
    missing = [c for c in TOKEN_COLUMNS if c not in ledger.columns]
    if missing:
        raise DataError(f"ledger lacks token column(s) {missing}")
    for c in TOKEN_COLUMNS:
        v = ledger[c].to_numpy()
        if not np.issubdtype(v.dtype, np.integer):
            raise DataError(f"ledger column {c!r} must hold integers, got dtype {v.dtype}")
        if (v < 0).any():
            i = int(np.flatnonzero(v < 0)[0])
            raise DataError(f"ledger row {i}: column {c!r} = {v[i]} is negative")


def identity_errors(priced: pd.DataFrame) -> dict[str, float]:
    """Largest violation of each identity (0 when they hold): prompt sum and cost sum."""
    out = {}
    if "context_tokens" in priced:
        out["prompt"] = float(np.abs(priced[PROMPT_COLUMNS].sum(axis=1) - priced["context_tokens"]).max())
    if "cost_usd" in priced:
        parts = priced[[COST_COLUMNS[c] for c in TOKEN_COLUMNS]].sum(axis=1)
        out["cost"] = float(np.abs(parts - priced["cost_usd"]).max())
    return out


def totals(priced: pd.DataFrame) -> dict:
    """Ledger totals (the ``ledger_totals`` record of the results file).

    cache_read_share_tokens = reads / all tokens (prompt + output), the denominator of the 82.9% figure;
    cache_read_share_prompt = reads / prompt tokens (TraceLab's and OpenHands' denominator);
    cache_read_share_cost   = cost of reads / total cost.
    """
    s = priced[TOKEN_COLUMNS].sum()
    tok = float(s.sum())
    prompt = float(s[PROMPT_COLUMNS].sum())
    cost = float(priced["cost_usd"].sum()) if "cost_usd" in priced else math.nan
    read_cost = float(priced[COST_COLUMNS["cache_read"]].sum()) if "cost_usd" in priced else math.nan
    return {"uncached_input": int(s["uncached_input"]),
            "cache_write": int(s["cache_write_5m"] + s["cache_write_1h"]),
            "cache_read": int(s["cache_read"]), "output": int(s["output"]),
            "cache_read_share_tokens": float(s["cache_read"]) / tok if tok else math.nan,
            "cache_read_share_prompt": float(s["cache_read"]) / prompt if prompt else math.nan,
            "cache_read_share_cost": read_cost / cost if cost else math.nan,
            "cost_usd": cost, "calls": int(len(priced))}


def group_totals(priced: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Token and cost sums per group with shares, cost per token and (if present) per artifact."""
    cols = TOKEN_COLUMNS + [COST_COLUMNS[c] for c in TOKEN_COLUMNS] + ["cost_usd"]
    extra = [c for c in ("artifacts_attempted", "artifacts_finished") if c in priced]
    g = priced.groupby(by, sort=True)[cols + extra].sum()
    g["calls"] = priced.groupby(by, sort=True).size()
    tok = g[TOKEN_COLUMNS].sum(axis=1).astype(float)
    prompt = g[PROMPT_COLUMNS].sum(axis=1).astype(float)
    g["tokens"] = tok
    g["cache_read_share_tokens"] = g["cache_read"] / tok.where(tok > 0)
    g["cache_read_share_prompt"] = g["cache_read"] / prompt.where(prompt > 0)
    g["cache_read_share_cost"] = g[COST_COLUMNS["cache_read"]] / g["cost_usd"].where(g["cost_usd"] > 0)
    g["cost_per_token_usd"] = g["cost_usd"] / tok.where(tok > 0)
    if "artifacts_finished" in g:
        g["cost_per_artifact_usd"] = g["cost_usd"] / g["artifacts_finished"].where(g["artifacts_finished"] > 0)
    return g


def bootstrap_shares(priced: pd.DataFrame, by: str, rng: np.random.Generator, n_boot: int = 2000,
                     level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile intervals of the cache-read shares (tokens, prompt, cost), resampling groups ``by``.

    Vectorized: per-group sums form a matrix; ``n_boot`` resamples of the groups are index arrays.
    """
    validate.integer("n_boot", n_boot, 10)
    validate.number("level", level, 0.0, 1.0, lo_open=True, hi_open=True)
    g = group_totals(priced, by)
    G = len(g)
    idx = rng.integers(0, G, size=(n_boot, G))
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


# ---------------------------------------------------------------- simulator


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


def rep_summary(priced: pd.DataFrame) -> pd.DataFrame:
    """Per-replicate totals of a priced simulator ledger (see ``group_totals``)."""
    return group_totals(priced, "rep")


def summarize_reps(priced: pd.DataFrame, level: float = 0.95) -> dict:
    """Mean and percentile interval across replicates of share, cost per token and per artifact."""
    g = rep_summary(priced)
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    out = {}
    for k in ("cache_read_share_tokens", "cache_read_share_prompt", "cache_read_share_cost",
              "cost_per_token_usd", "cost_per_artifact_usd"):
        v = g[k].to_numpy(float)
        v = v[np.isfinite(v)]
        out[k] = float(v.mean()) if v.size else math.nan
        lo, hi = (np.percentile(v, q) if v.size else (math.nan, math.nan))
        out[f"{k}_lo"], out[f"{k}_hi"] = float(lo), float(hi)
    return out


def sweep(base: AgentParams, name: str, values: Iterable, prices: PriceTable, seed: int, n_reps: int,
          extra: Callable[[AgentParams, object], dict] | None = None) -> pd.DataFrame:
    """Simulate ``base`` with ``name`` set to each value (same seed: common random numbers).

    ``extra(params, value)`` may return further fields to change with the value (e.g. the write share).
    Returns one row per value: the ``summarize_reps`` statistics plus totals per replicate summed.
    """
    if name not in AgentParams.field_names():
        raise ParameterError(f"sweep: {name!r} is not a simulator parameter")
    rows = []
    for v in values:
        kw = {name: v, **(extra(base, v) if extra else {})}
        prm = base.with_(**kw)
        led = price_ledger(simulate_agent(prm, np.random.default_rng(seed), n_reps), prices)
        s = summarize_reps(led)
        s.update({"value": v, "compactions": int((led["kind"] == "compaction").sum()) / n_reps,
                  "cold_share": float(1 - led.loc[led["kind"] == "turn", "warm"].mean())})
        rows.append(s)
    return pd.DataFrame(rows)


# ---------------------------------------------------------------- closed forms


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


# ---------------------------------------------------------------- cost per solved task (logged runs)


def cost_per_solved_task(runs: pd.DataFrame, rng: np.random.Generator, n_boot: int = 2000,
                         level: float = 0.95, setup_col: str = "setup", task_col: str = "task",
                         return_boot: bool = False):
    """Cost per attempt, per million tokens and per solved task for each setup, with task-bootstrap intervals.

    ``runs``: one row per attempt with columns setup, task, passed (bool), billed_usd, tokens_in, tokens_out
    (``datasets.cost_bench_runs()``). Per setup:

        cost per attempt     = Σ billed / attempts
        cost per Mtok        = Σ billed / Σ (tokens_in + tokens_out) * 1e6
        cost per solved task = Σ billed / Σ passed          (the artifact is a passing attempt)

    Intervals resample tasks with replacement (the same task draw for every setup, so the comparison is
    paired); ``n_boot`` draws are one index matrix, sums are matrix reductions. With ``return_boot``
    also returns {"cost_per_mtok_usd", "cost_per_attempt_usd", "cost_per_solved_usd"}: setups x n_boot arrays.
    """
    need = [setup_col, task_col, "passed", "billed_usd", "tokens_in", "tokens_out"]
    missing = [c for c in need if c not in runs]
    if missing:
        raise DataError(f"cost_per_solved_task: runs lack column(s) {missing}")
    if runs.empty:
        raise DataError("cost_per_solved_task: no runs")
    validate.integer("n_boot", n_boot, 10)
    r = runs.assign(tokens=runs["tokens_in"] + runs["tokens_out"], n=1, passed=runs["passed"].astype(int))
    piv = {c: r.pivot_table(index=setup_col, columns=task_col, values=c, aggfunc="sum", fill_value=0)
           for c in ("billed_usd", "passed", "n", "tokens")}
    setups = piv["n"].index
    mats = {c: piv[c].reindex(index=setups, columns=piv["n"].columns, fill_value=0).to_numpy(float) for c in piv}
    T = mats["n"].shape[1]
    idx = rng.integers(0, T, size=(n_boot, T))
    boot = {c: m[:, idx].sum(axis=2) for c, m in mats.items()}          # setups x n_boot
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]
    with np.errstate(divide="ignore", invalid="ignore"):
        per_solve_b = np.where(boot["passed"] > 0, boot["billed_usd"] / boot["passed"], np.nan)
        per_att_b = boot["billed_usd"] / boot["n"]
        tot = {c: m.sum(axis=1) for c, m in mats.items()}
        out = pd.DataFrame({
            "attempts": tot["n"].astype(int), "solved": tot["passed"].astype(int),
            "pass_rate": tot["passed"] / tot["n"], "billed_usd": tot["billed_usd"],
            "cost_per_attempt_usd": tot["billed_usd"] / tot["n"],
            "cost_per_attempt_lo": np.nanpercentile(per_att_b, q[0], axis=1),
            "cost_per_attempt_hi": np.nanpercentile(per_att_b, q[1], axis=1),
            "cost_per_mtok_usd": tot["billed_usd"] / tot["tokens"] * 1e6,
            "cost_per_solved_usd": np.where(tot["passed"] > 0, tot["billed_usd"] / np.maximum(tot["passed"], 1), np.nan),
            "cost_per_solved_lo": np.nanpercentile(per_solve_b, q[0], axis=1),
            "cost_per_solved_hi": np.nanpercentile(per_solve_b, q[1], axis=1)}, index=setups)
        per_mtok_b = boot["billed_usd"] / boot["tokens"] * 1e6
    if return_boot:
        return out, {"cost_per_mtok_usd": per_mtok_b, "cost_per_attempt_usd": per_att_b,
                     "cost_per_solved_usd": per_solve_b}
    return out


def kendall_tau_a(x, y, axis: int = 0) -> np.ndarray:
    """Kendall's tau-a of x and y along ``axis`` (items), vectorized over the other axis.

        tau_a = Σ_{i<j} sign(x_i - x_j) sign(y_i - y_j) / (n (n-1) / 2)
    NaN items make the result NaN.
    """
    x, y = np.moveaxis(np.asarray(x, float), axis, -1), np.moveaxis(np.asarray(y, float), axis, -1)
    n = x.shape[-1]
    sx = np.sign(x[..., :, None] - x[..., None, :])
    sy = np.sign(y[..., :, None] - y[..., None, :])
    return (sx * sy).sum(axis=(-1, -2)) / 2 / (n * (n - 1) / 2)


def rank_agreement(a, b) -> float:
    """Kendall's tau between two orderings of the same items (1 = same order, -1 = reversed)."""
    from scipy import stats

    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.size < 2:
        return math.nan
    return float(stats.kendalltau(a, b).statistic)

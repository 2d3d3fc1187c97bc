"""Prices and caching (claim 5): the USD of one sample of each model kind, with and without caching.

A sample's tokens form a four-column ledger row (uncached input, cache writes, cache reads, output),
priced by ``ledger.price_ledger``: without caching every input token is uncached; with caching a share
``read_share`` of the prompt is read from the cache, a share ``write_share`` of the rest is written
(5-minute tier) and the remainder is uncached. Search-call fees are added per search step (input tokens /
tokens_per_search_step, claim 1's accounting). The shares are measured from a ledger (``cache_shares``).
The reasoning model pays ``reasoning_price_multiplier`` times the non-reasoning model's prices.
"""
from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd

from . import claims as K


def price_tables(provider: str, input_usd_per_mtok=None, output_usd_per_mtok=None,
                 reasoning_price_multiplier: float = 1.0) -> dict[str, K.PriceTable]:
    """Per kind: the provider's prices (``ledger.price_table`` with overrides); the reasoning model pays
    ``reasoning_price_multiplier`` times the non-reasoning model's input and output prices."""
    nr = K.price_table(provider, input_usd_per_mtok=input_usd_per_mtok, output_usd_per_mtok=output_usd_per_mtok,
                       model="non_reasoning")
    r = K.price_table(provider, input_usd_per_mtok=nr.input_usd_per_mtok * reasoning_price_multiplier,
                      output_usd_per_mtok=nr.output_usd_per_mtok * reasoning_price_multiplier, model="reasoning")
    return {"non_reasoning": nr, "reasoning": r}


def cache_shares(led: pd.DataFrame, provider: str | None = None) -> dict:
    """Cache-read share of prompt tokens and cache-write share of the other prompt tokens, from a ledger
    (``ledger.totals``); the rows of ``provider`` when the ledger has any, else all rows."""
    K.check_ledger(led)
    part = led
    if provider is not None and "provider" in led and (led["provider"] == provider).any():
        part = led[led["provider"] == provider]
    t = K.totals(part)
    prompt = t["uncached_input"] + t["cache_write"] + t["cache_read"]
    rest = t["uncached_input"] + t["cache_write"]
    return {"cache_read_share": t["cache_read_share_prompt"] if prompt else 0.0,
            "cache_write_share": t["cache_write"] / rest if rest else 0.0,
            "calls": int(len(part)), "rows_of_provider": part is not led}


def sample_ledger(tokens: Mapping[str, tuple[float, float]], read_share: float, write_share: float) -> pd.DataFrame:
    """One ledger row per (kind, caching): the token columns of one sample.

    ``tokens``: kind -> (input, output) tokens per sample. Without caching every input token is uncached;
    with caching a share ``read_share`` is read from the cache, a share ``write_share`` of the rest is
    written (5-minute tier) and the remainder is uncached. Token counts are rounded to whole tokens.
    """
    rows = []
    for kind, (inp, out) in tokens.items():
        I, O = int(round(inp)), int(round(out))
        read = int(round(read_share * I))
        write = int(round(write_share * (I - read)))
        for cached in (False, True):
            rows.append({"model": kind, "caching": cached,
                         "uncached_input": (I - read - write) if cached else I,
                         "cache_write_5m": write if cached else 0, "cache_write_1h": 0,
                         "cache_read": read if cached else 0, "output": O})
    df = pd.DataFrame(rows)
    return df.astype({c: "int64" for c in K.TOKEN_COLUMNS})


def sample_costs(prices: Mapping[str, K.PriceTable], tokens: Mapping[str, tuple[float, float]],
                 read_share: float, write_share: float, tokens_per_search_step: float,
                 usd_per_search_call: float = 0.0) -> pd.DataFrame:
    """USD per sample of each kind with and without caching (``ledger.price_ledger``), plus search-call
    fees (search steps per sample = input tokens / tokens_per_search_step, as in claim 1)."""
    led = sample_ledger(tokens, read_share, write_share)
    priced = K.price_ledger(led, dict(prices))
    steps = np.array([tokens[k][0] for k in priced["model"]]) / tokens_per_search_step
    priced["search_steps"] = steps
    priced["usd_per_sample"] = priced["cost_usd"] + steps * usd_per_search_call
    return priced


def usd_per_sample(costs: pd.DataFrame, kind: str, cached: bool) -> float:
    row = costs[(costs["model"] == kind) & (costs["caching"] == cached)]
    return float(row["usd_per_sample"].iloc[0])


def prompt_usd(costs: pd.DataFrame, kind: str, cached: bool = True) -> float:
    """USD of the prompt (every input column: uncached, cache writes, cache reads) of one sample."""
    row = costs[(costs["model"] == kind) & (costs["caching"] == cached)].iloc[0]
    return sum(float(row[K.COST_COLUMNS[c]]) for c in K.PROMPT_COLUMNS)


def cost_identity_error(costs: pd.DataFrame) -> float:
    """Largest |cost - sum of per-type costs| over the ledger's rows (USD; ``ledger.identity_errors``)."""
    return K.identity_errors(costs)["cost"]

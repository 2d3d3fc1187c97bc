"""Prices of the token ledger (claims 5 and 7): provider price tables and the per-call cost identity.

Prices (USD per million tokens) come from a base input price ``c_in``, an output price ``c_out`` and
multipliers on ``c_in``: uncached 1, 5-minute write ``m_5m``, 1-hour write ``m_1h``, read ``m_r``.
The multipliers are read from ``data/published/pricing_multipliers.csv`` (``published_multipliers``);
base prices are ``BASE_PRICES`` (each with the published example it reproduces). Every value can be
overridden (``price_table(..., input_usd_per_mtok=..., read_mult=...)``). Providers whose caching is
automatic (OpenAI, DeepSeek) charge no write fee: a cache miss is billed as ordinary input, so their
write multipliers are 1. TraceLab's own ``pricing.json`` gives per-model tables (``tracelab_price_tables``);
``resolve_prices`` picks one table per model name.

The cost of a call is ``sum over token types of tokens_type * price_type / 1e6`` (``price_ledger`` adds
one ``cost_<type>_usd`` column per type and their sum ``cost_usd``; the ledger format is ``helpers.tokens``).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Mapping

import numpy as np
import pandas as pd

from . import validate
from .tokens import COST_COLUMNS, TOKEN_COLUMNS, check_ledger
from .validate import DataError, ParameterError

FIVE_MINUTES_S = 300.0   # Anthropic's short TTL tier (definition, not a tuning constant)
ONE_HOUR_S = 3600.0      # Anthropic's long TTL tier

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

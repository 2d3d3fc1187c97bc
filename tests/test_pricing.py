"""Tests of the token ledger (helpers.tokens) and its prices (helpers.pricing): published prices reproduced,
TraceLab's price file, the cost and prompt identities, totals and shares, bad ledgers."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from helpers import datasets, pricing, tokens
from helpers.validate import DataError, ParameterError


def _toy_ledger(rng, n=50, models=("m1",)):
    cols = {c: rng.integers(0, 10_000, size=n).astype(np.int64) for c in tokens.TOKEN_COLUMNS}
    return pd.DataFrame({"model": rng.choice(list(models), size=n), **cols})


# ---------------------------------------------------------------- prices


def test_default_prices_reproduce_published_examples():
    t = datasets.published("pricing_multipliers")
    ex = dict(zip(t["provider"] + "|" + t["item"], t["example_usd_per_mtok"].astype(str)))
    a = pricing.price_table("Anthropic").usd_per_mtok()
    m = re.search(r"([\d.]+) \(base ([\d.]+)\)", ex["Anthropic|cache_write_5m"])
    assert a["cache_write_5m"] == pytest.approx(float(m.group(1)))
    assert a["uncached_input"] == pytest.approx(float(m.group(2)))
    assert a["cache_write_1h"] == pytest.approx(float(re.search(r"([\d.]+)", ex["Anthropic|cache_write_1h"].split(":")[1]).group(1)))
    assert a["cache_read"] == pytest.approx(float(re.search(r"Sonnet 4.x: ([\d.]+)", ex["Anthropic|cache_read"]).group(1)))
    o = pricing.price_table("OpenAI").usd_per_mtok()
    nums = [float(x) for x in re.findall(r"[\d.]+", ex["OpenAI|cache_read (gpt-5 family)"].split(":")[1])]
    assert (o["uncached_input"], o["cache_read"], o["output"]) == pytest.approx(tuple(nums))
    d = pricing.price_table("DeepSeek").usd_per_mtok()
    hit, miss, out = (float(x) for x in re.findall(r"[\d.]+", ex["DeepSeek|cache_hit (deepseek-chat V3 era)"]))
    assert d["uncached_input"] == pytest.approx(miss) and d["output"] == pytest.approx(out)
    assert d["cache_read"] == pytest.approx(hit, abs=0.001)  # the published multiplier is rounded


def test_automatic_caching_has_no_write_fee():
    t = datasets.published("pricing_multipliers")
    row = t[(t["provider"] == "OpenAI") & t["item"].str.startswith("cache_write (pre")]
    assert "no fee" in row["multiplier_vs_base_input"].iloc[0]
    for prov in ("OpenAI", "DeepSeek"):
        pt = pricing.price_table(prov)
        assert pt.write_5m_mult == pt.write_1h_mult == 1.0


def test_price_overrides_and_bad_values():
    pt = pricing.price_table("OpenAI", input_usd_per_mtok=2.0, read_mult=0.5)
    assert pt.usd_per_mtok()["cache_read"] == pytest.approx(1.0)
    assert pt.output_usd_per_mtok == pricing.BASE_PRICES["OpenAI"][1]
    with pytest.raises(ParameterError, match="price_provider"):
        pricing.price_table("Acme")
    with pytest.raises(ParameterError, match="input_usd_per_mtok"):
        pricing.price_table("Anthropic", input_usd_per_mtok=-1)
    with pytest.raises(ParameterError, match="read_mult"):
        pricing.price_table("Anthropic", read_mult="cheap")


def test_tracelab_prices_and_resolution(require_logged):
    tl = pricing.tracelab_price_tables(require_logged("tracelab/pricing"))
    opus = tl["exact"]["claude-opus-4-8"].usd_per_mtok()
    assert (opus["uncached_input"], opus["cache_write_5m"], opus["cache_read"], opus["output"]) == pytest.approx((5, 6.25, 0.5, 25))
    assert opus["cache_write_1h"] == pytest.approx(5 * pricing.default_multipliers("Anthropic")["write_1h_mult"])
    table, how = pricing.resolve_prices(["claude-opus-4-8", "claude-sonnet-4-5-20250929", "deepseek-chat", "mystery-model"],
                                  pricing.price_table("OpenAI"), tl)
    assert "exact" in how["claude-opus-4-8"] and "family" in how["claude-sonnet-4-5-20250929"]
    assert table["claude-sonnet-4-5-20250929"].input_usd_per_mtok == 3
    assert how["deepseek-chat"].startswith("DeepSeek") and how["mystery-model"].startswith("default (OpenAI)")


def test_tracelab_prices_bad_file(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        pricing.tracelab_price_tables(tmp_path / "nope.json")
    (tmp_path / "p.json").write_text("{not json")
    with pytest.raises(DataError, match="not valid JSON"):
        pricing.tracelab_price_tables(tmp_path / "p.json")


# ---------------------------------------------------------------- ledger identities


def test_cost_is_sum_of_type_times_price(rng):
    led = _toy_ledger(rng)
    pt = pricing.price_table("Anthropic")
    priced = pricing.price_ledger(led, pt)
    price_vec = np.array([pt.usd_per_mtok()[c] for c in tokens.TOKEN_COLUMNS])
    expect = led[tokens.TOKEN_COLUMNS].to_numpy(float) @ price_vec / 1e6
    np.testing.assert_allclose(priced["cost_usd"], expect, rtol=1e-12)
    assert tokens.identity_errors(priced)["cost"] < 1e-12


def test_per_model_prices(rng):
    led = _toy_ledger(rng, models=("a", "b"))
    pa, pb = pricing.price_table("Anthropic", model="a"), pricing.price_table("DeepSeek", model="b")
    priced = pricing.price_ledger(led, {"a": pa, "b": pb})
    for m, pt in (("a", pa), ("b", pb)):
        sub = priced[priced["model"] == m]
        np.testing.assert_allclose(sub["cost_usd"], pricing.price_ledger(led[led["model"] == m], pt)["cost_usd"])
    with pytest.raises(DataError, match="no price table"):
        pricing.price_ledger(led, {"a": pa})


def test_totals_closed_form():
    led = pd.DataFrame({"model": ["x", "x"], "uncached_input": [5, 0], "cache_write_5m": [5, 0], "cache_write_1h": [0, 5],
                        "cache_read": [80, 80], "output": [10, 15]})
    pt = pricing.PriceTable("t", 1.0, 2.0, 1.0, 1.0, 0.5)
    t = tokens.totals(pricing.price_ledger(led, pt))
    assert t["cache_read_share_tokens"] == pytest.approx(160 / 200)
    assert t["cache_read_share_prompt"] == pytest.approx(160 / 175)
    assert t["cache_read_share_cost"] == pytest.approx(80 / (15 + 80 + 50))
    assert t["cost_usd"] == pytest.approx(145 / 1e6) and t["calls"] == 2 and t["cache_write"] == 10


def test_check_ledger_rejects_bad_input():
    good = pd.DataFrame({c: [1, 2] for c in tokens.TOKEN_COLUMNS})
    tokens.check_ledger(good)
    with pytest.raises(DataError, match="row 1: column 'output'"):
        tokens.check_ledger(good.assign(output=[1, -2]))
    with pytest.raises(DataError, match="integers"):
        tokens.check_ledger(good.assign(cache_read=[1.5, 2.0]))
    with pytest.raises(DataError, match="lacks token column"):
        tokens.check_ledger(good.drop(columns="cache_read"))
    with pytest.raises(DataError, match="DataFrame"):
        tokens.check_ledger([1, 2])

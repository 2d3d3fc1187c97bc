import json
import math

import numpy as np
import pytest

from helpers import results
from helpers.validate import ParameterError

GOOD = dict(claim="search_scaling", verdict="inconclusive", summary="A sentence.",
            metrics={"x": np.float64(0.1234567890123456), "nan": float("nan"), "arr": np.arange(3),
                     "inf": np.inf, "flag": np.bool_(True)},
            parameters={"quick": True}, data_sources=[results.source("s", "synthetic", 10)], seed=0)


def test_write_is_atomic_and_plain_json(reports_tmp):
    out = results.write_results("00_test", **GOOD)
    doc = json.loads(out.read_text())
    assert list(doc) == list(results.KEYS)
    assert doc["metrics"]["nan"] is None and doc["metrics"]["inf"] == "inf"
    assert results.number(doc["metrics"]["inf"]) == math.inf and results.number(None) is None
    assert doc["verdict_scope"] == "study"
    assert doc["metrics"]["arr"] == [0, 1, 2] and doc["metrics"]["flag"] is True
    assert doc["metrics"]["x"] == pytest.approx(0.123456789, abs=1e-10)
    assert "NaN" not in out.read_text()
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_two_runs_are_byte_identical(reports_tmp):
    a = results.write_results("00_test", **GOOD).read_bytes()
    b = results.write_results("00_test", **GOOD).read_bytes()
    assert a == b


@pytest.mark.parametrize("field, value, match", [
    ("verdict", "true", "verdict 'true' is not one of"),
    ("claim", "nope", "claim 'nope' is not one of"),
    ("summary", "  ", "summary must be a non-empty"),
    ("verdict_scope", "mine", "verdict_scope 'mine' is not one of"),
    ("claim", "overview", "judges no claim"),
    ("data_sources", [{"name": "x"}], r"data_sources\[0\] lacks keys"),
])
def test_bad_fields_raise_and_write_nothing(reports_tmp, field, value, match):
    with pytest.raises(ParameterError, match=match):
        results.write_results("00_bad", **{**GOOD, field: value})
    assert not (reports_tmp / "results" / "00_bad.json").exists()


def test_failure_mid_write_keeps_old_file(reports_tmp, monkeypatch):
    out = results.write_results("00_test", **GOOD)
    before = out.read_bytes()
    bad = {**GOOD, "metrics": {"obj": object()}}
    with pytest.raises(TypeError):
        results.write_results("00_test", **bad)
    assert out.read_bytes() == before

    def boom(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(results.os, "replace", boom)
    with pytest.raises(OSError):
        results.write_results("00_test", **{**GOOD, "summary": "changed"})
    assert out.read_bytes() == before
    assert not [p for p in out.parent.iterdir() if p.name.endswith(".tmp")]


def test_source_rows_nan_means_absent():
    s = results.source("x", "logged", float("nan"), available=False)
    assert s["rows"] is None and s["available"] is False
    with pytest.raises(ParameterError):
        results.source("x", "scraped", 1)


def test_to_jsonable_rounds_to_significant_digits():
    assert results.to_jsonable(1 / 3) == float(f"{1/3:.10g}")
    assert results.to_jsonable({"a": [np.int64(2), None]}) == {"a": [2, None]}
    assert math.isfinite(results.to_jsonable(1e300))


def test_infinities_are_strings_and_read_back():
    doc = results.to_jsonable({"a": -np.inf, "b": [np.float64(np.inf), 1.0]})
    assert doc == {"a": "-inf", "b": ["inf", 1.0]}
    assert results.number(doc["a"]) == -math.inf and results.number(doc["b"][1]) == 1.0
    with pytest.raises(ValueError, match="not a results-file number"):
        results.number("Infinity")


def test_no_verdict_claims_write_null(reports_tmp):
    out = results.write_results("00_test", **{**GOOD, "claim": "budget_planner", "verdict": None})
    assert json.loads(out.read_text())["verdict"] is None

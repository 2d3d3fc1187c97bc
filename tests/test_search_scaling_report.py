"""Tests of helpers.search_scaling.report and .text: the notebook's sentences, metrics and data sources."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import search_scaling as ss
from helpers.search_scaling import report, text


def _dr(statuses, axis="search_steps"):
    return pd.DataFrame({"series": [f"s{i}" for i in range(len(statuses))], "axis": axis, "role": "curve",
                         "status": statuses, "rise": np.linspace(0.1, 0.3, len(statuses)),
                         "diminishing": [s == "diminishing" for s in statuses]})


def _hb(search_dr, crossed_df=None, reachable=False, **kw):
    sub = pd.DataFrame({"fungible_range": [0.2, 0.6]})
    args = dict(search_dr=search_dr, other=search_dr.iloc[:0], testable=pd.DataFrame(), med_power=np.nan, p_drop=0.04,
                crossed_df=pd.DataFrame() if crossed_df is None else crossed_df, dr=search_dr, ladder_pts=None,
                obs_search=None, default_sub=pd.Series({"reachable": reachable}), sub=sub)
    return report.holds_and_breaks(**{**args, **kw})


def test_holds_and_breaks_count_the_classes():
    holds, breaks = _hb(_dr(["diminishing", "diminishing", "flat", "undetermined"]))
    assert holds[0] == "2 search-compute curve(s) show established diminishing returns"
    assert holds[1].startswith("3 of 4 search-compute curves rise")
    assert any(b.startswith("1 search curve(s) are flat") for b in breaks)
    assert any(b.startswith("1 search curve(s) have too few points") for b in breaks)
    assert any("(c) is not identified" in b for b in breaks)  # no crossed design


def test_a_substituting_crossed_design_is_a_hold_and_the_model_range_a_break():
    crossed = pd.DataFrame([{"design": "d", "outcome": "holds", "note": "substitutes"}])
    holds, breaks = _hb(_dr(["non-monotone"]), crossed_df=crossed, reachable=True)
    assert "crossed design d: substitutes" in holds
    assert not any("monotone within noise" in h for h in holds)  # a significant fall removes that hold
    assert any("fungible range of token splits is only 0.20 to 0.60" in b for b in breaks)


def test_summary_reports_each_part_with_its_counts():
    class Rob:
        def sentence(self):
            return "Robust."

    c = {"curve": {"holds": 1, "breaks": 2, "unresolved": 3, "in_scope": 6},
         "pair": {"holds": 0, "breaks": 1, "unresolved": 4, "in_scope": 5}}
    obs = {"bins": [{"accuracy": 0.5}, {"accuracy": 0.25}]}
    s = report.summary(Rob(), False, {"a": "not supported", "b": "not supported", "c": "inconclusive"}, c, 0, obs)
    assert s.startswith("Robust. (study scope). (a) not supported: 1 of 3 resolved")
    assert "(b) not supported: 0 hold, 1 break, 4 unresolved of 5" in s and "falls from 50% to 25%" in s


def test_text_lines():
    assert text.holds_and_breaks(["h"], ["b1", "b2"]) == ["Holds:", " - h", "Breaks:", " - b1", " - b2"]
    assert text.factorial({"r_pair": None}, 0.5, 0.8) == [
        "The target is not reachable within the budget limits: no design computed."]
    assert len(text.benchmark_sizes()) == len(ss.BENCHMARK_N)
    assert "treatment 'reading_error'" in text.published("reading_error", 0.02)[0]


def test_data_sources_name_every_published_table_with_its_checksum():
    pub = ss.published_curves()
    src = report.data_sources(pub, None, None, None, None)
    names = [s["name"] for s in src]
    assert names[0].startswith("synthetic") and sum(n.startswith("published/") for n in names) == pub["source"].nunique() + 1
    assert all(s["sha256"] for s in src if s["kind"] == "published")
    assert [s["available"] for s in src if s["kind"] == "logged"] == [False, False]

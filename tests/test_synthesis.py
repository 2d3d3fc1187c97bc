"""The synthesis: staleness detection, verdict rows from results files, the README block."""
import json
import os
import time

import pytest

from helpers import datasets, paths, synthesis

CLAIM_DOC = {"claim": "x", "verdict": "supported", "summary": "s.", "metrics": {}, "parameters": {"quick": False},
             "data_sources": [], "seed": 0, "versions": {}}


def _write_all(folder, **over):
    folder.mkdir(parents=True, exist_ok=True)
    for claim, stem in synthesis.CLAIM_STEMS.items():
        doc = {**CLAIM_DOC, "claim": claim, **over.get(claim, {})}
        (folder / f"{stem}.json").write_text(json.dumps(doc))
    return folder


def test_fresh_results_are_read(tmp_path):
    folder = _write_all(tmp_path / "r")
    st = synthesis.staleness(folder)
    written = [s for s in synthesis.CLAIM_STEMS.values() if (paths.NOTEBOOKS / f"{s}.ipynb").exists()]
    assert all(st[s] is None for s in written)
    fresh, stale = synthesis.load_results(folder)
    assert set(fresh) == {c for c, s in synthesis.CLAIM_STEMS.items() if s in written}


def test_missing_older_and_quick_results_are_stale(tmp_path):
    folder = _write_all(tmp_path / "r", cache_economics={"parameters": {"quick": True}})
    (folder / "02_token_variance.json").unlink()
    old = time.time() - 10 * 365 * 86400  # older than any notebook or helper in the repository
    os.utime(folder / "03_adaptive_allocation.json", (old, old))
    st = synthesis.staleness(folder)
    assert st["02_token_variance"].startswith("results file missing")
    assert st["03_adaptive_allocation"].startswith("older than notebooks/03_adaptive_allocation.ipynb")
    assert st["05_cache_economics"] == "written in quick mode"
    fresh, stale = synthesis.load_results(folder)
    assert {"token_variance", "adaptive_allocation", "cache_economics"}.isdisjoint(fresh)
    fresh_q, _ = synthesis.load_results(folder, allow_quick=True)
    assert "cache_economics" in fresh_q


def test_a_changed_helper_makes_results_stale(tmp_path, monkeypatch):
    folder = _write_all(tmp_path / "r")
    stem = "05_cache_economics"
    inputs = synthesis.deps.notebook_inputs(stem)
    helper = next(p for p in inputs if p.name == "pricing.py")
    real_stat = os.stat

    class Later:
        def __init__(self, st):
            self._st = st
            self.st_mtime = time.time() + 3600

        def __getattr__(self, k):
            return getattr(self._st, k)

    def fake_stat(self, *a, **k):
        st = real_stat(self, *a, **k)
        return Later(st) if str(self) == str(helper) else st

    monkeypatch.setattr(type(helper), "stat", fake_stat)
    assert synthesis.staleness(folder)[stem] == "older than helpers/pricing.py"


def test_verdict_rows_missing_claims_are_inconclusive():
    rows, numeric = synthesis.verdict_rows({}, datasets.headline_figures())
    assert [r["claim"] for r in rows] == list(synthesis.CLAIM_STEMS)
    assert all(r["verdict"] == "inconclusive" for r in rows) and numeric == {}
    assert rows[1]["headline"].startswith("80 percent")
    assert synthesis.overall_verdict(rows, []) == "inconclusive"


def test_a_renamed_metric_is_reported_not_guessed():
    rows, _ = synthesis.verdict_rows({"token_variance": {**CLAIM_DOC, "metrics": {"renamed": 1}}},
                                     datasets.headline_figures())
    assert rows[1]["measured"].startswith("could not read metrics")


@pytest.mark.parametrize("verdicts, expected", [
    (["supported"] * 5, "supported"),
    (["not supported"] * 3 + ["supported"] * 2, "not supported"),
    (["supported", "partly supported", "not supported", "supported", "not supported"], "partly supported"),
    (["inconclusive"] * 2 + ["supported"] * 3, "inconclusive"),
])
def test_overall_verdict_rule(verdicts, expected):
    rows = [{"claim": c, "verdict": v} for c, v in zip(synthesis.CLAIM_STEMS, verdicts)]
    assert synthesis.overall_verdict(rows, []) == expected


def test_readme_block_round_trip(tmp_path):
    rows, _ = synthesis.verdict_rows({}, datasets.headline_figures())
    block = synthesis.readme_block(rows, [{"file": "x.json", "reason": "missing"}])
    readme = tmp_path / "README.md"
    readme.write_text(f"# t\n\n{synthesis.BEGIN} old -->\nold table\n{synthesis.END}\n\nafter\n")
    text = synthesis.replace_block(readme.read_text(), block)
    assert text.endswith("\n\nafter\n") and "old table" not in text
    assert synthesis.current_block(text) == block
    assert synthesis.block_structure(block)[1:] == [(c,) for c in synthesis.CLAIM_STEMS]
    with pytest.raises(ValueError, match="no FINDINGS markers"):
        synthesis.replace_block("no markers", block)


def test_flips_and_robustness_come_from_the_specification_curve(monkeypatch):
    monkeypatch.setitem(synthesis.EXTRACTORS, "cache_economics", synthesis._generic)
    rob = {"specifications": 4, "agree": 3, "share_agree": 0.75, "choices": {"unit": ["run", "config"]},
           "headline_spec": {"unit": "run"}, "flips": [{"spec": {"unit": "config"}, "verdict": "supported"}]}
    doc = {**CLAIM_DOC, "verdict": "not supported", "verdict_scope": "user",
           "metrics": {"flips_when": "typed text", "robustness": rob}}
    rows, _ = synthesis.verdict_rows({"cache_economics": doc}, datasets.headline_figures())
    r = rows[4]
    assert r["robustness"] == "3 of 4 specifications agree" and r["verdict_scope"] == "user"
    assert r["flips_when"].startswith("1 of 4 specifications flip it, most often with unit = config")
    no_rob = {**doc, "metrics": {"flips_when": "typed text"}}
    rows, _ = synthesis.verdict_rows({"cache_economics": no_rob}, datasets.headline_figures())
    assert rows[4]["robustness"] == "not computed" and rows[4]["flips_when"] == "typed text"


def test_sweep_agreement_beside_each_verdict():
    import pandas as pd

    rows, _ = synthesis.verdict_rows({}, datasets.headline_figures())
    assert {r["sweep"] for r in synthesis.with_sweep(rows, None)} == {"no sweep"}
    t = pd.DataFrame({"notebook": ["02_token_variance"] * 4, "status": ["ok", "ok", "ok", "failed"],
                      "verdict": ["not supported", "not supported", "partly supported", None],
                      "is_default": [True, False, False, False]})
    out = {r["claim"]: r["sweep"] for r in synthesis.with_sweep(rows, t)}
    assert out["token_variance"] == ("2 of 3 sweep runs agree with the default run (not supported); 1 failed")
    assert out["cache_economics"] == "no sweep"

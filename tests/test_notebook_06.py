import json

import pytest

from helpers import paths, synthesis

pytestmark = pytest.mark.notebook


def test_synthesis_reports_missing_results_and_keeps_the_readme_block_in_shape(run_notebook, tmp_path):
    folder = tmp_path / "claims"
    folder.mkdir()
    doc = {"claim": "cache_economics", "verdict": "supported", "summary": "s.", "parameters": {"quick": True},
           "metrics": {"flips_when": "never"}, "data_sources": [{"name": "x", "kind": "synthetic", "rows": 1,
                                                                "sha256": None}], "seed": 0, "versions": {}}
    (folder / "05_cache_economics.json").write_text(json.dumps(doc))
    r = run_notebook("06_synthesis", results_dir=str(folder))
    assert r["claim"] == "synthesis"
    m = r["metrics"]
    assert [v["claim"] for v in m["verdicts"]] == list(synthesis.CLAIM_STEMS)
    assert set(m["verdicts"][0]) == {"claim", "verdict", "verdict_scope", "headline", "measured",
                                      "robustness", "flips_when", "sweep"}
    assert all(v["sweep"] == "no sweep" for v in m["verdicts"])
    stale = {s["file"] for s in m["stale"]}
    assert "02_token_variance.json" in stale and "05_cache_economics.json" not in stale
    assert r["verdict"] == "inconclusive"  # four claims without fresh results
    assert any("inconclusive" in a or "not settled" in a for a in m["answer"])
    # the committed README block has the same keys (header, claims) as a freshly generated one
    block = synthesis.readme_block(m["verdicts"], m["stale"])
    committed = synthesis.current_block((paths.ROOT / "README.md").read_text())
    assert synthesis.block_structure(committed) == synthesis.block_structure(block), \
        "README findings block is stale: run `make all && make readme`"


def test_synthesis_rejects_a_missing_results_folder(run_notebook, tmp_path):
    import papermill

    with pytest.raises(papermill.PapermillExecutionError, match="'results_dir': no such file or folder"):
        run_notebook("06_synthesis", results_dir=str(tmp_path / "nope"))

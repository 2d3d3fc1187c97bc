import pandas as pd
import pytest

from helpers import sweep

pytestmark = pytest.mark.notebook


def test_sweep_notebook_without_a_sweep_says_so(run_notebook):
    r = run_notebook("08_sweep")
    assert r["claim"] == "sweep" and r["verdict"] is None
    assert r["summary"].startswith("No sweep has been run") and r["metrics"]["agreement"] == {}


def test_sweep_notebook_reads_a_table(run_notebook, keep_input, tmp_path, reports_tmp):
    rows = [{"notebook": "02_token_variance", "params": '{"token_effect": 0.35}', "seed": s, "status": st,
             "verdict": v, "headline": h, "share_agree": 0.9, "seconds": 3.0, "worker": "tcp://w", "error": e,
             "key": f"k{s}", "is_default": s == 0}
            for s, st, v, h, e in ((0, "ok", "not supported", 0.1, None), (1, "ok", "not supported", 0.12, None),
                                   (2, "ok", "partly supported", 0.3, None), (3, "failed", None, None, "boom"))]
    path = sweep.write_table(rows, tmp_path / "t.parquet")
    path = keep_input(path)  # named by its contents: the run is kept
    r = run_notebook("08_sweep", sweep_path=str(path))
    a = r["metrics"]["agreement"]["02_token_variance"]
    assert a["runs"] == 4 and a["finished"] == 3 and a["failed"] == 1 and a["agree"] == 2
    assert a["share_agree"] == pytest.approx(2 / 3)
    assert "67%" in r["summary"] and "1 failed" in r["summary"]
    assert sorted(p.name for p in (reports_tmp / "figures").glob("08_sweep_*.png")) == \
        ["08_sweep_headlines.png", "08_sweep_verdicts.png"]
    assert isinstance(pd.read_parquet(path), pd.DataFrame)
    # a second run on the same table draws the same figures, byte for byte (seeded bootstrap, no jitter)
    first = {p.name: p.read_bytes() for p in (reports_tmp / "figures").glob("08_sweep_*.png")}
    run_notebook("08_sweep", fresh=True, sweep_path=str(path))
    assert {p.name: p.read_bytes() for p in (reports_tmp / "figures").glob("08_sweep_*.png")} == first

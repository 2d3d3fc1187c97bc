"""Shared test fixtures.

- ``reports_tmp``: redirects every generated output (results, figures) to a temporary folder, so tests
  never touch ``reports/``; notebooks executed by ``run_notebook`` inherit it through the environment,
  and write as ``make`` would (``STUDY_RUN_BY=make``), not to ``interactive/``.
- ``run_notebook(stem, **params)``: execute ``notebooks/<stem>.ipynb`` with papermill on the study's kernel
  (quick mode by default) and return its results dict; for a claim notebook it also checks that the
  synthesis can read the metrics it wrote (so a renamed key fails here, not in the synthesis).
- ``require_logged(name)``: the verified path of a registered logged file. Without it: skip when no
  DATA_MIRROR is set (an offline developer machine), fail when DATA_MIRROR is set (CI must have it).
"""
from __future__ import annotations

import json
import os

# as in the Makefile: tiny linear algebra is far slower with multithreaded BLAS (set before numpy loads)
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np
import pytest

from helpers import paths, registry

KERNEL = "tts-study"


@pytest.fixture
def reports_tmp(tmp_path, monkeypatch):
    out = tmp_path / "reports"
    monkeypatch.setenv("STUDY_REPORTS_DIR", str(out))
    monkeypatch.setenv("STUDY_RUN_BY", "make")  # the tests stand in for make: outputs go to reports/, not interactive/
    return out


@pytest.fixture
def rng():
    return np.random.default_rng(20261128)


@pytest.fixture
def run_notebook(reports_tmp):
    import papermill as pm

    def _run(stem: str, **params):
        params.setdefault("quick", True)
        out = reports_tmp / "notebooks"
        out.mkdir(parents=True, exist_ok=True)
        pm.execute_notebook(str(paths.NOTEBOOKS / f"{stem}.ipynb"), str(out / f"{stem}.ipynb"),
                            parameters=params, kernel_name=KERNEL, cwd=str(paths.NOTEBOOKS),
                            progress_bar=False, log_output=False)
        doc = json.loads((reports_tmp / "results" / f"{stem}.json").read_text())
        _check_synthesis_reads(stem, doc)
        return doc

    return _run


def _check_synthesis_reads(stem: str, doc: dict) -> None:
    """Every claim notebook run in the tests also checks that the synthesis can read its metrics."""
    from helpers import datasets, synthesis

    claims = {s: c for c, s in synthesis.CLAIM_STEMS.items()}
    if stem not in claims:
        return
    rows, _ = synthesis.verdict_rows({claims[stem]: doc}, datasets.headline_figures())
    row = next(r for r in rows if r["claim"] == claims[stem])
    assert not row["measured"].startswith("could not read metrics"), row["measured"]
    assert row["verdict"] == doc["verdict"]


@pytest.fixture
def require_logged():
    def _get(name: str):
        try:
            return registry.fetch(name)
        except registry.DataUnavailable as exc:
            if os.environ.get("DATA_MIRROR"):
                pytest.fail(f"DATA_MIRROR is set but {exc}")
            pytest.skip(str(exc))

    return _get

"""Tests of helpers.search_scaling.recovery: the ground-truth checks draw what they claim and recover it."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers import curves
from helpers import search_scaling as ss
from helpers.search_scaling import recovery


@pytest.mark.parametrize("form", list(ss.SHAPE_PARAM))
def test_true_theta_is_the_shape_curve(form):
    x = 2.0 ** np.arange(6, 12)
    th = recovery.true_theta(form, 0.9, 0.3, 0.7, x)
    F = curves.FORMS[form]
    np.testing.assert_allclose(F.predict(np.array([th[k] for k in F.params]), x),
                               ss.shape_curve(form, 0.9, 0.3, 0.7, x), rtol=1e-12)


def test_curve_recovery_covers_the_truth(rng):
    rec = recovery.curve_recovery(rng, points=6, n=2000, curvature=0.7, ceiling=0.9, start=0.3, reps=12,
                                  profile_points=6)
    assert len(rec) == 24 and set(rec["form"]) == set(ss.SHAPE_PARAM)
    summ = recovery.recovery_summary(rec)
    assert (summ["curves"] == 12).all()
    assert np.allclose(summ["curvature_mean"], 0.7, atol=0.15)  # unbiased enough at n = 2000
    assert (summ["curvature_coverage"] >= 0.6).all()            # 95% intervals: most of 12 cover the truth


def test_slice_check_reads_the_models_gains(rng):
    chk, lines = recovery.slice_check(ss.RSModel(), rng, points=6, n=20000, profile_points=6, alpha=0.05,
                                      flat_tolerance=0.03, drop_tolerance=0.02)
    assert len(chk) == 4 and len(lines) == 2 and all("true drop in gain per doubling" in s for s in lines)
    assert (chk["lo"] <= chk["hi"]).all()
    low = chk[chk["budget"] == "low"].set_index("series")["true gain"]
    high = chk[chk["budget"] == "high"].set_index("series")["true gain"]
    assert (low > high).all()  # the model's returns diminish along both axes


def test_error_rates_and_reference_rates(rng):
    err = recovery.error_rates(rng, forms=("power_saturating",), points=5, n=500, ceiling=0.9, start=0.3,
                               curvature=0.7, ratios=[0.25, 4.0], reps=20, alpha=0.05)
    assert set(err["dispersion"]) == {"binomial", "quasi"} and set(err["ratio"]) == {0.25, 1.0, 4.0}
    fpr, ref_power = recovery.reference_rates(err, "power_saturating", "binomial")
    main = err[(err["form"] == "power_saturating") & (err["dispersion"] == "binomial")].set_index("ratio")["rate"]
    assert fpr["rate"] == main[1.0] and ref_power == min(main[0.25], main[4.0])
    assert ref_power > fpr["rate"]  # a fourfold curvature difference is seen more often than none

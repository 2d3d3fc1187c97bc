"""Tests of helpers.search_scaling.params: the notebook's schema, its cross checks, the model and the sizes."""
from __future__ import annotations

import pytest

from helpers import paths, schema
from helpers.search_scaling import RSModel
from helpers.search_scaling import params as P
from helpers.validate import ParameterError


def _defaults():
    return {n: d for n, _, d, _ in schema.parameters_cell(paths.NOTEBOOKS / "01_search_scaling.ipynb")}


def test_defaults_pass_and_the_model_is_the_cells():
    p = P.SCHEMA.validate(_defaults())
    m = P.rs_model(p)
    assert m == RSModel(**{k: _defaults()[k] for k in P.MODEL_FIELDS})
    assert m.ceiling == pytest.approx(1 - _defaults()["unsolvable_share"])


@pytest.mark.parametrize("change,name", [
    ({"target_accuracy": 0.95, "unsolvable_share": 0.1}, "target_accuracy"),  # above the ceiling 0.9
    ({"sim_start": 0.9, "sim_ceiling": 0.9}, "sim_start"),                    # starts at its ceiling
    ({"curvature_ratios": [0.5, 1.0]}, "curvature_ratios"),                  # the null is not an alternative
    ({"search_bin_edges": [1, 4, 4, 6]}, "search_bin_edges"),                # not increasing
])
def test_cross_parameter_checks_name_the_parameter(change, name):
    with pytest.raises(ParameterError, match=rf"'{name}'"):
        P.SCHEMA.validate({**_defaults(), **change})


def test_target_just_below_the_ceiling_is_accepted():
    P.SCHEMA.validate({**_defaults(), "target_accuracy": 0.899, "unsolvable_share": 0.1})


def test_quick_mode_shrinks_every_simulation_and_never_grows_one():
    full = P.sizes(P.SCHEMA.validate(_defaults()))
    quick = P.sizes(P.SCHEMA.validate({**_defaults(), "quick": True}))
    for k in ("N_SIM", "POWER_REPS", "N_RECOVERY", "PROFILE_POINTS", "N_BOOT", "GRID", "PATH_GRID"):
        assert getattr(quick, k) < getattr(full, k), k
    small = P.sizes(P.SCHEMA.validate({**_defaults(), "quick": True, "n_sim": 12, "power_reps": 0}))
    assert small.N_SIM == 12 and small.POWER_REPS == 0  # quick mode caps, it never raises a size
    assert full.effective == {"n_sim": 400, "power_reps": 200, "n_recovery": 30, "profile_points": 40, "n_boot": 2000}
    assert full.OTHER_FORM == "logistic_log"
    assert full.SPEC_FIXED == () and set(quick.SPEC_FIXED) == {"min_points", "min_resolved"}
    assert full.PROFILE_XTOL == 1e-5 and quick.PROFILE_XTOL > full.PROFILE_XTOL  # coarser interval ends only
    assert full.POWER_REPS_ALT == full.POWER_REPS and quick.POWER_REPS_ALT == 0
    assert quick.effective["profile_xtol"] == quick.PROFILE_XTOL and quick.effective["power_reps_alternative_axes"] == 0
    assert full.FIT_STARTS is None and 1 < quick.FIT_STARTS < 6  # every start in full mode; fewer, never one, in quick
    assert quick.effective["fit_starts"] == quick.FIT_STARTS and "fit_starts" not in full.effective
    from helpers.search_scaling.lm import MAX_ITER
    assert full.LM_ITER == MAX_ITER and 10 <= quick.LM_ITER < MAX_ITER and quick.effective["lm_iterations"] == quick.LM_ITER
    assert P.sizes(P.SCHEMA.validate({**_defaults(), "shape_form": "logistic_log"})).OTHER_FORM == "power_saturating"

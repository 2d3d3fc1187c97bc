"""Claim 1's specification curve: the verdict under every reasonable alternative of the analysis.

A specification fixes the choices an analyst could defend otherwise: how approximate readings enter
(``approx``), the diminishing-returns test (``dr_method``), ``min_points``, ``alpha``, whether MCPMark
effort ladders count as reasoning curves, which axes count as search compute, and ``min_resolved``. For
each, the evidence table is rebuilt (``evidence.evidence_rows``) and the rule applied; the
diminishing-returns classes and crossed designs are computed once per (method, alpha). Same-shape power
is simulated once at the headline alpha and reused at the other alpha (an approximation).
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd

from .. import verdicts
from .evidence import crossed_designs, evidence_rows
from .fits import DR_METHODS, diminishing_returns
from .params import QUICK_SPEC_FIXED
from .shape import shape_tests
from .verdict import SearchScalingRule


def alternative_axes(search_axes: Sequence[str]) -> tuple[str, ...]:
    """The search axes of the alternative specification: search steps alone when samples count, else both."""
    return ("search_steps",) if "samples" in search_axes else tuple(sorted(set(search_axes) | {"samples"}))


def tests_for(tests: pd.DataFrame, all_curves: pd.DataFrame, search_axes: Sequence[str], alt_axes: Sequence[str],
              **shape_kw) -> pd.DataFrame:
    """The headline's same-shape tests plus those of the axes only the alternative counts (``shape_tests`` with
    ``shape_kw``, drawing from its ``rng`` when given)."""
    if not set(alt_axes) - set(search_axes):
        return tests
    return pd.concat([tests, shape_tests(all_curves, search_axes=list(set(alt_axes) - set(search_axes)), **shape_kw)],
                     ignore_index=True)


def headline(p) -> dict:
    """The specification of the notebook's parameters ``p``."""
    return {"approx": p.approx_readings, "dr_method": p.dr_method, "min_points": p.min_points, "alpha": p.alpha,
            "ladders_count": p.ladders_count, "search_axes": tuple(sorted(p.search_axes)),
            "min_resolved": p.min_resolved}


def choices(p, alt_axes: Sequence[str]) -> dict:
    """The alternatives of each choice (the headline's value and one defensible other); quick mode holds the
    choices of ``params.QUICK_SPEC_FIXED`` at the headline value (``params.sizes``' ``SPEC_FIXED``)."""
    out = {"approx": sorted({p.approx_readings, "exclude"}), "dr_method": list(DR_METHODS),
           "min_points": [p.min_points, p.min_points + 1], "alpha": sorted({p.alpha, 0.1 if p.alpha != 0.1 else 0.05}),
           "ladders_count": [True, False], "search_axes": sorted({tuple(sorted(p.search_axes)), tuple(alt_axes)}),
           "min_resolved": sorted({p.min_resolved, p.min_resolved + 1})}
    head = headline(p)
    fixed = QUICK_SPEC_FIXED if p.quick else ()
    return {k: ([head[k]] if k in fixed else v) for k, v in out.items()}


class Specifications:
    """The evidence table and verdict of any specification, over fixed curves, fits and same-shape tests.
    ``known``: {(dr_method, alpha): (diminishing_returns, crossed_designs)} the caller computed already with the
    same curves, fits and tolerances (reused, not computed again)."""

    def __init__(self, all_curves: pd.DataFrame, fits: pd.DataFrame, meta: pd.DataFrame, tests: pd.DataFrame, *,
                 flat_tolerance: float, drop_tolerance: float, complement_margin: float, min_power: float,
                 support_share: float, user_given: bool, extra: Sequence[dict] = (), known: dict | None = None):
        self.curves, self.fits, self.meta, self.tests = all_curves, fits, meta, tests
        self.flat_tolerance, self.drop_tolerance = flat_tolerance, drop_tolerance
        self.complement_margin, self.min_power, self.support_share = complement_margin, min_power, support_share
        self.user_given, self.extra = user_given, list(extra)
        self._dr, self._crossed, self._memo = {}, {}, {}  # memo: rows already built (``evidence_rows``)
        self._verdicts = {}  # verdicts by the rows' (unit, in scope, outcome) and min_resolved
        for (method, alpha), (dr, crossed) in (known or {}).items():  # classified already by the caller
            self._dr[(method, alpha)], self._crossed[alpha] = dr, crossed

    def _rows(self, spec: dict) -> list[dict]:
        """The rows of the specification's evidence table (``evidence.evidence_rows``)."""
        key = (spec["dr_method"], spec["alpha"])
        if key not in self._dr:  # a few (method, alpha) combinations: each classified once
            self._dr[key] = diminishing_returns(self.curves, self.fits, alpha=spec["alpha"],
                                                flat_tolerance=self.flat_tolerance,
                                                drop_tolerance=self.drop_tolerance, method=spec["dr_method"])
            self._crossed[spec["alpha"]] = crossed_designs(self.curves, alpha=spec["alpha"],
                                                           complement_margin=self.complement_margin)
        return evidence_rows(self._dr[key], self.meta, self.tests, self._crossed[spec["alpha"]],
                             search_axes=list(spec["search_axes"]), alpha=spec["alpha"], min_power=self.min_power,
                             min_points=spec["min_points"], ladders_count=spec["ladders_count"],
                             exclude_approx=spec["approx"] == "exclude", extra=self.extra, memo=self._memo)

    def evidence(self, spec: dict) -> pd.DataFrame:
        return verdicts.user_scope(verdicts.evidence_table(self._rows(spec)), self.user_given)

    def verdict(self, spec: dict) -> str:
        """The rule's verdict on the specification's evidence; the rule reads only each row's unit, scope and
        outcome, so a table with the same ones as an earlier specification's gets that verdict without asking it
        again (without user data, whose scope ``verdicts.user_scope`` redraws, they are read off the rows: the
        table is built only for a new verdict)."""
        if self.user_given:
            t = self.evidence(spec)
            key = (spec["min_resolved"], tuple(zip(t["unit"], t["in_scope"], t["outcome"])))
        else:
            rows = self._rows(spec)
            key = (spec["min_resolved"], tuple((r.get("unit"), r.get("in_scope"), r.get("outcome")) for r in rows))
        if key not in self._verdicts:
            t = t if self.user_given else self.evidence(spec)
            rule = SearchScalingRule(support_share=self.support_share, min_resolved=spec["min_resolved"])
            self._verdicts[key] = rule.decide(t)
        return self._verdicts[key]

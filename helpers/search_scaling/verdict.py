"""Claim 1's verdict rule, stated before the evidence (the evidence rows are built in ``evidence.py``).

The claim has three parts; each row of the evidence table (``helpers.verdicts``) confronts one part with
one unit of analysis:

- (a) unit ``curve``: one accuracy-vs-search-budget curve whose budget was **set by design** (a tool-call
  cap, a user's search budget). It *holds* when the curve shows established diminishing returns, *breaks*
  when it is flat, accelerating or falls significantly (non-monotone), and is *unresolved* when the test
  cannot tell (undetermined, a fit with as many parameters as points, fewer than ``min_points`` points).
  Search calls *observed* under a reasoning-effort setting are not a budget set by design: such series are
  shown, never counted.
- (b) unit ``pair``: one (reasoning-budget curve, search-budget curve) pair. It *holds* when the test finds
  no difference in curvature (Holm-adjusted, level ``alpha``) and has power >= ``min_power`` at that pair's
  design; *breaks* when it rejects a shared curvature; *unresolved* otherwise (an under-powered
  non-rejection says little). Effort ladders (MCPMark) count as reasoning-budget curves only when
  ``ladders_count``.
- (c) unit ``crossed design``: a design that sets *both* budgets at two levels or more (user curves or logged
  data). From its 2x2 corners: *breaks* (complements) when the log-odds difference-in-differences has a
  two-sided 1-α interval above 0; *holds* (substitutes: either budget can make up for the other) when that
  interval lies below ``complement_margin`` and each budget alone raises accuracy; else *unresolved*.

**The rule.** Only in-scope rows decide (agentic research and tool-use data with budgets set by design; with
user data, the user's rows alone). Each part gets the counting rule of ``verdicts.CountingRule``
(``support_share``, ``min_resolved``) over its own rows: too few resolved rows give *inconclusive*, never a
default. The claim: every part inconclusive -> inconclusive; every part supported -> supported; every
conclusive part not supported -> not supported; otherwise partly supported (an unsettled part keeps the
claim from "supported": fungibility is not shown by curves alone).
"""
from __future__ import annotations
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from .. import verdicts

UNITS = {"curve": "a", "pair": "b", "crossed design": "c"}
PART_NAMES = {"a": "search curves rise with diminishing returns",
              "b": "search curves have the shape of reasoning curves",
              "c": "the two budgets substitute (fungible)"}
AGENTIC = ("agentic research", "tool use", "user")
STATUS_OUTCOME = {"diminishing": "holds", "flat": "breaks", "accelerating": "breaks", "non-monotone": "breaks",
                  "undetermined": "unresolved", "not identified": "unresolved"}


# ------------------------------------------------------------------------------------------ the rule


@dataclass(frozen=True)
class SearchScalingRule:
    """The rule of the module docstring with its thresholds."""

    support_share: float = 0.75
    min_resolved: int = 1

    def part_rule(self, part: str) -> verdicts.CountingRule:
        what = {"a": "a search-budget curve shows established diminishing returns",
                "b": "a reasoning/search pair shares its curvature with enough power to see a difference",
                "c": "a crossed design shows substitution (no complementarity beyond the margin)"}[part]
        return verdicts.CountingRule(self.support_share, self.min_resolved, what, "agentic research and tool use")

    def describe(self) -> str:
        s = self.support_share
        share = "every resolved row" if s == 1.0 else f"at least {s:.0%} of the resolved rows"
        return ("Claim 1 is judged in three parts, each on its own in-scope rows (agentic research and tool-use "
                "data whose budget was set by design; observed search calls never count as a budget): "
                "(a) search-budget curves with established diminishing returns; (b) reasoning/search pairs "
                "sharing a curvature at adequate power; (c) crossed designs showing substitution. "
                f"A part is supported when at least {self.min_resolved} of its rows are resolved and {share} "
                f"hold; not supported when at most {1 - s:.0%} hold; partly supported in between; inconclusive "
                f"with fewer than {self.min_resolved} resolved row(s). The claim is supported only when all three "
                "parts are; not supported when every settled part is not; inconclusive when no part is settled; "
                "partly supported otherwise.")

    def parts(self, table: pd.DataFrame) -> dict[str, str]:
        out = {}
        units = table["unit"].to_numpy(object)  # plain strings: the same rows, without pandas' string kernels
        for unit, part in UNITS.items():
            out[part] = self.part_rule(part).decide(table[units == unit])
        return out

    def decide(self, table: pd.DataFrame) -> str:
        return combine(list(self.parts(table).values()))



def combine_verdicts(parts: Sequence[str]) -> str:
    """All inconclusive: inconclusive. All conclusive parts supported and none inconclusive: supported.
    All conclusive parts not supported: not supported. Otherwise partly supported."""
    parts = list(parts)
    conc = [p for p in parts if p != "inconclusive"]
    if not conc:
        return "inconclusive"
    if all(p == "supported" for p in parts):
        return "supported"
    if all(p == "not supported" for p in conc):
        return "not supported"
    return "partly supported"


combine = combine_verdicts  # the claim from its parts (module docstring): one rule


# ------------------------------------------------------------------------------------------ one part at a time


def _count(outcomes: Sequence[str], support_share: float, min_resolved: int = 1) -> str:
    """The counting rule of ``verdicts.CountingRule`` over a list of outcomes (holds/breaks/unresolved)."""
    t = verdicts.evidence_table([{"source": "x", "unit": "x", "in_scope": True, "outcome": o} for o in outcomes])
    return verdicts.CountingRule(support_share, min_resolved).decide(t)


def verdict_diminishing(status: pd.Series, share_for_support: float = 0.75, min_resolved: int = 1) -> str:
    """(a) from the per-series classes of the search-budget curves (the counting rule).

    diminishing holds; flat, accelerating and non-monotone break; undetermined and not identified are
    unresolved. Fewer than ``min_resolved`` resolved curves: inconclusive; share holding >=
    ``share_for_support``: supported; <= 1 - share: not supported (so no supporting curve can never give
    "partly supported"); else partly supported.
    """
    return _count([STATUS_OUTCOME[v] for v in pd.Series(status, dtype=object)], share_for_support, min_resolved)


def verdict_same_shape(same_shape: Sequence, power: Sequence[float], min_power: float = 0.8,
                       support_share: float = 0.75, min_resolved: int = 1) -> str:
    """(b) from the Holm-adjusted pair decisions and each pair's simulated power (the counting rule).

    A pair breaks when rejected (same_shape False), holds when accepted with power >= ``min_power``, and is
    unresolved otherwise (an under-powered acceptance, or untestable: None).
    """
    out = []
    for v, p in zip(same_shape, power):
        ok = p is not None and np.isfinite(p) and p >= min_power
        out.append("breaks" if v is False else "holds" if (v is True and ok) else "unresolved")
    return _count(out, support_share, min_resolved)


def verdict_fungible(crossed=None, support_share: float = 1.0, min_resolved: int = 1) -> str:
    """(c) from crossed designs: a frame with an ``outcome`` column (``evidence.crossed_designs``)
    or a list of outcomes. Substitution is identified only by a design that sets both budgets; with none
    (no input, an empty frame, or the published ``DESIGNS`` table, which holds no crossed result) the verdict
    is inconclusive, never a default. Otherwise the counting rule: substitutes hold, complements break.
    """
    if crossed is None:
        return "inconclusive"
    if isinstance(crossed, pd.DataFrame):
        if "outcome" not in crossed:
            return "inconclusive"
        crossed = crossed["outcome"].tolist()
    return _count(list(crossed), support_share, min_resolved)

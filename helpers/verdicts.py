"""Verdict rules stated before the evidence, and the specification curve that tests their robustness.

A claim's verdict is a pure function of a small tidy **evidence table** and named thresholds. Each row is
one confrontation of the claim with one data source at one unit of analysis::

    {source, unit, in_scope, outcome, figure, ci, setting, note}

- ``source``   the data source (``mcpmark``, ``deepdive``, ``user:runs.csv`` ...);
- ``unit``     the unit of analysis (``run``, ``config``, ``curve``, ``pair`` ...);
- ``in_scope`` real evidence in the claim's own setting (agentic research and tool use; with a user-data
  parameter, the user's rows alone). Out-of-scope rows (coding agents and MATH as generality checks,
  simulators, extrapolations) are shown beside the verdict but never decide it;
- ``outcome``  ``holds`` | ``breaks`` | ``unresolved`` (too little data, an interval that straddles the
  threshold, a fit that is not identified);
- ``figure``, ``ci``  the number the outcome was read from and its interval (``ci`` = [lo, hi] or None);
- ``setting``  ``agentic research`` | ``tool use`` | ``coding agents`` | ``math`` | ``synthetic`` | ``user``.

**The counting rule** (``CountingRule``), shared by the claims unless a claim states another: among the
in-scope rows with a resolved outcome, with H rows holding and B breaking,

- fewer than ``min_resolved`` resolved rows: **inconclusive** (too little evidence never defaults to an
  outcome);
- H / (H + B) >= ``support_share``: **supported**;
- H / (H + B) <= 1 - ``support_share``: **not supported**;
- in between: **partly supported**.

Every outcome is reachable for every threshold with 0.5 < support_share <= 1 and min_resolved >= 1.

**The specification curve** (Simonsohn, Simmons and Nelson 2020): ``specification_curve`` re-derives the
evidence table and the verdict under every combination of the analysis' reasonable alternatives
(thresholds, exclusions, unit of analysis, estimator, approximate sources in or out) and reports how many
agree with the headline specification and which flip it.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Sequence

import pandas as pd

from .validate import DataError, ParameterError

VERDICTS = ("supported", "partly supported", "not supported", "inconclusive")
OUTCOMES = ("holds", "breaks", "unresolved")
SETTINGS = ("agentic research", "tool use", "coding agents", "math", "synthetic", "user", "published")
EVIDENCE_COLUMNS = ("source", "unit", "in_scope", "outcome", "figure", "ci", "setting", "note")


def evidence_row(source: str, unit: str, *, in_scope: bool, outcome: str, figure: float | None = None,
                 ci: Sequence[float] | None = None, setting: str = "tool use", note: str = "") -> dict:
    """One row of an evidence table, checked."""
    if outcome not in OUTCOMES:
        raise ParameterError(f"evidence outcome {outcome!r} is not one of {OUTCOMES}")
    if setting not in SETTINGS:
        raise ParameterError(f"evidence setting {setting!r} is not one of {SETTINGS}")
    if ci is not None:
        ci = [None if c is None else float(c) for c in ci]
        if len(ci) != 2:
            raise ParameterError(f"evidence ci must be [lo, hi], got {ci!r}")
    return {"source": str(source), "unit": str(unit), "in_scope": bool(in_scope), "outcome": outcome,
            "figure": None if figure is None else float(figure), "ci": ci, "setting": setting, "note": str(note)}


def evidence_table(rows: Iterable[Mapping]) -> pd.DataFrame:
    """The rows as a frame with the contract's columns (an empty table keeps its columns)."""
    rows = list(rows)
    for i, r in enumerate(rows):
        missing = {"source", "unit", "in_scope", "outcome"} - set(r)
        if missing:
            raise DataError(f"evidence row {i}: missing {sorted(missing)}")
        if r["outcome"] not in OUTCOMES:
            raise DataError(f"evidence row {i} ({r['source']}, {r['unit']}): outcome {r['outcome']!r} "
                            f"is not one of {OUTCOMES}")
    df = pd.DataFrame([{c: r.get(c) for c in EVIDENCE_COLUMNS} for r in rows], columns=list(EVIDENCE_COLUMNS))
    df["in_scope"] = df["in_scope"].astype(bool)
    return df


def evidence_records(table: pd.DataFrame) -> list[dict]:
    """``metrics.evidence`` for the results file: [{source, unit, in_scope, outcome, figure, ci, ...}]."""
    return [{c: r[c] for c in EVIDENCE_COLUMNS} for r in table.to_dict("records")]


@dataclass(frozen=True)
class CountingRule:
    """The counting rule (module docstring) with its thresholds."""

    support_share: float = 1.0
    min_resolved: int = 1
    what_holds: str = "the row's figure meets the claim"
    scope: str = "agentic research and tool-use data"

    def __post_init__(self):
        if not (0.5 < self.support_share <= 1.0):
            raise ParameterError(f"parameter 'support_share' = {self.support_share!r} must be in (0.5, 1]")
        if not (isinstance(self.min_resolved, int) and self.min_resolved >= 1):
            raise ParameterError(f"parameter 'min_resolved' = {self.min_resolved!r} must be an integer >= 1")

    def describe(self) -> str:
        """The rule in words, computed from the thresholds (printed before the evidence)."""
        s = self.support_share
        hold = "every resolved row holds" if s == 1.0 else f"at least {s:.0%} of the resolved rows hold"
        fail = "no resolved row holds" if s == 1.0 else f"at most {1 - s:.0%} of them hold"
        return (f"Only in-scope evidence decides ({self.scope}); a row holds when {self.what_holds}. "
                f"Supported when at least {self.min_resolved} in-scope row(s) are resolved and {hold}; "
                f"not supported when {fail}; partly supported in between; inconclusive with fewer than "
                f"{self.min_resolved} resolved in-scope row(s).")

    def decide(self, table: pd.DataFrame) -> str:
        t = table[table["in_scope"]]
        h = int((t["outcome"] == "holds").sum())
        b = int((t["outcome"] == "breaks").sum())
        if h + b < self.min_resolved:
            return "inconclusive"
        share = h / (h + b)
        if share >= self.support_share:
            return "supported"
        if share <= 1.0 - self.support_share:
            return "not supported"
        return "partly supported"

    def counts(self, table: pd.DataFrame) -> dict:
        t = table[table["in_scope"]]
        return {"in_scope": int(len(t)), "holds": int((t["outcome"] == "holds").sum()),
                "breaks": int((t["outcome"] == "breaks").sum()),
                "unresolved": int((t["outcome"] == "unresolved").sum()),
                "out_of_scope": int((~table["in_scope"]).sum())}


def user_scope(table: pd.DataFrame, user_given: bool) -> pd.DataFrame:
    """With user data, only the user's rows are in scope (the study's stay for comparison, out of scope)."""
    if not user_given:
        return table
    out = table.copy()
    out["in_scope"] = out["setting"].eq("user") | out["source"].astype(str).str.startswith("user")
    return out


def scope_name(user_given: bool) -> str:
    return "user" if user_given else "study"


@dataclass
class Robustness:
    """The verdict under every specification; ``as_metrics()`` is ``metrics.robustness``."""

    headline: str
    table: pd.DataFrame  # one row per specification: the choice columns, then 'verdict'
    choices: dict = field(default_factory=dict)
    headline_spec: dict = field(default_factory=dict)

    @property
    def specifications(self) -> int:
        return int(len(self.table))

    @property
    def agree(self) -> int:
        return int((self.table["verdict"] == self.headline).sum())

    def as_metrics(self) -> dict:
        flips = [{"spec": {k: r[k] for k in self.choices}, "verdict": r["verdict"]}
                 for r in self.table.to_dict("records") if r["verdict"] != self.headline]
        return {"specifications": self.specifications, "agree": self.agree,
                "share_agree": self.agree / self.specifications if self.specifications else None,
                "choices": {k: list(v) for k, v in self.choices.items()}, "headline_spec": dict(self.headline_spec),
                "flips": flips,
                "verdict_counts": {v: int((self.table["verdict"] == v).sum()) for v in VERDICTS}}

    def sentence(self) -> str:
        return f"{self.headline}; {self.agree} of {self.specifications} specifications agree"


def specification_curve(verdict_of: Callable[[dict], str], choices: Mapping[str, Sequence[Any]],
                        headline: Mapping[str, Any]) -> Robustness:
    """The verdict under every combination of ``choices`` ({name: [alternatives]}).

    ``verdict_of(spec)`` returns the verdict for one specification (a dict {name: value}); ``headline`` is
    the notebook's own specification, which must be one of the combinations.
    """
    names = list(choices)
    for k in names:
        if headline.get(k) not in list(choices[k]):
            raise ParameterError(f"headline specification {k}={headline.get(k)!r} is not among the "
                                 f"alternatives {list(choices[k])!r}")
    rows = []
    for combo in itertools.product(*(choices[k] for k in names)):
        spec = dict(zip(names, combo))
        v = verdict_of(spec)
        if v not in VERDICTS:
            raise ParameterError(f"verdict_of returned {v!r} for {spec}")
        rows.append({**spec, "verdict": v})
    table = pd.DataFrame(rows, columns=names + ["verdict"])
    return Robustness(headline=verdict_of(dict(headline)), table=table, choices={k: list(choices[k]) for k in names},
                      headline_spec={k: headline[k] for k in names})


def quick_choices(choices: Mapping[str, Sequence[Any]], headline: Mapping[str, Any]) -> dict:
    """A quick run's specification curve: per choice, the headline value and the first other alternative (in the
    list's order); a choice with one value keeps it. 2^(choices) specifications at most, the headline among them."""
    out = {}
    for k, v in choices.items():
        v = list(v)
        if headline.get(k) not in v:
            raise ParameterError(f"headline specification {k}={headline.get(k)!r} is not among the "
                                 f"alternatives {v!r}")
        other = next((x for x in v if x != headline[k]), None)
        out[k] = [x for x in v if x == headline[k] or (other is not None and x == other)]
    return out


def _fmt(v: Any) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def flips_text(robustness: Mapping | None, max_items: int = 3) -> str | None:
    """Which analysis choices flip the headline verdict, in words, from ``metrics.robustness``.

    For every choice and every alternative value, the share of specifications with that value whose verdict
    differs from the headline; the alternatives that flip most often are named with the verdict they give
    most often. None when the robustness block is missing; a sentence saying no specification flips it when
    all agree.
    """
    if not robustness or not robustness.get("specifications"):
        return None
    flips = robustness.get("flips") or []
    k, n = robustness["agree"], robustness["specifications"]
    if not flips:
        return f"no specification flips it (all {n} agree)"
    head = robustness.get("headline_spec") or {}
    choices = robustness.get("choices") or {}
    per_value = []
    for name, values in choices.items():
        n_spec_value = n // max(len(values), 1)
        for v in values:
            if name in head and v == head[name]:
                continue
            fl = [f for f in flips if f["spec"].get(name) == v]
            if not fl:
                continue
            verdicts = pd.Series([f["verdict"] for f in fl]).value_counts()
            per_value.append((len(fl) / max(n_spec_value, 1), name, v, verdicts.index[0]))
    per_value.sort(key=lambda t: (-t[0], t[1], str(t[2])))
    named = "; ".join(f"{name} = {_fmt(v)} (gives {verdict} in {share:.0%} of its specifications)"
                      for share, name, v, verdict in per_value[:max_items])
    return f"{n - k} of {n} specifications flip it" + (f", most often with {named}" if named else "")


def metrics_block(rule_text: str, table: pd.DataFrame, robustness: Robustness | None) -> dict:
    """The three keys every claim notebook writes: ``rule``, ``evidence``, ``robustness``."""
    return {"rule": rule_text, "evidence": evidence_records(table),
            "robustness": None if robustness is None else robustness.as_metrics()}

"""The verdict table: one row per claim, its headline figure, measurement, verdict and flip condition.

Missing claims are inconclusive. ``flips_when`` comes from the notebook's specification curve
(``metrics.robustness``) when it has one, otherwise from the claim's extractor; ``with_sweep`` adds the
share of sweep runs that agree with each default run.
"""
from __future__ import annotations

from typing import Mapping

from ..verdicts import flips_text
from .extractors import EXTRACTORS, _generic, _get
from .inputs import CLAIM_STEMS


HEADLINE_ROW = {  # (source_id, quantity substring) of the figure each claim is judged against
    "search_scaling": None,
    "token_variance": ("ANTHROPIC_MARS", "token usage alone"),
    "adaptive_allocation": ("SNELL2024", "efficiency gain"),
    "reasoning_ceiling": ("O1_BLOG", "o1 AIME"),
    "cache_economics": ("ALZAHRANI2026", "cache reads"),
}
SEED_STATEMENT = {
    "search_scaling": "search steps scale like reasoning tokens (monotonic, diminishing), so the budgets trade",
    "token_variance": "token spend alone explains about 80% of the variance",
    "adaptive_allocation": "adaptive per-prompt compute beats a flat budget",
    "reasoning_ceiling": "more inference compute does not let a non-reasoning model catch up",
    "cache_economics": "most tokens are cache reads, so cost per artifact is the denominator",
}


def headline_text(claim: str, headline) -> str:
    key = HEADLINE_ROW.get(claim)
    if key is None:
        return f"qualitative: {SEED_STATEMENT[claim]}"
    rows = headline[(headline["source_id"] == key[0]) & headline["quantity"].str.contains(key[1], regex=False)]
    if rows.empty:
        return SEED_STATEMENT[claim]
    r = rows.iloc[0]
    return f"{r['value']} {r['unit']}: {r['quantity']} ({r['source_id']})"


def robustness_text(doc: Mapping) -> str:
    """ "k of K specifications agree" from ``metrics.robustness``, or says it was not computed."""
    rob = _get(doc, "metrics", "robustness")
    if not isinstance(rob, Mapping) or not rob.get("specifications"):
        return "not computed"
    return f"{rob['agree']} of {rob['specifications']} specifications agree"


def verdict_rows(fresh: Mapping[str, Mapping], headline) -> tuple[list[dict], dict[str, dict]]:
    """Rows {claim, headline, measured, verdict, verdict_scope, robustness, flips_when} (missing claims:
    inconclusive) and the numeric comparisons {claim: {quantity, claimed, points: [{label, value, lo, hi}]}}
    behind the figure. ``flips_when`` is computed from the notebook's specification curve
    (``metrics.robustness``) when it has one; otherwise from the claim's own metrics."""
    rows, numeric = [], {}
    for claim in CLAIM_STEMS:
        doc = fresh.get(claim)
        if doc is None:
            rows.append({"claim": claim, "headline": headline_text(claim, headline),
                         "measured": "no fresh results", "verdict": "inconclusive", "verdict_scope": None,
                         "robustness": "not computed", "flips_when": "run the claim notebook"})
            continue
        try:
            measured, flips, num = EXTRACTORS.get(claim, _generic)(doc)
        except (KeyError, TypeError, IndexError, ValueError) as exc:  # a renamed key: say so, do not guess
            measured, flips, num = f"could not read metrics ({type(exc).__name__}: {exc})", "n/a", None
        spec_flips = flips_text(_get(doc, "metrics", "robustness"))
        rows.append({"claim": claim, "headline": headline_text(claim, headline), "measured": measured,
                     "verdict": doc["verdict"], "verdict_scope": doc.get("verdict_scope", "study"),
                     "robustness": robustness_text(doc), "flips_when": spec_flips or flips})
        if num and num.get("points"):
            numeric[claim] = num
    return rows, numeric


def with_sweep(rows: list[dict], table) -> list[dict]:
    """Add to each row the share of sweep runs agreeing with the default run's verdict (``helpers.sweep``),
    or "no sweep" when the claim's notebook was not swept (``table`` None: no sweep at all)."""
    from ..sweep import agreement

    agree = agreement(table)
    out = []
    for r in rows:
        a = agree.get(CLAIM_STEMS[r["claim"]])
        if not a or not a["finished"] or a["share_agree"] is None:
            txt = "no sweep" if not a else f"sweep: {a['finished']} of {a['runs']} runs finished, no default run"
        else:
            txt = (f"{a['agree']} of {a['finished']} sweep runs agree with the default run ({a['default_verdict']})"
                   + (f"; {a['failed']} failed" if a["failed"] else ""))
        out.append({**r, "sweep": txt})
    return out

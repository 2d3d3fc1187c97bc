"""The answer to the study's question and the overall verdict, built from the verdict rows.

What each claim says about scaling and spending (its role and denominator), and the seed's thesis
("scaling and budget are almost one axis") judged from the five verdicts. No number is typed here: every
sentence is built from a row.
"""
from __future__ import annotations

from typing import Mapping


DENOMINATOR = {
    "search_scaling": "per answer (accuracy per question at a token or search-step budget)",
    "token_variance": "per run or per configuration (the unit of the variance analysis)",
    "adaptive_allocation": "per answer at a fixed total budget across problems",
    "reasoning_ceiling": "per answer (samples and tokens per problem)",
    "cache_economics": "per finished artifact (or solved task), not per token",
}
ROLE = {  # what each claim says about the relation between scaling and spending
    "search_scaling": "scaling is spending on a second axis (search steps trade against reasoning tokens)",
    "token_variance": "scaling is spending (token spend explains most of the performance variance)",
    "adaptive_allocation": "how the budget is spread across prompts matters, not only its size",
    "reasoning_ceiling": "spending cannot buy what training did not install (a ceiling binds)",
    "cache_economics": "the denominator of spending is the finished artifact, not the token",
}


def answer(rows: list[Mapping]) -> list[str]:
    """Sentences answering the study's question, each built from one verdict row (no hand-typed numbers)."""
    out = []
    for r in rows:
        c = r["claim"]
        out.append(f"{ROLE[c][0].upper() + ROLE[c][1:]}: {r['verdict']} (claim {c}; denominator {DENOMINATOR[c]}). "
                   f"Measured: {r['measured'].rstrip('.')}. The verdict flips when {r['flips_when'].rstrip('.')}.")
    held = [ROLE[r["claim"]] for r in rows if r["verdict"] == "supported"]
    part = [ROLE[r["claim"]] for r in rows if r["verdict"] == "partly supported"]
    failed = [ROLE[r["claim"]] for r in rows if r["verdict"] == "not supported"]
    unknown = [r["claim"] for r in rows if r["verdict"] == "inconclusive"]
    parts = []
    if held:
        parts.append("what holds on the study's data: " + "; ".join(held))
    if part:
        parts.append("what holds only under conditions: " + "; ".join(part))
    if failed:
        parts.append("what does not hold: " + "; ".join(failed))
    if unknown:
        parts.append("not settled here: " + ", ".join(unknown))
    out.append("In sum: " + ". ".join(p[0].upper() + p[1:] for p in parts) + ".")
    return out


def overall_verdict(rows: list[Mapping], stale: list[Mapping]) -> str:
    """The seed's thesis ("scaling and budget are almost one axis") judged from the five verdicts:
    inconclusive when two or more claims lack fresh results; supported when all are supported; not
    supported when most are not supported; partly supported otherwise."""
    v = [r["verdict"] for r in rows]
    if sum(x == "inconclusive" for x in v) >= 2 or len(stale) >= 2:
        return "inconclusive"
    if all(x == "supported" for x in v):
        return "supported"
    if sum(x == "not supported" for x in v) > len(v) / 2:
        return "not supported"
    return "partly supported"


def overall_summary(rows: list[Mapping], stale: list[Mapping]) -> str:
    v = [r["verdict"] for r in rows]
    counts = {k: sum(x == k for x in v) for k in ("supported", "partly supported", "not supported", "inconclusive")}
    txt = (f"Of {len(v)} claims, {counts['supported']} supported, {counts['partly supported']} partly supported, "
           f"{counts['not supported']} not supported and {counts['inconclusive']} inconclusive")
    if stale:
        txt += f"; {len(stale)} results file(s) stale or missing"
    sup = [r["claim"] for r in rows if r["verdict"] == "supported"]
    nots = [r["claim"] for r in rows if r["verdict"] == "not supported"]
    if sup:
        txt += f"; held: {', '.join(sup)}"
    if nots:
        txt += f"; failed: {', '.join(nots)}"
    return txt + "."

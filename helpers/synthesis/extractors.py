"""Per-claim extractors: what the study measured, when the verdict flips, the numbers for the figure.

From one claim's results: a sentence of what was measured (with intervals), when its verdict flips, and
the numbers behind the synthesis figure (``{quantity, claimed, points: [{label, value, lo, hi}]}`` or None).
They are the only place that knows each claim's metric keys; a claim without one gets ``_generic`` (its
summary and its ``metrics.flips_when``).
"""
from __future__ import annotations

import math
from typing import Callable, Mapping


def _pct(x: float | None, digits: int = 0) -> str:
    return "n/a" if x is None else f"{100 * x:.{digits}f}%"


def _get(d: Mapping, *keys, default=None):
    for k in keys:
        if not isinstance(d, Mapping) or k not in d:
            return default
        d = d[k]
    return d


def _generic(doc: Mapping) -> tuple[str, str, dict | None]:
    m = doc.get("metrics", {})
    return doc.get("summary", ""), str(m.get("flips_when", "the conditions in the notebook's 'where it breaks' section change")), None


def _token_variance(doc: Mapping) -> tuple[str, str, dict | None]:
    """Claim 2: the in-scope evidence rows (DeepDive, MCPMark or the user's runs) with their intervals, the
    coding-agent rows beside them, and "flips when" from the notebook's specification curve."""
    m = doc["metrics"]
    ev = m["evidence"]

    def txt(e):
        ci = e.get("ci")
        ci_txt = f" [{ci[0]:.2f}, {ci[1]:.2f}]" if ci and None not in ci else ""
        fig = "n/a" if e.get("figure") is None else f"{e['figure']:.2f}"
        return f"{e['source']} per {e['unit']} {fig}{ci_txt} ({e['outcome']})"

    ins = [e for e in ev if e["in_scope"]]
    beside = [e for e in ev if not e["in_scope"]]
    detail = m.get("verdict_detail", {})
    what = f"tokens {detail.get('statistic', 'alone')} R² ({detail.get('scale', 'raw')} scale)"
    measured = (f"{what} against the claimed {m['claim_share_tokens']:.2f}: "
                + ("; ".join(txt(e) for e in ins) if ins else "no in-scope rows")
                + ("; beside: " + "; ".join(txt(e) for e in beside) if beside else ""))
    rob = m.get("robustness") or {}
    if rob.get("specifications"):
        by = {}
        for f in rob.get("flips", []):
            by.setdefault(f["verdict"], []).append(f["spec"])
        parts = []
        for v, specs in sorted(by.items()):
            common = [f"{k} = {specs[0][k]}" for k in specs[0] if all(s[k] == specs[0][k] for s in specs)]
            parts.append(f"{len(specs)} give {v}" + (f" (all with {', '.join(common)})" if common else ""))
        flips = (f"{rob['agree']} of {rob['specifications']} specifications agree"
                 + ("; " + "; ".join(parts) if parts else ""))
    else:
        flips = "no specification curve was computed"
    numeric = {"quantity": f"variance explained by {what}", "claimed": m["claim_share_tokens"],
               "points": [{"label": f"{e['source']}_{e['unit']}", "value": e.get("figure"),
                           "lo": (e.get("ci") or [None, None])[0], "hi": (e.get("ci") or [None, None])[1]}
                          for e in ins]}
    return measured, flips, numeric


def _cache_economics(doc: Mapping) -> tuple[str, str, dict | None]:
    m = doc["metrics"]
    vc = m.get("verdict_checks") or {}
    sources = m.get("sources") or []
    parts = []
    for s in sources:
        ci = s.get("cache_read_share_ci")
        ci_txt = f" [{_pct(ci[0], 1)}, {_pct(ci[1], 1)}]" if ci else ""
        parts.append(f"{s['name']} {_pct(s.get('cache_read_share'), 1)}{ci_txt} ({s['sessions']} sessions)")
    measured = "cache reads as a share of all tokens, intervals over sessions: " + ("; ".join(parts) or "no real logs")
    dec = [e for e in m.get("evidence") or [] if e.get("unit") == "decision" and e.get("in_scope")]
    if dec:
        n_hold = sum(e["outcome"] == "holds" for e in dec)
        n_break = sum(e["outcome"] == "breaks" for e in dec)
        measured += (f"; the cheapest option per token differs from the cheapest per solved task at cache-aware prices "
                     f"in {n_hold} of {len(dec)} tool-use decisions ({n_break} same, {len(dec) - n_hold - n_break} unresolved)")
    status = vc.get("part_status")
    if status:
        measured += f"; part (a) {status.get('a')}, part (b) {status.get('b')}"
    breaks = vc.get("breaks") or []
    if breaks:
        conds = " or ".join(f"{b['parameter']} = {b['value']:g}" for b in breaks)
        flips = f"the simulated read share falls below {_pct(vc.get('majority_share'))} when {conds}"
    else:
        flips = "no simulated setting brings the read share below half"
    points = [{"label": s["name"], "value": s.get("cache_read_share"),
               "lo": (s.get("cache_read_share_ci") or [None, None])[0],
               "hi": (s.get("cache_read_share_ci") or [None, None])[1]} for s in sources]
    numeric = {"quantity": "cache reads as a share of all tokens", "claimed": vc.get("published_share"),
               "points": points}
    return measured, flips, numeric


def _search_scaling(doc: Mapping) -> tuple[str, str, dict | None]:
    m = doc["metrics"]
    v = m["verdicts"]
    ev = [e for e in m.get("evidence", []) if e.get("in_scope")]
    unit_part = {"curve": "a", "pair": "b", "crossed design": "c"}
    cnt = {p: {o: sum(1 for e in ev if unit_part.get(e["unit"]) == p and e["outcome"] == o)
               for o in ("holds", "breaks", "unresolved")} for p in "abc"}
    part = lambda p: (f"({p}) {v[p]}: {cnt[p]['holds']} hold, {cnt[p]['breaks']} break, "  # noqa: E731
                      f"{cnt[p]['unresolved']} unresolved")
    measured = (f"in-scope rows: {part('a')} search-budget curves; {part('b')} reasoning/search pairs; "
                f"{part('c')} crossed designs setting both budgets")
    obs = m.get("observational_search")
    if obs and obs.get("bins"):
        b0, b1 = obs["bins"][0], obs["bins"][-1]
        measured += (f"; BrowseComp-Plus (observed, not a budget): accuracy {_pct(b0['accuracy'])} at "
                     f"{b0['search_calls_lo']}-{b0['search_calls_hi']} searches vs {_pct(b1['accuracy'])} at "
                     f"{b1['search_calls_lo']}-{b1['search_calls_hi']}")
    rob = m.get("robustness") or {}
    if rob.get("specifications"):
        measured += f"; {doc['verdict']}: {rob['agree']} of {rob['specifications']} specifications agree"
    flips = (f"{rob['specifications'] - rob['agree']} of {rob['specifications']} specifications flip it"
             if rob.get("specifications") else "n/a (no specification curve)")
    return measured, flips, None


def _adaptive_allocation(doc: Mapping) -> tuple[str, str, dict | None]:
    import statistics

    m = doc["metrics"]
    cells = [c for c in m["verdict_cells"] if c.get("in_scope")]
    vi = m["verdict_inputs"]
    num = lambda x: math.inf if x == "inf" else (math.nan if x is None else float(x))  # noqa: E731
    ratios = [num(c["ratio"]) for c in cells if c.get("ratio") is not None]
    med = statistics.median(ratios) if ratios else math.nan
    bar = _get(doc, "parameters", "ratio_threshold", default=2.0)
    resolved = vi["holds"] + vi["breaks"]
    sources = sorted({c["source"] for c in cells}) or ["no replayable in-scope source"]
    measured = (f"on {', '.join(sources)}, replayed at budgets up to the logged attempts with the policy chosen on one "
                f"half of the problems and scored on the other, {vi['holds']} of {resolved} resolved cells reach "
                f"{bar:g}x (median held-out ratio {med:.2f}x over {len(cells)} cells; {vi['unresolved']} unresolved)")
    flips = "the efficiency bar, the aggregation (perfect verifier or not) or the sources counted change"
    pts = []
    for (src, b) in sorted({(c["source"], c["budget"]) for c in cells}):
        rs = [num(c["ratio"]) for c in cells if c["source"] == src and c["budget"] == b and c.get("ratio") is not None]
        rs = [r for r in rs if not math.isnan(r)]
        if rs:
            pts.append({"label": f"{src} @{b:g} (median of {len(rs)})", "value": statistics.median(rs),
                        "lo": None, "hi": None})
    numeric = {"quantity": "held-out efficiency ratio of the chosen realistic policy (x uniform budget)",
               "claimed": _get(m, "headline", "snell_x", default=4.0), "points": pts, "scale": "log"}
    return measured, flips, numeric


def _reasoning_ceiling(doc: Mapping) -> tuple[str, str, dict | None]:
    """Claim 4: per in-scope unit, the share of comparisons where the weaker side catches up at matched spend."""
    m = doc["metrics"]
    units = m["units"]
    spec = m.get("headline_specification") or {}
    view = str(spec.get("view", "matched spend")).replace("_", " ")
    if units:
        measured = f"at matched spend ({view}) the weaker side catches up in " + "; ".join(
            f"{u['breaks']} of {u['holds'] + u['breaks']} {u['source']} {u['unit']}s ({u['status']})" for u in units)
    else:
        measured = "no in-scope comparison at matched spend"
    ahead = sum(1 for e in m["evidence"] if e["in_scope"] and "already level" in (e.get("note") or ""))
    if ahead:
        measured += f"; {ahead} already level at k = 1 (not catch-ups)"
    breaks = [f"{u['unit']}s" for u in units if u["status"] in ("breaks", "mixed")]
    flips = (f"the weaker side catches up in more {' and '.join(breaks)}" if breaks
             else "more in-scope pairs catch up at matched spend")
    pts = [{"label": f"{u['source']}: {u['unit']}", "value": u["share_caught_up"], "lo": None, "hi": None}
           for u in units]
    numeric = {"quantity": "share of comparisons where the weaker side catches up at matched spend", "claimed": 0.0,
               "points": pts}
    return measured, flips, numeric


EXTRACTORS: dict[str, Callable[[Mapping], tuple[str, str, dict | None]]] = {
    "token_variance": _token_variance,
    "cache_economics": _cache_economics,
    "adaptive_allocation": _adaptive_allocation,
    "search_scaling": _search_scaling,
    "reasoning_ceiling": _reasoning_ceiling,
}

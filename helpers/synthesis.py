"""The synthesis: one verdict table from the claim notebooks' results files, and staleness checks.

Inputs are ``reports/results/0[1-5]_*.json`` (contract section 3). A results file is *stale* when it is
missing, or older than its notebook or any helpers module that notebook imports (``helpers.deps``), or
was written in quick mode: then the synthesis reports it instead of reading its numbers.

For each claim the table gives: the source's headline figure (from ``data/published/headline_figures.csv``),
what the study measured (read from the claim's metrics, with intervals), the claim notebook's verdict, and
the condition under which that verdict flips (also read from the metrics). The extractors below are the
only place that knows each claim's metric keys; each is small and tested on the notebooks' real output.

``python -m helpers.synthesis readme`` rewrites the README block between the FINDINGS markers from
``reports/results/06_synthesis.json``.
"""
from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any, Callable, Mapping

from . import deps, paths
from .results import atomic_write_text
from .verdicts import flips_text

CLAIM_STEMS = {
    "search_scaling": "01_search_scaling",
    "token_variance": "02_token_variance",
    "adaptive_allocation": "03_adaptive_allocation",
    "reasoning_ceiling": "04_reasoning_ceiling",
    "cache_economics": "05_cache_economics",
}
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
BEGIN, END = "<!-- BEGIN FINDINGS", "<!-- END FINDINGS -->"


# ------------------------------------------------------------------ reading and staleness

def staleness(results_dir: Path | None = None) -> dict[str, str | None]:
    """{stem: reason or None} for every claim notebook; reasons: missing, older than X, quick mode."""
    results_dir = Path(results_dir or paths.study_results_dir())
    out: dict[str, str | None] = {}
    for stem in CLAIM_STEMS.values():
        f = results_dir / f"{stem}.json"
        nb = paths.NOTEBOOKS / f"{stem}.ipynb"
        if not nb.exists():
            out[stem] = "notebook not written yet"
            continue
        if not f.exists():
            out[stem] = "results file missing (run `make all`)"
            continue
        t = f.stat().st_mtime
        newer = [p for p in deps.notebook_inputs(stem) if p.exists() and p.stat().st_mtime > t]
        if newer:
            out[stem] = "older than " + ", ".join(str(p.relative_to(paths.ROOT)) for p in newer)
            continue
        doc = json.loads(f.read_text(encoding="utf-8"))
        out[stem] = "written in quick mode" if doc.get("parameters", {}).get("quick") else None
    return out


def load_results(results_dir: Path | None = None, *, allow_quick: bool = False) -> tuple[dict, list[dict]]:
    """Fresh claim results {claim: doc} and the list of stale files [{file, reason}]."""
    results_dir = Path(results_dir or paths.study_results_dir())
    fresh, stale = {}, []
    reasons = staleness(results_dir)
    for claim, stem in CLAIM_STEMS.items():
        reason = reasons[stem]
        if reason == "written in quick mode" and allow_quick:
            reason = None
        if reason is None:
            fresh[claim] = json.loads((results_dir / f"{stem}.json").read_text(encoding="utf-8"))
        else:
            stale.append({"file": f"{stem}.json", "reason": reason})
    return fresh, stale


# ------------------------------------------------------------------ per-claim extractors

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
    from .sweep import agreement

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


# ------------------------------------------------------------------ the answer

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


# ------------------------------------------------------------------ README block

def readme_block(rows: list[Mapping], stale: list[Mapping], overall: tuple[str, str] | None = None) -> str:
    esc = lambda s: str(s).replace("|", "\\|").replace("\n", " ")  # noqa: E731
    lines = [f"{BEGIN} (generated by `make readme` from reports/results; do not edit by hand) -->",
             "| claim | headline figure | what the study measured | verdict | robustness | the verdict flips when |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {esc(r['claim'])} | {esc(r['headline'])} | {esc(r['measured'])} | **{esc(r['verdict'])}** "
                     f"| {esc(r.get('robustness', 'not computed'))} | {esc(r['flips_when'])} |")
    if overall:
        lines.append("")
        lines.append(f"Overall (`06_synthesis`): **{overall[0]}**. {overall[1]}")
    if stale:
        lines.append("")
        lines.append("Stale or missing results when this table was written: "
                     + "; ".join(f"`{s['file']}` ({s['reason']})" for s in stale) + ".")
    lines.append(END)
    return "\n".join(lines)


def block_structure(block: str) -> list[tuple[str, ...]]:
    """The keys of a findings block (header and claim names), not its numbers: what a test compares."""
    out = []
    for line in block.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
            out.append((cells[0],) if out else tuple(cells))
    return out


def replace_block(text: str, block: str) -> str:
    i, j = text.find(BEGIN), text.find(END)
    if i < 0 or j < 0:
        raise ValueError("README has no FINDINGS markers")
    return text[:i] + block + text[j + len(END):]


def current_block(text: str) -> str:
    i, j = text.find(BEGIN), text.find(END)
    return text[i:j + len(END)]


def write_readme(results_dir: Path | None = None, readme: Path | None = None) -> Path:
    results_dir = Path(results_dir or paths.study_results_dir())
    readme = readme or paths.ROOT / "README.md"
    synth = results_dir / "06_synthesis.json"
    if not synth.exists():
        raise FileNotFoundError(f"{synth} is missing: run `make all` first")
    doc = json.loads(synth.read_text(encoding="utf-8"))
    block = readme_block(doc["metrics"]["verdicts"], doc["metrics"]["stale"], (doc["verdict"], doc["summary"]))
    atomic_write_text(readme, replace_block(readme.read_text(encoding="utf-8"), block))
    return readme


def main(argv: list[str] | None = None) -> int:
    import sys

    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] != ["readme"]:
        print("usage: python -m helpers.synthesis readme")
        return 2
    print(f"rewrote the findings block of {write_readme()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

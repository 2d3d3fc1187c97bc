"""The verdict box a reader sees first: verdict, summary, scope, rule, robustness, key figure.

The overview and the planner judge no claim and show none; the robustness line says "k of K
specifications agree" and the choices that flip the verdict; the key figure is embedded or linked.
"""
from __future__ import annotations

import base64
import html
import math
from pathlib import Path
from typing import Any, Mapping

from .notebook import as_number


NO_CLAIM = ("overview", "budget_planner")
VERDICT_CLASS = {"supported": "supported", "partly supported": "partly", "not supported": "not",
                 "inconclusive": "inconclusive"}


def robustness_text(rob: Any) -> str | None:
    """ "k of K specifications agree" from ``metrics.robustness``, plus the flips when recorded."""
    if not isinstance(rob, Mapping):
        return None
    k, n = as_number(rob.get("agree")), as_number(rob.get("specifications"))
    if k is None or n is None or not math.isfinite(k) or not math.isfinite(n):
        return None
    text = f"{int(k)} of {int(n)} specifications agree with the verdict"
    flips = rob.get("flips")
    if rob.get("choices") and isinstance(flips, (list, tuple)):
        from ..verdicts import flips_text  # the choices that flip it, in words (as in the synthesis)

        return f"{text}; {flips_text(rob)}"
    if isinstance(flips, (list, tuple)) and flips:
        shown = ", ".join(_flip_text(f) for f in flips[:4])
        more = f" and {len(flips) - 4} more" if len(flips) > 4 else ""
        text += f"; it changes under {shown}{more}"
    elif isinstance(flips, str) and flips:
        text += f"; it changes under {flips}"
    return text


def _flip_text(f: Any) -> str:
    if isinstance(f, Mapping):
        return "; ".join(f"{k} = {v}" for k, v in f.items())
    return str(f)


def verdict_box(stem: str, results: Mapping | None, figure: Path | None, *, embed: bool = True,
                title: str | None = None) -> str:
    """HTML of the box a reader sees first."""
    e = html.escape
    head = f"<p class='verdict-title'>{e(title)}</p>" if title else ""
    if results is None:
        return ("<section id='verdict' class='verdict-box missing'><p class='verdict-label'>No results</p>"
                f"<p>{e(stem)} wrote no results file: did it run to the end?</p></section>")
    claim = results.get("claim")
    metrics = results.get("metrics") if isinstance(results.get("metrics"), Mapping) else {}
    verdict = results.get("verdict")
    parts = []
    if claim in NO_CLAIM or verdict is None:
        kind = {"overview": "Overview", "budget_planner": "Planner"}.get(str(claim), "Notebook")
        status = metrics.get("status")
        if isinstance(status, str) and status:  # the planner's outcome for the user's workload
            parts.append(f"<p class='verdict-label neutral'>{kind}: <strong>{e(status)}</strong> "
                         "<span class='no-claim'>(judges no claim)</span></p>")
        else:
            parts.append(f"<p class='verdict-label neutral'>{kind}: judges no claim</p>")
    else:
        cls = VERDICT_CLASS.get(verdict, "inconclusive")
        parts.append(f"<p class='verdict-label {cls}'>Verdict: <strong>{e(str(verdict))}</strong></p>")
    if results.get("summary"):
        parts.append(f"<p class='verdict-summary'>{e(str(results['summary']))}</p>")
    facts = []
    scope = results.get("verdict_scope")
    if claim not in NO_CLAIM and verdict is not None:
        if scope == "user":
            facts.append("<li><span>scope</span> the rule applied to <strong>your data</strong> alone</li>")
        elif scope == "study":
            facts.append("<li><span>scope</span> the study's own data</li>")
    rule = metrics.get("rule")
    if isinstance(rule, str) and rule:
        facts.append(f"<li><span>rule</span> {e(rule)}</li>")
    rob = robustness_text(metrics.get("robustness"))
    if rob:
        facts.append(f"<li><span>robustness</span> {e(rob)}</li>")
    if (results.get("parameters") or {}).get("quick"):
        facts.append("<li><span>mode</span> quick (reduced sizes; not the study's numbers)</li>")
    if facts:
        parts.append("<ul class='verdict-facts'>" + "".join(facts) + "</ul>")
    text = "<div class='verdict-text'>" + head + "".join(parts) + "</div>"
    fig = ""
    if figure is not None and figure.exists():
        src = _data_uri(figure) if embed else f"../figures/{figure.name}"
        fig = (f"<figure class='verdict-figure'><img src='{src}' alt='key figure: {e(figure.stem)}'>"
               f"<figcaption>key figure: {e(figure.stem)}</figcaption></figure>")
    return f"<section id='verdict' class='verdict-box'>{text}{fig}</section>"


def _data_uri(p: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(p.read_bytes()).decode("ascii")

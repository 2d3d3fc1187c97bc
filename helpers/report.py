"""``reports/index.html``: every rendered notebook with its one-line verdict.

Reads ``reports/results/*.json`` (contract section 3) and links
``reports/html/<stem>.html``. A notebook without a results file is listed as
"no results (did it run?)". When the synthesis results exist, their verdict
table is shown first. Run as ``python -m helpers.report``.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from . import paths
from .results import atomic_write_text

CSS = """body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;width:100%;margin:1em 0}th,td{border-bottom:1px solid #ddd;padding:.45em;
text-align:left;vertical-align:top}th{background:#f4f4f4}.v{font-weight:600;white-space:nowrap}
.supported{color:#1a7f37}.partly{color:#9a6700}.not{color:#cf222e}.inconclusive{color:#57606a}
code{background:#f4f4f4;padding:0 .2em}"""


def _vclass(v: str | None) -> str:
    if not v:
        return "inconclusive"
    return {"supported": "supported", "partly supported": "partly", "not supported": "not"}.get(v, "inconclusive")


def build_index(reports: Path | None = None) -> str:
    reports = reports or paths.study_reports_dir()
    stems = sorted({p.stem for p in (reports / "html").glob("*.html")} |
                   {p.stem for p in (reports / "results").glob("*.json")})
    results = {}
    for s in stems:
        p = reports / "results" / f"{s}.json"
        if p.exists():
            results[s] = json.loads(p.read_text(encoding="utf-8"))
    e = html.escape
    parts = ["<!doctype html><html><head><meta charset='utf-8'><title>Test-time scaling and token budget: "
             "the study</title>", f"<style>{CSS}</style></head><body>",
             "<h1>How does test-time scaling relate to token budget in agentic deep research?</h1>",
             "<p>Each notebook states a claim, tests its statistics on simulated ground truth, confronts "
             "published and logged data, and computes a verdict. Rebuild with <code>make all</code>.</p>"]
    synth = next((r for s, r in results.items() if r.get("claim") == "synthesis"), None)
    if synth and synth.get("metrics", {}).get("verdicts"):
        parts.append("<h2>What the study finds</h2><table><tr><th>claim</th><th>headline</th><th>measured</th>"
                     "<th>verdict</th><th>flips when</th></tr>")
        for v in synth["metrics"]["verdicts"]:
            parts.append(f"<tr><td>{e(str(v.get('claim')))}</td><td>{e(str(v.get('headline')))}</td>"
                         f"<td>{e(str(v.get('measured')))}</td><td class='v {_vclass(v.get('verdict'))}'>"
                         f"{e(str(v.get('verdict')))}</td><td>{e(str(v.get('flips_when')))}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Notebooks</h2><table><tr><th>notebook</th><th>verdict</th><th>summary</th></tr>")
    for s in stems:
        link = f"<a href='html/{e(s)}.html'>{e(s)}</a>" if (reports / "html" / f"{s}.html").exists() else e(s)
        r = results.get(s)
        if r is None:
            parts.append(f"<tr><td>{link}</td><td class='v inconclusive'>-</td><td>no results (did it run?)</td></tr>")
            continue
        quick = " <em>(quick mode)</em>" if r.get("parameters", {}).get("quick") else ""
        parts.append(f"<tr><td>{link}</td><td class='v {_vclass(r.get('verdict'))}'>{e(r.get('verdict', ''))}</td>"
                     f"<td>{e(r.get('summary', ''))}{quick}</td></tr>")
    parts.append("</table></body></html>\n")
    return "\n".join(parts)


def main() -> int:
    out = paths.study_reports_dir() / "index.html"
    atomic_write_text(out, build_index())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

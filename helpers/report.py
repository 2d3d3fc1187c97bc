"""``reports/index.html``: the study's answer first, then one row per notebook.

The top box gives the overall answer from the synthesis results
(``reports/results/06_synthesis.json``: its verdict, summary and closing sentence).
Then one row per notebook: a thumbnail of its key figure, its readable title
(the notebook's first heading), the verdict (none for the overview and the
planner, which judge no claim), the computed summary and a link to its reader
page (``reports/html/<stem>.html``). The synthesis' verdict table follows, and
the page ends with the commit the pages were built from. A notebook without a
results file is listed as "no results (did it run?)".
Run as ``python -m helpers.report``.
"""
from __future__ import annotations

import html
import json
from pathlib import Path

from . import paths
from .pages import NO_CLAIM, VERDICT_CLASS, build_commit, key_figure, load_results, title_of
from .results import atomic_write_text

CSS = """body{font:15px/1.45 system-ui,sans-serif;max-width:1060px;margin:1.2em auto;padding:0 1em;color:#222}
h1{font-size:26px;margin:.2em 0 .5em}h2{font-size:19px;margin:1.4em 0 .4em}
table{border-collapse:collapse;width:100%;margin:.6em 0}th,td{border-bottom:1px solid #ddd;padding:.5em;
text-align:left;vertical-align:top}th{background:#f4f4f4;font-size:13px}
.v{font-weight:600;white-space:nowrap}.supported{color:#1a7f37}.partly{color:#9a6700}.not{color:#cf222e}
.inconclusive{color:#57606a}.none{color:#57606a;font-weight:400;font-style:italic}
code{background:#f4f4f4;padding:0 .2em}a{color:#0b5cad}
.answer{border:1px solid #d0d7de;border-left:6px solid #8c959f;border-radius:6px;background:#f6f8fa;
padding:12px 18px;margin:0 0 1em}.answer .label{font-size:21px;margin:0 0 6px}
.answer:has(.supported){border-left-color:#1a7f37}.answer:has(.partly){border-left-color:#bf8700}
.answer:has(.not){border-left-color:#cf222e}.answer p{margin:.35em 0}
.rows td.thumb{width:200px}.rows img{width:190px;height:auto;border:1px solid #e3e3e3;background:#fff}
.rows .title{font-weight:600;font-size:16px}.rows .stem{color:#57606a;font-size:12px}
.rows .summary{font-size:14px;color:#333;margin-top:.3em}.note{color:#9a6700;font-size:13px}
details>summary{cursor:pointer;color:#0b5cad}.detail td{font-size:13px}
footer{margin-top:2em;color:#57606a;font-size:13px;border-top:1px solid #ddd;padding-top:.6em}"""

OVERVIEW_TITLE = "Overview: the question, the five claims and the data"


def _vclass(v: str | None) -> str:
    return VERDICT_CLASS.get(v or "", "inconclusive")


def _title(stem: str, reports: Path, results: dict | None) -> tuple[str, dict | None]:
    nb = None
    for p in (reports / "notebooks" / f"{stem}.ipynb", paths.NOTEBOOKS / f"{stem}.ipynb"):
        if p.exists():
            nb = json.loads(p.read_text(encoding="utf-8"))
            break
    if (results or {}).get("claim") == "overview" or stem.startswith("00_"):
        return OVERVIEW_TITLE, nb
    return (title_of(nb) if nb else None) or stem, nb


def build_index(reports: Path | None = None, commit: str | None = None) -> str:
    reports = reports or paths.study_reports_dir()
    stems = sorted({p.stem for p in (reports / "html").glob("*.html")} |
                   {p.stem for p in (reports / "results").glob("*.json")})
    results = {s: load_results(s, reports) for s in stems}
    e = html.escape
    parts = ["<!doctype html><html lang='en'><head><meta charset='utf-8'>"
             "<meta name='viewport' content='width=device-width, initial-scale=1'><link rel='icon' href='data:,'>"
             "<title>Test-time scaling and token budget: the study</title>", f"<style>{CSS}</style></head><body>",
             "<h1>How does test-time scaling relate to token budget in agentic deep research?</h1>"]
    synth_stem = next((s for s, r in results.items() if (r or {}).get("claim") == "synthesis"), None)
    synth = results.get(synth_stem) if synth_stem else None
    if synth:
        answer = (synth.get("metrics") or {}).get("answer") or []
        closing = next((a for a in reversed(answer) if isinstance(a, str) and a.startswith("In sum")), None)
        link = f" <a href='html/{e(synth_stem)}.html'>the synthesis &rarr;</a>"
        quick = " <span class='note'>(quick mode: not the study's numbers)</span>" if \
            (synth.get("parameters") or {}).get("quick") else ""
        parts.append(f"<section id='verdict' class='answer'><p class='label'>The study's answer: "
                     f"<strong class='{_vclass(synth.get('verdict'))}'>{e(str(synth.get('verdict')))}</strong>"
                     f"{quick}</p><p>{e(str(synth.get('summary', '')))}</p>"
                     + (f"<p>{e(closing)}</p>" if closing else "") + f"<p>{link}</p></section>")
    else:
        parts.append("<section id='verdict' class='answer'><p class='label'>No answer yet</p><p>The synthesis "
                     "has not run: <code>make all</code> runs every notebook and writes this page.</p></section>")
    parts.append("<h2>The notebooks</h2><table class='rows'><tr><th>key figure</th><th>notebook</th>"
                 "<th>verdict</th></tr>")
    for s in stems:
        r = results.get(s)
        title, nb = _title(s, reports, r)
        page = (reports / "html" / f"{s}.html").exists()
        href = f"html/{e(s)}.html"
        fig = key_figure(s, nb, r, reports)
        thumb = (f"<a href='{href}'><img src='figures/{e(fig.name)}' alt='key figure of {e(s)}' loading='lazy'></a>"
                 if fig is not None and page else "")
        name = f"<a href='{href}'>{e(title)}</a>" if page else e(title)
        if r is None:
            verdict, summary = "<td class='v inconclusive'>-</td>", "no results (did it run?)"
        else:
            if r.get("claim") in NO_CLAIM or r.get("verdict") is None:
                verdict = "<td class='v none'>no claim judged</td>"
            else:
                verdict = f"<td class='v {_vclass(r.get('verdict'))}'>{e(str(r.get('verdict')))}</td>"
            summary = e(str(r.get("summary", "")))
            if (r.get("parameters") or {}).get("quick"):
                summary += " <span class='note'>(quick mode)</span>"
            if r.get("verdict_scope") == "user":
                summary += " <span class='note'>(verdict on your data)</span>"
        parts.append(f"<tr><td class='thumb'>{thumb}</td><td><div class='title'>{name}</div>"
                     f"<div class='stem'>{e(s)}</div><div class='summary'>{summary}</div></td>{verdict}</tr>")
    parts.append("</table>")
    if synth and (synth.get("metrics") or {}).get("verdicts"):
        parts.append("<h2>What the study finds, claim by claim</h2><details open><summary>the synthesis' verdict "
                     "table</summary><table class='detail'><tr><th>claim</th><th>headline</th><th>measured</th>"
                     "<th>verdict</th><th>flips when</th></tr>")
        for v in synth["metrics"]["verdicts"]:
            parts.append(f"<tr><td>{e(str(v.get('claim')))}</td><td>{e(str(v.get('headline')))}</td>"
                         f"<td>{e(str(v.get('measured')))}</td><td class='v {_vclass(v.get('verdict'))}'>"
                         f"{e(str(v.get('verdict')))}</td><td>{e(str(v.get('flips_when')))}</td></tr>")
        parts.append("</table></details>")
    parts.append(f"<footer>Built by <code>make all</code> from commit <code>{e(commit or build_commit())}</code> "
                 "(<code>+</code>: with uncommitted changes). Every number on these pages is computed by the "
                 "notebooks; figures are in <code>figures/</code>, results files in <code>results/</code>."
                 "</footer></body></html>\n")
    return "\n".join(parts)


def main() -> int:
    out = paths.study_reports_dir() / "index.html"
    atomic_write_text(out, build_index())
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

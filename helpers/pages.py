"""The reader's page of one executed notebook: ``reports/html/<stem>.html``.

A page opens on a verdict box built from the notebook's results file
(``reports/results/<stem>.json``): the verdict, the computed one-sentence
summary, whether it judges the study's data or the user's (``verdict_scope``),
the rule that produced it (``metrics.rule``) and its robustness
(``metrics.robustness``: "k of K specifications agree") when the notebook
records them, and the key figure (``key_figure`` in the results or its metrics,
else the first figure the notebook saved). The overview and the planner judge
no claim and show no verdict. The notebook follows: narrative, figures and
tables, with each code cell folded behind a "code" toggle.

Nothing on a page is fetched from the network: the JupyterLab CSS is inlined,
figures are embedded as data, the require.js / MathJax CDN scripts of
nbconvert's template are dropped, and the notebook's TeX (``$...$`` and
``$$...$$`` in markdown) is typeset ahead of time by matplotlib's mathtext into
inline SVG, so math reads the same offline, without JavaScript.

Run as ``python -m helpers.pages reports/notebooks/<stem>.ipynb reports/html/<stem>.html``.
"""
from __future__ import annotations

import base64
import copy
import functools
import html
import io
import json
import math
import re
import subprocess
import sys
from pathlib import Path
from typing import Any, Mapping

from . import paths

NO_CLAIM = ("overview", "budget_planner")
VERDICT_CLASS = {"supported": "supported", "partly supported": "partly", "not supported": "not",
                 "inconclusive": "inconclusive"}
# what would make a browser fetch from the network (links a reader may click are not fetches):
# src of embedded elements, href of <link>, CSS url(), JS module imports
EXTERNAL = re.compile(
    r"""(?:<(?:script|img|iframe|source|video|audio|embed|input)\b[^>]*?\ssrc\s*=\s*["']?"""
    r"""|<link\b[^>]*?\shref\s*=\s*["']?|url\(\s*["']?|\bfrom\s+["']|\bimport\(\s*["'])"""
    r"""((?:https?:)?//[^"')\s>]+)""", re.I)
SAVE_FIGURE = re.compile(r"""save_figure\(\s*[A-Za-z_][A-Za-z_0-9]*\s*,\s*["']([^"']+)["']""")

# ------------------------------------------------------------------ results


def load_results(stem: str, reports: Path | None = None) -> dict | None:
    """The notebook's results file, or None when it did not write one."""
    p = (reports or paths.study_reports_dir()) / "results" / f"{stem}.json"
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def as_number(x: Any) -> float | None:
    """A results value as a float: "inf"/"-inf" are infinite (contract section 3), None stays None."""
    if x is None:
        return None
    if isinstance(x, str):
        if x in ("inf", "+inf", "-inf"):
            return math.inf if not x.startswith("-") else -math.inf
        try:
            return float(x)
        except ValueError:
            return None
    if isinstance(x, bool):
        return float(x)
    if isinstance(x, (int, float)):
        return float(x)
    return None


def title_of(nb: Mapping) -> str | None:
    """The first markdown heading of a notebook, without the leading #'s and markup."""
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        for line in _source(cell).splitlines():
            m = re.match(r"\s*#{1,3}\s+(.+)", line)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return None


def saved_figures(nb: Mapping) -> list[str]:
    """Names of the figures a notebook saves, in the order its code saves them."""
    names: list[str] = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code":
            for name in SAVE_FIGURE.findall(_source(cell)):
                if name not in names:
                    names.append(name)
    return names


def key_figure(stem: str, nb: Mapping | None, results: Mapping | None,
               reports: Path | None = None) -> Path | None:
    """The PNG that stands for a notebook: named in its results, else the first one it saved."""
    figures = (reports or paths.study_reports_dir()) / "figures"
    wanted: list[str] = []
    for d in (results or {}, (results or {}).get("metrics") or {}):
        v = d.get("key_figure") if isinstance(d, Mapping) else None
        if isinstance(v, str) and v:
            wanted.append(Path(v).stem)
    if nb is not None:
        wanted += saved_figures(nb)
    wanted += sorted(p.stem for p in figures.glob(f"{stem}_*.png"))
    for name in wanted:
        p = figures / f"{name}.png"
        if p.exists():
            return p
    return None


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
        from .verdicts import flips_text  # the choices that flip it, in words (as in the synthesis)

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


def build_commit() -> str:
    """The commit the pages are built from (``+`` when the work tree has uncommitted changes)."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short=10", "HEAD"], cwd=paths.ROOT, check=True,
                             capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=paths.ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
        return sha + ("+" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


# ------------------------------------------------------------------ math


TEX_FIXES = ((r"\bigg", ""), (r"\Bigg", ""), (r"\big", ""), (r"\Big", ""),
             (r"\ge ", r"\geq "), (r"\le ", r"\leq "), (r"\ne ", r"\neq "))
MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<![\s\\])\$(?!\d)", re.S)


@functools.lru_cache(maxsize=512)
def tex_to_svg(tex: str, display: bool = False, size: float = 15.0) -> str | None:
    """TeX typeset by matplotlib's mathtext as an inline ``<img>`` (SVG data); None if mathtext fails."""
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    src = " ".join(tex.split())
    for a, b in TEX_FIXES:
        src = src.replace(a, b)
    src = src.replace(r"\ge$", r"\geq$")
    if src.endswith(r"\ge"):
        src = src[:-3] + r"\geq"
    prop = FontProperties(size=size * (1.1 if display else 1.0))
    try:
        parsed = MathTextParser("path").parse(f"${src}$", dpi=72, prop=prop)
        width, height, depth = parsed.width, parsed.height, parsed.depth
        fig = Figure(figsize=(width / 72, height / 72), dpi=72)
        fig.text(0, depth / height, f"${src}$", fontproperties=prop)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", transparent=True, metadata={"Date": None, "Creator": None})
    except Exception:  # mathtext does not know every TeX command: the caller falls back to the source
        return None
    svg = re.sub(r"<\?xml[^>]*>|<!DOCTYPE[^>]*>", "", buf.getvalue()).strip()
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(tex.strip(), quote=True)
    style = f"height:{height:.1f}px;vertical-align:{-depth:.1f}px"
    cls = "math display" if display else "math"
    return f'<img class="{cls}" src="{uri}" alt="{alt}" style="{style}">'


def typeset_markdown(text: str) -> str:
    """Replace ``$...$`` / ``$$...$$`` in markdown (outside code) by typeset SVG images."""
    out = []
    for i, chunk in enumerate(re.split(r"(```.*?```|`[^`\n]*`)", text, flags=re.S)):
        if i % 2:  # code span or fence: left alone
            out.append(chunk)
            continue

        def repl(m: re.Match) -> str:
            display = m.group(1) is not None
            tex = m.group(1) if display else m.group(2)
            img = tex_to_svg(tex, display)
            if img is None:
                return f"<code class='tex'>{html.escape(tex.strip())}</code>"
            return f"\n\n<div class='math-display'>{img}</div>\n\n" if display else img

        out.append(MATH.sub(repl, chunk))
    return "".join(out)


# ------------------------------------------------------------------ page

TEMPLATE = r"""{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}<link rel="icon" href="data:,"><style>{{ resources.reader_css }}</style>{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="reader-nav"><a href="../index.html">&larr; all notebooks</a>
<span class="reader-meta">built from commit <code>{{ resources.commit }}</code> &middot;
<button type="button" id="toggle-code" onclick="toggleCode()">show all code</button></span></nav>
{{ resources.verdict_box }}
{%- endblock body_header -%}
{% block input_group -%}
{%- if cell.metadata.get('tags') and 'parameters' in cell.metadata.get('tags') -%}
{%- set label = 'parameters (code)' -%}
{%- elif cell.metadata.get('tags') and 'injected-parameters' in cell.metadata.get('tags') -%}
{%- set label = 'parameters given for this run (code)' -%}
{%- else -%}
{%- set label = 'code' -%}
{%- endif -%}
<details class="code-fold"><summary>{{ label }}</summary>
{{ super() }}
</details>
{%- endblock input_group %}
{% block footer_js %}
<script>
function toggleCode() {
  const all = document.querySelectorAll('details.code-fold');
  const open = Array.from(all).some(d => !d.open);
  all.forEach(d => { d.open = open; });
  document.getElementById('toggle-code').textContent = open ? 'fold all code' : 'show all code';
}
</script>
{% endblock footer_js %}
"""

READER_CSS = """
body.jp-Notebook{max-width:1020px;margin:0 auto;padding:0 12px 48px}
.reader-nav{display:flex;justify-content:space-between;align-items:center;font:14px system-ui,sans-serif;
  padding:10px 4px;border-bottom:1px solid #e3e3e3;margin-bottom:10px}
.reader-nav a{color:#0b5cad;text-decoration:none}.reader-meta{color:#555}
.reader-nav button{font:13px system-ui,sans-serif;padding:2px 8px;cursor:pointer}
.verdict-box{display:flex;gap:18px;align-items:flex-start;border:1px solid #d0d7de;border-left:6px solid #8c959f;
  border-radius:6px;background:#f6f8fa;padding:14px 18px;margin:6px 0 18px;font:15px/1.45 system-ui,sans-serif}
.verdict-box .verdict-text{flex:1 1 55%;min-width:0}
.verdict-box .verdict-label{font-size:20px;margin:0 0 6px}
.verdict-box .verdict-title{font-size:13px;color:#57606a;margin:0 0 4px;font-weight:600}
.verdict-box .verdict-summary{margin:0 0 8px}
.verdict-facts{list-style:none;padding:0;margin:0;font-size:14px;color:#333}
.verdict-facts li{margin:3px 0}.verdict-facts span{display:inline-block;min-width:88px;color:#57606a;
  font-variant:small-caps;font-weight:600}
.verdict-figure{flex:0 1 42%;margin:0}.verdict-figure img{max-width:100%;height:auto;border:1px solid #e3e3e3;
  background:#fff}.verdict-figure figcaption{font-size:12px;color:#57606a}
.verdict-box:has(.supported){border-left-color:#1a7f37}.verdict-box:has(.partly){border-left-color:#bf8700}
.verdict-box:has(.not){border-left-color:#cf222e}
.verdict-label.supported strong{color:#1a7f37}.verdict-label.partly strong{color:#9a6700}
.verdict-label.not strong{color:#cf222e}.verdict-label.inconclusive strong{color:#57606a}
.verdict-label.neutral{color:#333}.verdict-label .no-claim{font-size:14px;color:#57606a}
@media (max-width:760px){.verdict-box{flex-direction:column}.verdict-figure{flex-basis:auto}}
details.code-fold>summary{cursor:pointer;color:#57606a;font:12px system-ui,sans-serif;padding:1px 4px;
  list-style-position:inside;user-select:none}
details.code-fold>summary:hover{color:#0b5cad}
details.code-fold[open]>summary{margin-bottom:2px}
.jp-InputPrompt,.jp-OutputPrompt,.jp-InputArea-prompt,.jp-OutputArea-prompt{display:none !important}
.jp-Cell-inputWrapper .jp-InputArea,.jp-OutputArea-child{display:block}
.jp-RenderedHTMLCommon table{font-variant-numeric:tabular-nums;font-size:13px}
.jp-OutputArea-output{overflow-x:auto}
.jp-RenderedImage img{max-width:100%;height:auto}
img.math{display:inline-block;margin:0 1px}
.math-display{text-align:center;margin:.6em 0;overflow-x:auto}
code.tex{background:#f4f4f4}
"""


def reader_notebook(nb):
    """A copy of the executed notebook ready for the reader: math typeset, no prompts to show."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = typeset_markdown(cell.source)
    return nb


def render_page(executed: Path, out: Path, reports: Path | None = None) -> Path:
    """Write the reader's page of one executed notebook (atomically)."""
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    from .results import atomic_write_text

    executed, out = Path(executed), Path(out)
    stem = executed.stem
    nb = nbformat.read(executed, as_version=4)
    results = load_results(stem, reports)
    figure = key_figure(stem, nb, results, reports)
    exporter = HTMLExporter(template_name="lab", extra_loaders=[jinja2.DictLoader({"reader.html.j2": TEMPLATE})],
                            template_file="reader.html.j2")
    title = title_of(nb) or stem
    nb.metadata["title"] = f"{title} ({stem})"
    resources = {"reader_css": READER_CSS, "commit": build_commit(),
                 "verdict_box": verdict_box(stem, results, figure, title=title), "metadata": {"name": stem}}
    body, _ = exporter.from_notebook_node(reader_notebook(nb), resources=resources)
    external = EXTERNAL.findall(body)
    if external:
        raise RuntimeError(f"{out.name} would load {external[0]} from the network")
    atomic_write_text(out, body)
    return out


def _source(cell: Mapping) -> str:
    s = cell.get("source", "")
    return "".join(s) if isinstance(s, list) else s


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m helpers.pages EXECUTED.ipynb OUT.html", file=sys.stderr)
        return 2
    render_page(Path(argv[0]), Path(argv[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

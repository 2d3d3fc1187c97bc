"""The reader's page of one executed notebook: code folded, verdict box on top, nothing fetched.

``reports/html/<stem>.html`` from nbconvert's lab template: the verdict box first, each code cell folded
behind a "code" toggle, the CSS inlined, figures embedded and math typeset; a page that would fetch
anything from the network is an error (``EXTERNAL``).
"""
from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

from .box import verdict_box
from .notebook import build_commit, key_figure, load_results, title_of
from .typeset import typeset_markdown


# what would make a browser fetch from the network (links a reader may click are not fetches):
# src of embedded elements, href of <link>, CSS url(), JS module imports
EXTERNAL = re.compile(
    r"""(?:<(?:script|img|iframe|source|video|audio|embed|input)\b[^>]*?\ssrc\s*=\s*["']?"""
    r"""|<link\b[^>]*?\shref\s*=\s*["']?|url\(\s*["']?|\bfrom\s+["']|\bimport\(\s*["'])"""
    r"""((?:https?:)?//[^"')\s>]+)""", re.I)


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

    from ..results import atomic_write_text

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


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m helpers.pages EXECUTED.ipynb OUT.html", file=sys.stderr)
        return 2
    render_page(Path(argv[0]), Path(argv[1]))
    return 0

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

Modules
- ``notebook``  what stands for a notebook: its results file, title, saved figures, key figure; the build commit
- ``box``       the verdict box a reader sees first (verdict, summary, scope, rule, robustness, key figure)
- ``typeset``   TeX in markdown typeset ahead of time into inline SVG (matplotlib's mathtext)
- ``render``    the page itself: nbconvert's lab template with code folded, no network fetch (``__main__``)
"""
from .box import NO_CLAIM, VERDICT_CLASS, robustness_text, verdict_box
from .notebook import SAVE_FIGURE, as_number, build_commit, key_figure, load_results, saved_figures, title_of
from .render import EXTERNAL, READER_CSS, TEMPLATE, main, reader_notebook, render_page
from .typeset import MATH, TEX_FIXES, tex_to_svg, typeset_markdown

__all__ = ["EXTERNAL", "MATH", "NO_CLAIM", "READER_CSS", "SAVE_FIGURE", "TEMPLATE", "TEX_FIXES", "VERDICT_CLASS",
           "as_number", "build_commit", "key_figure", "load_results", "main", "reader_notebook", "render_page",
           "robustness_text", "saved_figures", "tex_to_svg", "title_of", "typeset_markdown", "verdict_box"]

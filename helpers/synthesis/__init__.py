"""The synthesis: one verdict table from the claim notebooks' results files, and staleness checks.

Inputs are ``reports/results/0[1-5]_*.json`` (contract section 3). A results file is *stale* when it is
missing, or older than its notebook or any helpers module that notebook imports (``helpers.deps``), or
was written in quick mode: then the synthesis reports it instead of reading its numbers.

For each claim the table gives: the source's headline figure (from ``data/published/headline_figures.csv``),
what the study measured (read from the claim's metrics, with intervals), the claim notebook's verdict, and
the condition under which that verdict flips (also read from the metrics). The extractors are the
only place that knows each claim's metric keys; each is small and tested on the notebooks' real output.

``python -m helpers.synthesis readme`` rewrites the README block between the FINDINGS markers from
``reports/results/06_synthesis.json``.

Modules
- ``inputs``      which results files are fresh (staleness) and reading them
- ``extractors``  per claim: what the study measured, when the verdict flips, the numbers behind the figure
- ``table``       the verdict table: one row per claim, the headline it is judged against, sweep agreement
- ``answer``      the answer to the study's question and the overall verdict, built from the rows
- ``readme``      the README's FINDINGS block and ``python -m helpers.synthesis readme`` (``__main__``)
"""
from .. import deps, paths
from .answer import DENOMINATOR, ROLE, answer, overall_summary, overall_verdict
from .extractors import EXTRACTORS, _generic
from .inputs import CLAIM_STEMS, load_results, staleness
from .readme import BEGIN, END, block_structure, current_block, main, readme_block, replace_block, write_readme
from .table import HEADLINE_ROW, SEED_STATEMENT, headline_text, robustness_text, verdict_rows, with_sweep

__all__ = ["BEGIN", "CLAIM_STEMS", "DENOMINATOR", "END", "EXTRACTORS", "HEADLINE_ROW", "ROLE", "SEED_STATEMENT",
           "answer", "block_structure", "current_block", "headline_text", "load_results", "main",
           "overall_summary", "overall_verdict", "readme_block", "replace_block", "robustness_text", "staleness",
           "verdict_rows", "with_sweep", "write_readme"]

"""The claim helpers the planner composes: the one module of the package that imports them.

The planner has no model of its own; every number comes from a claim package. This module names exactly
which names it uses from each, so a claim package that moves a name changes one import line here:

- claim 1, ``helpers.search_scaling``: ``RSModel`` (the (r, s) task model), ``expansion_path`` (cheapest split);
- claim 2, ``helpers.variance``: ``upgrade_vs_doubling`` (model upgrade against budget doublings);
- claim 3, ``helpers.allocation``: ``REALISTIC_POLICIES``, ``ProbPopulation``, ``run_policies``,
  ``integer_grid``, ``noisy_score``, ``quantile_bins``, ``label_bins``, ``read_problems_csv``;
- claim 4, ``helpers.ceiling``: ``BetaMixture``, ``Selector``, ``mixture_curve``, ``weighted_curve``,
  ``mixture_asymptote``, ``counts_asymptote_terms``, ``catch_up``;
- claim 5, ``helpers.ledger``: ``BASE_PRICES``, ``PriceTable``, ``price_table``, ``price_ledger``,
  ``check_ledger``, ``totals``, ``identity_errors``, ``TOKEN_COLUMNS``, ``COST_COLUMNS``, ``PROMPT_COLUMNS``.
"""
from __future__ import annotations

from ..allocation import (REALISTIC_POLICIES, ProbPopulation, integer_grid, label_bins, noisy_score,  # noqa: F401
                          quantile_bins, read_problems_csv, run_policies)
from ..ceiling import (BetaMixture, Selector, catch_up, counts_asymptote_terms, mixture_asymptote,  # noqa: F401
                       mixture_curve, weighted_curve)
from ..ledger import (BASE_PRICES, COST_COLUMNS, PROMPT_COLUMNS, TOKEN_COLUMNS, PriceTable,  # noqa: F401
                      check_ledger, identity_errors, price_ledger, price_table, totals)
from ..search_scaling import RSModel, expansion_path  # noqa: F401
from ..variance import upgrade_vs_doubling  # noqa: F401

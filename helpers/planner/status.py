"""The planner's status and its recovery checks.

The planner judges no claim (its results carry verdict null). Its status: "meets target" when the
recommendation meets the target (or, with only a cap, is affordable); "no option meets" when none does;
"no target or cap" without either. The recovery checks test that the composition computes what it
claims: conservation of spend, uniform sampling against claim 4's closed form, the ledger's cost identity,
and no cache gap at zero cache shares (``recovery_checks``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from .costs import cost_identity_error, sample_costs, usd_per_sample
from .options import KINDS

if TYPE_CHECKING:
    from .recommend import Plan, PlanInputs


STATUSES = ("meets target", "no option meets", "no target or cap")


def status_of(has_target: bool, has_cap: bool, meets: bool) -> str:
    """The planner judges no claim; its status: "meets target" when the recommendation meets the target (or,
    with only a cap, is affordable); "no option meets" when none does; "no target or cap" without either."""
    if not (has_target or has_cap):
        return "no target or cap"
    return "meets target" if meets else "no option meets"


def recovery_checks(inp: "PlanInputs", p: "Plan") -> dict:
    """Checks that the composition computes what it claims.

    - ``spend_error``: largest |mean spend - budget| over every policy's coarse curve (samples per task;
      conservation: each policy spends the budget it is given), early stopping's saturated budgets excepted
      (every task stops before its cap: the rest of the budget cannot be spent);
    - ``uniform_vs_closed_form``: largest |uniform accuracy on the task population - the kind's claim-4
      curve| at whole budgets, in standard errors (Monte Carlo error only when both describe one workload);
    - ``ledger_cost_identity``: largest |cost - sum of per-type costs| of the sample ledger (USD);
    - ``zero_share_cache_gap_usd``: |cached - uncached price of a sample| with read and write shares 0 (0).
    """
    spend = max(float(np.max(np.abs(cv["spent"] - cv["budget"])[~cv["saturated"]], initial=0.0))
                for cv in p.curves.values())
    zs = {}
    for kind in KINDS:
        cv = p.curves[(kind, "uniform")]
        whole = cv["budget"] == np.floor(cv["budget"])
        exact = inp.workloads[kind].curve(cv["budget"][whole], inp.aggregation, inp.selector)
        se = np.maximum(cv["se"][whole], 1e-12)
        zs[kind] = float(np.max(np.abs(cv["accuracy"][whole] - exact) / se))
    ident = cost_identity_error(inp.costs)
    z0 = sample_costs(inp.prices, inp.tokens, 0.0, 0.0, inp.tokens_per_search_step)
    gap0 = max(abs(usd_per_sample(z0, k, True) - usd_per_sample(z0, k, False)) for k in KINDS)
    return {"spend_error": spend, "uniform_vs_closed_form_z": zs, "ledger_cost_identity": ident,
            "zero_share_cache_gap_usd": gap0}

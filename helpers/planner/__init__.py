"""Budget planner: glue that composes the claim packages into one recommendation for one workload.

The planner holds no model of its own and judges no claim (its results carry verdict null and a status).
Given a target accuracy (or a budget cap per task), the task difficulty for a non-reasoning and a reasoning
model, the prices and the cache-read share, it answers: which model, which allocation policy, how many
samples per task, and what a finished artifact costs. Every number comes from a claim package:

- claim 3 (``allocation``): each option's expected accuracy at a mean budget of B samples per task
  (``run_policies`` on a ``ProbPopulation``), uniform and the realistic adaptive policies, never the oracle;
- claim 5 (``ledger``, ``agent_logs``): the USD of one sample with and without caching, the cache-read share
  measured from logs or given;
- claim 4 (``ceiling``, ``sampling``): whether repeated sampling with the non-reasoning model can reach the
  target (``catch_up``) and the uniform closed-form curves;
- claim 1 (``search_scaling``): the cheapest split of one attempt between reasoning tokens and search steps;
- claim 2 (``variance``): how much of the quality comes from budget rather than model choice.

Model: a task has single-sample success p per model kind; an option (model kind x policy) runs at the smallest
mean budget B reaching the target (within the cap); cost per task = B x USD per sample, cost per finished
artifact = cost per task / expected accuracy. The recommendation is the cheapest option per artifact that
meets the target, uniform unless an adaptive policy saves at least ``min_saving``, the reasoning model only
if available; if none meets it, the most accurate option, flagged.

Modules: ``claims`` (the only imports of claim packages), ``options`` (kinds, policies, verifiers),
``workload`` (tasks' p from a Beta mixture or counts), ``costs`` (USD per sample, cache shares),
``evaluate`` (a policy's accuracy and the budget it needs), ``recommend`` (options, pick, target sweep),
``levers`` (claims 1, 2, 4 at the plan), ``status`` (status and recovery checks), ``params`` (the notebook's
schema), ``inputs`` (user files, cache-share source, data sources), ``report`` (tables, sentences, summary,
metrics), ``figures`` (the options figure).
"""
from __future__ import annotations

from . import figures, inputs, params, report  # noqa: F401
from .costs import cache_shares, price_tables, sample_costs, sample_ledger, usd_per_sample  # noqa: F401
from .evaluate import choose_budget, evaluate  # noqa: F401
from .levers import (RS_FIELDS, RS_PRICE_FIELDS, budget_vs_model, claim1_model, quality_split,  # noqa: F401
                     reachability, rs_model_from, search_split)
from .options import (AGGREGATIONS, KINDS, OPTION_KEYS, POLICIES, Z95, perfect, policies_for,  # noqa: F401
                      selector_of)
from .params import SCHEMA, validate_inputs  # noqa: F401
from .recommend import (Plan, PlanInputs, best_adaptive, cost_ratio_vs_reasoning, evaluate_options,  # noqa: F401
                        option_record, options_table, plan, recommend, recommendation_meets, saving, target_sweep)
from .status import STATUSES, recovery_checks, status_of  # noqa: F401
from .workload import (Workload, build_workloads, counts_workload, mixture_workload,  # noqa: F401
                       read_workload_csv)

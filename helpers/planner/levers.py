"""The other claims at the plan: the per-attempt split (claim 1), reachability (claim 4), budget versus model (claim 2).

- Claim 1: the cheapest split of one attempt between reasoning tokens r and search steps s reaching the
  target, ``expansion_path(RSModel(...), [target])``, priced at the planner's prices (reasoning tokens at
  the reasoning model's output price, search context at its effective input price with caching,
  k = ``tokens_per_search_step`` input tokens per step); a user overrides the other ``RSModel`` fields.
- Claim 4: whether uniform repeated sampling with the non-reasoning model can reach the target at all
  (its asymptote under the aggregation) and how many samples it takes (``ceiling.catch_up``).
- Claim 2: quality from budget versus model choice at the recommended budget B (uniform sampling, a
  two-factor Shapley split of A_R(B) - A_NR(1) over the factors model and budget):

      budget part = ½[(A_NR(B) - A_NR(1)) + (A_R(B) - A_R(1))]
      model part  = ½[(A_R(1) - A_NR(1)) + (A_R(B) - A_NR(B))]
      share from budget = |budget| / (|budget| + |model|),

  and ``variance.upgrade_vs_doubling`` calibrated on the planner's uniform accuracies.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import fields
from typing import TYPE_CHECKING, Mapping

import pandas as pd

from ..validate import ParameterError
from . import claims as K
from .costs import prompt_usd
from .evaluate import _rng, evaluate
from .options import KINDS
from .workload import Workload

if TYPE_CHECKING:
    from .recommend import PlanInputs

# RSModel fields a user may override through ``rs_model``; prices and tokens per step come from the planner
RS_PRICE_FIELDS = ("tokens_per_search_step", "price_reasoning_per_mtok", "price_search_per_mtok",
                   "price_per_search_call")
RS_FIELDS = tuple(f.name for f in fields(K.RSModel) if f.name not in RS_PRICE_FIELDS)


def rs_model_from(overrides, **planner_fields) -> K.RSModel:
    """``search_scaling.RSModel`` with the user's ``rs_model`` overrides and the planner's prices.

    Errors name ``rs_model`` and the field (e.g. "parameter 'rs_model': interaction = 2 ...").
    """
    if not isinstance(overrides, Mapping):
        raise ParameterError(f"parameter 'rs_model' must be a dict of RSModel fields, got {overrides!r}")
    bad = sorted(set(map(str, overrides)) - set(RS_FIELDS))
    if bad:
        raise ParameterError(f"parameter 'rs_model': unknown field(s) {bad}; allowed: {list(RS_FIELDS)} "
                             f"(prices and tokens per search step come from the planner's own parameters)")
    for k, x in overrides.items():
        if isinstance(x, bool) or not isinstance(x, numbers.Real):
            raise ParameterError(f"parameter 'rs_model': field {k!r} = {x!r} must be a number")
    kw = {k: (int(x) if k == "quadrature_nodes" and float(x).is_integer() else x) for k, x in overrides.items()}
    try:
        return K.RSModel(**kw, **planner_fields)
    except ParameterError as exc:
        raise ParameterError(f"parameter 'rs_model': {exc}") from None


def claim1_model(overrides, prices: Mapping[str, K.PriceTable], costs: pd.DataFrame,
                 tokens: Mapping[str, tuple[float, float]], tokens_per_search_step: float,
                 usd_per_search_call: float = 0.0) -> K.RSModel:
    """The claim-1 model priced for the reasoning model: reasoning tokens at its output price, search
    context at its effective input price with caching (USD of the cached sample's prompt tokens per
    million prompt tokens; the base input price when a sample has no prompt tokens)."""
    inp_tokens = float(tokens["reasoning"][0])
    p_search = (prompt_usd(costs, "reasoning", True) / inp_tokens * 1e6 if inp_tokens > 0
                else prices["reasoning"].input_usd_per_mtok)
    return rs_model_from(overrides, tokens_per_search_step=float(tokens_per_search_step),
                         price_reasoning_per_mtok=prices["reasoning"].output_usd_per_mtok,
                         price_search_per_mtok=p_search, price_per_search_call=float(usd_per_search_call))


def search_split(model: K.RSModel, target: float, r_max: float = 2.0 ** 20, s_max: float = 2.0 ** 12) -> dict:
    """Claim 1: the cheapest (r, s) for one attempt to reach ``target`` (``expansion_path``)."""
    ep = K.expansion_path(model, [target], r_max, s_max).iloc[0]
    return {"target": float(target), "reachable": bool(ep["reachable"]), "reasoning_tokens": ep["r"],
            "search_steps": ep["s"], "tokens": ep["tokens"], "cost_usd": ep["cost_usd"],
            "search_token_share": ep["search_token_share"], "interior": bool(ep["interior"]),
            "mrs": ep["mrs"], "price_ratio": model.price_ratio, "ceiling": model.ceiling}


def reachability(nr: Workload, target: float, aggregation: str, selector: K.Selector, usd_nr: float,
                 usd_r: float, k_max: int = 10 ** 12) -> dict:
    """Claim 4: can uniform repeated sampling with the non-reasoning model reach ``target``?

    ``ceiling.catch_up`` on the kind's curve; cost ratio = k* x USD per non-reasoning sample over one
    reasoning sample (tokens 1, prices in USD per sample)."""
    lim = nr.asymptote(aggregation, selector)
    cu = K.catch_up(lambda k: nr.curve(k, aggregation, selector), lim, float(target), tokens_nr=1.0, tokens_r=1.0,
                    price_nr=usd_nr, price_r=usd_r, k_max=k_max)
    return {"target": float(target), "asymptote": lim, "reachable": cu["status"] in ("reached",),
            "status": cu["status"], "samples_needed": cu["samples_needed"],
            "cost_ratio_vs_one_reasoning_sample": cu["cost_ratio"]}


def quality_split(acc_nr_1: float, acc_nr_b: float, acc_r_1: float, acc_r_b: float) -> dict:
    """Two-factor (Shapley) split of A_R(B) - A_NR(1) into budget and model parts (module docstring)."""
    budget = 0.5 * ((acc_nr_b - acc_nr_1) + (acc_r_b - acc_r_1))
    model = 0.5 * ((acc_r_1 - acc_nr_1) + (acc_r_b - acc_nr_b))
    den = abs(budget) + abs(model)
    return {"budget_part": budget, "model_part": model, "total": budget + model,
            "share_from_budget": abs(budget) / den if den > 0 else math.nan}


def _logit(x: float, eps: float = 1e-6) -> float:
    x = min(max(float(x), eps), 1 - eps)
    return math.log(x / (1 - x))


def budget_vs_model(inp: "PlanInputs", budget: float) -> dict:
    """Claim 2 at the recommended budget: quality split and ``variance.upgrade_vs_doubling`` calibrated on
    the planner's uniform accuracies (θ = logit A(1) of each kind, β = logit A_NR(2) - logit A_NR(1),
    difficulty spread 0, so the function reproduces the two gains at one sample exactly)."""
    B = max(1.0, float(budget))
    acc = {}
    for ki, kind in enumerate(KINDS):
        e = evaluate(inp.workloads[kind], "uniform", [1.0, 2.0, B], _rng(inp.seed, 9, ki), selector=inp.selector)
        acc[kind] = e["accuracy"]
    split = quality_split(acc["non_reasoning"][0], acc["non_reasoning"][2], acc["reasoning"][0], acc["reasoning"][2])
    th_from, th_to = _logit(acc["non_reasoning"][0]), _logit(acc["reasoning"][0])
    beta = _logit(acc["non_reasoning"][1]) - th_from
    uvd = K.upgrade_vs_doubling(th_from, th_to, beta, 0.0)
    return {"mean_samples": B, **split, "accuracy": {k: {"one_sample": float(v[0]), "two_samples": float(v[1]),
                                                         "at_budget": float(v[2])} for k, v in acc.items()},
            "gain_upgrade": uvd["gain_upgrade"], "gain_doubling": uvd["gain_doubling"],
            "doublings_equivalent": uvd["doublings_equivalent"]}

"""Budget planner: glue that composes the claim notebooks' helpers into one recommendation.

This module holds no model of its own. Every number it produces comes from a claim helper:

- claim 1 (``helpers.search_scaling``): the cheapest split of one attempt between reasoning tokens r
  and search steps s reaching the target, ``expansion_path(RSModel(...), [target])``, priced at the
  planner's prices (reasoning tokens at the reasoning model's output price, search context at its
  effective input price with caching, k = ``tokens_per_search_step`` input tokens per step).
- claim 3 (``helpers.allocation``): for each model kind and each policy (uniform, and the realistic
  adaptive ones ``binned_predicted``, ``probe_then_allocate``, ``early_stop``; never the oracle) the
  expected accuracy at a mean budget of B samples per task, ``run_policies`` on a ``ProbPopulation``.
- claim 4 (``helpers.ceiling``, ``helpers.sampling``): whether repeated sampling with the
  non-reasoning model can reach the target at all (its asymptote under the aggregation) and how many
  samples it takes (``catch_up`` on ``mixture_curve`` or, for per-problem counts, ``weighted_curve``).
- claim 5 (``helpers.tokens``, ``helpers.pricing``, ``helpers.agent_logs``): the price of one sample with and without
  caching, from a four-row token ledger priced by ``price_ledger``; the cache-read share is measured
  from agent logs (``read_logs``) or given.
- claim 2 (``helpers.variance``): how much of the expected quality comes from budget rather than
  from the model choice (``upgrade_vs_doubling``, and a two-factor split of the accuracy gain).

Workload
--------
Each model kind has per-task single-sample success probabilities p_i: drawn from its Beta mixture
(share pi0 never solved, Beta(a, b) on the rest; ``sampling.sample_beta_mixture``) or read from a
per-problem counts CSV (``allocation.read_problems_csv``; p_i = c_i / n_i, the plug-in estimate, which
reads a never-solved problem as unsolvable: use many samples per problem). Costs per sample are
relative (mean 1 over tasks), so a mean budget of B samples per task spends B x the cost of one sample.

Aggregation
-----------
``pass_at_k`` (a perfect verifier) or ``verifier`` with true/false positive rates (tpr, fpr). With a
verifier a policy observes *acceptances*: an attempt is accepted with probability
a_i = p_i·tpr + (1 - p_i)·fpr, so every allocation is computed by the claim-3 policies on the
acceptance population ``ProbPopulation(a)`` (a = p under pass_at_k), and the expected success of the
k_i samples a task receives is ``sampling.verifier_select(p_i, k_i, tpr, fpr)``. For early stopping
(stop at the first accepted attempt, cap K) this is exact: the first accepted attempt is right with
probability p·tpr/a, and if none of K is accepted a random one is submitted, which is what
``verifier_select`` computes; its expected spend is the geometric spend on a. Probe-then-allocate's
success formula assumes a perfect verifier, so it is offered only when tpr = 1 and fpr = 0.

Per option (model kind x policy)
--------------------------------
Target given: the smallest mean budget B >= 1 on ``allocation.integer_grid`` (refined between the
bracketing grid points) whose expected accuracy reaches the target; the cap, when given, is
B_cap = budget_cap_usd / (USD per sample with caching). If the target is not reached within the cap
(or within ``max_samples``) the option runs at the cap (best accuracy under it) and is flagged.
Per task: cost = B·(USD per sample), tokens = B·(input + output tokens per sample), reasoning tokens =
B·(reasoning tokens per sample: the reasoning model's output tokens, 0 for the non-reasoning model),
search steps = B·(input tokens per sample / tokens_per_search_step) (claim 1's accounting). Cost per
finished artifact = cost per task / expected accuracy (an artifact is a task finished correctly).
The accuracy interval is the Monte Carlo (or across-problem) standard error of the mean success,
± z·sd/√N.

Recommendation
--------------
Per model kind, the uniform option unless the best adaptive option meets the target too and saves at
least ``min_saving`` of the cost per artifact (saving = 1 - cpa_adaptive / cpa_uniform); then, among
the available kinds (reasoning only if available) whose pick meets the target, the cheapest per
finished artifact (with caching). If none meets it, the most accurate available option, flagged.
With only a cap, "meets" means affordable (at least one sample per task under the cap).

Quality from budget versus model choice at the recommended budget B (uniform sampling, a two-factor
Shapley split of A_R(B) - A_NR(1) over the factors model and budget):

    budget part = ½[(A_NR(B) - A_NR(1)) + (A_R(B) - A_R(1))]
    model part  = ½[(A_R(1) - A_NR(1)) + (A_R(B) - A_NR(B))]
    share from budget = |budget| / (|budget| + |model|).
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from . import allocation as A
from . import ceiling as C
from . import pricing
from .tokens import COST_COLUMNS, PROMPT_COLUMNS, TOKEN_COLUMNS, check_ledger, identity_errors, totals
from . import sampling, validate
from . import search_scaling as S
from . import variance as V
from .validate import DataError, ParameterError

KINDS = ("non_reasoning", "reasoning")
AGGREGATIONS = ("pass_at_k", "verifier")
POLICIES = ("uniform",) + tuple(A.REALISTIC_POLICIES)
OPTION_KEYS = ("reasoning_tokens", "search_steps", "policy", "model_kind", "expected_accuracy",
               "cost_per_artifact_usd")
# RSModel fields a user may override through ``rs_model``; prices and tokens per step come from the planner
RS_PRICE_FIELDS = ("tokens_per_search_step", "price_reasoning_per_mtok", "price_search_per_mtok",
                   "price_per_search_call")
RS_FIELDS = tuple(f.name for f in fields(S.RSModel) if f.name not in RS_PRICE_FIELDS)
Z95 = 1.959963984540054


# ============================================================================ validation


def _optional(name, value, check):
    return None if value is None else check(name, value)


def validate_inputs(*, target_accuracy, budget_cap_usd, pi0_nr, a_nr, b_nr, pi0_r, a_r, b_r, n_problems,
                    predictor_noise, n_bins, probe_samples, price_provider, input_usd_per_mtok, output_usd_per_mtok,
                    reasoning_price_multiplier, usd_per_search_call, input_tokens_per_sample_nr,
                    output_tokens_per_sample_nr, input_tokens_per_sample_r, output_tokens_per_sample_r,
                    tokens_per_search_step, cache_read_share, cache_write_share, reasoning_model_available,
                    aggregation, verifier_tpr, verifier_fpr, min_saving, max_samples_per_task, rs_model,
                    problems_path=None, logs_path=None) -> dict:
    """Check every planner input; raise ``ParameterError`` naming the parameter. Returns resolved paths.

    Ranges (units): target_accuracy in (0, 1) or None; budget_cap_usd > 0 (USD per task) or None;
    pi0 in [0, 1); a, b in (0, 1000]; n_problems in [50, 200000]; predictor_noise in [0, 50] (logit sd);
    n_bins in [1, 100]; probe_samples in [1, 64]; price_provider a key of ``pricing.BASE_PRICES``; prices
    >= 0 USD per million tokens (output > 0); reasoning_price_multiplier in (0, 1000]; usd_per_search_call
    >= 0; tokens per sample: input >= 0, output > 0 (at most 1e8); tokens_per_search_step > 0;
    cache_read_share and cache_write_share in [0, 1] (cache_read_share None = measured from logs);
    aggregation in ``AGGREGATIONS``; tpr > fpr (verifier); min_saving in [0, 1); max_samples_per_task in
    [1, 100000]; rs_model a dict of ``RS_FIELDS``.
    """
    v = validate
    _optional("target_accuracy", target_accuracy,
              lambda n, x: v.number(n, x, 0.0, 1.0, lo_open=True, hi_open=True))
    _optional("budget_cap_usd", budget_cap_usd, lambda n, x: v.number(n, x, 0.0, 1e9, lo_open=True))
    for name, val in (("pi0_nr", pi0_nr), ("pi0_r", pi0_r)):
        v.probability(name, val, open_high=True)
    for name, val in (("a_nr", a_nr), ("b_nr", b_nr), ("a_r", a_r), ("b_r", b_r)):
        v.number(name, val, 0.0, 1000.0, lo_open=True)
    v.integer("n_problems", n_problems, 50, 200_000)
    v.number("predictor_noise", predictor_noise, 0.0, 50.0)
    v.integer("n_bins", n_bins, 1, 100)
    v.integer("probe_samples", probe_samples, 1, 64)
    v.choice("price_provider", price_provider, sorted(pricing.BASE_PRICES))
    _optional("input_usd_per_mtok", input_usd_per_mtok, lambda n, x: v.number(n, x, 0.0, 1e6))
    _optional("output_usd_per_mtok", output_usd_per_mtok,
              lambda n, x: v.number(n, x, 0.0, 1e6, lo_open=True))
    v.number("reasoning_price_multiplier", reasoning_price_multiplier, 0.0, 1000.0, lo_open=True)
    v.number("usd_per_search_call", usd_per_search_call, 0.0, 1e3)
    for name, val in (("input_tokens_per_sample_nr", input_tokens_per_sample_nr),
                      ("input_tokens_per_sample_r", input_tokens_per_sample_r)):
        v.number(name, val, 0.0, 1e8)
    for name, val in (("output_tokens_per_sample_nr", output_tokens_per_sample_nr),
                      ("output_tokens_per_sample_r", output_tokens_per_sample_r)):
        v.number(name, val, 0.0, 1e8, lo_open=True)
    v.number("tokens_per_search_step", tokens_per_search_step, 0.0, 1e8, lo_open=True)
    _optional("cache_read_share", cache_read_share, v.probability)
    v.probability("cache_write_share", cache_write_share)
    v.boolean("reasoning_model_available", reasoning_model_available)
    v.choice("aggregation", aggregation, AGGREGATIONS)
    v.probability("verifier_tpr", verifier_tpr)
    v.probability("verifier_fpr", verifier_fpr)
    if aggregation == "verifier" and not verifier_tpr > verifier_fpr:
        raise ParameterError(f"parameter 'verifier_fpr' = {verifier_fpr!r} must be below 'verifier_tpr' = "
                             f"{verifier_tpr!r} (a verifier that accepts wrong answers more often than right ones "
                             f"makes more samples worse)")
    v.number("min_saving", min_saving, 0.0, 1.0, hi_open=True)
    v.integer("max_samples_per_task", max_samples_per_task, 1, 100_000)
    rs_model_from(rs_model, tokens_per_search_step=float(tokens_per_search_step))
    prob = v.optional_file("problems_path", problems_path)
    if prob is not None and not prob.is_file():
        raise ParameterError(f"parameter 'problems_path': {prob} is a folder, not a CSV file")
    logs = v.optional_file("logs_path", logs_path)
    if logs is not None and cache_read_share is not None:
        raise ParameterError("parameters 'cache_read_share' and 'logs_path' are both set: give the measured share "
                             "or the logs to measure it from, not both")
    return {"problems_path": prob, "logs_path": logs}


def rs_model_from(overrides, **planner_fields) -> S.RSModel:
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
        return S.RSModel(**kw, **planner_fields)
    except ParameterError as exc:
        raise ParameterError(f"parameter 'rs_model': {exc}") from None


def claim1_model(overrides, prices: Mapping[str, pricing.PriceTable], costs: pd.DataFrame,
                 tokens: Mapping[str, tuple[float, float]], tokens_per_search_step: float,
                 usd_per_search_call: float = 0.0) -> S.RSModel:
    """The claim-1 model priced for the reasoning model: reasoning tokens at its output price, search
    context at its effective input price with caching (USD of the cached sample's prompt tokens per
    million prompt tokens; the base input price when a sample has no prompt tokens)."""
    row = costs[(costs["model"] == "reasoning") & costs["caching"]].iloc[0]
    inp_tokens = float(tokens["reasoning"][0])
    prompt_usd = sum(float(row[COST_COLUMNS[c]]) for c in PROMPT_COLUMNS)
    p_search = prompt_usd / inp_tokens * 1e6 if inp_tokens > 0 else prices["reasoning"].input_usd_per_mtok
    return rs_model_from(overrides, tokens_per_search_step=float(tokens_per_search_step),
                         price_reasoning_per_mtok=prices["reasoning"].output_usd_per_mtok,
                         price_search_per_mtok=p_search, price_per_search_call=float(usd_per_search_call))


# ============================================================================ workloads


@dataclass
class Workload:
    """One model kind's tasks: single-sample success p (N,), relative cost per sample (mean 1), bins."""
    kind: str
    p: np.ndarray
    cost: np.ndarray
    bins: np.ndarray
    source: str                          # "beta_mixture" or "problems_path"
    mixture: C.BetaMixture | None = None
    n: np.ndarray | None = None          # per-problem samples and correct counts (problems_path)
    c: np.ndarray | None = None
    predictor: str = ""

    @property
    def n_problems(self) -> int:
        return int(self.p.size)

    @property
    def single_sample_accuracy(self) -> float:
        return float(self.mixture.mean) if self.mixture is not None else float(self.p.mean())

    def curve(self, k, aggregation: str, selector: C.Selector) -> np.ndarray:
        """Uniform k-sample accuracy (claim 4): exact for a mixture, plug-in over problems for counts."""
        agg = "pass_at_k" if aggregation == "pass_at_k" else "verifier"
        if self.mixture is not None:
            return C.mixture_curve(self.mixture, agg, k, selector)
        return C.weighted_curve(self.p, np.full(self.p.size, 1.0 / self.p.size), agg, k, selector)

    def asymptote(self, aggregation: str, selector: C.Selector) -> float:
        agg = "pass_at_k" if aggregation == "pass_at_k" else "verifier"
        if self.mixture is not None:
            return float(C.mixture_asymptote(self.mixture.pi0, self.mixture.a, self.mixture.b, agg, selector))
        return float(np.mean(C.counts_asymptote_terms(self.n, self.c, agg, selector)))


def _bins_from_score(p, predictor_noise, n_bins, rng, floor=1e-3):
    score = A.noisy_score(p, predictor_noise, rng, floor)
    return A.quantile_bins(score, n_bins, rng)


def mixture_workload(kind: str, pi0: float, a: float, b: float, n_problems: int, rng: np.random.Generator, *,
                     predictor_noise: float, n_bins: int) -> Workload:
    """Tasks drawn from a Beta mixture (``ceiling.BetaMixture.sample``), binned by a noisy predictor."""
    mix = C.BetaMixture(float(pi0), float(a), float(b))
    p = mix.sample(int(n_problems), rng)
    bins = _bins_from_score(p, predictor_noise, n_bins, rng)
    return Workload(kind, p, np.ones(p.size), bins, "beta_mixture", mixture=mix,
                    predictor=f"noisy logit(p), sd {predictor_noise:g}")


def read_workload_csv(path) -> dict[str, pd.DataFrame]:
    """A per-problem counts CSV (``allocation.read_problems_csv``, the format notebook 03 reads) by model kind.

    Every file notebook 03 accepts is accepted here. The kind of each row comes from the optional ``kind``
    column (``non_reasoning`` or ``reasoning``); else from ``model`` when every model value is a kind name
    (the planner's older convention); else every row describes the non-reasoning model (with a warning
    when the file holds several models: add a ``kind`` column to tell them apart).
    """
    import warnings

    p = Path(path)
    frame = A.read_problems_csv(p)
    if (frame["kind"] != "").all():
        kinds = frame["kind"]
    elif frame["model"].isin(KINDS).all():
        kinds = frame["model"]
    else:
        if frame["model"].nunique() > 1:
            warnings.warn(f"{p}: {frame['model'].nunique()} models and no 'kind' column: every row is read as "
                          f"the non-reasoning workload (add a column kind = non_reasoning|reasoning)", stacklevel=2)
        kinds = pd.Series("non_reasoning", index=frame.index)
    return {k: g.reset_index(drop=True) for k, g in frame.groupby(kinds, sort=True)}


def counts_workload(kind: str, frame: pd.DataFrame, rng: np.random.Generator, *, predictor_noise: float,
                    n_bins: int) -> Workload:
    """Tasks from per-problem counts: p = c/n (plug-in); costs rescaled to mean 1; bins from the
    difficulty_label column when every row has one, else from a noisy predictor of c/n (as in notebook 03)."""
    n = frame["n_samples"].to_numpy(float)
    c = frame["n_correct"].to_numpy(float)
    cost = frame["cost"].to_numpy(float)
    cost = cost / cost.mean()
    p = c / n
    labels = frame["difficulty_label"].astype(str)
    if (labels != "").all() and labels.nunique() > 1:
        bins, desc = A.label_bins(labels.to_numpy()), "difficulty label"
    else:
        bins = _bins_from_score(p, predictor_noise, min(n_bins, p.size), rng, max(1e-3, 0.5 / n.min()))
        desc = f"noisy logit(c/n), sd {predictor_noise:g}"
    return Workload(kind, p, cost, bins, "problems_path", n=n, c=c, predictor=desc)


def build_workloads(mixtures: Mapping[str, tuple[float, float, float]], frames: Mapping[str, pd.DataFrame] | None,
                    n_problems: int, rng: np.random.Generator, *, predictor_noise: float,
                    n_bins: int) -> dict[str, Workload]:
    """Per kind: the counts of ``frames`` (from ``read_workload_csv``) when present, else the Beta mixture
    ``mixtures[kind] = (pi0, a, b)`` with ``n_problems`` tasks. Kinds are built in ``KINDS`` order."""
    out = {}
    for kind in KINDS:
        if frames and kind in frames:
            out[kind] = counts_workload(kind, frames[kind], rng, predictor_noise=predictor_noise, n_bins=n_bins)
        else:
            pi0, a, b = mixtures[kind]
            out[kind] = mixture_workload(kind, pi0, a, b, n_problems, rng, predictor_noise=predictor_noise,
                                         n_bins=n_bins)
    return out


# ============================================================================ prices and caching


def price_tables(provider: str, input_usd_per_mtok=None, output_usd_per_mtok=None,
                 reasoning_price_multiplier: float = 1.0) -> dict[str, pricing.PriceTable]:
    """Per kind: the provider's prices (``pricing.price_table`` with overrides); the reasoning model pays
    ``reasoning_price_multiplier`` times the non-reasoning model's input and output prices."""
    nr = pricing.price_table(provider, input_usd_per_mtok=input_usd_per_mtok, output_usd_per_mtok=output_usd_per_mtok,
                       model="non_reasoning")
    r = pricing.price_table(provider, input_usd_per_mtok=nr.input_usd_per_mtok * reasoning_price_multiplier,
                      output_usd_per_mtok=nr.output_usd_per_mtok * reasoning_price_multiplier, model="reasoning")
    return {"non_reasoning": nr, "reasoning": r}


def cache_shares(led: pd.DataFrame, provider: str | None = None) -> dict:
    """Cache-read share of prompt tokens and cache-write share of the other prompt tokens, from a ledger
    (``tokens.totals``); the rows of ``provider`` when the ledger has any, else all rows."""
    check_ledger(led)
    part = led
    if provider is not None and "provider" in led and (led["provider"] == provider).any():
        part = led[led["provider"] == provider]
    t = totals(part)
    prompt = t["uncached_input"] + t["cache_write"] + t["cache_read"]
    rest = t["uncached_input"] + t["cache_write"]
    return {"cache_read_share": t["cache_read_share_prompt"] if prompt else 0.0,
            "cache_write_share": t["cache_write"] / rest if rest else 0.0,
            "calls": int(len(part)), "rows_of_provider": part is not led}


def sample_ledger(tokens: Mapping[str, tuple[float, float]], read_share: float, write_share: float) -> pd.DataFrame:
    """One ledger row per (kind, caching): the token columns of one sample.

    ``tokens``: kind -> (input, output) tokens per sample. Without caching every input token is uncached;
    with caching a share ``read_share`` is read from the cache, a share ``write_share`` of the rest is
    written (5-minute tier) and the remainder is uncached. Token counts are rounded to whole tokens.
    """
    rows = []
    for kind, (inp, out) in tokens.items():
        I, O = int(round(inp)), int(round(out))
        read = int(round(read_share * I))
        write = int(round(write_share * (I - read)))
        for cached in (False, True):
            rows.append({"model": kind, "caching": cached,
                         "uncached_input": (I - read - write) if cached else I,
                         "cache_write_5m": write if cached else 0, "cache_write_1h": 0,
                         "cache_read": read if cached else 0, "output": O})
    df = pd.DataFrame(rows)
    return df.astype({c: "int64" for c in TOKEN_COLUMNS})


def sample_costs(prices: Mapping[str, pricing.PriceTable], tokens: Mapping[str, tuple[float, float]],
                 read_share: float, write_share: float, tokens_per_search_step: float,
                 usd_per_search_call: float = 0.0) -> pd.DataFrame:
    """USD per sample of each kind with and without caching (``pricing.price_ledger``), plus search-call
    fees (search steps per sample = input tokens / tokens_per_search_step, as in claim 1)."""
    led = sample_ledger(tokens, read_share, write_share)
    priced = pricing.price_ledger(led, dict(prices))
    steps = np.array([tokens[k][0] for k in priced["model"]]) / tokens_per_search_step
    priced["search_steps"] = steps
    priced["usd_per_sample"] = priced["cost_usd"] + steps * usd_per_search_call
    return priced


# ============================================================================ policies on a workload


def selector_of(aggregation: str, tpr: float, fpr: float) -> C.Selector:
    """The verifier of an aggregation: pass_at_k is a perfect verifier (tpr 1, fpr 0)."""
    return C.Selector(tpr=1.0, fpr=0.0) if aggregation == "pass_at_k" else C.Selector(tpr=tpr, fpr=fpr)


def perfect(selector: C.Selector) -> bool:
    return selector.tpr == 1.0 and selector.fpr == 0.0


def policies_for(selector: C.Selector) -> tuple[str, ...]:
    """Policies offered under a selector (probe-then-allocate needs a perfect verifier)."""
    return POLICIES if perfect(selector) else tuple(p for p in POLICIES if p != "probe_then_allocate")


def evaluate(w: Workload, policy: str, budgets, rng: np.random.Generator, *, selector: C.Selector,
             probe_m: int = 4) -> dict:
    """Expected accuracy, its standard error and the mean spend (samples per task) of ``policy`` at each
    mean budget (vectorized over budgets with ``allocation.run_policies``; see the module docstring)."""
    if policy not in policies_for(selector):
        raise ParameterError(f"policy {policy!r} is not available under this aggregation")
    B = np.atleast_1d(np.asarray(budgets, dtype=float))
    acc_p = w.p * selector.tpr + (1 - w.p) * selector.fpr
    pop = A.ProbPopulation(acc_p, w.cost)
    res = A.run_policies(pop, B, rng, bins=w.bins, probe_m=probe_m, policies=[policy])[policy]
    if policy == "probe_then_allocate":
        success = res.success                      # perfect verifier: coverage of p (= a)
    else:
        success = sampling.verifier_select(w.p, res.k, selector.tpr, selector.fpr)
    n = w.n_problems
    sd = success.std(axis=-1, ddof=1) if n > 1 else np.zeros(B.size)
    # early stopping saturates when every task would stop before its cap: the budget cannot all be spent
    sat = np.broadcast_to(np.asarray(res.info.get("saturated", False), dtype=bool), B.shape)
    return {"budget": B, "accuracy": success.mean(axis=-1), "se": sd / math.sqrt(n),
            "spent": res.spent.sum(axis=-1) / w.cost.sum(), "saturated": sat, "k": res.k}


def _rng(seed: int, *key: int) -> np.random.Generator:
    """A Generator for one (kind, policy, stage) stream of the planner: default_rng([seed, *key])."""
    return np.random.default_rng([int(seed), *map(int, key)])


def choose_budget(w: Workload, policy: str, *, target: float | None, cap_samples: float | None, max_samples: int,
                  selector: C.Selector, seed: int, key: Sequence[int], probe_m: int = 4,
                  refine_points: int = 24) -> dict:
    """The mean budget of one option and its evaluation (module docstring, "Per option").

    Without a target or a cap the option runs at one sample per task. Returns budget, accuracy, se, spent,
    saturated, meets_target (None without a target), limited_by ("target", "cap", "max_samples" or
    "one_sample"), and the coarse curve (grid, accuracy, se, spent, saturated) for figures.
    """
    grid = A.integer_grid(max_samples)
    coarse = evaluate(w, policy, grid, _rng(seed, *key, 0), selector=selector, probe_m=probe_m)
    hi_samples = float(max_samples) if cap_samples is None else min(float(max_samples), float(cap_samples))
    if target is None and cap_samples is None:
        hi_samples = float(grid[0])  # nothing to aim for: one sample per task

    def row(e, i):
        return {k: (v[i] if k == "k" else bool(v[i]) if k == "saturated" else float(v[i])) for k, v in e.items()}

    def at(B, stage):
        return row(evaluate(w, policy, [B], _rng(seed, *key, stage), selector=selector, probe_m=probe_m), 0)

    pick = None
    if target is not None:
        hit = np.flatnonzero(coarse["accuracy"] >= target)
        if hit.size:
            j = int(hit[0])
            if j == 0:
                pick = row(coarse, 0)
            else:
                fine_b = np.geomspace(grid[j - 1], grid[j], refine_points + 1)[1:]
                fine = evaluate(w, policy, fine_b, _rng(seed, *key, 1), selector=selector, probe_m=probe_m)
                h = np.flatnonzero(fine["accuracy"] >= target)
                src, i = (fine, int(h[0])) if h.size else (coarse, j)
                pick = row(src, i)
            if pick["budget"] > hi_samples + 1e-9:
                pick = None  # reachable, but not within the cap
    if pick is not None:
        limited = "target" if pick["budget"] > grid[0] else "one_sample"
    else:
        if target is None and cap_samples is None:
            limited = "one_sample"
        elif cap_samples is None or cap_samples >= max_samples:
            limited = "max_samples"
        else:
            limited = "cap"
        pick = at(hi_samples, 2)
    meets = None if target is None else bool(pick["accuracy"] >= target)
    return {**{k: v for k, v in pick.items() if k != "k"}, "meets_target": meets, "limited_by": limited,
            "curve": {k: coarse[k] for k in ("budget", "accuracy", "se", "spent", "saturated")}}


# ============================================================================ options and the recommendation


@dataclass
class PlanInputs:
    """Everything ``plan`` needs (validated by ``validate_inputs`` before)."""
    workloads: dict                      # kind -> Workload
    costs: pd.DataFrame                  # ``sample_costs`` output
    prices: dict                         # kind -> pricing.PriceTable
    tokens: dict                         # kind -> (input, output) tokens per sample
    target: float | None
    budget_cap_usd: float | None
    aggregation: str
    selector: C.Selector
    reasoning_available: bool
    min_saving: float
    max_samples: int
    tokens_per_search_step: float
    probe_m: int = 4
    refine_points: int = 24
    seed: int = 0


def usd_per_sample(costs: pd.DataFrame, kind: str, cached: bool) -> float:
    row = costs[(costs["model"] == kind) & (costs["caching"] == cached)]
    return float(row["usd_per_sample"].iloc[0])


def evaluate_options(inp: PlanInputs) -> tuple[pd.DataFrame, dict]:
    """Every (kind, policy) evaluated at its budget; returns a table (one row each) and the coarse curves."""
    rows, curves = [], {}
    for ki, kind in enumerate(KINDS):
        w = inp.workloads[kind]
        c_cached, c_plain = usd_per_sample(inp.costs, kind, True), usd_per_sample(inp.costs, kind, False)
        cap_samples = None if inp.budget_cap_usd is None else inp.budget_cap_usd / c_cached
        I, O = inp.tokens[kind]
        r_per = O if kind == "reasoning" else 0.0
        s_per = I / inp.tokens_per_search_step
        for pi, pol in enumerate(policies_for(inp.selector)):
            r = choose_budget(w, pol, target=inp.target, cap_samples=cap_samples, max_samples=inp.max_samples,
                              selector=inp.selector, seed=inp.seed, key=(ki, pi), probe_m=inp.probe_m,
                              refine_points=inp.refine_points)
            curves[(kind, pol)] = r.pop("curve")
            acc, B = r["accuracy"], r["spent"]
            cpt, cpt0 = B * c_cached, B * c_plain
            rows.append({
                "model_kind": kind, "policy": pol, "adaptive": pol != "uniform",
                "available": kind == "non_reasoning" or inp.reasoning_available,
                "mean_samples": B, "expected_accuracy": acc,
                "accuracy_lo": max(0.0, acc - Z95 * r["se"]), "accuracy_hi": min(1.0, acc + Z95 * r["se"]),
                "meets_target": r["meets_target"], "limited_by": "saturated" if r["saturated"] else r["limited_by"],
                "affordable": None if cap_samples is None else bool(cap_samples >= 1.0),
                "reasoning_tokens": B * r_per, "search_steps": B * s_per, "tokens": B * (I + O),
                "cost_per_task_usd": cpt, "cost_per_task_usd_no_cache": cpt0,
                "cost_per_artifact_usd": cpt / acc if acc > 0 else math.inf,
                "cost_per_artifact_usd_no_cache": cpt0 / acc if acc > 0 else math.inf})
    return pd.DataFrame(rows), curves


def _feasible(row, has_target: bool) -> bool:
    if has_target:
        return bool(row["meets_target"])
    return row["affordable"] is None or bool(row["affordable"])


def best_adaptive(table: pd.DataFrame, kind: str, has_target: bool) -> pd.Series:
    """The best realistic adaptive option of a kind: the cheapest per artifact among those meeting the
    target, else the most accurate (without a target: the most accurate, then the cheapest)."""
    t = table[(table["model_kind"] == kind) & table["adaptive"]]
    ok = t[[_feasible(r, has_target) for r in t.to_dict("records")]] if has_target else t.iloc[0:0]
    if len(ok):
        return ok.sort_values(["cost_per_artifact_usd", "mean_samples"], kind="stable").iloc[0]
    return t.sort_values(["expected_accuracy", "cost_per_artifact_usd"], ascending=[False, True], kind="stable").iloc[0]


def options_table(table: pd.DataFrame, has_target: bool) -> pd.DataFrame:
    """The four compared options: per kind, uniform and the best realistic adaptive policy."""
    rows = []
    for kind in KINDS:
        rows.append(table[(table["model_kind"] == kind) & (table["policy"] == "uniform")].iloc[0])
        rows.append(best_adaptive(table, kind, has_target))
    return pd.DataFrame(rows).reset_index(drop=True)


def saving(adaptive_cpa: float, uniform_cpa: float) -> float:
    """Relative saving per finished artifact of the adaptive option over uniform: 1 - cpa_a / cpa_u."""
    if not (math.isfinite(adaptive_cpa) and math.isfinite(uniform_cpa)) or uniform_cpa <= 0:
        return math.nan
    return 1.0 - adaptive_cpa / uniform_cpa


def recommend(options: pd.DataFrame, *, has_target: bool, min_saving: float) -> tuple[pd.Series, dict]:
    """The recommendation (module docstring): returns the chosen option row and how it was chosen."""
    picks, savings = {}, {}
    for kind in KINDS:
        o = options[options["model_kind"] == kind]
        u, a = o[~o["adaptive"]].iloc[0], o[o["adaptive"]].iloc[0]
        fu, fa = _feasible(u, has_target), _feasible(a, has_target)
        s = saving(a["cost_per_artifact_usd"], u["cost_per_artifact_usd"]) if (fu and fa) else math.nan
        savings[kind] = s
        if fu and fa:
            picks[kind] = a if s >= min_saving else u
        elif fu or fa:
            picks[kind] = u if fu else a
    avail = [k for k in picks if bool(picks[k]["available"])]
    if avail:
        best = min(avail, key=lambda k: (picks[k]["cost_per_artifact_usd"], KINDS.index(k)))
        return picks[best], {"meets": True, "saving_vs_uniform": savings, "reason": "cheapest feasible per artifact"}
    pool = options[options["available"]]
    row = pool.sort_values(["expected_accuracy", "cost_per_artifact_usd"], ascending=[False, True],
                           kind="stable").iloc[0]
    return row, {"meets": False, "saving_vs_uniform": savings, "reason": "no option meets the target: most accurate"}


def option_record(row: Mapping) -> dict:
    """The results record of an option: the stable keys first, then the details."""
    rec = {k: row[k] for k in OPTION_KEYS}
    for k in ("mean_samples", "accuracy_lo", "accuracy_hi", "meets_target", "available", "limited_by", "tokens",
              "cost_per_task_usd", "cost_per_task_usd_no_cache", "cost_per_artifact_usd_no_cache"):
        rec[k] = row[k]
    return rec


# ============================================================================ claims 1, 2, 4 for the plan


def search_split(model: S.RSModel, target: float, r_max: float = 2.0 ** 20, s_max: float = 2.0 ** 12) -> dict:
    """Claim 1: the cheapest (r, s) for one attempt to reach ``target`` (``expansion_path``)."""
    ep = S.expansion_path(model, [target], r_max, s_max).iloc[0]
    return {"target": float(target), "reachable": bool(ep["reachable"]), "reasoning_tokens": ep["r"],
            "search_steps": ep["s"], "tokens": ep["tokens"], "cost_usd": ep["cost_usd"],
            "search_token_share": ep["search_token_share"], "interior": bool(ep["interior"]),
            "mrs": ep["mrs"], "price_ratio": model.price_ratio, "ceiling": model.ceiling}


def reachability(nr: Workload, target: float, aggregation: str, selector: C.Selector, usd_nr: float,
                 usd_r: float, k_max: int = 10 ** 12) -> dict:
    """Claim 4: can uniform repeated sampling with the non-reasoning model reach ``target``?

    ``ceiling.catch_up`` on the kind's curve; cost ratio = k* x USD per non-reasoning sample over one
    reasoning sample (tokens 1, prices in USD per sample)."""
    lim = nr.asymptote(aggregation, selector)
    cu = C.catch_up(lambda k: nr.curve(k, aggregation, selector), lim, float(target), tokens_nr=1.0, tokens_r=1.0,
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


def budget_vs_model(inp: PlanInputs, budget: float) -> dict:
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
    uvd = V.upgrade_vs_doubling(th_from, th_to, beta, 0.0)
    return {"mean_samples": B, **split, "accuracy": {k: {"one_sample": float(v[0]), "two_samples": float(v[1]),
                                                         "at_budget": float(v[2])} for k, v in acc.items()},
            "gain_upgrade": uvd["gain_upgrade"], "gain_doubling": uvd["gain_doubling"],
            "doublings_equivalent": uvd["doublings_equivalent"]}


# ============================================================================ one call


@dataclass
class Plan:
    table: pd.DataFrame          # every (kind, policy)
    options: pd.DataFrame        # the four compared options
    curves: dict                 # (kind, policy) -> coarse curve
    recommendation: pd.Series
    how: dict
    extras: dict = field(default_factory=dict)


def plan(inp: PlanInputs) -> Plan:
    """Evaluate every option and pick the recommendation (claims 3 and 5); the notebook adds claims 1, 2, 4."""
    table, curves = evaluate_options(inp)
    has_target = inp.target is not None
    opts = options_table(table, has_target)
    rec, how = recommend(opts, has_target=has_target, min_saving=inp.min_saving)
    return Plan(table, opts, curves, rec, how)


STATUSES = ("meets target", "no option meets", "no target or cap")


def status_of(has_target: bool, has_cap: bool, meets: bool) -> str:
    """The planner judges no claim; its status: "meets target" when the recommendation meets the target (or,
    with only a cap, is affordable); "no option meets" when none does; "no target or cap" without either."""
    if not (has_target or has_cap):
        return "no target or cap"
    return "meets target" if meets else "no option meets"


def recovery_checks(inp: PlanInputs, p: Plan) -> dict:
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
    ident = identity_errors(inp.costs)["cost"]
    z0 = sample_costs(inp.prices, inp.tokens, 0.0, 0.0, inp.tokens_per_search_step)
    gap0 = max(abs(usd_per_sample(z0, k, True) - usd_per_sample(z0, k, False)) for k in KINDS)
    return {"spend_error": spend, "uniform_vs_closed_form_z": zs, "ledger_cost_identity": ident,
            "zero_share_cache_gap_usd": gap0}

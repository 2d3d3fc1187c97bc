"""Claim 4 verdict: does the weaker side catch up with the stronger one when both get the same budget?

Comparison
----------
A comparison pits a *weaker* side W (the non-reasoning configuration, the model without thinking, the
smaller model) against a *stronger* side S. W's accuracy with k attempts, A_W(k), is set against S's accuracy
**at the same spend** (the main view):

- ``matched_tokens``: S gets k·t_W/t_S attempts (t = mean tokens per attempt of each side);
- ``matched_cost``: the same with mean dollars per attempt;
- ``matched_k``: S gets k attempts too (equal attempts, whatever they cost).

S's accuracy at a fractional number of attempts is the linear interpolation between its neighbouring
observed budgets (what randomising between the two budgets achieves; for a concave curve a lower bound, so
the comparison errs toward the weaker side). A spend at which S cannot afford one attempt, or needs more
attempts than observed, is not compared (no extrapolation). Spends above ``cost_limit`` times one attempt of
S are not compared either. With tolerance ``tol``, D(k) = A_W(k) - A_S(matched(k)), and the outcome is

- ``already_ahead``: A_W(1) >= A_S(1) - tol: W is level at one attempt each; no scaling involved, so this
  is its own outcome, never a catch-up (not counted by the rule);
- ``no_matched_spend``: no k >= 2 of W has a matched spend inside S's observed budgets (not counted);
- ``caught_up``: D(k) >= -tol at some matched k >= 2 (the ceiling *breaks* for this comparison);
- ``stays_below``: D(k) < -tol at every matched k >= 2 (the ceiling *holds*).

With ``decide_by="interval"`` the 95% bootstrap interval over tasks replaces the point estimate: caught up
when its lower end is >= -tol at some k, stays below when its upper end is < -tol at every k, else
``unresolved``; already ahead when the lower end of A_W(1) - A_S(1) is >= -tol.

The rule (``CeilingRule``), stated before the evidence
------------------------------------------------------
Only in-scope rows decide (tool-use agents: MCPMark; with a user file, the user's rows alone). Rows are
grouped by unit (thinking pair, config pair, capability pair when included, user pair). Per unit, among
the rows that hold or break, the share caught up s: the ceiling *holds* in that unit when
s <= ``holds_max_share``, *breaks* when s >= ``breaks_min_share``, is *mixed* in between, and the unit has
no evidence with fewer than ``min_resolved`` resolved rows. Verdict: **supported** when it holds in every
unit with evidence, **not supported** when it breaks in every one, **partly supported** otherwise,
**inconclusive** when no unit has evidence.

MCPMark: pass@k for k = 1..4 from the 4 runs per task (the unbiased estimator), averaged over tasks; the
bootstrap resamples tasks (the same resample for every configuration, so pairs stay paired). Mean tokens
and dollars per run are taken as known (full-sample means).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import sampling, verdicts
from .validate import DataError, ParameterError

VIEWS = ("matched_tokens", "matched_cost", "matched_k")
RESULTS = ("caught_up", "stays_below", "already_ahead", "no_matched_spend", "unresolved")
OUTCOME_OF = {"caught_up": "breaks", "stays_below": "holds", "already_ahead": "unresolved",
              "no_matched_spend": "unresolved", "unresolved": "unresolved"}
RESULT_TEXT = {"caught_up": "catches up at matched spend", "stays_below": "stays below at every matched spend",
               "already_ahead": "already level or ahead at k = 1 (no scaling involved)",
               "no_matched_spend": "no matched spend inside the observed budgets",
               "unresolved": "interval straddles the tolerance"}
# size ladders of one family at one reasoning setting: a capability gap, not reasoning versus non-reasoning
MCPMARK_CAPABILITY_LADDERS = [["gpt-4-1-nano", "gpt-4-1-mini", "gpt-4-1"]] + [
    [f"gpt-5-nano-{e}", f"gpt-5-mini-{e}", f"gpt-5-{e}"] for e in ("low", "medium", "high")]


# ---------------------------------------------------------------- the rule


@dataclass(frozen=True)
class CeilingRule:
    """The per-unit share rule of the module docstring, with its thresholds."""

    holds_max_share: float = 0.1
    breaks_min_share: float = 0.5
    min_resolved: int = 1

    def __post_init__(self):
        if not (0.0 <= self.holds_max_share < 1.0):
            raise ParameterError(f"parameter 'holds_max_share' = {self.holds_max_share!r} must be in [0, 1)")
        if not (self.holds_max_share < self.breaks_min_share <= 1.0):
            raise ParameterError(f"parameter 'breaks_min_share' = {self.breaks_min_share!r} must be in "
                                 f"(holds_max_share, 1]")
        if not (isinstance(self.min_resolved, int) and self.min_resolved >= 1):
            raise ParameterError(f"parameter 'min_resolved' = {self.min_resolved!r} must be an integer >= 1")

    def describe(self) -> str:
        return ("Only in-scope comparisons decide (tool-use agents: MCPMark; with a user file, the user's curves "
                "alone). A comparison gives the weaker side (non-reasoning, no thinking, smaller) and the stronger "
                "side the same spend; it breaks the ceiling when the weaker side comes within the tolerance of the "
                "stronger at some matched spend with at least 2 attempts, and holds when it stays below at every "
                "matched spend; 'already level at k = 1' and spends outside the observed budgets are not counted. "
                f"Per unit (thinking pairs, configuration pairs, ...), the ceiling holds when at most "
                f"{self.holds_max_share:.0%} of the counted comparisons catch up and breaks when at least "
                f"{self.breaks_min_share:.0%} do (a unit needs {self.min_resolved} counted comparison(s)). Supported "
                "when it holds in every unit with evidence, not supported when it breaks in every one, partly "
                "supported otherwise, inconclusive when no unit has evidence.")

    def units(self, table: pd.DataFrame) -> pd.DataFrame:
        """Per in-scope (source, unit): holds, breaks, unresolved, share caught up, status."""
        t = table[table["in_scope"]]
        cols = ["source", "unit", "holds", "breaks", "unresolved", "share_caught_up", "status"]
        if t.empty:
            return pd.DataFrame(columns=cols)
        g = t.groupby(["source", "unit"], sort=True)["outcome"]
        out = pd.DataFrame({o: g.apply(lambda s, o=o: int((s == o).sum())) for o in ("holds", "breaks", "unresolved")})
        res = out["holds"] + out["breaks"]
        out["share_caught_up"] = np.where(res > 0, out["breaks"] / res.clip(lower=1), np.nan)
        out["status"] = np.select([res < self.min_resolved, out["share_caught_up"] <= self.holds_max_share,
                                   out["share_caught_up"] >= self.breaks_min_share],
                                  ["no evidence", "holds", "breaks"], "mixed")
        return out.reset_index()[cols]

    def decide(self, table: pd.DataFrame) -> str:
        st = self.units(table)["status"]
        st = st[st != "no evidence"]
        if st.empty:
            return "inconclusive"
        if (st == "holds").all():
            return "supported"
        if (st == "breaks").all():
            return "not supported"
        return "partly supported"


# ---------------------------------------------------------------- matched spend on curves


def interpolate(k_obs, acc_obs, k):
    """Accuracy at (fractional) budgets k by linear interpolation in k; NaN outside [min k_obs, max k_obs]."""
    k_obs, acc_obs, k = (np.asarray(v, dtype=float) for v in (k_obs, acc_obs, k))
    o = np.argsort(k_obs)
    out = np.interp(k, k_obs[o], acc_obs[o])
    return np.where((k >= k_obs.min() - 1e-9) & (k <= k_obs.max() + 1e-9), out, np.nan)


def matched_gaps(k_w, acc_w, k_s, acc_s, spend_w: float, spend_s: float, cost_limit: float = np.inf):
    """D(k) = A_W(k) - A_S(k·spend_w/spend_s) at W's observed budgets k_w (NaN where not comparable).

    Pass spend_w = spend_s for equal attempts. ``cost_limit``: largest spend, in attempts of S, compared.
    """
    if not (spend_w > 0 and spend_s > 0):
        raise ParameterError(f"spends per attempt must be positive, got {spend_w!r}, {spend_s!r}")
    k_w = np.asarray(k_w, dtype=float)
    ks = k_w * spend_w / spend_s
    d = np.asarray(acc_w, dtype=float) - interpolate(k_s, acc_s, ks)
    return np.where(ks <= cost_limit + 1e-9, d, np.nan)


def classify(k, d, d1, tol: float, d_lo=None, d_hi=None, d1_lo=None) -> str:
    """Outcome of one comparison (module docstring) from D(k) at W's budgets k and d1 = A_W(1) - A_S(1).

    With ``d_lo``/``d_hi``/``d1_lo`` (bootstrap interval ends) the interval decision is used.
    """
    k = np.asarray(k, dtype=float)
    d = np.asarray(d, dtype=float)
    interval = d_lo is not None
    if (d1_lo if interval else d1) >= -tol:
        return "already_ahead"
    use = (k >= 2) & np.isfinite(d)
    if not use.any():
        return "no_matched_spend"
    if not interval:
        return "caught_up" if np.max(d[use]) >= -tol else "stays_below"
    lo, hi = np.asarray(d_lo, dtype=float)[use], np.asarray(d_hi, dtype=float)[use]
    if np.max(lo) >= -tol:
        return "caught_up"
    if np.max(hi) < -tol:
        return "stays_below"
    return "unresolved"


def curve_comparison(k_w, acc_w, k_s, acc_s, spend_w: float, spend_s: float, tol: float,
                     cost_limit: float = np.inf) -> dict:
    """One comparison on two observed curves (each needs a point at k = 1): result, best gap, where."""
    k_w, acc_w, k_s, acc_s = (np.asarray(v, dtype=float) for v in (k_w, acc_w, k_s, acc_s))
    if 1.0 not in set(k_w) or 1.0 not in set(k_s):
        raise DataError("both curves need their accuracy at one attempt (k = 1)")
    d = matched_gaps(k_w, acc_w, k_s, acc_s, spend_w, spend_s, cost_limit)
    d1 = float(acc_w[k_w == 1][0] - acc_s[k_s == 1][0])
    res = classify(k_w, d, d1, tol)
    use = (k_w >= 2) & np.isfinite(d)
    j = int(np.flatnonzero(use)[np.argmax(d[use])]) if use.any() else None
    caught = np.flatnonzero(use & (d >= -tol))
    return {"result": res, "gap_k1": d1, "best_gap": None if j is None else float(d[j]),
            "best_k": None if j is None else int(k_w[j]),
            "k_caught_up": int(k_w[caught[0]]) if (res == "caught_up" and caught.size) else None,
            "spend_ratio": float(spend_w / spend_s)}


# ---------------------------------------------------------------- MCPMark


def mcpmark_pass_at_k(runs: pd.DataFrame, k_max: int = 4):
    """(configs, tasks, P, dropped): P[config, task, k-1] = unbiased pass@k from each task's runs.

    Configurations with fewer than ``k_max`` runs on some task are dropped (returned by name).
    """
    need = {"config", "task", "success"}
    if not need <= set(runs.columns):
        raise DataError(f"MCPMark runs frame lacks columns {sorted(need - set(runs.columns))}")
    g = runs.groupby(["config", "task"], sort=True)["success"].agg(["size", "sum"])
    n = g["size"].unstack()
    c = g["sum"].unstack()
    bad = n.isna().any(axis=1) | (n < k_max).any(axis=1)
    dropped = sorted(n.index[bad])
    n, c = n[~bad], c[~bad]
    if n.empty:
        raise DataError(f"no MCPMark configuration has {k_max} runs on every task")
    k = np.arange(1, k_max + 1, dtype=float)
    P = sampling.pass_at_k(n.to_numpy(float)[..., None], c.to_numpy(float)[..., None], k[None, None, :])
    return list(n.index), list(n.columns), P, dropped


def mcpmark_pairs(configs, labels: dict, thinking_pairs, doubtful) -> pd.DataFrame:
    """Comparisons [weaker, stronger, unit, doubtful] among ``configs``.

    thinking pair: (without, with thinking) of one base model; doubtful when the thinking side's label is
    doubtful. config pair: every non-reasoning x reasoning configuration (by ``labels``); doubtful when
    either side's label is doubtful. capability pair: smaller x larger model of one size ladder.
    """
    have = set(configs)
    rows = [(w, s, "thinking pair", s in doubtful) for w, s in thinking_pairs if w in have and s in have]
    nr = [c for c in configs if not labels[c]]
    r = [c for c in configs if labels[c]]
    rows += [(w, s, "config pair", (w in doubtful) or (s in doubtful)) for w in nr for s in r]
    for ladder in MCPMARK_CAPABILITY_LADDERS:
        lad = [c for c in ladder if c in have]
        rows += [(lad[i], lad[j], "capability pair", False) for i in range(len(lad)) for j in range(i + 1, len(lad))]
    return pd.DataFrame(rows, columns=["weaker", "stronger", "unit", "doubtful"])


def mcpmark_gaps(P: np.ndarray, W: np.ndarray, wi, si, spend: np.ndarray | None):
    """Bootstrap D(k) for pairs: (1 + n_boot, n_pairs, K); replicate 0 is the full sample.

    ``W``: (n_boot, n_tasks) resampling multiplicities; ``spend``: per-config spend per run (None: equal
    attempts). Also returns d1 (1 + n_boot, n_pairs) and the matched budgets of S (n_pairs, K).
    """
    n_tasks, K = P.shape[1], P.shape[2]
    acc = np.concatenate([P.mean(axis=1)[None], np.einsum("bt,ctk->bck", W, P) / n_tasks])  # (1+B, C, K)
    wi, si = np.asarray(wi, dtype=int), np.asarray(si, dtype=int)
    k = np.arange(1, K + 1, dtype=float)
    ratio = np.ones(wi.size) if spend is None else spend[wi] / spend[si]
    ks = k[None, :] * ratio[:, None]  # (n_pairs, K) budgets of S
    inside = (ks >= 1 - 1e-9) & (ks <= K + 1e-9)
    lo = np.clip(np.floor(ks + 1e-9), 1, K).astype(int)
    hi = np.clip(lo + 1, 1, K)
    frac = np.clip(ks - lo, 0.0, 1.0)
    a_s = acc[:, si, :]
    s_at = (np.take_along_axis(a_s, (lo - 1)[None], axis=2) * (1 - frac)[None]
            + np.take_along_axis(a_s, (hi - 1)[None], axis=2) * frac[None])
    d = np.where(inside[None], acc[:, wi, :] - s_at, np.nan)
    d1 = acc[:, wi, 0] - acc[:, si, 0]
    return d, d1, ks


def mcpmark_outcomes(d, d1, ks, tol: float, cost_limit: float, decide_by: str = "point") -> pd.DataFrame:
    """Per pair: result, best gap (point) with its 95% interval, k of W where it is reached, share in the
    bootstrap caught up. ``d``, ``d1``, ``ks`` from ``mcpmark_gaps``."""
    if decide_by not in ("point", "interval"):
        raise ParameterError(f"decide_by {decide_by!r} is not 'point' or 'interval'")
    K = d.shape[2]
    k = np.arange(1, K + 1, dtype=float)
    d = np.where((ks <= cost_limit + 1e-9)[None], d, np.nan)
    boot = d[1:] if d.shape[0] > 1 else d
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices: spends never compared
        lo, hi = np.nanquantile(boot, [0.025, 0.975], axis=0)
        d1_lo = np.quantile(d1[1:] if d1.shape[0] > 1 else d1, 0.025, axis=0)
    rows = []
    for p in range(d.shape[1]):  # one small decision per pair (the arrays above are vectorized)
        if decide_by == "point":
            res = classify(k, d[0, p], d1[0, p], tol)
        else:
            res = classify(k, d[0, p], d1[0, p], tol, lo[p], hi[p], d1_lo[p])
        use = (k >= 2) & np.isfinite(d[0, p])
        j = int(np.flatnonzero(use)[np.argmax(d[0, p][use])]) if use.any() else None
        first = np.flatnonzero(use & (d[0, p] >= -tol))
        rows.append({"result": res, "gap_k1": float(d1[0, p]),
                     "k_caught_up": int(k[first[0]]) if (res == "caught_up" and first.size) else None,
                     "best_gap": None if j is None else float(d[0, p, j]),
                     "ci": None if j is None else [float(lo[p, j]), float(hi[p, j])],
                     "best_k": None if j is None else int(k[j])})
    return pd.DataFrame(rows)


def evidence_rows(pairs: pd.DataFrame, outcomes: pd.DataFrame, *, source: str, setting: str,
                  in_scope: bool) -> list[dict]:
    """Evidence rows (``helpers.verdicts``) for comparisons with ``result``/``best_gap``/``ci`` columns."""
    rows = []
    for p, o in zip(pairs.to_dict("records"), outcomes.to_dict("records")):
        rows.append(verdicts.evidence_row(
            source, p["unit"], in_scope=in_scope, outcome=OUTCOME_OF[o["result"]], figure=o.get("best_gap"),
            ci=o.get("ci"), setting=setting,
            note=f"{p['weaker']} vs {p['stronger']}: {RESULT_TEXT[o['result']]}"))
    return rows


# ---------------------------------------------------------------- evidence under one specification


@dataclass
class MCPMarkComparisons:
    """MCPMark pairs with their bootstrap gaps under every view (``gaps[view] = (d, d1, ks)``)."""

    pairs: pd.DataFrame
    gaps: dict
    acc: np.ndarray  # (1 + n_boot, n_configs, K) pass@k, replicate 0 = full sample
    spends: dict     # {view: per-config spend per run or None}

    @classmethod
    def build(cls, P, W, configs, pairs, spend_tokens, spend_cost):
        idx = {c: i for i, c in enumerate(configs)}
        missing = sorted(set(pairs["weaker"]).union(pairs["stronger"]) - set(idx))
        if missing:
            raise DataError(f"MCPMark pairs name configurations without pass@k: {missing}")
        wi, si = pairs["weaker"].map(idx).to_numpy(), pairs["stronger"].map(idx).to_numpy()
        spends = {"matched_tokens": spend_tokens, "matched_cost": spend_cost, "matched_k": None}
        for v, sp in spends.items():
            if sp is not None and not (np.all(np.isfinite(sp)) and np.all(np.asarray(sp) > 0)):
                raise DataError(f"MCPMark spend per run for {v} must be positive for every configuration")
        acc = np.concatenate([P.mean(axis=1)[None], np.einsum("bt,ctk->bck", W, P) / P.shape[1]])
        return cls(pairs.reset_index(drop=True), {v: mcpmark_gaps(P, W, wi, si, s) for v, s in spends.items()},
                   acc, spends)

    def select(self, doubtful: bool, capability: bool) -> np.ndarray:
        """Pairs in a specification: doubtful labels in or out, capability-gap pairs in or out."""
        keep = np.ones(len(self.pairs), bool)
        if not doubtful:
            keep &= ~self.pairs["doubtful"].to_numpy(bool)
        if not capability:
            keep &= (self.pairs["unit"] != "capability pair").to_numpy()
        return keep

    def outcomes(self, view: str, tol: float, cost_limit: float, decide_by: str, doubtful: bool,
                 capability: bool) -> pd.DataFrame:
        if view not in VIEWS:
            raise ParameterError(f"view {view!r} is not one of {VIEWS}")
        keep = self.select(doubtful, capability)
        d, d1, ks = self.gaps[view]
        out = mcpmark_outcomes(d[:, keep], d1[:, keep], ks[keep], tol, cost_limit, decide_by)
        return pd.concat([self.pairs[keep].reset_index(drop=True), out], axis=1)


def curve_outcomes(comparisons: list[dict], view: str, tol: float, cost_limit: float) -> pd.DataFrame:
    """Outcomes of curve comparisons ({weaker, stronger, unit, k_w, acc_w, k_s, acc_s, spends: {view: (w, s)},
    ...}) under one view; the other keys of each comparison are kept."""
    rows = []
    for c in comparisons:
        sw, ss = c["spends"][view]
        res = curve_comparison(c["k_w"], c["acc_w"], c["k_s"], c["acc_s"], sw, ss, tol, cost_limit)
        rows.append({**{k: v for k, v in c.items() if k not in ("k_w", "acc_w", "k_s", "acc_s", "spends")},
                     **res, "ci": None})
    return pd.DataFrame(rows)


def table_from(frames: list[tuple[pd.DataFrame, str, str, bool]]) -> pd.DataFrame:
    """Evidence table from (outcomes frame, source, setting, in_scope) parts."""
    rows = []
    for f, source, setting, in_scope in frames:
        if len(f):
            rows += evidence_rows(f, f, source=source, setting=setting, in_scope=in_scope)
    return verdicts.evidence_table(rows)


def path_comparisons(path_table: pd.DataFrame, unit: str, token_ratio: float = 1.0,
                     price_ratio: float = 1.0) -> list[dict]:
    """Comparisons (non-reasoning = weaker, reasoning = stronger, per aggregation) from a scaling-path table
    (``ceiling.read_scaling_path`` schema). Without tokens for both models, tokens are 1 and ``token_ratio``
    (an assumption); dollars are tokens times ``price_ratio`` for the non-reasoning side."""
    tokens = path_table.groupby("model")["tokens_per_sample"].mean()
    kinds = path_table.drop_duplicates("model").set_index("model")["kind"]
    out = []
    for s in kinds[kinds == "reasoning"].index:
        for w in kinds[kinds == "non_reasoning"].index:
            for agg in sorted(set(path_table["aggregation"])):
                gw = path_table[(path_table["model"] == w) & (path_table["aggregation"] == agg)]
                gs = path_table[(path_table["model"] == s) & (path_table["aggregation"] == agg)]
                if gw.empty or gs.empty or 1 not in set(gw["samples"]) or 1 not in set(gs["samples"]):
                    continue
                t_w, t_s = float(tokens.get(w, np.nan)), float(tokens.get(s, np.nan))
                if not (np.isfinite(t_w) and np.isfinite(t_s)):
                    t_w, t_s = 1.0, float(token_ratio)
                out.append({"weaker": w, "stronger": s, "aggregation": agg, "unit": unit,
                            "k_w": gw["samples"].to_numpy(float), "acc_w": gw["accuracy"].to_numpy(float),
                            "k_s": gs["samples"].to_numpy(float), "acc_s": gs["accuracy"].to_numpy(float),
                            "spends": {"matched_tokens": (t_w, t_s), "matched_cost": (t_w * price_ratio, t_s),
                                       "matched_k": (1.0, 1.0)}})
    return out

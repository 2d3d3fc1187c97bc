"""Claim 4 verdict rule: does the weaker side catch up with the stronger one when both get the same budget?

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
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..validate import DataError, ParameterError

VIEWS = ("matched_tokens", "matched_cost", "matched_k")
RESULTS = ("caught_up", "stays_below", "already_ahead", "no_matched_spend", "unresolved")
OUTCOME_OF = {"caught_up": "breaks", "stays_below": "holds", "already_ahead": "unresolved",
              "no_matched_spend": "unresolved", "unresolved": "unresolved"}
RESULT_TEXT = {"caught_up": "catches up at matched spend", "stays_below": "stays below at every matched spend",
               "already_ahead": "already level or ahead at k = 1 (no scaling involved)",
               "no_matched_spend": "no matched spend inside the observed budgets",
               "unresolved": "interval straddles the tolerance"}
# size ladders of one family at one reasoning setting: a capability gap, not reasoning versus non-reasoning


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
        """``combine(self.units(table)["status"])``, counted with numpy (the specification curve calls it per
        specification): per in-scope (source, unit) holds and breaks, the share caught up, the status."""
        m = table["in_scope"].to_numpy(bool)
        if not m.any():
            return combine([])
        key = table["source"].to_numpy(str)[m].astype(object) + "\x1f" + table["unit"].to_numpy(str)[m].astype(object)
        inv = np.unique(key.astype(str), return_inverse=True)[1].ravel()
        outcome = table["outcome"].to_numpy(object)[m]
        holds = np.bincount(inv, weights=outcome == "holds").astype(np.int64)
        breaks = np.bincount(inv, weights=outcome == "breaks").astype(np.int64)
        res = holds + breaks
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.where(res > 0, breaks / np.clip(res, 1, None), np.nan)
        status = np.select([res < self.min_resolved, share <= self.holds_max_share, share >= self.breaks_min_share],
                           ["no evidence", "holds", "breaks"], "mixed")
        return combine(list(status))


def combine(statuses) -> str:
    """The verdict from per-unit statuses: supported when every unit with evidence holds, not supported when
    every one breaks, partly supported otherwise, inconclusive when no unit has evidence."""
    st = pd.Series(statuses, dtype=object)
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


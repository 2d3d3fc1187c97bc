"""Adaptive versus uniform allocation scored out of sample on logged samples (claim 3, issue 12).

Model
-----
A problem i has n_i logged samples (attempts) of which c_i succeeded; a sample costs c̄_i (tokens or dollars
per attempt, rescaled to mean 1; 1 without costs). Only budgets the data support are *replayed*: every
policy draws at most n_i samples of problem i, in a uniformly random order without replacement, so nothing
is extrapolated.

**Aggregation.** Which of k samples is submitted? Under a *perfect verifier* the problem counts as solved
when any sample is correct (coverage, the unbiased pass@k). Under a *verifier with stated error rates* (true
positive rate ``tpr``, false positive rate ``fpr``, each sample's verdict drawn independently) the first
accepted sample in the random order is submitted, else the last one; early stopping stops at the first
accepted sample. With X_j the correct samples among the first j (hypergeometric),

    P(first j rejected)            R_j = E[(1-tpr)^X_j (1-fpr)^(j-X_j)],
    expected samples with cap K    Σ_{j<K} R_j,
    success with cap K             Σ_{j<K} E[(1-tpr)^X_j (1-fpr)^(j-X_j) (c-X_j)/(n-j)] tpr
                                   + E[(1-tpr)^X_K (1-fpr)^(K-X_K) X_K/K],

and a fixed k samples with verifier selection succeed exactly as often as early stopping with cap k (it
spends k). A perfect verifier (tpr = 1, fpr = 0) gives pass@k and Σ_{j<K} C(n-c, j)/C(n, j). Above
``exact_max`` logged samples the marks are applied to draws with replacement at p = c/n (closed forms with
q = p·tpr + (1-p)·fpr; the difference is of order k/n).

**Out of sample.** Problems are split at random (``split_fraction`` for choosing, the rest for scoring).
On the choosing half each admissible realistic policy is run and the one with the highest efficiency ratio
is chosen; it is then run on the scoring half, where its ratio and a bootstrap interval over the scoring
half's problems are reported. The binned policy learns on the choosing half both its bin edges (quantiles
of the predictor score) and each bin's mean success curve, and applies them to the scoring half (greedy
over bin-constant allocations on the learned curves, concave envelope, with the marginal bin's members
upgraded in expectation). Early stopping's common cap is set on the scoring half so its expected spend is
the budget (one scalar matched to the budget, no per-problem knowledge). The oracle (water-filling on each
scoring problem's own curve) is reported as an upper bound only.

**Efficiency ratio at the spend.** B_u(acc) / B_u(U(b)): the budget uniform needs for the policy's
accuracy over the budget it needs for its own accuracy at the policy's actual mean spend b, both on the
uniform curve U(k) = mean_i S_i(k), k = 1..n_min, of the same problems (bootstrap replicates re-evaluate U
on their own resample). An accuracy above U(n_min) is censored (+inf). The largest ratio the data can show
at budget b is B_sat / b, with B_sat where U reaches its maximum: a cell whose bar exceeds it cannot hold.

Cells at budgets above the logged samples go through a fitted prior instead (``prior``).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import stats

from .. import bootstrap
from ..validate import ParameterError
from .core import _rng
from .efficiency import ratio_at_spend, ratio_ceiling
from .populations import CountPopulation
from .selectors import lagrangian_table_allocation

AGGREGATIONS = ("perfect verifier", "verifier")
SPLIT_POLICIES = ("binned_predicted", "early_stop")


# ============================================================================ success and spend tables

@dataclass
class Tables:
    """Per-problem tables over k = 0..K: S[i, k] success of k samples (or of early stopping with cap k) under
    the aggregation, E[i, k] expected samples drawn by early stopping with cap k."""

    S: np.ndarray
    E: np.ndarray
    aggregation: str

    def take(self, idx) -> "Tables":
        return Tables(self.S[idx], self.E[idx], self.aggregation)


def _check_rates(tpr, fpr):
    for name, v in (("verifier_tpr", tpr), ("verifier_fpr", fpr)):
        if not (0.0 <= float(v) <= 1.0):
            raise ParameterError(f"parameter {name!r} = {v!r} must lie in [0, 1]")


def replay_tables(n, c, kmax: int, *, tpr: float = 1.0, fpr: float = 0.0, exact_max: int = 512) -> Tables:
    """Success and early-stopping spend tables for k = 0..kmax (module docstring), kmax <= every n_i."""
    _check_rates(tpr, fpr)
    n = np.asarray(n, dtype=float)
    c = np.asarray(c, dtype=float)
    kmax = int(kmax)
    if kmax < 1 or np.any(n < kmax):
        raise ParameterError(f"replay needs every problem to have at least kmax = {kmax} logged samples "
                             f"(fewest here: {n.min():g})")
    agg = "perfect verifier" if (tpr == 1.0 and fpr == 0.0) else "verifier"
    ks = np.arange(kmax + 1, dtype=float)
    if agg == "perfect verifier":
        pop = CountPopulation(n[:, None], c[:, None], mode="replay")
        kk = np.broadcast_to(ks[None, :], (n.size, kmax + 1))
        S, E = pop.success(kk), pop.stop_cost(kk)
        return Tables(np.asarray(S, float).reshape(n.size, kmax + 1), np.asarray(E, float), agg)
    S = np.zeros((n.size, kmax + 1))
    E = np.zeros((n.size, kmax + 1))
    big = n > exact_max
    if big.any():  # draws with replacement at p = c/n
        p = (c[big] / n[big])[:, None]
        q = p * tpr + (1 - p) * fpr
        j = ks[None, :-1]
        R = (1 - q) ** j
        E[big, 1:] = np.cumsum(R, axis=1)
        S[big, 1:] = np.cumsum(R * p * tpr, axis=1) + (1 - q) ** (ks[None, 1:] - 1) * p * (1 - tpr)
    small = ~big
    if small.any():
        ns, cs = n[small], c[small]
        xmax = int(min(cs.max(), kmax))
        x = np.arange(xmax + 1, dtype=float)
        h = stats.hypergeom.pmf(x[None, None, :], ns[:, None, None], cs[:, None, None], ks[None, :, None])
        h = np.nan_to_num(h)
        rej = np.power(1 - tpr, x)[None, None, :] * np.power(1 - fpr, ks[None, :, None] - x[None, None, :])
        rej = np.where(ks[None, :, None] >= x[None, None, :], rej, 0.0)
        hr = h * rej
        R = hr.sum(axis=2)                                                        # (N, K+1)
        with np.errstate(divide="ignore", invalid="ignore"):
            nxt = np.where(ns[:, None, None] > ks[None, :, None],
                           (cs[:, None, None] - x[None, None, :]) / (ns[:, None, None] - ks[None, :, None]), 0.0)
        stop_ok = (hr * np.clip(nxt, 0, 1)).sum(axis=2) * tpr                   # stop at sample j+1, correct
        with np.errstate(divide="ignore", invalid="ignore"):
            last = (hr * np.where(ks[None, :, None] > 0, x[None, None, :] / np.maximum(ks[None, :, None], 1), 0)).sum(2)
        Es = np.zeros((ns.size, kmax + 1))
        Ss = np.zeros((ns.size, kmax + 1))
        Es[:, 1:] = np.cumsum(R[:, :-1], axis=1)
        Ss[:, 1:] = np.cumsum(stop_ok[:, :-1], axis=1) + last[:, 1:]
        E[small], S[small] = Es, Ss
    return Tables(np.clip(S, 0, 1), E, agg)


def _at(T, k):
    """Rows of table T (N, K+1) at fractional k (N,) or (..., N): linear between whole numbers."""
    k = np.asarray(k, dtype=float)
    lo = np.floor(k).astype(np.int64)
    hi = np.minimum(lo + 1, T.shape[1] - 1)
    rows = np.arange(T.shape[0])
    return T[rows, lo] + (k - lo) * (T[rows, hi] - T[rows, lo])


# ============================================================================ policies on tables

@dataclass
class Scored:
    success: np.ndarray   # expected success per problem
    spent: np.ndarray     # expected spend per problem (cost units)
    info: dict = field(default_factory=dict)


def uniform_on(tab: Tables, cost, B) -> Scored:
    k = np.full(tab.S.shape[0], float(B))
    return Scored(_at(tab.S, k), k * cost)


def early_stop_on(tab: Tables, cost, B) -> Scored:
    """Common cap K (fractional: a share of problems get the next whole cap) with expected spend B·Σcost."""
    T = float(B) * cost.sum()
    spend = (tab.E * cost[:, None]).sum(axis=0)           # (K+1,), non-decreasing
    K = tab.S.shape[1] - 1
    if spend[K] <= T:
        kc = float(K)
    else:
        j = int(np.searchsorted(spend, T, side="right") - 1)
        kc = j + (T - spend[j]) / (spend[j + 1] - spend[j]) if spend[j + 1] > spend[j] else float(j)
    k = np.full(tab.S.shape[0], kc)
    return Scored(_at(tab.S, k), _at(tab.E, k) * cost, {"cap": kc})


def _envelope_choice(Sbar, cbar, lam):
    ks = np.arange(Sbar.shape[1], dtype=float)
    return np.argmax(Sbar - lam * cbar[:, None] * ks[None, :] - 1e-12 * ks[None, :], axis=1)


def binned_transfer(tabA: Tables, costA, scoreA, tabB: Tables, costB, scoreB, B, n_bins: int) -> Scored:
    """Bins and bin curves learned on A, allocation (budget B·Σ costB) applied to B (module docstring)."""
    J = int(n_bins)
    edges = np.quantile(scoreA, np.arange(1, J) / J) if J > 1 else np.array([])
    bA = np.searchsorted(edges, scoreA, side="right")
    bB = np.searchsorted(edges, scoreB, side="right")
    overall = tabA.S.mean(axis=0)
    Sbar = np.array([tabA.S[bA == j].mean(axis=0) if np.any(bA == j) else overall for j in range(J)])
    onehot = bB[None, :] == np.arange(J)[:, None]                              # (J, NB)
    cnt = onehot.sum(axis=1)
    cbar = np.where(cnt > 0, (onehot * costB[None, :]).sum(axis=1) / np.maximum(cnt, 1), 1.0)
    T = float(B) * costB.sum()

    def spend(kj):
        return float(np.sum(cnt * cbar * kj))
    lo, hi = 0.0, float(np.max(np.diff(Sbar, axis=1) / cbar[:, None])) + 1e-9
    k_lo, k_hi = _envelope_choice(Sbar, cbar, lo), _envelope_choice(Sbar, cbar, hi)
    if spend(k_lo) <= T:
        k_hi, phi = k_lo, 0.0
    else:
        for _ in range(100):
            mid = 0.5 * (lo + hi)
            km = _envelope_choice(Sbar, cbar, mid)
            if spend(km) > T:
                if mid == lo:  # lo, hi adjacent floats: every further step repeats this one (same bracket, same k)
                    break
                lo, k_lo = mid, km
            else:
                if mid == hi:
                    break
                hi, k_hi = mid, km
        phi = (T - spend(k_hi)) / (spend(k_lo) - spend(k_hi)) if spend(k_lo) > spend(k_hi) else 0.0
    k0, k1 = k_hi[bB].astype(np.int64), k_lo[bB].astype(np.int64)
    rows = np.arange(bB.size)
    succ = tabB.S[rows, k0] + phi * (tabB.S[rows, k1] - tabB.S[rows, k0])
    spent = costB * (k0 + phi * (k1 - k0))
    return Scored(succ, spent, {"k_per_bin": (k_hi + phi * (k_lo - k_hi)).tolist()})


def oracle_on(tab: Tables, cost, B, rng) -> Scored:
    """Upper bound: the best allocation on each problem's own table (concave envelope)."""
    k = lagrangian_table_allocation(tab.S, float(B) * cost.sum(), cost, rng=rng).astype(np.int64)
    rows = np.arange(k.size)
    return Scored(tab.S[rows, k], k * cost)



# ============================================================================ the split-half scorer

@dataclass
class SplitCell:
    """One (model, budget) cell scored on the held-out half; ``boot`` holds each policy's bootstrap ratios."""

    budget: float
    chosen: str
    choose_ratios: dict
    ratio: dict          # policy -> point ratio on the scoring half (oracle included, as an upper bound)
    gain: dict           # policy -> accuracy minus uniform's at the same budget (scoring half)
    boot: dict           # policy -> (R,) bootstrap ratios on the scoring half
    spend: dict          # policy -> mean spend on the scoring half (samples per problem, cost-weighted)
    k_sat: float         # where the scoring half's uniform curve reaches its maximum
    n_choose: int
    n_score: int


def split_half(n, c, cost, score, budgets, *, choose_idx, score_idx, rng: np.random.Generator,
               n_boot: int = 200, tpr: float = 1.0, fpr: float = 0.0, n_bins: int = 5,
               policies=SPLIT_POLICIES, oracle: bool = True, kmax: int | None = None) -> list[SplitCell]:
    """Choose the policy on ``choose_idx`` problems, score it on ``score_idx`` (module docstring).

    ``score``: predictor score per problem (higher = easier; used only by the binned policy). Budgets must
    not exceed the fewest logged samples; tables reach ``kmax`` (default: the fewest logged samples), the
    largest ratio measurable being kmax / budget. ``oracle``: also score the oracle (an upper bound).
    Returns one ``SplitCell`` per budget.
    """
    _rng(rng)
    n, c = np.asarray(n, float), np.asarray(c, float)
    cost = np.ones(n.size) if cost is None else np.asarray(cost, float) / np.mean(cost)
    if score is None and "binned_predicted" in policies:
        raise ParameterError("the binned policy needs a predictor score")
    score = np.zeros(n.size) if score is None else np.asarray(score, float)
    bad = [p for p in policies if p not in SPLIT_POLICIES]
    if bad or not policies:
        raise ParameterError(f"admissible policies {list(policies)} must be a non-empty subset of {SPLIT_POLICIES}")
    kmax = int(n.min()) if kmax is None else int(min(kmax, n.min()))
    budgets = [float(b) for b in budgets]
    if max(budgets) > kmax:
        raise ParameterError(f"budget {max(budgets):g} exceeds the fewest logged samples ({kmax}): not replayable")
    tab = replay_tables(n, c, kmax, tpr=tpr, fpr=fpr)
    iA, iB = np.asarray(choose_idx), np.asarray(score_idx)
    tA, tB = tab.take(iA), tab.take(iB)
    cA, cB = cost[iA], cost[iB]
    UA = tA.S[:, 1:].mean(axis=0)
    UB = tB.S[:, 1:].mean(axis=0)
    W = bootstrap.counts(iB.size, n_boot, rng) if n_boot > 0 else np.zeros((0, iB.size))
    UW = (W @ tB.S[:, 1:]) / np.maximum(W.sum(axis=1, keepdims=True), 1)
    out = []
    for B in budgets:
        def run(pol, t, cc, sc, half):
            if pol == "early_stop":
                return early_stop_on(t, cc, B)
            if pol == "binned_predicted":
                if half == "A":  # in-sample on the choosing half: its own bins and curves
                    return binned_transfer(tA, cA, score[iA], tA, cA, score[iA], B, n_bins)
                return binned_transfer(tA, cA, score[iA], tB, cB, score[iB], B, n_bins)
            raise ParameterError(pol)
        ch = {}
        for pol in policies:
            s = run(pol, tA, cA, None, "A")
            ch[pol] = float(ratio_at_spend(UA[None], [s.success.mean()], [s.spent.sum() / cA.sum()])[0])
        chosen = sorted(policies, key=lambda p: (-np.nan_to_num(ch[p], nan=-1), policies.index(p)))[0]
        ratio, gain, boot, spend = {}, {}, {}, {}
        base = uniform_on(tB, cB, B).success.mean()
        scored = {p: run(p, tB, cB, None, "B") for p in policies}
        if oracle:
            scored["oracle_greedy"] = oracle_on(tB, cB, B, rng)
        for pol, s in scored.items():
            spend[pol] = float(s.spent.sum() / cB.sum())
            ratio[pol] = float(ratio_at_spend(UB[None], [s.success.mean()], [spend[pol]])[0])
            gain[pol] = float(s.success.mean() - base)
            if n_boot > 0:
                accR = (W @ s.success) / W.sum(axis=1)
                spR = (W @ s.spent) / (W @ cB)
                boot[pol] = ratio_at_spend(UW, accR, spR)
            else:
                boot[pol] = np.full(0, np.nan)
        out.append(SplitCell(B, chosen, ch, ratio, gain, boot, spend, ratio_ceiling(UB, 1.0), int(iA.size), int(iB.size)))
    return out


def split_indices(n_problems: int, fraction: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """A random split: ``fraction`` of the problems for choosing, the rest for scoring (each at least 1)."""
    _rng(rng)
    if not (0.0 < fraction < 1.0):
        raise ParameterError(f"parameter 'split_fraction' = {fraction!r} must lie in (0, 1)")
    if n_problems < 2:
        raise ParameterError("a split needs at least 2 problems")
    perm = rng.permutation(n_problems)
    m = int(np.clip(round(fraction * n_problems), 1, n_problems - 1))
    return np.sort(perm[:m]), np.sort(perm[m:])



# ============================================================================ a whole counts frame

def replay_cells(frame, budgets, *, seed: int, split_seeds=(0,), aggregations=AGGREGATIONS, tpr: float = 0.9,
                 fpr: float = 0.1, n_boot: int = 200, n_bins: int = 5, split_fraction: float = 0.5,
                 kmax_factor: int = 16, oracle_for=None, score_col: str | None = "score"):
    """``split_half`` for every model of a counts frame (model, problem_id, n_samples, n_correct, cost and a
    predictor column ``score_col``, NaN where no predictor exists), every split seed and every aggregation.

    The split is drawn over the dataset's problem ids (jointly for all models) from
    ``default_rng([seed, split_seed])``; bootstrap draws from ``default_rng([seed, split_seed, i_agg, 1])``.
    Budgets above a model's fewest logged samples are left out (not replayable). ``oracle_for``: the one
    (split_seed, aggregation) at which the oracle is scored (None: every one). Returns a frame with one row
    per (model, aggregation, split_seed, budget, policy): ratio, gain, spend, k_sat, choose_ratio, boot
    (an array), n_choose, n_score, n_min (fewest logged samples).
    """
    import pandas as pd

    f = frame.sort_values(["model", "problem_id"], kind="stable")
    universe = np.array(sorted(f["problem_id"].astype(str).unique()))
    rows = []
    for s in split_seeds:
        perm = np.random.default_rng([seed, int(s)]).permutation(universe.size)
        m = int(np.clip(round(split_fraction * universe.size), 1, universe.size - 1))
        in_a = pd.Series(False, index=universe)
        in_a.iloc[np.sort(perm[:m])] = True
        for ia, agg in enumerate(aggregations):
            if agg not in AGGREGATIONS:
                raise ParameterError(f"aggregation {agg!r} is not one of {AGGREGATIONS}")
            t, fp = (1.0, 0.0) if agg == "perfect verifier" else (tpr, fpr)
            rng = np.random.default_rng([seed, int(s), ia, 1])
            for model, g in f.groupby("model", sort=True):
                n = g["n_samples"].to_numpy(float)
                bs = [b for b in budgets if b <= n.min()]
                a_mask = in_a.reindex(g["problem_id"].astype(str)).to_numpy()
                if not bs or a_mask.all() or not a_mask.any():
                    continue
                sc = g[score_col].to_numpy(float) if score_col in g else np.full(n.size, np.nan)
                pols = SPLIT_POLICIES if np.isfinite(sc).all() else ("early_stop",)
                kmax = int(min(n.min(), kmax_factor * max(bs)))
                cells = split_half(n, g["n_correct"].to_numpy(float), g["cost"].to_numpy(float),
                                   np.where(np.isfinite(sc), sc, 0.0), bs, choose_idx=np.flatnonzero(a_mask),
                                   score_idx=np.flatnonzero(~a_mask), rng=rng, n_boot=n_boot, tpr=t, fpr=fp,
                                   n_bins=n_bins, policies=pols, kmax=kmax,
                                   oracle=oracle_for is None or oracle_for == (s, agg))
                for cl in cells:
                    for pol in cl.ratio:
                        rows.append({"model": str(model), "aggregation": agg, "split_seed": int(s),
                                     "budget": cl.budget, "policy": pol, "ratio": cl.ratio[pol],
                                     "gain": cl.gain[pol], "spend": cl.spend[pol], "k_sat": cl.k_sat,
                                     "choose_ratio": cl.choose_ratios.get(pol, np.nan), "boot": cl.boot[pol],
                                     "n_choose": cl.n_choose, "n_score": cl.n_score, "n_min": int(n.min())})
    return pd.DataFrame(rows)

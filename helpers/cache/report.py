"""What notebook 05 prints and tables: published figures, simulator and logged summaries, sweeps, the summary.

Every function turns computed numbers into the sentences (or small frames) a reader sees; none computes
evidence. The results file's metrics are assembled in ``helpers.cache.metrics``.
"""
from __future__ import annotations

import math

import pandas as pd

from .. import pricing


# ---------------------------------------------------------------- the claim and its source


def published(ce: pd.DataFrame) -> dict:
    """The published figures of claim 5 (rows of ``headline_figures.csv`` with claim ``cache_economics``)."""
    def fig(source_id, quantity_start):
        return ce[(ce["source_id"] == source_id) & ce["quantity"].str.startswith(quantity_start)].iloc[0]

    spend = [float(x) for x in fig("TRACELAB2026", "spend split")["value"].split(";")]
    pub = {"share": fig("ALZAHRANI2026", "share of recorded tokens that were cache reads")["value_numeric"] / 100,
           "tracelab": fig("TRACELAB2026", "share of input tokens that were cache reads")["value_numeric"] / 100,
           "tracelab_read_cost": spend[0] / 100,
           "tl_medians": [float(x) for x in fig("TRACELAB2026", "median tokens per call")["value"].split(";")],
           "openhands": [float(x) / 100 for x in fig("OPENHANDS_PR741", "cache reads as share")["value"].split(";")],
           "case_days": fig("ALZAHRANI2026", "study window")["value_numeric"],
           "case_artifacts": fig("ALZAHRANI2026", "output-proxy events")["value_numeric"]}
    allp = pub["openhands"] + [pub["share"], pub["tracelab"]]
    pub["lo"], pub["hi"] = min(allp), max(allp)
    return pub


def published_text(pub: dict) -> str:
    oh = pub["openhands"]
    return "\n".join([
        f"Case study (Alzahrani 2026): {pub['share']:.1%} of all recorded tokens were cache reads.",
        f"TraceLab: {pub['tracelab']:.0%} of input tokens were cache reads; cached prefix = {pub['tracelab_read_cost']:.1%} of spend.",
        f"OpenHands with context condensation: {min(oh):.1%} to {max(oh):.1%} of prompt tokens.",
        f"Published range of cache-read shares: {pub['lo']:.1%} to {pub['hi']:.1%} (denominators differ: all tokens vs prompt tokens)."])


# ---------------------------------------------------------------- the model


def price_defaults() -> pd.DataFrame:
    """Each provider's default price per token type and the published figure its base prices reproduce."""
    rows = []
    for prov in sorted(pricing.BASE_PRICES):
        t = pricing.price_table(prov)
        rows.append({"provider": prov, **{f"{k} (USD/Mtok)": v for k, v in t.usd_per_mtok().items()},
                     "source of base prices": pricing.BASE_PRICES[prov][2]})
    return pd.DataFrame(rows)


def prices_text(prices) -> str:
    return (f"The simulator is priced as {prices.provider}: " +
            ", ".join(f"{k} {v:.3g}" for k, v in prices.usd_per_mtok().items()) + " USD per million tokens.")


def simulation_text(sim, errs, reps, n_reps, days, pub) -> str:
    """The default simulation: size, identities, shares, costs, medians and artifacts vs the published ones."""
    turns = sim[sim["kind"] == "turn"]
    med = [turns["cache_read"].median(), (turns[["uncached_input", "cache_write_5m", "cache_write_1h"]].sum(axis=1)).median(),
           turns["output"].median()]
    lines = [
        f"{len(sim):,} simulated calls ({(sim['kind'] == 'compaction').sum():,} compactions) in {n_reps} agents x {days} days.",
        f"Identities: largest |prompt - sum of parts| = {errs['prompt']:.0f} tokens; largest |cost - sum of parts| = {errs['cost']:.2e} USD.",
        f"Cache reads: {reps['cache_read_share_tokens']:.1%} of all tokens "
        f"(95% of agents within {reps['cache_read_share_tokens_lo']:.1%} to {reps['cache_read_share_tokens_hi']:.1%}), "
        f"{reps['cache_read_share_prompt']:.1%} of prompt tokens, but {reps['cache_read_share_cost']:.1%} of cost.",
        f"Cost per token {reps['cost_per_token_usd'] * 1e6:.3f} USD per million; cost per finished artifact "
        f"{reps['cost_per_artifact_usd']:.2f} USD ({reps['cost_per_artifact_usd_lo']:.2f} to {reps['cost_per_artifact_usd_hi']:.2f}).",
        "Median tokens per call, simulated vs TraceLab's published medians (not fitted):"]
    for lab, s, t in zip(("cached prefix (read)", "new prompt tokens", "output"), med, pub["tl_medians"]):
        lines.append(f"  {lab:22s} {s:>10,.0f}   vs {t:>10,.0f}")
    lines.append(f"Finished artifacts per day: simulated {sim['artifacts_finished'].sum() / n_reps / days:.2f} vs the case study's "
                 f"{pub['case_artifacts'] / pub['case_days']:.2f} (output-proxy events per calendar day; not fitted).")
    return "\n".join(lines)


# ---------------------------------------------------------------- logged evidence


def price_notes_text(logs) -> str:
    return "\n".join(f"Prices for {name}: " + "; ".join(f"{m}: {h}" for m, h in how.items())
                     for name, how in logs.price_notes.items())


def logged_view(logs) -> pd.DataFrame:
    """Totals per logged source with the session-bootstrap interval of the read share of all tokens."""
    view = pd.DataFrame(logs.totals).T
    view["share 95% interval"] = [f"{logs.ci[k]['cache_read_share_tokens'][0]:.1%} to {logs.ci[k]['cache_read_share_tokens'][1]:.1%}"
                                  for k in view.index]
    return view[["calls", "uncached_input", "cache_write", "cache_read", "output", "cache_read_share_tokens",
                 "share 95% interval", "cache_read_share_prompt", "cache_read_share_cost", "cost_usd"]]


def logged_text(logs) -> str:
    return "\n".join(f"{name}: cache reads {t['cache_read_share_tokens']:.1%} of all tokens, {t['cache_read_share_prompt']:.1%} "
                     f"of prompt tokens, {t['cache_read_share_cost']:.1%} of cost ({t['calls']} calls, {t['cost_usd']:.2f} USD)."
                     for name, t in logs.totals.items())


def sources_table(entries) -> pd.DataFrame:
    return pd.DataFrame([{"source": e["name"], "sessions": e["sessions"], "calls": e["calls"], **e["tokens"],
                          "read share (all tokens)": e["cache_read_share"], "95% CI (sessions)": e["cache_read_share_ci"],
                          "read share (input)": e["cache_read_share_input"]} for e in entries])


def sources_text(entries, min_sessions: int) -> str:
    lines = []
    for e in entries:
        lo, hi = e["cache_read_share_ci"] or (math.nan, math.nan)
        enough = "enough to decide" if e["sessions"] >= min_sessions else f"fewer than min_sessions = {min_sessions}: unresolved"
        lines.append(f"{e['name']}: cache reads {e['cache_read_share']:.1%} of all tokens (95% interval over {e['sessions']} sessions "
                     f"{lo:.1%} to {hi:.1%}), {e['cache_read_share_input']:.1%} of input; {e['calls']} calls; {enough}.")
    return "\n".join(lines)


# ---------------------------------------------------------------- cost per token vs per artifact


BENCH_COLUMNS = ["attempts", "solved", "pass_rate", "cost_per_mtok_usd", "cost_per_attempt_usd", "cost_per_solved_usd",
                 "cost_per_solved_lo", "cost_per_solved_hi"]


def cost_bench_size_text(cb) -> str:
    runs = cb.runs
    return (f"{runs['setup'].nunique()} setups x {runs['task'].nunique()} tasks, "
            f"{runs.groupby(['setup', 'task']).size().median():.0f} attempts per setup and task (median).")


def cost_bench_text(cb) -> str:
    bench = cb.table
    cheapest_tok = bench["cost_per_mtok_usd"].idxmin()
    solved_rank = bench["cost_per_solved_usd"].rank(method="min")
    return (f"Kendall tau(cost per token, cost per solved task) = {cb.tau_tok:.2f} (95% interval {cb.tau_ci[0]:.2f} to "
            f"{cb.tau_ci[1]:.2f}); tau(cost per attempt, cost per solved task) = {cb.tau_att:.2f}.\n"
            f"The cheapest setup per token, {cheapest_tok} ({bench.loc[cheapest_tok, 'cost_per_mtok_usd']:.2f} USD/Mtok), ranks "
            f"{int(solved_rank[cheapest_tok])} of {len(bench)} per solved task ({bench.loc[cheapest_tok, 'cost_per_solved_usd']:.2f} USD); "
            f"the cheapest per solved task is {bench['cost_per_solved_usd'].idxmin()} ({bench['cost_per_solved_usd'].min():.2f} USD).")


def read_share_text(part_b, read_share_source: str, writes_billed: bool) -> str:
    if read_share_source not in part_b.read_shares:
        return ""
    return (f"Cache-aware prices: {part_b.read_shares[read_share_source]:.1%} of every run's input read from the cache "
            f"(the {read_share_source} share of input), the rest billed {'as cache writes' if writes_billed else 'as input'}.")


def decisions_table(decisions: dict) -> pd.DataFrame:
    return pd.DataFrame([{"decision": k, "options": len(d["options"]), "cheapest per token": d["token_pick"],
                          "cheapest per solved task (cache-aware)": d["artifact_pick"], "cost ratio": d["ratio"],
                          "ratio 95% CI": d["ratio_ci"], "P(change)": d["p_change"]} for k, d in decisions.items()])


def mcpmark_text(decisions: dict, unsolved, no_cache: dict, aware_token_pick: str) -> str:
    d = decisions["mcpmark: all configurations"]
    lines = [f"{d['token_pick']} is the cheapest per token; {d['artifact_pick']} the cheapest per solved task, "
             f"{d['ratio']:.2f}x cheaper per solved task (95% interval {d['ratio_ci'][0]:.2f} to {d['ratio_ci'][1]:.2f}); "
             f"the choice changes in {d['p_change']:.0%} of task resamples." + (f" Never solved a task: {', '.join(unsolved)}." if unsolved else ""),
             f"Without caching (list prices on both sides) the cheapest per solved task is {no_cache['artifact_pick']}: the "
             f"decision {'changes' if no_cache['artifact_pick'] != no_cache['token_pick'] else 'does not change'} with the denominator alone; "
             f"with cache-aware prices on both sides the cheapest per token is {aware_token_pick}."]
    for k, dd in decisions.items():
        if k != "mcpmark: all configurations":
            lines.append(f"{k}: cheapest per token {dd['token_pick']}, per solved task {dd['artifact_pick']}"
                         + (f" (changes in {dd['p_change']:.0%} of resamples)." if dd["p_change"] is not None else "."))
    return "\n".join(lines)


# ---------------------------------------------------------------- where it holds and breaks (simulator)


def context_text(ctx: dict, prefix_grid) -> tuple[bool, str]:
    """(do cost per artifact and per token move in opposite directions with the prefix (5-minute TTL)?, sentence)."""
    d5 = ctx["5-minute TTL"]
    ratio_art = d5["cost_per_artifact_usd"].iloc[-1] / d5["cost_per_artifact_usd"].iloc[0]
    ratio_tok = d5["cost_per_token_usd"].iloc[-1] / d5["cost_per_token_usd"].iloc[0]
    opposite = bool((ratio_art > 1) != (ratio_tok > 1))
    return opposite, (f"From {prefix_grid[0]:,} to {prefix_grid[-1]:,} prefix tokens (5-minute TTL): cost per artifact x{ratio_art:.2f}, "
                      f"cost per token x{ratio_tok:.2f}: the two denominators move {'in opposite directions' if opposite else 'the same way'}.")


def sensitivity_text(sens: dict, majority_share: float, openhands) -> tuple[list, list, str]:
    """(settings below the majority share, settings reaching the OpenHands range, sentences)."""
    pts = [(f, float(v), s) for f, d in sens.items() for v, s in zip(d["value"], d["cache_read_share_tokens"])]
    breaks = [(f, v) for f, v, s in pts if s < majority_share]
    in_oh = [(f, v) for f, v, s in pts if s <= max(openhands)]
    lines = [f"{f}: share from {d['cache_read_share_tokens'].min():.1%} to {d['cache_read_share_tokens'].max():.1%}; "
             f"cost per artifact from {d['cost_per_artifact_usd'].min():.2f} to {d['cost_per_artifact_usd'].max():.2f} USD."
             for f, d in sens.items()]
    lines.append("Settings with a share below the majority threshold: " +
                 (", ".join(f"{f} = {v:g}" for f, v in breaks) if breaks else "none in the swept ranges."))
    comp_min = sens["compaction_threshold_tokens"]["cache_read_share_tokens"].min()
    lines.append(f"Compaction alone keeps the share at {comp_min:.1%} or more over the swept thresholds, above the OpenHands "
                 f"counter-example ({min(openhands):.1%} to {max(openhands):.1%}); in this model a share in that range needs the cache to "
                 f"be lost on most calls: " + (", ".join(f"{f} = {v:g}" for f, v in in_oh) if in_oh else "no swept setting gets there") + ".")
    return breaks, in_oh, "\n".join(lines)


def break_even_text(be_sim, be_cf, idle_prob: float) -> str:
    out = ("Break-even mean idle pause, simulated: " + (", ".join(f"{x:,.0f} s" for x in be_sim) or "none in the grid") +
           "; closed form: " + (", ".join(f"{x:,.0f} s" for x in be_cf) or "none in the grid") + ".")
    if len(be_sim) == 2:
        out += (f"\nThe 1-hour TTL gives cheaper artifacts when idle pauses average between {be_sim[0]:,.0f} s and {be_sim[1]:,.0f} s "
                f"(with idle pauses before {idle_prob:.0%} of calls); outside that window the 5-minute TTL does.")
    return out


# ---------------------------------------------------------------- verdict


def summary_text(verdict: str, robustness, table: pd.DataFrame, part_status: dict, share_of: str, user_given: bool) -> str:
    """The results file's one-sentence summary, computed from the evidence table and the verdict."""
    a_rows = table[(table["unit"] == "session") & table["in_scope"]]
    parts_txt = "; ".join(f"{r.source} {r.figure:.1%} [{r.ci[0]:.1%}, {r.ci[1]:.1%}] over sessions: {r.outcome}"
                          for r in a_rows.itertuples() if r.ci)
    b_rows = table[(table["unit"] == "decision") & table["in_scope"]]
    b_txt = ", ".join(f"{r.source}: {r.outcome}" for r in b_rows.itertuples())
    return (f"{verdict} ({robustness.agree} of {robustness.specifications} specifications agree): part (a) cache reads as a share of "
            f"{'all tokens' if share_of == 'tokens' else 'input'}: {parts_txt or 'no source'} -> {part_status['a']}; "
            + (f"part (b) cheapest per token vs per solved task at cache-aware prices: {b_txt or 'no decision'} -> {part_status['b']}."
               if not user_given else "part (b) is not required with your logs."))

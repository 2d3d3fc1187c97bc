"""Claim 5's verdict: in persistent agents most tokens are cache reads, so cost per artifact is the denominator.

The claim has two parts, each judged on its own evidence rows (``helpers.verdicts`` evidence rows), then
combined. The rule is fixed here, before any number is looked at; every threshold is a notebook parameter.

Part (a): most tokens are cache reads in persistent agents (unit ``session``)
----------------------------------------------------------------------------
One row per real log source (a set of agent sessions read by ``helpers.agent_logs``): the Codex CLI
sessions of madshn/localpush, the TraceLab sample, or with ``logs_path`` each format of the user's logs.
The share is Σ cache reads / Σ all tokens (``share_of = "tokens"``, the seed's denominator) or
Σ cache reads / Σ prompt tokens (``"input"``) over the source's calls. Calls within a session share one
context and are not independent, so the interval is a **cluster bootstrap over sessions**: sessions are
resampled with replacement (seeded ``numpy.random.Generator``), the share is the ratio of the resampled
sums, the interval its percentiles. A row

- is ``unresolved`` when the source has fewer than ``min_sessions`` sessions (TraceLab's 2 cannot decide),
  or when its interval contains ``majority_share``;
- ``holds`` when the interval's lower end is above ``majority_share``;
- ``breaks`` when the interval's upper end is below it.

Part (b): the per-artifact denominator changes decisions (unit ``decision``)
----------------------------------------------------------------------------
One row per decision among options run on the same tasks: MCPMark (tool-use agents) over all
configurations and within each effort ladder (budget points of one model); coding-agent-cost-bench setups
as a generality check (out of scope by default). The *token pick* is the option with the lowest cost per
token at list price (``token_prices = "list"``; or at cache-aware prices); the *artifact pick* the option
with the lowest cost per solved task (a passing run) at **cache-aware prices**. R = cost per solved task
of the token pick / that of the artifact pick (R >= 1; R = 1: same decision). A task bootstrap (tasks
resampled with replacement, the same draw for every option) gives R's interval and p_change, the share of
draws in which the token pick is not the cheapest per solved task. A row

- ``holds`` when p_change >= ``confidence`` (the decision changes);
- ``breaks`` when p_change <= 1 - ``confidence`` (it does not);
- ``unresolved`` otherwise, or when no option solves a task.

Cache-aware prices (an assumption, stated in ``helpers.cache.decisions``): a share s of every run's input
tokens, s measured on real agent logs, is billed at the provider's cache-read price and the rest at its
write price (``writes_billed``) or as input; coding-agent-cost-bench records billed dollars, which already
include caching.

Combination
-----------
A part holds when at least ``min_rows`` of its in-scope rows are resolved and at least ``part_share`` of
them hold; it breaks when enough are resolved and fewer hold; it is unresolved otherwise. Then:
both parts hold: **supported**; one holds: **partly supported**; neither: **not supported**; a required
part unresolved: **inconclusive**. With user logs only part (a) is required (logs carry no per-option
artifacts), so the user's verdict is part (a) on the user's sessions alone.
"""
from __future__ import annotations

from typing import Iterable, Mapping, Sequence

import pandas as pd

from .. import validate, verdicts
from .decisions import TOKEN_PRICES

PART_OF_UNIT = {"session": "a", "decision": "b"}
PART_NAMES = {"a": "most tokens are cache reads", "b": "the per-artifact denominator changes decisions"}
SHARE_OF = ("tokens", "input")


def share_row(entry: Mapping, *, majority_share: float, min_sessions: int, share_of: str = "tokens",
              in_scope: bool = True, setting: str = "coding agents") -> dict:
    """Part (a) evidence row of one log source (see the module docstring)."""
    validate.choice("share_of", share_of, SHARE_OF)
    key = "cache_read_share" if share_of == "tokens" else "cache_read_share_input"
    fig, ci = entry.get(key), entry.get(f"{key}_ci")
    n = int(entry["sessions"])
    if n < min_sessions:
        outcome, why = "unresolved", f"{n} session(s) < min_sessions = {min_sessions}"
    elif ci is None or fig is None:
        outcome, why = "unresolved", "no interval"
    elif ci[0] > majority_share:
        outcome, why = "holds", f"interval above {majority_share:g}"
    elif ci[1] < majority_share:
        outcome, why = "breaks", f"interval below {majority_share:g}"
    else:
        outcome, why = "unresolved", f"interval contains {majority_share:g}"
    note = f"cache reads / {'all tokens' if share_of == 'tokens' else 'prompt tokens'}; {n} sessions, " \
           f"{entry['calls']} calls; {why}"
    return verdicts.evidence_row(entry["name"], "session", in_scope=in_scope, outcome=outcome, figure=fig, ci=ci,
                                 setting=setting, note=note)


def decision_row(name: str, d: Mapping, *, confidence: float, in_scope: bool = True, setting: str = "tool use") -> dict:
    """Part (b) evidence row of one decision (see the module docstring)."""
    p = d.get("p_change")
    if p is None:
        outcome = "unresolved"
    elif p >= confidence:
        outcome = "holds"
    elif p <= 1 - confidence:
        outcome = "breaks"
    else:
        outcome = "unresolved"
    note = (f"cheapest per token: {d['token_pick']}; cheapest per solved task (cache-aware): {d.get('artifact_pick')}; "
            f"P(change) = {'n/a' if p is None else f'{p:.2f}'} over task resamples")
    return verdicts.evidence_row(name, "decision", in_scope=in_scope, outcome=outcome, figure=d.get("ratio"),
                                 ci=d.get("ratio_ci"), setting=setting, note=note)


def evidence_rows(a_entries: Sequence[Mapping], b_decisions: Mapping[str, Mapping], *, majority_share: float,
                  min_sessions: int, share_of: str, confidence: float, cost_bench_in_scope: bool = False,
                  user_given: bool = False) -> list[dict]:
    """The evidence rows: part (a) from log-source entries (names 'user:...' are the user's), part (b) from
    decisions (names starting 'cost_bench' are coding agents, in scope only with ``cost_bench_in_scope``).
    Without user data the user's rows are left out; with it only they are in scope (``verdicts.user_scope``)."""
    rows = []
    for e in a_entries:
        user = str(e["name"]).startswith("user:")
        if user and not user_given:
            continue
        rows.append(share_row(e, majority_share=majority_share, min_sessions=min_sessions, share_of=share_of,
                              in_scope=user or not user_given, setting="user" if user else "coding agents"))
    for name, d in b_decisions.items():
        bench = name.startswith("cost_bench")
        rows.append(decision_row(name, d, confidence=confidence,
                                 in_scope=(cost_bench_in_scope if bench else True) and not user_given,
                                 setting="coding agents" if bench else "tool use"))
    return rows


def evidence(a_entries: Sequence[Mapping], b_decisions: Mapping[str, Mapping], **kw) -> pd.DataFrame:
    return verdicts.evidence_table(evidence_rows(a_entries, b_decisions, **kw))   # ``evidence_rows`` as a table


# ---------------------------------------------------------------- the rule


def check_thresholds(*, majority_share: float, min_sessions: int, confidence: float, part_share: float,
                     min_rows: int) -> None:
    """Every threshold in range (errors name the parameter)."""
    validate.number("majority_share", majority_share, 0.0, 1.0, lo_open=True, hi_open=True)
    validate.integer("min_sessions", min_sessions, 1)
    validate.number("confidence", confidence, 0.5, 1.0, lo_open=True)
    validate.number("part_share", part_share, 0.0, 1.0, lo_open=True)
    validate.integer("min_rows", min_rows, 1)


def rule_text(*, majority_share: float, min_sessions: int, confidence: float, part_share: float, min_rows: int,
              share_of: str = "tokens", token_prices: str = "list", user_given: bool = False) -> str:
    """The rule in words, computed from the thresholds (printed before the evidence)."""
    check_thresholds(majority_share=majority_share, min_sessions=min_sessions, confidence=confidence,
                     part_share=part_share, min_rows=min_rows)
    den = "all tokens" if share_of == "tokens" else "prompt tokens"
    a = (f"(a) most tokens are cache reads: a real log source holds when the 95% interval of its cache-read share of "
         f"{den}, resampling sessions, lies above {majority_share:.0%}; it breaks when the interval lies below; "
         f"fewer than {min_sessions} sessions or an interval containing {majority_share:.0%} leave it unresolved.")
    b = (f"(b) the per-artifact denominator changes decisions: a decision among options run on the same tasks holds "
         f"when the option cheapest per token at {'list' if token_prices == 'list' else 'cache-aware'} prices is not the cheapest per solved task under cache-aware "
         f"prices in at least {confidence:.0%} of task resamples; it breaks when that happens in at most "
         f"{1 - confidence:.0%}; unresolved in between.")
    comb = (f"A part holds when at least {min_rows} of its in-scope rows are resolved and at least {part_share:.0%} "
            f"of them hold, breaks when fewer hold. Both parts hold: supported; one: partly supported; neither: not "
            f"supported; a required part without {min_rows} resolved row(s): inconclusive.")
    scope = ("With your logs only part (a) is required and only your logs are in scope (they carry no artifacts "
             "per option); the study's evidence is shown beside them." if user_given else
             "In scope: real agent logs for (a); tool-use agent runs (MCPMark) for (b); coding-agent-cost-bench is a "
             "generality check and simulators never decide.")
    return " ".join([a, b, comb, scope])


def part_status(table: pd.DataFrame | Sequence[Mapping], part: str, *, part_share: float, min_rows: int) -> str:
    """'holds' | 'breaks' | 'unresolved' for part 'a' or 'b' from the in-scope rows of its unit
    (``table``: an evidence table or its rows)."""
    rows = table.to_dict("records") if isinstance(table, pd.DataFrame) else table
    mine = [r["outcome"] for r in rows if r["in_scope"] and PART_OF_UNIT.get(r["unit"]) == part]
    h, b = mine.count("holds"), mine.count("breaks")
    if h + b < min_rows:
        return "unresolved"
    return "holds" if h / (h + b) >= part_share else "breaks"


def combine(status: Mapping[str, str], parts: Iterable[str] = ("a", "b")) -> str:
    """The verdict from the required parts' statuses (module docstring)."""
    s = [status[p] for p in parts]
    if not s or any(x == "unresolved" for x in s):
        return "inconclusive"
    n = sum(x == "holds" for x in s)
    return "supported" if n == len(s) else ("not supported" if n == 0 else "partly supported")


def decide(table: pd.DataFrame | Sequence[Mapping], *, part_share: float, min_rows: int, user_given: bool = False) -> tuple[str, dict]:
    """(verdict, {part: status}); with user data only part (a) is required."""
    rows = table.to_dict("records") if isinstance(table, pd.DataFrame) else table
    status = {p: part_status(rows, p, part_share=part_share, min_rows=min_rows) for p in ("a", "b")}
    return combine(status, ("a",) if user_given else ("a", "b")), status


# ---------------------------------------------------------------- the reasonable alternatives (specification curve)

SPEC_ALTERNATIVES = {"majority_share": (0.5, 2 / 3), "min_sessions": (2, 5, 10), "share_of": ("tokens", "input"),
                     "cache_price_mode": ("own", "Anthropic", "OpenAI", "DeepSeek"), "writes_billed": (True, False),
                     "token_prices": ("list", "cache-aware"), "read_share_source": ("codex_localpush", "tracelab_sample"),
                     "cost_bench_in_scope": (False, True), "min_rows": (1, 2)}


def specification_choices(p) -> tuple[dict, dict]:
    """(choices, head) of the specification curve: each analysis choice's alternatives, the notebook's value first.

    Full mode uses every alternative of ``SPEC_ALTERNATIVES``; quick mode keeps the notebook's value and the
    first other alternative of each choice, so every choice still varies:

    - alternatives per choice: 2-4 -> 2 (specifications with the defaults: 3072 -> 512)
    """
    head = {k: getattr(p, k) for k in SPEC_ALTERNATIVES}
    choices = {k: list(dict.fromkeys([head[k], *alts])) for k, alts in SPEC_ALTERNATIVES.items()}
    if getattr(p, "quick", False):
        choices = {k: v[:2] for k, v in choices.items()}
    return choices, head


def specification_verdict(source_entries, decisions_of, *, confidence: float, part_share: float, user_given: bool):
    """The verdict of one specification (a dict of ``specification_choices`` values), for
    ``verdicts.specification_curve``; ``decisions_of(price_mode, writes_billed, token_prices, read_share_source)``
    gives the part (b) decisions of a price specification."""
    def verdict_of(spec):
        dec = decisions_of(spec["cache_price_mode"], spec["writes_billed"], spec["token_prices"], spec["read_share_source"])
        t = evidence_rows(source_entries, dec, majority_share=spec["majority_share"], min_sessions=spec["min_sessions"],
                          share_of=spec["share_of"], confidence=confidence, cost_bench_in_scope=spec["cost_bench_in_scope"],
                          user_given=user_given)
        return decide(t, part_share=part_share, min_rows=spec["min_rows"], user_given=user_given)[0]
    return verdict_of

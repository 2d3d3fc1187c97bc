"""Claim 5, cache economics: in a persistent agent most tokens are cache reads, so the cost unit is the artifact.

The claim has two parts, judged on logged data (``verdict``): (a) most tokens of real agent sessions are
cache reads (intervals resample sessions); (b) the per-artifact denominator changes decisions (the option
cheapest per token is not the cheapest per solved task at cache-aware prices; intervals resample tasks).
The model: a token ledger priced per call (foundation ``helpers.tokens`` and ``helpers.pricing``) and a
persistent-agent simulator whose prompt cache lives for a TTL refreshed by every read; the simulator and
its closed forms explain the mechanisms (TTL, idle gaps, compaction, context size) and never decide.

Modules: ``simulator`` (the persistent agent), ``sweeps`` (replicate summaries, common-random-number
sweeps), ``closed_forms`` (gap tail, expected call cost, TTL break-even), ``sessions`` (part a: logged
sessions, cluster bootstrap), ``costs`` (cost per solved task, rank agreement), ``decisions`` (part b:
cache-aware prices, decisions among options), ``verdict`` (the rule), ``recovery`` (checks of known
ground truth), ``logged`` (reading and pricing the logged sources), ``report`` (printed text and tables),
``metrics`` (the results file's claim metrics), ``figures`` (the notebook's plots), ``params`` (the notebook's
parameter schema).
"""
from ..pricing import (BASE_PRICES, FIVE_MINUTES_S, MULTIPLIER_ROWS, ONE_HOUR_S, PROVIDER_PATTERNS, PriceTable,
                       default_multipliers, price_ledger, price_table, provider_of, published_multipliers,
                       resolve_prices, tracelab_price_tables)
from ..tokens import COST_COLUMNS, PROMPT_COLUMNS, TOKEN_COLUMNS, check_ledger, group_totals, identity_errors, totals
from .closed_forms import (closed_form_session_sums, crossings, expected_call_cost, p_gap_exceeds,
                           ttl_break_even_closed_form)
from .costs import cost_per_solved_task, kendall_tau_a, rank_agreement
from .decisions import (TOKEN_PRICES, cost_bench_matrices, decision, ladder_decisions, mcpmark_decisions,
                        mcpmark_matrices, mcpmark_prices, mcpmark_task_sums, provider_terms)
from .sessions import bootstrap_shares, session_bootstrap, session_sums, source_entry, task_weights
from .simulator import AgentParams, draw_randomness, simulate_agent
from .sweeps import rep_summary, summarize_reps, sweep
from .verdict import (PART_NAMES, PART_OF_UNIT, SHARE_OF, check_thresholds, combine, decide, decision_row, evidence,
                      evidence_rows, part_status, rule_text, share_row)
from . import params  # noqa: E402,F401  (the notebook's schema: cache.params.SCHEMA)

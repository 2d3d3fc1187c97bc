"""The parameters of notebook 05 (claim 5): their schema, the quick-mode sizes and the simulator they describe.

``SCHEMA`` lists every parameter of the notebook's parameters cell in the cell's order (``helpers.schema``).
The simulator's fields have the ranges ``AgentParams.validate`` enforces; the cross checks build the
simulator's ``AgentParams`` (its compaction threshold must exceed the largest stable prefix plus the
summary) and try every value of every sensitivity grid as a value of the parameter it sweeps, so a bad grid
stops the notebook before the simulations, with an error naming the grid and the item.
``sizes`` gives the days, replicates and bootstrap draws actually used (quick mode shrinks them), ``grids``
the sensitivity grids actually swept (quick mode thins them); ``agent_params`` the simulator's assumptions
from the parameters.
"""
from __future__ import annotations

from .. import pricing
from .. import schema as s
from ..validate import ParameterError
from .decisions import TOKEN_PRICES
from .simulator import AgentParams
from .verdict import SHARE_OF

PROVIDERS = sorted(pricing.BASE_PRICES)
READ_SHARE_SOURCES = ("codex_localpush", "tracelab_sample")
# simulator fields set from the notebook's parameters (every field but day_start_hour)
AGENT_FIELDS = [f for f in AgentParams.field_names() if f != "day_start_hour"]
# sensitivity grid -> the simulator parameter it sweeps
GRIDS = {"ttl_grid_s": "cache_ttl_s", "idle_gap_grid_s": "idle_gap_mean_s", "idle_prob_grid": "idle_prob",
         "compaction_grid_tokens": "compaction_threshold_tokens", "prefix_grid_tokens": "stable_prefix_tokens",
         "break_even_idle_grid_s": "idle_gap_mean_s"}


QUICK_GRID_POINTS = 3  # values per sensitivity grid in quick mode (the ends and evenly spaced inner values)


def sizes(p) -> tuple[int, int, int]:
    """(days, replicates, bootstrap draws) used; full mode uses the parameters as given, quick mode caps them:

    - days: 115 -> 14
    - n_reps: 20 -> 3
    - n_boot: 2000 -> 200
    - figures: saved as drafts (``plotting.set_theme(quick)``: 120 -> 60 dpi, unhinted text, no tight crop)
    (quick mode also thins the sensitivity grids, see ``grids``, and the specification curve's
    alternatives, see ``verdict.specification_choices``.)
    """
    if p.quick:
        return min(p.days, 14), min(p.n_reps, 3), min(p.n_boot, 200)
    return p.days, p.n_reps, p.n_boot


def thin(values: list, k: int) -> list:
    """At most ``k`` (>= 2) of ``values``: the first, the last and evenly spaced ones between, in order."""
    if len(values) <= k:
        return list(values)
    idx = sorted({round(i * (len(values) - 1) / (k - 1)) for i in range(k)})
    return [values[i] for i in idx]


def grids(p) -> dict[str, list]:
    """The sensitivity grids swept ({grid parameter: values}); full mode uses each grid as given, quick mode
    keeps at most ``QUICK_GRID_POINTS`` values of each (the ends and evenly spaced inner values):

    - ttl_grid_s: 8 -> 3 values
    - idle_gap_grid_s: 6 -> 3 values
    - idle_prob_grid: 6 -> 3 values
    - compaction_grid_tokens: 6 -> 3 values
    - prefix_grid_tokens: 5 -> 3 values
    - break_even_idle_grid_s: 11 -> 3 values
    """
    return {g: thin(getattr(p, g), QUICK_GRID_POINTS) if p.quick else getattr(p, g) for g in GRIDS}


def agent_params(p) -> AgentParams:
    """The simulator's assumptions from the parameters (with the days used), validated."""
    kw = {f: getattr(p, f) for f in AGENT_FIELDS}
    kw["days"] = sizes(p)[0]
    return AgentParams(**kw).validate()


def _grids_valid(p) -> None:
    """Every value of each grid is a valid value of the parameter it sweeps (errors name the grid item)."""
    base = agent_params(p)
    for gname, field in GRIDS.items():
        for i, v in enumerate(getattr(p, gname)):
            try:
                base.with_(**{field: v})
            except ParameterError as exc:
                raise ParameterError(f"parameter '{gname}[{i}]' = {v!r}: {exc}") from None


def _grid(item: s.Param) -> s.Param:
    return s.sequence(item, increasing=True, min_len=2)


SCHEMA = s.Schema({
    "quick": s.boolean(),
    "seed": s.seed(),
    "logs_path": s.path("file or folder").or_none(),
    "artifacts_in_logs": s.integer(1, None).or_none(),
    "price_provider": s.choice(PROVIDERS),
    "input_usd_per_mtok": s.number(0.0, None).or_none(),
    "output_usd_per_mtok": s.number(0.0, None).or_none(),
    "days": s.integer(1, 10_000),
    "sessions_per_day": s.number(0.0, 100.0, lo_open=True),
    "turns_per_session": s.number(1.0, 10_000.0),
    "stable_prefix_tokens": s.integer(0, 10_000_000),
    "memory_growth_tokens_per_day": s.integer(0, 1_000_000),
    "new_input_mean_tokens": s.integer(0, 10_000_000),
    "new_input_sigma": s.number(0.0, 5.0),
    "output_mean_tokens": s.integer(0, 10_000_000),
    "output_sigma": s.number(0.0, 5.0),
    "turn_gap_mean_s": s.number(0.0, 86_400.0, lo_open=True),
    "idle_prob": s.probability(),
    "idle_gap_mean_s": s.number(0.0, 1_000_000.0, lo_open=True),
    "session_gap_mean_s": s.number(0.0, 1_000_000.0, lo_open=True),
    "cache_ttl_s": s.number(0.0, pricing.ONE_HOUR_S, lo_open=True),
    "write_share": s.probability(),
    "compaction_threshold_tokens": s.integer(1, 10**12),
    "summary_tokens": s.integer(0, 10_000_000),
    "compaction_keeps_prefix": s.boolean(),
    "artifact_rate": s.probability(),
    "rework_prob": s.probability(),
    "n_reps": s.integer(2, 1000),
    "n_boot": s.integer(100, 100_000),
    "ttl_grid_s": _grid(s.number(0.0, pricing.ONE_HOUR_S, lo_open=True)),
    "idle_gap_grid_s": _grid(s.number(0.0, 1_000_000.0, lo_open=True)),
    "idle_prob_grid": _grid(s.probability()),
    "compaction_grid_tokens": _grid(s.number(1.0, 1e12)),
    "prefix_grid_tokens": _grid(s.number(0.0, 10_000_000.0)),
    "break_even_idle_grid_s": _grid(s.number(0.0, 1_000_000.0, lo_open=True)),
    "majority_share": s.number(0.0, 1.0, lo_open=True, hi_open=True),
    "min_sessions": s.integer(1, None),
    "share_of": s.choice(SHARE_OF),
    "decision_confidence": s.number(0.5, 1.0, lo_open=True),
    "part_share": s.number(0.0, 1.0, lo_open=True),
    "min_rows": s.integer(1, None),
    "cache_price_mode": s.choice(["own"] + PROVIDERS),
    "fallback_provider": s.choice(PROVIDERS),
    "writes_billed": s.boolean(),
    "token_prices": s.choice(TOKEN_PRICES),
    "read_share_source": s.choice(READ_SHARE_SOURCES),
    "cost_bench_in_scope": s.boolean(),
}, checks=[agent_params, _grids_valid])

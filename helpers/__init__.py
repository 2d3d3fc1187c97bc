"""Helpers of the test-time-scaling / token-budget study.

One module per idea; each module's docstring states its model.

Foundation
- ``paths``          repository root and output folders (independent of the working directory)
- ``validate``       parameter checks that raise errors naming the parameter and its range
- ``results``        the results file every notebook writes (contract section 3), atomically
- ``plotting``       the study's one seaborn theme and figure saving
- ``registry``       pinned, hash-verified external files (pooch), ``DATA_MIRROR`` support
- ``datasets``       tidy loaders for published tables and logged data
- ``agent_runs``     tidy loaders for tool-use and deep-research agent runs: MCPMark runs, effort ladders and
                     thinking pairs, DeepDive, BrowseComp-Plus, the localpush Codex rollouts
- ``curves``         accuracy-versus-budget curve fits with intervals, ceilings and gain per doubling
- ``sampling``       repeated sampling: pass@k, Beta-mixture coverage, majority vote, verifiers
- ``deps``           which helpers each notebook imports (for make and staleness checks)
- ``report``         the HTML index of rendered notebooks and their verdicts
- ``verdicts``       verdict rules stated before the evidence, evidence tables, specification curves
- ``tokens``         the token ledger: five disjoint token columns per model call, its identities and shares
- ``pricing``        provider price tables (published multipliers, TraceLab's pricing.json), the per-call cost

Claims
- ``search_scaling`` (1) the (r, s) model, same-shape test, substitution between budgets
- ``search_scaling_verdict`` (1) the claim's rule, evidence rows, MCPMark ladders, BrowseComp-Plus bins
- ``variance/``      (2) package: variance attribution (R² alone, Shapley) with bootstrap intervals, run simulator,
                     the claim's rule (evidence rows, attainable R², specification curve), notebook 02's text and figures
- ``allocation``     (3) allocation policies at equal budget, efficiency ratios
- ``allocation_replay`` (3) replay of logged attempts under a perfect or stated-error verifier, split-half
                     policy choice and scoring, the fitted prior refitted per resample
- ``allocation_verdict`` (3) claim 3's rule, evidence table, specification curve, MCPMark problems table
- ``ceiling``        (4) Beta-mixture ceilings and catch-up budgets
- ``ceiling_verdict`` (4) the rule, comparisons at matched spend (MCPMark pairs, observed curves)
- ``cache``          (5) package: persistent-agent cache simulator, closed forms, logged-session and decision
                     evidence, the two-part rule (cache-read share over sessions, per-artifact decisions)
- ``agent_logs``     (5) private-by-construction readers of agent logs
- ``synthesis``      the verdict table and the answer, from the claim results
- ``planner``        the budget planner (composes the claim helpers; no model of its own)
"""

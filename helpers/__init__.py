"""Helpers of the test-time-scaling / token-budget study.

One module per idea, each docstring stating its model. Notebooks import the claim packages
(``search_scaling``, ``variance``, ``allocation``, ``ceiling``, ``cache``, ``planner``: one per notebook, its rule
in ``verdict.py`` and its parameters in ``params.py``); claim packages import the foundation (``paths``,
``validate``, ``schema``, ``results``, ``bootstrap``, ``verdicts``, data readers, ...); the foundation imports no
claim package. The README's "Code layout" lists every module with the first line of its docstring
(``helpers.layout`` writes it, so it cannot drift from the code).
"""

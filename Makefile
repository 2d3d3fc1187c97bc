# The study's single entry point. `make help` lists the targets.
# A fresh machine needs only Python 3.11, 3.12 or 3.13, git and make: every target builds
# .venv from requirements.lock first if it is missing or out of date.
SHELL := /bin/bash
.DELETE_ON_ERROR:
.SUFFIXES:
.DEFAULT_GOAL := all

# PYTHON= or, once .venv exists, its Python (make's own steps need only the standard library); before that
# the newest supported Python on PATH that runs (a pyenv shim of an inactive version does not), by its own
# path, not a shim's (a shim adds 60 ms to each of make's Python steps; trying them, half a second to each make)
ifndef PYTHON
PYTHON := $(shell .venv/bin/python -c 'import sys; print(sys.executable)' 2>/dev/null)
ifeq ($(PYTHON),)
PYTHON := $(or $(shell for v in 3.13 3.12 3.11; do p=$$(command -v python$$v) \
            && $$p -c 'import sys; print(sys.executable)' 2>/dev/null && break; done),python3)
endif
endif
# uv installs the lock in seconds: the one on PATH, else bootstrapped into .venv with pip; USE_UV=0
# (or no index serving uv) installs the same lock with pip
USE_UV     ?= 1
UV_VERSION ?= 0.13.9
UV_ON_PATH := $(shell command -v uv 2>/dev/null)
# Left out of the lock, and so out of .venv (the complete lock installs with --no-deps; an older .venv loses
# them): rfc3987-syntax, an optional format checker of jsonschema that compiles 38 lark grammars on import
# (1.5-3.5 s in every process that imports nbformat: each papermill run and page render; jsonschema issue
# #1428), and lark, which only it needs. Without it jsonschema skips only the "iri" formats' checks, as
# before jsonschema 4.26.
LOCK_OMIT := rfc3987-syntax lark
VENV   := .venv
PY     := $(VENV)/bin/python
KERNEL := tts-study
VENV_STAMP := $(VENV)/.installed
MANIFEST   := data/external/MANIFEST.json
FETCH_STAMP := data/external/.fetch.stamp
# Small linear algebra (curve fits, many tiny solves) is much slower with multithreaded BLAS on 2 cores
OPENBLAS_NUM_THREADS ?= 1
OMP_NUM_THREADS ?= 1
export OPENBLAS_NUM_THREADS OMP_NUM_THREADS
# Python writes the bytecode of what it imports (its default; pip compiles at install, uv does not): a
# PYTHONDONTWRITEBYTECODE set in the shell (common in containers) would make every process, each kernel and
# test worker, compile numpy, pandas, scipy... from source again: the floor notebook took 16.7 s, not 4.8 s
unexport PYTHONDONTWRITEBYTECODE
# matplotlib keeps its font list in this environment (.venv/matplotlib), written by its own matplotlib: the
# default, ~/.cache/matplotlib, is shared by every matplotlib of the same version on the machine, and one
# built without the bundled fonts (a distribution's package, another environment) made every notebook print
# "findfont: Font family ['STIXGeneral'] not found" under its first log-scale figure. The kernel gets the
# same setting from its kernelspec (`make env`), so JupyterLab started any way uses it too.
export MPLCONFIGDIR := $(abspath $(VENV))/matplotlib
# pytest options of `make test`: the tests run on every core (pytest-xdist), a whole file to a worker, so a
# notebook's tests share its runs and a make module's tests its copy of the repository, handed out in
# collection order (the slowest files first, tests/conftest.py), not by their number of tests; TEST_ARGS= runs serially
TEST_ARGS ?= -n auto --dist loadfile --no-loadscope-reorder
# options of `make bench`, e.g. BENCH_ARGS=--quick-only
BENCH_ARGS ?=
# papermill options for one run, e.g. PARAMS="-p quick True" or PARAMS="-p n_tasks 2000"
PARAMS ?=

NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
STEMS     := $(notdir $(basename $(NOTEBOOKS)))
EXECUTED  := $(STEMS:%=reports/notebooks/%.ipynb)
HTML      := $(STEMS:%=reports/html/%.html)
# which helpers modules each notebook imports: one file for every notebook, written in one process
DEPS      := reports/deps/notebooks.d
HELPERS_PY := $(sort $(wildcard helpers/*.py helpers/*/*.py))
CLAIMS_EXECUTED := $(filter reports/notebooks/01_% reports/notebooks/02_% reports/notebooks/03_% \
                            reports/notebooks/04_% reports/notebooks/05_%,$(EXECUTED))

.PHONY: all test data lab clean distclean help lock env readme sweep bench FORCE
# the executed notebooks are outputs: never removed as make's intermediate files (which they would be, on
# the way to a page, if the dependency file naming them were missing)
.SECONDARY: $(EXECUTED)

## Run every notebook (papermill), render HTML, write reports/index.html
all: $(HTML) reports/index.html

## Run the tests: helpers, data loaders, and every notebook in quick mode
test: $(VENV_STAMP) $(MANIFEST)
	$(PY) -m pytest $(TEST_ARGS)

## Time the floor notebook, each notebook quick and full, make -j2 all, a no-op make, hot paths: reports/bench.json
bench: $(VENV_STAMP) $(MANIFEST)
	$(PY) -m helpers.bench $(BENCH_ARGS)

## Download and verify the logged data into data/external/ (DATA_MIRROR=folder to copy from a mirror)
# --strict: exit 1 naming the mirror folder or the files that could not be had (`make all` stays lenient)
data: $(VENV_STAMP)
	$(PY) -m helpers.registry fetch --strict --manifest $(MANIFEST)
	@touch $(FETCH_STAMP)

## Rewrite the README's findings table (synthesis results), code layout (docstrings) and parameter tables (schemas)
readme: reports/notebooks/06_synthesis.ipynb
	$(PY) -m helpers.synthesis readme
	$(PY) -m helpers.layout

## Run the sweep grids on Dask (SWEEP_QUICK=1: quick mode; SWEEP_GRID=full; DASK_SCHEDULER_ADDRESS=tcp://host:8786), then 08_sweep
sweep: $(VENV_STAMP) $(MANIFEST)
	@status=0; $(PY) -m helpers.sweep run || status=$$?; \
	  $(MAKE) --no-print-directory reports/html/08_sweep.html reports/html/06_synthesis.html reports/index.html && exit $$status

## Open JupyterLab on the notebooks folder with the study's kernel
lab: $(VENV_STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks --MappingKernelManager.default_kernel_name=$(KERNEL)

## Create the environment (.venv) and register the study's kernel inside it
env: $(VENV_STAMP)

## Remove generated output (reports/); keeps .venv and downloaded data
clean:
	rm -rf reports

## Remove generated output, downloaded data, the environment and the tests' kept notebook runs (.cache)
distclean: clean
	rm -rf $(VENV) data/external .cache

## Re-pin requirements.lock (one universal lock for Python 3.11-3.13) and environment.yml from pyproject.toml (needs network)
lock:
	@uv=$(or $(UV_ON_PATH),$(VENV)/bin/uv); test -x $$uv || { $(PYTHON) -m venv /tmp/tts-lock-venv \
	  && /tmp/tts-lock-venv/bin/pip install -q uv==$(UV_VERSION) && uv=/tmp/tts-lock-venv/bin/uv; }; \
	printf 'setuptools>=64\n' | $$uv pip compile -q pyproject.toml - --universal --python-version 3.11 \
	  --fork-strategy fewest --no-header --no-annotate $(LOCK_OMIT:%=--no-emit-package %) -o requirements.lock.tmp
	{ echo '# Pinned environment for `make`, one universal lock for Python 3.11-3.13 (setuptools builds the'; \
	  echo '# editable install). Regenerate with `make lock` after editing pyproject.toml; never edit by hand.'; \
	  cat requirements.lock.tmp; } > requirements.lock && rm requirements.lock.tmp
	$(PYTHON) -m helpers.envfile > environment.yml

## Show this help
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-zA-Z_.\/%-]+:/{ if (doc) { split($$0,t,":"); printf "  make %-10s %s\n", t[1], doc; doc="" } }' $(MAKEFILE_LIST)
	@echo '  One notebook with other parameters:  make reports/html/01_search_scaling.html PARAMS="-p quick True"'

# ---------------------------------------------------------------- one make at a time; dry runs write nothing
# Two makes in one tree would race on the same outputs: the first takes reports/.make.lock and a second
# waits for it (MAKE_LOCK_WAIT=0: stops at once instead). When make is killed, its papermill, kernel and
# temporary files go with it, and a later run removes any leftovers (helpers/makelock.py).
# A make started by this one (`make sweep`) runs under its lock. `make -n` takes no lock, rewrites no parameters file and regenerates no dependency file.
DRY_RUN := $(findstring n,$(firstword -$(MAKEFLAGS)))
ifeq ($(DRY_RUN)$(STUDY_MAKE_LOCKED)$(filter help test lab lock env,$(MAKECMDGOALS)),)
ifneq ($(shell $(PYTHON) helpers/makelock.py $$PPID >&2; echo $$?),0)
$(error another make is running in this tree (see above))
endif
export STUDY_MAKE_LOCKED := 1
endif

# ---------------------------------------------------------------- environment
ifeq ($(shell test -L $(VENV) && echo linked),linked)
# A linked .venv (the tests' and the bench's copies of the repository link the checkout's) is another
# checkout's environment: never reinstalled from here, even when this copy's lock looks newer than its stamp
# (that would point its editable install and its kernel at this copy, which is deleted after the tests)
$(VENV_STAMP): ;
else
$(VENV_STAMP): requirements.lock pyproject.toml
	@uv=$(if $(filter 0,$(USE_UV)),,$(UV_ON_PATH)); \
	if [ -n "$$uv" ]; then test -x $(PY) || $$uv venv -q --seed --python $(PYTHON) $(VENV); \
	else \
	  test -x $(PY) || $(PYTHON) -m venv $(VENV); \
	  if [ "$(USE_UV)" != 0 ]; then \
	    if $(PY) -m pip install -q --disable-pip-version-check uv==$(UV_VERSION); then uv=$(VENV)/bin/uv; \
	    else echo "make env: could not install uv, installing with pip instead" >&2; fi; \
	  fi; \
	fi; \
	if [ -n "$$uv" ]; then \
	  echo "installing requirements.lock into $(VENV) with $$uv"; \
	  $$uv pip install -q --python $(PY) --no-deps -r requirements.lock \
	  && $$uv pip install -q --python $(PY) --no-deps --no-build-isolation -e . \
	  && { $$uv pip uninstall -q --python $(PY) $(LOCK_OMIT) 2>/dev/null || true; }; \
	else \
	  echo "installing requirements.lock into $(VENV) with pip"; \
	  $(PY) -m pip install -q --disable-pip-version-check --no-deps -r requirements.lock \
	  && $(PY) -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e . \
	  && { $(PY) -m pip uninstall -y -q $(LOCK_OMIT) >/dev/null 2>&1 || true; }; \
	fi
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (tts-study)" \
	  --env MPLCONFIGDIR $(MPLCONFIGDIR) >/dev/null
	$(PY) -c "import matplotlib.font_manager"  # builds the font list once, with the bundled fonts
	@touch $@
endif

# ---------------------------------------------------------------- data
# The stamp re-runs the fetch when the registry changes; MANIFEST.json is rewritten only when the
# set of available files changes, so notebooks re-run only then.
$(FETCH_STAMP): $(wildcard helpers/registry/*.py) | $(VENV_STAMP)
	$(PY) -m helpers.registry fetch --manifest $(MANIFEST)
	@touch $@
ifeq ($(DRY_RUN),)
$(MANIFEST): $(FETCH_STAMP) ;
else
# a dry run cannot know whether the fetch would change the manifest: it shows the fetch when due,
# without claiming that every notebook would re-run (a real run re-runs them only if it changes)
$(MANIFEST): | $(FETCH_STAMP) ;
endif

# ---------------------------------------------------------------- notebooks
# Each notebook's run depends on its source, its parameters, the data manifest and the
# PARAMS go to the notebooks named on the command line (all of them for `make all`), not to the
# prerequisites make runs on the way (e.g. the claim notebooks before the planner).
# helpers modules it imports (reports/deps/notebooks.d, found by helpers/deps.py).
GOAL_STEMS := $(if $(filter-out all,$(MAKECMDGOALS)),$(basename $(notdir $(MAKECMDGOALS))),$(STEMS))
# (a dry run only marks a parameters file out of date when PARAMS differ, so `make -n` tells the truth)
ifeq ($(filter clean distclean help lock env bench,$(MAKECMDGOALS)),)
ifeq ($(DRY_RUN),)
$(foreach s,$(filter $(STEMS),$(GOAL_STEMS)),$(shell mkdir -p reports/params; f=reports/params/$s.params; \
  echo '$(PARAMS)' | cmp -s - $$f 2>/dev/null || echo '$(PARAMS)' > $$f))
# the list of helpers modules, rewritten only when one is added, deleted or moved: then the deps file is
# rewritten too (a folder's mtime would also move when Python first writes __pycache__ into it)
$(shell mkdir -p reports/deps; echo '$(HELPERS_PY)' | cmp -s - reports/deps/modules.list 2>/dev/null \
  || echo '$(HELPERS_PY)' > reports/deps/modules.list)
-include $(DEPS)
else
$(foreach s,$(filter $(STEMS),$(GOAL_STEMS)),$(if $(shell echo '$(PARAMS)' | cmp -s - reports/params/$s.params \
  2>/dev/null || echo differ),$(eval reports/params/$s.params: FORCE)))
-include $(wildcard $(DEPS))
endif
endif

reports/params/%.params:
	@mkdir -p $(@D)
	@echo '$(if $(filter $*,$(GOAL_STEMS)),$(PARAMS))' > $@

ifeq ($(DRY_RUN),)
$(DEPS): $(NOTEBOOKS) $(HELPERS_PY) reports/deps/modules.list
	@mkdir -p $(@D)
	@$(PYTHON) -m helpers.deps $(foreach s,$(STEMS),notebooks/$s.ipynb reports/notebooks/$s.ipynb) \
	  > $@.$$$$.tmp && mv $@.$$$$.tmp $@
endif

# helpers/pipeline.py prints "[i/n] stem ..." and "[i/n] stem 35 s", shows papermill's progress bar on a
# terminal, drops the kernel's TCP warning, and keeps a failed run as reports/failed/<stem>.ipynb.
# papermill writes the executed notebook once at the end (on a failure: up to the failing cell), not twice
# per cell (--no-request-save-on-cell-execute: 1.5-2 s of a quick run's CPU).
reports/notebooks/%.ipynb: export STUDY_RUN_BY := make
reports/notebooks/%.ipynb: notebooks/%.ipynb reports/params/%.params $(MANIFEST) $(VENV_STAMP)
	@mkdir -p $(@D)
	@$(PY) -m helpers.pipeline run $* $@ -- \
	  $(VENV)/bin/papermill --log-level WARNING --no-request-save-on-cell-execute -k $(KERNEL) --cwd notebooks \
	    $< $@.tmp.ipynb \
	  $(if $(filter $*,$(GOAL_STEMS)),$(PARAMS))

# the synthesis and the planner read the claim notebooks' results: run them last
reports/notebooks/06_synthesis.ipynb reports/notebooks/07_budget_planner.ipynb: $(CLAIMS_EXECUTED)
# the synthesis and the sweep notebook read the sweep table once `make sweep` has written it
reports/notebooks/06_synthesis.ipynb reports/notebooks/08_sweep.ipynb: $(wildcard reports/sweep/results.parquet)

# the reader's page: verdict box from the results file, code folded, math typeset offline (helpers/pages/)
reports/html/%.html: reports/notebooks/%.ipynb $(wildcard helpers/pages/*.py)
	@mkdir -p $(@D)
	@$(PY) -m helpers.pages $< $@

reports/index.html: $(HTML) helpers/report.py $(wildcard helpers/pages/*.py)
	@$(PY) -m helpers.report

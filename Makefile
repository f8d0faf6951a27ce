# Two commands a learner needs (see README): `make lab` and `make test`.
# Both create the virtual environment first if it is missing or out of date.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEPLOY := .venv-deploy

.PHONY: lab test test-hub venv progress notebooks exercises nav lock bench clean

# `make lab` listens on 127.0.0.1 only. Override for a container whose port you publish
# (make lab LAB_IP=0.0.0.0 LAB_ARGS=--port=8888), or add Jupyter flags (LAB_ARGS=--no-browser).
# LAB_IP is a variable of its own: Jupyter rejects a second --ip ("only accepts one value").
# With no browser on the machine Jupyter warns "No web browser found" and prints the URL with
# its token anyway, so --no-browser is not needed for that.
LAB_IP   ?= 127.0.0.1
LAB_ARGS ?=
# Jupyter refuses to start as root ("Running as root is not recommended. Use --allow-root to
# bypass."), and the shell of a Docker container or a fresh cloud VM often is root.
AS_ROOT   = $(filter 0,$(shell id -u))
ROOT_NOTE = make lab: you are root, so Jupyter gets --allow-root. Fine in a throwaway container, \
where root reaches only the container; on a shared machine every notebook (and anyone with the \
token) would run code as root, over the files of every user: there, run make lab as a normal user.

lab: $(STAMP)
	@$(if $(AS_ROOT),echo '$(ROOT_NOTE)',true)
	$(BIN)/jupyter lab --ServerApp.ip=$(LAB_IP) $(if $(AS_ROOT),--allow-root) $(LAB_ARGS) notebooks/00_index.ipynb

# Two steps. 1: the load test (200 clients) alone: its 800 server threads slow down badly
# when they share the cores (122 s instead of 35 s, near its 120 s bound, in a loaded run).
# 2: everything else in one run on four workers: it mostly waits (on sockets, reconnections,
# processes starting), so four workers keep both cores busy; --dist loadfile keeps each
# notebook in one kernel, and conftest.py hands out the longest files first
# (tests/test_variants.py, every exercise's shipped stubs, wrong and alternative solutions in
# kernels of its own, then the biggest notebooks), so that the workers finish together.
# Tests marked `manual` run only by hand.
# The solution notebooks' checks wait up to CHECK_TIMEOUT seconds for each event (the learner's
# default is 1 s, see server/checks.py default_timeout): four workers on two cores is the "slow
# shared machine" that docstring speaks of, and a check that passes ends its waits on arrival,
# so the longer bound costs nothing. tests/test_variants.py sets its own (short, for the wrong
# variants that must fail).
PYTEST := $(BIN)/python -m pytest
CHECK_TIMEOUT ?= 3
test: $(STAMP)
	$(PYTEST) -m slow tests/test_load.py
	FSL_CHECK_TIMEOUT=$(CHECK_TIMEOUT) $(PYTEST) -n 4 --dist loadfile --no-loadscope-reorder -m "not slow and not manual"

# A real classroom JupyterHub with two learners in headless Chromium (tests/hub/, about 1.5
# min), on its own: pyproject's norecursedirs keeps tests/hub out of `make test` and of a bare
# pytest. Its proxy, configurable-http-proxy, comes from npm, pinned in
# tests/hub/package-lock.json, and is re-installed only when that lock changes.
# FSL_REQUIRE_HUB=1: a missing proxy, node or Chromium fails the test instead of skipping it.
HUB_NPM := tests/hub/node_modules/.installed
test-hub: $(STAMP) $(HUB_NPM)
	FSL_REQUIRE_HUB=1 $(PYTEST) tests/hub

$(HUB_NPM): tests/hub/package-lock.json
	cd tests/hub && npm ci --no-audit --no-fund --loglevel=error
	touch $@

venv: $(STAMP)

# Run the checks of your exercise notebooks (as saved) and show which tasks are done.
progress: $(STAMP)
	$(BIN)/python -m server.progress

# Re-install only when a lock or the project metadata changed.
# .venv-deploy is lesson 10's production environment (gunicorn, gevent, Celery): never in
# .venv, where an importable gevent would change the async mode of every lesson's server.
$(STAMP): requirements.lock requirements-deploy.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	test -x $(DEPLOY)/bin/python || $(PYTHON) -m venv $(DEPLOY)
	$(DEPLOY)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-deploy.lock
	touch $@

# --- maintainer commands -------------------------------------------------
# Re-execute every notebook and save it with its outputs (after editing one).
notebooks: $(STAMP)
	$(BIN)/python tools/nav.py
	$(BIN)/python tools/make_exercises.py
	$(BIN)/python tools/execute.py notebooks solutions

# Regenerate exercises/ from solutions/ (solution regions become stubs).
exercises: $(STAMP)
	$(BIN)/python tools/make_exercises.py

nav: $(STAMP)
	$(BIN)/python tools/nav.py

# Re-resolve requirements.lock from pyproject.toml, then environment.yml from it.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --no-header --strip-extras --extra lab --extra test \
		--constraint tools/lock-constraints.txt --output-file requirements.lock pyproject.toml
	$(BIN)/python tools/lock_to_conda.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_server.py

clean:
	rm -rf $(VENV) $(DEPLOY) *.egg-info

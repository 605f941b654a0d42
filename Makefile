# aiodynamodb developer commands. Needs only Python >= 3.11, GNU make, git and Node.js >= 20
# with npm: every target installs what it uses by itself, into folders inside the repository
# (.venv, .venv-lowest, .dynalite), refreshed when the files they come from change.
#
#   make demo    the example service's tests and the quickstart script (in-memory backend)
#   make test    lint, then the suite on memory, dynalite, the server backend and the
#                lowest supported dependency versions; fails on any failure
#   make lint    ruff check, ruff format --check, mypy --strict
#   make bench   the benchmarks (python -m benchmarks)
#   make clean   remove everything the targets above created

PYTHON ?= python3
# pytest-xdist workers for the test stages ("0" runs in-process). Measured on 2 cores: the
# memory suite needs ~33 s of CPU with 2 workers and ~28 s in one process; 2 workers finish
# first whenever the cores are free (as in CI), and tie when other work saturates them.
WORKERS ?= 2
# Extra pytest arguments for every run, e.g. `make test PYTEST_ARGS=-x`.
PYTEST_ARGS ?=

VENV := .venv
LOWEST := .venv-lowest
DYNALITE := .dynalite
PY := $(VENV)/bin/python
PY_LOWEST := $(LOWEST)/bin/python
PYTEST := $(PY) -m pytest $(PYTEST_ARGS)
PYTEST_LOWEST := $(PY_LOWEST) -m pytest $(PYTEST_ARGS)
# Starts dynalite on a free loopback port, runs the command with {endpoint} replaced by its
# URL, stops it again (tests/servers/dynalite.py).
WITH_DYNALITE := $(PY) -m tests.servers.dynalite --
ENDPOINT_OPTIONS := --dynamodb-backend=endpoint --dynamodb-endpoint={endpoint}
PIP_OPTIONS := --disable-pip-version-check --progress-bar off

# Stages run one after another even under `make -j` (their output would interleave). A
# failing stage stops the ones after it, unless make runs with -k as .ci/run does.
.NOTPARALLEL:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

.PHONY: help setup lint test test-memory test-dynalite test-server test-lowest demo bench clean

help:
	@sed -n '/^#   make demo/,/^#   make clean/s/^# //p' Makefile

# --- set-up -----------------------------------------------------------------------------

# `python -m venv` on an existing venv keeps it; pip then brings it in line with pyproject.
$(VENV)/.stamp: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "aiodynamodb needs Python >= 3.11; $(PYTHON) is $$($(PYTHON) -V 2>&1). Use: make PYTHON=python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install $(PIP_OPTIONS) -e '.[dev]'
	@touch $@

# The lowest versions pyproject.toml allows, pinned in .ci/constraints-lowest.txt (which
# says how they were found and why each is the floor): the suite must pass on them too.
$(LOWEST)/.stamp: pyproject.toml .ci/constraints-lowest.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "aiodynamodb needs Python >= 3.11; $(PYTHON) is $$($(PYTHON) -V 2>&1)." >&2; exit 1; }
	$(PYTHON) -m venv $(LOWEST)
	$(LOWEST)/bin/pip install $(PIP_OPTIONS) -c .ci/constraints-lowest.txt -e '.[dev]'
	$(LOWEST)/bin/pip check
	@touch $@

# dynalite from npm, pinned by tests/servers/package*.json, installed into .dynalite/ (never
# globally). `npm ci` installs exactly the lockfile.
$(DYNALITE)/.stamp: tests/servers/package.json tests/servers/package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || \
		{ echo "make test needs Node.js >= 20 and npm (for dynalite); neither is on PATH." >&2; exit 1; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' || \
		{ echo "dynalite 4 needs Node.js >= 20; this is $$(node --version)." >&2; exit 1; }
	mkdir -p $(DYNALITE)
	cp tests/servers/package.json tests/servers/package-lock.json $(DYNALITE)/
	cd $(DYNALITE) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.stamp

# --- checks -----------------------------------------------------------------------------

lint: $(VENV)/.stamp
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy --strict tests/typing

# Each stage exits non-zero on any failure, including pytest's 5 ("no tests collected"):
# a stage that ran nothing has not passed.
test: lint test-memory test-dynalite test-server test-lowest
	@echo "make test: lint, memory, dynalite, server and lowest-versions runs all passed."

# Every test (the suite and the example service's) on the default in-memory backend.
# dynalite is installed first: the endpoint backend's safety tests start their own server.
# AIODYNAMODB_REQUIRE_DYNALITE turns their "dynalite is not installed" skip into a failure.
test-memory: $(VENV)/.stamp $(DYNALITE)/.stamp
	AIODYNAMODB_REQUIRE_DYNALITE=1 $(PYTEST) -n $(WORKERS) tests examples

# The integration and fidelity suites again, against dynalite on the endpoint backend.
# The fidelity suite drives a raw client and reads the backend from the environment
# (AIODYNAMODB_BACKEND, plus AIODYNAMODB_TEST_ENDPOINT exported by the runner); the plugin
# reads the same variable, and the command line below takes precedence for it.
test-dynalite: $(VENV)/.stamp $(DYNALITE)/.stamp
	AIODYNAMODB_BACKEND=endpoint $(WITH_DYNALITE) $(PYTEST) -n $(WORKERS) tests/integration tests/fidelity $(ENDPOINT_OPTIONS)

# The integration suite on the server backend (the mock behind a loopback HTTP port).
test-server: $(VENV)/.stamp
	$(PYTEST) -n $(WORKERS) tests/integration --dynamodb-backend=server

# Unit and integration suites on the lowest dependency versions pyproject allows.
test-lowest: $(LOWEST)/.stamp
	$(PYTEST_LOWEST) -n $(WORKERS) tests/unit tests/integration

# --- the README's other commands ---------------------------------------------------------

demo: $(VENV)/.stamp
	$(PYTEST) -v examples
	$(PY) examples/quickstart.py

bench: $(VENV)/.stamp
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) $(LOWEST) $(DYNALITE) build dist *.egg-info \
		.mypy_cache .ruff_cache .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

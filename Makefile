# aiodynamodb developer commands. Needs only Python >= 3.11, GNU make, git and Node.js >= 20
# with npm (and, for `make test`, Python 3.11, 3.12 and 3.13: see "Interpreters" below):
# every target installs what it uses by itself, into folders inside the repository (.venv,
# .venv-*, .dynalite), refreshed when the files they come from change.
#
#   make demo    the example service's tests and the quickstart script (in-memory backend)
#   make test    lint, packaging and the suite on memory, dynalite, the server backend, then
#                on each dependency line and Python version; fails on any failure
#   make lint    ruff check, ruff format --check, mypy --strict, lint-imports (the layers),
#                twine check --strict
#   make bench   the benchmarks (python -m benchmarks)
#   make clean   remove everything the targets above created

PYTHON ?= python3
# pytest-xdist workers for the test stages ("0" runs in-process). Measured on 2 cores: the
# memory suite needs ~33 s of CPU with 2 workers and ~28 s in one process; 2 workers finish
# first whenever the cores are free (as in CI), and tie when other work saturates them.
WORKERS ?= 2
# Extra pytest arguments for every run, e.g. `make test PYTEST_ARGS=-x`.
PYTEST_ARGS ?=

# --- Interpreters ----------------------------------------------------------------------
# The stages that prove a Python version use that exact interpreter: pyenv's newest build of
# it when pyenv has one (CI does), else pythonX.Y on PATH; override with e.g.
# `make test PYTHON312=/usr/bin/python3.12`. A missing one FAILS its stage (with a message
# naming the variable), it does not skip: `make test` is the gate that says "passes on 3.11
# to 3.13", and a gate that quietly ran fewer versions would say it anyway. Run the other
# stages alone (`make test-memory` ...) on a machine that lacks one.
PYENV_ROOT ?= $(HOME)/.pyenv
find_python = $(or $(lastword $(sort $(wildcard $(PYENV_ROOT)/versions/$(1).*/bin/python$(1)))),$(shell command -v python$(1) 2>/dev/null))
PYTHON311 ?= $(call find_python,3.11)
PYTHON312 ?= $(call find_python,3.12)
PYTHON313 ?= $(call find_python,3.13)

VENV := .venv
DYNALITE := .dynalite
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest $(PYTEST_ARGS)
# Starts dynalite on a free loopback port, runs the command with {endpoint} replaced by its
# URL, stops it again (tests/servers/dynalite.py).
WITH_DYNALITE := $(PY) -m tests.servers.dynalite --
ENDPOINT_OPTIONS := --dynamodb-backend=endpoint --dynamodb-endpoint={endpoint}
PIP_OPTIONS := --disable-pip-version-check --progress-bar off
# Bytecode for the package itself, as `pip install aiodynamodb` writes it for a user: the
# venvs install it editable, which writes none, and with PYTHONDONTWRITEBYTECODE=1 (as on
# our machines) Python never caches it, so every process (each test worker, each pytester
# run, each benchmark child) would compile the ~900 KB of source again (~250 ms of CPU).
# compileall rewrites only what changed; each interpreter version keeps its own files.
BYTECODE := -m compileall -q aiodynamodb pytest_aiodynamodb
# The per-line stages run the unit suite (the codec, annotations and rules are where Python
# versions differ) and the integration suite (the client and the mock through aiobotocore's
# private APIs, where aiobotocore versions differ), but not the benchmark smoke test (one
# subprocess running the whole harness, the slowest test we have; nothing in it depends on
# the version) and not the plugin, docs, packaging or fidelity suites, which test pytest,
# the docs, the build and the servers rather than aiobotocore or Python: they run once, in
# test-memory and test-dynalite (and the fidelity suite once per client kind: boto3 in
# test-memory, the AWS SDK for JavaScript in test-server, aioboto3 in test-aioboto3). Each such stage takes ~35-55 s of 2 cores plus its venv's
# set-up on the first run, which keeps a fresh `make test` far under 30 minutes.
LINE_SUITES := tests/unit tests/integration --deselect tests/unit/test_benchmarks_smoke.py

# Stages run one after another even under `make -j` (their output would interleave). A
# failing stage stops the ones after it, unless make runs with -k as .ci/run does.
.NOTPARALLEL:
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

.PHONY: help setup lint test test-memory test-dynalite test-server test-lowest test-aioboto3 \
	test-py313 demo bench clean

help:
	@sed -n '/^#   make demo/,/^#   make clean/s/^# //p' Makefile

# --- set-up -----------------------------------------------------------------------------

# $(call make_venv,FOLDER,PYTHON,VARIABLE,PIP ARGUMENTS,WHAT,VERSION TEST): a venv at FOLDER
# from the interpreter PYTHON (named by VARIABLE in errors), which must pass VERSION TEST
# (`>= (3, 11)`, or `== (3, 12)` for a stage that proves one version), with
# `pip install PIP ARGUMENTS`. pip's
# output (~170 lines) goes to FOLDER/pip.log and is shown only when pip fails; `pip check`
# then proves the installed set is consistent.
define make_venv
	@test -n "$(2)" && "$(2)" -c 'import sys; sys.exit(not sys.version_info[:2] $(6))' 2>/dev/null || \
		{ echo "$(1) needs a Python whose version is $(6), but $(3)='$(2)' $(if $(2),is $$("$(2)" -V 2>&1),was not found (no pyenv build, nothing on PATH)). Set it: make $(3)=/path/to/python ..." >&2; exit 1; }
	@echo "== Setting up $(1) ($(5)) with $$("$(2)" -V 2>&1); pip's log: $(1)/pip.log"
	@"$(2)" -m venv --clear $(1)
	@# Packages an earlier pyproject.toml asked for (aioboto3 when it was required, the old
	@# setuptools-built "aiodynamodb" distribution) would stay and fail `pip check`: the venv
	@# is rebuilt whenever its inputs change (pip's cache makes that about a minute), and the
	@# old build's aiodynamodb.egg-info leaves the checkout.
	@rm -rf aiodynamodb.egg-info
	@$(1)/bin/pip install $(PIP_OPTIONS) $(4) >> $(1)/pip.log 2>&1 || \
		{ cat $(1)/pip.log >&2; echo "pip failed installing into $(1) (its output is above and in $(1)/pip.log)" >&2; exit 1; }
	@$(1)/bin/pip check >> $(1)/pip.log 2>&1 || { tail -n 20 $(1)/pip.log >&2; exit 1; }
	@$(1)/bin/python $(BYTECODE)
	@touch $(1)/.stamp
endef

# The development venv: everything, on the newest aiobotocore line (.ci/constraints-newest.txt).
$(VENV)/.stamp: pyproject.toml .ci/constraints-newest.txt
	$(call make_venv,$(VENV),$(PYTHON),PYTHON,-c .ci/constraints-newest.txt -e '.[dev]',the package and its dev tools,>= (3, 11))

# The lowest versions pyproject.toml allows, pinned in .ci/constraints-lowest.txt (which
# says how they were found and why each is the floor), on the lowest Python: the suite must
# pass on them too.
.venv-lowest/.stamp: pyproject.toml .ci/constraints-lowest.txt
	$(call make_venv,.venv-lowest,$(PYTHON311),PYTHON311,-c .ci/constraints-lowest.txt -e '.[dev]',lowest allowed versions,== (3, 11))

# aioboto3's newest release and the aiobotocore 2.x it pins, on Python 3.12. (A variable:
# $(call) would split a literal '.[dev,aioboto3]' at its comma.)
WITH_AIOBOTO3 := .[dev,aioboto3]
.venv-aioboto3/.stamp: pyproject.toml .ci/constraints-aioboto3.txt
	$(call make_venv,.venv-aioboto3,$(PYTHON312),PYTHON312,-c .ci/constraints-aioboto3.txt -e '$(WITH_AIOBOTO3)',aioboto3 15.5 and aiobotocore 2.25,== (3, 12))

# The newest aiobotocore 3.x, no aioboto3, on Python 3.13.
.venv-py313/.stamp: pyproject.toml .ci/constraints-newest.txt
	$(call make_venv,.venv-py313,$(PYTHON313),PYTHON313,-c .ci/constraints-newest.txt -e '.[dev]',newest aiobotocore 3.x,== (3, 13))

# dynalite from npm, pinned by tests/servers/package*.json, installed into .dynalite/ (never
# globally). `npm ci` installs exactly the lockfile.
$(DYNALITE)/.stamp: tests/servers/package.json tests/servers/package-lock.json
	@command -v node >/dev/null && command -v npm >/dev/null || \
		{ echo "make test needs Node.js >= 20 and npm (for dynalite); neither is on PATH." >&2; exit 1; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) < 20 ? 1 : 0)' || \
		{ echo "dynalite 4 needs Node.js >= 20; this is $$(node --version)." >&2; exit 1; }
	@echo "== Setting up $(DYNALITE) (dynalite from npm, pinned by tests/servers/package-lock.json)"
	@mkdir -p $(DYNALITE)
	@cp tests/servers/package.json tests/servers/package-lock.json $(DYNALITE)/
	@cd $(DYNALITE) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(VENV)/.stamp

# --- checks -----------------------------------------------------------------------------

# Versions a stage runs on, printed before it (.ci/versions.py).
VERSIONS := .ci/versions.py

# twine checks the sdist and wheel `python -m build` makes (in build/lint-dist; build's
# output is shown only when it fails). --no-isolation builds with .venv's hatchling instead
# of downloading one for each build.
lint: $(VENV)/.stamp
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/mypy --strict tests/typing
	$(VENV)/bin/lint-imports --no-cache
	@rm -rf build/lint-dist
	@$(PY) -m build --no-isolation --outdir build/lint-dist . > build-lint.log 2>&1 || \
		{ cat build-lint.log >&2; rm -f build-lint.log; exit 1; }
	@rm -f build-lint.log
	$(VENV)/bin/twine check --strict build/lint-dist/*

# Each stage exits non-zero on any failure, including pytest's 5 ("no tests collected"):
# a stage that ran nothing has not passed.
test: lint test-memory test-dynalite test-server test-lowest test-aioboto3 test-py313
	@echo "make test: lint, memory, dynalite, server, lowest-versions, aioboto3 and Python 3.13 runs all passed."

# Every test (the suite, the packaging tests and the example service's) on the default
# in-memory backend. dynalite is installed first: the endpoint backend's safety tests start
# their own server. AIODYNAMODB_REQUIRE_DYNALITE turns their "dynalite is not installed"
# skip into a failure.
# Then the fidelity suite again through a sync boto3 client (tests/fidelity/clients.py: its
# tests that do not use the suite's client skip in that pass; ~30 s of 2 cores).
test-memory: $(VENV)/.stamp $(DYNALITE)/.stamp
	@$(PY) $(BYTECODE)
	@$(PY) $(VERSIONS) memory
	AIODYNAMODB_REQUIRE_DYNALITE=1 $(PYTEST) -n $(WORKERS) tests examples
	AIODYNAMODB_FIDELITY_CLIENT=boto3 $(PYTEST) -n $(WORKERS) tests/fidelity

# The integration and fidelity suites again, against dynalite on the endpoint backend.
# The fidelity suite drives a raw client and reads the backend from the environment
# (AIODYNAMODB_BACKEND, plus AIODYNAMODB_TEST_ENDPOINT exported by the runner); the plugin
# reads the same variable, and the command line below takes precedence for it.
test-dynalite: $(VENV)/.stamp $(DYNALITE)/.stamp
	@$(PY) $(BYTECODE)
	@$(PY) $(VERSIONS) dynalite
	AIODYNAMODB_BACKEND=endpoint $(WITH_DYNALITE) $(PYTEST) -n $(WORKERS) tests/integration tests/fidelity $(ENDPOINT_OPTIONS)

# The integration suite on the server backend (the mock behind a loopback HTTP port), then
# the fidelity suite sent by the AWS SDK for JavaScript (from .dynalite/node_modules) to the
# server command in another process.
test-server: $(VENV)/.stamp $(DYNALITE)/.stamp
	@$(PY) $(BYTECODE)
	@$(PY) $(VERSIONS) server
	$(PYTEST) -n $(WORKERS) tests/integration --dynamodb-backend=server
	AIODYNAMODB_REQUIRE_DYNALITE=1 AIODYNAMODB_FIDELITY_CLIENT=node $(PYTEST) -n $(WORKERS) tests/fidelity

# The three dependency lines x Python versions (each stage: $(LINE_SUITES), see above).
# Python 3.11 with the lowest versions pyproject allows.
test-lowest: .venv-lowest/.stamp
	@.venv-lowest/bin/python $(BYTECODE)
	@.venv-lowest/bin/python $(VERSIONS) lowest
	.venv-lowest/bin/python -m pytest $(PYTEST_ARGS) -n $(WORKERS) $(LINE_SUITES)

# Python 3.12 with aioboto3 15.5 and its aiobotocore 2.25.1; the aioboto3 session test must
# run here, not skip (AIODYNAMODB_REQUIRE_AIOBOTO3). Then the fidelity suite through
# aioboto3's client.
test-aioboto3: .venv-aioboto3/.stamp
	@.venv-aioboto3/bin/python $(BYTECODE)
	@.venv-aioboto3/bin/python $(VERSIONS) aioboto3
	AIODYNAMODB_REQUIRE_AIOBOTO3=1 .venv-aioboto3/bin/python -m pytest $(PYTEST_ARGS) -n $(WORKERS) $(LINE_SUITES)
	AIODYNAMODB_REQUIRE_AIOBOTO3=1 AIODYNAMODB_FIDELITY_CLIENT=aioboto3 .venv-aioboto3/bin/python -m pytest $(PYTEST_ARGS) -n $(WORKERS) tests/fidelity

# Python 3.13 with the newest aiobotocore 3.x, without aioboto3.
test-py313: .venv-py313/.stamp
	@.venv-py313/bin/python $(BYTECODE)
	@.venv-py313/bin/python $(VERSIONS) py313
	.venv-py313/bin/python -m pytest $(PYTEST_ARGS) -n $(WORKERS) $(LINE_SUITES)

# --- the README's other commands ---------------------------------------------------------

demo: $(VENV)/.stamp
	@$(PY) $(BYTECODE)
	@echo "== The example orders service's tests (examples/), on the in-memory DynamoDB"
	@$(PYTEST) -v examples
	@echo "== examples/quickstart.py"
	@$(PY) examples/quickstart.py

bench: $(VENV)/.stamp
	@$(PY) $(BYTECODE)
	$(PY) -m benchmarks

clean:
	rm -rf $(VENV) .venv-lowest .venv-aioboto3 .venv-py313 $(DYNALITE) build dist *.egg-info \
		.mypy_cache .ruff_cache .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# obsconsole: `make demo` and `make test` do all the set-up on a fresh Debian machine (root or sudo).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq

.PHONY: setup prereqs engines python demo test test-fast lint typecheck pytest pytest-fast clean

setup: prereqs engines python

# Debian packages the project needs beyond the engines: Node.js for the tsl engine, venv, tmux for the
# end-to-end terminal test, pgbouncer for the transaction-pooler fixture, libfaketime to freeze the engines' clock
# for the golden screens. Installed only when missing.
prereqs:
	@command -v node >/dev/null && command -v npm >/dev/null || { $(APT_INSTALL) nodejs npm; }
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || { $(APT_INSTALL) python3-venv; }
	@command -v tmux >/dev/null || { $(APT_INSTALL) tmux; }
	@command -v pgbouncer >/dev/null || { $(APT_INSTALL) pgbouncer; }
	@ls /usr/lib/*/faketime/libfaketimeMT.so.1 >/dev/null 2>&1 || { $(APT_INSTALL) libfaketime; }

engines: engines/node_modules/.installed
	@bash engines/install-native.sh

engines/node_modules/.installed: engines/package.json engines/package-lock.json
	cd engines && npm ci --legacy-peer-deps --no-audit --no-fund --loglevel=error
	@touch $@

python: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/obsconsole demo

test: setup lint typecheck pytest

# The edit loop: ruff, mypy and every test not marked `slow`, in about 3 minutes.
test-fast: setup lint typecheck pytest-fast

# ruff, and the layer contracts in pyproject.toml ([tool.importlinter]) checked on the import graph.
lint:
	$(BIN)/ruff check console tests
	$(BIN)/lint-imports

typecheck:
	$(BIN)/mypy

# pytest-xdist: one worker per core, each with its own native cluster and tsl engines; tests sharing a module-scoped
# engine (the golden screens) stay on one worker (xdist_group). PYTEST_WORKERS=0 runs in this process.
PYTEST_WORKERS ?= 2
PYTEST_ARGS := -q -n $(PYTEST_WORKERS) --dist loadgroup --durations=25

pytest:
	$(BIN)/pytest $(PYTEST_ARGS)

pytest-fast:
	$(BIN)/pytest $(PYTEST_ARGS) -m "not slow"

clean:
	rm -rf $(VENV) engines/node_modules .mypy_cache .pytest_cache .ruff_cache

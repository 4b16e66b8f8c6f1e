# obsconsole: `make demo` and `make test` do all the set-up on a fresh Debian machine (root or sudo).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup engines python demo test lint typecheck pytest clean

setup: engines python

engines: engines/node_modules/.installed
	@bash engines/install-native.sh

engines/node_modules/.installed: engines/package.json engines/package-lock.json
	@command -v node >/dev/null || { echo "Node.js is required for the tsl engine (apt-get install nodejs npm)"; exit 1; }
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

lint:
	$(BIN)/ruff check console tests

typecheck:
	$(BIN)/mypy

pytest:
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) engines/node_modules .mypy_cache .pytest_cache .ruff_cache

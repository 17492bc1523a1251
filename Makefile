# The one task runner, for people and CI alike. `make help` lists the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO_DB ?= demo-data/newsdesk.sqlite
STAMP  := $(VENV)/.installed

.PHONY: help setup demo test check lint types pytest docs bench bench-web bench-adversary browser postgres wrk clean

help:
	@echo "make demo    set everything up, ingest the bundled sample corpus, show it"
	@echo "make test    set everything up, run lint, types and the whole test suite"
	@echo "make lint | types | pytest | docs | bench | bench-web | bench-adversary | browser | postgres | clean"

# Reinstall when the project's declared dependencies change.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,parquet,web,batch,postgres]'
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

pytest: setup browser postgres
	$(BIN)/python -m pytest

# Debian packages the end-to-end tests and the web benchmark drive: installed with apt when we are
# root and they are missing; otherwise a message, and the tests that need them skip (or fail when CI
# is set).
define apt_install
	@if [ -x $(2) ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's $(1) (for $(3))..."; \
		log=$$(mktemp); \
		if ( apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends $(1) ) >$$log 2>&1; then echo "Installed $(2)"; \
		else tail -n 5 $$log; echo "!! apt-get could not install $(1): $(3) will not run"; fi; \
		rm -f $$log; \
	else \
		echo "!! $(2) is missing and we are not root: install Debian's $(1) (apt-get install $(1)) for $(3)"; \
	fi
endef

browser:
	$(call apt_install,chromium,/usr/bin/chromium,the end-to-end browser tests)

wrk:
	$(call apt_install,wrk,/usr/bin/wrk,the web benchmark)

# The PostgreSQL server the PostgreSQL store's tests start a throwaway cluster of (tests/_postgres.py):
# any version under /usr/lib/postgresql will do.
PG_INITDB := $(or $(lastword $(wildcard /usr/lib/postgresql/*/bin/initdb)),/usr/lib/postgresql/VERSION/bin/initdb)
postgres:
	$(call apt_install,postgresql,$(PG_INITDB),the PostgreSQL store's tests)

test: lint types pytest

check: test

docs: setup
	$(BIN)/python -m newsdesk.cli > docs/cli.md
	$(BIN)/newsdesk settings --markdown > docs/settings.md

bench: setup
	$(BIN)/python -m bench.extraction
	$(BIN)/python -m bench.ingest
	$(BIN)/python -m bench.fetch
	$(BIN)/python -m bench.budget
	$(BIN)/python -m bench.startup

bench-web: setup wrk
	$(BIN)/python -m bench.web

# Hostile inputs, each in a child capped at 2 GiB and 60 s (about ten minutes; --quick: one or two).
bench-adversary: setup
	$(BIN)/python -m bench.adversary

clean:
	rm -rf $(VENV) demo-data .pytest_cache .mypy_cache .ruff_cache build src/*.egg-info

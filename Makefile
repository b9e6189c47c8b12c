# Madang: developer entry points.
#
#   make demo    set up and run the demo site on http://127.0.0.1:8000 (SQLite under ./var)
#   make test    ruff and mypy, then the tests on SQLite, then again on a throwaway PostgreSQL
#
# Also: make venv | bench | lint | clean | distclean | help
# Variables: VENV (default .venv), PYTHON (interpreter for a new venv),
#            PYTEST_ARGS (extra pytest arguments), DEMO_ADDR (default 127.0.0.1:8000).
# See docs/testing.md for how the test run is put together.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PYTHON ?=
PYTEST_ARGS ?=
DEMO_ADDR ?= 127.0.0.1:8000

BIN := $(VENV)/bin
MADANG := $(BIN)/madang
export VENV
export PYTHON

# The demo: development settings, the embedded SQLite database under ./var.
# The site's address is the one it is served at, for links and for a new ledger's name. A ledger's
# name is signed into every checkpoint when it starts and never changes: a demo whose log already
# exists keeps its name (the checkpoint's first line), whatever DEMO_ADDR is now.
DEMO_LEDGER_NAME := $(shell head -n 1 var/ledger/log/checkpoint 2>/dev/null)
DEMO_ENV := env -u MADANG_DATABASE_URL MADANG_DEBUG=1 MADANG_DATA_DIR=$(CURDIR)/var MADANG_SITE_URL=http://$(DEMO_ADDR) \
	$(if $(DEMO_LEDGER_NAME),MADANG_LEDGER_ORIGIN=$(DEMO_LEDGER_NAME))

.PHONY: help venv messages demo test fuzz bench lint clean distclean

help:
	@echo "make demo       set up and run the demo site on http://$(DEMO_ADDR)"
	@echo "make test       ruff + mypy + tests on SQLite + tests on a throwaway PostgreSQL"
	@echo "make fuzz       the two fuzzers at full strength on SQLite (100 API examples an operation)"
	@echo "make venv       create $(VENV) (Python >= 3.12) and install madang[test]"
	@echo "make bench      run bench/*.py in quick mode"
	@echo "make lint       ruff + mypy"
	@echo "make clean      remove caches, compiled translations, collected static files"
	@echo "make distclean  clean, and remove $(VENV) and ./var (the demo database)"
	@echo "Extra pytest arguments: make test PYTEST_ARGS='-k proposal -x'"

venv:
	@scripts/venv.sh "$(VENV)"

# Without gettext the demo still runs (untranslated); the tests need the catalogues.
messages: venv
	@scripts/compile_messages.sh "$(VENV)"

demo: venv messages
	$(DEMO_ENV) $(MADANG) migrate --noinput
	$(DEMO_ENV) $(MADANG) collectstatic --noinput --verbosity 0
	$(DEMO_ENV) $(MADANG) load_demo --if-empty
	@echo
	@echo "Madang demo: http://$(DEMO_ADDR)/  (log in with one of the accounts above; Ctrl-C stops it)"
	@# One background worker beside the server runs lotteries, schedules and exports; it stops with it.
	@$(DEMO_ENV) $(MADANG) worker --verbosity 0 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEMO_ENV) $(MADANG) runserver $(DEMO_ADDR)

test: venv
	@scripts/compile_messages.sh --required "$(VENV)"
	@scripts/run_tests.sh $(PYTEST_ARGS)

# The fuzzers as `make test` runs them, but with the API fuzzing's full 100 examples an operation
# (`make test` sends 40 on SQLite and 10 on PostgreSQL to keep the run short).
fuzz: venv
	@scripts/compile_messages.sh --required "$(VENV)"
	MADANG_DEBUG=1 MADANG_FUZZ_EXAMPLES=100 MADANG_DATA_DIR=$$(mktemp -d) $(BIN)/python -m pytest -p no:cacheprovider tests/fuzz $(PYTEST_ARGS)

bench: venv
	@shopt -s nullglob; files=(bench/*.py); \
	if [ $${#files[@]} -eq 0 ]; then echo "bench: no bench/*.py yet"; exit 0; fi; \
	rc=0; for f in "$${files[@]}"; do \
		echo "==== $$f --quick"; \
		MADANG_DEBUG=1 $(BIN)/python "$$f" --quick || { echo "bench: $$f failed"; rc=1; }; \
	done; exit $$rc

lint: venv
	@dirs=""; for d in madang bench tests; do [ -d $$d ] && dirs="$$dirs $$d"; done; \
	echo "==== ruff check$$dirs"; \
	rc=0; $(BIN)/ruff check --output-format=concise $$dirs || rc=$$?; \
	echo "==== ruff format --check$$dirs"; \
	$(BIN)/ruff format --check $$dirs || rc=$$?; \
	echo "==== mypy madang"; \
	MADANG_DEBUG=1 $(BIN)/mypy madang || rc=$$?; \
	exit $$rc

clean:
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	find madang -name '*.mo' -path '*/LC_MESSAGES/*' -delete
	rm -rf .mypy_cache .ruff_cache .hypothesis .pytest_cache build *.egg-info test-results bench/out var/static

distclean: clean
	rm -rf $(VENV) var

# Arobase: `make run` serves the site, `make test` runs every test (CONTRACT §1).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes: the suite runs in parallel, each process on its own test database.
TEST_WORKERS ?= 2

.PHONY: run test stress bench install install-test serve data clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

$(VENV)/.installed-stress: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[stress]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

data: install
	$(BIN)/arobase migrate --noinput
	$(BIN)/arobase import_territories
	$(BIN)/arobase demo

run: data
	$(BIN)/arobase collectstatic --noinput --verbosity 0
	HTTPS=0 $(BIN)/arobase runserver 127.0.0.1:$(PORT)

test: install-test
	$(BIN)/pytest -n $(TEST_WORKERS)

# Load and fault tests on a fresh private PostgreSQL (scripts/stress.py --help):
# make stress STRESS_ARGS=--quick for the reduced run, --database sqlite for SQLite.
stress: $(VENV)/.installed-stress
	$(BIN)/python scripts/stress.py $(STRESS_ARGS)

# The site as in production at two data scales, on SQLite and PostgreSQL (scripts/bench.py):
# prints the table and writes it to bench/results/. BENCH_ARGS=--quick for a small run.
bench: install-test
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static var/test.sqlite3

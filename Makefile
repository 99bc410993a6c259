# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_DEBUG ?= 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: run test lint install worker bench clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

## Serve the portal with demo content on http://127.0.0.1:8000 (embedded PostgreSQL unless DATABASE_URL is set).
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## Lint, check migrations and run the whole test suite in parallel (browser tests need Chromium).
TEST_WORKERS ?= auto
test: install lint
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses=4

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/lint-imports

## Background worker for tasks (text extraction, emails).
worker: install
	$(BIN)/python manage.py db_worker

## Forget the embedded database (stops nothing: stop `make run` first).
clean-db:
	rm -rf .pgdata

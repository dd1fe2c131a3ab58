# CoopNet: `make run` serves the portal with demo content, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help install run test lint check format migrate demo clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the project

migrate: install ## Apply database migrations
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py migrate --noinput

demo: migrate ## Load (or refresh) the demo content; safe to repeat
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py load_demo

run: demo ## Set up and serve the portal with demo content on http://127.0.0.1:8000
	DJANGO_DEBUG=$${DJANGO_DEBUG-1} $(BIN)/python manage.py runserver $(HOST)

test: install ## Set up and run the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install ## Check code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint ## Lint, run Django's system checks and check for missing migrations
	DJANGO_DEBUG=1 $(BIN)/python manage.py check
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the virtual environment and the development database
	rm -rf $(VENV) db.sqlite3 staticfiles

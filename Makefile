# CoopNet: `make run` serves the portal with demo content, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help install run test test-fast lint check format migrate demo clean serve load-test

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

# Production-like serving (issue 6): debug off, hashed and compressed static files, gunicorn.
# Plain HTTP on loopback, so no HTTPS redirect and no Secure cookies unless you set them; a
# throwaway secret key unless DJANGO_SECRET_KEY is set. Workers: GUNICORN_WORKERS (gunicorn.conf.py).
SERVE_BIND ?= 127.0.0.1:8000
serve: install ## Serve production-like with gunicorn on 127.0.0.1:8000 (SERVE_BIND=...)
	@set -e; \
	export DJANGO_DEBUG=0 \
	  DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT-0}" \
	  DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES-0}" \
	  DJANGO_SECURE_HSTS_SECONDS="$${DJANGO_SECURE_HSTS_SECONDS-0}" \
	  GUNICORN_BIND="$${GUNICORN_BIND:-$(SERVE_BIND)}"; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py collectstatic --noinput -v0; \
	exec $(BIN)/gunicorn -c gunicorn.conf.py coopnet.wsgi

load-test: install ## Load test under gunicorn with 10,000 case studies on PostgreSQL (bench/load)
	$(BIN)/python bench/load/run.py $(LOAD_ARGS)

# pytest-xdist: a worker per core (at most 4); the browser tests share one worker, so one
# Chromium (tests/conftest.py). PYTEST_WORKERS=0 runs everything in one process.
PYTEST_WORKERS ?= auto
XDIST = -n $(PYTEST_WORKERS) --maxprocesses=4 --dist loadgroup
test: install ## Set up and run the whole test suite
	$(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install ## Run the suite but the browser and slow tests, in a minute or less
	$(BIN)/python -m pytest $(XDIST) -m "not browser and not slow" $(PYTEST_ARGS)

lint: install ## Check code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint ## Lint, run Django's system checks, check for missing migrations and the import layers
	DJANGO_DEBUG=1 $(BIN)/python manage.py check
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports

format: install ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the virtual environment and the development database
	rm -rf $(VENV) db.sqlite3 staticfiles

# CoopNet: `make run` serves the portal with demo content, `make test` runs the suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1:8000

.DEFAULT_GOAL := help
.PHONY: help install lock hooks run test test-fast lint check format migrate demo clean serve load-test

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# Pinned installs (issue 12). requirements/dev.lock pins every package `.[dev]` needs, with
# hashes, for any platform and Python 3.11+. make install puts uv into the virtual environment
# (from PyPI) and installs exactly the locked versions with it, then the project itself,
# editable; if uv cannot be installed (or USE_UV=0), pip installs the same lock, more slowly.
# The lock's first line is a digest of pyproject.toml's dependencies: when they have changed,
# make install regenerates the lock (commit it), except in CI, where a stale lock fails.
LOCK := requirements/dev.lock
UV := $(BIN)/uv
UV_VERSION ?= 0.13.9
USE_UV ?= 1
LOCK_ARGS ?=
LOCK_DIGEST = $(shell $(PYTHON) -c "import hashlib, json, tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; print(hashlib.sha256(json.dumps([p.get('requires-python'), p['dependencies'], p['optional-dependencies']['dev']]).encode()).hexdigest()[:16])")
LOCK_RECORDED = $(shell sed -n '1s/^\# pyproject.toml dependencies: //p' $(LOCK) 2>/dev/null)

$(STAMP): pyproject.toml $(LOCK)
	@set -e; \
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	if [ "$(USE_UV)" != 0 ] && { $(UV) --version 2>/dev/null | grep -qx "uv $(UV_VERSION)" || \
	    $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"; }; then \
	  uv=1; \
	else \
	  uv=0; echo "make install: no uv, so pip installs $(LOCK) (slower)" >&2; \
	fi; \
	if [ "$(LOCK_DIGEST)" != "$(LOCK_RECORDED)" ]; then \
	  if [ -n "$$CI" ] || [ $$uv = 0 ]; then \
	    echo "$(LOCK) is out of date: pyproject.toml's dependencies have changed since it was made." >&2; \
	    echo "Run make lock (it needs uv) and commit $(LOCK)." >&2; \
	    exit 1; \
	  fi; \
	  echo "pyproject.toml's dependencies have changed: regenerating $(LOCK) (commit it)"; \
	  $(MAKE) --no-print-directory lock; \
	fi; \
	if [ $$uv = 1 ]; then \
	  $(UV) pip install --quiet --python $(BIN)/python -r $(LOCK); \
	  $(UV) pip install --quiet --python $(BIN)/python --no-deps -e .; \
	else \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check -r $(LOCK); \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .; \
	fi; \
	touch $(STAMP)

install: $(STAMP) ## Create the virtual environment and install the locked versions and the project

lock: ## Pin the dependencies in requirements/dev.lock from pyproject.toml (LOCK_ARGS=--upgrade to update)
	@test -x $(UV) || { test -x $(BIN)/python || $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"; }
	$(UV) pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	  --generate-hashes --quiet --custom-compile-command "make lock" $(LOCK_ARGS) -o $(LOCK)
	@{ echo "# pyproject.toml dependencies: $(LOCK_DIGEST)"; cat $(LOCK); } > $(LOCK).tmp
	@mv $(LOCK).tmp $(LOCK)

PRE_COMMIT_VERSION ?= 4.7.0
hooks: install ## Install the git pre-commit hooks (.pre-commit-config.yaml): ruff, djlint, lint-imports
	@if test -x $(UV); then $(UV) pip install --quiet --python $(BIN)/python "pre-commit==$(PRE_COMMIT_VERSION)"; \
	else $(BIN)/python -m pip install --quiet "pre-commit==$(PRE_COMMIT_VERSION)"; fi
	$(BIN)/pre-commit install

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

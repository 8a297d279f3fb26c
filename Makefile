# Two commands for a newcomer: `make run` (the app with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
HOST   ?= 127.0.0.1
PORT   ?= 8000
# pytest-xdist workers; `make test WORKERS=0` runs in one process.
WORKERS ?= auto

.PHONY: install run test lint worker beat messages system-packages clean-data

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

# Browser-side test tools from the npm registry (axe-core for the journeys' accessibility gate), as pinned in
# package-lock.json; reinstalled when the lock file changes.
node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js) is needed for the accessibility checks of the browser journeys" >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(STAMP) node_modules/.installed

system-packages:
	@bash scripts/system-packages

# The app on http://$(HOST):$(PORT) with demo data; embedded PostgreSQL unless DATABASE_URL is set.
run: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py migrate --noinput
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py seed_demo
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# The whole suite: unit, integration, real Celery worker (Redis from REDIS_URL or started by the tests) and
# browser journeys in Debian's Chromium.
test: install system-packages
	$(BIN)/ruff check .
	DJANGO_DEBUG=1 $(BIN)/mypy
	$(BIN)/python -m pytest -n $(WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	DJANGO_DEBUG=1 $(BIN)/mypy

# Real workers (with REDIS_URL and DATABASE_URL set), as in docker-compose.yml.
worker: install
	$(BIN)/celery -A jobcenter worker -l INFO
beat: install
	$(BIN)/celery -A jobcenter beat -l INFO

# Regenerate and compile the German catalogue after changing UI texts.
messages: install
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l de --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=node_modules
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages -l de --ignore=.venv

clean-data:
	rm -rf .data

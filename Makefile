# Masthead: `make demo` serves the site, `make test` runs everything.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# One gthread worker per core, four threads each, the application loaded once and forked
# (measured in docs/performance.md).
WORKERS ?= $(shell $(PYTHON) -c 'import os; print(os.cpu_count() or 1)')
THREADS ?= 4
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/masthead_test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
export REDIS_TEST_URL
# The PostgreSQL leg runs beside the SQLite one: its Redis databases are its own.
REDIS_TEST_URL_POSTGRES_LEG ?= redis://127.0.0.1:6379/13
LIVE_REDIS_URL_POSTGRES_LEG ?= redis://127.0.0.1:6379/12
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test lint format typecheck pytest pytest-sqlite pytest-postgres bench install clean messages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# Every absolute link (canonical, share, JSON-LD, feeds, sitemap, e-mails, the Site record) names
# the address the demo serves, for migrate, build_demo, the newsroom clock and gunicorn alike.
demo: export MASTHEAD_SITE_URL = http://127.0.0.1:$(PORT)
demo: install
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py build_demo
	# A demo built by an older release keeps its photos under guessable names until renamed.
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py rename_image_files
	@echo "Serving on $$MASTHEAD_SITE_URL/ (admin: $$MASTHEAD_SITE_URL/admin/)"
# The newsroom clock (scheduled publishing and expiry, billing sweeps, the e-mail queue) runs
# beside gunicorn and is stopped with it, however gunicorn ends.
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py run_newsroom & newsroom=$$!; \
	trap 'kill -TERM $$newsroom 2>/dev/null; wait $$newsroom' EXIT; \
	DJANGO_SETTINGS_MODULE=config.settings.dev $(VENV)/bin/gunicorn config.wsgi:application \
		--bind 127.0.0.1:$(PORT) --workers $(WORKERS) --threads $(THREADS) --preload --access-logfile - --forwarded-allow-ips=127.0.0.1

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install
	$(VENV)/bin/mypy masthead/access masthead/billing

messages: install
	cd masthead && ../$(PY) ../manage.py compilemessages --ignore=.venv >/dev/null

pytest-sqlite: install messages
	@echo "== pytest on SQLite =="
	time $(PY) -m pytest

pytest-postgres: install messages
	@if $(PY) -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.rsplit('/',1)[0]+'/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		echo "== pytest on PostgreSQL ($(PG_TEST_URL)) =="; \
		time DATABASE_URL=$(PG_TEST_URL) REDIS_TEST_URL=$(REDIS_TEST_URL_POSTGRES_LEG) \
			LIVE_REDIS_URL=$(LIVE_REDIS_URL_POSTGRES_LEG) $(PY) -m pytest; \
	else \
		echo "== SKIPPED: the PostgreSQL leg (no server reachable at $(PG_TEST_URL)) =="; \
	fi

# The two legs run side by side (each on its own Redis databases and its own test database);
# each leg's output is printed whole when it ends with its wall and CPU time (bash's `time`) and
# its slowest tests (pyproject's --durations), and any of them failing fails the target. Lint and
# types (~10 s of CPU, a cold mypy) run beside the legs, in the time the legs spend waiting on
# servers and browsers, instead of before them.
test: install
	$(MAKE) --no-print-directory -j4 --output-sync=target lint typecheck pytest-sqlite pytest-postgres

# Prints every scenario, then issue 16's targets (met / missed / not run). `BENCH_PEERS=ghost make
# bench` also measures Ghost 5.130 side by side (installed once from npm into var/peers/ghost).
bench: install
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache

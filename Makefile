# Two commands for a fresh clone (see README.md):
#   make run   – set up, migrate, load demo data, serve on http://127.0.0.1:8000 and run
#                the background worker beside it (the Procfile's web and worker, by honcho)
#   make test  – set up and run every test
# Everything lands in .venv. Compiled translations (.mo) are committed, so
# neither command needs GNU gettext; `make messages` (which does) refreshes them.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint format messages migrate demo audit fonts clean faults soak bench

run: $(VENV)/.installed .env migrate demo fonts
	@echo "--- Collecting static files"
	$(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "--- Serving on http://$(HOST):$(PORT)/ with the background worker (Ctrl-C stops both)"
	SITE_URL="$${SITE_URL:-http://$(HOST):$(PORT)}" PATH="$(CURDIR)/$(VENV)/bin:$$PATH" HOST=$(HOST) GUNICORN_WORKERS=2 \
		$(VENV)/bin/honcho start --port $(PORT)

test: $(VENV)/.installed-test .env
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Stops and starts a throwaway PostgreSQL and Redis of its own (ports FAULTS_PORT+1, +2).
faults: $(VENV)/.installed-test
	$(PY) scripts/faults.py

# 60 s of mixed traffic at 64 connections on PostgreSQL (SOAK_DATABASE_URL), then invariants.
soak: $(VENV)/.installed-test
	$(PY) scripts/soak.py

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrate: $(VENV)/.installed .env
	@echo "--- Migrating the database"
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

demo: migrate
	@echo "--- Loading demo data"
	$(PY) manage.py seed_demo

$(VENV)/bin/python:
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	@echo "--- Installing dependencies into $(VENV) (the first time takes a minute or two)"
	$(PIP) install -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements.txt requirements-test.txt | $(VENV)/bin/python
	@echo "--- Installing dependencies and test tools into $(VENV) (the first time takes a few minutes)"
	$(PIP) install -r requirements-test.txt
	touch $(VENV)/.installed $@

# Lighthouse's four scores for the main pages, served by gunicorn with DEBUG off on
# AUDIT_PORT (default 8180); see scripts/audit.py and docs/seo.md. Not part of CI.
audit: $(VENV)/.installed .env fonts
	$(PY) scripts/audit.py

# Share cards need a font with Chinese glyphs (numbers/share_card.py): Debian's
# fonts-wqy-microhei, installed when we are root and it is missing; without it the
# cards are drawn in English with Pillow's own font.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
fonts:
	@if [ ! -e $(CJK_FONT) ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "Installing fonts-wqy-microhei for share cards"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-microhei >/dev/null \
		|| echo "fonts-wqy-microhei could not be installed: share cards fall back to English"; \
	fi

# Local secrets, made once and kept out of git. Production sets real ones.
.env: | $(VENV)/.installed
	$(PY) scripts/make_env.py > $@

# Translations (needs GNU gettext: xgettext, msgmerge, msgfmt). English is the
# language of the msgids, so only zh_Hans has a catalogue. Refresh it from the
# code, translate the new or changed entries in
# locale/zh_Hans/LC_MESSAGES/django.po by hand (msgstr empty or marked fuzzy),
# then run this again to compile. tests/reseller/test_translations.py fails
# while the catalogue is behind the code.
MAKEMESSAGES_FLAGS := --locale zh_Hans --no-obsolete --add-location file \
	--ignore=.venv --ignore=staticfiles --ignore=tests --ignore=scripts

messages: $(VENV)/.installed
	$(PY) manage.py makemessages $(MAKEMESSAGES_FLAGS)
	$(PY) manage.py compilemessages --locale zh_Hans --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# The catalogue's speed over HTTP as ratios to a trivial view (see README.md,
# "Performance"). Needs DATABASE_URL=postgres://…; seeds it to SCALE numbers.
SCALE ?= 1000000
bench: $(VENV)/.installed .env
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -qq wrk >/dev/null; } \
		|| { echo "wrk is needed: apt-get install wrk"; exit 1; }
	$(PY) benchmarks/bench.py --scale $(SCALE) $(BENCH_ARGS)

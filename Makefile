# The two commands a newcomer needs:
#   make run   - install, migrate, load the demo district once, serve http://127.0.0.1:8000
#   make test  - install and run the whole test suite
# Both need only Python 3.11+; everything else is installed into .venv.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint check worker beat bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check .

# A worker and beat beside `manage.py runserver` (need DATABASE_URL and
# CELERY_BROKER_URL), with its development settings; celery's own default is
# config.settings.production, as in docker-compose.yml.
worker beat: export DJANGO_SETTINGS_MODULE ?= config.settings.base

worker: install
	$(BIN)/celery -A config worker --loglevel=info

beat: install
	$(BIN)/celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache .ruff_cache

# Ratsinfo — developer commands (GNU make).
#
#   make run    create .venv, install, migrate, load demo data, serve http://127.0.0.1:$(PORT)/
#   make test   run the pytest suite (SQLite; PostgreSQL when DATABASE_URL is set)
#
# Everything runs inside .venv, created with the Python that scripts/find-python finds (>= 3.12).

PORT ?= 8000
PYTEST_ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# Never compile the message catalogues inside the virtual environment.
MESSAGES_IGNORE := --ignore=$(VENV) --ignore=node_modules

.DEFAULT_GOAL := help
.PHONY: help venv install dependencies axe run test lint format bench messages sicherung wiederherstellen clean

help:
	@echo "Ratsinfo"
	@echo "  make run       install, migrate, load demo data and serve http://127.0.0.1:$(PORT)/ (PORT=...)"
	@echo "  make test      run the tests (SQLite; PostgreSQL with DATABASE_URL=postgres://...; PYTEST_ARGS=...)"
	@echo "  make lint      ruff check, ruff format --check, makemigrations --check"
	@echo "  make format    ruff check --fix and ruff format"
	@echo "  make bench     run every benchmarks/bench_*.py"
	@echo "  make messages  compile the translation catalogues (needs gettext)"
	@echo "  make sicherung          back up database and files (ZIEL=folder; default var/sicherungen)"
	@echo "  make wiederherstellen   restore SICHERUNG=folder into a fresh database and compare (docs/betrieb.md)"
	@echo "  make axe       npm ci: axe-core for the accessibility checks of the browser tests (part of make test)"
	@echo "  make clean     remove .venv and caches (keeps var/, the local database and files)"

# (Re)create .venv unless it holds a working Python >= 3.12. Checked on every call: it is cheap, and a venv
# whose interpreter has gone (pyenv version removed, tree copied) is replaced instead of failing oddly.
venv:
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
		if [ -e $(VENV) ]; then echo "$(VENV) has no working Python >= 3.12; recreating it."; rm -rf $(VENV); fi; \
		python="$$(sh scripts/find-python)" || exit 1; \
		echo "Creating $(VENV) with $$python ($$("$$python" --version 2>&1))"; \
		"$$python" -m venv $(VENV) || exit 1; \
	fi

# A separate make call, so the stamp's date is read after `venv` may have replaced the folder.
install: venv
	@$(MAKE) --no-print-directory dependencies

dependencies: $(STAMP)
	@:

# Dependencies are installed again only when pyproject.toml is newer than the stamp.
$(STAMP): pyproject.toml
	$(PY) -m pip install --upgrade pip
	$(PY) -m pip install -e '.[dev]'
	@touch $(STAMP)

# The demo accounts (password "demo") are made even when the database already holds data; never in production.
run: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demodaten_laden --nur-wenn-leer --demo-zugaenge
	@echo ""
	@echo "Ratsinfo: http://127.0.0.1:$(PORT)/   Verwaltung (admin): http://127.0.0.1:$(PORT)/admin/"
	@echo "Demo-Zugänge / demo logins (Passwort / password: demo):"
	@echo "    ratsmitglied     Ratsmitglied, Anmeldung unter http://127.0.0.1:$(PORT)/konto/anmelden/"
	@echo "    sachbearbeitung  Sitzungsdienst, Verwaltung unter http://127.0.0.1:$(PORT)/admin/"
	@echo "Admin-Zugang anlegen / create an admin account (in a second terminal):"
	@echo "    $(PY) manage.py createsuperuser"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# axe-core for the accessibility checks of the browser tests, from npm (package.json/package-lock.json) into
# node_modules/, which git ignores. Without npm the checks are skipped locally; CI installs npm and runs them.
AXE := node_modules/axe-core/axe.min.js

axe: $(AXE)
	@:

$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else \
		echo "npm not found: the accessibility checks of the browser tests will be skipped (CI installs it)."; \
	fi

test: install axe
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Each benchmark is a standalone script run from the repository root; figures go to docs/benchmarks.md.
bench: install
	@found=0; \
	for script in benchmarks/bench_*.py; do \
		[ -e "$$script" ] || continue; \
		found=1; \
		echo "== $$script"; \
		PYTHONPATH="$(CURDIR)" DJANGO_SETTINGS_MODULE=ratsinfo.settings $(PY) "$$script" || exit 1; \
	done; \
	if [ "$$found" = 0 ]; then echo "No benchmarks/bench_*.py yet."; fi

messages: install
	@if find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o -name '*.po' -print | grep -q .; then \
		$(PY) manage.py compilemessages $(MESSAGES_IGNORE); \
	else \
		echo "No .po files yet: nothing to compile (create them with manage.py makemessages -l en $(MESSAGES_IGNORE))."; \
	fi

# Backup and restore with the same environment as the site (DATABASE_URL, RATSINFO_DATA_DIR, …): docs/betrieb.md.
ZIEL ?=
SICHERUNG ?=
WIEDERHERSTELLEN_ARGS ?=

sicherung: install
	$(PY) scripts/sicherung $(if $(ZIEL),--ziel "$(ZIEL)")

wiederherstellen: install
	@if [ -z "$(SICHERUNG)" ]; then echo "Usage: make wiederherstellen SICHERUNG=path/to/ratsinfo-sicherung-… [WIEDERHERSTELLEN_ARGS=--ueberschreiben]"; exit 2; fi
	$(PY) scripts/wiederherstellen "$(SICHERUNG)" $(WIEDERHERSTELLEN_ARGS)

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache staticfiles node_modules
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

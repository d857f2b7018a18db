# Ratsinfo — developer commands (GNU make).
#
#   make run    create .venv, install, migrate, load demo data, serve http://127.0.0.1:$(PORT)/
#   make test   run the pytest suite (SQLite; PostgreSQL when DATABASE_URL is set)
#
# Everything runs inside .venv, created with the Python that scripts/find-python finds (>= 3.12), holding exactly
# the versions of the lock requirements/dev.txt (pins with hashes; scripts/lock).

PORT ?= 8000
PYTEST_ARGS ?=
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
# The lock of .venv and CI: runtime and dev tools. requirements/prod.txt (runtime only) is for production.
LOCK := requirements/dev.txt
# Their own environments, inside .venv so that every tool already leaves them alone (ruff, compilemessages, git).
LOCK_VENV := $(VENV)/lock
NEWEST_VENV := $(VENV)/newest
# Never compile the message catalogues inside the virtual environment.
MESSAGES_IGNORE := --ignore=$(VENV) --ignore=node_modules

.DEFAULT_GOAL := help
.PHONY: help venv install dependencies axe run test test-newest lint lock lock-upgrade lock-check format bench messages \
	sicherung wiederherstellen clean

help:
	@echo "Ratsinfo"
	@echo "  make run       install, migrate, load demo data and serve http://127.0.0.1:$(PORT)/ (PORT=...)"
	@echo "  make test      run the tests (SQLite; PostgreSQL with DATABASE_URL=postgres://...; PYTEST_ARGS=...)"
	@echo "  make lint      lock check, ruff check, ruff format --check, makemigrations --check"
	@echo "  make lock      re-resolve requirements/*.txt after a change to pyproject.toml (keeps the other pins)"
	@echo "  make lock-upgrade   re-resolve requirements/*.txt to the newest versions pyproject.toml allows"
	@echo "  make test-newest    run the tests against the newest allowed versions (own venv, not the lock)"
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

# A pyproject.toml changed without `make lock` stops here with a sentence, before anything runs on the old lock.
dependencies: lock-check $(STAMP)
	@:

# Installed again only when the lock is newer than the stamp: exactly its versions, each file checked against its
# hash, wheels only; whatever the lock no longer holds is removed (pip freeze equals the lock).
$(STAMP): $(LOCK)
	$(PY) scripts/lock sync $(LOCK)
	@touch $(STAMP)

lock-check: venv
	@$(PY) scripts/lock check

# pip-compile in its own environment, from the locked requirements/tools.txt, with the lowest supported Python
# (3.12) so that the lock holds every package an install on it needs; with a newer one only if there is no 3.12.
$(LOCK_VENV)/.installed: requirements/tools.txt
	@python="$$(sh scripts/find-python 3.12 2>/dev/null || sh scripts/find-python)" || exit 1; \
	echo "Creating $(LOCK_VENV) with $$python ($$("$$python" --version 2>&1))"; \
	rm -rf $(LOCK_VENV) && "$$python" -m venv $(LOCK_VENV) || exit 1
	$(LOCK_VENV)/bin/python -m pip install --require-hashes -r requirements/tools.txt
	@touch $@

LOCK_ARGS ?=

lock: venv
	@$(MAKE) --no-print-directory $(LOCK_VENV)/.installed
	$(LOCK_VENV)/bin/python scripts/lock compile $(LOCK_ARGS)

lock-upgrade: venv
	@$(MAKE) --no-print-directory $(LOCK_VENV)/.installed
	$(LOCK_VENV)/bin/python scripts/lock compile --upgrade $(LOCK_ARGS)

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

# The suite against the newest versions pyproject.toml allows, in a new environment each time: a release that
# breaks Ratsinfo shows here before `make lock-upgrade` brings it to anyone. The lock stays as it is.
test-newest: venv axe
	@python="$$(sh scripts/find-python)" || exit 1; \
	rm -rf $(NEWEST_VENV) && "$$python" -m venv $(NEWEST_VENV) || exit 1
	$(PY) scripts/lock specifiers > $(NEWEST_VENV)/requirements.txt
	$(NEWEST_VENV)/bin/python -m pip install --upgrade pip
	$(NEWEST_VENV)/bin/python -m pip install --upgrade -r $(NEWEST_VENV)/requirements.txt
	@$(NEWEST_VENV)/bin/python scripts/lock compare $(LOCK)
	$(NEWEST_VENV)/bin/python -m pytest $(PYTEST_ARGS)

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

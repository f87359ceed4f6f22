# fieldsvc — the two commands: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
NODE_STAMP := node_modules/.stamp-npm
BIN := $(VENV)/bin
export FLASK_APP := wsgi
# The suite runs on SQLite and then on this PostgreSQL database (override to point elsewhere).
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
# nginx and openssl: the two-instance check runs deploy/nginx.conf in front of two gunicorns (PostgreSQL pass).
APT_PACKAGES := chromium fonts-wqy-microhei libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils \
	nginx openssl
PYTEST_ARGS ?=

.PHONY: run test setup system-deps lint test-sqlite test-postgres test-browser translations babel-extract babel-update bench lighthouse clean

run: setup  ## set up, migrate, load the demo city when empty, serve on http://127.0.0.1:5000
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

test: setup  ## set up, then the whole suite: lint, SQLite, PostgreSQL, Chromium
	$(MAKE) lint
	$(MAKE) test-sqlite
	$(MAKE) test-postgres

setup: system-deps $(VENV)/.stamp-deps $(NODE_STAMP) translations

# ESLint for static/js (package.json, eslint.config.js): installed exactly as package-lock.json says.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

system-deps:  ## Debian packages the app and its tests need (fonts, HarfBuzz subsetting, Chromium)
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages: $$missing"; \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@# Node.js and npm for ESLint (make lint): the machine's own when it has them (this kind ships NodeSource's).
	@command -v npm >/dev/null || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nodejs npm; }

$(VENV)/.stamp-deps: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

translations:  ## compile the zh_CN and en catalogs (.po → .mo)
	$(BIN)/pybabel -q compile -d fieldsvc/translations

babel-extract:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k pgettext:1c,2 -k npgettext:1c,2,3 \
		-k lazy_pgettext:1c,2 -o fieldsvc/translations/messages.pot .

babel-update: babel-extract
	$(BIN)/pybabel update -i fieldsvc/translations/messages.pot -d fieldsvc/translations --no-fuzzy-matching

lint: $(NODE_STAMP)  ## ruff on the Python, then ESLint on static/js
	$(BIN)/ruff check fieldsvc tests bench wsgi.py
	node_modules/.bin/eslint static/js

test-sqlite:
	env -u TEST_DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

test-postgres:
	@$(BIN)/python -c "import psycopg,sys; psycopg.connect(sys.argv[1], connect_timeout=5).close()" "$(TEST_DATABASE_URL)" \
	  || { echo "PostgreSQL at $(TEST_DATABASE_URL) is unreachable: the PostgreSQL run cannot be skipped"; exit 1; }
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest -m "not browser" $(PYTEST_ARGS)

lighthouse: setup  ## Lighthouse mobile scores and field-page weight (npm lighthouse 12; not part of CI)
	cd bench/lighthouse && npm ci --no-audit --no-fund
	$(BIN)/python -m bench.lighthouse --runs 3

bench: setup  ## the city benchmark on SQLite and PostgreSQL (docs/BENCHMARKS.md)
	$(BIN)/python -m bench.run --db sqlite
	$(BIN)/python -m bench.run --db postgres

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: bench run run-varnish test install install-test migrate demo lint check clean lighthouse \
	system-packages-test system-packages-run

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

# System packages (scripts/system-packages.txt): installed with apt-get when running as root;
# otherwise `make test` stops with the command to run. `make run` works without its (optional) ones.
system-packages-test:
	@scripts/system-packages test

system-packages-run:
	@scripts/system-packages run --optional

# The Nu Html Checker (vnu.jar) the tests run, pinned in package.json/package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json | system-packages-test
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

install-test: system-packages-test $(VENV)/.installed-test node_modules/.package-lock.json

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: system-packages-run demo
	$(PY) manage.py runserver $(HOST)

# The same site behind a local Varnish purged by tag (needs varnish and varnish-modules).
run-varnish: demo
	HOST=$(HOST) scripts/run_behind_varnish.sh

# pytest-xdist workers: one per core ("auto"); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

test: install-test
	$(PY) -m pytest -n $(TEST_WORKERS)

# Lighthouse scores of the demo site served as in production (needs Node 20 and Chromium).
bench: install-test
	@scripts/system-packages bench
	$(PY) manage.py bench_site --small

lighthouse: install
	$(PY) scripts/lighthouse.py

lint: install-test
	$(VENV)/bin/ruff check .

check: install-test
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache node_modules

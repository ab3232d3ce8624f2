# Two commands on a fresh clone:
#   make serve   set up, then serve the site at http://127.0.0.1:8000/
#   make test    set up, then run every test
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP ?= flask
PORT ?= 8001
WORKERS ?= 1
# Material prints a notice about MkDocs 2 on every build; the pins stay below it.
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve build test example system-deps bench bench-smoke bench-deps lighthouse page-weight clean

# Each stamp records that the venv holds the pins of the files it depends on.
$(VENV)/.site: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt examples/requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@ $(VENV)/.site

serve: $(VENV)/.site
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.site
	$(BIN)/mkdocs build --strict

system-deps:
	@scripts/system-deps.sh

test: $(VENV)/.dev system-deps
	$(BIN)/python -m pytest

example: $(VENV)/.dev
	$(BIN)/python examples/run.py $(APP) --port $(PORT) --workers $(WORKERS)

# The benchmark: every example app under its production server, loaded with wrk
# on 127.0.0.1. Writes data/benchmarks.yml and data/benchmarks/raw/; under 5
# minutes on 2 cores. bench-smoke: every configuration briefly, into a temp dir.
bench: $(VENV)/.dev bench-deps
	$(BIN)/python bench/run.py

bench-smoke: $(VENV)/.dev bench-deps
	$(BIN)/python bench/run.py --smoke

bench-deps:
	@bench/require-wrk.sh

# Budgets for the published pages (benchmarks, not tests). lighthouse: scores of
# the home, comparison and performance pages, mobile and desktop, from the
# Lighthouse pinned in package-lock.json and Debian's Chromium, against the site
# served gzip-compressed, each five times for the median; writes
# test-output/lighthouse.json (about 8 minutes).
# page-weight: the home page's HTML, CSS and JS, gzip-compressed (make test
# checks the same budget).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

lighthouse: $(VENV)/.dev system-deps node_modules/.package-lock.json
	$(BIN)/python scripts/lighthouse.py

page-weight: $(VENV)/.site
	$(BIN)/python scripts/page_weight.py

clean:
	rm -rf site test-output

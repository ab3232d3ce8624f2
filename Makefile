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
# The second venv, .venv-newest: the newest release of every framework
# (examples/requirements-newest.txt) on the newest Python 3.12+ found, or on
# NEWEST_PYTHON (a path or a command name): some of them need 3.12. `install`
# makes it hold its lock, `test` runs tests/examples in it, `run` runs its python.
NEWEST := $(PYTHON) scripts/newest_venv.py

.PHONY: serve build test test-setup newest-venv example system-deps bench bench-smoke bench-deps check-facts refresh-facts lighthouse page-weight build-bench clean lock lock-upgrade

# Each stamp records that the venv holds the lock it depends on: every package,
# transitive ones too, at the version the lock pins (see `make lock`).
$(VENV)/.site: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# pip-sync (from the lock) then uninstalls whatever the lock does not list, such
# as a package an update dropped, so the venv holds exactly requirements-dev.txt.
$(VENV)/.dev: requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/pip-sync --quiet requirements-dev.txt
	@touch $@ $(VENV)/.site

# serve leaves the internal link check (macros/link_hooks.py) to build, test and CI,
# so a saved edit is served sooner; scripts/build_bench.py serves the same way.
serve: $(VENV)/.site
	LINK_CHECK=false $(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

build: $(VENV)/.site
	$(BIN)/mkdocs build --strict

system-deps:
	@scripts/system-deps.sh

# Every test on .venv (Python 3.11, the LTS releases), then the example tests again on
# .venv-newest; without a Python 3.12+ that second run is skipped, and says why,
# except in CI, where it fails. The bench smoke test uses .venv-newest too, so it is
# installed first. The two venvs and the system packages are set up side by side
# (test-setup, with make -j3): each waits on downloads more than on the cores.
# scripts/run_tests.py runs the browser tests beside the others, one stream per core,
# and prints each stream's output whole when it ends.
test:
	@$(MAKE) --no-print-directory -j3 test-setup
	$(PYTHON) scripts/run_tests.py

test-setup: $(VENV)/.dev system-deps newest-venv

newest-venv:
	$(NEWEST) install

example: $(VENV)/.dev
	$(BIN)/python examples/run.py $(APP) --port $(PORT) --workers $(WORKERS)

# The benchmark (the bench/ package): every example app under its production
# server and each deployment people use for I/O-bound work, loaded with wrk on
# 127.0.0.1, with an upstream service it starts itself, all on .venv-newest's
# Python and packages. Writes data/benchmarks.yml and data/benchmarks/raw/; about
# 15 minutes on 2 cores (it prints its estimate first), under 20.
#   make bench ONLY=upstream            one workload again (health, user, upstream, cpu,
#                                       write; comma-separated): writes the raw file only
#   make bench CONFIG=flask-gevent      likewise for configurations (examples/run.py)
# bench-smoke: every configuration and workload for a second, into a temp dir
# (about 70 s).
BENCH_ARGS = $(if $(ONLY),--only $(ONLY)) $(if $(CONFIG),--config $(CONFIG))
bench: bench-deps
	$(NEWEST) run -m bench $(BENCH_ARGS)

bench-smoke: bench-deps
	$(NEWEST) run -m bench --smoke

bench-deps:
	@bench/require-wrk.sh

# Release facts, read from the package index pip is configured with (PIP_INDEX_URL
# or pip's index-url), else pypi-simple's default: each framework's latest final
# release, its upload day, Requires-Python, classifiers and licence. refresh-facts
# writes them to data/releases.yml, which the pages render; check-facts prints a
# table of framework, field, data and index, and exits 0 when the file agrees, 1
# when it is stale, missing or invalid, 2 when the index cannot be reached. An
# example pin older than the latest release is flagged in the table, not drift.
check-facts: $(VENV)/.dev
	$(BIN)/python -m facts check

refresh-facts: $(VENV)/.dev
	$(BIN)/python -m facts refresh

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

# build-bench: how long a contributor waits. A strict build of a temp copy grown to 7
# frameworks (scripts/synthetic_frameworks.py), with every page it generates, against a
# bare Material site (font: false, search only) of as many ~4 KB pages, built in turn,
# median of 5 each: at most 1.5 times as long. Then `mkdocs serve` on that copy, as
# `make serve` runs it, on a free port of 127.0.0.1: each save of data/frameworks.yml is
# served within 2 s (median of 5 edits). Exits 1 when a target is missed (about 1 minute).
build-bench: $(VENV)/.site
	$(BIN)/python scripts/build_bench.py

# The link audit (it needs the network, so make test does not run it): every URL in
# the data and every external link in docs/ answers, and its #fragment is on the
# page, checked by LinkChecker with 4 links at a time, at most 2 requests a second
# to a host, and a 429, a 5xx or a timeout tried again. Prints each broken link
# with where it is used; exits 0 all fine, 1 some link broken, 2 nothing reachable.
.PHONY: check-links
check-links: $(VENV)/.dev
	$(BIN)/python scripts/check_links.py

clean:
	rm -rf site test-output

# The locks. Each .in file lists direct dependencies; pip-compile writes its .txt
# with every package pinned, for the Python CI tests with. The site's lock
# constrains the dev lock (requirements-dev.in says so), and the dev lock the
# examples' one, so all three agree. examples/requirements-newest.txt is compiled
# by .venv-newest's pip-compile, for NEWEST_LOCK_PYTHON, constrained by the site's
# lock; pip-compile keeps its other pins where they are. Package indexes come from
# pip's own configuration and none is written into the locks. Update one package:
#   make lock PIP_COMPILE_ARGS="--upgrade-package starlette"
# lock-upgrade: every package to its newest version the pins allow.
LOCK_PYTHON := 3.11
NEWEST_LOCK_PYTHON := 3.13
PIP_COMPILE_OPTIONS = --quiet --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(PIP_COMPILE_ARGS)
PIP_COMPILE = CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile $(PIP_COMPILE_OPTIONS)

lock: $(VENV)/.dev
	@$(BIN)/python -c 'import sys; v = "%d.%d" % sys.version_info[:2]; sys.exit(v != "$(LOCK_PYTHON)" and f"make lock: .venv runs Python {v}; compile the locks with $(LOCK_PYTHON), which CI runs")'
	$(PIP_COMPILE) --output-file requirements.txt requirements.in
	$(PIP_COMPILE) --output-file requirements-dev.txt requirements-dev.in
	$(PIP_COMPILE) --constraint requirements-dev.txt --output-file examples/requirements.txt examples/requirements.in
	@$(NEWEST) run -c 'import sys; v = "%d.%d" % sys.version_info[:2]; sys.exit(v != "$(NEWEST_LOCK_PYTHON)" and f"make lock: .venv-newest runs Python {v}; compile examples/requirements-newest.txt with $(NEWEST_LOCK_PYTHON), which CI runs: make lock NEWEST_PYTHON=<a Python $(NEWEST_LOCK_PYTHON)>")'
	CUSTOM_COMPILE_COMMAND="make lock" $(NEWEST) run -m piptools compile $(PIP_COMPILE_OPTIONS) \
		--output-file examples/requirements-newest.txt examples/requirements-newest.in

lock-upgrade:
	$(MAKE) lock PIP_COMPILE_ARGS=--upgrade

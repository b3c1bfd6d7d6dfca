# Two commands do all the set-up on a fresh machine: `make demo` and `make test`
# (which also installs or starts what the browser and PostgreSQL tests need: test-setup).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

CHROMIUM ?= /usr/bin/chromium

.PHONY: install demo test test-setup browser postgres pdf-libs lint typecheck bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev]"
	@$(MAKE) --no-print-directory pdf-libs || true
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/relook demo --workspace relook-workspace

test: $(STAMP) test-setup
	@$(BIN)/pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests" >&2; fi; \
	exit $$rc

# Everything the tests need beyond Python, so that `make test` passes on a fresh machine:
# installed here when missing and this user may (root, with apt-get); otherwise one line
# saying what to run, and `make test` stops before running anything.
test-setup: browser postgres pdf-libs

# The browser tests drive the Debian chromium package (no browser download at test time).
# RELOOK_SKIP_BROWSER=1 skips them instead.
browser:
	@if [ "$${RELOOK_SKIP_BROWSER:-}" = 1 ] || [ -x "$${RELOOK_CHROMIUM:-$(CHROMIUM)}" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make test: installing the Debian chromium package for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
	    || { echo "make test: could not install chromium (apt-get install chromium failed)" >&2; exit 1; }; \
	else \
	  echo "make test: the browser tests need Chromium at $${RELOOK_CHROMIUM:-$(CHROMIUM)}: run 'sudo apt-get install chromium' (or set RELOOK_CHROMIUM, or RELOOK_SKIP_BROWSER=1), then make test again" >&2; \
	  exit 1; \
	fi

# PDF case reports (WeasyPrint) need Pango and HarfBuzz's subsetter from the system.
# Installed by `make install` where missing and this user may (root, with apt-get);
# otherwise one line saying what to run (install goes on: only PDF reports need them;
# `make test` stops).
PDF_LIBS := libpango-1.0.so.0 libpangoft2-1.0.so.0 libharfbuzz-subset.so.0
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
pdf-libs:
	@missing=""; for lib in $(PDF_LIBS); do \
	  /sbin/ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="$$missing $$lib"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing the libraries PDF reports need ($(PDF_PACKAGES))"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PDF_PACKAGES) >/dev/null \
	    || { echo "make: could not install $(PDF_PACKAGES) (apt-get install failed)" >&2; exit 1; }; \
	else \
	  echo "make: PDF case reports need$$missing: run 'sudo apt-get install $(PDF_PACKAGES)', then make again" >&2; \
	  exit 1; \
	fi

# Store and web tests run against PostgreSQL as well as SQLite (RELOOK_TEST_POSTGRES_URL,
# default postgres@127.0.0.1:5432/test). A local cluster that is installed but stopped is
# started; RELOOK_SKIP_POSTGRES=1 runs them on SQLite only.
postgres:
	@if [ "$${RELOOK_SKIP_POSTGRES:-}" = 1 ] || [ -n "$${RELOOK_TEST_POSTGRES_URL:-}" ]; then exit 0; fi; \
	if command -v pg_isready >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then exit 0; fi; \
	if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then \
	  for version in $$(ls /etc/postgresql); do \
	    pg_ctlcluster --skip-systemctl-redirect "$$version" main start >/dev/null 2>&1 || true; \
	  done; \
	  pg_isready -h 127.0.0.1 -p 5432 -t 10 -q && exit 0; \
	fi; \
	echo "make test: no PostgreSQL at 127.0.0.1:5432 for the store and web tests: start one (database test, user postgres), set RELOOK_TEST_POSTGRES_URL, or run RELOOK_SKIP_POSTGRES=1 make test" >&2; \
	exit 1

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/bench_synth_ingest.py --cases 9000

clean:
	rm -rf $(VENV) relook-workspace .pytest_cache .mypy_cache .ruff_cache

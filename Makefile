# Kennisbank Zoeken. `make run` and `make test` work on a fresh clone where only python3 exists.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
THREADS ?= 8
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test index install bench bench-search clean help

help:
	@echo "make run    - install, build the index if needed, serve on http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite"
	@echo "make index  - rebuild the index now"
	@echo "make bench-search - search latency/throughput at 1k, 5k, 20k synthetic documents (BENCH_SIZES=1000,5000)"

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	# Exit status 3 means "built, but some PDFs were skipped": still serve.
	$(BIN)/kennisbank build --if-needed || [ $$? -eq 3 ]
	$(BIN)/waitress-serve --host=$(HOST) --port=$(PORT) --threads=$(THREADS) --call search_app:create_app

index: $(STAMP)
	$(BIN)/kennisbank build || [ $$? -eq 3 ]

test: $(STAMP)
	$(BIN)/python -m pytest

BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

# Builds (and caches under bench/var/) a synthetic corpus per size; writes bench/results/search.json.
bench-search: $(BENCH_STAMP)
	$(BIN)/python -m bench.search_bench

clean:
	rm -rf $(VENV) *.egg-info build

# Kennisbank Zoeken. `make run` and `make test` work on a fresh clone where only python3 exists.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 8000
THREADS ?= 4
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test index install bench bench-search bench-pages bench-build bench-build-real bench-content-sameness loadtest clean help eval

help:
	@echo "make run    - install, build the index if needed, serve on http://$(HOST):$(PORT)"
	@echo "make test   - run the whole test suite"
	@echo "make index  - rebuild the index now"
	@echo "make eval   - measure search relevance: nDCG@10, MRR per group on the judged queries; doc@1, doc@3, page@1, nDCG@10 on the real PDFs; word-match precision and recall on judged word pairs"
	@echo "make loadtest - 16 clients for 60 s on loopback, without and with rebuilds (bench/results/loadtest.json)"
	@echo "make bench  - extraction benchmark (BENCH_PDFS=folder, BENCH_LIMIT=n files for a quick run)"
	@echo "make bench-search - search latency/throughput at 1k, 5k, 20k synthetic documents (BENCH_SIZES=1000,5000)"
	@echo "make bench-pages - page view: cold render + marks p95 against plain pypdfium2 (bench/results/pages.json)"
	@echo "make bench-build - indexing pages/s at 1k, 5k, 20k synthetic documents against plain Whoosh (BENCH_SIZES=1000)"
	@echo "make bench-build-real - cold build vs plain pdfminer, warm rebuild, update of one record on the bench PDFs"
	@echo "make bench-content-sameness - every layout object of the bench PDFs made by the fast extraction paths and by pdfminer's own, compared"

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# `kennisbank build` exits 3 for "built, but some PDFs were skipped": still serve.
run: $(STAMP)
	$(BIN)/kennisbank build --if-needed || [ $$? -eq 3 ]
	$(BIN)/waitress-serve --host=$(HOST) --port=$(PORT) --threads=$(THREADS) --call search_app:create_app

index: $(STAMP)
	$(BIN)/kennisbank build || [ $$? -eq 3 ]

# Bounded load test on 127.0.0.1: CLIENTS concurrent clients for DURATION seconds, first steady, then while the index
# is rebuilt and updated; reports req/s, p50/p95/p99 and errors into bench/results/loadtest.json.
CLIENTS ?= 16
DURATION ?= 60
loadtest: $(STAMP)
	$(BIN)/python bench/loadtest.py --clients $(CLIENTS) --seconds $(DURATION) --compare

test: $(STAMP)
	$(BIN)/python -m pytest

eval: $(STAMP)
	$(BIN)/python -m tests.relevance.evaluate
	$(BIN)/python -m tests.relevance.real
	$(BIN)/python -m tests.relevance.word_matches

bench: $(STAMP)
	$(BIN)/python bench/extraction.py

# Builds (and caches under bench/var/) a synthetic corpus per size; writes bench/results/search.json.
bench-search: $(STAMP)
	$(BIN)/python -m bench.search_bench

# Cold page render + marks against plain pypdfium2 on the bench PDFs (BENCH_LIMIT pages); bench/results/pages.json.
bench-pages: $(STAMP)
	$(BIN)/python -m bench.pages_bench

# Indexes synthetic corpora through the product's write path, the old path and plain Whoosh in one run;
# writes bench/results/build.json. BENCH_OLD=0 skips the (slow) old path.
bench-build: $(STAMP)
	$(BIN)/python -m bench.build_bench

# On the bench PDFs with a text layer on every page: cold build against plain single-process pdfminer, warm
# rebuild, and update of one changed record (also with each index in one segment); bench/results/build-real.json.
bench-build-real: $(STAMP)
	$(BIN)/python -m bench.real_build_bench

# Lays out every page of the bench PDFs through indexer/extract/internals.py's fast paths and through pdfminer's own
# code and compares every layout object; exits 1 on any difference (BENCH_PDFS=folder or file).
bench-content-sameness: $(STAMP)
	$(BIN)/python -m bench.content_sameness

clean:
	rm -rf $(VENV) *.egg-info build

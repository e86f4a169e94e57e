# plainspoken: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORKSPACE ?= demo-workspace

.PHONY: run test lint eval bench env clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

env: $(STAMP)

run: $(STAMP)
	$(BIN)/plainspoken init $(WORKSPACE)
	$(BIN)/plainspoken check demo/copy --no-fail --format html --output $(WORKSPACE)/reports/copy-check.html
	$(BIN)/plainspoken check demo/copy --no-fail
	@echo "HTML report: $(abspath $(WORKSPACE))/reports/copy-check.html"

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

eval: $(STAMP)
	$(BIN)/python eval/copy/evaluate.py

bench: $(STAMP)
	$(BIN)/pip install --quiet proselint
	mkdir -p .bench && cd .bench && npm install --silent --no-audit --no-fund write-good >/dev/null
	$(BIN)/python benchmarks/bench_copy.py

# Community import benchmark: generates 1M- and 10M-post Stack Exchange dumps once (cached in
# .bench/community/dumps, about 3 GB per million posts), then times the importer beside a raw
# lxml parse and `community stats` on DuckDB and Spark. BENCH_COMMUNITY_ARGS="--sizes 1M".
.PHONY: bench-community
BENCH_COMMUNITY_ARGS ?=
bench-community: $(STAMP)
	$(BIN)/pip install --quiet 'pyspark>=4.0'
	@test -x /usr/bin/time || echo "bench-community: no /usr/bin/time (apt-get install time): peak RSS is sampled"
	$(BIN)/python benchmarks/bench_community.py $(BENCH_COMMUNITY_ARGS)

clean:
	rm -rf $(VENV) .bench $(WORKSPACE) .pytest_cache .mypy_cache .ruff_cache

docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

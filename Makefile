# plainspoken: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
WORKSPACE ?= demo-workspace
WEB_PORT ?= 8000
DEMO_PASSWORD ?= demo-password

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
	mkdir -p $(WORKSPACE)/imports $(WORKSPACE)/documents
	cp demo/copy/* $(WORKSPACE)/documents/
	$(BIN)/python demo/make_community.py $(WORKSPACE)/imports/office-it
	$(BIN)/plainspoken community import $(WORKSPACE)/imports/office-it --format stackexchange \
		--name office-it --workspace $(WORKSPACE)
	@printf '%s\n' '$(DEMO_PASSWORD)' | $(BIN)/plainspoken users add demo --role admin \
		--password-stdin --update --workspace $(WORKSPACE)
	@echo "Web workbench: http://127.0.0.1:$(WEB_PORT)/  login: demo / $(DEMO_PASSWORD)  (Ctrl-C stops it)"
	$(BIN)/plainspoken serve --workspace $(WORKSPACE) --port $(WEB_PORT)

test: $(STAMP)
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy
	$(BIN)/lint-imports

eval: $(STAMP)
	$(BIN)/python eval/copy/evaluate.py

# Authenticity on the Stack Exchange dumps in ../shared/data with planted campaigns.
.PHONY: eval-authenticity
eval-authenticity: $(STAMP)
	$(BIN)/python eval/authenticity/evaluate.py

# Influencer ranking's predictive validity on the same dumps: the reported topics and every
# other tag used on at least 20 questions, with bootstrap margins over the baselines.
.PHONY: eval-influence
eval-influence: $(STAMP)
	$(BIN)/python eval/influence/evaluate.py --extended

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

# Authenticity benchmark: generates (once) and imports a 1M-post Stack Exchange dump, then times
# `community authenticity` on DuckDB and Spark local, with peak RSS and agreement of the two.
# BENCH_AUTHENTICITY_ARGS="--sizes 1M,10M" adds the 10M run.
.PHONY: bench-authenticity
BENCH_AUTHENTICITY_ARGS ?= --sizes 1M
bench-authenticity: $(STAMP)
	$(BIN)/pip install --quiet 'pyspark>=4.0'
	$(BIN)/python benchmarks/bench_authenticity.py $(BENCH_AUTHENTICITY_ARGS)

# Influence benchmark: PageRank on a generated 1M-node / 10M-edge graph with the scipy kernel,
# DuckDB SQL, Spark local and networkx side by side (time, peak RSS, agreement), then a full
# influencer ranking of a generated 1M-post dataset. BENCH_INFLUENCE_ARGS="--skip spark".
.PHONY: bench-influence
BENCH_INFLUENCE_ARGS ?= --ranking-posts 1M
bench-influence: $(STAMP)
	$(BIN)/pip install --quiet 'pyspark>=4.0' networkx
	$(BIN)/python benchmarks/bench_influence.py $(BENCH_INFLUENCE_ARGS)

# Web load benchmark: the workbench on loopback (uvicorn, 2 workers), wrk posting 1,000-word
# documents to POST /api/check for 60 s; requests/s, p50/p99, errors, server RSS before/after.
.PHONY: bench-web
BENCH_WEB_ARGS ?=
bench-web: $(STAMP)
	@command -v wrk >/dev/null || (echo "bench-web: installing wrk (Debian)"; \
		$$(command -v sudo) apt-get install -y -q wrk >/dev/null)
	$(BIN)/python benchmarks/bench_web.py $(BENCH_WEB_ARGS)

clean:
	rm -rf $(VENV) .bench $(WORKSPACE) .pytest_cache .mypy_cache .ruff_cache

docs: $(STAMP)
	$(BIN)/python scripts/gen_docs.py

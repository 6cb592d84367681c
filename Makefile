# Two commands on a fresh machine: `make serve` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
NPM_STAMP := tests/cypher_lint/node_modules/.installed
# The console (web/): its packages from package-lock.json, then a build whenever a source,
# the lock or the server's schema changed (codegen checks every operation against it).
WEB_DEPS  := web/node_modules/.installed
WEB_BUILD := web/dist/.built
WEB_SRC   := $(shell find web/src -type f -not -path 'web/src/gql/*' 2>/dev/null) \
	web/index.html web/vite.config.ts web/codegen.ts web/tsconfig.json schema.graphql
# The browser tests drive Debian's headless Chromium (Playwright's own builds cannot be fetched).
CHROMIUM  := /usr/bin/chromium

.PHONY: install web serve serve-neo4j test lint bench bench-neo4j soak clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

$(NPM_STAMP): tests/cypher_lint/package.json tests/cypher_lint/package-lock.json
	cd tests/cypher_lint && npm ci --silent --no-audit --no-fund
	touch $@

$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && npm ci --silent --no-audit --no-fund
	touch $@

$(WEB_BUILD): $(WEB_DEPS) $(WEB_SRC)
	cd web && npm run --silent build
	touch $@

web: $(WEB_BUILD)

$(CHROMIUM):
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

serve: install $(WEB_BUILD)
	$(BIN)/hdt demo --if-empty
	$(BIN)/hdt serve

# The same ledger, projected into a real Neo4j: on first start the server replays it there.
serve-neo4j: install $(WEB_BUILD)
	HDT_GRAPH_URL=neo4j-local:///./data/neo4j $(BIN)/hdt demo --if-empty
	HDT_GRAPH_URL=neo4j-local:///./data/neo4j $(BIN)/hdt serve

lint: install
	$(BIN)/ruff check api graph ledger tests bench
	$(BIN)/mypy

test: install $(NPM_STAMP) $(WEB_BUILD) $(CHROMIUM) lint
	cd web && npm test --silent
	$(BIN)/pytest -q -n 2 --dist loadfile

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# The crash, fuzz and load tests of `make test`, run long.
soak: install
	HDT_CRASH_ROUNDS=25 HDT_FUZZ_EXAMPLES=3000 HDT_LOAD_SECONDS=120 \
		$(BIN)/pytest -q -s --timeout=3600 tests/api/test_crash.py tests/api/test_fuzz.py \
		tests/api/test_load.py

clean:
	rm -rf $(VENV) graph/neo4j_local/target tests/cypher_lint/node_modules web/node_modules web/dist

# HDT against @neo4j/graphql on the same local Neo4j and the same `hdt demo` data (issue 16).
# BENCH_NEO4J_ARGS: e.g. --patients 300 --seconds 5 --keep /tmp/hdt-bench-neo4j
bench-neo4j: install
	$(BIN)/python -m bench.neo4j_peer $(BENCH_NEO4J_ARGS)

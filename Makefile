# Two commands on a fresh machine: `make serve` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
NPM_STAMP := tests/cypher_lint/node_modules/.installed

.PHONY: install serve serve-neo4j test lint bench soak clean

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

serve: install
	$(BIN)/hdt demo --if-empty
	$(BIN)/hdt serve

# The same ledger, projected into a real Neo4j: on first start the server replays it there.
serve-neo4j: install
	HDT_GRAPH_URL=neo4j-local:///./data/neo4j $(BIN)/hdt demo --if-empty
	HDT_GRAPH_URL=neo4j-local:///./data/neo4j $(BIN)/hdt serve

lint: install
	$(BIN)/ruff check api graph ledger tests bench
	$(BIN)/mypy

test: install $(NPM_STAMP) lint
	$(BIN)/pytest -q

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

# The crash, fuzz and load tests of `make test`, run long.
soak: install
	HDT_CRASH_ROUNDS=25 HDT_FUZZ_EXAMPLES=3000 HDT_LOAD_SECONDS=120 \
		$(BIN)/pytest -q -s --timeout=3600 tests/api/test_crash.py tests/api/test_fuzz.py \
		tests/api/test_load.py

clean:
	rm -rf $(VENV) graph/neo4j_local/target tests/cypher_lint/node_modules

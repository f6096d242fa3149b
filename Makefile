# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DB ?= $(or $(ROR_DB),data/ror.duckdb)
PORT ?= 8501
# make serve (production): the base, address and port from the environment (README « Mettre en service »)
ROR_ADDRESS ?= 127.0.0.1
ROR_PORT ?= 8501

.PHONY: run serve test test-fast lint format demo-db bench-db bench clean

# The requirements installed by uv (9 s here, pip 25 s), compiled as pip does (a process that imports uncompiled
# modules pays ≈ 2.6 s, and the tests start twenty servers); pip itself where uv cannot reach the index (a mirror
# set in pip.conf, which uv does not read)
UV := uv==0.13.9
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet $(UV) \
		&& $(VENV)/bin/uv pip install --quiet --compile-bytecode --python $(PY) -r requirements.txt \
		|| $(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(DB): | $(VENV)/.installed
	$(PY) -m ror build-demo --db $(DB) --if-missing

## make run: set everything up (venv, requirements, demo database) and start the app on http://127.0.0.1:$(PORT)
run: $(VENV)/.installed $(DB)
	ROR_DB=$(DB) ROR_DEMO=1 $(VENV)/bin/streamlit run serve.py --server.port $(PORT) --server.address 127.0.0.1

## make serve: start the app on a production base (python -m ror init): $$ROR_DB, $$ROR_ADDRESS, $$ROR_PORT;
## no demo account, no demo banner
serve: $(VENV)/.installed
	@test -f "$(ROR_DB)" || { echo "Base introuvable : « $(ROR_DB) ». Définissez ROR_DB, ou créez la base avec « python -m ror init --db FICHIER --admin IDENTIFIANT » (docs/exploitation.md)." >&2; exit 2; }
	ROR_DB=$(ROR_DB) ROR_DEMO=0 $(VENV)/bin/streamlit run serve.py --server.port $(ROR_PORT) \
		--server.address $(ROR_ADDRESS) --server.headless true --browser.gatherUsageStats false

## make test: set up and run every test (unit, AppTest, real browser when Chromium is installed), one process per core
## (--dist loadscope: a test file at a time per process, so that the browser tests, collected first, are shared
## between the processes instead of all landing in the first one's initial share: 6 min 35 s → 5 min 30 s here)
test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -n auto --dist loadscope

## make test-fast: the tests without the real browser
test-fast: $(VENV)/.installed
	$(PY) -m pytest -n auto --dist loadscope -m "not browser"

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make demo-db: rebuild the Île-de-France demo database (replaces it)
demo-db: $(VENV)/.installed
	$(PY) -m ror build-demo --db $(DB)

## make bench-db: build the national-scale database used by the benchmarks (data/ror_national.duckdb)
bench-db: $(VENV)/.installed
	$(PY) -m ror build-demo --scale national --db data/ror_national.duckdb

## make bench: the benchmark (docs/performance.md) on the demo database, then on the national-scale one without the
## pages (builds them if needed)
bench: $(DB) | $(VENV)/.installed
	$(PY) -m ror build-demo --scale national --db data/ror_national.duckdb --if-missing
	$(PY) -m ror bench --db $(DB)
	$(PY) -m ror bench --db data/ror_national.duckdb --sans-pages

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

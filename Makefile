# The two set-up commands: `make run` and `make test`. Everything else builds on them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint format bench bench-core bench-store bench-territory studies clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: set up, then simulate the elderly baseline and print its summary
run: $(STAMP)
	$(BIN)/habitat simulate scenarios/elderly_baseline.yaml --replications 100 --seed 1 --out runs/elderly_baseline

## test: set up, then run the whole test suite (exit code 5, no tests, fails)
test: $(STAMP)
	$(BIN)/python -m pytest

## lint: ruff check and format check
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## bench: every benchmark below
bench: bench-core bench-store bench-territory

## bench-core: time batched vs sequential replications (1 habitat x 10 residents x 365 days)
bench-core: $(STAMP)
	$(BIN)/python simulations/bench_core.py

## bench-store: the screens' queries on a 5-year demo database (p95 target 20 ms)
bench-store: $(STAMP)
	$(BIN)/python simulations/bench_store.py

## bench-territory: 100 habitats x 100 replications x 5 years, local processes and Dask
bench-territory: $(STAMP)
	$(BIN)/python simulations/bench_territory.py

## studies: reproduce every study in simulations/ (sweep, analyse, copy figures)
STUDIES := animator_time family_loss providers neighbourhood sensitivity
studies: $(addprefix study-,$(STUDIES))

## study-NAME: reproduce one study, e.g. make study-family_loss
study-%: $(STAMP)
	$(BIN)/python simulations/run_study.py $*

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache .hypothesis

# The two set-up commands: `make run` and `make test`. Everything else builds on them.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= data/habitat.db
PORT   ?= 8501
# Browser tests drive Debian's Chromium (Playwright's own download does not work here).
CHROMIUM := /usr/bin/chromium
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# PDF documents: WeasyPrint renders with Pango; DejaVu prints the French accents.
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core

.PHONY: pdf-libs run test test-fast lint format validation bench bench-core bench-store bench-app bench-explorer bench-territory bench-documents bench-twin studies check-floors typecheck clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'  # dev: the app and research extras too
	touch $(STAMP)

$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver

# Installed once: a machine that has Pango and DejaVu already is left alone.
pdf-libs:
	@dpkg -s $(PDF_LIBS) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(PDF_LIBS); }

## run: set up, create the demo database if there is none, start the app on http://localhost:8501
run: $(STAMP) pdf-libs
	$(BIN)/habitat serve --demo --db $(DB) --port $(PORT)

## test: set up (Chromium included), then run the whole suite (exit code 5, no tests, fails).
## The browser tests run in a process of their own: Playwright's event loop stays out of the rest.
test: $(STAMP) $(CHROMIUM) pdf-libs
	$(BIN)/python -m pytest -m "not browser"
	$(BIN)/python -m pytest -m browser --reruns 1 --only-rerun TimeoutError

## test-fast: the suite without the browser and slow tests (Dask processes, long sweeps)
test-fast: $(STAMP) pdf-libs
	$(BIN)/python -m pytest -m "not browser and not slow"

## lint: ruff check, format check, and mypy over src/habitat (what the shipped py.typed promises)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## typecheck: mypy over src/habitat alone (lint runs it too)
typecheck: $(STAMP)
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## check-floors: install the lowest declared versions in a temporary venv and smoke-test them
check-floors: $(STAMP)
	$(BIN)/python simulations/check_floors.py

## bench: every benchmark below
bench: bench-core bench-store bench-app bench-explorer bench-territory bench-documents bench-twin

## bench-core: time batched vs sequential replications (1 habitat x 10 residents x 365 days)
bench-core: $(STAMP)
	$(BIN)/python simulations/bench_core.py

## bench-store: the screens' queries on a 5-year demo database (p95 target 20 ms)
bench-store: $(STAMP)
	$(BIN)/python simulations/bench_store.py

## bench-documents: each document on a 5-year demo database (AVP report PDF under 3 s)
bench-documents: $(STAMP) pdf-libs
	$(BIN)/python simulations/bench_documents.py

## bench-twin: the habitat's own model on the demo (each question under 5 s, calibration 2 min)
bench-twin: $(STAMP)
	$(BIN)/python simulations/bench_twin.py

## bench-app: server-side time of each page's rerun on the 5-year demo (p95 target 50 ms)
bench-app: $(STAMP)
	$(BIN)/python simulations/bench_app.py

## bench-explorer: 100 replications x 365 days, from "Lancer" to results on the page (target 3 s)
bench-explorer: $(STAMP)
	$(BIN)/python simulations/bench_explorer.py

## bench-territory: 100 habitats x 100 replications x 5 years, local processes and Dask
bench-territory: $(STAMP)
	$(BIN)/python simulations/bench_territory.py

## validation: record the validation table the simulation screens show (evidence/validation.csv)
validation: $(STAMP)
	rm -rf .validation && $(BIN)/habitat validate --evidence all --out .validation
	cp .validation/validation.csv src/habitat/evidence/validation.csv
	cp .validation/manifest.json src/habitat/evidence/validation.json
	rm -rf .validation

## studies: reproduce every study in simulations/ (sweep, analyse, copy figures)
STUDIES := animator_time family_loss providers neighbourhood sensitivity sensitivity_outcomes sensitivity_exits screening
studies: $(addprefix study-,$(STUDIES))

## study-NAME: reproduce one study, e.g. make study-family_loss
study-%: $(STAMP)
	$(BIN)/python simulations/run_study.py $*

clean:
	rm -rf $(VENV) runs .pytest_cache .ruff_cache .hypothesis

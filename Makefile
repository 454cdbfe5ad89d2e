# Two commands: `make book` (set-up + HTML) and `make test` (set-up + every test).
# Everything runs from a local .venv built from the exact pins in requirements.txt / constraints.txt.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := book

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
STAGE  := _build/.staging
JB_FLAGS := -W -n --keep-going

# What-if runs: `make book ASSUMPTIONS=scenarios/bear.csv` overrides register entries for every chapter.
# The path may hold spaces (`ASSUMPTIONS="my scenario.csv"`): it is resolved by the shell, quoted, never split.
ASSUMPTIONS ?=
ifneq ($(strip $(ASSUMPTIONS)),)
export DEAL_BOOK_ASSUMPTIONS := $(shell realpath -m -- '$(subst ','"'"',$(ASSUMPTIONS))')
endif
# Every model runs once per build: pages, tests and the command line share results cached here, keyed by
# the input files, the register and the code (see analysis/results.py).
export DEAL_BOOK_CACHE ?= $(CURDIR)/_build/cache

.PHONY: book results test bench briefing edition venv check-inputs key-figures notebooks constraints clean

$(STAMP): requirements.txt constraints.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is required; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	touch $(STAMP)

venv: $(STAMP)

## Validate every input table and the bibliography before any notebook runs.
check-inputs: venv
	$(PY) -m analysis check

key-figures: check-inputs
	$(PY) -m analysis key-figures

## Re-execute the chapters in place so their committed outputs match the code (then commit them).
notebooks: check-inputs
	$(PY) tools/run_notebooks.py chapters/*.ipynb

## Run every model once and cache the result, so that every page of the build reads it (none recomputes).
results: check-inputs
	$(PY) -m analysis compute

## Build the HTML book into _build/html with execution forced and warnings as errors, reading (and so
## executing) pages in parallel: tools/build_book.py is `jupyter-book build` with Sphinx's job count set.
## The build goes to a staging folder first, so a failed build never leaves a half-written _build/html.
book: results
	rm -rf $(STAGE)
	if ! $(PY) tools/build_book.py . --path-output $(STAGE) $(JB_FLAGS); then \
	  rm -rf _build/failed-reports; \
	  if [ -d $(STAGE)/_build/html/reports ]; then mv $(STAGE)/_build/html/reports _build/failed-reports; fi; \
	  rm -rf $(STAGE); \
	  echo "book build failed; _build/html is unchanged; execution tracebacks (if any) are in _build/failed-reports" >&2; exit 1; fi
	rm -rf _build/html _build/jupyter_execute
	mv $(STAGE)/_build/html _build/html
	mv $(STAGE)/_build/jupyter_execute _build/jupyter_execute
	rm -rf $(STAGE)
	@echo "book built: _build/html/index.html"

## Every test: lint (ruff) and types (mypy), unit and data tests, strict nbval over chapters/, and checks on
## the freshly built HTML.
test: book
	$(PY) -m ruff check analysis tests chapters/conftest.py _ext tools benchmarks
	$(PY) -m mypy
	BOOK_HTML=_build/html $(PY) -m pytest tests chapters \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  -p no:cacheprovider -q --durations=25

## Briefing pack in _build/briefing: every figure as PNG (200 dpi) and SVG by figure id, the key figures as
## CSV/JSON/Markdown, and a README with the commit, build date and assumption hash (honours ASSUMPTIONS).
briefing: check-inputs
	rm -rf _build/briefing-figures
	DEAL_BOOK_FIGURE_DIR="$(CURDIR)/_build/briefing-figures" $(MAKE) --no-print-directory book
	$(PY) -m analysis briefing --out _build/briefing --figures _build/briefing-figures \
	  --commit "$$(git rev-parse HEAD 2>/dev/null || echo unknown)"

## Record the key figures of a release as the next edition (editions/edition-NNN_DATE.json), then commit it.
## Editions record the base register only; the What-changed page compares every build with the last one.
edition: check-inputs
	$(PY) -m analysis edition --commit "$$(git describe --always --dirty 2>/dev/null || echo unknown)"

## Speed benchmarks (not part of `make test`): Monte Carlo and IRR throughput, printed as a table.
bench: venv
	$(PY) benchmarks/bench.py

## Regenerate constraints.txt (the full pinned environment) from requirements.txt.
constraints:
	rm -rf /tmp/constraints-venv
	$(PYTHON) -m venv /tmp/constraints-venv
	/tmp/constraints-venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	/tmp/constraints-venv/bin/pip freeze --exclude-editable | grep -v '^colossus-reflection-analysis' > constraints.txt

clean:
	rm -rf _build $(VENV)

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

# Each notebook kernel warns that it talks to Jupyter over local TCP without encryption (it always does, on this machine
# only): the line says nothing about the book, so the build drops it and keeps everything else.
QUIET_KERNEL := '/Kernel is running over TCP without encryption/d'

.PHONY: book results test pdf slides bench briefing edition release release-guard venv check-inputs key-figures notebooks constraints clean clean-cache

COMMIT = $$(git describe --always --dirty 2>/dev/null || echo unknown)

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
	$(PY) tools/run_notebooks.py chapters/*.ipynb 2>&1 | sed -u $(QUIET_KERNEL)

## Run every model once and cache the result, so that every page of the build reads it (none recomputes).
results: check-inputs
	$(PY) -m analysis compute

## Build the HTML book into _build/html with execution forced and warnings as errors, reading (and so
## executing) pages in parallel: tools/build_book.py is `jupyter-book build` with Sphinx's job count set.
## The build goes to a staging folder first, so a failed build never leaves a half-written _build/html.
## Every published figure is also exported to _build/figures (PNG at 200 dpi, SVG, and its source line) for the
## briefing pack and the deck.
book: results
	rm -rf $(STAGE)
	if ! DEAL_BOOK_FIGURE_DIR="$(CURDIR)/$(STAGE)/figures" $(PY) tools/build_book.py . --path-output $(STAGE) $(JB_FLAGS) 2>&1 \
	    | sed -u $(QUIET_KERNEL); then \
	  rm -rf _build/failed-reports; \
	  if [ -d $(STAGE)/_build/html/reports ]; then mv $(STAGE)/_build/html/reports _build/failed-reports; fi; \
	  rm -rf $(STAGE); \
	  echo "book build failed; _build/html is unchanged; execution tracebacks (if any) are in _build/failed-reports" >&2; exit 1; fi
	rm -rf _build/html _build/jupyter_execute _build/figures
	mv $(STAGE)/_build/html _build/html
	mv $(STAGE)/_build/jupyter_execute _build/jupyter_execute
	mv $(STAGE)/figures _build/figures
	rm -rf $(STAGE)
	@echo "book built: _build/html/index.html"

## The PDF edition in _build/pdf/book.pdf: the built book joined into one print-styled page and printed by
## Debian's Chromium (cover with edition, commit and assumption set; contents with page numbers; vector figures).
pdf: book
	$(PY) tools/print_book.py --html _build/html --out _build/pdf/book.pdf --commit "$(COMMIT)"

## The briefing deck in _build/slides/briefing.pptx: six slides from the key figures and the exported figures.
slides: book
	$(PY) -m analysis slides --out _build/slides/briefing.pptx --figures _build/figures --commit "$(COMMIT)"

## Every test: lint (ruff) and types (mypy, over the package, benchmarks/, tools/ and _ext/), the benchmarks in quick
## mode (they must run to the end), unit and data tests, strict nbval over chapters/, and checks on the freshly built
## HTML, the PDF and the deck.
## (Without Chromium or poppler the PDF is skipped with a message and its tests skip, as the browser test does.)
test: book slides
	$(PY) tools/print_book.py --html _build/html --out _build/pdf/book.pdf --commit "$(COMMIT)" --skip-without-tools
	$(PY) -m ruff check analysis tests chapters/conftest.py _ext tools benchmarks
	$(PY) -m mypy
	$(PY) benchmarks/bench.py --quick
	BOOK_HTML=_build/html BOOK_PDF=_build/pdf/book.pdf BOOK_DECK=_build/slides/briefing.pptx $(PY) -m pytest tests chapters \
	  --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
	  -p no:cacheprovider -q --durations=25

## Briefing pack in _build/briefing: every figure as PNG (200 dpi) and SVG by figure id, the key figures as
## CSV/JSON/Markdown, the PDF edition, the deck, and a README with the commit, build date and assumption hash
## (honours ASSUMPTIONS).
briefing: pdf slides
	$(PY) -m analysis briefing --out _build/briefing --figures _build/figures --commit "$(COMMIT)" \
	  --include _build/pdf/book.pdf --include _build/slides/briefing.pptx

## Record the key figures of a release as the next edition (editions/edition-NNN_DATE.json), then commit it.
## Editions record the base register only; the What-changed page compares every build with the last one.
edition: check-inputs
	$(PY) -m analysis edition --commit "$$(git describe --always --dirty 2>/dev/null || echo unknown)"

## A release: on a clean tree and the base register, record the key figures as the next edition, re-run the What-changed
## page (its stored output names the edition) and commit both, then build the book, the PDF, the deck and the briefing pack from that commit, so that the cover reads "Edition N, DATE"
## (a build whose figures differ from the last edition says "Working edition" instead). Refuses a dirty tree, a what-if
## assumption set and a build whose key figures have a change without a reason on record (`python -m analysis changes`).
release: release-guard check-inputs
	@out=$$($(PY) -m analysis changes) || { echo "$$out" | grep "NO REASON ON RECORD" >&2; \
	  echo "release: every change since the last edition needs a reason in editions/reasons.csv" >&2; exit 1; }
	$(PY) -m analysis edition --commit "$$(git rev-parse --short HEAD)"
	$(PY) tools/run_notebooks.py chapters/changes.ipynb 2>&1 | sed -u $(QUIET_KERNEL)
	git add editions chapters/changes.ipynb && git commit -q -m "Edition $$(ls editions/edition-*.json | sort | tail -1 | sed 's/.*edition-0*\([0-9]*\)_.*/\1/'): key figures recorded"
	$(MAKE) briefing
	@pdftotext -l 1 _build/pdf/book.pdf - | grep -q "^Edition [0-9]*, [0-9-]*$$" \
	  || { echo "release: the PDF cover does not name the edition" >&2; exit 1; }
	@echo "released: $$(pdftotext -l 1 _build/pdf/book.pdf - | grep '^Edition ')"

## What a release needs before anything runs: a clean working tree (the edition records a commit) and the base register.
release-guard:
	@git diff --quiet && git diff --cached --quiet || { echo "release: the working tree has uncommitted changes; commit them first" >&2; exit 2; }
	@[ -z "$(strip $(ASSUMPTIONS))" ] || { echo "release: ASSUMPTIONS is set; a release records the base register only" >&2; exit 2; }

## Speed benchmarks against budgets, printed as a table: the clean build and tests, the full compute, the exit game and
## IRR throughput (`make test` runs the quick mode, which only checks that every benchmark still runs).
bench: venv
	$(PY) benchmarks/bench.py

## Regenerate constraints.txt (the full pinned environment) from requirements.txt.
constraints:
	rm -rf /tmp/constraints-venv
	$(PYTHON) -m venv /tmp/constraints-venv
	/tmp/constraints-venv/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	/tmp/constraints-venv/bin/pip freeze --exclude-editable | grep -v '^colossus-reflection-analysis' > constraints.txt

## Remove the cached model results only (the cache also prunes itself to the six most recently used).
clean-cache:
	rm -rf "$(DEAL_BOOK_CACHE)"

clean:
	rm -rf _build $(VENV)

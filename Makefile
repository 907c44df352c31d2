# Two commands: `make run` (the main job on the bundled data) and `make test`.
# Both create or refresh .venv themselves; a fresh machine needs only Python 3.11+ and make.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
OUT ?= output
export PREFECT_SERVER_ANALYTICS_ENABLED := false

.PHONY: run rerun test install lint bench corpus variants clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the project's dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade "pip>=25.1"
	$(BIN)/python -m pip install --quiet -e . --group test
	touch $(STAMP)

install: $(STAMP)

# The main job: harvest the sources in sources.toml (by default the bundled mock portal in
# fixtures/site, offline) and extract what is new or changed into $(OUT).
run: $(STAMP)
	$(BIN)/python flows/harvest.py --sources sources.toml --out $(OUT)

# Rerun bundled documents one by one through the rerun flow.
rerun: $(STAMP)
	$(BIN)/python flows/rerun.py fixtures/text/*.txt fixtures/docs/*.pdf --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet -e . --group dev
	$(BIN)/ruff check src tests flows
	$(BIN)/mypy src

bench: $(STAMP)
	$(BIN)/python bench/bench_pdf.py

# Every document of ../shared/corpus (and ../shared/realdocs) with its health figures; takes
# a few minutes. Writes bench/corpus-latest.json; compare two runs with
# `$(BIN)/python bench/corpus.py --compare old.json`.
corpus: $(STAMP)
	$(BIN)/python bench/corpus.py $(CORPUS_ARGS)
	$(BIN)/python bench/diff_readers.py

# Metamorphic variants (tests/variants/README.md): the synthetic families printed hundreds of
# ways (labels, column order, levels, values, amounts, page breaks, merges, orientation; .docx,
# .xlsx, PDF), each checked against its content; a table per dimension and family, exit 1 on
# any failure. VARIANTS_ARGS="--count 600 --seed 2 --formats docx,pdf".
variants: $(STAMP)
	PYTHONPATH=tests $(BIN)/python -m variants $(VARIANTS_ARGS)

clean:
	rm -rf $(VENV) $(OUT)/documents $(OUT)/projects $(OUT)/indicators $(OUT)/issues

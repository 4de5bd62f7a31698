# crimegraph: the two quick-start commands are `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: run test lint typecheck pytest install install-test clean bench notebooks

# pip says only what goes wrong (-qq): `make run` prints the build's summary, not packaging noise.
PIP := $(BIN)/python -m pip install -qq

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[test]'
	touch $(VENV)/.installed $@

$(VENV)/.installed-notebooks: pyproject.toml | $(BIN)/python
	$(PIP) -e '.[notebooks]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## Build the graph from everything bundled in data/ and write it to out/.
run: install
	$(BIN)/crimegraph build --bundled -o $(OUT)
	$(BIN)/crimegraph draw $(OUT) -o $(OUT)/flows.html
	$(BIN)/crimegraph draw $(OUT) --country KAZ -o $(OUT)/kazakhstan.html

## Lint, format check, type check and the whole test suite.
test: install-test
	$(BIN)/ruff check graph tests benchmarks scripts
	$(BIN)/ruff format --check graph tests benchmarks scripts
	$(BIN)/mypy graph
	$(BIN)/pytest

## Install what the notebooks need and open them in JupyterLab (build the graph first: make run).
notebooks: $(VENV)/.installed-notebooks
	$(BIN)/jupyter lab notebooks/

bench: install-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(OUT) .pytest_cache .mypy_cache .ruff_cache

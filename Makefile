# Two entry points for people and CI; everything else is the `prodready` command.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint rules-test bench clean constraints

# constraints.txt pins every dependency to the version the tests passed with (make constraints).
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --constraint constraints.txt -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/prodready demo

test: $(STAMP) lint rules-test
	$(BIN)/pytest -q -p no:cacheprovider

lint: $(STAMP)
	$(BIN)/ruff check github_app tests bench
	$(BIN)/mypy

# Semgrep offline: no metrics, no version check, local rules only (design.md).
rules-test: $(STAMP)
	SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off $(BIN)/python -m github_app.rulecheck rules
	SEMGREP_ENABLE_VERSION_CHECK=0 SEMGREP_SEND_METRICS=off $(BIN)/semgrep test rules

bench: $(STAMP)
	$(BIN)/python bench/overhead.py

# After `make test` passes: record the venv's exact versions for the Dockerfile, the Action and CI.
constraints: $(STAMP)
	{ sed -n '1,3p' constraints.txt; $(BIN)/pip freeze --exclude-editable --all \
	  | grep -v -i -E '^(prodready|pip|setuptools|wheel)=='; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache

# Both entry points build .venv on first use, so a fresh clone needs nothing installed by hand.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test contract generate validate package bench clean

demo: $(STAMP)
	$(BIN)/keyforge demo

test: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -n auto

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

generate: $(STAMP)
	$(BIN)/cfn generate

validate: $(STAMP)
	$(BIN)/cfn validate

package: $(STAMP)
	$(BIN)/cfn submit --dry-run

clean:
	rm -rf $(VENV) build *.zip

bench: $(STAMP)
	$(BIN)/python bench/figures.py
	$(BIN)/python bench/lint_speed.py

# cfn test, the CloudFormation CLI's contract suite, against the embedded KMS: every input set,
# then models generated from the schema (KeyPolicy left out: it excludes the policy builder).
contract: $(STAMP)
	$(BIN)/python -m keyforge.contract --generated --omit KeyPolicy

# Both entry points build .venv on first use, so a fresh clone needs nothing installed by hand.
# Python 3.12, the Lambda runtime the resource type registers with (.rpdk-config). PYTHON is the
# first python3.12 that runs and is 3.12: on PATH (a pyenv shim for a version not enabled does
# not run), then in pyenv's versions. Set PYTHON=/path/to/python3.12 to choose another.
PY_VERSION := 3.12
IS_PY_VERSION := -c 'import sys; sys.exit("%d.%d" % sys.version_info[:2] != "$(PY_VERSION)")'
PYTHON ?= $(shell for p in "$$(command -v python$(PY_VERSION))" \
	"$$(pyenv root 2>/dev/null)"/versions/$(PY_VERSION)*/bin/python$(PY_VERSION) \
	"$${PYENV_ROOT:-$$HOME/.pyenv}"/versions/$(PY_VERSION)*/bin/python$(PY_VERSION) \
	/root/.pyenv/versions/$(PY_VERSION)*/bin/python$(PY_VERSION) \
	/usr/local/bin/python$(PY_VERSION) /usr/bin/python$(PY_VERSION); do \
	[ -x "$$p" ] && "$$p" $(IS_PY_VERSION) 2>/dev/null && { echo "$$p"; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The lock: every installed distribution pinned (make lock regenerates it).
LOCK := constraints.txt
# Sets py to $(PYTHON), or stops with an error if it is not a Python $(PY_VERSION).
CHOOSE_PYTHON = py='$(PYTHON)'; \
	if [ -z "$$py" ]; then \
	  echo "error: no Python $(PY_VERSION) on PATH nor in pyenv's versions: install it" \
	    "(pyenv install $(PY_VERSION)) or run make PYTHON=/path/to/python$(PY_VERSION)" >&2; exit 1; \
	elif ! "$$py" $(IS_PY_VERSION) 2>/dev/null; then \
	  echo "error: PYTHON=$$py is not Python $(PY_VERSION)" >&2; exit 1; \
	fi
# One test worker a CPU and one more: tests wait on child processes and sockets at times, and a
# worker each beyond that costs more CPU (its imports, its share of the caches) than it wins.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$((n + 1)))

.PHONY: demo test contract generate validate package bench clean lock hook-package hook-contract guard-rules

demo: $(STAMP)
	$(BIN)/keyforge demo

test: $(STAMP)
	$(BIN)/ruff check src tests bench hooks
	$(BIN)/ruff format --check src tests bench hooks
	$(BIN)/mypy
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup

# Everything: the base install, the local extra (embedded KMS, cfn) and the dev extra (test tools),
# the files of the lock, hash-checked; pip itself among them, so that whichever pip the venv came
# with, the lock's is the one that stays.
# Then keyforge itself, editable: a project folder is not one file, so pip would refuse it in
# hash-checking mode; its dependencies are all in the lock (--no-deps), and so are its build
# tools, which build it from this venv (--no-build-isolation) rather than from unpinned ones.
$(STAMP): pyproject.toml $(LOCK)
	@if ! $(BIN)/python $(IS_PY_VERSION) 2>/dev/null; then \
	  $(CHOOSE_PYTHON); \
	  echo "creating $(VENV) with $$py"; rm -rf $(VENV) && "$$py" -m venv $(VENV); \
	fi
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Resolves afresh (into an empty file) with pip-compile (pip-tools, of the dev extra): the newest
# versions pyproject.toml allows for its dependencies and both extras, with the Lambda bundle's pins
# (requirements.txt, without their hashes: a constraint with a hash would put the resolution in
# hash-checking mode) held so that both agree; each pin with the sha256 of every file of its
# version (--generate-hashes), pip and setuptools included (--allow-unsafe); no index or
# find-links lines (they are this machine's pip configuration); under the lock's own header.
lock: $(STAMP)
	@tmp="$$(mktemp -d)"; trap 'rm -rf "$$tmp"' EXIT; set -e; \
	sed -nE 's/^([A-Za-z0-9._-]+==[^ ]+).*/\1/p' requirements.txt > "$$tmp/bundle.txt"; \
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
	  --no-annotate --no-header --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
	  --extra dev --extra local -c "$$tmp/bundle.txt" -o "$$tmp/lock.txt" pyproject.toml; \
	{ sed -n '/^#/!q;p' $(LOCK); cat "$$tmp/lock.txt"; } > "$$tmp/constraints.txt"; \
	cp "$$tmp/constraints.txt" $(LOCK); \
	echo "$(LOCK): $$(grep -c '==' $(LOCK)) distributions pinned, $$(grep -c -- '--hash=' $(LOCK)) hashes"

# From schema.json: models.py and docs/ (cfn generate), then schema_validators.py, fastjsonschema's
# code for each check the handlers' schema_errors makes (python -m keyforge.generate_validators).
generate: $(STAMP)
	$(BIN)/cfn generate
	$(BIN)/python -m keyforge.generate_validators

validate: $(STAMP)
	$(BIN)/cfn validate

# keyforge-kms-key.zip, as cfn submit --dry-run builds it, through keyforge.submit: the venv's pip
# (Python $(PY_VERSION)) first on PATH, charset-normalizer's build tools pinned and hash-checked
# (PIP_BUILD_CONSTRAINT=build-constraints.txt), and a zip whose bytes depend on its contents only
# (fixed times, order and modes), so that any rebuild gives the same sha256, which it prints.
package: $(STAMP)
	$(BIN)/python -m keyforge.submit --dry-run

clean:
	rm -rf $(VENV) build *.zip hooks/key-rules/build hooks/key-rules/*.zip keyforge.guard

# The speed figures (README: Speed); the imports are timed from the Lambda bundle, built as
# make package builds it (pip downloads).
bench: $(STAMP)
	$(BIN)/python bench/figures.py
	$(BIN)/python bench/lint_speed.py
	$(BIN)/python bench/replicas.py

# cfn test, the CloudFormation CLI's contract suite, against the embedded KMS: every input set,
# then models generated from the schema (KeyPolicy left out: it excludes the policy builder).
contract: $(STAMP)
	$(BIN)/python -m keyforge.contract --generated --omit KeyPolicy

# The hook type Keyforge::KMS::KeyRules (hooks/key-rules): its Lambda bundle as cfn submit --dry-run
# builds it there (keyforge-kms-keyrules.zip; the venv's pip, charset-normalizer's build tools
# pinned, as for the resource's), and its contract tests without Docker (make test runs them too).
hook-package: $(STAMP)
	cd hooks/key-rules && PATH="$(CURDIR)/$(BIN):$$PATH" \
	  PIP_BUILD_CONSTRAINT="$(CURDIR)/build-constraints.txt" "$(CURDIR)/$(BIN)/cfn" submit --dry-run

hook-contract: $(STAMP)
	cd hooks/key-rules && "$(CURDIR)/$(BIN)/python" -m keyforge.contract

# The Guard rule pack, for cfn-guard in a pipeline or a Guard hook (hooks/guard-hook.yaml).
guard-rules: $(STAMP)
	$(BIN)/keyforge guard-rules -o keyforge.guard

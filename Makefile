# Two commands for a newcomer: `make reports` and `make test`.
# Both create .venv from scratch with the exact pins of pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NPM    ?= npm
# axe-core for the browser tests, exactly as package-lock.json pins it (tests/browser.py).
AXE    := node_modules/axe-core/axe.min.js
OUT    ?= reports

.PHONY: all setup reports test bench samples lab clean

all: reports

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3"
	$(BIN)/python -m pip install --quiet -e ".[test]"
	# Optional Voikko (GPL library and dictionary from the system): its binding when libvoikko1 is installed.
	if ldconfig -p 2>/dev/null | grep -q libvoikko.so.1; then $(BIN)/python -m pip install --quiet -e ".[voikko]"; fi
	# The project's kernel, inside the venv, for papermill and JupyterLab.
	$(BIN)/python -m ipykernel install --sys-prefix --name workbench --display-name "Python (workbench)" >/dev/null
	touch $(STAMP)

$(AXE): package.json package-lock.json
	@if ! command -v $(NPM) >/dev/null; then \
	    if [ "$$WORKBENCH_SKIP_BROWSER" = 1 ]; then echo "make: no npm, so no axe-core; the browser tests are skipped (WORKBENCH_SKIP_BROWSER=1)"; exit 0; fi; \
	    echo "make: the browser tests need npm (Node.js 18+) to install axe-core from package-lock.json; see README, Browser tests" >&2; exit 1; \
	fi; \
	echo "$(NPM) ci --ignore-scripts --no-audit --no-fund --loglevel=error"; \
	$(NPM) ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $(AXE)

setup: $(STAMP) $(AXE)

reports: $(STAMP)
	$(BIN)/workbench build --out $(OUT)

test: $(STAMP) $(AXE)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/weighted.py
	$(BIN)/python benchmarks/journey.py
	$(BIN)/python benchmarks/text.py

samples: $(STAMP)
	$(BIN)/python -m workbench.sample_data --out data/samples

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis node_modules

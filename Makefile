# Two commands for a newcomer: `make reports` and `make test`.
# Both create .venv from scratch with the exact pins of pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
NPM    ?= npm
# axe-core for the browser tests, exactly as package-lock.json pins it (tests/browser.py).
AXE    := node_modules/axe-core/axe.min.js
SPARK  := $(VENV)/.spark-stamp
OUT    ?= reports

.PHONY: all setup reports test test-spark bench samples lab clean

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

# Counting through Ibis on Spark in local mode (pyspark + Java 17; .ci/run installs Java on Debian).
$(SPARK): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,spark]"
	touch $(SPARK)

test-spark: $(SPARK)
	@command -v java >/dev/null || { echo "make test-spark needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)"; exit 1; }
	WORKBENCH_SPARK=1 $(BIN)/python -m pytest tests/data/test_spark.py

# Counting benchmark (quick run: make bench BENCH="--rows 1e6"), then every other script in benchmarks/.
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH)
	@for script in $(filter-out benchmarks/run.py,$(wildcard benchmarks/*.py)); do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

samples: $(STAMP)
	$(BIN)/python -m workbench.sample_data --out data/samples

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis node_modules

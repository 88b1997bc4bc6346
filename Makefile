# Two commands for a newcomer: `make reports` and `make test`.
# Both create .venv from scratch with the exact pins of pyproject.toml.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
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

setup: $(STAMP)

reports: $(STAMP)
	$(BIN)/workbench build --out $(OUT)

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/text.py

samples: $(STAMP)
	$(BIN)/python -m workbench.sample_data --out data/samples

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .hypothesis

# Two entry points for a fresh machine that has only python3:
#   make run   builds the database and the site from data/articles/ (tracker.toml: this
#              repository is a tracker project)
#   make test  runs the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/tracker build

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site data/tracker.db data/tracker.db.lock

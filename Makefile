# Two entry points for a fresh machine:  `make demo`  and  `make test`.
# Both create .venv and install everything in one pip command (torch pinned to the CPU build
# that pip finds on these machines; an unpinned torch pulls a multi-GB CUDA build).

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DEMO_INDEX ?= .demo-index
QUERY  ?= Lavrov Pyongyang

.PHONY: install demo test lint clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check "torch==2.13.0" -e ".[dev]"
	touch $@

demo: install
	$(BIN)/news-search index samples/archive --index $(DEMO_INDEX)
	$(BIN)/news-search --index $(DEMO_INDEX) "$(QUERY)"

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(DEMO_INDEX)

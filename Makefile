# Two entry points for a fresh machine:  `make demo`  and  `make test`.
# Both create .venv and install everything in one pip command. torch is pinned here and nowhere else:
# pip takes its CPU wheel where the machine keeps one (find-links), else PyPI's CUDA build (about
# 4.6 GB installed), which only the one-time model conversion and sentence-transformers models use.

PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
DEMO_INDEX ?= .demo-index
QUERY  ?= Lavrov Pyongyang

.PHONY: install demo test lint clean opensearch opensearch-stop

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

# A local OpenSearch node with the k-NN plugin on 127.0.0.1:9200, for the OpenSearch backend (issue 16).
# The first run downloads it from Maven Central (about 170 MB, with mvn) into ~/.cache/news-search/opensearch
# (or $NEWS_SEARCH_CACHE/opensearch); the target returns once the node answers, printing its URL.
opensearch:
	$(PYTHON) tools/opensearch.py start --port 9200

opensearch-stop:
	$(PYTHON) tools/opensearch.py stop

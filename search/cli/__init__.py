"""The ``news-search`` command line: a thin typer shell over ``NewsSearch`` and ``Indexer``."""

from search.cli.app import main

__all__ = ["main"]

"""``python -m search.cli``: the same as the ``news-search`` command."""

from search.cli.app import main

main()

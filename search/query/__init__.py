"""search/query: see the module docstrings."""

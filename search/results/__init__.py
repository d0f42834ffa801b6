"""search/results: see the module docstrings."""

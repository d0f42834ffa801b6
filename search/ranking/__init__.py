"""search/ranking: see the module docstrings."""

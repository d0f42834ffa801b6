"""index/extract: see the module docstrings."""

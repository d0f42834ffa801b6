"""index/embed: see the module docstrings."""

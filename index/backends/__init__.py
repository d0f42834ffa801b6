"""index/backends: see the module docstrings."""

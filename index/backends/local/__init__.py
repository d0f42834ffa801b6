"""index/backends/local: see the module docstrings."""

"""index/backends/local/keyword: see the module docstrings."""

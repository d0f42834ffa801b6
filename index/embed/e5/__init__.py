"""index/embed/e5: see the module docstrings."""

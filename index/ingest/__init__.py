"""index/ingest: see the module docstrings."""

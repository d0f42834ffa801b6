"""Tests of ingest (mirrors the package layout)."""

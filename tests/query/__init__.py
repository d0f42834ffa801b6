"""Tests of query (mirrors the package layout)."""

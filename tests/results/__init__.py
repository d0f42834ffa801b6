"""Tests of results (mirrors the package layout)."""

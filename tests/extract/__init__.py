"""Tests of extract (mirrors the package layout)."""

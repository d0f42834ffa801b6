"""Tests of embed (mirrors the package layout)."""

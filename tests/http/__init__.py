"""Tests of http (mirrors the package layout)."""

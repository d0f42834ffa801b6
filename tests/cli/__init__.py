"""Tests of cli (mirrors the package layout)."""

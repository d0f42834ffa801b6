"""Tests of evaluation (mirrors the package layout)."""

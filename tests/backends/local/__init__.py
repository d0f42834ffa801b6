"""Tests of backends local (mirrors the package layout)."""

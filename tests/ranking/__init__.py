"""Tests of ranking (mirrors the package layout)."""

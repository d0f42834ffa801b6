"""Tests of benchmarks (the scripts and their data)."""

"""Benchmarks at realistic scale, run by hand (never part of the test suite); see README.md."""

"""Benchmarks: they print their figures; bench/RESULTS.md records them with their commands."""

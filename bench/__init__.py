"""Benchmarks behind ``make bench``: each figure beside its target and its raw baseline."""

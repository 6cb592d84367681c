"""Benchmarks: `make bench` (python -m bench) prints ratios measured side by side."""

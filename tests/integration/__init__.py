"""Integration tests: the real engine and the local cluster (pytest -m integration)."""

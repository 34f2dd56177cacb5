"""Shared test helpers that run as real processes or servers (the GitHub stand-in)."""

"""The Typer command-line adapter of codexstack (also installed as ``codexctl``).

Each command parses its options, builds one :mod:`codexstack.flows` request, runs that flow,
prints the result and returns its exit code; the global flags are read once by the root
callback wherever they stand on the line. Nothing here holds business logic, and nothing heavy
is imported at start-up (the flows load on first use).
"""

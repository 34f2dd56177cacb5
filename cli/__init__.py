"""The Typer command-line adapter of codexstack (also installed as ``codexctl``).

Each command parses its options, calls one library function, prints the result and maps it to
an exit code. Nothing here holds business logic, and nothing heavy is imported at start-up.
"""

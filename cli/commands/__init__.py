"""One module per command group; each registers thin Typer adapters over the library."""

"""The build: which files to make, making each one on workers, and the printer's package."""

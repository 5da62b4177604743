"""The preflight, as a printer's would read each PDF."""

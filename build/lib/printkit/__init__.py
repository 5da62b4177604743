"""printkit: a campaign programme kept as data, rendered into print-ready PDFs."""

__version__ = "0.1.0"

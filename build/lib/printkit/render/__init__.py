"""HTML from the layouts, laid out by WeasyPrint."""

"""The campaign's data, loaded and validated."""

"""The product kinds printkit makes, and how each is fitted to its format."""

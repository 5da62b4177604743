"""The designers' preview server: it only calls the build."""

"""`python -m printkit.cli`: the command line."""

from printkit.cli import main

main()

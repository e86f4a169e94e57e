"""`python -m plainspoken` runs the command-line interface."""

from plainspoken.cli.app import main

main()

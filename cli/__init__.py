"""Command-line commands; ``main.py`` parses the arguments and calls these."""

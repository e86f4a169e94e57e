"""The command-line face: parse, call one library function, render."""

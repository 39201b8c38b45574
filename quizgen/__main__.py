"""`python -m quizgen` runs the command-line interface."""

from .cli import main

main()

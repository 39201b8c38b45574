"""quizgen's version, in a module that imports nothing (the CLI, the cache key and worksheets read it)."""

__version__ = "0.1.0"

"""The `habitat` command: one module per command group."""

from habitat.cli.main import build_parser, main

__all__ = ["build_parser", "main"]

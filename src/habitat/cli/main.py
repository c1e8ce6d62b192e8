"""The `habitat` command's parser and entry point."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from habitat.cli import db, gdpr, research, serve, simulate, users
from habitat.cli.exit_codes import EXIT_BAD_INPUT


class _Parser(argparse.ArgumentParser):
    """Bad flags exit with status 2 and one line naming the flag and the reason."""

    def error(self, message: str) -> None:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line: `habitat simulate|sweep|analyze|db|export|erase|serve|users ...`."""
    parser = _Parser(prog="habitat", description="Simulate and manage inclusive habitats.")
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, help="what to do"
    )
    for group in (simulate, research, db, gdpr, serve, users):
        group.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `habitat` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    return args.run(args)

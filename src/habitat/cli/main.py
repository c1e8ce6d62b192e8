"""The `habitat` command's parser and entry point: global flags, logging, dispatch."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from habitat.cli import (
    calibrate,
    db,
    documents,
    gdpr,
    imports,
    research,
    serve,
    setup,
    simulate,
    twin,
    users,
    validate,
)
from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_MISSING_EXTRA
from habitat.extras import missing_extra

#: The logger every module of the package logs under (`logging.getLogger(__name__)`).
LOGGER = "habitat"
#: Format of log lines at the default level: the message alone, as the commands print.
PLAIN = "%(message)s"
#: Format with --verbose: which module speaks, for a person chasing a problem.
DETAILED = "%(levelname)s %(name)s: %(message)s"


class _Parser(argparse.ArgumentParser):
    """Bad flags exit with status 2 and one line naming the flag and the reason."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def version() -> str:
    """The package's version (the one the build records, from `habitat.__version__`)."""
    from habitat import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    """The command line: `habitat simulate|sweep|analyze|db|export|erase|serve|users ...`."""
    parser = _Parser(prog="habitat", description="Simulate and manage inclusive habitats.")
    parser.add_argument(
        "--version", action="version", version=f"habitat {version()}", help="print the version"
    )
    loudness = parser.add_mutually_exclusive_group()
    loudness.add_argument(
        "--verbose",
        "-v",
        action="count",
        default=0,
        help="say more about what is done (repeat for debug details)",
    )
    loudness.add_argument(
        "--quiet",
        "-q",
        dest="silent",
        action="store_true",
        help="only warnings and errors: no information lines, no progress bars",
    )
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, help="what to do"
    )
    for group in (
        simulate,
        research,
        validate,
        calibrate,
        db,
        gdpr,
        documents,
        imports,
        serve,
        users,
        setup,
        twin,
    ):
        group.add_commands(commands)
    return parser


class _CliHandler(logging.StreamHandler):
    """The handler `configure_logging` adds (and takes back on the next call)."""


def configure_logging(verbose: int = 0, silent: bool = False) -> None:
    """Send the `habitat` logger's records to the current stderr, at the level asked.

    Args:
        verbose: 0 for information lines, 1 or more for debug details too.
        silent: warnings and errors only.
    """
    logger = logging.getLogger(LOGGER)
    for handler in [h for h in logger.handlers if isinstance(h, _CliHandler)]:
        logger.removeHandler(handler)  # main() may run several times in one process
    handler = _CliHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(DETAILED if verbose else PLAIN))
    logger.addHandler(handler)
    if silent:
        logger.setLevel(logging.WARNING)
    else:
        logger.setLevel(logging.DEBUG if verbose else logging.INFO)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `habitat` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    configure_logging(args.verbose, args.silent)
    if args.silent and hasattr(args, "quiet"):
        args.quiet = True  # `habitat -q sweep` hides the progress bar like `sweep -q`
    try:
        return args.run(args)
    except ModuleNotFoundError as error:  # an extra (app, research) is not installed
        missing_extra(f"habitat {args.command}", error)
        return EXIT_MISSING_EXTRA

"""Options and argument types shared by the `habitat` commands."""

from __future__ import annotations

import argparse
import getpass
import os
from datetime import date
from pathlib import Path

from habitat.cli.exit_codes import fail

#: Where the database lives unless `--db` or HABITAT_DB says otherwise.
DEFAULT_DB = Path("data/habitat.db")


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """Add `--db` (default $HABITAT_DB, then data/habitat.db) and `--actor` to a command."""
    parser.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("HABITAT_DB", DEFAULT_DB)),
        help=f"the SQLite file (default: $HABITAT_DB or {DEFAULT_DB})",
    )
    parser.add_argument(
        "--actor",
        default=f"cli:{getpass.getuser()}",
        help="who is acting, as written in the audit log (default: cli:USER)",
    )


def add_as_option(parser: argparse.ArgumentParser) -> None:
    """Add `--as ACCOUNT` (default: the animator) and the database options to a command."""
    parser.add_argument(
        "--as",
        dest="as_account",
        metavar="ACCOUNT",
        help="act as this account, with its role's scope (default: the animator)",
    )
    add_db_option(parser)


def existing_db(args: argparse.Namespace, command: str, *, up_to_date: bool = True) -> bool:
    """Whether `--db` names an existing, up-to-date database; if not, say why on stderr.

    A database an older version wrote lacks the newer tables: the command would
    fail halfway, so it is refused until `habitat db migrate` brings it up to date
    (`up_to_date=False` for the commands that check or back up such a file).
    """
    from habitat import store

    if not args.db.is_file():
        fail(command, f"--db: {args.db} does not exist (create it with `habitat db init`)")
        return False
    if not up_to_date:
        return True
    with store.connect(args.db) as db:
        pending = store.pending(db)
    if pending:
        fail(
            command,
            f"--db: {args.db} was written by an older version of habitat; bring it up to date "
            f"with `habitat db migrate --db {args.db}` (pending: {', '.join(pending)})",
        )
        return False
    return True


def positive(name: str, upper: int):
    """An argument type: a whole number from 1 to `upper`, errors naming the flag `name`."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number, got {text!r}"
            ) from None
        if not 1 <= value <= upper:
            raise argparse.ArgumentTypeError(f"{name} must be between 1 and {upper}, got {value}")
        return value

    return parse


#: Seed of the commands that check the model against evidence (`validate`, `calibrate`)
#: when none is given: their tables are reproducible by default.
EVIDENCE_SEED = 2026


def seed(text: str) -> int:
    """An argument type: a random seed, a whole number 0 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed must be 0 or more, got {value}")
    return value


def iso_date(text: str) -> date:
    """An argument type: a date written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None

"""`habitat documents ...`: every document of the app, from the command line.

The same services as the screens, with the same role scopes: `--as ACCOUNT` acts
as that account (default: the habitat's animator), and a personal document is
audited the same way as from the app.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail
from habitat.cli.options import add_db_option, existing_db
from habitat.files import write_atomically


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `documents` and its subcommands on the `habitat` command."""
    text = "produce the habitat's documents (PDF, xlsx, HTML, calendars)"
    group = commands.add_parser("documents", help=text, description=text)
    documents = group.add_subparsers(
        dest="document", required=True, parser_class=type(group), help="which document"
    )
    del documents  # each document adds its subcommand below (see `_common`)


def _common(sub: argparse.ArgumentParser, default_out: str) -> None:
    """The options every document takes: where to write, as whom, which database."""
    sub.add_argument("--out", type=Path, help=f"file to write (default: {default_out})")
    sub.add_argument(
        "--as",
        dest="as_account",
        metavar="ACCOUNT",
        help="act as this account, with its role's scope (default: the animator)",
    )
    add_db_option(sub)


def _produce(args: argparse.Namespace, command: str, make) -> int:
    """Open the database, act as `--as`, call `make(db, user)`, write the document."""
    from habitat import store
    from habitat.documents.render import RenderingUnavailableError
    from habitat.services.access import Forbidden
    from habitat.services.auth import acting_as

    if not existing_db(args, command):
        return EXIT_BAD_INPUT
    with store.connect(args.db) as db:
        try:
            user = acting_as(db, args.as_account)
            document = make(db, user)
        except LookupError as exc:
            return fail(command, str(exc))
        except Forbidden as exc:
            return fail(command, f"--as: {exc}")
        except RenderingUnavailableError as exc:
            return fail(command, str(exc))
    out = args.out or Path(document.filename)
    write_atomically(out, document.content)
    if not getattr(args, "silent", False):
        print(f"wrote {out}")
    return EXIT_OK

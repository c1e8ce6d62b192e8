"""`habitat import residents|carers|providers FILE`: bring existing data in from a file.

Prints the same preview as the app's "Importer des données" screen (what would be
created, who is already there, each refused cell), then writes the accepted rows in
one transaction after a confirmation (or at once with `--yes`). The import is done as
an animator account of the database (`--as`), so the audit log names a person.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail
from habitat.cli.options import add_db_option, existing_db

#: The kinds of file, as the command names them (`habitat.services.imports.Kind` values).
KINDS = ("residents", "carers", "providers")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `import` on the `habitat` command."""
    text = "import residents, carers or providers from a CSV or .xlsx file (French columns)"
    sub = commands.add_parser(
        "import",
        help=text,
        description=text + ". The app's Importer page gives the templates.",
    )
    sub.add_argument("kind", choices=KINDS, help="what the file lists")
    sub.add_argument("file", type=Path, help="the .csv or .xlsx file")
    sub.add_argument(
        "--as",
        dest="username",
        required=True,
        help="the animator account importing (named in the audit log)",
    )
    sub.add_argument("--yes", action="store_true", help="write without asking for confirmation")
    add_db_option(sub)
    sub.set_defaults(run=_import)


def _import(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.services import imports
    from habitat.services.access import Forbidden, user_of
    from habitat.store.entities import Account

    command = f"import {args.kind}"
    if not existing_db(args, command):
        return EXIT_BAD_INPUT
    if not args.file.is_file():
        return fail(command, f"{args.file}: no such file")
    with store.connect(args.db) as db:
        accounts = store.find(db, Account, "username = ?", [args.username])
        if not accounts:
            return fail(command, f"--as: no account {args.username!r}")
        user = user_of(db, accounts[0])
        try:
            plan = imports.preview(db, user, args.kind, args.file.name, args.file.read_bytes())
        except imports.FileRefused as refusal:
            return fail(command, refusal.message_fr)
        except Forbidden as refusal:
            return fail(command, f"--as: {refusal.message_fr}")
        print(plan.summary_fr())
        for row in plan.table():
            print("\t".join(row.values()))
        for refused in plan.refusals:
            print(refused.message_fr)
        new = len(plan.to_create)
        if not new:
            return EXIT_OK
        if not args.yes and input(f"Importer {new} ligne(s) ? [o/N] ").strip().lower() not in (
            "o",
            "oui",
            "y",
            "yes",
        ):
            print("Rien n'a été importé.")
            return EXIT_OK
        try:
            created = imports.commit(db, user, plan)
        except imports.ImportFailed as failure:
            return fail(command, failure.message_fr)
    print(f"{len(created)} créé(s).")
    return EXIT_OK

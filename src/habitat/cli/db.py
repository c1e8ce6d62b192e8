"""`habitat db init|migrate|check|backup|restore|demo`: the records database."""

from __future__ import annotations

import argparse
from pathlib import Path

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, EXIT_SOME_FAILED, fail
from habitat.cli.options import add_db_option, existing_db, iso_date


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `db` and its sub-commands on the `habitat` command."""
    text = "create, check, back up and restore the records database"
    db = commands.add_parser("db", help=text, description=text)
    db_commands = db.add_subparsers(
        dest="db_command", required=True, parser_class=type(db), help="what to do"
    )
    for name, text, run in (
        ("init", "create the database (or bring it up to date)", _init),
        ("migrate", "apply pending schema migrations", _init),
        ("check", "integrity, foreign keys and migrations; exit 1 if anything is wrong", _check),
    ):
        sub = db_commands.add_parser(name, help=text, description=text)
        add_db_option(sub)
        sub.set_defaults(run=run)
    sub = db_commands.add_parser(
        "backup",
        help="copy the live database to PATH, checked",
        description="Back up with "
        "SQLite's backup API (safe while the app runs) and check the copy's integrity.",
    )
    sub.add_argument("path", type=Path, help="the backup file to write")
    add_db_option(sub)
    sub.set_defaults(run=_backup)
    sub = db_commands.add_parser(
        "restore",
        help="replace the database with a checked backup",
        description="Restore a backup; a corrupt or foreign file is refused and changes "
        "nothing. The replaced database is kept beside it as NAME.before-restore.",
    )
    sub.add_argument("path", type=Path, help="the backup file to restore")
    add_db_option(sub)
    sub.set_defaults(run=_restore)
    sub = db_commands.add_parser(
        "demo",
        help="create a demo database (a plausible habitat, fictitious people)",
        description="Create a demo habitat: 8 residents of mixed publics, families, providers, "
        "a year of activities, notes, tensions, council meetings and time entries.",
    )
    sub.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    sub.add_argument(
        "--years",
        type=int,
        default=1,
        choices=range(1, 11),
        metavar="1-10",
        help="years of history (default 1)",
    )
    sub.add_argument(
        "--end",
        type=iso_date,
        help="last day of the history, YYYY-MM-DD (default 2026-06-30; `make run` uses today)",
    )
    add_db_option(sub)
    sub.set_defaults(run=demo)


def _init(args: argparse.Namespace) -> int:
    from habitat import store

    applied = store.init(args.db)
    print(f"{args.db}: " + (f"applied {', '.join(applied)}" if applied else "up to date"))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.queries import row_counts

    if not existing_db(args, "db check", up_to_date=False):
        return EXIT_BAD_INPUT
    health = store.check(args.db)
    for line in health.problems():
        print(f"{args.db}: {line}")
    if health.ok:
        with store.connect(args.db) as db:
            counts = row_counts(db)
        print(
            f"{args.db}: ok ({counts.get('resident', 0)} residents, "
            f"{counts.get('audit_log', 0)} audit entries)"
        )
    return EXIT_OK if health.ok else EXIT_SOME_FAILED


def _backup(args: argparse.Namespace) -> int:
    from habitat import store

    if not existing_db(args, "db backup", up_to_date=False):
        return EXIT_BAD_INPUT
    if args.path.resolve() == args.db.resolve():
        return fail("db backup", "PATH: is the database itself")
    try:
        written = store.backup(args.db, args.path, actor=args.actor)
    except store.BadBackup as error:
        return fail("db backup", str(error))
    print(f"backed up {args.db} to {written} (integrity checked)")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    from habitat import store

    try:
        store.restore(args.path, args.db, actor=args.actor)
    except store.BadBackup as error:
        return fail("db restore", str(error))
    print(f"restored {args.db} from {args.path}")
    return EXIT_OK


def demo(args: argparse.Namespace) -> int:
    """`habitat db demo`: build the demo habitat in `--db`, then set its demo passwords.

    Args:
        args: `db`, `seed`, `years`, `end` and `actor`, as parsed (`habitat serve --demo`
            passes its own).

    Returns:
        The exit status.
    """
    from habitat import demo as demo_habitat
    from habitat import store
    from habitat.services.auth import DEMO_PASSWORD, set_demo_passwords

    try:
        summary = demo_habitat.build(args.db, seed=args.seed, years=args.years, end=args.end)
    except demo_habitat.NotEmpty as error:
        return fail("db demo", str(error))
    with store.connect(args.db) as db:
        accounts = set_demo_passwords(db, args.actor)
    print(f"{args.db}: demo habitat created ({summary})")
    print(f"demo accounts (this database only), password {DEMO_PASSWORD!r}:")
    for account in accounts:
        print(f"  {account.username:<24} {account.role}")
    return EXIT_OK

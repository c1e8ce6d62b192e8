"""The records commands: `habitat db ...`, `habitat export ...`, `habitat erase ...`."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from datetime import date
from pathlib import Path

#: Where the database lives unless `--db` or HABITAT_DB says otherwise.
DEFAULT_DB = Path("data/habitat.db")
EXIT_BAD_INPUT = 2


def _db_option(parser: argparse.ArgumentParser) -> None:
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


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD, got {text!r}") from None


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `db`, `export` and `erase` on the `habitat` command."""
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
        _db_option(sub)
        sub.set_defaults(run=run)
    sub = db_commands.add_parser(
        "backup",
        help="copy the live database to PATH, checked",
        description="Back up with "
        "SQLite's backup API (safe while the app runs) and check the copy's integrity.",
    )
    sub.add_argument("path", type=Path, help="the backup file to write")
    _db_option(sub)
    sub.set_defaults(run=_backup)
    sub = db_commands.add_parser(
        "restore",
        help="replace the database with a checked backup",
        description="Restore a backup; a corrupt or foreign file is refused and changes "
        "nothing. The replaced database is kept beside it as NAME.before-restore.",
    )
    sub.add_argument("path", type=Path, help="the backup file to restore")
    _db_option(sub)
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
        type=_iso_date,
        help="last day of the history, YYYY-MM-DD (default 2026-06-30; `make run` uses today)",
    )
    _db_option(sub)
    sub.set_defaults(run=_demo)

    text = "export a resident's records, or the pseudonymised extract for simulation"
    export = commands.add_parser("export", help=text, description=text)
    export_commands = export.add_subparsers(
        dest="export_what", required=True, parser_class=type(export), help="what to export"
    )
    sub = export_commands.add_parser(
        "resident",
        help="everything held about one resident (JSON and CSV, in a zip)",
        description="GDPR right of access: every record about the resident, the records they "
        "appear in, and the audit log of both, as JSON and CSV in a zip file.",
    )
    sub.add_argument("resident", help="the resident's id or pseudonym (H-XXXXXX)")
    sub.add_argument("--out", type=Path, help="zip file to write (default: PSEUDONYM.zip)")
    _db_option(sub)
    sub.set_defaults(run=_export_resident)
    sub = export_commands.add_parser(
        "pseudonymised",
        help="the habitat as codes and counts, no names, no free text",
        description="The extract simulation and research may use: no names, dates of birth, "
        "contacts or free text.",
    )
    sub.add_argument("--habitat", type=int, default=1, help="habitat id (default 1)")
    sub.add_argument("--as-of", type=_iso_date, default=date.today(), help="day described")
    sub.add_argument("--out", type=Path, help="JSON file to write (default: print)")
    _db_option(sub)
    sub.set_defaults(run=_export_pseudonymised)

    text = "erase a resident (GDPR right to erasure)"
    erase = commands.add_parser("erase", help=text, description=text)
    erase_commands = erase.add_subparsers(
        dest="erase_what", required=True, parser_class=type(erase), help="what to erase"
    )
    sub = erase_commands.add_parser(
        "resident",
        help="replace a resident's identity and free text everywhere, audit log included",
        description="Identity, carers' contacts and free text about the resident are "
        "replaced, in the records and in the audit log; ids, dates and counts stay; a trace "
        "of the erasure is kept. This cannot be undone.",
    )
    sub.add_argument("resident", help="the resident's id or pseudonym (H-XXXXXX)")
    sub.add_argument("--reason", required=True, help="why (kept in the erasure trace)")
    sub.add_argument("--yes", action="store_true", help="confirm: erase for good")
    _db_option(sub)
    sub.set_defaults(run=_erase_resident)


def _fail(command: str, message: str) -> int:
    print(f"habitat {command}: error: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _existing(args: argparse.Namespace, command: str) -> bool:
    if not args.db.is_file():
        _fail(command, f"--db: {args.db} does not exist (create it with `habitat db init`)")
        return False
    return True


def _init(args: argparse.Namespace) -> int:
    from habitat import store

    applied = store.init(args.db)
    print(f"{args.db}: " + (f"applied {', '.join(applied)}" if applied else "up to date"))
    return 0


def _check(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.queries import row_counts

    if not _existing(args, "db check"):
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
    return 0 if health.ok else 1


def _backup(args: argparse.Namespace) -> int:
    from habitat import store

    if not _existing(args, "db backup"):
        return EXIT_BAD_INPUT
    if args.path.resolve() == args.db.resolve():
        return _fail("db backup", "PATH: is the database itself")
    try:
        written = store.backup(args.db, args.path, actor=args.actor)
    except store.BadBackup as error:
        return _fail("db backup", str(error))
    print(f"backed up {args.db} to {written} (integrity checked)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from habitat import store

    try:
        store.restore(args.path, args.db, actor=args.actor)
    except store.BadBackup as error:
        return _fail("db restore", str(error))
    print(f"restored {args.db} from {args.path}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.services.auth import DEMO_PASSWORD, set_demo_passwords
    from habitat.store import demo

    try:
        summary = demo.build(args.db, seed=args.seed, years=args.years, end=args.end)
    except demo.NotEmpty as error:
        return _fail("db demo", str(error))
    with store.connect(args.db) as db:
        accounts = set_demo_passwords(db, args.actor)
    print(f"{args.db}: demo habitat created ({summary})")
    print(f"demo accounts (this database only), password {DEMO_PASSWORD!r}:")
    for account in accounts:
        print(f"  {account.username:<24} {account.role}")
    return 0


def _resident_id(db, text: str) -> int | None:
    if text.isdigit():
        row = db.execute("SELECT id FROM resident WHERE id = ?", [int(text)]).fetchone()
    else:
        row = db.execute("SELECT id FROM resident WHERE pseudonym = ?", [text]).fetchone()
    return row[0] if row else None


def _export_resident(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.gdpr import export_resident

    if not _existing(args, "export resident"):
        return EXIT_BAD_INPUT
    with store.connect(args.db) as db:
        resident_id = _resident_id(db, args.resident)
        if resident_id is None:
            return _fail("export resident", f"RESIDENT: no resident {args.resident!r}")
        exported = export_resident(db, args.actor, resident_id)
    out = args.out or Path(f"{exported.pseudonym}.zip")
    _write_atomically(out, exported.to_zip())
    print(f"wrote {out}")
    return 0


def _export_pseudonymised(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.pseudonymise import pseudonymised

    if not _existing(args, "export pseudonymised"):
        return EXIT_BAD_INPUT
    with store.connect(args.db) as db:
        try:
            extract = pseudonymised(db, args.habitat, args.as_of)
        except store.NotFound:
            return _fail("export pseudonymised", f"--habitat: no habitat {args.habitat}")
    text = json.dumps(extract, ensure_ascii=False, indent=2)
    if args.out is None:
        print(text)
    else:
        _write_atomically(args.out, text.encode())
        print(f"wrote {args.out}")
    return 0


def _erase_resident(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.gdpr import erase_resident

    if not _existing(args, "erase resident"):
        return EXIT_BAD_INPUT
    if not args.reason.strip():
        return _fail("erase resident", "--reason: must not be blank")
    with store.connect(args.db) as db:
        resident_id = _resident_id(db, args.resident)
        if resident_id is None:
            return _fail("erase resident", f"RESIDENT: no resident {args.resident!r}")
        if not args.yes:
            return _fail(
                "erase resident",
                f"--yes: erasing resident {args.resident} cannot be undone; "
                "add --yes to confirm (nothing was changed)",
            )
        erasure = erase_resident(db, args.actor, resident_id, args.reason)
    print(
        f"erased {erasure.pseudonym}: {erasure.rows_erased} records and "
        f"{erasure.audit_entries_erased} audit entries"
    )
    return 0


def _write_atomically(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_bytes(content)
    os.replace(partial, path)

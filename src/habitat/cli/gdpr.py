"""`habitat export ...` and `habitat erase ...`: GDPR rights, and the research extract."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail
from habitat.cli.options import add_db_option, existing_db, iso_date
from habitat.files import write_atomically


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `export` and `erase` on the `habitat` command."""
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
    add_db_option(sub)
    sub.set_defaults(run=_export_resident)
    sub = export_commands.add_parser(
        "pseudonymised",
        help="the habitat as codes and counts, no names, no free text",
        description="The extract simulation and research may use: no names, dates of birth, "
        "contacts or free text.",
    )
    sub.add_argument("--habitat", type=int, default=1, help="habitat id (default 1)")
    sub.add_argument("--as-of", type=iso_date, default=date.today(), help="day described")
    sub.add_argument("--out", type=Path, help="JSON file to write (default: print)")
    add_db_option(sub)
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
    add_db_option(sub)
    sub.set_defaults(run=_erase_resident)


def _export_resident(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.gdpr import export_resident
    from habitat.store.queries_residents import resident_id

    if not existing_db(args, "export resident"):
        return EXIT_BAD_INPUT
    with store.connect(args.db) as db:
        found = resident_id(db, args.resident)
        if found is None:
            return fail("export resident", f"RESIDENT: no resident {args.resident!r}")
        exported = export_resident(db, args.actor, found)
    out = args.out or Path(f"{exported.pseudonym}.zip")
    write_atomically(out, exported.to_zip())
    print(f"wrote {out}")
    return EXIT_OK


def _export_pseudonymised(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.pseudonymise import pseudonymised

    if not existing_db(args, "export pseudonymised"):
        return EXIT_BAD_INPUT
    with store.connect(args.db) as db:
        try:
            extract = pseudonymised(db, args.habitat, args.as_of)
        except store.NotFound:
            return fail("export pseudonymised", f"--habitat: no habitat {args.habitat}")
    text = json.dumps(extract, ensure_ascii=False, indent=2)
    if args.out is None:
        print(text)
    else:
        write_atomically(args.out, text.encode())
        print(f"wrote {args.out}")
    return EXIT_OK


def _erase_resident(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.gdpr import erase_resident
    from habitat.store.queries_residents import resident_id

    if not existing_db(args, "erase resident"):
        return EXIT_BAD_INPUT
    if not args.reason.strip():
        return fail("erase resident", "--reason: must not be blank")
    with store.connect(args.db) as db:
        found = resident_id(db, args.resident)
        if found is None:
            return fail("erase resident", f"RESIDENT: no resident {args.resident!r}")
        if not args.yes:
            return fail(
                "erase resident",
                f"--yes: erasing resident {args.resident} cannot be undone; "
                "add --yes to confirm (nothing was changed)",
            )
        erasure = erase_resident(db, args.actor, found, args.reason)
    print(
        f"erased {erasure.pseudonym}: {erasure.rows_erased} records and "
        f"{erasure.audit_entries_erased} audit entries"
    )
    return EXIT_OK

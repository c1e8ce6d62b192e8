"""`habitat documents ...`: every document of the app, from the command line.

The same services as the screens, with the same role scopes: `--as ACCOUNT` acts
as that account (default: the habitat's animator), and a personal document is
audited the same way as from the app.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail
from habitat.cli.options import add_as_option, existing_db
from habitat.files import write_atomically


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `documents` and its subcommands on the `habitat` command."""
    text = "produce the habitat's documents (PDF, xlsx, HTML, calendars)"
    group = commands.add_parser("documents", help=text, description=text)
    documents = group.add_subparsers(
        dest="document", required=True, parser_class=type(group), help="which document"
    )
    _add_avp_report(documents)
    _resident_documents(documents)
    _collective_documents(documents)
    _add_calendar(documents)


def _common(sub: argparse.ArgumentParser, default_out: str) -> None:
    """The options every document takes: where to write, as whom, which database."""
    sub.add_argument("--out", type=Path, help=f"file to write (default: {default_out})")
    add_as_option(sub)


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


# --- The yearly AVP report


def _add_avp_report(documents: argparse._SubParsersAction) -> None:
    """`habitat documents avp-report`: the department's yearly AVP activity report."""
    text = "the yearly AVP activity report for the department (pdf, xlsx, html, csv)"
    sub = documents.add_parser("avp-report", help=text, description=text)
    sub.add_argument("--year", type=int, required=True, help="calendar year, or agreement year")
    sub.add_argument(
        "--format",
        dest="fmt",
        choices=["pdf", "xlsx", "html", "csv"],
        default="pdf",
        help="file format (default: pdf)",
    )
    sub.add_argument(
        "--period",
        choices=["calendar", "agreement"],
        default="calendar",
        help="calendar year, or the year from the AVP agreement's anniversary (default: calendar)",
    )
    _common(sub, "rapport-avp-HABITAT-YEAR.FORMAT")
    sub.set_defaults(run=_avp_report)


def _avp_report(args: argparse.Namespace) -> int:
    """Write the AVP report of `--year` in `--format`, as `--as` sees it."""
    from habitat.services import documents
    from habitat.services.access import Forbidden

    def make(db, user):
        if user.habitat_id is None:
            raise Forbidden(
                "this account is tied to no habitat", "Ce compte n’est rattaché à aucun habitat."
            )
        try:
            return documents.avp_report(
                db, user, user.habitat_id, args.year, args.fmt, period=args.period
            )
        except documents.BadPeriod as exc:
            raise LookupError(f"--{exc.field}: {str(exc).split(': ', 1)[1]}") from None

    return _produce(args, "documents avp-report", make)


# --- A resident's documents ------------------------------------------------------------


def _resident_documents(documents: argparse._SubParsersAction) -> None:
    """`support-plan` and `hospital-sheet`: the two documents about one resident."""
    for name, text, service in (
        ("support-plan", "a resident's file and support plan, for signature", "support_plan"),
        ("hospital-sheet", "a resident's hospital liaison sheet (after the DLU)", "hospital_sheet"),
    ):
        sub = documents.add_parser(name, help=text, description=text)
        sub.add_argument("resident", metavar="RESIDENT", help="the resident's id or pseudonym")
        sub.add_argument("--format", choices=("pdf", "html"), default="pdf", help="file format")
        _common(sub, f"{name}-RESIDENT.pdf")
        sub.set_defaults(run=_resident_handler(name, service))


def _resident_handler(name: str, service: str):
    def handle(args: argparse.Namespace) -> int:
        from habitat.services import documents as services
        from habitat.store import queries_residents

        def make(db, user):
            resident_id = queries_residents.resident_id(db, args.resident)
            if resident_id is None:
                raise LookupError(f"RESIDENT: no resident {args.resident!r}")
            make_document = getattr(services, service)
            return make_document(db, user, user.habitat_id, resident_id, args.format)

        return _produce(args, f"documents {name}", make)

    return handle


# --- Calendars ------------------------------------------------------------------------


def _add_calendar(documents: argparse._SubParsersAction) -> None:
    """`habitat documents calendar`: the role's calendar as an .ics file."""
    from habitat.domain import CALENDAR_DAYS, CALENDAR_DAYS_BACK, CALENDAR_DAYS_MAX

    text = (
        "the calendar of the account's role as an .ics file: collective life (activities,"
        " bookings, presence rota) and what concerns its own resident"
    )
    sub = documents.add_parser("calendar", help=text, description=text)
    sub.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        help=f"first day (default: {CALENDAR_DAYS_BACK} days before today)",
    )
    sub.add_argument(
        "--days",
        metavar="N",
        default=str(CALENDAR_DAYS),
        help=f"how many days, 1 to {CALENDAR_DAYS_MAX} (default: {CALENDAR_DAYS})",
    )
    _common(sub, "calendrier-HABITAT-ROLE.ics")
    sub.set_defaults(run=_calendar)


def _calendar_flags(args: argparse.Namespace) -> tuple[date | None, int] | str:
    """The first day and the number of days asked, or what is wrong with them."""
    from habitat.services.documents import BadWindow, calendar_window

    try:
        start = None if args.start is None else date.fromisoformat(args.start)
    except ValueError:
        return f"--from: {args.start!r} is not a date (YYYY-MM-DD)"
    try:
        days = int(args.days)
    except ValueError:
        return f"--days: {args.days!r} is not a whole number of days"
    try:
        calendar_window(start, days, date.today())
    except BadWindow as exc:
        return f"--{exc.field}: {str(exc).split(': ', 1)[1]}"
    return start, days


def _calendar(args: argparse.Namespace) -> int:
    """Write the calendar of `--as` (default: the animator) over the window asked."""
    from habitat.services import documents

    flags = _calendar_flags(args)
    if isinstance(flags, str):
        return fail("documents calendar", flags)
    start, days = flags

    def make(db, user):
        return documents.calendar(db, user, user.habitat_id, start=start, days=days)

    return _produce(args, "documents calendar", make)


# --- Collective documents --------------------------------------------------------------


def _collective_documents(documents: argparse._SubParsersAction) -> None:
    """`week` and `council`: the week's programme and a council meeting's minutes."""
    text = "the week's programme for the noticeboard (activities, bookings, presence)"
    week = documents.add_parser("week", help=text, description=text)
    week.add_argument(
        "--week",
        metavar="YYYY-MM-DD",
        help="any day of the week (default: the current week)",
    )
    week.add_argument("--format", choices=("pdf", "html"), default="pdf", help="file format")
    _common(week, "programme-semaine-MONDAY.pdf")
    week.set_defaults(run=_week)

    text = "the minutes of one residents' council meeting, to post and sign"
    council = documents.add_parser("council", help=text, description=text)
    council.add_argument("meeting", metavar="MEETING", help="the meeting's id")
    council.add_argument("--format", choices=("pdf", "html"), default="pdf", help="file format")
    _common(council, "conseil-des-habitants-DATE.pdf")
    council.set_defaults(run=_council)


def _tied(user):
    """The habitat the account is tied to (a promoter's is none)."""
    from habitat.services.access import Forbidden

    if user.habitat_id is None:
        raise Forbidden(
            "this account is tied to no habitat", "Ce compte n’est rattaché à aucun habitat."
        )
    return user.habitat_id


def _week(args: argparse.Namespace) -> int:
    """Write the programme of the week holding `--week` (default: this week)."""
    from habitat.clock import today
    from habitat.services import documents

    def make(db, user):
        habitat_id = _tied(user)
        try:
            return documents.week_programme(db, user, habitat_id, args.week or today(), args.format)
        except documents.BadWeek as exc:
            raise LookupError(f"--{exc.field}: {str(exc).split(': ', 1)[1]}") from None

    return _produce(args, "documents week", make)


def _council(args: argparse.Namespace) -> int:
    """Write the minutes of council meeting MEETING."""
    from habitat.services import documents

    def make(db, user):
        habitat_id = _tied(user)
        try:
            meeting_id = int(args.meeting)
        except ValueError:
            raise LookupError(f"MEETING: {args.meeting!r} is not a meeting id (a number)") from None
        try:
            return documents.council_minutes(db, user, habitat_id, meeting_id, args.format)
        except documents.NoSuchMeeting:
            raise LookupError(f"MEETING: no council meeting {args.meeting!r}") from None

    return _produce(args, "documents council", make)

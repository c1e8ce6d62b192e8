"""The documents a habitat produces, each within the role's scope, personal ones audited.

One function per document. Each checks the user's screens and scope the way the
screens do (`reads`, `access`), gathers the figures and records through the
store's queries, hands them to a renderer of `habitat.documents`, and, for a
document about a person, writes who produced it, when, and for whom in the audit
log (`Action.PRINT`), whether it was asked from the app or the command line.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

import sqlite_utils

from habitat import store
from habitat.documents.render import Document, Format, filename_part
from habitat.domain import CALENDAR_DAYS, CALENDAR_DAYS_BACK, CALENDAR_DAYS_MAX
from habitat.services.access import User
from habitat.store import audit, queries
from habitat.store.entities import Habitat, Partnership, ReportNarrative, Role

__all__ = [
    "BadPeriod",
    "BadWeek",
    "BadWindow",
    "Document",
    "Format",
    "NoSuchMeeting",
    "Period",
    "avp_report",
    "calendar",
    "council_minutes",
    "hospital_sheet",
    "printed",
    "report_period",
    "support_plan",
    "week_programme",
]


def printed(
    db: sqlite_utils.Database, user: User, entity: str, entity_id: int, document: Document
) -> Document:
    """Audit a personal document (who, when, which record, which file), then hand it back."""
    audit.printed(db, user.actor, entity, entity_id, f"{document.filename}")
    return document


# --- The yearly AVP report


class Period(StrEnum):
    """Which year the AVP report covers."""

    CALENDAR = "calendar"
    AGREEMENT = "agreement"


#: The years a report can be asked for.
YEARS = range(2000, 2101)


class BadPeriod(ValueError):
    """A report period that cannot be produced.

    Attributes:
        field: the option or field at fault (`year`, `period`, `format`).
        message_fr: what the screen shows.
    """

    def __init__(self, field: str, message: str, message_fr: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message_fr = message_fr


def report_period(habitat: Habitat, year: int, period: Period | str) -> tuple[date, date]:
    """The first and last days of the report's period.

    Args:
        habitat: the habitat (its AVP agreement's start for `agreement`).
        year: the calendar year, or the agreement year starting in that year.
        period: `calendar` (1 January to 31 December) or `agreement` (from the
            anniversary of `habitat.avp_start` in `year`, for twelve months).

    Raises:
        BadPeriod: an unknown period, a year out of bounds, no agreement start.
    """
    try:
        kind = Period(period)
    except ValueError:
        raise BadPeriod(
            "period",
            f"unknown period {period!r} (calendar or agreement)",
            "Période inconnue : année civile ou année de la convention.",
        ) from None
    if not isinstance(year, int) or isinstance(year, bool) or year not in YEARS:
        raise BadPeriod(
            "year",
            f"{year!r} is not a year between {YEARS[0]} and {YEARS[-1]}",
            f"Année : choisissez une année entre {YEARS[0]} et {YEARS[-1]}.",
        )
    if kind is Period.CALENDAR:
        return date(year, 1, 1), date(year, 12, 31)
    start = habitat.avp_start
    if start is None:
        raise BadPeriod(
            "period",
            "the habitat has no AVP agreement start (avp_start): use --period calendar",
            "L'habitat n'a pas de date de début de convention AVP : choisissez l'année civile"
            " ou renseignez la date dans les paramètres.",
        )
    day = min(start.day, 28) if start.month == 2 else start.day
    first = date(year, start.month, day)
    last = date(year + 1, start.month, day) - timedelta(days=1)
    return first, last


def avp_report(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: int,
    year: int,
    fmt: Format | str,
    *,
    period: Period | str = Period.CALENDAR,
) -> Document:
    """The yearly AVP activity report for the department, in `fmt`.

    Residents are named by pseudonym only: not a personal document, not audited.

    Args:
        db: the database.
        user: who asks (the TIME screen's roles: animator and host).
        habitat_id: the habitat.
        year: the calendar year, or the agreement year starting in it.
        fmt: pdf, xlsx, html or csv.
        period: `calendar` or `agreement`.

    Raises:
        Forbidden: the role may not see the time screen, or not this habitat.
        BadPeriod: a bad year, period or format (names the field).
        RenderingUnavailableError: PDF asked where WeasyPrint cannot run.
    """
    from habitat.documents import avp_report as report_doc
    from habitat.services import reads
    from habitat.store.labels import LABELS

    def fr(value: StrEnum) -> str:
        return LABELS.get(type(value), {}).get(value.value, value.value)

    try:
        kind = Format(fmt)
    except ValueError:
        kind = None
    if kind not in (Format.PDF, Format.XLSX, Format.HTML, Format.CSV):
        raise BadPeriod(
            "format",
            f"unknown format {fmt!r} (pdf, xlsx, html or csv)",
            "Format inconnu : PDF, Excel (xlsx), HTML ou CSV.",
        )
    reads.avp_report(db, user, habitat_id, YEARS[0])  # the scope check, before any figure
    habitat = queries.get(db, Habitat, habitat_id)
    first, last = report_period(habitat, year, period)
    report = queries.avp_report(db, habitat_id, year, first, last)
    pseudonyms = {
        r.stored_id: r.pseudonym
        for r in reads.residents(db, user, habitat_id, include_archived=True)
    }
    suffix = "-convention" if Period(period) is Period.AGREEMENT else ""
    name = f"rapport-avp-{filename_part(habitat.name)}-{year}{suffix}.{kind.value}"
    content: bytes
    if kind is Format.PDF:
        content = report_doc.avp_pdf(report, label=fr, residents=pseudonyms)
    elif kind is Format.XLSX:
        content = report_doc.avp_xlsx(report, label=fr, residents=pseudonyms)
    elif kind is Format.HTML:
        content = report_doc.avp_html(report, label=fr, residents=pseudonyms).encode("utf-8")
    else:
        content = report_doc.avp_csv(report, label=fr, residents=pseudonyms).encode("utf-8")
    return Document(name, kind, content)


def avp_texts(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: int,
    year: int,
    period: Period | str = Period.CALENDAR,
) -> tuple[date, date, ReportNarrative | None, list[Partnership]]:
    """What the animator writes into the report: the period's text, the partnerships.

    Returns:
        The period's first and last days, its narrative (None if not written yet),
        and every partnership of the habitat (ended ones included, newest first).

    Raises:
        Forbidden: the role may not see the time screen.
        BadPeriod: a bad year or period, or no agreement start for `agreement`.
    """
    from habitat.services import reads

    reads.avp_report(db, user, habitat_id, YEARS[0])  # the scope check
    first, last = report_period(queries.get(db, Habitat, habitat_id), year, period)
    narratives = store.find(
        db,
        ReportNarrative,
        "habitat_id = ? AND period_start = ? AND period_end = ?",
        [habitat_id, first.isoformat(), last.isoformat()],
        order_by="id DESC",
    )
    partners = store.find(
        db, Partnership, "habitat_id = ?", [habitat_id], order_by="started_on DESC, id DESC"
    )
    return first, last, (narratives[0] if narratives else None), partners


# --- A resident's documents ------------------------------------------------------------


def _resident_file(db: sqlite_utils.Database, user: User, habitat_id: int, resident_id: int):
    """The resident's file and the habitat's name, within the user's scope (as the screen)."""
    from habitat import store
    from habitat.services import reads
    from habitat.store.entities import Habitat

    file = reads.resident_file(db, user, habitat_id, resident_id)
    return file, store.get(db, Habitat, habitat_id).name


def liaison_sheet(db: sqlite_utils.Database, user: User, habitat_id: int, resident_id: int):
    """The resident's liaison sheet for its form (None if none yet), in the user's scope.

    Raises:
        Forbidden: the user may not see this resident's file.
    """
    from habitat.store import queries_residents

    _resident_file(db, user, habitat_id, resident_id)
    return queries_residents.liaison_sheet(db, resident_id)


def _as(fmt: Format, page_html: str) -> bytes:
    from habitat.documents.render import pdf

    return pdf(page_html) if Format(fmt) is Format.PDF else page_html.encode("utf-8")


def support_plan(
    db: sqlite_utils.Database, user: User, habitat_id: int, resident_id: int, fmt=Format.PDF
) -> Document:
    """The resident's file and support plan, for signature; audited.

    Raises:
        Forbidden: the user may not see this resident's file.
        RenderingUnavailableError: a PDF was asked and WeasyPrint cannot run.
    """
    from habitat.clock import today
    from habitat.documents.render import filename_part
    from habitat.documents.support_plan import support_plan_html

    file, name = _resident_file(db, user, habitat_id, resident_id)
    html_page = support_plan_html(file, habitat_name=name, today=today())
    fmt = Format(fmt)
    filename = f"projet-accompagnement-{filename_part(file.resident.pseudonym)}.{fmt.value}"
    return printed(db, user, "resident", resident_id, Document(filename, fmt, _as(fmt, html_page)))


def hospital_sheet(
    db: sqlite_utils.Database, user: User, habitat_id: int, resident_id: int, fmt=Format.PDF
) -> Document:
    """The hospital liaison sheet (after the DLU) of a resident; audited.

    Raises:
        Forbidden: the user may not see this resident's file.
        RenderingUnavailableError: a PDF was asked and WeasyPrint cannot run.
    """
    from habitat.clock import today
    from habitat.documents.hospital_sheet import hospital_sheet_html
    from habitat.documents.render import filename_part
    from habitat.store import queries_residents

    file, name = _resident_file(db, user, habitat_id, resident_id)
    sheet = queries_residents.liaison_sheet(db, resident_id)
    html_page = hospital_sheet_html(file, sheet, habitat_name=name, today=today())
    fmt = Format(fmt)
    filename = f"fiche-liaison-hopital-{filename_part(file.resident.pseudonym)}.{fmt.value}"
    return printed(db, user, "resident", resident_id, Document(filename, fmt, _as(fmt, html_page)))


# --- Calendars ------------------------------------------------------------------------

# The calendar's window: `habitat.domain.CALENDAR_DAYS*` (the command line reads them
# without loading the store).

#: The roles whose calendar shows the habitat's collective life (activities, bookings
#: of the common spaces, the presence rota). A family sees it too: it is what its
#: relative lives, and it names nobody (see `calendar`).
COLLECTIVE_ROLES = frozenset({Role.ANIMATOR, Role.HOST, Role.RESIDENT, Role.FAMILY})
#: The team reads each booking's purpose and each activity's description.
TEAM_ROLES = frozenset({Role.ANIMATOR, Role.HOST})
#: The role's part of the calendar's file name.
CALENDAR_ROLE_FILE: dict[Role, str] = {
    Role.ANIMATOR: "animateur",
    Role.HOST: "organisme",
    Role.PROVIDER: "intervenant",
    Role.FAMILY: "proche",
    Role.RESIDENT: "habitant",
    Role.PROMOTER: "porteur",
}


class BadWindow(BadPeriod):
    """A calendar window that cannot be produced (`field` is `from` or `days`)."""


def calendar_window(start: date | None, days: int, today: date) -> tuple[date, date]:
    """The calendar's first day and the day after its last one.

    Args:
        start: the first day; None for `CALENDAR_DAYS_BACK` days before `today`.
        days: how many days it covers, 1 to `CALENDAR_DAYS_MAX`.
        today: today.

    Raises:
        BadWindow: not a day, or not a number of days within bounds.
    """
    if start is not None and (not isinstance(start, date) or isinstance(start, datetime)):
        raise BadWindow("from", f"{start!r} is not a day", "Début : choisissez un jour.")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= CALENDAR_DAYS_MAX:
        raise BadWindow(
            "days",
            f"{days!r} is not a number of days from 1 to {CALENDAR_DAYS_MAX}",
            f"Durée : de 1 à {CALENDAR_DAYS_MAX} jours.",
        )
    first = start if start is not None else today - timedelta(days=CALENDAR_DAYS_BACK)
    try:
        return first, first + timedelta(days=days)
    except OverflowError:
        raise BadWindow("from", f"{first} is too late", "Début : choisissez un jour.") from None


def calendar(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: int | None,
    *,
    start: date | None = None,
    days: int = CALENDAR_DAYS,
) -> Document:
    """The role's calendar as an .ics file: collective life, and what concerns its own.

    By default it covers four weeks back and about six months ahead of today
    (`CALENDAR_DAYS_BACK`, `CALENDAR_DAYS`). What each role finds there:

    - the team (animator, host): the activities (with their description), the
      bookings of the common spaces (with their purpose), the presence rota;
    - a resident: the activities (those they signed up for marked), the bookings
      (theirs with their purpose, the others as "réservé" only), the rota, and
      the visits of their own providers;
    - a family: the same as its relative, the relative named by first name only;
    - a provider: its own visits, each resident named by first name and initial;
    - the rota always names a person by first name (the first word typed) and role.

    Cancelled activities and bookings stay, with STATUS:CANCELLED. A calendar about
    one resident (a family's, a resident's, a provider's) is audited on each
    resident it names. Before the habitat is set up, the team's calendar is empty.

    Args:
        db: the database.
        user: who asks.
        habitat_id: the habitat (None only before set-up, as the user's).
        start: the first day (default: four weeks before today).
        days: how many days (default `CALENDAR_DAYS`, at most `CALENDAR_DAYS_MAX`).

    Raises:
        Forbidden: a project promoter, or another habitat than the user's.
        BadWindow: a bad first day or number of days (names the field).
    """
    from habitat.clock import today
    from habitat.documents.calendar import calendar_ics
    from habitat.services import reads
    from habitat.services.access import ROLE_FR, Forbidden

    first, end = calendar_window(start, days, today())
    if user.role is Role.PROMOTER:
        raise Forbidden(f"{user.role} has no calendar", "Votre rôle n'a pas de calendrier.")
    if user.habitat_id != habitat_id:
        raise Forbidden(
            f"{user.actor} may not read habitat {habitat_id}",
            "Votre compte ne donne pas accès à cet habitat.",
        )
    habitat = queries.get(db, Habitat, habitat_id) if habitat_id is not None else None
    events = []
    named: list[int] = []
    if habitat_id is not None:
        residents = {r.stored_id: r for r in reads.residents(db, user, habitat_id)}
        if user.role in COLLECTIVE_ROLES:
            events += _collective_events(db, user, habitat_id, first, end, residents)
        events += _visit_events(db, user, habitat_id, first, end, residents)
        if user.role not in TEAM_ROLES:
            named = sorted(residents)
    role = CALENDAR_ROLE_FILE[user.role]
    habitat_name = habitat.name if habitat else None
    title = f"{habitat_name or 'Habitat'} · calendrier ({ROLE_FR[user.role]})"
    content = calendar_ics(title, habitat_name, events, first=first, last=end)
    filename = f"calendrier-{filename_part(habitat_name or 'habitat')}-{role}.ics"
    document = Document(filename, Format.ICS, content)
    for resident_id in named:
        printed(db, user, "resident", resident_id, document)
    return document


def _first_name(person: str) -> str:
    """How a calendar names a person of the rota: the first word typed."""
    words = person.split()
    return words[0] if words else ""


def _fr(value: StrEnum) -> str:
    from habitat.store.labels import LABELS

    return LABELS.get(type(value), {}).get(value.value, value.value)


def _collective_events(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: int,
    first: date,
    end: date,
    residents: dict,
) -> list:
    """Activities, bookings and the rota, as `user` may see them (see `calendar`)."""
    from habitat.documents.calendar import CalendarEvent
    from habitat.store import queries_collective

    team = user.role in TEAM_ROLES
    own = user.resident_id
    registered: set[int] = set()
    if own is not None:
        registered = queries_collective.registered_activity_ids(db, own, first, end)
    who = "Vous êtes inscrit·e" if user.role is Role.RESIDENT else None
    if user.role is Role.FAMILY and own in residents:
        who = f"{residents[own].first_name} est inscrit·e"
    events = []
    for activity, space in queries_collective.calendar_activities(db, habitat_id, first, end):
        cancelled = activity.cancelled or activity.archived_at is not None
        lines = [_fr(activity.category).capitalize(), _fr(activity.place).capitalize()]
        if cancelled:
            lines.append("Activité annulée.")
            if team and activity.cancelled_reason:
                lines.append(f"Motif : {activity.cancelled_reason}")
        if activity.stored_id in registered and who:
            lines.append(f"{who}.")
        if team and activity.description:
            lines.append(activity.description)
        events.append(
            CalendarEvent(
                kind="activity",
                key=str(activity.id),
                summary=("Annulé : " if cancelled else "") + activity.title,
                starts_at=activity.starts_at,
                ends_at=activity.ends_at,
                location=space or activity.location or _fr(activity.place),
                description="\n".join(lines),
                categories=("Activité", _fr(activity.category))
                + (("Inscription",) if activity.stored_id in registered else ()),
                cancelled=cancelled,
                sequence=activity.version,
            )
        )
    for line in queries_collective.calendar_bookings(db, habitat_id, first, end):
        booking = line.booking
        mine = team or (booking.resident_id is not None and booking.resident_id in residents)
        cancelled = booking.archived_at is not None
        summary = f"{line.space} : {booking.purpose}" if mine else f"{line.space} : réservé"
        events.append(
            CalendarEvent(
                kind="booking",
                key=str(booking.id),
                summary=("Annulé : " if cancelled else "") + summary,
                starts_at=booking.starts_at,
                ends_at=booking.ends_at,
                location=line.space,
                description="Réservation annulée." if cancelled else "Espace commun réservé.",
                categories=("Réservation",),
                cancelled=cancelled,
                sequence=booking.version,
            )
        )
    last = end - timedelta(days=1)
    for slot in queries_collective.rota_slots(db, habitat_id, first, last):
        shift = slot.shift
        name = _first_name(shift.person)
        events.append(
            CalendarEvent(
                kind="presence",
                key=slot.key,
                summary=("Annulé : " if slot.cancelled else "")
                + f"Présence : {name} ({_fr(shift.role)})",
                starts_at=shift.starts_at,
                ends_at=shift.ends_at,
                description="Présence collective (planning).",
                categories=("Présence",),
                cancelled=slot.cancelled,
                sequence=slot.version,
            )
        )
    return events


def _visit_events(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: int,
    first: date,
    end: date,
    residents: dict,
) -> list:
    """The planned visits of providers to the residents the calendar is about, day by day.

    A resident or a family gets its relative's visits; a provider its own visits to
    the residents it serves; the team none (its calendar is the collective one).
    """
    from habitat.documents.calendar import CalendarEvent
    from habitat.store import queries_collective

    if user.role in TEAM_ROLES or user.role is Role.PROMOTER:
        return []
    planned = [
        p
        for p in queries_collective.planned_interventions(db, habitat_id, first, end)
        if p.resident_id in residents
        and (user.role is not Role.PROVIDER or p.intervention.provider_id == user.provider_id)
    ]
    events = []
    day = first
    while day < end:
        for p in planned:
            intervention = p.intervention
            if day.weekday() not in intervention.weekdays:
                continue
            resident = residents[p.resident_id]
            if user.role is Role.PROVIDER:
                summary = f"Intervention : {resident.first_name} {resident.last_name[:1]}."
            else:
                summary = f"Passage : {p.provider}"
            events.append(
                CalendarEvent(
                    kind="intervention",
                    key=f"{intervention.id}-{day.isoformat()}",
                    summary=summary,
                    starts_at=datetime.combine(day, intervention.start_time),
                    ends_at=datetime.combine(day, intervention.end_time),
                    description="Intervention prévue au projet d'accompagnement.",
                    categories=("Intervention",),
                    sequence=intervention.version,
                )
            )
        day += timedelta(days=1)
    return events


# --- Collective documents --------------------------------------------------------------

#: The weeks a programme can be asked for (as far as the forms' dates go).
FIRST_WEEK = date(2000, 1, 3)
LAST_WEEK = date(2100, 12, 27)


class BadWeek(ValueError):
    """A week that has no programme: not a date, or out of bounds.

    Attributes:
        field: the option or field at fault (`week`).
        message_fr: what the screen shows.
    """

    def __init__(self, field: str, message: str, message_fr: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message_fr = message_fr


class NoSuchMeeting(LookupError):
    """No meeting of the council with this id in the habitat.

    Attributes:
        field: the argument at fault (`meeting`).
        message_fr: what the screen shows.
    """

    def __init__(self, meeting: object):
        super().__init__(f"meeting: no council meeting {meeting!r} in this habitat")
        self.field = "meeting"
        self.message_fr = "Cette réunion du conseil n'existe pas (ou plus) dans cet habitat."


def week_monday(day: object) -> date:
    """The Monday of the week holding `day` (a date, or a date as YYYY-MM-DD).

    Raises:
        BadWeek: not a date, or a week out of bounds (names `week`).
    """
    if isinstance(day, str):
        typed = day
        try:
            day = date.fromisoformat(typed.strip())
        except ValueError:
            raise BadWeek(
                "week",
                f"{typed[:40]!r} is not a date (YYYY-MM-DD)",
                "Semaine : donnez une date au format AAAA-MM-JJ.",
            ) from None
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        raise BadWeek(
            "week", f"{day!r} is not a date", "Semaine : donnez une date au format AAAA-MM-JJ."
        )
    monday = day - timedelta(days=day.weekday())
    if not FIRST_WEEK <= monday <= LAST_WEEK:
        raise BadWeek(
            "week",
            f"{day.isoformat()} is out of bounds ({FIRST_WEEK.year} to {LAST_WEEK.year})",
            f"Semaine : choisissez une date entre {FIRST_WEEK.year} et {LAST_WEEK.year}.",
        )
    return monday


def _where(line) -> str:
    """Where an activity happens, as the calendar says it."""
    from habitat.store.labels import LABELS

    activity = line.activity
    if line.space:
        return line.space
    return activity.location or LABELS[type(activity.place)][activity.place.value]


def week_programme(
    db: sqlite_utils.Database, user: User, habitat_id: int, monday: date, fmt=Format.PDF
) -> Document:
    """The week's programme for the noticeboard, in large type (PDF or HTML).

    The collective screen's roles produce it (the team, and residents: it is the
    noticeboard). A booking's purpose and booker print only for the bookings the
    role sees on the screen (`reads.bookings`: a resident their own); the others
    print as "réservé". First names print only if the habitat allows it
    (`Habitat.noticeboard_first_names`); only then is the document personal, and
    its printing is audited (on the habitat's record).

    Args:
        db: the database.
        user: who asks.
        habitat_id: the habitat.
        monday: any day of the week (its Monday is taken), or YYYY-MM-DD.
        fmt: pdf or html.

    Raises:
        Forbidden: the role may not see the collective screen, or not this habitat.
        BadWeek: not a date, or out of bounds (names `week`).
        RenderingUnavailableError: a PDF was asked and WeasyPrint cannot run.
    """
    from habitat.clock import today
    from habitat.documents import week_programme as programme_doc
    from habitat.services import access, reads
    from habitat.store import queries_collective

    fmt = Format(fmt)
    first = week_monday(monday)
    end = first + timedelta(days=7)
    lines = reads.activities(db, user, habitat_id, first, end)  # the scope check
    habitat = queries.get(db, Habitat, habitat_id)
    names = habitat.noticeboard_first_names
    visible = access.visible_resident_ids(db, user)
    bookings = queries_collective.bookings_between(db, habitat_id, first, end)
    bookers = reads.residents_by_id(
        db, user, habitat_id, [b.booking.resident_id for b in bookings if b.booking.resident_id]
    )

    def known(resident_id: int | None) -> bool:
        return visible is None or resident_id in visible

    def booker(resident_id: int | None) -> str | None:
        """The booking resident's first name, if names are posted and the role knows them."""
        if not names or resident_id is None or resident_id not in bookers:
            return None
        return bookers[resident_id].first_name if known(resident_id) else None

    programme = programme_doc.WeekProgramme(
        habitat_name=habitat.name,
        monday=first,
        first_names=names,
        activities=[
            programme_doc.ProgrammeActivity(
                x.activity.starts_at,
                x.activity.ends_at,
                x.activity.title,
                _where(x),
                x.activity.cancelled,
            )
            for x in lines
        ],
        bookings=[
            programme_doc.ProgrammeBooking(
                b.booking.starts_at,
                b.booking.ends_at,
                b.space,
                purpose=b.booking.purpose if known(b.booking.resident_id) else None,
                first_name=booker(b.booking.resident_id),
            )
            for b in bookings
        ],
        presence=[
            programme_doc.ProgrammePresence(
                s.starts_at, s.ends_at, s.role, s.person if names else None
            )
            for s in queries.presence_slots(db, habitat_id, first, end - timedelta(days=1))
        ],
        printed_on=today(),
    )
    html_page = programme_doc.week_programme_html(programme)
    filename = f"programme-semaine-{first.isoformat()}.{fmt.value}"
    document = Document(filename, fmt, _as(fmt, html_page))
    return printed(db, user, "habitat", habitat_id, document) if names else document


def council_minutes(
    db: sqlite_utils.Database, user: User, habitat_id: int, meeting_id: int, fmt=Format.PDF
) -> Document:
    """The minutes of one council meeting, to post and sign (PDF or HTML); audited.

    The council screen's roles produce it; attendees print by the name the role
    may see (others are left out). It names people: its printing is audited on
    the meeting's record.

    Raises:
        Forbidden: the role may not see the council screen, or not this habitat.
        NoSuchMeeting: no such meeting in this habitat (names `meeting`).
        RenderingUnavailableError: a PDF was asked and WeasyPrint cannot run.
    """
    from habitat.clock import today
    from habitat.documents.council_minutes import CouncilMinutes, council_minutes_html
    from habitat.services import reads

    fmt = Format(fmt)
    meetings = reads.council_meetings(db, user, habitat_id)  # the scope check
    if not isinstance(meeting_id, int) or isinstance(meeting_id, bool):
        raise NoSuchMeeting(meeting_id)
    meeting = next((m for m in meetings if m.stored_id == meeting_id), None)
    if meeting is None:
        raise NoSuchMeeting(meeting_id)
    habitat = queries.get(db, Habitat, habitat_id)
    names = reads.residents_by_id(db, user, habitat_id, meeting.attendee_ids)
    minutes = CouncilMinutes(
        habitat_name=habitat.name,
        address=habitat.address,
        meeting=meeting,
        attendees=[names[i].full_name for i in meeting.attendee_ids if i in names],
        decisions=reads.meeting_decisions(db, user, habitat_id, meeting_id),
        printed_on=today(),
    )
    html_page = council_minutes_html(minutes)
    filename = f"conseil-des-habitants-{meeting.held_on.isoformat()}.{fmt.value}"
    document = Document(filename, fmt, _as(fmt, html_page))
    return printed(db, user, "council_meeting", meeting_id, document)

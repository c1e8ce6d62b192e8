"""The documents a habitat produces, each within the role's scope, personal ones audited.

One function per document. Each checks the user's screens and scope the way the
screens do (`reads`, `access`), gathers the figures and records through the
store's queries, hands them to a renderer of `habitat.documents`, and, for a
document about a person, writes who produced it, when, and for whom in the audit
log (`Action.PRINT`), whether it was asked from the app or the command line.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

import sqlite_utils

from habitat import store
from habitat.documents.render import Document, Format, filename_part
from habitat.services.access import User
from habitat.store import audit, queries
from habitat.store.entities import Habitat, Partnership, ReportNarrative

__all__ = ["BadPeriod", "Document", "Format", "Period", "avp_report", "printed", "report_period"]


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

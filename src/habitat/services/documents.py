"""The documents a habitat produces, each within the role's scope, personal ones audited.

One function per document. Each checks the user's screens and scope the way the
screens do (`reads`, `access`), gathers the figures and records through the
store's queries, hands them to a renderer of `habitat.documents`, and, for a
document about a person, writes who produced it, when, and for whom in the audit
log (`Action.PRINT`), whether it was asked from the app or the command line.
"""

from __future__ import annotations

import sqlite_utils

from habitat.documents.render import Document, Format
from habitat.services.access import User
from habitat.store import audit

__all__ = ["Document", "Format", "printed"]


def printed(
    db: sqlite_utils.Database, user: User, entity: str, entity_id: int, document: Document
) -> Document:
    """Audit a personal document (who, when, which record, which file), then hand it back."""
    audit.printed(db, user.actor, entity, entity_id, f"{document.filename}")
    return document


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

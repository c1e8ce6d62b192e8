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

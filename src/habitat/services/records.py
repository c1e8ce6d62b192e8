"""Guarded writes: every change a screen makes goes through here, checked by role.

The store validates and audits; this module decides whether the signed-in user
may make the change at all, on the server, whatever the screen showed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

import sqlite_utils

from habitat import store
from habitat.services.access import Forbidden, User, may_write, note_refusal
from habitat.services.arguments import checked
from habitat.store.entities import Id, LiaisonNote, Registration, Role
from habitat.store.record import Record

R = TypeVar("R", bound=Record)


def _refuse(user: User, model: type[Record]) -> Forbidden:
    return Forbidden(
        f"{user.actor} may not write {model.table}",
        f"Votre rôle ne permet pas de modifier : {model.label_fr}.",
    )


def _check(db: sqlite_utils.Database, user: User, model: type[Record], data: Mapping) -> None:
    """Whether the user may write this record; the fields the rules read are validated first."""
    if not may_write(user, model.table):
        raise _refuse(user, model)
    if model is Registration and user.role is Role.RESIDENT:
        values = store.parse_fields(Registration, data, ("resident_id",))
        if values["resident_id"] != user.resident_id:
            raise Forbidden(
                f"{user.actor} may only sign themselves up",
                "Vous pouvez vous inscrire vous-même, pas une autre personne.",
            )
    if model is LiaisonNote:
        values = store.parse_fields(
            LiaisonNote, data, ("audience", "resident_ids", "audience_resident_id")
        )
        reason = note_refusal(
            db,
            user,
            values["audience"].value,
            values["resident_ids"],
            values["audience_resident_id"],
        )
        if reason is not None:
            raise Forbidden(f"{user.actor} may not write this note", f"Note refusée : {reason}.")


@checked
def create(db: sqlite_utils.Database, user: User, model: type[R], data: Mapping[str, Any]) -> R:
    """Create a record if the user's role allows it (validated and audited by the store).

    Raises:
        Forbidden: the role may not write this record.
        InvalidRecord: bad values (nothing written).
    """
    _check(db, user, model, data)
    return store.create(db, user.actor, model, data)


@checked
def update(
    db: sqlite_utils.Database,
    user: User,
    model: type[R],
    record_id: Id,
    version: int,
    changes: Mapping[str, Any],
) -> R:
    """Save changes to a record read at `version`, if the role allows it.

    Raises:
        Forbidden: the role may not write this record.
        Conflict: someone saved it since it was read (nothing written).
        InvalidRecord: bad values (nothing written).
    """
    current = store.get(db, model, record_id)
    _check(db, user, model, {**current.model_dump(), **changes})
    # A note of the liaison notebook is a record: it is rectified by a later note
    # (`notebook.rectify`), never rewritten.
    if model is LiaisonNote:
        raise Forbidden(
            f"{user.actor} may not rewrite note {record_id}",
            "Une note du cahier ne se modifie pas : ajoutez une rectification.",
        )
    return store.update(db, user.actor, model, record_id, version, changes)


def require_own_registration(user: User, registration: Registration) -> None:
    """A registration is changed by the animator, or by the resident it is for.

    Raises:
        Forbidden: anyone else.
    """
    if not may_write(user, Registration.table) or (
        user.role is Role.RESIDENT and registration.resident_id != user.resident_id
    ):
        raise Forbidden(
            f"{user.actor} may not change registration {registration.id}",
            "Vous ne pouvez pas modifier l'inscription d'une autre personne.",
        )


@checked
def archive(
    db: sqlite_utils.Database, user: User, model: type[R], record_id: Id, version: int
) -> R:
    """Archive a record (kept and restorable), if the role allows it."""
    if not user.is_animator:
        raise _refuse(user, model)
    return store.archive(db, user.actor, model, record_id, version)


@checked
def unarchive(
    db: sqlite_utils.Database, user: User, model: type[R], record_id: Id, version: int
) -> R:
    """Bring an archived record back, if the role allows it."""
    if not user.is_animator:
        raise _refuse(user, model)
    return store.unarchive(db, user.actor, model, record_id, version)

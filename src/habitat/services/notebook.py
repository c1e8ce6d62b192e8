"""The liaison notebook as each role sees it: which notes they read, and writing one."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from habitat import store
from habitat.services import records
from habitat.services.access import Forbidden, User, note_scope
from habitat.services.arguments import checked
from habitat.store import queries, queries_follow_up
from habitat.store.entities import Audience, Id, LiaisonNote, Provider, Role


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@checked
def read_notes(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: Id,
    *,
    resident_id: Id | None = None,
    author: str | None = None,
    audience: str | None = None,
    before: datetime | None = None,
    before_id: int | None = None,
    limit: int = queries.NOTES_PAGE,
) -> list[LiaisonNote]:
    """One page of the notes the user may read, newest first, filtered.

    The team reads every note; a provider the notes for all providers about
    residents they serve and those addressed to it by name; a family the notes
    addressed to it. The scope comes from `note_scope` and is applied here, for
    every screen.

    Args:
        db: the database.
        user: the signed-in user.
        habitat_id: the habitat.
        resident_id: only notes concerning this resident (within the user's scope).
        author: only notes by this author.
        audience: only notes for this audience (within the user's scope).
        before: only notes written before this time (the last shown note's).
        before_id: the last shown note's id (notes at the same time come next).
        limit: page size.

    Raises:
        Forbidden: the role has no notebook, or the resident is outside its scope.
    """
    scope = note_scope(db, user)
    audiences = scope.audiences
    if audience is not None:
        if audiences is not None and audience not in audiences:
            return []
        audiences = (audience,)
    if (
        resident_id is not None
        and scope.resident_ids is not None
        and resident_id not in scope.resident_ids
    ):
        raise Forbidden(
            f"{user.actor} may not read notes about resident {resident_id}",
            "Vous n'avez pas accès aux notes de cet habitant.",
        )
    if resident_id is None and scope.resident_ids is not None:
        return queries_follow_up.notes_about(
            db,
            habitat_id,
            scope.resident_ids,
            audiences=audiences,
            provider_id=scope.provider_id,
            author=author,
            before=before,
            before_id=before_id,
            limit=limit,
        )
    return queries.notebook(
        db,
        habitat_id,
        resident_id=resident_id,
        author=author,
        audiences=audiences,
        family_of=scope.family_of,
        provider_id=scope.provider_id,
        before=before,
        before_id=before_id,
        limit=limit,
    )


@checked
def authors(db: sqlite_utils.Database, user: User, habitat_id: Id) -> list[str]:
    """The authors the user may filter by: everyone for the team, else those who write to them."""
    scope = note_scope(db, user)
    if scope.audiences is None:
        return queries_follow_up.note_authors(db, habitat_id)
    return queries_follow_up.recent_authors(
        db,
        habitat_id,
        audiences=scope.audiences,
        family_of=scope.family_of,
        resident_ids=scope.resident_ids,
        provider_id=scope.provider_id,
    )


@checked
def provider_names(db: sqlite_utils.Database, user: User, habitat_id: Id) -> dict[int, str]:
    """The habitat's providers by id, by name: those a note may be addressed to.

    Organisations, not people: every notebook reader may see whom a note went to.

    Raises:
        Forbidden: the role has no notebook.
    """
    note_scope(db, user)
    providers = store.find(db, Provider, "habitat_id = ?", [habitat_id], order_by="name")
    return {p.stored_id: p.name for p in providers}


def audiences_for(user: User) -> list[str]:
    """The audiences the user may address a note to."""
    if user.role is Role.ANIMATOR:
        return [a.value for a in Audience]
    if user.role is Role.PROVIDER:
        return [Audience.TEAM.value, Audience.PROVIDERS.value]
    if user.role is Role.FAMILY:
        return [Audience.FAMILY.value]
    return []


@checked
def write_note(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: Id,
    *,
    body: str,
    resident_ids: list[Id],
    audience: str,
    family_of: Id | None = None,
    provider_id: Id | None = None,
    now: datetime | None = None,
) -> LiaisonNote:
    """Write a note signed by the user, at the current time (never taken from the form).

    A family writes about its relative only, in its family's thread: its note's
    residents, audience and family are those of its account, whatever was sent.
    A note for providers goes to `provider_id` only, or to all providers serving
    the residents concerned when None.

    Raises:
        Forbidden: the user may not write this note (a resident they do not serve...).
        InvalidRecord: bad values (an empty note...); nothing written.
    """
    if user.role is Role.FAMILY:
        resident_ids, audience, family_of = (
            [user.tied_resident_id],
            Audience.FAMILY.value,
            user.tied_resident_id,
        )
    if audience != Audience.FAMILY.value:
        family_of = None
    if audience != Audience.PROVIDERS.value:
        provider_id = None
    return records.create(
        db,
        user,
        LiaisonNote,
        {
            "habitat_id": habitat_id,
            "author": user.display_name,
            "author_account_id": user.account_id,
            "written_at": now or _now(),
            "body": body,
            "audience": audience,
            "audience_resident_id": family_of,
            "audience_provider_id": provider_id,
            "resident_ids": resident_ids,
        },
    )


def may_rectify(user: User, note: LiaisonNote) -> bool:
    """Whether the user may rectify this note: its author, or the animator."""
    return user.is_animator or (
        note.author_account_id is not None and note.author_account_id == user.account_id
    )


@checked
def rectify(
    db: sqlite_utils.Database,
    user: User,
    note_id: Id,
    body: str,
    *,
    now: datetime | None = None,
) -> LiaisonNote:
    """Correct a note by a later note that rectifies it, for the same readers.

    The note itself stays as it was written (a record); the rectification, signed
    by the user at the current time, goes to the same audience about the same
    residents, and both show the link.

    Raises:
        Forbidden: the user is neither the note's author nor the animator.
        InvalidRecord: an empty rectification (nothing written).
    """
    original = store.get(db, LiaisonNote, note_id)
    if not may_rectify(user, original):
        raise Forbidden(
            f"{user.actor} may not rectify note {note_id}",
            "Seul l'auteur de la note, ou l'animateur·rice, peut la rectifier.",
        )
    return records.create(
        db,
        user,
        LiaisonNote,
        {
            "habitat_id": original.habitat_id,
            "author": user.display_name,
            "author_account_id": user.account_id,
            "written_at": now or _now(),
            "body": body,
            "audience": original.audience,
            "audience_resident_id": original.audience_resident_id,
            "audience_provider_id": original.audience_provider_id,
            "resident_ids": original.resident_ids,
            "rectifies_note_id": original.id,
        },
    )


def links(
    db: sqlite_utils.Database, notes: list[LiaisonNote]
) -> tuple[dict[int, LiaisonNote], dict[int, list[LiaisonNote]]]:
    """For notes the user reads: the notes they rectify, and their rectifications.

    A rectification and its note have the same readers (a store rule), so what this
    returns is readable by whoever reads `notes`.
    """
    shown = {n.id for n in notes}
    originals = {
        n.rectifies_note_id: store.get(db, LiaisonNote, n.rectifies_note_id)
        for n in notes
        if n.rectifies_note_id is not None
    }
    later: dict[int, list[LiaisonNote]] = {}
    for rectification in queries_follow_up.rectifications_of(db, sorted(i for i in shown if i)):
        original_id = rectification.rectifies_note_id
        if original_id is not None:  # always: it is what `rectifications_of` looks up
            later.setdefault(original_id, []).append(rectification)
    return originals, later

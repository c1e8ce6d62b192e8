"""Property: whatever notes are written, every role reads nothing outside its scope (issue 11)."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habitat import store
from habitat.services import notebook
from habitat.services.access import Forbidden, User, served_resident_ids
from habitat.store.entities import Audience, LiaisonNote, Provider, Resident, Role

#: Generated notes are written after every demo note, so the first page holds them.
START = datetime(2040, 1, 1, 8, 0)


def _users(db, habitat_id: int, residents: list[int], providers: list[int]) -> list[User]:
    """The animator, the host, the family of each resident, each provider, a resident."""

    def user(role: Role, name: str, **ties) -> User:
        return User(0, name, name, role, habitat_id, **ties)

    return [
        user(Role.ANIMATOR, "animatrice"),
        user(Role.HOST, "porteur"),
        *(user(Role.FAMILY, f"famille-{r}", resident_id=r) for r in residents),
        *(user(Role.PROVIDER, f"intervenant-{p}", provider_id=p) for p in providers),
        user(Role.RESIDENT, "habitant", resident_id=residents[0]),
    ]


def in_scope(db, user: User, note: LiaisonNote) -> bool:
    """The need-to-know rule, written from the issue, apart from the code that applies it."""
    if user.role in (Role.ANIMATOR, Role.HOST):
        return True
    if user.role is Role.FAMILY:
        return (
            note.audience is Audience.FAMILY
            and note.audience_resident_id == user.resident_id
            and note.resident_ids == [user.resident_id]
        )
    if user.role is Role.PROVIDER:
        if note.audience is not Audience.PROVIDERS:
            return False
        if note.audience_provider_id is not None:
            return note.audience_provider_id == user.provider_id
        return bool(set(note.resident_ids) & served_resident_ids(db, user.provider_id))
    return False


def _breaks_a_rule(data: dict) -> bool:
    family = data["audience"] == Audience.FAMILY.value
    return (family and data["resident_ids"] not in ([], [data["audience_resident_id"]])) or (
        data["audience_provider_id"] is not None and data["audience"] != Audience.PROVIDERS.value
    )


@st.composite
def _note_data(draw, residents: list[int], providers: list[int]) -> dict:
    audience = draw(st.sampled_from([a.value for a in Audience]))
    family_of = draw(st.sampled_from(residents)) if audience == Audience.FAMILY.value else None
    return {
        "audience": audience,
        "audience_resident_id": family_of,
        "audience_provider_id": draw(st.none() | st.sampled_from(providers)),
        "resident_ids": draw(st.lists(st.sampled_from(residents), unique=True, max_size=3)),
        "author": draw(st.sampled_from(["Léa Petit", "SAMSAH Les Pins", "Marc Durand"])),
    }


@pytest.fixture
def habitat_people(demo_conn):
    habitat_id = demo_conn.execute("SELECT id FROM habitat ORDER BY id LIMIT 1").fetchone()[0]
    residents = [r.id for r in store.find(demo_conn, Resident, "habitat_id = ?", [habitat_id])]
    providers = [p.id for p in store.find(demo_conn, Provider, "habitat_id = ?", [habitat_id])]
    assert len(residents) >= 2 and len(providers) >= 2
    return habitat_id, residents, providers


def _reads(db, user: User, habitat_id: int, residents: list[int]):
    """Every read of the notebook service, with each filter the user may set."""
    yield notebook.read_notes(db, user, habitat_id, limit=200)
    for audience in Audience:
        yield notebook.read_notes(db, user, habitat_id, audience=audience.value, limit=200)
    for resident_id in residents:
        try:
            yield notebook.read_notes(db, user, habitat_id, resident_id=resident_id, limit=200)
        except Forbidden:
            continue


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_every_role_reads_nothing_outside_its_scope(demo_conn, habitat_people, data):
    habitat_id, residents, providers = habitat_people
    db = demo_conn
    clock = itertools.count()
    latest = db.execute("SELECT MAX(written_at) FROM liaison_note").fetchone()[0]
    start = max(START, datetime.fromisoformat(latest) + timedelta(minutes=1))
    written = []
    for values in data.draw(st.lists(_note_data(residents, providers), max_size=6)):
        count = db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0]
        record = {
            **values,
            "habitat_id": habitat_id,
            "written_at": start + timedelta(minutes=next(clock)),
            "body": "Note générée.",
        }
        try:
            written.append(store.create(db, "animator:test", LiaisonNote, record))
        except store.InvalidRecord:
            assert _breaks_a_rule(values)
            assert db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0] == count
        else:
            assert not _breaks_a_rule(values)

    for user in _users(db, habitat_id, residents, providers):
        if user.role is Role.RESIDENT:
            with pytest.raises(Forbidden):
                notebook.read_notes(db, user, habitat_id)
            with pytest.raises(Forbidden):
                notebook.authors(db, user, habitat_id)
            continue
        seen = set()
        for notes in _reads(db, user, habitat_id, residents):
            outside = [n.id for n in notes if not in_scope(db, user, n)]
            assert not outside, f"{user.actor} reads notes {outside}"
            seen.update(n.id for n in notes)
        # ...and misses none of the new notes it may read (they are the newest).
        assert {n.id for n in written if in_scope(db, user, n)} <= seen, user.actor
        everyone_in_scope = {
            n.author
            for n in store.find(db, LiaisonNote, "habitat_id = ?", [habitat_id])
            if in_scope(db, user, n)
        }
        assert set(notebook.authors(db, user, habitat_id)) <= everyone_in_scope

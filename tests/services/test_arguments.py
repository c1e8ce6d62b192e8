"""Every service entry point refuses bad input with InvalidRecord naming the field (issue 16)."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habitat import store
from habitat.services import admin, collective, notebook, records
from habitat.services.access import require_resident
from habitat.store.entities import LiaisonNote, Resident

#: Values a form, a file or a URL may hand over where an id (or a list of ids) is due.
BAD_IDS = ["x", math.nan, math.inf, -1, 0, 2**70, "3.5", 3.5, None, [], {}]
BAD_ID_LISTS = [["x"], [math.nan], "not-a-list", [1, "deux"], [2**70], [-4], 7, {"a": 1}]


def _note(habitat_id, resident_ids):
    return {
        "habitat_id": habitat_id,
        "author": "Léa",
        "written_at": "2026-06-30T09:00",
        "body": "Une note",
        "audience": "team",
        "resident_ids": resident_ids,
    }


def _notes(db) -> int:
    return db.execute("SELECT count(*) FROM liaison_note").fetchone()[0]


@pytest.mark.parametrize("role", ["animator", "provider"])
@pytest.mark.parametrize("bad", BAD_ID_LISTS, ids=repr)
def test_creating_a_note_with_bad_resident_ids_names_the_field(demo_conn, users, role, bad):
    """`records.create` raised a bare ValueError from `int(i)` for ['x'], [nan]..."""
    user = users[role]
    before = _notes(demo_conn)
    with pytest.raises(store.InvalidRecord) as refused:
        records.create(demo_conn, user, LiaisonNote, _note(user.habitat_id or 1, bad))
    assert "resident_ids" in refused.value.by_field() or any(
        field.startswith("resident_ids") for field in refused.value.by_field()
    )
    assert _notes(demo_conn) == before


@pytest.mark.parametrize("bad", BAD_ID_LISTS, ids=repr)
def test_writing_a_note_with_bad_resident_ids_names_the_field(demo_conn, users, bad):
    user = users["animator"]
    before = _notes(demo_conn)
    with pytest.raises(store.InvalidRecord) as refused:
        notebook.write_note(
            demo_conn, user, user.habitat_id, body="Bonjour", resident_ids=bad, audience="team"
        )
    assert any(field.startswith("resident_ids") for field in refused.value.by_field())
    assert all(message for message in refused.value.by_field().values())
    assert _notes(demo_conn) == before


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_every_entry_point_taking_an_id_names_it(demo_conn, users, bad):
    animator = users["animator"]
    calls = {
        "resident_id": [
            lambda: require_resident(demo_conn, animator, bad),
            lambda: admin.export_resident(demo_conn, animator, bad),
            lambda: admin.erase_resident(demo_conn, animator, bad, "motif", "EFFACER"),
        ],
        "record_id": [
            lambda: records.update(demo_conn, animator, Resident, bad, 1, {"dwelling": "B"}),
            lambda: records.archive(demo_conn, animator, Resident, bad, 1),
        ],
        "account_id": [lambda: admin.unlock(demo_conn, animator, bad, 1)],
        "habitat_id": [lambda: notebook.authors(demo_conn, animator, bad)],
        "activity_id": [lambda: collective.take_attendance(demo_conn, animator, bad, {}, {})],
    }
    if bad is not None:  # no resident: every note the user may read
        calls["resident_id"].append(
            lambda: notebook.read_notes(demo_conn, animator, 1, resident_id=bad)
        )
    before = store.content_hash(_path(demo_conn))
    for field, entry_points in calls.items():
        for call in entry_points:
            with pytest.raises(store.InvalidRecord) as refused:
                call()
            assert field in refused.value.by_field(), (field, refused.value)
    assert store.content_hash(_path(demo_conn)) == before


def _path(db):
    return next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.one_of(
        st.text(max_size=5),
        st.floats(),
        st.lists(st.one_of(st.text(max_size=3), st.floats(), st.integers()), max_size=3),
        st.integers(),
        st.none(),
    )
)
def test_any_value_for_resident_ids_is_stored_or_refused_by_field(demo_conn, users, value):
    """Whatever arrives, a note is written or refused naming `resident_ids`: nothing else."""
    user = users["animator"]
    try:
        notebook.write_note(
            demo_conn, user, user.habitat_id, body="Bonjour", resident_ids=value, audience="team"
        )
    except store.InvalidRecord as refused:
        assert any(field.startswith("resident_ids") for field in refused.by_field())

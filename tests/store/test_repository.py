from __future__ import annotations

import json
import re

import pytest

from habitat import store
from habitat.store.entities import (
    RECORDS,
    Account,
    Activity,
    Booking,
    CommonSpace,
    LiaisonNote,
    Resident,
)

SECRET_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2VsZGVtZXI$VGhpcy1pcy10aGUtc2VjcmV0"


def _audit_actions(db, entity: str, entity_id: int) -> list[str]:
    return [entry.action for entry in store.history(db, entity, entity_id)]


# --- Optimistic concurrency -----------------------------------------------------------


def test_a_stale_save_is_refused_naming_who_changed_it_and_nothing_is_saved(fresh_db, resident):
    store.update(fresh_db, "alice", Resident, resident.id, resident.version, {"dwelling": "A2"})

    with pytest.raises(store.Conflict) as refused:
        store.update(fresh_db, "bob", Resident, resident.id, resident.version, {"dwelling": "B7"})

    conflict = refused.value
    assert conflict.by == "alice"
    assert "alice" in str(conflict)
    assert re.search(r"nothing (was|has been) saved|not saved", str(conflict)), str(conflict)
    assert "par alice" in conflict.message_fr
    assert "rien n'a été enregistré" in conflict.message_fr
    stored = store.get(fresh_db, Resident, resident.id)
    assert stored.dwelling == "A2"
    assert stored.version == 2
    assert _audit_actions(fresh_db, "resident", resident.id) == ["create", "update"]


def test_saving_a_whole_record_read_at_an_old_version_is_refused(fresh_db, resident):
    store.update(fresh_db, "alice", Resident, resident.id, 1, {"gir": 3})
    edited = resident.model_copy(update={"gir": 2})

    with pytest.raises(store.Conflict):
        store.save(fresh_db, "bob", edited)

    assert store.get(fresh_db, Resident, resident.id).gir == 3


def test_editing_an_archived_record_keeps_it_archived(fresh_db, resident):
    archived = store.archive(fresh_db, "alice", Resident, resident.id, resident.version)

    edited = store.update(
        fresh_db, "alice", Resident, resident.id, archived.version, {"dwelling": "B1"}
    )

    stored = store.get(fresh_db, Resident, resident.id)
    assert stored == edited
    assert stored.archived_at == archived.archived_at is not None
    assert stored.dwelling == "B1"
    assert store.find(fresh_db, Resident) == []
    assert store.find(fresh_db, Resident, include_archived=True) == [stored]


def test_an_archived_record_comes_back_with_unarchive(fresh_db, resident):
    archived = store.archive(fresh_db, "alice", Resident, resident.id, resident.version)

    restored = store.unarchive(fresh_db, "alice", Resident, resident.id, archived.version)

    assert restored.archived_at is None
    assert store.find(fresh_db, Resident) == [restored]
    assert _audit_actions(fresh_db, "resident", resident.id) == ["create", "archive", "restore"]


@pytest.mark.parametrize("field", ["id", "version", "archived_at"])
def test_update_refuses_to_change_what_the_store_owns(fresh_db, resident, field):
    value = {"id": resident.id + 100, "version": 42, "archived_at": "2024-01-01T00:00:00"}[field]

    with pytest.raises(store.InvalidRecord) as refused:
        store.update(fresh_db, "alice", Resident, resident.id, resident.version, {field: value})

    assert field in refused.value.by_field()
    assert store.get(fresh_db, Resident, resident.id) == resident
    assert _audit_actions(fresh_db, "resident", resident.id) == ["create"]


def test_update_of_an_unknown_record_is_not_found(fresh_db, habitat):
    with pytest.raises(store.NotFound):
        store.update(fresh_db, "alice", Resident, 999, 1, {"dwelling": "B1"})


# --- References ------------------------------------------------------------------------


def test_a_resident_of_an_unknown_habitat_is_refused_naming_habitat_id(
    fresh_db, habitat, factories
):
    data = {**factories["resident"](fresh_db), "habitat_id": 999}

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", Resident, data)

    assert refused.value.by_field() == {"habitat_id": "n° 999 introuvable"}
    assert store.find(fresh_db, Resident, include_archived=True) == []


def test_a_note_about_an_unknown_resident_is_refused_naming_resident_ids(
    fresh_db, resident, factories
):
    data = {**factories["liaison_note"](fresh_db), "resident_ids": [resident.id, 999]}

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", LiaisonNote, data)

    assert refused.value.by_field() == {"resident_ids": "n° 999 introuvable"}
    assert store.find(fresh_db, LiaisonNote, include_archived=True) == []
    assert fresh_db.execute("SELECT count(*) FROM liaison_note_resident").fetchone() == (0,)


def test_an_edit_pointing_to_an_unknown_resident_is_refused(fresh_db, resident, factories):
    note = store.create(fresh_db, "alice", LiaisonNote, factories["liaison_note"](fresh_db))

    with pytest.raises(store.InvalidRecord) as refused:
        store.update(fresh_db, "alice", LiaisonNote, note.id, 1, {"resident_ids": [999]})

    assert "resident_ids" in refused.value.by_field()
    assert store.get(fresh_db, LiaisonNote, note.id) == note


# --- Unique values and integer range -----------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key"),
    [
        ("account", {"username"}),
        ("resident", {"pseudonym"}),
        ("shared_life_project", {"habitat_id", "number"}),
        ("attendance", {"activity_id", "resident_id"}),
    ],
)
def test_a_duplicate_of_a_unique_value_is_refused_naming_the_field(fresh_db, factories, table, key):
    model = RECORDS[table]
    first = store.create(fresh_db, "alice", model, factories[table](fresh_db))
    again = {**factories[table](fresh_db), **{field: getattr(first, field) for field in key}}

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", model, again)

    assert key & set(refused.value.by_field()), refused.value
    assert all(problem.reason_fr.strip() for problem in refused.value.problems)
    assert store.find(fresh_db, model, include_archived=True) == [first]


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ("shared_life_project", "number"),
        ("account", "failed_logins"),
        ("resident", "habitat_id"),
    ],
)
def test_an_integer_too_large_to_store_is_refused_naming_the_field(
    fresh_db, factories, table, field
):
    data = {**factories[table](fresh_db), field: 2**63}

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", RECORDS[table], data)

    assert field in refused.value.by_field()


@pytest.mark.parametrize(
    ("table", "changes", "field"),
    [
        ("habitat", {"presence_from": "08:00+01:00"}, "presence_from"),
        ("intervention", {"start_time": "08:00+01:00"}, "start_time"),
    ],
)
def test_a_time_with_a_timezone_is_refused_naming_the_field(
    fresh_db, factories, table, changes, field
):
    data = {**factories[table](fresh_db), **changes}

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", RECORDS[table], data)

    assert field in refused.value.by_field()


# --- Dates in the right order --------------------------------------------------------------

WRONG_ORDER = [
    ("habitat", {"avp_start": "2025-01-01", "avp_end": "2024-12-31"}, "avp_end"),
    ("habitat", {"presence_from": "21:00", "presence_to": "08:00"}, "presence_to"),
    (
        "resident",
        {"entry_date": "2024-03-01", "exit_date": "2024-02-28", "exit_reason": "family"},
        "exit_date",
    ),
    ("support_plan", {"started_on": "2024-05-01", "review_due": "2024-04-30"}, "review_due"),
    ("intervention", {"start_time": "10:00", "end_time": "09:30"}, "end_time"),
    ("risk_agreement", {"agreed_on": "2024-05-01", "review_on": "2024-04-01"}, "review_on"),
    ("activity", {"starts_at": "2024-05-01T15:00", "ends_at": "2024-05-01T14:00"}, "ends_at"),
    ("booking", {"starts_at": "2024-06-01T18:00", "ends_at": "2024-06-01T17:59"}, "ends_at"),
    (
        "presence_shift",
        {"starts_at": "2024-05-02T09:00", "ends_at": "2024-05-02T08:00"},
        "ends_at",
    ),
    (
        "tension",
        {"occurred_on": "2024-05-02", "status": "closed", "resolved_on": "2024-05-01"},
        "resolved_on",
    ),
]


def _refused_in_french(refused: store.InvalidRecord, field: str) -> None:
    problems = {problem.field: problem for problem in refused.problems}
    assert field in problems, refused
    problem = problems[field]
    assert problem.reason_fr.strip()
    assert problem.reason_fr != problem.reason
    assert problem.message_fr.endswith(problem.reason_fr)


@pytest.mark.parametrize(("table", "changes", "field"), WRONG_ORDER)
def test_dates_in_the_wrong_order_are_refused_on_create(fresh_db, factories, table, changes, field):
    model = RECORDS[table]
    data = {**factories[table](fresh_db), **changes}

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(fresh_db, "alice", model, data)

    _refused_in_french(refused.value, field)
    assert store.history(fresh_db, table) == []


@pytest.mark.parametrize(("table", "changes", "field"), WRONG_ORDER)
def test_dates_in_the_wrong_order_are_refused_on_update(fresh_db, factories, table, changes, field):
    model = RECORDS[table]
    record = store.create(fresh_db, "alice", model, factories[table](fresh_db))

    with pytest.raises(store.InvalidRecord) as refused:
        store.update(fresh_db, "alice", model, record.id, record.version, changes)

    _refused_in_french(refused.value, field)
    assert store.get(fresh_db, model, record.id) == record


# --- Common-space bookings ---------------------------------------------------------------


@pytest.fixture
def space(fresh_db, habitat) -> CommonSpace:
    return store.create(
        fresh_db, "alice", CommonSpace, {"habitat_id": habitat.id, "name": "Salle commune"}
    )


def _booking(db, space, starts_at: str, ends_at: str, purpose: str = "Anniversaire") -> Booking:
    return store.create(
        db,
        "alice",
        Booking,
        {
            "space_id": space.id,
            "booked_by": "Paul Durand",
            "purpose": purpose,
            "starts_at": starts_at,
            "ends_at": ends_at,
        },
    )


def test_an_overlapping_booking_is_refused_naming_the_times_in_french(fresh_db, space):
    _booking(fresh_db, space, "2024-06-01T18:00", "2024-06-01T22:00")

    with pytest.raises(store.InvalidRecord) as refused:
        _booking(fresh_db, space, "2024-06-01T21:00", "2024-06-01T23:00", "Répétition")

    reason = refused.value.by_field()["starts_at"]
    assert "18:00" in reason
    assert "22:00" in reason
    assert "réservé" in reason
    assert [b.purpose for b in store.find(fresh_db, Booking)] == ["Anniversaire"]


def test_a_booking_inside_another_is_refused(fresh_db, space):
    _booking(fresh_db, space, "2024-06-01T08:00", "2024-06-01T20:00")

    with pytest.raises(store.InvalidRecord):
        _booking(fresh_db, space, "2024-06-01T12:00", "2024-06-01T13:00")


def test_bookings_that_touch_are_both_kept(fresh_db, space):
    first = _booking(fresh_db, space, "2024-06-01T18:00", "2024-06-01T20:00")
    second = _booking(fresh_db, space, "2024-06-01T20:00", "2024-06-01T22:00")
    earlier = _booking(fresh_db, space, "2024-06-01T16:00", "2024-06-01T18:00")

    assert store.find(fresh_db, Booking) == [first, second, earlier]


def test_the_same_times_in_another_space_do_not_clash(fresh_db, space, habitat):
    garden = store.create(
        fresh_db, "alice", CommonSpace, {"habitat_id": habitat.id, "name": "Jardin"}
    )
    _booking(fresh_db, space, "2024-06-01T18:00", "2024-06-01T22:00")

    assert _booking(fresh_db, garden, "2024-06-01T18:00", "2024-06-01T22:00").id is not None


def test_an_archived_booking_does_not_clash(fresh_db, space):
    cancelled = _booking(fresh_db, space, "2024-06-01T18:00", "2024-06-01T22:00")
    store.archive(fresh_db, "alice", Booking, cancelled.id, cancelled.version)

    kept = _booking(fresh_db, space, "2024-06-01T19:00", "2024-06-01T21:00")

    assert store.find(fresh_db, Booking) == [kept]


def test_bringing_back_a_cancelled_booking_whose_slot_was_taken_is_refused(fresh_db, space):
    cancelled = _booking(fresh_db, space, "2024-06-01T18:00", "2024-06-01T22:00")
    archived = store.archive(fresh_db, "alice", Booking, cancelled.id, cancelled.version)
    _booking(fresh_db, space, "2024-06-01T19:00", "2024-06-01T21:00")

    with pytest.raises(store.InvalidRecord) as refused:
        store.unarchive(fresh_db, "alice", Booking, cancelled.id, archived.version)

    assert "starts_at" in refused.value.by_field()
    assert store.get(fresh_db, Booking, cancelled.id).archived_at is not None


def test_moving_a_booking_within_its_own_slot_does_not_clash_with_itself(fresh_db, space):
    booking = _booking(fresh_db, space, "2024-06-01T18:00", "2024-06-01T22:00")

    moved = store.update(
        fresh_db, "alice", Booking, booking.id, booking.version, {"ends_at": "2024-06-01T21:00"}
    )

    assert store.get(fresh_db, Booking, booking.id) == moved


def _activity(db, habitat, space, starts_at: str, ends_at: str) -> Activity:
    return store.create(
        db,
        "alice",
        Activity,
        {
            "habitat_id": habitat.id,
            "title": "Atelier cuisine",
            "starts_at": starts_at,
            "ends_at": ends_at,
            "space_id": space.id,
        },
    )


def test_a_booking_over_an_activity_in_the_same_space_is_refused(fresh_db, habitat, space):
    _activity(fresh_db, habitat, space, "2024-06-01T14:00", "2024-06-01T16:00")

    with pytest.raises(store.InvalidRecord) as refused:
        _booking(fresh_db, space, "2024-06-01T15:00", "2024-06-01T17:00")

    reason = refused.value.by_field()["starts_at"]
    assert "14:00" in reason
    assert "16:00" in reason
    assert store.find(fresh_db, Booking) == []


def test_a_booking_right_after_an_activity_is_kept(fresh_db, habitat, space):
    _activity(fresh_db, habitat, space, "2024-06-01T14:00", "2024-06-01T16:00")

    assert _booking(fresh_db, space, "2024-06-01T16:00", "2024-06-01T17:00").id is not None


def test_an_activity_over_a_booking_in_the_same_space_is_refused(fresh_db, habitat, space):
    _booking(fresh_db, space, "2024-06-01T18:00", "2024-06-01T22:00")

    with pytest.raises(store.InvalidRecord) as refused:
        _activity(fresh_db, habitat, space, "2024-06-01T20:00", "2024-06-01T23:00")

    assert {"starts_at", "space_id"} & set(refused.value.by_field())
    assert store.find(fresh_db, Activity) == []


# --- Secrets stay out of the audit log ---------------------------------------------------


def test_the_password_hash_never_reaches_the_audit_log(fresh_db):
    account = store.create(
        fresh_db,
        "admin",
        Account,
        {
            "username": "lea.petit",
            "display_name": "Léa Petit",
            "role": "animator",
            "password_hash": SECRET_HASH,
        },
    )
    changed = store.update(
        fresh_db,
        "admin",
        Account,
        account.id,
        account.version,
        {"password_hash": SECRET_HASH[::-1]},
    )
    changed = store.update(
        fresh_db, "admin", Account, account.id, changed.version, {"display_name": "Léa P."}
    )
    store.archive(fresh_db, "admin", Account, account.id, changed.version)

    assert store.get(fresh_db, Account, account.id).password_hash == SECRET_HASH[::-1]
    entries = store.history(fresh_db, "account", account.id)
    assert [entry.action for entry in entries] == ["create", "update", "update", "archive"]
    raw = json.dumps(
        [list(row) for row in fresh_db.execute("SELECT * FROM audit_log")], ensure_ascii=False
    )
    assert "Léa P." in raw
    assert SECRET_HASH not in raw
    assert SECRET_HASH[::-1] not in raw
    assert "c2VsZGVtZXI" not in raw
    assert "password_hash" not in raw


# --- Identity -------------------------------------------------------------------------


def test_a_stored_record_has_its_id_and_an_unsaved_one_says_it_was_never_saved(fresh_db, resident):
    assert resident.stored_id == resident.id == store.get(fresh_db, Resident, resident.id).stored_id

    unsaved = resident.model_copy(update={"id": None})
    with pytest.raises(ValueError, match="Resident has no id: it was never saved"):
        unsaved.stored_id  # noqa: B018 (the property is what is tested)

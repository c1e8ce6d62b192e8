"""A week of time in one grid: filled, corrected, emptied; conflicts and bad cells refused."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habitat import store
from habitat.domain import SupportFunction
from habitat.services import timesheet
from habitat.services.access import Forbidden, User
from habitat.store.entities import Habitat, Role, TimeEntry

TODAY = date(2026, 6, 30)  # a Tuesday
MONDAY = date(2026, 6, 22)
PRESENCE = SupportFunction.COLLECTIVE_PRESENCE
INDIVIDUAL = SupportFunction.INDIVIDUAL_SUPPORT


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", TODAY.isoformat())


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "habitat.db"
    store.init(path)
    with store.connect(path) as conn:
        store.create(
            conn,
            "test",
            Habitat,
            {
                "name": "Les Tilleuls",
                "host_organisation": "Asso",
                "address": "1 rue",
                "dwellings": 8,
            },
        )
        yield conn


@pytest.fixture
def animator():
    return User(1, "claire", "Claire Martin", Role.ANIMATOR, 1)


def _entries(db) -> list[TimeEntry]:
    return store.find(db, TimeEntry, order_by="worked_on, function, id")


def _log(db, day: date, function: SupportFunction, hours: float) -> TimeEntry:
    return store.create(
        db,
        "test",
        TimeEntry,
        {
            "habitat_id": 1,
            "person": "Claire Martin",
            "worked_on": day,
            "function": function,
            "hours": hours,
            "note": "saisie d'origine",
        },
    )


def _week(db, animator) -> timesheet.Week:
    return timesheet.week(db, animator, 1, "Claire Martin", MONDAY + timedelta(days=3))


def test_a_week_is_filled_in_one_save(db, animator):
    read = _week(db, animator)
    assert read.monday == MONDAY and read.hours == {}

    written = timesheet.save_week(
        db,
        animator,
        1,
        read,
        {(MONDAY, PRESENCE): 3.5, (MONDAY, INDIVIDUAL): 1.0, (MONDAY + timedelta(2), PRESENCE): 2},
    )

    assert written == 3
    assert [(e.worked_on, e.function, e.hours, e.avp_funded) for e in _entries(db)] == [
        (MONDAY, PRESENCE, 3.5, True),
        (MONDAY, INDIVIDUAL, 1.0, True),
        (MONDAY + timedelta(2), PRESENCE, 2.0, True),
    ]
    assert _week(db, animator).total() == 6.5


def test_correcting_a_cell_makes_a_new_version_and_keeps_the_old_in_the_audit(db, animator):
    entry = _log(db, MONDAY, PRESENCE, 3.0)

    timesheet.save_week(db, animator, 1, _week(db, animator), {(MONDAY, PRESENCE): 2.5})

    corrected = store.get(db, TimeEntry, entry.id)
    assert (corrected.hours, corrected.version, corrected.note) == (2.5, 2, "saisie d'origine")
    history = [(e.action, e.before, e.after) for e in store.history(db, "time_entry", entry.id)]
    assert history[-1][0] == "update"
    assert history[-1][1]["hours"] == 3.0 and history[-1][2]["hours"] == 2.5


def test_emptying_a_cell_archives_its_entries_and_untouched_cells_stay(db, animator):
    kept = _log(db, MONDAY, INDIVIDUAL, 1.0)
    _log(db, MONDAY, PRESENCE, 1.0)
    _log(db, MONDAY, PRESENCE, 2.0)
    read = _week(db, animator)
    assert read.hours[(MONDAY, PRESENCE)] == 3.0

    written = timesheet.save_week(db, animator, 1, read, {(MONDAY, PRESENCE): 0.0})

    assert written == 2
    assert [e.id for e in _entries(db)] == [kept.id]
    assert len(store.find(db, TimeEntry, include_archived=True)) == 3  # nothing deleted


def test_a_cell_with_several_entries_keeps_one_at_the_new_total(db, animator):
    first = _log(db, MONDAY, PRESENCE, 1.0)
    _log(db, MONDAY, PRESENCE, 2.0)

    timesheet.save_week(db, animator, 1, _week(db, animator), {(MONDAY, PRESENCE): 4.0})

    assert [(e.id, e.hours) for e in _entries(db)] == [(first.id, 4.0)]


def test_a_change_made_since_the_grid_was_read_is_a_conflict_and_nothing_is_written(db, animator):
    entry = _log(db, MONDAY, PRESENCE, 3.0)
    read = _week(db, animator)
    store.update(db, "bob", TimeEntry, entry.id, 1, {"hours": 5.0})  # someone else, meanwhile
    before = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]

    with pytest.raises(store.Conflict) as refused:
        timesheet.save_week(
            db, animator, 1, read, {(MONDAY, PRESENCE): 2.0, (MONDAY, INDIVIDUAL): 1.0}
        )

    assert "22/06/2026" in refused.value.message_fr
    assert "Rien n'a été enregistré" in refused.value.message_fr
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == before
    assert [(e.function, e.hours) for e in _entries(db)] == [(PRESENCE, 5.0)]


def test_a_cell_someone_filled_meanwhile_is_a_conflict(db, animator):
    read = _week(db, animator)
    _log(db, MONDAY, PRESENCE, 3.0)

    with pytest.raises(store.Conflict):
        timesheet.save_week(db, animator, 1, read, {(MONDAY, PRESENCE): 2.0})
    assert [e.hours for e in _entries(db)] == [3.0]


THIS_MONDAY = date(2026, 6, 29)


@pytest.mark.parametrize(
    ("monday", "hours", "field", "message"),
    [
        (
            MONDAY,
            {(MONDAY, PRESENCE): 25.0},
            "hours",
            "le 22/06/2026 : 25 h n'est pas une durée possible",
        ),
        (
            MONDAY,
            {(MONDAY, PRESENCE): 14.0, (MONDAY, INDIVIDUAL): 10.0},
            "hours",
            "le 22/06/2026 totalise 25 h : au plus 24 h par jour",
        ),
        (MONDAY, {(MONDAY - timedelta(1), PRESENCE): 1.0}, "worked_on", "pas dans la semaine"),
        (
            THIS_MONDAY,
            {(THIS_MONDAY, PRESENCE): 1.0, (TODAY + timedelta(1), PRESENCE): 1.0},
            "worked_on",
            "est dans le futur",
        ),
    ],
)
def test_bad_cells_are_refused_by_name_and_nothing_is_written(
    db, animator, monday, hours, field, message
):
    _log(db, monday, SupportFunction.PREMISES, 1.0)
    read = timesheet.week(db, animator, 1, "Claire Martin", monday)
    before = db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]

    with pytest.raises(store.InvalidRecord) as refused:
        timesheet.save_week(db, animator, 1, read, hours)

    assert field in refused.value.by_field()
    assert message in refused.value.message_fr
    assert db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0] == before
    assert [(e.function, e.hours) for e in _entries(db)] == [(SupportFunction.PREMISES, 1.0)]


@pytest.mark.parametrize("role", [Role.HOST, Role.FAMILY, Role.PROVIDER, Role.RESIDENT])
def test_only_the_animator_saves_time(db, role):
    user = User(2, "autre", "Autre", role, 1)
    read = timesheet.week(db, User(1, "claire", "Claire", Role.ANIMATOR, 1), 1, "X", MONDAY)
    with pytest.raises(Forbidden):
        timesheet.save_week(db, user, 1, read, {(MONDAY, PRESENCE): 1.0})
    assert _entries(db) == []


_cells = st.dictionaries(
    st.tuples(st.integers(0, 6), st.sampled_from(list(SupportFunction))),
    st.sampled_from([0.0, 0.25, 1.0, 2.5, 3.0]),
    max_size=10,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=_cells, second=_cells)
def test_after_any_two_saves_the_grid_reads_back_what_was_typed(db, animator, first, second):
    """Invariant: whatever is typed, saved, then corrected, reading the week gives it back."""
    for entry in _entries(db):
        store.archive(db, "test", TimeEntry, entry.id, entry.version)
    for typed in (first, second):
        cells = {(MONDAY + timedelta(d), f): v for (d, f), v in typed.items()}
        timesheet.save_week(db, animator, 1, _week(db, animator), cells)
        expected = {**{c: v for c, v in _week(db, animator).hours.items()}}
        assert all(expected.get(c, 0.0) == v for c, v in cells.items())
    assert _week(db, animator).hours == {
        c: v
        for c, v in {
            **{(MONDAY + timedelta(d), f): v for (d, f), v in first.items()},
            **{(MONDAY + timedelta(d), f): v for (d, f), v in second.items()},
        }.items()
        if v > 0
    }

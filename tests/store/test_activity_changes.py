"""An activity is changed or called off before its day; after, it is what happened."""

from __future__ import annotations

from datetime import date

import pytest

from habitat import store
from habitat.store import queries
from habitat.store.entities import Activity, Attendance, Booking
from habitat.store.queries_collective import activities_between

from .conftest import ACTOR, FACTORIES

TODAY = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", TODAY.isoformat())


def _activity(db, day: str) -> Activity:
    return store.create(
        db,
        ACTOR,
        Activity,
        {**FACTORIES["activity"](db), "starts_at": f"{day}T14:00", "ends_at": f"{day}T16:00"},
    )


def _cancel(db, activity: Activity, reason: str = "Animatrice malade") -> Activity:
    return store.update(
        db, ACTOR, Activity, activity.id, activity.version, {"cancelled_reason": reason}
    )


def test_an_activity_to_come_is_moved_then_called_off_and_stays_on_the_calendar(fresh_db):
    activity = _activity(fresh_db, "2026-07-03")
    moved = store.update(
        fresh_db, ACTOR, Activity, activity.id, 1, {"starts_at": "2026-07-03T15:00"}
    )
    cancelled = _cancel(fresh_db, moved)

    assert cancelled.cancelled and cancelled.version == 3
    lines = activities_between(fresh_db, 1, date(2026, 6, 29), date(2026, 7, 6))
    assert [(x.activity.id, x.activity.cancelled_reason) for x in lines] == [
        (activity.id, "Animatrice malade")
    ]
    actions = [e.action for e in store.history(fresh_db, "activity", activity.id)]
    assert actions == ["create", "update", "update"]


def test_a_cancelled_activity_frees_its_space_and_takes_no_attendance(fresh_db):
    activity = _activity(fresh_db, "2026-06-30")
    booking = {
        **FACTORIES["booking"](fresh_db),
        "space_id": activity.space_id,
        "starts_at": "2026-06-30T15:00",
        "ends_at": "2026-06-30T17:00",
    }
    with pytest.raises(store.InvalidRecord) as clash:
        store.create(fresh_db, ACTOR, Booking, booking)
    assert "starts_at" in clash.value.by_field()

    cancelled = _cancel(fresh_db, activity)
    assert store.create(fresh_db, ACTOR, Booking, booking).id

    with pytest.raises(store.InvalidRecord) as refused:
        store.create(
            fresh_db,
            ACTOR,
            Attendance,
            {
                "activity_id": cancelled.id,
                "resident_id": FACTORIES["attendance"](fresh_db)["resident_id"],
                "status": "present",
            },
        )
    assert refused.value.by_field() == {
        "status": "l'activité a été annulée (Animatrice malade) : pas de présences à noter"
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": "2026-06-29T13:00"}, "starts_at"),
        ({"title": "Autre chose"}, "title"),
        ({"place": "outside", "space_id": None}, "place"),
        ({"cancelled_reason": "Pluie"}, "cancelled_reason"),
    ],
)
def test_an_activity_that_took_place_is_no_longer_changed_or_called_off(fresh_db, changes, field):
    activity = _activity(fresh_db, "2026-06-29")
    with pytest.raises(store.InvalidRecord) as refused:
        store.update(fresh_db, ACTOR, Activity, activity.id, 1, changes)
    assert list(refused.value.by_field()) == [field]
    assert "l'activité a eu lieu le 29/06/2026" in refused.value.by_field()[field]
    assert store.get(fresh_db, Activity, activity.id) == activity


def test_a_past_activity_description_is_still_completed(fresh_db):
    activity = _activity(fresh_db, "2026-06-29")
    completed = store.update(
        fresh_db, ACTOR, Activity, activity.id, 1, {"description": "Animé par Paul, 7 présents."}
    )
    assert completed.description == "Animé par Paul, 7 présents."


def test_the_yearly_report_counts_only_activities_that_took_place(fresh_db):
    kept = _activity(fresh_db, "2026-06-02")
    _cancel(fresh_db, _activity(fresh_db, "2026-07-09"))
    report = queries.avp_report(fresh_db, 1, 2026)
    assert sum(report.activities_by_category.values()) == 1
    assert report.activities_by_category == {kept.category.value: 1}

"""Every date rule a person would expect holds in the store, with a French reason per field.

Each refusal is checked three ways: the field named, a French reason a person can act
on, and nothing written (no row, no audit entry).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
import sqlite_utils

from habitat import store
from habitat.store.entities import (
    RECORDS,
    Activity,
    Attendance,
    CouncilDecision,
    CouncilMeeting,
    PlanReview,
    SupportPlan,
    Tension,
)

from .conftest import ACTOR, FACTORIES

TODAY = date(2026, 6, 30)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", TODAY.isoformat())


def _writes(db: sqlite_utils.Database) -> int:
    return db.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]


def _refused(db, table: str, data: dict[str, Any], field: str) -> str:
    """Create `data` in `table`, expect a refusal naming `field`; return its French reason."""
    before = _writes(db)
    rows = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    with pytest.raises(store.InvalidRecord) as refused:
        store.create(db, ACTOR, RECORDS[table], data)
    assert [p.field for p in refused.value.problems] == [field]
    assert _writes(db) == before
    assert db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == rows
    return refused.value.by_field()[field]


TOMORROW = (TODAY + timedelta(days=1)).isoformat()


@pytest.mark.parametrize(
    ("table", "field", "value"),
    [
        ("tension", "occurred_on", TOMORROW),
        ("time_entry", "worked_on", TOMORROW),
        ("plan_review", "reviewed_on", TOMORROW),
        ("carer", "consent_date", TOMORROW),
        ("risk_agreement", "agreed_on", TOMORROW),
    ],
)
def test_what_happened_cannot_be_dated_tomorrow(fresh_db, table, field, value):
    data = {**FACTORIES[table](fresh_db), field: value}
    if table == "carer":
        data["consent_to_share"] = True
    if table == "risk_agreement":
        data["review_on"] = "2027-12-31"
    if table == "tension":
        data.update(status="open", resolved_on=None)
    reason = _refused(fresh_db, table, data, field)
    assert reason == "est dans le futur (nous sommes le 30/06/2026)"
    # Today itself is fine.
    store.create(fresh_db, ACTOR, RECORDS[table], {**data, field: TODAY.isoformat()})


def test_a_tension_closed_tomorrow_is_refused_but_closed_today_is_kept(fresh_db):
    data = {
        **FACTORIES["tension"](fresh_db),
        "occurred_on": "2026-06-01",
        "status": "open",
        "resolved_on": None,
    }
    tension = store.create(fresh_db, ACTOR, Tension, data)
    with pytest.raises(store.InvalidRecord) as refused:
        store.update(
            fresh_db,
            ACTOR,
            Tension,
            tension.id,
            tension.version,
            {"status": "closed", "resolved_on": TOMORROW},
        )
    assert refused.value.by_field() == {
        "resolved_on": "est dans le futur (nous sommes le 30/06/2026)"
    }
    assert store.get(fresh_db, Tension, tension.id).status == "open"
    closed = store.update(
        fresh_db,
        ACTOR,
        Tension,
        tension.id,
        tension.version,
        {"status": "closed", "resolved_on": TODAY.isoformat()},
    )
    assert closed.version == 2


def test_a_tension_closed_before_it_occurred_is_refused(fresh_db):
    data = {
        **FACTORIES["tension"](fresh_db),
        "occurred_on": "2026-06-10",
        "status": "closed",
        "resolved_on": "2026-06-09",
    }
    assert _refused(fresh_db, "tension", data, "resolved_on") == "est avant la date de la tension"


def test_an_exit_before_the_entry_is_refused(fresh_db):
    data = {
        **FACTORIES["resident"](fresh_db),
        "entry_date": "2026-03-01",
        "exit_date": "2026-02-28",
        "exit_reason": "death",
    }
    assert _refused(fresh_db, "resident", data, "exit_date") == "est avant la date d'entrée"


def _meeting(db, held_on: str) -> CouncilMeeting:
    return store.create(
        db, ACTOR, CouncilMeeting, {**FACTORIES["council_meeting"](db), "held_on": held_on}
    )


@pytest.mark.parametrize(
    ("field", "extra", "what"),
    [
        ("due_on", {}, "l'échéance"),
        ("done_on", {"status": "done"}, "la réalisation"),
    ],
)
def test_a_decision_is_due_and_done_on_or_after_its_meeting(fresh_db, field, extra, what):
    meeting = _meeting(fresh_db, "2026-05-12")
    data = {
        **FACTORIES["council_decision"](fresh_db),
        "meeting_id": meeting.id,
        "status": "to_do",
        "due_on": None,
        "done_on": None,
        **extra,
    }
    reason = _refused(fresh_db, "council_decision", {**data, field: "2026-05-11"}, field)
    assert reason == f"{what} est avant la réunion du 12/05/2026 qui a pris la décision"
    kept = store.create(fresh_db, ACTOR, CouncilDecision, {**data, field: "2026-05-12"})
    assert getattr(kept, field) == date(2026, 5, 12)


def test_moving_a_decision_due_date_before_its_meeting_changes_nothing(fresh_db):
    meeting = _meeting(fresh_db, "2026-05-12")
    data = {
        **FACTORIES["council_decision"](fresh_db),
        "meeting_id": meeting.id,
        "status": "to_do",
        "done_on": None,
    }
    decision = store.create(fresh_db, ACTOR, CouncilDecision, {**data, "due_on": "2026-06-01"})
    with pytest.raises(store.InvalidRecord):
        store.update(
            fresh_db,
            ACTOR,
            CouncilDecision,
            decision.id,
            decision.version,
            {"due_on": "2026-04-01"},
        )
    assert store.get(fresh_db, CouncilDecision, decision.id).due_on == date(2026, 6, 1)


def test_a_plan_is_reviewed_after_it_starts(fresh_db):
    plan = store.create(
        fresh_db,
        ACTOR,
        SupportPlan,
        {**FACTORIES["support_plan"](fresh_db), "started_on": "2026-04-01", "review_due": None},
    )
    data = {**FACTORIES["plan_review"](fresh_db), "plan_id": plan.id}
    reason = _refused(fresh_db, "plan_review", {**data, "reviewed_on": "2026-03-31"}, "reviewed_on")
    assert reason == "est avant le début du projet d'accompagnement (01/04/2026)"
    kept = store.create(fresh_db, ACTOR, PlanReview, {**data, "reviewed_on": "2026-04-01"})
    assert kept.reviewed_on == date(2026, 4, 1)


def test_a_plan_review_due_before_the_plan_starts_is_refused(fresh_db):
    data = {
        **FACTORIES["support_plan"](fresh_db),
        "started_on": "2026-04-01",
        "review_due": "2026-03-01",
    }
    assert _refused(fresh_db, "support_plan", data, "review_due") == "est avant le début du projet"


def test_attendance_is_recorded_once_the_activity_has_come(fresh_db):
    data = FACTORIES["activity"](fresh_db)
    later = store.create(
        fresh_db,
        ACTOR,
        Activity,
        {**data, "starts_at": "2026-07-02T14:00", "ends_at": "2026-07-02T16:00"},
    )
    resident_id = FACTORIES["attendance"](fresh_db)["resident_id"]
    reason = _refused(
        fresh_db,
        "attendance",
        {"activity_id": later.id, "resident_id": resident_id, "status": "present"},
        "status",
    )
    assert reason.startswith("l'activité n'a pas encore eu lieu (le 02/07/2026)")
    today = store.create(
        fresh_db,
        ACTOR,
        Activity,
        {**data, "starts_at": "2026-06-30T14:00", "ends_at": "2026-06-30T16:00"},
    )
    kept = store.create(
        fresh_db,
        ACTOR,
        Attendance,
        {"activity_id": today.id, "resident_id": resident_id, "status": "present"},
    )
    assert kept.status == "present"

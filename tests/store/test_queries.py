"""The screens' reads: rota gaps, alerts, the notebook's filters, the AVP report's sums."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from habitat import store
from habitat.store.entities import (
    Carer,
    Habitat,
    Intervention,
    LiaisonNote,
    PresenceShift,
    Provider,
    Resident,
    SupportPlan,
    Tension,
    TimeEntry,
)
from habitat.store.queries import (
    Gap,
    avp_report,
    dashboard,
    notebook,
    presence_gaps,
    resident_file,
)

ACTOR = "animatrice"
MONDAY = date(2025, 3, 3)


def _resident(db, habitat, name, **extra):
    data = {
        "habitat_id": habitat.id,
        "first_name": name,
        "last_name": "Test",
        "public": "elderly",
        "gir": 4,
        "entry_date": "2024-01-01",
        **extra,
    }
    return store.create(db, ACTOR, Resident, data)


def _shift(db, habitat, start, end):
    return store.create(
        db,
        ACTOR,
        PresenceShift,
        {
            "habitat_id": habitat.id,
            "person": "Léa",
            "role": "animator",
            "starts_at": start,
            "ends_at": end,
        },
    )


def test_presence_gaps_are_the_uncovered_parts_of_each_day(fresh_db, habitat):
    # Presence expected 08:00-21:00 (the habitat's default).
    _shift(fresh_db, habitat, "2025-03-03T07:00", "2025-03-03T12:00")
    _shift(fresh_db, habitat, "2025-03-03T11:00", "2025-03-03T15:00")
    _shift(fresh_db, habitat, "2025-03-03T17:00", "2025-03-03T23:00")
    _shift(fresh_db, habitat, "2025-03-04T20:00", "2025-03-05T09:00")  # a night across days
    gaps = presence_gaps(fresh_db, habitat.id, MONDAY, date(2025, 3, 5))
    at = datetime.fromisoformat
    assert gaps == [
        Gap(at("2025-03-03T15:00"), at("2025-03-03T17:00")),
        Gap(at("2025-03-04T08:00"), at("2025-03-04T20:00")),
        Gap(at("2025-03-05T09:00"), at("2025-03-05T21:00")),
    ]
    assert gaps[0].hours == 2


def test_archived_shifts_leave_a_gap(fresh_db, habitat):
    shift = _shift(fresh_db, habitat, "2025-03-03T08:00", "2025-03-03T21:00")
    assert presence_gaps(fresh_db, habitat.id, MONDAY, MONDAY) == []
    store.archive(fresh_db, ACTOR, PresenceShift, shift.id, shift.version)
    assert len(presence_gaps(fresh_db, habitat.id, MONDAY, MONDAY)) == 1


def _alert_kinds(board):
    return {alert.kind for alert in board.alerts}


def test_dashboard_alerts_name_what_needs_attention(fresh_db, habitat):
    alone = _resident(fresh_db, habitat, "Solange")
    with_family = _resident(fresh_db, habitat, "Odette")
    store.create(
        fresh_db,
        ACTOR,
        Carer,
        {"resident_id": with_family.id, "first_name": "Luc", "last_name": "T", "relation": "child"},
    )
    plan = store.create(
        fresh_db,
        ACTOR,
        SupportPlan,
        {"resident_id": with_family.id, "started_on": "2024-03-01", "review_due": "2025-03-10"},
    )
    own = store.create(
        fresh_db,
        ACTOR,
        Provider,
        {
            "habitat_id": habitat.id,
            "name": "Infirmière libérale",
            "kind": "nursing",
            "arrangement": "own",
        },
    )
    chosen = store.create(
        fresh_db,
        ACTOR,
        Provider,
        {
            "habitat_id": habitat.id,
            "name": "SAAD du quartier",
            "kind": "home_help",
            "arrangement": "habitat",
        },
    )
    for provider, start, end in ((own, "08:00", "08:30"), (chosen, "08:15", "09:00")):
        store.create(
            fresh_db,
            ACTOR,
            Intervention,
            {
                "plan_id": plan.id,
                "provider_id": provider.id,
                "weekdays": [MONDAY.weekday()],
                "start_time": start,
                "end_time": end,
            },
        )
    board = dashboard(fresh_db, habitat.id, MONDAY)
    kinds = _alert_kinds(board)
    assert {"no_contact", "plan_review", "rota_gap", "visit_overlap"} <= kinds
    no_contact = [a for a in board.alerts if a.kind == "no_contact"]
    assert [a.resident_id for a in no_contact] == [alone.id]
    assert "Solange Test" in no_contact[0].message_fr
    assert no_contact[0].screen == "carers"
    # Each alert names who it is about, says whether it is late, and where it is dealt with.
    (review,) = [a for a in board.alerts if a.kind == "plan_review"]
    assert review.message_fr == ("Odette Test : projet d'accompagnement à revoir le 10/03/2025.")
    assert (review.resident_id, review.screen, review.overdue) == (
        with_family.id,
        "residents",
        False,
    )
    late = dashboard(fresh_db, habitat.id, date(2025, 3, 12))
    (review,) = [a for a in late.alerts if a.kind == "plan_review"]
    assert review.overdue
    assert review.message_fr == (
        "Odette Test : projet d'accompagnement à revoir depuis le 10/03/2025 (en retard)."
    )
    # The overlap gives the time both are there: from 8h15 to 8h30, not the first start.
    (overlap,) = [a for a in board.alerts if a.kind == "visit_overlap"]
    assert overlap.message_fr == (
        "Odette Test, le 03/03/2025 : Infirmière libérale et SAAD du quartier interviennent"
        " en même temps, de 8h15 à 8h30."
    )
    assert (overlap.resident_id, overlap.screen) == (with_family.id, "providers")
    (gap,) = [a for a in board.alerts if a.kind == "rota_gap"]
    assert gap.screen == "settings" and "le premier le 03/03/2025 à 8h00" in gap.message_fr
    assert [v.provider for v in board.visits_today] == ["Infirmière libérale", "SAAD du quartier"]

    store.update(
        fresh_db,
        ACTOR,
        Resident,
        alone.id,
        alone.version,
        {"emergency_contact": "Voisin, 06 00 00 00 00"},
    )
    assert "no_contact" not in _alert_kinds(dashboard(fresh_db, habitat.id, MONDAY))


def test_more_than_six_residents_at_gir_1_or_2_raise_the_fire_rule_alert(fresh_db, habitat):
    for i in range(6):
        _resident(fresh_db, habitat, f"R{i}", gir=2, emergency_contact="x")
    assert "gir12" not in _alert_kinds(dashboard(fresh_db, habitat.id, MONDAY))
    _resident(fresh_db, habitat, "R7", gir=1, emergency_contact="x")
    assert "gir12" in _alert_kinds(dashboard(fresh_db, habitat.id, MONDAY))


def test_open_tensions_come_with_their_age(fresh_db, habitat):
    store.create(
        fresh_db,
        ACTOR,
        Tension,
        {
            "habitat_id": habitat.id,
            "kind": "family",
            "severity": "high",
            "occurred_on": "2025-02-24",
            "description": "Désaccord sur les sorties.",
        },
    )
    board = dashboard(fresh_db, habitat.id, MONDAY)
    assert [(t.kind.value, age) for t, age in board.open_tensions] == [("family", 7)]


def _note(db, habitat, when, author, residents, audience="team", family_of=None):
    return store.create(
        db,
        ACTOR,
        LiaisonNote,
        {
            "habitat_id": habitat.id,
            "author": author,
            "written_at": when,
            "body": f"note {when}",
            "audience": audience,
            "audience_resident_id": family_of,
            "resident_ids": residents,
        },
    )


def test_notebook_filters_by_resident_author_audience_and_pages(fresh_db, habitat):
    a, b = _resident(fresh_db, habitat, "Anne"), _resident(fresh_db, habitat, "Bernard")
    _note(fresh_db, habitat, "2025-03-01T09:00", "Léa", [a.id])
    _note(fresh_db, habitat, "2025-03-01T10:00", "SSIAD", [a.id, b.id], audience="providers")
    _note(fresh_db, habitat, "2025-03-02T09:00", "Léa", [b.id], audience="family", family_of=b.id)
    _note(fresh_db, habitat, "2025-03-03T09:00", "Léa", [])

    def times(notes):
        return [n.written_at.strftime("%d %H") for n in notes]

    assert times(notebook(fresh_db, habitat.id)) == ["03 09", "02 09", "01 10", "01 09"]
    assert times(notebook(fresh_db, habitat.id, resident_id=a.id)) == ["01 10", "01 09"]
    assert times(notebook(fresh_db, habitat.id, author="SSIAD")) == ["01 10"]
    assert times(notebook(fresh_db, habitat.id, audiences=("providers",))) == ["01 10"]
    assert times(notebook(fresh_db, habitat.id, family_of=b.id)) == ["02 09"]
    first_page = notebook(fresh_db, habitat.id, limit=2)
    second_page = notebook(fresh_db, habitat.id, limit=2, before=first_page[-1].written_at)
    assert times(first_page + second_page) == ["03 09", "02 09", "01 10", "01 09"]


def test_notebook_pages_skip_no_note_written_at_the_same_minute(fresh_db, habitat):
    a = _resident(fresh_db, habitat, "Anne")
    for _ in range(5):
        _note(fresh_db, habitat, "2025-03-01T09:00", "Léa", [a.id])
    for resident_id in (None, a.id):
        seen, last = [], None
        while True:
            page = notebook(
                fresh_db,
                habitat.id,
                resident_id=resident_id,
                limit=2,
                before=last.written_at if last else None,
                before_id=last.id if last else None,
            )
            if not page:
                break
            seen += [n.id for n in page]
            last = page[-1]
        assert len(seen) == len(set(seen)) == 5


def test_resident_file_gathers_plan_family_notes_and_attendance(fresh_db, habitat):
    resident = _resident(fresh_db, habitat, "Anne")
    plan = store.create(
        fresh_db, ACTOR, SupportPlan, {"resident_id": resident.id, "started_on": "2024-01-01"}
    )
    _note(fresh_db, habitat, "2025-03-01T09:00", "Léa", [resident.id])
    file = resident_file(fresh_db, resident.id)
    assert file.resident == resident
    assert file.plan == plan
    assert [n.body for n in file.notes] == ["note 2025-03-01T09:00"]
    with pytest.raises(store.NotFound):
        resident_file(fresh_db, 12345)


def test_avp_report_adds_up_time_and_prorates_the_budget(fresh_db):
    habitat = store.create(
        fresh_db,
        ACTOR,
        Habitat,
        {
            "name": "H",
            "host_organisation": "O",
            "address": "A",
            "dwellings": 8,
            "avp_amount_per_resident": 7300.0,
        },
    )
    _resident(fresh_db, habitat, "Full", entry_date="2020-01-01")
    _resident(fresh_db, habitat, "Half", entry_date="2025-07-02")  # 183 days of 2025
    for day, function, hours, funded in (
        ("2025-01-06", "collective_organisation", 3.0, True),
        ("2025-01-07", "collective_presence", 2.5, True),
        ("2025-02-03", "collective_organisation", 1.0, False),
        ("2024-12-31", "premises", 9.0, True),  # another year
    ):
        store.create(
            fresh_db,
            ACTOR,
            TimeEntry,
            {
                "habitat_id": habitat.id,
                "person": "Léa",
                "worked_on": day,
                "function": function,
                "hours": hours,
                "avp_funded": funded,
            },
        )
    report = avp_report(fresh_db, habitat.id, 2025)
    assert report.resident_days == 365 + 183
    assert report.avp_budget == pytest.approx(7300.0 * (365 + 183) / 365)
    assert report.hours_by_function["collective_organisation"] == 4.0
    assert report.hours_by_function["collective_presence"] == 2.5
    assert report.hours_by_function["premises"] == 0.0
    assert report.avp_hours_by_month[1] == 5.5 and report.avp_hours_by_month[2] == 0.0


def test_visits_skip_residents_who_left(fresh_db, habitat):
    resident = _resident(fresh_db, habitat, "Gone", exit_date="2025-03-01", exit_reason="family")
    plan = store.create(
        fresh_db, ACTOR, SupportPlan, {"resident_id": resident.id, "started_on": "2024-01-01"}
    )
    provider = store.create(
        fresh_db,
        ACTOR,
        Provider,
        {"habitat_id": habitat.id, "name": "SSIAD", "kind": "nursing", "arrangement": "habitat"},
    )
    store.create(
        fresh_db,
        ACTOR,
        Intervention,
        {
            "plan_id": plan.id,
            "provider_id": provider.id,
            "weekdays": list(range(7)),
            "start_time": time(8),
            "end_time": time(9),
        },
    )
    assert dashboard(fresh_db, habitat.id, MONDAY).visits_today == []
    assert dashboard(fresh_db, habitat.id, date(2025, 2, 28)).visits_today != []


def test_planned_avp_time_counts_from_the_agreements_start(fresh_db):
    habitat = store.create(
        fresh_db,
        ACTOR,
        Habitat,
        {
            "name": "H",
            "host_organisation": "O",
            "address": "A",
            "dwellings": 8,
            "animator_hours_per_week": 10.0,
            "avp_start": "2025-07-01",
        },
    )
    board = dashboard(fresh_db, habitat.id, date(2025, 7, 14))
    assert board.avp_hours_planned == pytest.approx(20.0)
    assert board.avp_hours_used == 0.0
    assert "avp_time" in _alert_kinds(board)

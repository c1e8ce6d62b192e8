"""The demo habitat: complete, sound, plausible and the same for the same seed."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from habitat import demo, store
from habitat.domain import SupportFunction
from habitat.store.entities import (
    RECORDS,
    Account,
    Arrangement,
    Attendance,
    Carer,
    Habitat,
    Intervention,
    LiaisonNote,
    Presence,
    Provider,
    Resident,
    RiskAgreement,
    Role,
    SupportPlan,
    Tension,
    TensionKind,
    TensionStatus,
    TimeEntry,
)

END = demo.DEFAULT_END


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "habitat.db"
    demo.build(path)
    return path


@pytest.fixture
def db(demo_path):
    with store.connect(demo_path) as connection:
        yield connection


def content(path: Path) -> str:
    """A digest of every record as the store reads it, and of the audit log but its times.

    `content_hash` would differ between two builds: rows carry `created_at` and
    `updated_at`, and the audit log `at`, all from the clock. Records read back with
    `store.find` hold none of these.
    """
    digest = hashlib.sha256()
    with store.connect(path) as db:
        for table, model in sorted(RECORDS.items()):
            for record in store.find(db, model, include_archived=True):
                digest.update(f"{table}:{record.model_dump_json()}\n".encode())
        for entry in store.history(db):
            trace = [entry.actor, entry.entity, entry.entity_id, entry.action]
            trace += [entry.before, entry.after]
            digest.update(json.dumps(trace, sort_keys=True).encode())
    return digest.hexdigest()


def test_eight_residents_of_mixed_publics_all_present_at_the_end(db):
    residents = store.find(db, Resident)
    assert len(residents) == 8
    assert len({r.public for r in residents}) >= 3
    assert all(r.exit_date is None and r.entry_date <= END for r in residents)
    assert {r.entry_mode for r in residents} == {"chosen", "default"}
    assert sorted(r.dwelling for r in residents) == [f"Logement {n}" for n in range(1, 9)]
    for resident in residents:
        assert resident.pseudonym.startswith("H-") and len(resident.pseudonym) == 8


#: Tables the demo leaves empty on purpose, and why.
EMPTY_IN_THE_DEMO = {
    # The demo's forecasts and questions run with the general values: the tab
    # "Ajuster à mon habitat" invites the visitor to fit them and see what moves.
    "habitat_calibration",
}


def test_every_entity_table_has_rows_and_the_summary_counts_them(db, demo_path):
    counts = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in RECORDS}
    assert [table for table, rows in counts.items() if rows == 0] == sorted(EMPTY_IN_THE_DEMO)
    summary = demo.DemoSummary.count(db)
    assert {t: n for t, n in summary.as_dict().items() if t in counts} == counts
    assert "8 residents" in str(summary)


def test_the_database_is_sound(demo_path):
    health = store.check(demo_path)
    assert health.ok, health.problems()


def test_same_seed_same_content_other_seed_other_content(demo_path, tmp_path):
    demo.build(tmp_path / "same.db")
    demo.build(tmp_path / "other.db", seed=7)
    assert content(tmp_path / "same.db") == content(demo_path)
    assert content(tmp_path / "other.db") != content(demo_path)


def test_refuses_a_database_that_holds_records(demo_path, tmp_path):
    before = content(demo_path)
    with pytest.raises(demo.NotEmpty, match="already holds records"):
        demo.build(demo_path)
    assert content(demo_path) == before

    path = tmp_path / "own.db"
    store.init(path)
    with store.connect(path) as db:
        store.add(
            db, "test", Habitat(name="Chez nous", host_organisation="A", address="B", dwellings=5)
        )
    with pytest.raises(demo.NotEmpty, match=r"1 in habitat"):
        demo.build(path)


def test_dashboard_alerts_have_something_to_show(db):
    residents = store.find(db, Resident)
    with_carers = {c.resident_id for c in store.find(db, Carer)}
    alone = [r for r in residents if r.id not in with_carers]
    assert any(r.emergency_contact is None for r in alone)  # nobody to call
    assert any(r.emergency_contact is not None for r in alone)  # a friend only
    assert store.find(db, Tension, "status != 'closed'")
    assert store.find(db, RiskAgreement, "review_on <= ?", [END.isoformat()])


def test_families_two_carry_most_hours_some_without_consent(db):
    carers = store.find(db, Carer)
    hours = sorted((c.usual_hours_per_week for c in carers), reverse=True)
    assert sum(hours[:2]) > sum(hours[2:])
    assert any(not c.consent_to_share for c in carers)


def test_one_resident_is_clearly_left_out_of_activities(db):
    attendance = store.find(db, Attendance)
    shown = Counter(a.resident_id for a in attendance)
    came = Counter(a.resident_id for a in attendance if a.status is Presence.PRESENT)
    rates = sorted(came[r] / shown[r] for r in shown)
    assert rates[0] < 0.15 < 0.4 < rates[1]


def test_own_and_habitat_providers_sometimes_overlap(db):
    arrangement = {p.id: p.arrangement for p in store.find(db, Provider)}
    assert {p.kind for p in store.find(db, Provider)} >= {
        "home_help",
        "nursing",
        "savs",
        "samsah",
        "had",
        "gp",
    }
    overlaps = 0
    for plan in store.find(db, SupportPlan):
        visits = store.find(db, Intervention, "plan_id = ?", [plan.id])
        own = [v for v in visits if arrangement[v.provider_id] is Arrangement.OWN]
        habitat = [v for v in visits if arrangement[v.provider_id] is Arrangement.HABITAT]
        overlaps += any(
            set(a.weekdays) & set(b.weekdays)
            and a.start_time < b.end_time
            and b.start_time < a.end_time
            for a in own
            for b in habitat
        )
    assert overlaps >= 2


def test_notes_and_tensions_cover_every_audience_and_kind(db):
    notes = store.find(db, LiaisonNote)
    assert {n.audience for n in notes} == {"team", "providers", "family"}
    assert len({n.author for n in notes}) >= 5
    assert all(n.audience_resident_id in n.resident_ids for n in notes if n.audience == "family")
    tensions = store.find(db, Tension)
    assert {t.kind for t in tensions} == set(TensionKind)
    closed = sum(t.status is TensionStatus.CLOSED for t in tensions)
    assert len(tensions) > closed > len(tensions) * 0.8


def test_one_account_per_role_without_password(db):
    accounts = store.find(db, Account)
    assert sorted(a.role for a in accounts) == sorted(Role)
    assert all(a.password_hash is None for a in accounts)


def test_animator_time_on_working_days_across_the_four_functions(db):
    entries = store.find(db, TimeEntry)
    assert {e.function for e in entries} == set(SupportFunction)
    assert all(e.worked_on.weekday() < 4 for e in entries)
    weeks = Counter(e.worked_on.isocalendar()[:2] for e in entries for _ in range(int(e.hours * 4)))
    assert max(weeks.values()) / 4 <= demo.ANIMATOR_HOURS_PER_WEEK


def test_residents_come_and_go_over_several_years_never_more_than_the_dwellings(tmp_path):
    path = tmp_path / "years.db"
    summary = demo.build(path, years=3, scale=0.1, seed=11)
    with store.connect(path) as db:
        residents = store.find(db, Resident)
    assert summary.resident == len(residents) > demo.DWELLINGS
    leavers = [r for r in residents if r.exit_date]
    assert leavers and all(r.exit_reason for r in leavers)
    assert all(r.exit_date <= END - timedelta(days=365) for r in leavers)
    first = min(r.entry_date for r in residents)
    for offset in range(0, (END - first).days + 1, 3):
        day = first + timedelta(days=offset)
        here = [
            r for r in residents if r.entry_date <= day and not (r.exit_date and r.exit_date <= day)
        ]
        assert len(here) <= demo.DWELLINGS


def test_bench_scale_reaches_the_benchmark_volumes():
    days = (END - date(END.year - demo.BENCH_YEARS, END.month, END.day)).days
    scale = demo.BENCH_SCALE
    assert demo.TENSIONS_PER_YEAR * scale * days / 365.25 >= 5_000 * 1.05
    assert demo.NOTES_PER_DAY * scale * days >= 50_000 * 1.2
    lowest_weekly = min(demo.ACTIVITIES_PER_WEEK) * scale
    assert lowest_weekly * days / 7 * 6 >= 20_000  # attendance: 6+ residents present


def test_refuses_nonsense_arguments(tmp_path):
    with pytest.raises(ValueError, match="years"):
        demo.build(tmp_path / "a.db", years=0)
    with pytest.raises(ValueError, match="scale"):
        demo.build(tmp_path / "b.db", scale=0)


def test_no_tension_stays_open_for_years(db):
    """Only recent tensions are still being followed up; older ones were closed."""
    from habitat.demo.journal import FOLLOW_UP_DAYS
    from habitat.store.entities import Tension

    still_open = [t for t in store.find(db, Tension) if t.resolved_on is None]
    assert still_open  # the dashboard has some to show
    assert all((END - t.occurred_on).days <= FOLLOW_UP_DAYS for t in still_open)

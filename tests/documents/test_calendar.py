"""The calendar (.ics): read back with icalendar, per role's scope, hostile text, the CLI.

Every test parses the file as a phone would (`icalendar.Calendar.from_ical`) and
looks at the events it finds, not at the bytes written.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta

import pytest
from icalendar import Calendar

from habitat import clock, demo, store
from habitat.documents.calendar import SUMMARY_MAX, CalendarEvent, calendar_ics
from habitat.documents.render import Format
from habitat.services import documents
from habitat.services.access import Forbidden, user_of
from habitat.store.entities import (
    Account,
    Activity,
    Booking,
    CommonSpace,
    Habitat,
    PresencePattern,
    Resident,
    Role,
)

#: A window of the demo's history with activities, bookings, rota and visits.
WINDOW = {"start": date(2026, 6, 1), "days": 60}
HOSTILE = "Atelier\r\nBEGIN:VEVENT\r\nSUMMARY:pirate\r\nEND:VEVENT <script>alert(1)</script>"
CONTROL = "Repas\x07 partagé\x1b\x00\x0b"
EMOJI = "Goûter 🎂 d'anniversaire"
ACTOR = "test"


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build(path)
    return path


@pytest.fixture
def db(demo_template, tmp_path):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_template, path)
    with store.connect(path) as conn:
        yield conn


@pytest.fixture
def users(db):
    return {a.role: user_of(db, a) for a in store.find(db, Account)}


def events_of(content: bytes) -> list:
    """The VEVENTs of an .ics file, parsed as a calendar application would."""
    calendar = Calendar.from_ical(content)
    assert calendar.name == "VCALENDAR"
    return list(calendar.walk("VEVENT"))


def event_lines(content: bytes) -> int:
    """How many events the file's lines open (a folded line starts with a space)."""
    return sum(line == b"BEGIN:VEVENT" for line in content.split(b"\r\n"))


def texts_of(content: bytes) -> str:
    """Every text an application shows of the calendar (names, titles, places, notes)."""
    calendar = Calendar.from_ical(content)
    parts = [str(calendar.get("x-wr-calname", ""))]
    for event in calendar.walk("VEVENT"):
        parts += [str(event.get(p, "")) for p in ("summary", "location", "description")]
        parts += [str(c) for c in event.get("categories").cats] if event.get("categories") else []
    return "\n".join(parts)


def _calendar(db, user, **window):
    return documents.calendar(db, user, user.habitat_id, **(WINDOW | window))


def _event(kind="activity", key="1", **values) -> CalendarEvent:
    fields = {
        "summary": "Repas partagé",
        "starts_at": datetime(2026, 7, 14, 12, 0),
        "ends_at": datetime(2026, 7, 14, 14, 0),
    }
    return CalendarEvent(kind=kind, key=key, **(fields | values))


# --- The renderer ---------------------------------------------------------------------


def test_an_event_comes_back_in_paris_time_with_its_uid_status_and_sequence():
    content = calendar_ics(
        "Les Glycines · calendrier",
        "Les Glycines",
        [
            _event(location="Salle commune", categories=("Activité", "repas partagé"), sequence=3),
            _event("booking", "7", summary="Salon : réservé", cancelled=True),
            # Winter: the same wall-clock hour, another UTC offset.
            _event(
                "activity",
                "2",
                starts_at=datetime(2026, 12, 1, 9),
                ends_at=datetime(2026, 12, 1, 10),
            ),
        ],
        first=date(2026, 6, 1),
        last=date(2026, 12, 31),
        stamp=datetime(2026, 6, 1, 8, 0),
    )
    calendar = Calendar.from_ical(content)
    assert str(calendar["version"]) == "2.0"
    assert "habitat" in str(calendar["prodid"])
    assert str(calendar["x-wr-calname"]) == "Les Glycines · calendrier"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    summer, cancelled, winter = events_of(content)
    assert summer["uid"] == "activity-1@les-glycines.habitat"
    assert summer.decoded("dtstart") == datetime(
        2026, 7, 14, 12, 0, tzinfo=summer.decoded("dtstart").tzinfo
    )
    assert str(summer.decoded("dtstart").tzinfo) == "Europe/Paris"
    assert summer.decoded("dtstart").utcoffset() == timedelta(hours=2)
    assert winter.decoded("dtstart").utcoffset() == timedelta(hours=1)
    assert summer["location"] == "Salle commune"
    assert list(summer["categories"].cats) == ["Activité", "repas partagé"]
    assert summer["status"] == "CONFIRMED" and summer["sequence"] == 3
    assert summer.decoded("dtstamp").tzinfo is not None
    assert cancelled["uid"] == "booking-7@les-glycines.habitat"
    assert cancelled["status"] == "CANCELLED"


def test_an_empty_calendar_is_a_valid_calendar_with_its_time_zone():
    content = calendar_ics("Habitat", None, [], first=date(2026, 1, 1), last=date(2026, 7, 1))
    calendar = Calendar.from_ical(content)
    assert events_of(content) == []
    assert calendar.walk("VTIMEZONE")
    assert content.startswith(b"BEGIN:VCALENDAR\r\n") and content.endswith(b"END:VCALENDAR\r\n")


@pytest.mark.parametrize("field", ["summary", "location", "description"])
def test_typed_line_breaks_and_control_characters_never_make_another_event(field):
    hostile = f"{HOSTILE} {CONTROL} {EMOJI}"
    content = calendar_ics(
        "Calendrier\r\nBEGIN:VEVENT",
        "Les Glycines",
        [_event(**{field: hostile})],
        first=date(2026, 7, 1),
        last=date(2026, 7, 31),
    )
    (event,) = events_of(content)
    text = str(event[field])
    assert "<script>alert(1)</script>" in text and "🎂" in text
    assert not any(c in text for c in "\x07\x1b\x00\x0b\r")
    if field != "description":
        assert "\n" not in text
    assert event_lines(content) == 1
    assert "\n" not in str(Calendar.from_ical(content)["x-wr-calname"])


def test_a_very_long_title_is_cut_and_folded_lines_stay_short():
    content = calendar_ics(
        "Calendrier",
        "Les Glycines",
        [_event(summary="é" * 5_000, description="🎂 " * 3_000)],
        first=date(2026, 7, 1),
        last=date(2026, 7, 31),
    )
    (event,) = events_of(content)
    assert len(str(event["summary"])) == SUMMARY_MAX
    assert all(len(line) <= 75 for line in content.split(b"\r\n"))


# --- The service: what each role finds --------------------------------------------------


def test_the_uids_are_the_same_in_two_files_so_a_new_import_updates(db, users):
    first = events_of(_calendar(db, users[Role.ANIMATOR]).content)
    second = events_of(_calendar(db, users[Role.ANIMATOR]).content)
    uids = [str(e["uid"]) for e in first]
    assert len(uids) == len(set(uids)) > 50
    assert uids == [str(e["uid"]) for e in second]
    assert {u.split("-")[0] for u in uids} >= {"activity", "booking", "presence"}
    assert all(str(e.decoded("dtstart").tzinfo) == "Europe/Paris" for e in first)


def test_the_team_sees_activities_bookings_with_purpose_and_the_rota_by_first_name(db, users):
    animator = users[Role.ANIMATOR]
    document = _calendar(db, animator)
    assert document.format is Format.ICS and document.media_type.startswith("text/calendar")
    assert document.filename == "calendrier-La-Maison-des-Tilleuls-animateur.ics"
    events = events_of(document.content)
    kinds = {str(e["uid"]).split("-")[0] for e in events}
    assert kinds == {"activity", "booking", "presence"}
    end = datetime(2026, 7, 31)
    activities = store.find(
        db, Activity, "starts_at >= ? AND starts_at < ?", ["2026-06-01", end.isoformat()]
    )
    assert sum(str(e["uid"]).startswith("activity-") for e in events) == len(activities)
    booking = store.find(db, Booking, "starts_at >= ?", ["2026-06-01"])[0]
    by_uid = {str(e["uid"]): e for e in events}
    assert booking.purpose in str(
        by_uid[f"booking-{booking.id}@la-maison-des-tilleuls.habitat"]["summary"]
    )
    pattern = store.find(db, PresencePattern)[0]
    rota = [e for e in events if str(e["uid"]).startswith(f"presence-pattern-{pattern.id}-")]
    assert rota and all(
        str(e["summary"]).startswith(f"Présence : {pattern.person.split()[0]} (") for e in rota
    )
    if " " in pattern.person.strip():  # the first name only, never the whole name typed
        assert pattern.person not in texts_of(document.content)
    assert not [e for e in store.history(db) if e.action == "print"]  # not audited


def test_cancelled_and_deleted_records_come_back_cancelled_under_the_same_uid(db, users):
    animator = users[Role.ANIMATOR]
    activity = store.find(db, Activity, "starts_at >= ?", ["2026-06-10"], order_by="starts_at")[0]
    booking = store.find(db, Booking, "starts_at >= ?", ["2026-06-10"], order_by="starts_at")[0]
    before = {str(e["uid"]): e for e in events_of(_calendar(db, animator).content)}
    with clock.as_of(date(2026, 6, 1)):  # called off before its day
        store.update(
            db, ACTOR, Activity, activity.id, activity.version, {"cancelled_reason": "pluie"}
        )
    store.archive(db, ACTOR, Booking, booking.id, booking.version)
    after = {str(e["uid"]): e for e in events_of(_calendar(db, animator).content)}
    assert set(after) == set(before)
    activity_uid = f"activity-{activity.id}@la-maison-des-tilleuls.habitat"
    booking_uid = f"booking-{booking.id}@la-maison-des-tilleuls.habitat"
    assert before[activity_uid]["status"] == "CONFIRMED"
    assert after[activity_uid]["status"] == "CANCELLED"
    assert after[activity_uid]["sequence"] > before[activity_uid]["sequence"]
    assert "pluie" in str(after[activity_uid]["description"])
    assert after[booking_uid]["status"] == "CANCELLED"
    live = [e for k, e in after.items() if k not in (activity_uid, booking_uid)]
    assert all(e["status"] == "CONFIRMED" for e in live if not str(e["uid"]).startswith("presence"))


def _other_residents(db, resident_id: int) -> list[Resident]:
    return [r for r in store.find(db, Resident, include_archived=True) if r.id != resident_id]


@pytest.mark.parametrize("role", [Role.FAMILY, Role.RESIDENT])
def test_a_family_or_resident_finds_collective_life_and_only_its_own(db, users, role):
    user = users[role]
    own = store.get(db, Resident, user.resident_id)
    # Another resident's booking: its purpose names nobody to them, only "réservé".
    space = store.find(db, CommonSpace)[0]
    other = _other_residents(db, own.id)[0]
    secret = store.create(
        db,
        ACTOR,
        Booking,
        {
            "space_id": space.id,
            "resident_id": other.id,
            "booked_by": f"{other.first_name} {other.last_name}",
            "purpose": f"Anniversaire de {other.first_name} {other.last_name}",
            "starts_at": datetime(2026, 6, 20, 15),
            "ends_at": datetime(2026, 6, 20, 17),
        },
    )
    document = _calendar(db, user)
    text = texts_of(document.content)
    events = events_of(document.content)
    kinds = {str(e["uid"]).split("-")[0] for e in events}
    assert kinds == {"activity", "booking", "presence", "intervention"}
    by_uid = {str(e["uid"]): e for e in events}
    assert str(by_uid[f"booking-{secret.id}@la-maison-des-tilleuls.habitat"]["summary"]).endswith(
        " : réservé"
    )
    for resident in _other_residents(db, own.id):
        for name in (
            f"{resident.first_name} {resident.last_name}",
            resident.last_name,
            resident.pseudonym,
        ):
            assert name not in text, name
    assert own.pseudonym not in text and own.last_name not in text
    # Its own visits only: every intervention event is one of its relative's providers.
    visits = [e for e in events if str(e["uid"]).startswith("intervention-")]
    assert visits and all(str(e["summary"]).startswith("Passage : ") for e in visits)
    expected = "calendrier-La-Maison-des-Tilleuls-" + (
        "proche" if role is Role.FAMILY else "habitant"
    )
    assert document.filename == expected + ".ics"
    prints = [e for e in store.history(db, "resident", own.id) if e.action == "print"]
    assert [p.after for p in prints] == [{"document": document.filename}]
    assert all(
        e.action != "print"
        for r in _other_residents(db, own.id)
        for e in store.history(db, "resident", r.id)
    )


def test_a_familys_registrations_are_marked_with_its_relatives_first_name(db, users):
    family = users[Role.FAMILY]
    own = store.get(db, Resident, family.resident_id)
    activity = store.find(db, Activity, "starts_at >= ?", ["2026-07-01"], order_by="starts_at")[0]
    from habitat.services import collective

    collective.sign_up(db, users[Role.ANIMATOR], activity.id, own.id)
    by_uid = {str(e["uid"]): e for e in events_of(_calendar(db, family).content)}
    event = by_uid[f"activity-{activity.id}@la-maison-des-tilleuls.habitat"]
    assert f"{own.first_name} est inscrit·e." in str(event["description"])
    assert "Inscription" in list(event["categories"].cats)


def test_a_provider_finds_only_its_own_visits(db, users):
    provider = users[Role.PROVIDER]
    document = _calendar(db, provider)
    events = events_of(document.content)
    assert events and {str(e["uid"]).split("-")[0] for e in events} == {"intervention"}
    assert all(str(e["summary"]).startswith("Intervention : ") for e in events)
    from habitat.services.access import served_resident_ids

    served = served_resident_ids(db, provider.tied_provider_id)
    text = texts_of(document.content)
    for resident in store.find(db, Resident, include_archived=True):
        assert resident.last_name not in text and resident.pseudonym not in text
        if resident.id not in served:
            assert f"{resident.first_name} {resident.last_name[:1]}." not in text
    printed = {
        e.entity_id
        for e in store.history(db, "resident")
        if e.action == "print" and e.actor == provider.actor
    }
    assert printed and printed <= served


def test_a_promoter_or_another_habitat_gets_no_calendar(db, users):
    with pytest.raises(Forbidden):
        documents.calendar(db, users[Role.PROMOTER], None)
    animator = users[Role.ANIMATOR]
    with pytest.raises(Forbidden):
        documents.calendar(db, animator, animator.habitat_id + 1)
    family = users[Role.FAMILY]
    with pytest.raises(Forbidden):
        documents.calendar(db, family, family.habitat_id + 1)


@pytest.mark.parametrize(
    ("window", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": documents.CALENDAR_DAYS_MAX + 1}, "days"),
        ({"days": True}, "days"),
        ({"days": "30"}, "days"),
        ({"start": datetime(2026, 6, 1, 12)}, "from"),
        ({"start": "2026-06-01"}, "from"),
        ({"start": date.max}, "from"),
    ],
)
def test_a_bad_window_names_its_field(db, users, window, field):
    with pytest.raises(documents.BadWindow) as refused:
        _calendar(db, users[Role.ANIMATOR], **window)
    assert refused.value.field == field and refused.value.message_fr


def test_the_default_window_runs_from_four_weeks_back_to_six_months_ahead():
    first, end = documents.calendar_window(None, documents.CALENDAR_DAYS, date(2026, 6, 30))
    assert first == date(2026, 6, 2)
    assert date(2026, 12, 30) <= end <= date(2027, 1, 2)


def test_hostile_typed_text_stays_text_in_every_role(db, users):
    space = store.find(db, CommonSpace)[0]
    habitat = store.find(db, Habitat)[0]
    own = users[Role.RESIDENT].resident_id
    long = "Très long titre " + "x" * 150
    hostile = {
        "title": "<script>alert(1)</script> " + EMOJI,
        "location": "Chez <b>Mme</b> 🏡 &amp; Cie",
        "purpose": '"; DROP TABLE booking; -- 🎉',
    }
    activity = store.create(
        db,
        ACTOR,
        Activity,
        {
            "habitat_id": habitat.id,
            "title": hostile["title"],
            "starts_at": datetime(2026, 6, 25, 10),
            "ends_at": datetime(2026, 6, 25, 12),
            "place": "outside",
            "location": hostile["location"],
        },
    )
    store.create(
        db,
        ACTOR,
        Activity,
        {
            "habitat_id": habitat.id,
            "title": long,
            "starts_at": datetime(2026, 6, 26, 10),
            "ends_at": datetime(2026, 6, 26, 12),
        },
    )
    store.create(
        db,
        ACTOR,
        Booking,
        {
            "space_id": space.id,
            "resident_id": own,
            "booked_by": "L. B.",
            "purpose": hostile["purpose"],
            "starts_at": datetime(2026, 6, 25, 15),
            "ends_at": datetime(2026, 6, 25, 16),
        },
    )
    for role in (Role.ANIMATOR, Role.RESIDENT):
        content = _calendar(db, users[role]).content
        events = events_of(content)
        by_uid = {str(e["uid"]): e for e in events}
        event = by_uid[f"activity-{activity.id}@la-maison-des-tilleuls.habitat"]
        assert str(event["summary"]) == hostile["title"]
        assert str(event["location"]) == hostile["location"]
        summaries = [str(e["summary"]) for e in events]
        assert long in summaries
        assert any(hostile["purpose"] in s for s in summaries), role
        assert event_lines(content) == len(events)


# --- The command line ---------------------------------------------------------------


@pytest.fixture
def demo_path(demo_template, tmp_path):
    path = tmp_path / "cli.db"
    shutil.copy(demo_template, path)
    return path


def test_the_cli_writes_a_calendar_as_the_account_asked(demo_path, tmp_path, run_cli):
    out = tmp_path / "agenda.ics"
    status, stdout, err = run_cli(
        "documents", "calendar", "--from", "2026-06-01", "--days", "30",
        "--out", str(out), "--db", str(demo_path),
    )  # fmt: skip
    assert status == 0, err
    assert f"wrote {out}" in stdout
    events = events_of(out.read_bytes())
    assert {str(e["uid"]).split("-")[0] for e in events} == {"activity", "booking", "presence"}
    assert all(date(2026, 6, 1) <= e.decoded("dtstart").date() < date(2026, 7, 1) for e in events)
    with store.connect(demo_path) as db:
        family = store.find(db, Account, "role = ?", ["family"])[0]
    out = tmp_path / "famille.ics"
    status, _, err = run_cli(
        "documents", "calendar", "--from", "2026-06-01", "--as", family.username,
        "--out", str(out), "--db", str(demo_path),
    )  # fmt: skip
    assert status == 0, err
    assert any(str(e["uid"]).startswith("intervention-") for e in events_of(out.read_bytes()))
    with store.connect(demo_path) as db:
        prints = [
            e for e in store.history(db, "resident", family.resident_id) if e.action == "print"
        ]
    assert prints and prints[-1].actor == f"family:{family.username}"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--from", "2026-13-01"], "--from: '2026-13-01' is not a date (YYYY-MM-DD)"),
        (["--from", "demain"], "--from: 'demain' is not a date"),
        (["--days", "0"], "--days: 0 is not a number of days from 1 to 731"),
        (["--days", "trois"], "--days: 'trois' is not a whole number of days"),
        (["--days", "100000"], "--days: 100000 is not a number of days"),
        (["--as", "personne"], "--as: no active account 'personne'"),
        (["--as", "promoter"], "--as: "),
    ],
)
def test_the_cli_names_a_bad_flag_and_writes_nothing(demo_path, tmp_path, run_cli, flags, message):
    out = tmp_path / "agenda.ics"
    if flags == ["--as", "promoter"]:
        with store.connect(demo_path) as db:
            flags = ["--as", store.find(db, Account, "role = ?", ["promoter"])[0].username]
    status, stdout, err = run_cli(
        "documents", "calendar", *flags, "--out", str(out), "--db", str(demo_path)
    )
    assert status == 2
    assert message in err
    assert not out.exists() and "wrote" not in stdout


def test_an_empty_database_gives_a_valid_calendar_with_no_event(tmp_path, run_cli, monkeypatch):
    import io

    path = tmp_path / "empty.db"
    assert run_cli("db", "init", "--db", str(path))[0] == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("une longue phrase\n"))
    status, _, err = run_cli(
        "users", "add", "c.martin", "--name", "Claire Martin", "--role", "animator",
        "--password-stdin", "--db", str(path),
    )  # fmt: skip
    assert status == 0, err
    out = tmp_path / "vide.ics"
    status, _, err = run_cli("documents", "calendar", "--out", str(out), "--db", str(path))
    assert status == 0, err
    calendar = Calendar.from_ical(out.read_bytes())
    assert events_of(out.read_bytes()) == []
    assert calendar.walk("VTIMEZONE") and str(calendar["version"]) == "2.0"

"""The collective documents: the week's programme for the noticeboard and the council minutes.

Read back as a person would (the PDF's text): large type and French dates, first
names only when the habitat allows them and never a surname, each role's scope,
hostile text shown as text, an empty database, and the command line.
"""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime, timedelta

import pytest

from habitat import demo, store
from habitat.documents.council_minutes import CouncilMinutes, council_minutes_html
from habitat.documents.render import Format, clean, pdf
from habitat.documents.week_programme import (
    ProgrammeActivity,
    ProgrammeBooking,
    ProgrammePresence,
    WeekProgramme,
    first_name,
    week_programme_html,
    week_title,
)
from habitat.services import documents
from habitat.services.access import Forbidden, user_of
from habitat.store import audit
from habitat.store.entities import (
    Account,
    Booking,
    CouncilDecision,
    CouncilMeeting,
    DecisionStatus,
    Habitat,
    PresenceRole,
    Resident,
    Role,
)

MONDAY = date(2026, 12, 7)
#: The roles that open the collective screen (the programme) and the council screen.
PROGRAMME_ROLES = {Role.ANIMATOR, Role.HOST, Role.RESIDENT}
MINUTES_ROLES = {Role.ANIMATOR, Role.HOST}


def _flat(text: str) -> str:
    return " ".join(text.split())


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time()).replace(
        hour=hour, minute=minute
    )


def _programme(first_names: bool, **changes) -> WeekProgramme:
    values = dict(
        habitat_name="La Maison des Tilleuls",
        monday=MONDAY,
        first_names=first_names,
        activities=[
            ProgrammeActivity(_at(0, 14, 30), _at(0, 16), "Atelier pâtisserie", "Cuisine"),
            ProgrammeActivity(_at(2, 10), _at(2, 12), "Sortie au marché", "Marché couvert"),
            ProgrammeActivity(_at(3, 15), _at(3, 17), "Loto", "Salon", cancelled=True),
        ],
        bookings=[
            ProgrammeBooking(_at(1, 18), _at(1, 21), "Salon", "Anniversaire", "Jeanne Dupuis"),
            ProgrammeBooking(_at(4, 10), _at(4, 11), "Buanderie", None, None),
        ],
        presence=[
            ProgrammePresence(_at(0, 9), _at(0, 17), PresenceRole.ANIMATOR, "Christine Caron"),
            ProgrammePresence(
                _at(0, 21), _at(1, 7), PresenceRole.NIGHT_WATCH, "Veille de nuit mutualisée"
            ),
            ProgrammePresence(
                _at(1, 14), _at(1, 16), PresenceRole.FAMILY, "Isabelle Ferreira (mère de Quentin)"
            ),
            ProgrammePresence(_at(5, 8), _at(5, 13), PresenceRole.PROVIDER, "Pascal Guérin (SAAD)"),
        ],
        printed_on=date(2026, 12, 3),
    )
    return WeekProgramme(**(values | changes))


# --- The week's programme: the renderer -----------------------------------------------


def test_programme_prints_each_day_in_french_in_large_type(read_pdf):
    html_page = week_programme_html(_programme(False))
    assert "font-size: 17pt" in html_page and "font-size: 24pt" in html_page
    text = _flat(read_pdf(pdf(html_page)))
    for expected in (
        "Programme de la semaine",
        "Semaine du lundi 7 au dimanche 13 décembre 2026",
        "Lundi 7 décembre",
        "Mercredi 9 décembre",
        "Dimanche 13 décembre",
        "14h30 – 16h Atelier pâtisserie Cuisine",
        "Sortie au marché",
        "ANNULÉ",
        "Anniversaire",
        "Réservé",
        "Présence dans la maison",
        "Animateur·rice",
        "21h – 7h (lendemain)",
        "Rien de prévu",
    ):
        assert expected in text, expected


def test_without_the_setting_the_programme_names_nobody(read_pdf):
    text = read_pdf(pdf(week_programme_html(_programme(False))))
    for name in ("Jeanne", "Dupuis", "Christine", "Caron", "Isabelle", "Ferreira", "Quentin"):
        assert name not in text, name
    assert "Pascal" not in text and "Guérin" not in text


def test_with_the_setting_first_names_of_staff_and_bookers_never_a_surname(read_pdf):
    text = _flat(read_pdf(pdf(week_programme_html(_programme(True)))))
    assert "Animateur·rice : Christine" in text
    assert "Anniversaire (Jeanne)" in text
    assert "Intervenant : Pascal" in text
    for surname in ("Dupuis", "Caron", "Ferreira", "Guérin", "SAAD"):
        assert surname not in text, surname
    # A relative on the rota is named by role only; a collective name is no first name.
    assert "Isabelle" not in text and "Quentin" not in text
    assert "Proche" in text and "Veille de nuit :" not in text


@pytest.mark.parametrize(
    ("typed", "role", "expected"),
    [
        ("Christine Caron", PresenceRole.ANIMATOR, "Christine"),
        ("Marie-Claire Dupont (bénévole)", PresenceRole.VOLUNTEER, "Marie-Claire"),
        ("Veille de nuit mutualisée", PresenceRole.NIGHT_WATCH, None),
        ("Mme Durand", PresenceRole.OTHER, None),
        ("(SAAD)", PresenceRole.PROVIDER, None),
        ("", None, None),
        (None, None, None),
    ],
)
def test_first_name_is_the_first_word_never_a_title_or_a_role(typed, role, expected):
    assert first_name(typed, role=role) == expected


def test_an_empty_week_says_nothing_is_planned(read_pdf):
    html_page = week_programme_html(WeekProgramme("Habitat vide", MONDAY))
    assert html_page.count("Rien de prévu") == 7
    assert "Rien de prévu" in read_pdf(pdf(html_page))


@pytest.mark.parametrize(
    ("monday", "title"),
    [
        (date(2026, 11, 30), "Semaine du lundi 30 novembre au dimanche 6 décembre 2026"),
        (date(2026, 12, 28), "Semaine du lundi 28 décembre 2026 au dimanche 3 janvier 2027"),
    ],
)
def test_a_week_across_months_or_years_names_both(monday, title):
    assert week_title(monday) == title


# --- Hostile text ---------------------------------------------------------------------

HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</style><b>gras</b>",
    "Nul\x00 Bell\x07 Esc\x1b[31m Del\x7f C1\x85\x9b fin",
    "Anticonstitutionnellement" * 20,
    "مرحبا بالجميع في البيت",
    "Fête 🎉👵🏽 du quartier",
]


def _check_text_only(html_page: str, payload: str, read_pdf) -> None:
    body = html_page.split("</style>", 1)[1]
    assert "<script" not in body.lower()
    assert "<img" not in body and "<b>" not in body
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in html_page)
    assert "\x7f" not in html_page and "\x85" not in html_page
    text = read_pdf(pdf(html_page))
    if clean(payload).isascii():  # glyphs missing from the font (emoji) read back oddly
        assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
    visible = clean(payload).split()[0][:12]
    if visible.isascii():  # RTL and emoji glyphs may be extracted differently
        assert visible in text.replace("\n", "")


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_the_programme_is_shown_as_text(payload, read_pdf):
    programme = _programme(
        True,
        habitat_name=payload,
        activities=[ProgrammeActivity(_at(0, 10), _at(0, 11), payload, payload)],
        bookings=[ProgrammeBooking(_at(1, 10), _at(1, 11), payload, payload, payload)],
        presence=[ProgrammePresence(_at(2, 9), _at(2, 10), PresenceRole.OTHER, payload)],
    )
    _check_text_only(week_programme_html(programme), payload, read_pdf)


def _meeting(**changes) -> CouncilMeeting:
    values = dict(
        id=1,
        habitat_id=1,
        held_on=date(2026, 12, 1),
        agenda="1. Budget des animations\n2. Fête de fin d'année",
        minutes="Échanges nourris ; la fête aura lieu le 19 décembre.",
        others_present="Christine Caron (animatrice)",
        attendee_ids=[1, 2],
    )
    return CouncilMeeting.model_construct(**(values | changes))


def _decision(**changes) -> CouncilDecision:
    values = dict(
        meeting_id=1,
        text="Acheter un second lave-linge.",
        owner="Olivier Deschamps",
        due_on=date(2027, 1, 15),
        status=DecisionStatus.IN_PROGRESS,
        follow_up="Devis demandé.",
        done_on=None,
    )
    return CouncilDecision.model_construct(**(values | changes))


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_in_the_minutes_is_shown_as_text(payload, read_pdf):
    minutes = CouncilMinutes(
        habitat_name=payload,
        address=payload,
        meeting=_meeting(agenda=payload, minutes=payload, others_present=payload),
        attendees=[payload],
        decisions=[_decision(text=payload, owner=payload, follow_up=payload)],
    )
    _check_text_only(council_minutes_html(minutes), payload, read_pdf)


# --- The council minutes: the renderer ------------------------------------------------


def test_minutes_print_attendees_agenda_decisions_and_signatures(read_pdf):
    minutes = CouncilMinutes(
        habitat_name="La Maison des Tilleuls",
        address="14 rue des Tilleuls, Saintes",
        meeting=_meeting(),
        attendees=["Yvette Aubry", "Gilbert Roux"],
        decisions=[
            _decision(),
            _decision(
                text="Afficher le planning de la cuisine.",
                owner=None,
                due_on=None,
                status=DecisionStatus.DONE,
                follow_up=None,
                done_on=date(2026, 12, 2),
            ),
        ],
        printed_on=date(2026, 12, 3),
    )
    text = _flat(read_pdf(pdf(council_minutes_html(minutes))))
    for expected in (
        "Conseil des habitants du mardi 1 décembre 2026",
        "14 rue des Tilleuls, Saintes",
        "Gilbert Roux, Yvette Aubry",
        "Christine Caron (animatrice)",
        "Budget des animations",
        "Fête de fin d'année",
        "Échanges nourris",
        "Acheter un second lave-linge.",
        "Olivier Deschamps",
        "15/01/2027",
        "en cours",
        "Devis demandé.",
        "faite le 02/12/2026",
        "non renseigné",
        "Le ou la président·e de séance",
        "Le ou la secrétaire de séance",
        "L'animateur·rice",
    ):
        assert expected in text, expected


def test_minutes_without_decision_or_attendee_still_print(read_pdf):
    minutes = CouncilMinutes("Habitat", "1 rue X", _meeting(minutes=None, others_present=None))
    text = _flat(read_pdf(pdf(council_minutes_html(minutes))))
    assert "Aucune décision n'a été prise" in text
    assert "Pas de compte rendu rédigé" in text
    assert "Habitants présents (0) aucun" in text


# --- The services, on the demo: each role's scope ------------------------------------


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build(path)
    return path


@pytest.fixture
def demo_path(demo_template, tmp_path):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def db(demo_path):
    with store.connect(demo_path) as conn:
        yield conn


@pytest.fixture
def users(db):
    return {a.role: user_of(db, a) for a in store.find(db, Account)}


def _busy_monday(db) -> date:
    """The Monday of the demo's week with the most residents booking a space."""
    weeks: dict[date, set[int]] = {}
    for booking in store.find(db, Booking):
        day = booking.starts_at.date()
        weeks.setdefault(day - timedelta(days=day.weekday()), set()).add(booking.resident_id)
    return max(weeks, key=lambda monday: (len(weeks[monday]), monday))


def _set_first_names(db, on: bool) -> None:
    habitat = store.find(db, Habitat)[0]
    db["habitat"].update(habitat.id, {"noticeboard_first_names": int(on)})


@pytest.mark.parametrize("first_names", [False, True])
@pytest.mark.parametrize("role", list(Role))
def test_programme_in_each_roles_scope_never_a_surname(db, users, read_pdf, role, first_names):
    user = users[role]
    habitat = store.find(db, Habitat)[0]
    _set_first_names(db, first_names)
    monday = _busy_monday(db)
    if role not in PROGRAMME_ROLES:
        with pytest.raises(Forbidden):
            documents.week_programme(db, user, habitat.id, monday)
        return
    document = documents.week_programme(db, user, habitat.id, monday, Format.PDF)
    assert document.filename == f"programme-semaine-{monday.isoformat()}.pdf"
    text = _flat(read_pdf(document.content))
    assert "Programme de la semaine" in text
    residents = store.find(db, Resident)
    for resident in residents:
        assert resident.last_name not in text, (role, resident.last_name)
        named = f"({resident.first_name})" in text
        may_name = first_names and (role is not Role.RESIDENT or resident.id == user.resident_id)
        if not may_name:
            assert not named, (role, resident.first_name)
    bookers = {b.resident_id for b in store.find(db, Booking)} - {None}
    shown = [r for r in residents if f"({r.first_name})" in text]
    if first_names and role is not Role.RESIDENT:
        assert len(shown) >= 2, "the busy week names its bookers"
        assert {r.id for r in shown} <= bookers
    if not first_names:
        assert " : " not in text.split("Présence dans la maison", 1)[-1]


def test_a_resident_sees_others_bookings_as_reserved_only(db, users, read_pdf):
    resident = users[Role.RESIDENT]
    monday = _busy_monday(db)
    mine = documents.week_programme(db, resident, resident.habitat_id, monday)
    team = documents.week_programme(db, users[Role.ANIMATOR], resident.habitat_id, monday)
    week = [
        b
        for b in store.find(db, Booking)
        if monday <= b.starts_at.date() < monday + timedelta(days=7)
    ]
    others = {b.purpose for b in week if b.resident_id != resident.resident_id}
    own = {b.purpose for b in week if b.resident_id == resident.resident_id}
    team_text, my_text = _flat(read_pdf(team.content)), _flat(read_pdf(mine.content))
    assert "Réservé" in my_text
    for purpose in others - own:
        assert purpose in team_text and purpose not in my_text, purpose


def test_programme_is_audited_only_when_it_carries_first_names(db, users):
    animator = users[Role.ANIMATOR]
    habitat_id = animator.habitat_id
    before = len(audit.history(db, "habitat", habitat_id))
    documents.week_programme(db, animator, habitat_id, MONDAY)
    assert len(audit.history(db, "habitat", habitat_id)) == before
    _set_first_names(db, True)
    document = documents.week_programme(db, animator, habitat_id, MONDAY, "html")
    entries = audit.history(db, "habitat", habitat_id)
    assert len(entries) == before + 1
    assert entries[-1].action == audit.Action.PRINT
    assert entries[-1].after == {"document": document.filename}


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("2026-13-01", "week: '2026-13-01' is not a date"),
        ("demain", "week: 'demain' is not a date"),
        (date(1899, 1, 2), "week: 1899-01-02 is out of bounds"),
        (date(2101, 6, 1), "week: 2101-06-01 is out of bounds"),
        (42, "week: 42 is not a date"),
    ],
)
def test_a_bad_week_is_refused_naming_the_field(db, users, week, message):
    animator = users[Role.ANIMATOR]
    with pytest.raises(documents.BadWeek) as refusal:
        documents.week_programme(db, animator, animator.habitat_id, week)
    assert str(refusal.value).startswith(message)
    assert refusal.value.field == "week" and "Semaine" in refusal.value.message_fr


def test_any_day_gives_its_weeks_programme(db, users):
    animator = users[Role.ANIMATOR]
    sunday = MONDAY + timedelta(days=6)
    document = documents.week_programme(db, animator, animator.habitat_id, sunday, "html")
    assert document.filename == f"programme-semaine-{MONDAY.isoformat()}.html"
    assert "Semaine du lundi 7 au dimanche 13 décembre 2026" in document.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_minutes_in_each_roles_scope_audited(db, users, read_pdf, role):
    user = users[role]
    habitat = store.find(db, Habitat)[0]
    meeting = next(m for m in store.find(db, CouncilMeeting, order_by="held_on") if m.attendee_ids)
    if role not in MINUTES_ROLES:
        with pytest.raises(Forbidden):
            documents.council_minutes(db, user, habitat.id, meeting.id)
        return
    before = len(audit.history(db, "council_meeting", meeting.id))
    document = documents.council_minutes(db, user, habitat.id, meeting.id)
    text = _flat(read_pdf(document.content))
    residents = {r.id: r for r in store.find(db, Resident, include_archived=True)}
    for rid, resident in residents.items():
        if rid in meeting.attendee_ids:
            assert resident.full_name in text, resident.full_name
        else:
            assert resident.full_name not in text, resident.full_name
    decisions = store.find(db, CouncilDecision, "meeting_id = ?", [meeting.id])
    for decision in decisions:
        assert _flat(decision.text)[:30] in text
    entries = audit.history(db, "council_meeting", meeting.id)
    assert len(entries) == before + 1 and entries[-1].action == audit.Action.PRINT


@pytest.mark.parametrize("meeting_id", [9999, 0, -1, "2", True])
def test_an_unknown_meeting_is_refused_naming_it(db, users, meeting_id):
    animator = users[Role.ANIMATOR]
    with pytest.raises(documents.NoSuchMeeting) as refusal:
        documents.council_minutes(db, animator, animator.habitat_id, meeting_id)
    assert str(refusal.value).startswith("meeting:")


# --- The command line, and from an empty database -------------------------------------


def test_cli_writes_the_week_and_the_minutes(demo_path, run_cli, tmp_path, read_pdf):
    with store.connect(demo_path) as db:
        meeting = store.find(db, CouncilMeeting, order_by="held_on")[0]
    out = tmp_path / "week.pdf"
    code, _, err = run_cli(
        "documents", "week", "--week", "2026-06-10", "--out", str(out), "--db", str(demo_path)
    )
    assert code == 0, err
    assert out.read_bytes().startswith(b"%PDF")
    assert "lundi 8 au dimanche 14 juin 2026" in _flat(read_pdf(out.read_bytes()))
    html_out = tmp_path / "minutes.html"
    code, _, err = run_cli(
        "documents",
        "council",
        str(meeting.id),
        "--format",
        "html",
        "--out",
        str(html_out),
        "--db",
        str(demo_path),
    )
    assert code == 0, err
    assert "Conseil des habitants du" in html_out.read_text()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["week", "--week", "2026-02-30"], "--week: '2026-02-30' is not a date"),
        (["week", "--week", "1850-01-01"], "--week: 1850-01-01 is out of bounds"),
        (["council", "9999"], "MEETING: no council meeting '9999'"),
        (["council", "abc"], "MEETING: 'abc' is not a meeting id"),
        (["council", "1", "--as", "l.brunet"], "--as: resident may not open council"),
        (["week", "--as", "p.saintes"], "--as: this account is tied to no habitat"),
    ],
)
def test_cli_bad_input_says_which_and_writes_nothing(demo_path, run_cli, tmp_path, args, message):
    out = tmp_path / "x.pdf"
    code, _, err = run_cli("documents", *args, "--out", str(out), "--db", str(demo_path))
    assert code == 2
    assert message in err
    assert not out.exists()


MINIMAL_HABITAT = "habitat: {name: Habitat vide, host_organisation: Asso, address: 1 rue X}\n"


def test_from_an_empty_database_nothing_planned_and_a_meeting_without_decision(
    tmp_path, run_cli, monkeypatch, read_pdf
):
    path = tmp_path / "habitat.db"
    assert run_cli("db", "init", "--db", str(path))[0] == 0
    setup_file = tmp_path / "habitat.yaml"
    setup_file.write_text(MINIMAL_HABITAT + "dwellings: 2\n")
    code, _, err = run_cli("setup", "--from", str(setup_file), "--db", str(path))
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("une longue phrase\n"))
    code, _, err = run_cli(
        "users", "add", "c.martin", "--name", "Claire Martin", "--role", "animator",
        "--password-stdin", "--db", str(path),
    )  # fmt: skip
    assert code == 0, err

    week = tmp_path / "week.pdf"
    code, _, err = run_cli("documents", "week", "--out", str(week), "--db", str(path))
    assert code == 0, err
    text = _flat(read_pdf(week.read_bytes()))
    assert text.count("Rien de prévu") == 7
    assert "Présence dans la maison" not in text

    with store.connect(path) as db:
        habitat = store.find(db, Habitat)[0]
        meeting = store.add(
            db,
            "test",
            CouncilMeeting(
                habitat_id=habitat.id, held_on=date(2026, 12, 1), agenda="Questions diverses"
            ),
        )
    minutes = tmp_path / "minutes.pdf"
    code, _, err = run_cli(
        "documents", "council", str(meeting.id), "--out", str(minutes), "--db", str(path)
    )
    assert code == 0, err
    text = _flat(read_pdf(minutes.read_bytes()))
    assert "Aucune décision n'a été prise" in text
    assert "Habitants présents (0) aucun" in text

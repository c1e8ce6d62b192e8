"""Vie collective: calendar, attendance, participation, bookings, house rules and the PVSP."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from habitat import store
from habitat.services import collective, records
from habitat.services.access import Forbidden, Screen, user_of
from habitat.store import queries
from habitat.store.entities import (
    Account,
    Activity,
    Attendance,
    Booking,
    CommonSpace,
    Habitat,
    HouseRule,
    Presence,
    Registration,
    Resident,
    Role,
    SharedLifeProject,
)
from habitat.store.queries_collective import MonthlyAttendance
from tests.documents.conftest import pdf_text

from .conftest import TODAY, texts
from .field_errors import error_under
from .test_providers import next_after


def _submit(app, label: str):
    button = next(b for b in app.get("form_submit_button") if b.label == label)
    return button.click().run()


def _open(app, tab: str):
    """Switch to a tab (only the open tab's content runs) and rerun."""
    app.session_state["collective.tab"] = tab
    return app.run()


def _count(demo_db, model, where=None, params=()) -> int:
    with store.connect(demo_db) as db:
        return len(store.find(db, model, where, params, include_archived=True))


@pytest.fixture
def fresh_activity(demo_db) -> Activity:
    """An activity late today, nobody's attendance recorded yet."""
    with store.connect(demo_db) as db:
        return store.create(
            db,
            "test",
            Activity,
            {
                "habitat_id": 1,
                "title": "Atelier tricot",
                "category": "workshop",
                "starts_at": datetime.combine(TODAY, time(22, 0)),
                "ends_at": datetime.combine(TODAY, time(23, 0)),
                "place": "outside",
                "location": "Médiathèque",
            },
        )


@pytest.fixture
def tomorrow_activity(demo_db) -> Activity:
    """An activity tomorrow afternoon (signing up does not depend on the hour tests run)."""
    with store.connect(demo_db) as db:
        return store.create(
            db,
            "test",
            Activity,
            {
                "habitat_id": 1,
                "title": "Atelier tricot",
                "category": "workshop",
                "starts_at": datetime.combine(TODAY + timedelta(days=1), time(15, 0)),
                "ends_at": datetime.combine(TODAY + timedelta(days=1), time(16, 0)),
                "place": "outside",
                "location": "Médiathèque",
            },
        )


def _current(demo_db) -> list[Resident]:
    with store.connect(demo_db) as db:
        return queries.current_residents(db, 1, TODAY)


def test_calendar_lists_the_week_and_navigates(page_as, demo_db):
    app = page_as(Screen.COLLECTIVE, Role.ANIMATOR)
    assert not app.exception
    assert "Semaine du lundi 29 juin 2026 au dimanche 5 juillet 2026" in texts(app)
    week = app.dataframe[0].value
    with store.connect(demo_db) as db:
        expected = store.find(
            db,
            Activity,
            "starts_at >= '2026-06-29' AND starts_at < '2026-07-06'",
            order_by="starts_at",
        )
    assert list(week["Activité"]) == [a.title for a in expected]
    app = app.button(key="collective.week.back").click().run()
    assert "Semaine du lundi 22 juin 2026" in texts(app)
    past = app.dataframe[0].value
    assert all("/" in v for v in past["Présents"]), "past activities show who came"


def test_animator_creates_an_activity(page_as, demo_db):
    before = _count(demo_db, Activity)
    app = page_as(Screen.COLLECTIVE, Role.ANIMATOR)
    app.text_input(key="activity.new.title").input("Loto du test")
    app.date_input(key="activity.new.day").set_value(date(2026, 7, 8))
    app.selectbox(key="activity.new.space_id").select(2)
    app = _submit(app, "Ajouter l'activité")
    assert not app.exception
    assert "Activité ajoutée au calendrier." in texts(app)
    assert _count(demo_db, Activity) == before + 1
    with store.connect(demo_db) as db:
        loto = store.find(db, Activity, "title = 'Loto du test'")[0]
    assert loto.starts_at == datetime(2026, 7, 8, 14, 0) and loto.space_id == 2


def test_activity_clashing_with_a_space_use_is_refused(page_as, demo_db):
    with store.connect(demo_db) as db:
        taken = store.find(db, Activity, "space_id IS NOT NULL AND starts_at > '2026-07-01'")[0]
    before = _count(demo_db, Activity)
    app = page_as(Screen.COLLECTIVE, Role.ANIMATOR)
    app.text_input(key="activity.new.title").input("Chorale")
    app.date_input(key="activity.new.day").set_value(taken.starts_at.date())
    app.time_input(key="activity.new.start").set_value(taken.starts_at.time())
    app.time_input(key="activity.new.end").set_value(taken.ends_at.time())
    app.selectbox(key="activity.new.space_id").select(taken.space_id)
    app = _submit(app, "Ajouter l'activité")
    assert not app.exception
    assert "l'espace est déjà réservé" in next_after(app, "activity.new.end")
    assert _count(demo_db, Activity) == before


def test_taking_attendance_writes_one_row_per_resident_and_retaking_updates(
    page_as, demo_db, fresh_activity
):
    residents = _current(demo_db)
    form = f"attendance.{fresh_activity.id}"
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Présences")
    assert app.selectbox(key="collective.attendance.activity").value == fresh_activity.id
    controls = {r.id: app.button_group(key=f"{form}.{r.id}") for r in residents}
    assert all(c.value is None for c in controls.values()), "nothing recorded yet"
    # One tap for everyone, then the exceptions.
    app = app.button(key=f"{form}:all").click().run()
    first, second, *rest = residents
    app.button_group(key=f"{form}.{first.id}").select("absent")
    app.button_group(key=f"{form}.{second.id}").select("excused")
    app = _submit(app, "Enregistrer les présences")
    assert not app.exception
    assert "Présences enregistrées" in texts(app)
    with store.connect(demo_db) as db:
        rows = {
            a.resident_id: a
            for a in store.find(db, Attendance, "activity_id = ?", [fresh_activity.id])
        }
        audited = store.history(db, "attendance")
    assert set(rows) == {r.id for r in residents}
    assert rows[first.id].status is Presence.ABSENT
    assert rows[second.id].status is Presence.EXCUSED
    assert all(rows[r.id].status is Presence.PRESENT for r in rest)
    assert {e.entity_id for e in audited if e.action == "create"} >= {a.id for a in rows.values()}

    # Taken again: the form shows what was recorded, a change updates the row.
    assert app.button_group(key=f"{form}.{first.id}").value == "absent"
    app.button_group(key=f"{form}.{first.id}").select("present")
    app = _submit(app, "Enregistrer les présences")
    assert not app.exception
    with store.connect(demo_db) as db:
        again = store.find(db, Attendance, "activity_id = ?", [fresh_activity.id])
    assert len(again) == len(residents), "no duplicate rows"
    assert {a.resident_id: a.status for a in again}[first.id] is Presence.PRESENT
    assert {a.resident_id: a.version for a in again}[first.id] == 2


def test_attendance_taken_meanwhile_by_someone_else_is_a_conflict(page_as, demo_db, fresh_activity):
    resident = _current(demo_db)[0]
    form = f"attendance.{fresh_activity.id}"
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Présences")
    with store.connect(demo_db) as db:
        store.create(
            db,
            "animator:other",
            Attendance,
            {"activity_id": fresh_activity.id, "resident_id": resident.id, "status": "excused"},
        )
    app.button_group(key=f"{form}.{resident.id}").select("present")
    app = _submit(app, "Enregistrer les présences")
    assert any("modifiée" in str(w.value) for w in app.warning)
    with store.connect(demo_db) as db:
        rows = store.find(db, Attendance, "activity_id = ?", [fresh_activity.id])
    assert [(r.resident_id, r.status) for r in rows] == [(resident.id, Presence.EXCUSED)]


def test_participation_shows_the_resident_left_out(page_as):
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Participation")
    table = next(d.value for d in app.dataframe if "Taux de présence (%)" in d.value.columns)
    flagged = table[table["Participation"] != ""]
    assert list(flagged["Habitant"]) == ["Hugo Maillard"]
    assert table.iloc[0]["Habitant"] == "Hugo Maillard", "lowest rate first"
    assert any("Hugo Maillard" in str(w.value) for w in app.warning)
    assert app.get("vega_lite_chart")


def test_resident_sees_the_calendar_and_only_their_own_participation(page_as, demo_db, accounts):
    me = accounts[Role.RESIDENT].resident_id
    app = page_as(Screen.COLLECTIVE, Role.RESIDENT)
    assert not app.exception
    assert [t.label for t in app.tabs] == [
        "Les activités",
        "Calendrier des activités",
        "Ma participation",
        "Les règles de la maison",
    ]
    assert not app.get("form_submit_button"), "no write form"
    assert [g.key for g in app.get("button_group")] == ["collective.my_signups"]
    app = _open(app, "Calendrier des activités")
    with store.connect(demo_db) as db:
        others = [r for r in store.find(db, Resident, include_archived=True) if r.id != me]
        mine = store.get(db, Resident, me)
    calendar = app
    assert calendar.dataframe, "the week's activities are shown"
    app = _open(app, "Ma participation")
    assert not app.exception
    for page in (calendar, app):
        shown = texts(page) + "\n".join(d.value.to_csv() for d in page.dataframe)
        charts = b"".join(c.proto.SerializeToString() for c in page.get("vega_lite_chart"))
        for other in others:
            assert other.last_name not in shown, other.full_name
            assert other.full_name.encode() not in charts, other.full_name
    participation = next(
        d.value for d in app.dataframe if "Taux de présence (%)" in d.value.columns
    )
    assert list(participation["Habitant"]) == [mine.full_name]


def test_host_reads_everything_without_forms(page_as, demo_db, accounts):
    app = page_as(Screen.COLLECTIVE, Role.HOST)
    assert not app.exception
    assert len(app.tabs) == 5
    for tab in [t.label for t in app.tabs]:
        app = _open(app, tab)
        assert not app.exception
        assert not app.get("form_submit_button"), tab
        assert not app.get("button_group"), tab
    with store.connect(demo_db) as db:
        host = user_of(db, accounts[Role.HOST])
        with pytest.raises(Forbidden):
            collective.take_attendance(db, host, 1, {1: "present"}, {})
        with pytest.raises(Forbidden):
            records.create(
                db,
                host,
                Booking,
                {
                    "space_id": 1,
                    "booked_by": "x",
                    "purpose": "y",
                    "starts_at": datetime(2026, 7, 20, 9),
                    "ends_at": datetime(2026, 7, 20, 10),
                },
            )


def test_booking_is_stored(page_as, demo_db):
    before = _count(demo_db, Booking)
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Réservations des espaces")
    app.selectbox(key="booking.new.space_id").select(4)
    app.text_input(key="booking.new.booked_by").input("Mme Aubry")
    app.text_input(key="booking.new.purpose").input("Lessive")
    app.date_input(key="booking.new.day").set_value(date(2026, 7, 20))
    app.time_input(key="booking.new.start").set_value(time(6, 0))
    app.time_input(key="booking.new.end").set_value(time(7, 0))
    app = _submit(app, "Réserver")
    assert not app.exception
    assert "Réservation enregistrée." in texts(app)
    assert _count(demo_db, Booking) == before + 1


def test_booking_clash_is_refused_with_its_french_message(page_as, demo_db):
    with store.connect(demo_db) as db:
        spaces = {s.id for s in store.find(db, CommonSpace)}
        taken = store.find(db, Booking, "starts_at > '2026-06-30'", order_by="starts_at", limit=1)[
            0
        ]
    assert taken.space_id in spaces
    before = _count(demo_db, Booking)
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Réservations des espaces")
    app.selectbox(key="booking.new.space_id").select(taken.space_id)
    app.text_input(key="booking.new.booked_by").input("Animatrice")
    app.text_input(key="booking.new.purpose").input("Réunion des familles")
    app.date_input(key="booking.new.day").set_value(taken.starts_at.date())
    app.time_input(key="booking.new.start").set_value(taken.starts_at.time())
    app.time_input(key="booking.new.end").set_value(taken.ends_at.time())
    app = _submit(app, "Réserver")
    assert not app.exception
    message = next_after(app, "booking.new.end")
    assert message.startswith("Début : l'espace est déjà réservé de "), message
    assert taken.purpose in message
    assert _count(demo_db, Booking) == before, "nothing written"
    assert app.text_input(key="booking.new.purpose").value == "Réunion des familles"


def test_booking_without_purpose_shows_the_message_under_the_field(page_as, demo_db):
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Réservations des espaces")
    app.text_input(key="booking.new.booked_by").input("Animatrice")
    app = _submit(app, "Réserver")
    assert next_after(app, "booking.new.purpose") == "Objet : ne peut pas être vide"


def test_new_version_of_a_house_rule_keeps_the_old_one_in_history(page_as, demo_db):
    with store.connect(demo_db) as db:
        rule = store.find(db, HouseRule, "title = 'Calme'")[0]
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Règles de vie et projet")
    app = app.selectbox(key="house_rule.replaces").select(rule.id).run()
    form = f"house_rule.{rule.id}"
    assert app.text_input(key=f"{form}.title").value == "Calme"
    app.text_area(key=f"{form}.text").input("Silence de 22 h à 7 h.")
    app.text_input(key=f"{form}.adopted_by").input("Conseil des habitants")
    app = _submit(app, "Adopter")
    assert not app.exception
    with store.connect(demo_db) as db:
        current = store.find(db, HouseRule, "title = 'Calme'")
        assert [r.text for r in current] == ["Silence de 22 h à 7 h."]
        assert store.get(db, HouseRule, rule.id).archived_at is not None
    history = next(d.value for d in app.dataframe if "Remplacée le" in d.value.columns)
    assert rule.text in set(history["Texte"])


def test_animator_adopts_a_new_version_of_the_project(page_as, demo_db):
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Règles de vie et projet")
    assert app.number_input(key="project.new.number").value == 3
    app.text_area(key="project.new.text").input("Version 3 : <b>ensemble</b>")
    app.text_input(key="project.new.adopted_by").input("Conseil des habitants")
    app = _submit(app, "Adopter cette version")
    assert not app.exception
    assert "Version 3, adoptée le 30/06/2026" in texts(app)
    with store.connect(demo_db) as db:
        assert len(store.find(db, SharedLifeProject)) == 3


def test_participation_rule_flags_the_left_out():
    monthly = [
        MonthlyAttendance(1, "2026-01", 8, 0, 10),
        MonthlyAttendance(2, "2026-01", 6, 1, 10),
        MonthlyAttendance(3, "2026-01", 2, 1, 10),
    ]
    rows = collective.participation(monthly, [1, 2, 3, 4])
    assert [(p.resident_id, p.low) for p in rows] == [
        (4, True),  # nothing recorded at all
        (3, True),  # 20 %, under half the median (60 %)
        (2, False),
        (1, False),
    ]
    # A resident who arrived less than four weeks ago is listed, never flagged.
    rows = collective.participation(monthly, [1, 2, 3, 4], newcomers=[4])
    assert dict((p.resident_id, p.low) for p in rows)[4] is False
    arrivals = {4: date(2026, 6, 3), 5: date(2026, 6, 2), 6: date(2025, 1, 1)}
    assert collective.newcomers(arrivals, date(2026, 6, 30)) == {4}  # 27 days; 28 is not new
    assert collective.participation_window(date(2026, 6, 30)) == (
        date(2025, 7, 1),
        date(2026, 7, 1),
    )
    assert len(collective.month_keys(*collective.participation_window(TODAY))) == 12


def test_an_activity_to_come_is_moved_then_cancelled_with_its_reason(
    page_as, demo_db, fresh_activity
):
    form = f"activity.{fresh_activity.id}"
    app = page_as(Screen.COLLECTIVE, Role.ANIMATOR)
    app.selectbox(key="activity.pick").select(fresh_activity.id)
    app = app.run()
    assert app.text_input(key=f"{form}.title").value == "Atelier tricot"
    app.text_input(key=f"{form}.title").input("Atelier tricot et thé")
    app.time_input(key=f"{form}.start").set_value(time(21, 0))
    app = _submit(app, "Enregistrer les modifications")

    assert not app.exception
    assert "Activité modifiée : Atelier tricot et thé." in texts(app)
    with store.connect(demo_db) as db:
        moved = store.get(db, Activity, fresh_activity.id)
    assert (moved.title, moved.starts_at.time(), moved.version) == (
        "Atelier tricot et thé",
        time(21, 0),
        2,
    )

    app.selectbox(key="activity.pick").select(fresh_activity.id)
    app = _submit(app.run(), "Annuler cette activité")
    assert error_under(app, f"activity_cancel.{fresh_activity.id}.cancelled_reason") == (
        "Motif d'annulation : dites pourquoi l'activité est annulée"
        " (le motif s'affiche sur le calendrier)"
    )
    app.text_input(key=f"activity_cancel.{fresh_activity.id}.cancelled_reason").input(
        "Médiathèque fermée"
    )
    app = _submit(app, "Annuler cette activité")

    assert not app.exception
    assert "Activité annulée : Atelier tricot et thé." in texts(app)
    week = app.dataframe[0].value
    assert "Atelier tricot et thé — annulée (Médiathèque fermée)" in list(week["Activité"])
    # A cancelled activity is no longer offered for attendance.
    app = _open(app, "Présences")
    offered = app.selectbox(key="collective.attendance.activity").options
    assert not any("Atelier tricot" in o for o in offered)


def test_an_activity_that_took_place_is_not_offered_for_change(page_as, demo_db):
    with store.connect(demo_db) as db:
        store.create(
            db,
            "test",
            Activity,
            {
                "habitat_id": 1,
                "title": "Marche d'hier",
                "starts_at": datetime(2026, 6, 29, 10, 0),
                "ends_at": datetime(2026, 6, 29, 11, 0),
                "place": "outside",
            },
        )
    app = page_as(Screen.COLLECTIVE, Role.ANIMATOR)
    assert "Marche d'hier" in list(app.dataframe[0].value["Activité"])
    offered = app.selectbox(key="activity.pick").options
    assert offered and not any("Marche d'hier" in o for o in offered)


def test_a_booking_to_come_is_cancelled_and_frees_the_space(page_as, demo_db):
    with store.connect(demo_db) as db:
        coming = store.find(
            db,
            Booking,
            "starts_at >= '2026-06-30' AND starts_at < '2026-07-06'",
            order_by="starts_at",
        )[0]
    app = _open(page_as(Screen.COLLECTIVE, Role.ANIMATOR), "Réservations des espaces")
    app.selectbox(key="booking.cancel.booking").select(coming.id)
    app = _submit(app, "Annuler la réservation")

    assert not app.exception
    assert f"Réservation annulée : {coming.purpose}" in texts(app)
    assert coming.id not in app.selectbox(key="booking.cancel.booking").options
    with store.connect(demo_db) as db:
        assert store.get(db, Booking, coming.id).archived_at is not None
        assert store.history(db, "booking", coming.id)[-1].action == "archive"
        # The space is free again at that time.
        store.create(
            db,
            "test",
            Booking,
            {**coming.model_dump(exclude={"id", "version", "archived_at"}), "purpose": "Autre"},
        )


def test_a_family_member_cannot_cancel_bookings(page_as):
    app = _open(page_as(Screen.COLLECTIVE, Role.RESIDENT), "Réservations des espaces")
    assert not app.exception
    assert not [b for b in app.get("form_submit_button") if b.label == "Annuler la réservation"]


def test_a_resident_signs_up_for_an_activity_then_withdraws(
    page_as, demo_db, accounts, tomorrow_activity
):
    me = accounts[Role.RESIDENT].resident_id
    app = page_as(Screen.COLLECTIVE, Role.RESIDENT)
    assert "Touchez une activité pour vous y inscrire." in texts(app)
    signups = app.button_group(key="collective.my_signups")
    app = signups.select(tomorrow_activity.id).run()

    assert not app.exception, [e.stack_trace for e in app.exception]
    assert "C'est noté : vous êtes inscrit·e à « Atelier tricot »." in texts(app)
    with store.connect(demo_db) as db:
        (registration,) = store.find(db, Registration, "activity_id = ?", [tomorrow_activity.id])
    assert registration.resident_id == me
    assert tomorrow_activity.id in app.button_group(key="collective.my_signups").value
    app = app.button_group(key="collective.my_signups").unselect(tomorrow_activity.id).run()
    assert "vous n'êtes plus inscrit·e à « Atelier tricot »" in texts(app)
    app = app.button_group(key="collective.my_signups").select(tomorrow_activity.id).run()
    with store.connect(demo_db) as db:
        rows = store.find(
            db, Registration, "activity_id = ?", [tomorrow_activity.id], include_archived=True
        )
        actions = [e.action for e in store.history(db, "registration", rows[0].id)]
    assert [r.archived_at for r in rows] == [None], "one row, signed up again"
    assert actions == ["create", "archive", "restore"]
    # The animator sees who signed up, in the calendar and when taking attendance.
    app = page_as(Screen.COLLECTIVE, Role.ANIMATOR)
    week = app.dataframe[0].value
    assert list(week[week["Activité"] == "Atelier tricot"]["Inscrits"]) == [1]


def test_a_resident_signs_up_only_themselves_and_only_for_what_is_to_come(
    demo_db, accounts, tomorrow_activity, monkeypatch
):
    monkeypatch.setenv("HABITAT_TODAY", TODAY.isoformat())
    with store.connect(demo_db) as db:
        resident = user_of(db, store.get(db, Account, accounts[Role.RESIDENT].id))
        other = next(r.id for r in _current(demo_db) if r.id != resident.resident_id)
        before = len(store.find(db, Registration, include_archived=True))
        with pytest.raises(Forbidden):
            collective.sign_up(db, resident, tomorrow_activity.id, other)
        past = store.find(db, Activity, "starts_at < ?", [TODAY.isoformat()], limit=1)[0]
        with pytest.raises(store.InvalidRecord) as refused:
            collective.sign_up(db, resident, past.id, resident.resident_id)
        assert "on ne s'y inscrit plus" in refused.value.message_fr
        assert len(store.find(db, Registration, include_archived=True)) == before


def test_a_resident_reads_the_house_rules_in_plain_words_without_forms(page_as):
    app = _open(page_as(Screen.COLLECTIVE, Role.RESIDENT), "Les règles de la maison")
    assert not app.exception
    assert "Dans la maison, chacun a son logement." in texts(app)
    assert "Règles de vie" in texts(app)
    assert not app.get("form_submit_button")


# --- The week's programme for the noticeboard ---------------------------------------


@pytest.mark.parametrize("role", [Role.ANIMATOR, Role.HOST, Role.RESIDENT])
def test_the_weeks_programme_is_prepared_then_downloaded_as_pdf(page_as, role):
    app = page_as(Screen.COLLECTIVE, role)
    if role is Role.RESIDENT:
        app = _open(app, "Calendrier des activités")
    assert not app.get("download_button")
    app = app.button(key="collective.programme.make").click().run()
    assert not app.exception
    monday, document = app.session_state["collective.programme.ready"]
    assert monday == date(2026, 6, 29)
    assert document.content.startswith(b"%PDF")
    assert document.filename == "programme-semaine-2026-06-29.pdf"
    downloads = app.get("download_button")
    assert [d.proto.label for d in downloads] == [f"Télécharger {document.filename}"]
    assert "Lundi 29 juin" in pdf_text(document.content)
    # Another week shown: the programme prepared for the previous one is not offered.
    app = app.button(key="collective.week.next").click().run()
    assert not app.get("download_button")


def test_the_first_names_setting_is_saved_from_the_habitat_form(page_as, demo_db):
    app = page_as(Screen.SETTINGS, Role.ANIMATOR)
    box = app.checkbox(key="settings.habitat.noticeboard_first_names")
    assert box.label == "Afficher les prénoms sur le programme de la semaine"
    assert box.value is False
    box.check()
    app = _submit(app, "Enregistrer")
    assert not app.exception
    with store.connect(demo_db) as db:
        assert store.find(db, Habitat)[0].noticeboard_first_names is True

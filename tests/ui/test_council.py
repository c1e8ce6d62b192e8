"""Conseil des habitants: meetings, decisions and the follow-up of open decisions."""

from __future__ import annotations

from datetime import date

import pytest

from habitat import store
from habitat.services import records
from habitat.services.access import Forbidden, Screen, user_of
from habitat.store.entities import CouncilDecision, CouncilMeeting, DecisionStatus, Role
from tests.documents.conftest import pdf_text

from .conftest import TODAY, texts
from .test_providers import next_after


def _submit(app, label: str):
    button = next(b for b in app.get("form_submit_button") if b.label == label)
    return button.click().run()


def _text(demo_db, decision_id: int) -> str:
    with store.connect(demo_db) as db:
        return store.get(db, CouncilDecision, decision_id).text


def _follow_up(app):
    return next(d.value for d in app.dataframe if "Retard" in d.value.columns)


def test_follow_up_lists_open_decisions_with_the_overdue_flagged(page_as, demo_db):
    app = page_as(Screen.COUNCIL, Role.ANIMATOR)
    assert not app.exception
    with store.connect(demo_db) as db:
        pending = store.find(db, CouncilDecision, "status IN ('to_do', 'in_progress')")
    table = _follow_up(app)
    assert set(table["Décision"]) == {d.text for d in pending}
    late = {d.text for d in pending if d.due_on and d.due_on < TODAY}
    assert late, "the demo has overdue decisions"
    assert set(table[table["Retard"] != ""]["Décision"]) == late
    assert all(v.startswith("⚠️ en retard") for v in table[table["Retard"] != ""]["Retard"])
    assert any("dépassé leur échéance" in str(w.value) for w in app.warning)


def test_marking_a_decision_done_is_stored_dated_and_audited(page_as, demo_db):
    app = page_as(Screen.COUNCIL, Role.ANIMATOR)
    chosen = app.selectbox(key="council.follow_up.decision").value
    form = f"decision.{chosen}"
    before = list(_follow_up(app)["Décision"]).count(_text(demo_db, chosen))
    app.button_group(key=f"{form}.status").select("done")
    app.text_area(key=f"{form}.follow_up").input("Lave-linge livré.")
    app = _submit(app, "Enregistrer le suivi")
    assert not app.exception
    assert "Suivi de la décision enregistré." in texts(app)
    with store.connect(demo_db) as db:
        decision = store.get(db, CouncilDecision, chosen)
        entry = store.history(db, "council_decision", chosen)[-1]
    assert decision.status is DecisionStatus.DONE and decision.done_on == TODAY
    assert decision.follow_up == "Lave-linge livré."
    assert entry.action == "update" and entry.actor.startswith("animator:")
    assert list(_follow_up(app)["Décision"]).count(decision.text) == before - 1


def test_concurrent_decision_edit_shows_the_conflict_and_does_not_overwrite(page_as, demo_db):
    app = page_as(Screen.COUNCIL, Role.ANIMATOR)
    chosen = app.selectbox(key="council.follow_up.decision").value
    form = f"decision.{chosen}"
    with store.connect(demo_db) as db:
        current = store.get(db, CouncilDecision, chosen)
        store.update(
            db,
            "animator:colleague",
            CouncilDecision,
            chosen,
            current.version,
            {"follow_up": "Relancé par téléphone."},
        )
    app.button_group(key=f"{form}.status").select("abandoned")
    app = _submit(app, "Enregistrer le suivi")
    assert not app.exception
    warnings = [str(w.value) for w in app.warning]
    assert any("modifiée par animator:colleague" in w for w in warnings), warnings
    with store.connect(demo_db) as db:
        stored = store.get(db, CouncilDecision, chosen)
    assert stored.status is current.status, "the second save did not overwrite"
    assert stored.follow_up == "Relancé par téléphone."
    app = app.button(key=f"{form}:reload").click().run()
    assert app.text_area(key=f"{form}.follow_up").value == "Relancé par téléphone."


def test_animator_creates_a_meeting_with_attendees(page_as, demo_db):
    app = page_as(Screen.COUNCIL, Role.ANIMATOR)
    attendees = app.multiselect(key="meeting.new.attendee_ids")
    chosen = attendees.options[:3]
    app.date_input(key="meeting.new.held_on").set_value(date(2026, 8, 18))
    app.text_area(key="meeting.new.agenda").input("1. Fête de fin d'été")
    for option in chosen:
        attendees.select(option)
    app = _submit(app, "Créer la réunion")
    assert not app.exception
    assert "Réunion du conseil enregistrée." in texts(app)
    with store.connect(demo_db) as db:
        meeting = store.find(db, CouncilMeeting, "held_on = '2026-08-18'")[0]
    assert meeting.agenda == "1. Fête de fin d'été"
    assert len(meeting.attendee_ids) == 3


def test_meeting_without_agenda_shows_the_message_under_the_field(page_as, demo_db):
    before = len(_meetings(demo_db))
    app = page_as(Screen.COUNCIL, Role.ANIMATOR)
    app = _submit(app, "Créer la réunion")
    assert next_after(app, "meeting.new.agenda") == "Ordre du jour : ne peut pas être vide"
    assert len(_meetings(demo_db)) == before


def _meetings(demo_db):
    with store.connect(demo_db) as db:
        return store.find(db, CouncilMeeting)


def test_animator_adds_a_decision_to_the_chosen_meeting(page_as, demo_db):
    app = page_as(Screen.COUNCIL, Role.ANIMATOR)
    meeting_id = app.selectbox(key="council.meeting").value
    app.text_area(key="decision.new.text").input("Repeindre la buanderie.")
    app.text_input(key="decision.new.owner").input("Gilbert Roux")
    app.date_input(key="decision.new.due_on").set_value(date(2026, 9, 30))
    app = _submit(app, "Ajouter la décision")
    assert not app.exception
    with store.connect(demo_db) as db:
        added = store.find(db, CouncilDecision, "text = 'Repeindre la buanderie.'")
    assert [(d.meeting_id, d.owner, d.due_on) for d in added] == [
        (meeting_id, "Gilbert Roux", date(2026, 9, 30))
    ]
    assert "Repeindre la buanderie." in set(_follow_up(app)["Décision"])


def test_meeting_shows_its_minutes_and_attendees(page_as, demo_db):
    app = page_as(Screen.COUNCIL, Role.ANIMATOR)
    meeting_id = app.selectbox(key="council.meeting").value
    with store.connect(demo_db) as db:
        meeting = store.get(db, CouncilMeeting, meeting_id)
    assert meeting.held_on <= TODAY, "the latest meeting held is shown first"
    shown = texts(app)
    assert f"Habitants présents ({len(meeting.attendee_ids)})" in shown
    assert "Compte rendu" in shown


def test_host_reads_without_forms_and_cannot_write(page_as, demo_db, accounts):
    app = page_as(Screen.COUNCIL, Role.HOST)
    assert not app.exception
    assert app.dataframe
    assert not app.get("form_submit_button")
    with store.connect(demo_db) as db:
        host = user_of(db, accounts[Role.HOST])
        decision = store.find(db, CouncilDecision)[0]
        with pytest.raises(Forbidden):
            records.update(
                db, host, CouncilDecision, decision.id, decision.version, {"status": "done"}
            )


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FAMILY, Role.RESIDENT])
def test_other_roles_are_refused(page_as, role):
    app = page_as(Screen.COUNCIL, role)
    assert "Votre rôle ne donne pas accès à cette page." in texts(app)
    assert not app.dataframe


# --- The minutes, to post and sign ----------------------------------------------------


@pytest.mark.parametrize("role", [Role.ANIMATOR, Role.HOST])
def test_a_meetings_minutes_are_prepared_then_downloaded_as_pdf(page_as, demo_db, role):
    app = page_as(Screen.COUNCIL, role)
    meeting_id = app.selectbox(key="council.meeting").value
    assert not app.get("download_button")
    app = app.button(key="council.minutes.make").click().run()
    assert not app.exception
    shown_for, document = app.session_state["council.minutes.ready"]
    assert shown_for == meeting_id
    assert document.content.startswith(b"%PDF")
    assert [d.proto.label for d in app.get("download_button")] == [
        f"Télécharger {document.filename}"
    ]
    with store.connect(demo_db) as db:
        meeting = store.get(db, CouncilMeeting, meeting_id)
        prints = [
            e for e in store.history(db, "council_meeting", meeting_id) if e.action == "print"
        ]
    assert document.filename == f"conseil-des-habitants-{meeting.held_on.isoformat()}.pdf"
    assert "Conseil des habitants du" in pdf_text(document.content)
    assert len(prints) == 1
    # Another meeting chosen: the minutes prepared for the first one are not offered.
    with store.connect(demo_db) as db:
        other = store.find(db, CouncilMeeting, "id != ?", [meeting_id])[0]
    app = app.selectbox(key="council.meeting").set_value(other.id).run()
    assert not app.get("download_button")

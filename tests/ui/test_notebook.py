"""Cahier de liaison: each role reads its own notes and writes within its scope."""

from __future__ import annotations

from datetime import datetime

import pytest

from habitat import store
from habitat.services import notebook, records
from habitat.services.access import Forbidden, Screen, served_resident_ids, user_of
from habitat.store.entities import Account, LiaisonNote, Provider, Resident, Role
from habitat.ui import fmt

from .conftest import texts
from .field_errors import error_under

FORM = "notebook.new"


def _submit(app, label="Enregistrer la note"):
    return next(b for b in app.button if b.label == label).click().run()


def _user(db, account: Account):
    return user_of(db, store.get(db, Account, account.id))


def _notes_by(db, account_id: int) -> list[LiaisonNote]:
    return store.find(db, LiaisonNote, "author_account_id = ?", [account_id])


def test_a_provider_writes_a_note_about_a_resident_they_serve(page_as, accounts, demo_db):
    provider = accounts[Role.PROVIDER]
    with store.connect(demo_db) as db:
        served = sorted(served_resident_ids(db, provider.provider_id))
        before = len(_notes_by(db, provider.id))
    app = page_as(Screen.NOTEBOOK, Role.PROVIDER)
    choices = app.multiselect(key=f"{FORM}.resident_ids").options
    assert len(choices) == len(served)

    app.text_area(key=f"{FORM}.body").input("Toilette faite, bonne humeur.")
    app.multiselect(key=f"{FORM}.resident_ids").set_value([served[0]])
    app.selectbox(key=f"{FORM}.audience").select("providers")
    app = _submit(app)

    assert not app.exception
    assert "Note enregistrée." in texts(app)
    with store.connect(demo_db) as db:
        notes = _notes_by(db, provider.id)
        assert len(notes) == before + 1
        note = max(notes, key=lambda n: n.id)
        assert note.body == "Toilette faite, bonne humeur."
        assert note.author == provider.display_name
        assert note.resident_ids == [served[0]]
        assert note.audience == "providers"
        created = store.history(db, "liaison_note", note.id)
    assert [(e.action, e.actor) for e in created] == [("create", f"provider:{provider.username}")]
    # The new note is on top of the provider's notebook.
    assert "Toilette faite, bonne humeur\\." in texts(app)


def test_a_provider_cannot_write_about_a_resident_they_do_not_serve(accounts, demo_db):
    provider = accounts[Role.PROVIDER]
    with store.connect(demo_db) as db:
        user = _user(db, provider)
        served = served_resident_ids(db, provider.provider_id)
        other = next(r.id for r in store.find(db, Resident) if r.id not in served)
        count = db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0]

        with pytest.raises(Forbidden) as refused:
            notebook.write_note(
                db,
                user,
                user.habitat_id,
                body="Au sujet d'un habitant que je ne suis pas.",
                resident_ids=[other],
                audience="providers",
            )

        assert refused.value.message_fr.startswith("Note refusée : ")
        assert "habitants que vous accompagnez" in refused.value.message_fr
        assert db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0] == count
        # Nor may they read that resident's notes.
        with pytest.raises(Forbidden):
            notebook.read_notes(db, user, user.habitat_id, resident_id=other)


def test_a_provider_reads_only_provider_notes_about_residents_they_serve(accounts, demo_db):
    provider = accounts[Role.PROVIDER]
    with store.connect(demo_db) as db:
        user = _user(db, provider)
        served = served_resident_ids(db, provider.provider_id)
        notes = notebook.read_notes(db, user, user.habitat_id)
    assert notes
    assert all(n.audience == "providers" for n in notes)
    assert all(set(n.resident_ids) & served for n in notes)


def _write(db, body, audience, family_of, resident_ids, when):
    return store.create(
        db,
        "animator:test",
        LiaisonNote,
        {
            "habitat_id": 1,
            "author": "Équipe",
            "written_at": when,
            "body": body,
            "audience": audience,
            "audience_resident_id": family_of,
            "resident_ids": resident_ids,
        },
    )


def test_a_family_sees_only_the_notes_addressed_to_it(page_as, accounts, demo_db):
    relative = accounts[Role.FAMILY].resident_id
    when = datetime(2030, 1, 1, 9, 0)
    with store.connect(demo_db) as db:
        other = next(r.id for r in store.find(db, Resident) if r.id != relative)
        _write(db, "Réservé à l'équipe", "team", None, [relative], when)
        _write(db, "Pour les intervenants", "providers", None, [relative], when)
        _write(db, "Pour une autre famille", "family", other, [other], when)
        _write(db, "Bonjour à la famille", "family", relative, [relative], when)
        relative_name = store.get(db, Resident, relative).full_name
        other_name = store.get(db, Resident, other).full_name

    app = page_as(Screen.NOTEBOOK, Role.FAMILY)

    shown = texts(app)
    assert not app.exception
    assert "Bonjour à la famille" in shown
    for hidden in ("Réservé à l'équipe", "Pour les intervenants", "Pour une autre famille"):
        assert hidden not in shown
    assert other_name not in shown
    assert relative_name in shown
    # Every note on the page is addressed to this family.
    with store.connect(demo_db) as db:
        user = _user(db, accounts[Role.FAMILY])
        notes = notebook.read_notes(db, user, user.habitat_id)
    assert notes and all(
        n.audience == "family" and n.audience_resident_id == relative for n in notes
    )


def test_a_family_writes_about_its_relative_only(page_as, accounts, demo_db):
    family = accounts[Role.FAMILY]
    app = page_as(Screen.NOTEBOOK, Role.FAMILY)
    assert not app.multiselect, "a family does not choose residents"

    app.text_area(key=f"{FORM}.body").input("Maman rentre dimanche soir.")
    app = _submit(app)

    assert "Note enregistrée." in texts(app)
    with store.connect(demo_db) as db:
        note = max(_notes_by(db, family.id), key=lambda n: n.id)
    assert note.resident_ids == [family.resident_id]
    assert note.audience == "family"
    assert note.audience_resident_id == family.resident_id
    assert note.author == family.display_name


def test_an_empty_note_is_refused_next_to_its_field(page_as, demo_db):
    with store.connect(demo_db) as db:
        count = db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0]
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)

    app.text_area(key=f"{FORM}.body").input("   ")
    app = _submit(app)

    assert error_under(app, f"{FORM}.body") == "Note : ne peut pas être vide"
    with store.connect(demo_db) as db:
        assert db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0] == count


def test_a_note_is_shown_as_typed_never_as_html(page_as, demo_db):
    payload = "<img src=x onerror=alert(1)> [clic](javascript:alert(1))"
    with store.connect(demo_db) as db:
        _write(db, payload, "team", None, [], datetime(2030, 1, 1, 9, 0))

    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)

    bodies = [m.value for m in app.markdown if "onerror" in m.value]
    assert bodies == [r"\<img src=x onerror=alert\(1\)\> \[clic\]\(javascript\:alert\(1\)\)"]


def test_the_host_reads_but_has_no_form_and_may_not_write(page_as, accounts, demo_db):
    app = page_as(Screen.NOTEBOOK, Role.HOST)
    assert not app.exception
    assert not app.text_area
    assert app.markdown
    with store.connect(demo_db) as db:
        user = _user(db, accounts[Role.HOST])
        with pytest.raises(Forbidden):
            records.create(
                db,
                user,
                LiaisonNote,
                {"habitat_id": 1, "author": "x", "written_at": datetime.now(), "body": "x"},
            )


def test_older_notes_page_after_the_first(page_as):
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)
    first = [m.value for m in app.markdown if m.value.startswith("**")]
    assert len(first) == 50

    app = next(b for b in app.button if b.label == "Notes plus anciennes").click().run()

    second = [m.value for m in app.markdown if m.value.startswith("**")]
    assert second and not set(second) & set(first)
    assert any(b.label == "Notes plus récentes" for b in app.button)


def test_filtering_by_author_shows_only_their_notes(page_as, demo_db):
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)
    authors = [a for a in app.selectbox(key="notebook.filter.author").options if a != "Tous"]
    assert authors

    app = app.selectbox(key="notebook.filter.author").select(authors[0]).run()

    headers = [m.value for m in app.markdown if m.value.startswith("**")]
    assert headers
    assert all(h.split(" · ")[1] == fmt.plain(authors[0]) for h in headers)


# --- To whom a note goes: one provider by name, a family about its resident only -------


def _provider_names(db) -> dict[int, str]:
    return {p.id: p.name for p in store.find(db, Provider, "habitat_id = 1", order_by="name")}


def test_the_provider_select_shows_only_for_a_note_to_providers(page_as, demo_db):
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)
    assert not [s for s in app.selectbox if s.key == f"{FORM}.audience_provider_id"]

    app = app.selectbox(key=f"{FORM}.audience").select("providers").run()

    select = app.selectbox(key=f"{FORM}.audience_provider_id")
    assert select.label == "Intervenant destinataire"
    with store.connect(demo_db) as db:
        names = _provider_names(db)
    assert select.options == ["Tous les intervenants de ces habitants", *names.values()]


def test_a_note_for_one_provider_says_so_and_only_that_provider_reads_it(
    page_as, accounts, demo_db
):
    provider = accounts[Role.PROVIDER]
    with store.connect(demo_db) as db:
        names = _provider_names(db)
        other = next(p for p in names if p != provider.provider_id)
        served = sorted(served_resident_ids(db, provider.provider_id))
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)
    app = app.selectbox(key=f"{FORM}.audience").select("providers").run()

    app.text_area(key=f"{FORM}.body").input("Changement de traitement, à voir avec le SAMSAH.")
    app.selectbox(key=f"{FORM}.audience_provider_id").select(other)
    app.multiselect(key=f"{FORM}.resident_ids").set_value([served[0]])
    app = _submit(app)

    assert not app.exception
    assert "Note enregistrée." in texts(app)
    with store.connect(demo_db) as db:
        note = max(store.find(db, LiaisonNote), key=lambda n: n.id)
    assert (note.audience, note.audience_provider_id) == ("providers", other)
    header = next(m.value for m in app.markdown if m.value.startswith("**"))
    assert f"pour : {fmt.plain(names[other])}  \n" in header
    # The provider serving that resident, but not the one addressed, does not read it.
    shown = texts(page_as(Screen.NOTEBOOK, Role.PROVIDER))
    assert "Changement de traitement" not in shown


def test_a_note_for_all_providers_says_so(page_as, demo_db):
    when = datetime(2030, 1, 1, 9, 0)
    with store.connect(demo_db) as db:
        resident = store.find(db, Resident, limit=1)[0].id
        _write(db, "Pour tous les intervenants", "providers", None, [resident], when)

    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)

    header = next(m.value for m in app.markdown if m.value.startswith("**"))
    assert "pour : tous les intervenants de ces habitants" in header


def test_a_family_note_about_another_resident_is_refused_under_the_residents(page_as, demo_db):
    with store.connect(demo_db) as db:
        count = db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0]
        present = [r.id for r in store.find(db, Resident, "exit_date IS NULL")]
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)
    app = app.selectbox(key=f"{FORM}.audience").select("family").run()
    family_of = app.selectbox(key=f"{FORM}.audience_resident_id").value
    other = next(i for i in present if i != family_of)

    app.text_area(key=f"{FORM}.body").input("Nouvelles d'un autre habitant.")
    app.multiselect(key=f"{FORM}.resident_ids").set_value([other])
    app = _submit(app)

    assert error_under(app, f"{FORM}.resident_ids") == (
        "Habitants concernés : une note destinée à la famille d'un habitant"
        " ne concerne que cet habitant"
    )
    with store.connect(demo_db) as db:
        assert db.execute("SELECT COUNT(*) FROM liaison_note").fetchone()[0] == count


def test_a_family_note_naming_no_resident_concerns_that_families_resident(page_as, demo_db):
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)
    app = app.selectbox(key=f"{FORM}.audience").select("family").run()
    family_of = app.selectbox(key=f"{FORM}.audience_resident_id").value

    app.text_area(key=f"{FORM}.body").input("Bonne semaine à tous.")
    app = _submit(app)

    assert "Note enregistrée." in texts(app)
    with store.connect(demo_db) as db:
        note = max(store.find(db, LiaisonNote), key=lambda n: n.id)
    assert (note.audience_resident_id, note.resident_ids) == (family_of, [family_of])


def test_a_note_is_rectified_never_rewritten_and_both_show_the_link(page_as, demo_db):
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)
    app.text_area(key=f"{FORM}.body").input("Rendez-vous chez le dentiste lundi.")
    app = _submit(app)
    with store.connect(demo_db) as db:
        (note,) = store.find(db, LiaisonNote, "body = ?", ["Rendez-vous chez le dentiste lundi."])
    app.selectbox(key="notebook.rectify.note").select(note.id)

    app = _submit(app, "Ajouter la rectification")
    assert error_under(app, "notebook.rectify.body") == "Note : ne peut pas être vide"
    app.text_area(key="notebook.rectify.body").input("Pardon : c'est mardi, pas lundi.")
    app = _submit(app, "Ajouter la rectification")

    assert not app.exception
    assert "Rectification ajoutée." in texts(app)
    with store.connect(demo_db) as db:
        assert store.get(db, LiaisonNote, note.id) == note, "the note stays as written"
        (fixed,) = store.find(db, LiaisonNote, "rectifies_note_id = ?", [note.id])
    assert fixed.body == "Pardon : c'est mardi, pas lundi."
    shown = texts(app)
    assert f"Rectifie la note du {fmt.fr_datetime(note.written_at)}" in shown
    assert f"Rectifiée le {fmt.fr_datetime(fixed.written_at)}" in shown


def test_a_provider_may_rectify_only_its_own_notes(page_as, accounts, demo_db):
    app = page_as(Screen.NOTEBOOK, Role.PROVIDER)
    with store.connect(demo_db) as db:
        own = _notes_by(db, accounts[Role.PROVIDER].id)
    labels = {f"{fmt.fr_datetime(n.written_at)} · {n.body[:60]}" for n in own}
    offered = [s for s in app.selectbox if s.key == "notebook.rectify.note"]
    assert own and offered and set(offered[0].options) <= labels


def test_after_a_save_the_form_is_empty_so_the_next_note_keeps_no_resident(page_as, demo_db):
    app = page_as(Screen.NOTEBOOK, Role.ANIMATOR)
    resident = app.multiselect(key=f"{FORM}.resident_ids").options[0]
    app.multiselect(key=f"{FORM}.resident_ids").select(resident)
    app.text_area(key=f"{FORM}.body").input("Chute sans gravité ce matin.")
    app = _submit(app)

    assert "Note enregistrée." in texts(app)
    assert app.multiselect(key=f"{FORM}.resident_ids").value == []
    assert app.text_area(key=f"{FORM}.body").value == ""
    # The next note, written at once, concerns nobody unless chosen again.
    app.text_area(key=f"{FORM}.body").input("Réunion des familles jeudi.")
    app = _submit(app)
    with store.connect(demo_db) as db:
        (note,) = store.find(db, LiaisonNote, "body = ?", ["Réunion des familles jeudi."])
    assert note.resident_ids == []

"""A resident's documents on screen: the liaison sheet's form, the downloads, the history."""

from __future__ import annotations

from habitat import store
from habitat.services.access import Screen
from habitat.store.entities import LiaisonSheet, Resident, Role
from tests.documents.conftest import pdf_text


def _flat(content: bytes) -> str:
    return " ".join(pdf_text(content).split())


def test_animator_fills_the_liaison_sheet_and_downloads_it_from_the_file(page_as, demo_db):
    app = page_as(Screen.RESIDENTS, Role.ANIMATOR)
    rid = app.selectbox(key="residents.selected").value
    form = f"liaison_sheet.{rid}"
    app = app.toggle(key=f"{form}.open").set_value(True).run()
    app.text_input(key=f"{form}.trusted_person").input("Odile Marchand")
    app.text_input(key=f"{form}.gp").input("Dr Lefèvre")
    app.text_area(key=f"{form}.allergies").input("Pénicilline <script>")
    app = app.button(key=f"{form}:save").click().run()
    assert not app.exception
    assert "Fiche de liaison enregistrée." in [s.value for s in app.success]
    with store.connect(demo_db) as db:
        sheet = store.find(db, LiaisonSheet, "resident_id = ?", [rid])[0]
        resident = store.get(db, Resident, rid)
    assert sheet.gp == "Dr Lefèvre"

    prefix = f"resident_docs.{rid}"
    app = app.button(key=f"{prefix}.hospital_sheet.make").click().run()
    assert not app.exception
    document = app.session_state[f"{prefix}.hospital_sheet.ready"][1]
    labels = [d.proto.label for d in app.get("download_button")]
    assert f"Télécharger {document.filename}" in labels
    text = _flat(document.content)
    for expected in (resident.full_name, "Odile Marchand", "Dr Lefèvre", "Pénicilline <script>"):
        assert expected in text

    app = app.button(key=f"{prefix}.support_plan.make").click().run()
    plan = app.session_state[f"{prefix}.support_plan.ready"][1]
    assert f"Projet d'accompagnement de {resident.full_name}" in _flat(plan.content)

    with store.connect(demo_db) as db:
        prints = [e for e in store.history(db, "resident", rid) if e.action == "print"]
    assert len(prints) == 2
    app.session_state["residents.section"] = "Historique"
    app = app.run()
    history = " ".join(f.value.to_string() for f in app.dataframe)
    assert "impression" in history
    assert "document : fiche-liaison-hopital-" in history


def test_the_dashboard_offers_a_residents_hospital_sheet(page_as, demo_db):
    app = page_as(Screen.DASHBOARD, Role.ANIMATOR)
    rid = app.selectbox(key="dashboard.liaison.resident").value
    app = app.button(key="dashboard.liaison.hospital_sheet.make").click().run()
    assert not app.exception
    document = app.session_state["dashboard.liaison.hospital_sheet.ready"][1]
    with store.connect(demo_db) as db:
        resident = store.get(db, Resident, rid)
        prints = [e for e in store.history(db, "resident", rid) if e.action == "print"]
    assert resident.full_name in _flat(document.content)
    assert "Fiche de liaison hôpital" in _flat(document.content)
    assert len(prints) == 1
    assert prints[0].after == {"document": document.filename}

"""Habitants: the list and file per role, the support plan editor, refusals and conflicts."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from habitat import store
from habitat.services import access, records
from habitat.services.access import Forbidden, Screen
from habitat.store.entities import (
    Intervention,
    PlanNeed,
    Provider,
    Resident,
    Role,
    SupportPlan,
)
from habitat.ui import fmt

from .conftest import TODAY, texts
from .field_errors import error_under, frame_text, option_text

XSS = "<img src=x onerror=alert(1)>"
XSS_LINK = "[x](javascript:alert(1))"


def _db(demo_db):
    return store.connect(demo_db)


def _count(demo_db, model) -> int:
    with _db(demo_db) as db:
        return len(store.find(db, model, include_archived=True))


@pytest.fixture
def free_dwelling(demo_db) -> str:
    """The demo's eight dwellings are all lived in: one resident leaves yesterday."""
    with _db(demo_db) as db:
        leaving = store.find(db, Resident, "exit_date IS NULL", order_by="id")[-1]
        store.update(
            db,
            "test",
            Resident,
            leaving.id,
            leaving.version,
            {"exit_date": TODAY - timedelta(days=1), "exit_reason": "family"},
        )
    return leaving.dwelling


PLAN = "Projet d'accompagnement"
SECTIONS = ["Identité", PLAN, "Vie collective", "Notes et tensions", "Historique"]


def _section(app, label: str):
    """Open one tab of the file (only the open tab's content is computed)."""
    app.session_state["residents.section"] = label
    return app.run()


def _act(app, action: str):
    """Pick one of the plan editor's forms."""
    return app.button_group(key="residents.plan_action").set_value(action).run()


def _add_resident(app, first: str, last: str, gir: int | None = 4):
    app = app.toggle(key="residents.adding").set_value(True).run()
    app.text_input(key="resident.new.first_name").input(first)
    app.text_input(key="resident.new.last_name").input(last)
    if gir is not None:
        app.number_input(key="resident.new.gir").set_value(gir)
    return app.button(key="resident.new:save").click().run()


def test_a_full_habitat_offers_no_dwelling_and_refuses_one_more_resident(page_as, demo_db):
    app = page_as(Screen.RESIDENTS, Role.ANIMATOR)
    app = app.toggle(key="residents.adding").set_value(True).run()
    assert app.selectbox(key="resident.new.dwelling").options == ["—"]
    assert "Tous les logements sont occupés" in texts(app)
    before = _count(demo_db, Resident)
    app = _add_resident(app, "Odette", "Lambert", gir=4)
    assert not app.exception
    assert "Habitant ajouté." not in [s.value for s in app.success]
    assert "logements" in error_under(app, "resident.new.dwelling")
    assert _count(demo_db, Resident) == before


def test_animator_adds_a_resident_with_a_support_plan(page_as, demo_db, accounts, free_dwelling):
    app = page_as(Screen.RESIDENTS, Role.ANIMATOR)
    app = app.toggle(key="residents.adding").set_value(True).run()
    # Only the free dwelling is offered.
    assert app.selectbox(key="resident.new.dwelling").options == ["—", free_dwelling]
    app.selectbox(key="resident.new.dwelling").select(free_dwelling)
    app = _add_resident(app, "Odette", "Lambert", gir=4)
    assert not app.exception
    assert "Habitant ajouté." in [s.value for s in app.success]
    with _db(demo_db) as db:
        odette = store.find(db, Resident, "last_name = ?", ["Lambert"])[0]
    # The new resident's file opens at once, with no plan yet.
    assert [h.value for h in app.header] == ["Odette Lambert"]
    app = _section(app, PLAN)
    assert "Pas encore de projet d'accompagnement." in texts(app)

    rid = odette.id
    app.date_input(key=f"support_plan.{rid}.review_due").set_value(date(2026, 12, 31))
    app.text_area(key=f"support_plan.{rid}.preferences").input("Aime jardiner le matin.")
    app = app.button(key=f"support_plan.{rid}:save").click().run()
    assert "Projet d'accompagnement enregistré." in [s.value for s in app.success]

    app = _act(app, "Besoin")
    app.selectbox(key=f"need.{rid}.domain").select("mobility")
    app.text_area(key=f"need.{rid}.description").input("Aide pour les escaliers.")
    app = app.button(key=f"need.{rid}:save").click().run()
    assert "Besoin ajouté." in [s.value for s in app.success]

    with _db(demo_db) as db:
        provider = store.find(db, Provider, order_by="name")[0]
    app = _act(app, "Intervention")
    app.selectbox(key=f"intervention.{rid}.provider_id").select(provider.id)
    app.multiselect(key=f"intervention.{rid}.weekdays").set_value([0, 3])
    app.time_input(key=f"intervention.{rid}.start_time").set_value(time(9, 0))
    app.time_input(key=f"intervention.{rid}.end_time").set_value(time(10, 30))
    app.text_input(key=f"intervention.{rid}.task").input("Toilette")
    app = app.button(key=f"intervention.{rid}:save").click().run()
    assert not app.exception
    assert "Intervention ajoutée." in [s.value for s in app.success]

    with _db(demo_db) as db:
        stored = store.get(db, Resident, rid)
        assert (stored.first_name, stored.gir, stored.entry_date) == (
            "Odette",
            4,
            date(2026, 6, 30),
        )
        plan = store.find(db, SupportPlan, "resident_id = ?", [rid])[0]
        assert plan.review_due == date(2026, 12, 31)
        assert plan.preferences == "Aime jardiner le matin."
        [need] = store.find(db, PlanNeed, "plan_id = ?", [plan.id])
        assert (need.domain, need.description) == ("mobility", "Aide pour les escaliers.")
        [visit] = store.find(db, Intervention, "plan_id = ?", [plan.id])
        assert visit.weekdays == [0, 3]
        assert (visit.start_time, visit.end_time) == (time(9, 0), time(10, 30))
        actor = f"animator:{accounts[Role.ANIMATOR].username}"
        for table, record_id in (
            ("resident", rid),
            ("support_plan", plan.id),
            ("plan_need", need.id),
            ("intervention", visit.id),
        ):
            [entry] = store.history(db, table, record_id)
            assert (entry.actor, entry.action) == (actor, "create")

    # Read back on screen: the plan, the need and the intervention in French.
    shown = frame_text(app)
    assert "mobilité" in shown and "Aide pour les escaliers." in shown
    assert "lundi, jeudi" in shown and "9h00" in shown and "10h30" in shown
    assert provider.name in shown
    assert "Aime jardiner le matin\\." in texts(app)


def test_bad_resident_shows_each_message_under_its_field(page_as, demo_db):
    before = _count(demo_db, Resident)
    app = page_as(Screen.RESIDENTS, Role.ANIMATOR)
    app = _add_resident(app, "", "Lambert", gir=9)
    assert not app.exception
    assert error_under(app, "resident.new.first_name") == "Prénom : ne peut pas être vide"
    assert error_under(app, "resident.new.gir") == "GIR : doit être inférieur ou égal à 6"
    assert error_under(app, "resident.new.last_name") == ""
    assert any("Rien n'a été enregistré" in e.value for e in app.error)
    # The values typed stay in the form, nothing was written.
    assert app.text_input(key="resident.new.last_name").value == "Lambert"
    assert _count(demo_db, Resident) == before


def test_elderly_resident_without_gir_is_refused_by_name(page_as, demo_db):
    before = _count(demo_db, Resident)
    app = _add_resident(page_as(Screen.RESIDENTS, Role.ANIMATOR), "Odette", "Lambert", gir=None)
    assert error_under(app, "resident.new.gir") == "GIR : une personne âgée a un GIR (1 à 6)"
    assert _count(demo_db, Resident) == before


def _first_with_plan(demo_db) -> tuple[int, int]:
    with _db(demo_db) as db:
        plan = store.find(db, SupportPlan, order_by="id")[0]
        return plan.resident_id, plan.id


def _open_file(app, rid: int, action: str):
    if app.selectbox(key="residents.selected").value != rid:
        app = app.selectbox(key="residents.selected").select(rid).run()
    return _act(_section(app, PLAN), action)


def test_intervention_ending_before_it_starts_is_refused(page_as, demo_db):
    rid, _plan = _first_with_plan(demo_db)
    before = _count(demo_db, Intervention)
    app = _open_file(page_as(Screen.RESIDENTS, Role.ANIMATOR), rid, "Intervention")
    app.multiselect(key=f"intervention.{rid}.weekdays").set_value([1])
    app.time_input(key=f"intervention.{rid}.start_time").set_value(time(14, 0))
    app.time_input(key=f"intervention.{rid}.end_time").set_value(time(13, 0))
    app = app.button(key=f"intervention.{rid}:save").click().run()
    assert not app.exception
    assert (
        error_under(app, f"intervention.{rid}.end_time")
        == "Heure de fin : doit être après l'heure de début"
    )
    assert _count(demo_db, Intervention) == before


def test_intervention_without_weekday_is_refused(page_as, demo_db):
    rid, _plan = _first_with_plan(demo_db)
    before = _count(demo_db, Intervention)
    app = _open_file(page_as(Screen.RESIDENTS, Role.ANIMATOR), rid, "Intervention")
    app.time_input(key=f"intervention.{rid}.start_time").set_value(time(9, 0))
    app.time_input(key=f"intervention.{rid}.end_time").set_value(time(10, 0))
    app = app.button(key=f"intervention.{rid}:save").click().run()
    assert error_under(app, f"intervention.{rid}.weekdays").startswith("Jours : ")
    assert _count(demo_db, Intervention) == before


def test_risk_agreement_needs_who_agreed(page_as, demo_db):
    rid, plan_id = _first_with_plan(demo_db)
    app = _open_file(page_as(Screen.RESIDENTS, Role.ANIMATOR), rid, "Accord autonomie-sécurité")
    app.text_area(key=f"agreement.{rid}.what").input("Sort seul au marché le samedi.")
    app = app.button(key=f"agreement.{rid}:save").click().run()
    assert error_under(app, f"agreement.{rid}.agreed_by").startswith("Convenu avec : ")
    app.text_input(key=f"agreement.{rid}.agreed_by").input("Lui-même, sa fille")
    app = app.button(key=f"agreement.{rid}:save").click().run()
    assert "Accord enregistré." in [s.value for s in app.success]
    with _db(demo_db) as db:
        from habitat.store.entities import RiskAgreement

        agreement = store.find(db, RiskAgreement, "plan_id = ?", [plan_id], order_by="id DESC")[0]
    assert agreement.agreed_by == ["Lui-même", "sa fille"]
    assert "Sort seul au marché le samedi." in frame_text(app)


def test_archiving_a_need_keeps_it_in_the_history(page_as, demo_db):
    rid, plan_id = _first_with_plan(demo_db)
    with _db(demo_db) as db:
        need = store.find(db, PlanNeed, "plan_id = ?", [plan_id])[0]
    app = _open_file(page_as(Screen.RESIDENTS, Role.ANIMATOR), rid, "Archiver un élément")
    app.selectbox(key=f"part.{rid}.item").select(f"plan_need:{need.id}")
    app = app.button(key=f"part.{rid}:save").click().run()
    assert not app.exception
    with _db(demo_db) as db:
        assert store.get(db, PlanNeed, need.id).archived_at is not None
        assert [e.action for e in store.history(db, "plan_need", need.id)][-1] == "archive"
    assert "archivage" in frame_text(_section(app, "Historique"))


def test_concurrent_edit_shows_the_conflict_and_keeps_the_other_change(
    page_as, demo_db, free_dwelling
):
    app = page_as(Screen.RESIDENTS, Role.ANIMATOR)
    rid = app.selectbox(key="residents.selected").value
    form = f"resident.{rid}"
    app = app.toggle(key="residents.editing").set_value(True).run()
    with _db(demo_db) as db:
        opened = store.get(db, Resident, rid)
        # Someone else saves the same file after this form was opened.
        store.update(db, "host:autre", Resident, rid, opened.version, {"dwelling": free_dwelling})
    app.text_input(key=f"{form}.first_name").input("Prénom changé")
    app = app.button(key=f"{form}:save").click().run()
    assert not app.exception
    assert any("a été modifiée par host:autre" in w.value for w in app.warning)
    with _db(demo_db) as db:
        kept = store.get(db, Resident, rid)
    assert kept.dwelling == free_dwelling
    assert kept.first_name == opened.first_name
    # Reloading shows the other person's change and a save then goes through.
    app = app.button(key=f"{form}:reload").click().run()
    assert app.selectbox(key=f"{form}.dwelling").value == free_dwelling
    app.text_input(key=f"{form}.emergency_contact").input("06 11 22 33 44")
    app = app.button(key=f"{form}:save").click().run()
    assert "Fiche enregistrée." in [s.value for s in app.success]
    with _db(demo_db) as db:
        saved = store.get(db, Resident, rid)
    assert (saved.dwelling, saved.emergency_contact) == (free_dwelling, "06 11 22 33 44")


def test_xss_in_a_name_is_shown_as_text(page_as, demo_db, free_dwelling):
    app = _add_resident(page_as(Screen.RESIDENTS, Role.ANIMATOR), XSS, XSS_LINK)
    assert not app.exception
    name = f"{XSS} {XSS_LINK}"
    assert [h.value for h in app.header] == [fmt.plain(name)]
    assert name in frame_text(app)
    for element in [*app.markdown, *app.header, *app.caption]:
        assert XSS not in element.value and XSS_LINK not in element.value


def _names(demo_db) -> dict[int, str]:
    with _db(demo_db) as db:
        return {r.id: r.full_name for r in store.find(db, Resident, include_archived=True)}


def _shown(app) -> str:
    return "\n".join([texts(app), frame_text(app), option_text(app)])


def test_family_sees_only_their_relative(page_as, demo_db, accounts):
    relative = accounts[Role.FAMILY].resident_id
    app = page_as(Screen.RESIDENTS, Role.FAMILY)
    assert not app.exception
    assert [t.label for t in app.tabs] == SECTIONS[:3]
    names = _names(demo_db)
    assert names[relative] in _shown(app)
    for section in SECTIONS[:3]:
        app = _section(app, section)
        assert not app.exception
        shown = _shown(app)
        for rid, name in names.items():
            if rid != relative:
                assert name not in shown, name
        assert not app.get("form_submit_button") and not app.text_input


def test_provider_sees_only_the_residents_they_serve(page_as, demo_db, accounts):
    account = accounts[Role.PROVIDER]
    with _db(demo_db) as db:
        served = access.served_resident_ids(db, account.provider_id)
    names = _names(demo_db)
    assert served and len(served) < len(names)
    app = page_as(Screen.RESIDENTS, Role.PROVIDER)
    assert not app.exception
    listed = set(app.dataframe[0].value["Habitant"])
    assert listed == {names[i] for i in served}
    for rid in served:
        app = app.selectbox(key="residents.selected").select(rid).run()
        assert [t.label for t in app.tabs] == SECTIONS[:3]
        for section in SECTIONS[:3]:
            app = _section(app, section)
            assert not app.exception
            shown = _shown(app)
            for other, name in names.items():
                if other not in served:
                    assert name not in shown, name
            assert not app.get("form_submit_button")


def test_resident_sees_their_own_file(page_as, demo_db, accounts):
    own = accounts[Role.RESIDENT].resident_id
    names = _names(demo_db)
    app = page_as(Screen.RESIDENTS, Role.RESIDENT)
    assert [h.value for h in app.header] == [fmt.plain(names[own])]
    shown = _shown(app)
    assert all(name not in shown for rid, name in names.items() if rid != own)
    assert not app.get("form_submit_button")


def test_host_reads_everything_but_gets_no_form(page_as, demo_db):
    app = page_as(Screen.RESIDENTS, Role.HOST)
    assert not app.exception
    assert [t.label for t in app.tabs] == SECTIONS
    for section in SECTIONS:
        app = _section(app, section)
        assert not app.exception
        assert not app.get("form_submit_button")
        assert not app.text_input
    assert "création" in frame_text(app)


@pytest.mark.parametrize("role", [Role.HOST, Role.PROVIDER, Role.FAMILY, Role.RESIDENT])
def test_read_only_roles_are_refused_writes_by_the_service(demo_db, accounts, role):
    with _db(demo_db) as db:
        user = access.user_of(db, accounts[role])
        resident = store.find(db, Resident)[0]
        with pytest.raises(Forbidden):
            records.update(db, user, Resident, resident.id, resident.version, {"gir": 2})
        with pytest.raises(Forbidden):
            records.create(
                db, user, SupportPlan, {"resident_id": resident.id, "started_on": "2026-01-01"}
            )


def test_left_residents_are_listed_apart_for_the_team(page_as, demo_db):
    with _db(demo_db) as db:
        resident = store.find(db, Resident, order_by="id")[0]
        store.update(
            db,
            "animator:test",
            Resident,
            resident.id,
            resident.version,
            {"exit_date": "2026-06-01", "exit_reason": "institution"},
        )
    app = page_as(Screen.RESIDENTS, Role.ANIMATOR)
    current, former = (set(f.value["Habitant"]) for f in app.dataframe[:2])
    assert resident.full_name in former and resident.full_name not in current
    assert "établissement" in set(app.dataframe[1].value["Motif"])


def test_participation_counts_the_last_twelve_months(page_as, demo_db):
    app = _section(page_as(Screen.RESIDENTS, Role.ANIMATOR), "Vie collective")
    rid = app.selectbox(key="residents.selected").value
    with _db(demo_db) as db:
        since = (TODAY - timedelta(days=365)).isoformat()
        present, total = db.execute(
            "SELECT SUM(t.status = 'present'), COUNT(*) FROM attendance t"
            " JOIN activity a ON a.id = t.activity_id WHERE t.resident_id = ?"
            " AND a.starts_at >= ? AND t.archived_at IS NULL AND a.archived_at IS NULL",
            [rid, since],
        ).fetchone()
    assert total > 0
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Présent·e (12 mois)"] == str(present)
    assert metrics["Taux de présence (12 mois)"] == f"{present / total:.0%}"

"""Proches: carers per resident, what they do, consent, family help, edits and refusals."""

from __future__ import annotations

from datetime import date

import pytest

from habitat import store
from habitat.services import access, records
from habitat.services.access import Forbidden, Screen
from habitat.services.carers import family_help
from habitat.store.entities import Carer, Habitat, Relation, Resident, Role
from habitat.store.queries import current_residents
from habitat.store.queries_residents import residents_living

from .conftest import TODAY, texts
from .field_errors import error_under, frame_text

XSS = "<img src=x onerror=alert(1)>"


def _db(demo_db):
    return store.connect(demo_db)


def _count(demo_db) -> int:
    with _db(demo_db) as db:
        return len(store.find(db, Carer, include_archived=True))


def _habitat_id(db) -> int:
    return store.find(db, Habitat)[0].id


def _resident(demo_db) -> Resident:
    with _db(demo_db) as db:
        return current_residents(db, _habitat_id(db), TODAY)[0]


def _fill(app, form: str, resident_id: int, first: str, last: str):
    if form == "carer.new":
        app = app.toggle(key="carers.adding").set_value(True).run()
    app.selectbox(key=f"{form}.resident_id").select(resident_id)
    app.text_input(key=f"{form}.first_name").input(first)
    app.text_input(key=f"{form}.last_name").input(last)
    return app


def _first_carer(demo_db) -> int:
    with _db(demo_db) as db:
        living = {r.id for r in residents_living(db, _habitat_id(db), TODAY)}
        return next(c.id for c in store.find(db, Carer, order_by="id") if c.resident_id in living)


def test_animator_adds_a_carer_with_consent(page_as, demo_db, accounts):
    resident = _resident(demo_db)
    app = _fill(page_as(Screen.CARERS, Role.ANIMATOR), "carer.new", resident.id, "Paul", "Morel")
    app.selectbox(key="carer.new.relation").select("child")
    app.text_input(key="carer.new.phone").input("06 12 34 56 78")
    app.checkbox(key="carer.new.does_governance").check()
    app.number_input(key="carer.new.usual_hours_per_week").set_value(3.5)
    app.checkbox(key="carer.new.consent_to_share").check()
    app.date_input(key="carer.new.consent_date").set_value(date(2026, 5, 2))
    app = app.button(key="carer.new:save").click().run()
    assert not app.exception
    assert "Proche ajouté." in [s.value for s in app.success]
    with _db(demo_db) as db:
        [paul] = store.find(db, Carer, "last_name = ?", ["Morel"])
        [entry] = store.history(db, "carer", paul.id)
    assert paul.resident_id == resident.id
    assert paul.relation is Relation.CHILD
    assert (paul.does_governance, paul.does_care, paul.usual_hours_per_week) == (True, False, 3.5)
    assert (paul.consent_to_share, paul.consent_date) == (True, date(2026, 5, 2))
    assert entry.actor == f"animator:{accounts[Role.ANIMATOR].username}"
    table = app.dataframe[1].value
    row = table[table["Proche"] == "Paul Morel"].iloc[0]
    assert row["Habitant"] == resident.full_name
    assert (row["Lien"], row["Gouvernance"]) == ("enfant", "oui")
    assert row["Consentement au partage"] == "oui, le 02/05/2026"


def test_bad_carer_shows_each_message_under_its_field(page_as, demo_db):
    before = _count(demo_db)
    resident = _resident(demo_db)
    app = _fill(page_as(Screen.CARERS, Role.ANIMATOR), "carer.new", resident.id, "", "Morel")
    app.text_input(key="carer.new.email").input("pas-un-courriel")
    app.number_input(key="carer.new.usual_hours_per_week").set_value(200.0)
    app = app.button(key="carer.new:save").click().run()
    assert not app.exception
    assert error_under(app, "carer.new.first_name") == "Prénom : ne peut pas être vide"
    assert error_under(app, "carer.new.email") == (
        "Courriel : n'est pas une adresse de courriel valide"
    )
    assert error_under(app, "carer.new.usual_hours_per_week") == (
        "Heures habituelles par semaine : doit être inférieur ou égal à 168.0"
    )
    assert _count(demo_db) == before


def test_consent_without_a_date_is_refused(page_as, demo_db):
    before = _count(demo_db)
    resident = _resident(demo_db)
    app = _fill(page_as(Screen.CARERS, Role.ANIMATOR), "carer.new", resident.id, "Paul", "Morel")
    app.checkbox(key="carer.new.consent_to_share").check()
    app = app.button(key="carer.new:save").click().run()
    assert error_under(app, "carer.new.consent_date") == (
        "Date du consentement : un consentement doit être daté"
    )
    assert app.text_input(key="carer.new.first_name").value == "Paul"
    assert _count(demo_db) == before


def test_concurrent_edit_shows_the_conflict_and_keeps_the_other_change(page_as, demo_db):
    app = page_as(Screen.CARERS, Role.ANIMATOR)
    assert app.selectbox(key="carers.edited").value is None  # no form until one is picked
    assert not app.text_input
    carer_id = _first_carer(demo_db)
    app = app.selectbox(key="carers.edited").select(carer_id).run()
    form = f"carer.{carer_id}"
    with _db(demo_db) as db:
        opened = store.get(db, Carer, carer_id)
        store.update(db, "host:autre", Carer, carer_id, opened.version, {"phone": "01 02 03 04 05"})
    app.number_input(key=f"{form}.usual_hours_per_week").set_value(9.0)
    app = app.button(key=f"{form}:save").click().run()
    assert not app.exception
    assert any("a été modifiée par host:autre" in w.value for w in app.warning)
    # Archiving from the stale form is refused too.
    app = app.button(key=f"{form}:archive").click().run()
    assert any("a été modifiée" in w.value for w in app.warning)
    with _db(demo_db) as db:
        kept = store.get(db, Carer, carer_id)
    assert kept.phone == "01 02 03 04 05"
    assert kept.usual_hours_per_week == opened.usual_hours_per_week
    assert kept.archived_at is None
    app = app.button(key=f"{form}:reload").click().run()
    assert app.text_input(key=f"{form}.phone").value == "01 02 03 04 05"
    assert not any("a été modifiée" in w.value for w in app.warning)


def test_archive_and_restore_a_carer(page_as, demo_db):
    app = page_as(Screen.CARERS, Role.ANIMATOR)
    assert app.selectbox(key="carers.edited").value is None  # no form until one is picked
    assert not app.text_input
    carer_id = _first_carer(demo_db)
    app = app.selectbox(key="carers.edited").select(carer_id).run()
    with _db(demo_db) as db:
        carer = store.get(db, Carer, carer_id)
    name = f"{carer.first_name} {carer.last_name}"
    app = app.button(key=f"carer.{carer_id}:archive").click().run()
    assert "Proche archivé (il reste dans l'historique)." in [s.value for s in app.success]
    assert name not in set(app.dataframe[1].value["Proche"])
    assert name in set(app.dataframe[-1].value["Proche"])  # the archived ones
    app.selectbox(key="carer.restore.carer").select(carer_id)
    app = app.button(key="carer.restore:save").click().run()
    assert "Proche rétabli." in [s.value for s in app.success]
    with _db(demo_db) as db:
        assert store.get(db, Carer, carer_id).archived_at is None
        assert [e.action for e in store.history(db, "carer", carer_id)][-2:] == [
            "archive",
            "restore",
        ]


def test_family_help_concentration_is_shown(page_as, demo_db):
    resident = _resident(demo_db)
    with _db(demo_db) as db:
        store.create(
            db,
            "animator:test",
            Carer,
            {
                "resident_id": resident.id,
                "first_name": "Alice",
                "last_name": "Dévouée",
                "relation": "child",
                "does_care": True,
                "usual_hours_per_week": 100.0,
            },
        )
        carers = store.find(db, Carer)
        present = [r.id for r in current_residents(db, _habitat_id(db), TODAY)]
    expected = family_help(carers, present)
    assert expected.hours_by_family[0][0] == resident.id
    app = page_as(Screen.CARERS, Role.ANIMATOR)
    warning = " ".join(w.value for w in app.warning)
    assert "L'habitat repose beaucoup sur quelques familles" in warning
    assert resident.full_name in warning.replace("\\", "")
    assert f"{expected.top_share:.0%}".replace("%", " %") in warning
    help_table = app.dataframe[0].value
    assert help_table.iloc[0]["Famille de"] == resident.full_name


def test_family_help_service():
    def carer(resident_id: int, hours: float, **flags) -> Carer:
        return Carer(
            resident_id=resident_id,
            first_name="A",
            last_name="B",
            relation="child",
            usual_hours_per_week=hours,
            **flags,
        )

    even = family_help([carer(i, 2.0) for i in range(1, 11)], range(1, 12))
    assert even.top_share == pytest.approx(0.1)
    assert not even.concentrated
    assert even.residents_without_carer == [11]
    heavy = family_help(
        [carer(1, 10.0, does_governance=True), carer(1, 2.0), carer(2, 3.0), carer(99, 50.0)],
        [1, 2, 3],
    )
    assert heavy.total_hours == 15.0  # the carer of someone not counted is ignored
    assert heavy.hours_by_family == [(1, 12.0), (2, 3.0)]
    assert heavy.top_share == pytest.approx(0.8)
    assert heavy.concentrated
    assert heavy.families_in_governance == 1
    nobody = family_help([], [1, 2])
    assert nobody.top_share is None and not nobody.concentrated


def test_xss_in_a_carer_name_is_shown_as_text(page_as, demo_db):
    resident = _resident(demo_db)
    app = _fill(page_as(Screen.CARERS, Role.ANIMATOR), "carer.new", resident.id, XSS, "Morel")
    app.number_input(key="carer.new.usual_hours_per_week").set_value(100.0)
    app = app.button(key="carer.new:save").click().run()
    assert not app.exception
    assert f"{XSS} Morel" in frame_text(app)
    for element in [*app.markdown, *app.warning, *app.info, *app.caption]:
        assert XSS not in element.value


def test_host_reads_the_carers_but_gets_no_form(page_as, demo_db, accounts):
    app = page_as(Screen.CARERS, Role.HOST)
    assert not app.exception
    assert "Proches des habitants" in texts(app)
    assert len(app.dataframe[1].value) > 0
    assert not app.get("form_submit_button") and not app.text_input
    with _db(demo_db) as db:
        user = access.user_of(db, accounts[Role.HOST])
        carer = store.find(db, Carer)[0]
        with pytest.raises(Forbidden):
            records.update(db, user, Carer, carer.id, carer.version, {"phone": "0102030405"})
        with pytest.raises(Forbidden):
            records.archive(db, user, Carer, carer.id, carer.version)


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FAMILY, Role.RESIDENT])
def test_other_roles_are_refused_the_page_and_the_writes(page_as, demo_db, accounts, role):
    app = page_as(Screen.CARERS, role)
    assert "Votre rôle ne donne pas accès à cette page." in texts(app)
    assert not app.dataframe
    with _db(demo_db) as db:
        user = access.user_of(db, accounts[role])
        with pytest.raises(Forbidden):
            records.create(
                db,
                user,
                Carer,
                {
                    "resident_id": accounts[Role.FAMILY].resident_id,
                    "first_name": "X",
                    "last_name": "Y",
                    "relation": "friend",
                },
            )


def test_filter_by_resident(page_as, demo_db):
    app = page_as(Screen.CARERS, Role.ANIMATOR)
    with _db(demo_db) as db:
        carer = store.find(db, Carer, order_by="id")[0]
        resident = store.get(db, Resident, carer.resident_id)
    app = app.selectbox(key="carers.resident").select(resident.id).run()
    assert set(app.dataframe[1].value["Habitant"]) == {resident.full_name}

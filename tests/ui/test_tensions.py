"""Tensions: log one, follow it up and close it; refusals next to the field; conflicts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from habitat import store
from habitat.services import records
from habitat.services.access import Forbidden, Screen, user_of
from habitat.store.entities import Account, Tension, TensionStatus
from habitat.store.queries_follow_up import open_tensions

from .conftest import TODAY, texts
from .field_errors import error_under

NEW = "tension.new"


def _click(app, label):
    return next(b for b in app.button if b.label == label).click().run()


def _open_tension(demo_db, description="Dispute au sujet du linge") -> Tension:
    with store.connect(demo_db) as db:
        return store.create(
            db,
            "animator:test",
            Tension,
            {
                "habitat_id": 1,
                "kind": "common_spaces",
                "severity": "medium",
                # Older than every demo tension, so it is the first open one.
                "occurred_on": "2000-01-01",
                "description": description,
                "resident_ids": [],
            },
        )


def test_logging_a_tension_stores_and_lists_it(page_as, demo_db):
    app = page_as(Screen.TENSIONS, "animator")
    resident = app.multiselect(key=f"{NEW}.resident_ids").options[0]

    app.selectbox(key=f"{NEW}.kind").select("between_residents")
    app.selectbox(key=f"{NEW}.severity").select("high")
    app.multiselect(key=f"{NEW}.resident_ids").select(resident)
    app.text_input(key=f"{NEW}.others_involved").input("Voisin du 2e")
    app.text_area(key=f"{NEW}.description").input("Altercation <b>au</b> repas du soir.")
    app = _click(app, "Enregistrer la tension")

    assert not app.exception
    assert "Tension enregistrée." in texts(app)
    with store.connect(demo_db) as db:
        logged = store.find(
            db, Tension, "description = ?", ["Altercation <b>au</b> repas du soir."]
        )
        assert len(logged) == 1
        tension = logged[0]
        assert store.history(db, "tension", tension.id)[0].actor.startswith("animator:")
    assert tension.kind == "between_residents"
    assert tension.severity == "high"
    assert tension.status is TensionStatus.OPEN
    assert tension.occurred_on == TODAY
    assert tension.others_involved == "Voisin du 2e"
    assert len(tension.resident_ids) == 1
    # Listed among the open ones, with its age, as text.
    table = app.dataframe[0].value
    row = table[table["N°"] == tension.id].iloc[0]
    assert row["Depuis (jours)"] == 0
    assert row["Description"] == "Altercation <b>au</b> repas du soir."


def test_a_tension_without_description_is_refused_next_to_the_field(page_as, demo_db):
    with store.connect(demo_db) as db:
        count = db.execute("SELECT COUNT(*) FROM tension").fetchone()[0]
    app = page_as(Screen.TENSIONS, "animator")

    app = _click(app, "Enregistrer la tension")

    assert error_under(app, f"{NEW}.description") == "Description : ne peut pas être vide"
    with store.connect(demo_db) as db:
        assert db.execute("SELECT COUNT(*) FROM tension").fetchone()[0] == count


def test_a_tension_dated_tomorrow_is_refused_under_its_date(page_as, demo_db):
    with store.connect(demo_db) as db:
        count = db.execute("SELECT COUNT(*) FROM tension").fetchone()[0]
    app = page_as(Screen.TENSIONS, "animator")
    app.date_input(key=f"{NEW}.occurred_on").set_value(TODAY + timedelta(days=1))
    app.text_area(key=f"{NEW}.description").input("Porte claquée la nuit.")

    app = _click(app, "Enregistrer la tension")

    assert not app.exception
    assert error_under(app, f"{NEW}.occurred_on") == (
        f"Survenue le : est dans le futur (nous sommes le {TODAY:%d/%m/%Y})"
    )
    with store.connect(demo_db) as db:
        assert db.execute("SELECT COUNT(*) FROM tension").fetchone()[0] == count


def test_following_up_then_closing_a_tension(page_as, demo_db):
    tension = _open_tension(demo_db)
    form = f"tension.{tension.id}"
    app = page_as(Screen.TENSIONS, "animator")
    assert app.selectbox(key="tensions.pick").value == tension.id

    app.text_area(key=f"{form}.actions").input("Médiation avec les deux habitants.")
    app.selectbox(key=f"{form}.status").select("in_progress")
    app = _click(app, "Enregistrer le suivi")
    assert "Suivi enregistré." in texts(app)

    app.selectbox(key=f"{form}.status").select("closed")
    app.date_input(key=f"{form}.resolved_on").set_value(date(2026, 6, 29))
    app = _click(app, "Enregistrer le suivi")

    assert not app.exception
    assert "Tension close." in texts(app)
    with store.connect(demo_db) as db:
        closed = store.get(db, Tension, tension.id)
        actions = [e.action for e in store.history(db, "tension", tension.id)]
    assert closed.status is TensionStatus.CLOSED
    assert closed.resolved_on == date(2026, 6, 29)
    assert closed.actions == "Médiation avec les deux habitants."
    assert actions == ["create", "update", "update"]
    assert tension.id not in app.dataframe[0].value["N°"].tolist()


def test_a_tension_date_and_description_are_corrected_and_the_old_ones_kept(page_as, demo_db):
    tension = _open_tension(demo_db, "Dispute au sujet du linje")
    form = f"tension.{tension.id}"
    app = page_as(Screen.TENSIONS, "animator")

    app.date_input(key=f"{form}.occurred_on").set_value(date(2026, 6, 2))
    app.text_area(key=f"{form}.description").input("Dispute au sujet du linge")
    app = _click(app, "Enregistrer le suivi")

    assert not app.exception
    with store.connect(demo_db) as db:
        corrected = store.get(db, Tension, tension.id)
        last = store.history(db, "tension", tension.id)[-1]
    assert (corrected.occurred_on, corrected.description) == (
        date(2026, 6, 2),
        "Dispute au sujet du linge",
    )
    assert last.before["description"] == "Dispute au sujet du linje"
    assert last.before["occurred_on"] == "2000-01-01"


def test_a_correction_dating_a_tension_tomorrow_is_refused_under_the_date(page_as, demo_db):
    tension = _open_tension(demo_db)
    form = f"tension.{tension.id}"
    app = page_as(Screen.TENSIONS, "animator")

    app.date_input(key=f"{form}.occurred_on").set_value(TODAY + timedelta(days=1))
    app = _click(app, "Enregistrer le suivi")

    assert error_under(app, f"{form}.occurred_on").endswith(
        "est dans le futur (nous sommes le 30/06/2026)"
    )
    with store.connect(demo_db) as db:
        assert store.get(db, Tension, tension.id).version == 1


def test_closing_without_a_resolution_date_is_refused_next_to_the_field(page_as, demo_db):
    tension = _open_tension(demo_db)
    form = f"tension.{tension.id}"
    app = page_as(Screen.TENSIONS, "animator")

    app.selectbox(key=f"{form}.status").select("closed")
    app = _click(app, "Enregistrer le suivi")

    assert error_under(app, f"{form}.resolved_on") == (
        "Résolue le : une tension close a une date de résolution, une tension ouverte n'en a pas"
    )
    with store.connect(demo_db) as db:
        assert store.get(db, Tension, tension.id) == tension


def test_a_concurrent_change_is_not_overwritten(page_as, demo_db):
    tension = _open_tension(demo_db)
    form = f"tension.{tension.id}"
    app = page_as(Screen.TENSIONS, "animator")
    with store.connect(demo_db) as db:  # someone else saves first
        store.update(db, "host:autre", Tension, tension.id, 1, {"actions": "Appel à la famille."})

    app.text_area(key=f"{form}.actions").input("Ma version.")
    app = _click(app, "Enregistrer le suivi")

    assert any("a été modifiée par host:autre" in w.value for w in app.warning)
    with store.connect(demo_db) as db:
        assert store.get(db, Tension, tension.id).actions == "Appel à la famille."
    # Reloading shows the other person's version.
    app = _click(app, "Recharger la fiche")
    assert app.text_area(key=f"{form}.actions").value == "Appel à la famille."


def test_the_host_reads_without_forms_and_may_not_write(page_as, accounts, demo_db):
    app = page_as(Screen.TENSIONS, "host")
    assert not app.exception
    assert app.dataframe
    assert not app.text_area
    assert not [b for b in app.button if b.label.startswith("Enregistrer")]
    with store.connect(demo_db) as db:
        host = user_of(db, store.get(db, Account, accounts["host"].id))
        tension = open_tensions(db, 1)[0]
        with pytest.raises(Forbidden):
            records.update(db, host, Tension, tension.id, tension.version, {"actions": "x"})


def test_filters_and_chart(page_as, demo_db):
    app = page_as(Screen.TENSIONS, "animator")
    app = app.multiselect(key="tensions.filter.kind").select("family").run()

    for table in app.dataframe:
        assert set(table.value["Type"]) <= {"avec une famille"}
    app = app.radio(key="tensions.chart.period").set_value("quarter").run()
    assert not app.exception
    assert app.get("vega_lite_chart")

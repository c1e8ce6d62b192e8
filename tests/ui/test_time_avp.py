"""Temps et AVP: time entries, budget, and the yearly report (screen, CSV, printable HTML)."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from habitat import store
from habitat.services import records, reports
from habitat.services.access import Forbidden, Screen, user_of
from habitat.store import queries
from habitat.store.entities import Account, Habitat, TimeEntry
from habitat.ui.labels import fr

from .conftest import TODAY, texts
from .field_errors import error_under

FORM = "time.new"


def _click(app, label):
    return next(b for b in app.button if b.label == label).click().run()


def test_the_animator_enters_time_for_a_support_function(page_as, demo_db):
    app = page_as(Screen.TIME, "animator")

    app.selectbox(key=f"{FORM}.function").select("collective_organisation")
    app.number_input(key=f"{FORM}.hours").set_value(2.5)
    app.text_input(key=f"{FORM}.note").input("Préparation du conseil")
    app = _click(app, "Enregistrer")

    assert not app.exception
    assert "Temps enregistré." in texts(app)
    with store.connect(demo_db) as db:
        entry = store.find(db, TimeEntry, "note = ?", ["Préparation du conseil"])[0]
        assert store.history(db, "time_entry", entry.id)[0].action == "create"
    assert entry.function == "collective_organisation"
    assert entry.hours == 2.5
    assert entry.worked_on == TODAY
    assert entry.avp_funded


def test_zero_hours_are_refused_next_to_the_field(page_as, demo_db):
    with store.connect(demo_db) as db:
        count = db.execute("SELECT COUNT(*) FROM time_entry").fetchone()[0]
    app = page_as(Screen.TIME, "animator")

    app = _click(app, "Enregistrer")

    assert error_under(app, f"{FORM}.hours").startswith("Heures : ")
    with store.connect(demo_db) as db:
        assert db.execute("SELECT COUNT(*) FROM time_entry").fetchone()[0] == count


def test_totals_per_function_match_the_entries(page_as, demo_db):
    app = page_as(Screen.TIME, "animator")
    table = next(t.value for t in app.dataframe if "Fonction" in t.value.columns)
    with store.connect(demo_db) as db:
        hours = db.execute(
            "SELECT SUM(hours) FROM time_entry WHERE worked_on LIKE ? AND archived_at IS NULL",
            [f"{TODAY.year}-%"],
        ).fetchone()[0]
    assert table["Heures"].sum() == pytest.approx(hours, abs=0.3)
    assert app.get("vega_lite_chart")


def test_the_host_reads_the_report_without_a_form_and_may_not_write(page_as, accounts, demo_db):
    app = page_as(Screen.TIME, "host")

    assert not app.exception
    assert not app.number_input
    assert "Rapport d'activité 2026 pour le département" in texts(app)
    labels = [d.proto.label for d in app.get("download_button")]
    assert labels == [
        "Télécharger le rapport (CSV)",
        "Télécharger le rapport imprimable (HTML, A4)",
    ]
    with store.connect(demo_db) as db:
        host = user_of(db, store.get(db, Account, accounts["host"].id))
        with pytest.raises(Forbidden):
            records.create(
                db,
                host,
                TimeEntry,
                {
                    "habitat_id": 1,
                    "person": "x",
                    "worked_on": date(2026, 6, 1),
                    "function": "premises",
                    "hours": 1,
                },
            )


def test_the_exported_report_neutralises_formulas_and_escapes_html(demo_db):
    with store.connect(demo_db) as db:
        habitat = store.get(db, Habitat, 1)
        store.update(
            db,
            "animator:test",
            Habitat,
            1,
            habitat.version,
            {"name": "<script>alert(1)</script>", "avp_tier": '=HYPERLINK("http://x")'},
        )
        report = queries.avp_report(db, 1, TODAY.year)

    text = reports.avp_csv(report, label=fr)
    page = reports.avp_html(report, label=fr)

    cells = [
        c for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";") for c in row
    ]
    assert '\'=HYPERLINK("http://x")' in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page

"""Temps et AVP: time entries, budget, and the yearly report (screen, CSV, printable HTML)."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from habitat import store
from habitat.documents import avp_report as reports
from habitat.services import records
from habitat.services.access import Forbidden, Screen, user_of
from habitat.store import queries
from habitat.store.entities import Account, Habitat, TimeEntry
from habitat.ui.labels import fr

from .conftest import TODAY, texts

GRID = "time.week"
MONDAY = TODAY - timedelta(days=TODAY.weekday())


def _click(app, label):
    return next(b for b in app.button if b.label == label).click().run()


def _cell(app, day: date, function: str):
    return next(
        n
        for n in app.number_input
        if n.key.startswith(GRID) and n.key.endswith(f".{day}.{function}")
    )


def _week_entries(demo_db, person: str) -> list[TimeEntry]:
    with store.connect(demo_db) as db:
        return store.find(
            db,
            TimeEntry,
            "person = ? AND worked_on >= ?",
            [person, MONDAY.isoformat()],
            order_by="worked_on, function",
        )


def test_the_animator_fills_then_corrects_a_week_in_one_grid(page_as, demo_db, accounts):
    person = accounts["animator"].display_name
    before = {e.id: e for e in _week_entries(demo_db, person)}
    app = page_as(Screen.TIME, "animator")
    # The grid opens on this week with what is already logged.
    logged = sum(
        e.hours for e in before.values() if (e.worked_on, e.function) == (MONDAY, "premises")
    )
    assert _cell(app, MONDAY, "premises").value == logged
    _cell(app, MONDAY, "premises").set_value(logged + 1.0)
    _cell(app, TODAY, "collective_organisation").set_value(2.5)
    app = _click(app, "Enregistrer la semaine")

    assert not app.exception
    assert f"Semaine du {MONDAY:%d/%m/%Y} enregistrée pour {person}." in texts(app)
    after = _week_entries(demo_db, person)
    changed = [e for e in after if before.get(e.id) != e]
    assert sorted((e.worked_on, e.function, e.hours) for e in changed) == [
        (MONDAY, "premises", logged + 1.0),
        (TODAY, "collective_organisation", 2.5),
    ]
    # The grid shows what was saved; correcting a cell makes a new version of its entry.
    assert _cell(app, TODAY, "collective_organisation").value == 2.5
    target = next(e for e in changed if e.function == "collective_organisation")
    _cell(app, TODAY, "collective_organisation").set_value(1.5)
    app = _click(app, "Enregistrer la semaine")

    assert not app.exception
    with store.connect(demo_db) as db:
        corrected = store.get(db, TimeEntry, target.id)
        last = store.history(db, "time_entry", target.id)[-1]
    assert (corrected.hours, corrected.version) == (1.5, target.version + 1)
    assert (last.action, last.before["hours"], last.after["hours"]) == ("update", 2.5, 1.5)
    assert len(_week_entries(demo_db, person)) == len(after)


def test_a_day_still_to_come_is_refused_and_nothing_is_saved(page_as, demo_db, accounts):
    person = accounts["animator"].display_name
    before = _week_entries(demo_db, person)
    app = page_as(Screen.TIME, "animator")
    _cell(app, MONDAY, "premises").set_value(1.0)
    _cell(app, TODAY + timedelta(days=1), "premises").set_value(2.0)

    app = _click(app, "Enregistrer la semaine")

    assert not app.exception
    assert any("Date : est dans le futur (nous sommes le 30/06/2026)" in e.value for e in app.error)
    assert _week_entries(demo_db, person) == before
    assert _cell(app, MONDAY, "premises").value == 1.0  # what was typed stays


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

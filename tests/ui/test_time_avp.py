"""Temps et AVP: time entries, budget, and the yearly report (screen, PDF, xlsx, HTML, CSV)."""

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
    assert [b.label for b in app.button if b.key == "time.report.prepare"] == [
        "Préparer le rapport"
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


def _prepare(app, fmt: str, period: str = "calendar"):
    app.radio(key="time.report.period").set_value(period)
    app.selectbox(key="time.report.format").set_value(fmt)
    return _click(app.run(), "Préparer le rapport")


def _downloaded(app):
    """The document the screen offers, and the download button's label."""
    buttons = [d for d in app.get("download_button") if d.proto.id.endswith("time.report.download")]
    assert len(buttons) == 1, "no report to download"
    return app.session_state["time.report.prepared"][1], buttons[0].proto.label


@pytest.mark.parametrize("role", ["animator", "host"])
def test_the_report_downloads_as_a_real_pdf_with_the_years_figures(page_as, demo_db, role):
    from tests.documents.conftest import pdf_text

    app = _prepare(page_as(Screen.TIME, role), "pdf")

    assert not app.exception
    document, label = _downloaded(app)
    assert label == f"Télécharger {document.filename}"
    assert document.filename.endswith(f"-{TODAY.year}.pdf")
    text = pdf_text(document.content)
    with store.connect(demo_db) as db:
        meetings = db.execute(
            "SELECT COUNT(*) FROM council_meeting WHERE archived_at IS NULL AND held_on LIKE ?",
            [f"{TODAY.year}-%"],
        ).fetchone()[0]
    assert f"Rapport d’activité {TODAY.year}" in text
    assert f"du 01/01/{TODAY.year} au 31/12/{TODAY.year}" in text
    assert "Temps par fonction de soutien" in text
    assert f"Réunions {meetings}" in " ".join(text.split())


def test_the_report_downloads_as_a_workbook_html_and_csv(page_as, demo_db):
    from tests.documents.conftest import xlsx_cells

    app = page_as(Screen.TIME, "animator")
    app = _prepare(app, "xlsx")
    book = xlsx_cells(_downloaded(app)[0].content)
    summary = book[f"Rapport {TODAY.year}"]
    assert summary[0] == ["Rubrique", "Élément", "Valeur"]
    assert ["Habitat", "Année", str(TODAY.year)] in summary
    assert "Tensions régulées" in book

    app = _prepare(app, "html")
    page = _downloaded(app)[0].content.decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Conseil des habitants" in page

    app = _prepare(app, "csv")
    rows = list(
        csv.reader(io.StringIO(_downloaded(app)[0].content.decode("utf-8-sig")), delimiter=";")
    )
    assert rows[0] == ["Rubrique", "Élément", "Valeur"]


def test_the_agreement_year_runs_from_the_agreements_anniversary(page_as, demo_db):
    with store.connect(demo_db) as db:
        start = store.get(db, Habitat, 1).avp_start
    app = _prepare(page_as(Screen.TIME, "animator"), "csv", "agreement")

    assert not app.exception
    document, _ = _downloaded(app)
    assert document.filename.endswith(f"-{TODAY.year}-convention.csv")
    text = document.content.decode("utf-8-sig")
    assert f"du {start:%d/%m}/{TODAY.year} au " in text


def test_the_agreement_year_is_refused_in_french_without_an_agreement_start(page_as, demo_db):
    with store.connect(demo_db) as db:
        habitat = store.get(db, Habitat, 1)
        store.update(db, "animator:test", Habitat, 1, habitat.version, {"avp_start": None})
    app = _prepare(page_as(Screen.TIME, "animator"), "pdf", "agreement")

    assert not app.exception
    assert any("date de début de convention AVP" in e.value for e in app.error)
    assert not [d for d in app.get("download_button") if "time.report" in d.proto.id]


def test_the_hourly_cost_set_in_the_settings_gives_the_reports_budget(page_as, demo_db):
    app = page_as(Screen.SETTINGS, "animator")
    app.number_input(key="settings.avp.animator_hourly_cost").set_value(32.0)
    app = _click(app, "Enregistrer la convention")
    assert not app.exception
    with store.connect(demo_db) as db:
        assert store.get(db, Habitat, 1).animator_hourly_cost == 32.0

    app = _prepare(page_as(Screen.TIME, "animator"), "csv")
    rows = list(
        csv.reader(io.StringIO(_downloaded(app)[0].content.decode("utf-8-sig")), delimiter=";")
    )
    cells = {(r[0], r[1]): r[2] for r in rows[1:]}
    hours = float(
        cells[("Budget utilisé", "Heures financées par l'AVP")].replace(" ", "").replace(",", ".")
    )
    assert cells[("Budget utilisé", "Coût horaire de l'animation")] == "32 €"
    expected = f"{round(hours * 32):,} €".replace(",", " ")
    assert cells[("Budget utilisé", "Coût du temps d'animation")] == expected


def _csv_cells(app) -> dict[tuple[str, str], str]:
    rows = list(
        csv.reader(io.StringIO(_downloaded(app)[0].content.decode("utf-8-sig")), delimiter=";")
    )
    return {(r[0], r[1]): r[2] for r in rows[1:]}


def test_the_animator_writes_the_text_and_adds_a_partner_that_the_report_shows(page_as, demo_db):
    from habitat.store.entities import ReportNarrative

    app = page_as(Screen.TIME, "animator")
    form = f"time.narrative.{TODAY.year}-01-01"
    app.text_area(key=f"{form}.text").input("Une année riche en projets.")
    app.number_input(key=f"{form}.other_spending").set_value(1200.0)
    app = _click(app, "Enregistrer le texte")
    assert not app.exception
    app.text_input(key="time.partner.name").input("Médiathèque Jean-Moulin")
    app.date_input(key="time.partner.started_on").set_value(date(TODAY.year, 2, 1))
    app = _click(app, "Ajouter le partenariat")
    assert not app.exception

    cells = _csv_cells(_prepare(app, "csv"))
    assert cells[("Le mot de l’animatrice ou de l’animateur", "Texte")] == (
        "Une année riche en projets."
    )
    assert cells[("Budget utilisé", "Autres dépenses")] == "1 200 €"
    assert cells[("Partenariats avec le quartier", "Médiathèque Jean-Moulin")].endswith(
        f"(depuis le 01/02/{TODAY.year})"
    )

    # Someone else saves the text meanwhile: the second save is refused, nothing lost.
    with store.connect(demo_db) as db:
        this_year = ("period_start = ?", [f"{TODAY.year}-01-01"])
        saved = store.find(db, ReportNarrative, *this_year)[0]
        store.update(db, "host:test", ReportNarrative, saved.id, saved.version, {"text": "Autre"})
    app.text_area(key=f"{form}.text").input("Ma version")
    app = _click(app, "Enregistrer le texte")
    with store.connect(demo_db) as db:
        assert store.find(db, ReportNarrative, *this_year)[0].text == "Autre"
    assert app.warning


def test_the_host_reads_the_text_without_a_form(page_as):
    app = page_as(Screen.TIME, "host")
    assert not app.exception
    assert not [b for b in app.button if b.label == "Enregistrer le texte"]
    assert "Aucun texte pour cette période." in texts(app)


def test_the_demo_report_of_last_year_has_its_text_and_partners(demo_db):
    from habitat.services import documents

    with store.connect(demo_db) as db:
        animator = user_of(db, store.find(db, Account, "role = 'animator'")[0])
        made = documents.avp_report(db, animator, 1, TODAY.year - 1, "csv")
    text = made.content.decode("utf-8-sig")
    assert "jardin partagé" in text
    assert "Médiathèque du quartier" in text
    assert "aucun" not in text.split("Partenariats avec le quartier;Partenariats actifs;")[1][:8]


def test_the_report_says_whether_the_habitats_model_estimate_is_joined(
    page_as, demo_db, monkeypatch
):
    from habitat.services import decisions, twin_results

    app = page_as(Screen.TIME, "animator")
    assert "Aucune estimation du modèle de l'habitat n'est jointe" in texts(app)
    monkeypatch.setenv("HABITAT_TODAY", TODAY.isoformat())
    with store.connect(demo_db) as db:
        animator = user_of(db, next(a for a in store.find(db, Account) if a.role == "animator"))
        answer = decisions.avp(db, animator, months=3, replications=10)
        twin_results.save_avp(db, animator, answer)
    app = app.run()
    assert not app.exception
    assert f"l'estimation du modèle de l'habitat jointe le {TODAY:%d/%m/%Y}" in texts(app)

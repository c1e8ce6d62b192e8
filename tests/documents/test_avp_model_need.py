"""The habitat's model's AVP answer in the yearly AVP report: its figures in every format."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

from habitat import store
from habitat.documents.avp_report import MODEL_NEED
from habitat.services import documents
from habitat.services.access import user_of
from habitat.store.entities import Account, AvpNeed, Habitat, Resident, Role

ACTOR = "test"
#: An answer as `twin_results.avp_need` saves it: hours a week by group.
FIGURES = [
    {"group": "premises", "logged": 1.5, "need": 2.25, "low": 2.0, "high": 2.5},
    {"group": "collective_organisation", "logged": 5.1, "need": 15.6, "low": 15.0, "high": 16.4},
    {"group": "presence_and_individual", "logged": 5.1, "need": 25.0, "low": 19.0, "high": 27.6},
    {"group": "total", "logged": 11.7, "need": 42.85, "low": 37.0, "high": 45.3},
]


def _save(db, asked_on: date, **changes) -> AvpNeed:
    values = {
        "habitat_id": 1,
        "model_from": asked_on,
        "model_to": date(asked_on.year + 1, asked_on.month, 1),
        "seed": 2026,
        "replications": 100,
        "figures_json": json.dumps(FIGURES),
        "hourly_cost": 31.5,
        "avp_per_resident": 8912.8,
        "current_avp_per_resident": 6000.0,
        "residents": 6,
        "note": "pour le renouvellement",
    }
    return store.create(db, ACTOR, AvpNeed, {**values, **changes})


def _report(path, year: int, fmt: str, period: str = "calendar") -> bytes:
    with store.connect(path) as db:
        animator = user_of(db, store.find(db, Account)[0])
        return documents.avp_report(db, animator, 1, year, fmt, period=period).content


def _section(content: bytes) -> dict[str, str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    return {item: value for section, item, value in rows if section == MODEL_NEED}


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_csv_gives_each_groups_hours_and_the_amount_against_todays(empty_db):
    with store.connect(empty_db) as db:
        _save(db, date(2025, 3, 10))
    section = _section(_report(empty_db, 2025, "csv"))
    assert section["Date de l'estimation"] == "10/03/2025"
    assert section["Période simulée"] == "du 10/03/2025 au 01/03/2026 (100 simulations)"
    assert section["veille des locaux et sécurité : temps saisi (h/semaine)"] == "1,5"
    assert section["organisation de la vie collective : besoin selon le modèle (h/semaine)"] == (
        "15,6"
    )
    assert (
        section["présence collective et soutien individuel : fourchette du besoin (h/semaine)"]
        == "19 à 27,6"
    )
    assert section["Total : besoin selon le modèle (h/semaine)"] == "42,9"
    assert section["AVP par habitant et par an que ce besoin justifie"] == "8 913 €"
    assert section["AVP par habitant et par an de la convention"] == "6 000 €"
    assert section["Coût horaire retenu"] == "31,50 €"
    assert section["Note"] == "pour le renouvellement"
    assert "estimation du modèle" in section["Avertissement"].lower()
    assert "hypothèses" in section["Avertissement"]


def test_the_pdf_html_and_workbook_show_the_same_section(empty_db, read_pdf, read_xlsx):
    with store.connect(empty_db) as db:
        _save(db, date(2025, 3, 10), hourly_cost=None, avp_per_resident=None, note=None)
    # A long label wraps after "h/" in its cell.
    text = _flat(read_pdf(_report(empty_db, 2025, "pdf"))).replace("h/ ", "h/")
    assert _flat(MODEL_NEED) in text
    assert "Total : besoin selon le modèle (h/semaine) 42,9" in text
    assert "Total : fourchette du besoin (h/semaine) 37 à 45,3" in text
    assert "non calculée (coût horaire non renseigné)" in text
    assert "Coût horaire retenu" not in text and "Note" not in text
    html = _report(empty_db, 2025, "html").decode()
    assert "Besoin en temps d&#x27;animation" in html or "Besoin en temps d'animation" in html
    sheets = read_xlsx(_report(empty_db, 2025, "xlsx"))
    (sheet,) = [rows for title, rows in sheets.items() if title.startswith("Besoin en temps")]
    assert ["Total : temps saisi (h/semaine)", "11,7"] in [list(r) for r in sheet]


def test_the_report_takes_the_newest_answer_of_its_period_and_none_of_another(empty_db):
    with store.connect(empty_db) as db:
        _save(db, date(2025, 3, 10), note="mars")
        _save(db, date(2025, 9, 1), note="septembre")
        _save(db, date(2025, 6, 1), note="juin, enregistrée après")
        _save(db, date(2026, 1, 5), note="l'année suivante")
    assert _section(_report(empty_db, 2025, "csv"))["Note"] == "septembre"
    assert _section(_report(empty_db, 2026, "csv"))["Note"] == "l'année suivante"
    # The agreement year from 1 April 2024 to 31 March 2025 holds only March's.
    assert _section(_report(empty_db, 2024, "csv", "agreement"))["Note"] == "mars"


def test_without_a_saved_answer_the_report_says_nothing_of_the_model(empty_db, read_pdf):
    with store.connect(empty_db) as db:
        _save(db, date(2025, 3, 10))
    assert _section(_report(empty_db, 2024, "csv")) == {}
    text = _flat(read_pdf(_report(empty_db, 2024, "pdf")))
    assert "Besoin en temps" not in text and "modèle" not in text


def test_from_an_empty_database_the_answer_needs_a_resident_then_joins_the_report(
    tmp_path, run_cli, monkeypatch
):
    monkeypatch.setenv("HABITAT_TODAY", "2026-12-01")
    path = str(tmp_path / "habitat.db")
    assert run_cli("db", "init", "--db", path)[0] == 0
    setup_file = tmp_path / "habitat.yaml"
    setup_file.write_text(
        "habitat: {name: Habitat vide, host_organisation: Asso, address: 1 rue X}\ndwellings: 2\n"
    )
    code, _, err = run_cli("setup", "--from", str(setup_file), "--db", path)
    assert code == 0, err
    monkeypatch.setattr("sys.stdin", io.StringIO("une longue phrase\n"))
    code, _, err = run_cli(
        "users", "add", "c.martin", "--name", "Claire Martin", "--role", "animator",
        "--password-stdin", "--db", path,
    )  # fmt: skip
    assert code == 0, err
    ask = ("twin", "ask", "avp", "--save", "-r", "10", "--months", "3", "--db", path)
    report = ("documents", "avp-report", "--year", "2026", "--format", "csv", "--db", path)

    code, out, err = run_cli(*ask)
    assert code == 2 and "no resident" in err and "saved" not in err and out == ""
    code, _, err = run_cli(*report, "--out", str(tmp_path / "before.csv"))
    assert code == 0, err
    assert _section((tmp_path / "before.csv").read_bytes()) == {}

    with store.connect(path) as db:
        store.create(
            db,
            ACTOR,
            Resident,
            {
                "habitat_id": store.find(db, Habitat)[0].stored_id,
                "first_name": "Jeanne",
                "last_name": "Roux",
                "public": "elderly",
                "gir": 4,
                "entry_date": date(2026, 9, 1),
            },
        )
    code, out, err = run_cli(*ask)
    assert code == 0 and "the AVP report of 2026" in err, err
    assert "total: logged 0.0 h/week" in out  # nothing logged yet
    code, _, err = run_cli(*report, "--out", str(tmp_path / "after.csv"))
    assert code == 0, err
    section = _section((tmp_path / "after.csv").read_bytes())
    assert section["Date de l'estimation"] == "01/12/2026"
    assert section["Habitants pris en compte"] == "1"
    assert "Total : besoin selon le modèle (h/semaine)" in section


def test_a_database_of_the_previous_version_is_migrated_and_keeps_its_report(tmp_path):
    from habitat.store.migrations import migrations

    path = tmp_path / "habitat.db"
    with store.connect(path) as db:  # as the version before this one left it
        migrations.apply(db, stop_before="m016_avp_need")
        store.create(
            db, ACTOR, Habitat, {"name": "Les Glycines", "host_organisation": "Asso",
                                 "address": "1 rue des Lilas", "dwellings": 6},
        )  # fmt: skip
        store.create(
            db, ACTOR, Account, {"username": "anim", "display_name": "Anim", "role": Role.ANIMATOR}
        )
    assert "m016_avp_need" in store.init(path)
    assert _section(_report(path, 2025, "csv")) == {}
    with store.connect(path) as db:
        _save(db, date(2025, 3, 10))
    assert _section(_report(path, 2025, "csv"))["Date de l'estimation"] == "10/03/2025"
    assert store.check(path).ok

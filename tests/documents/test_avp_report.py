"""The AVP report's CSV and printable HTML: pure functions of the report."""

from __future__ import annotations

import csv
import io

import pytest

from habitat.documents import avp_report as reports
from habitat.store.entities import Habitat
from habitat.store.queries import AvpReport
from habitat.ui.labels import fr

SCRIPT = "<script>alert('x')</script>"


def _report(**habitat) -> AvpReport:
    values = {
        "name": "La Maison des Tilleuls",
        "host_organisation": "Association Vivre Ensemble",
        "address": "14 rue des Tilleuls, 17100 Saintes",
        "dwellings": 8,
        "avp_amount_per_resident": 7500.0,
        "avp_tier": "Palier 2",
    }
    return AvpReport(
        habitat=Habitat(**(values | habitat)),
        year=2025,
        resident_days=2920,
        avp_budget=60000.0,
        hours_by_function={
            "premises": 120.0,
            "collective_organisation": 600.5,
            "collective_presence": 300.0,
            "individual_support": 80.0,
        },
        avp_hours_by_month={m: 90.0 for m in range(1, 13)},
        activities_by_category={"meal": 40, "outing": 12, "family": 0},
        activities_outside=12,
        participation={1: 0.8, 2: 0.1},
        tensions_by_kind={"family": 3, "common_spaces": 5},
        council_meetings=11,
        decisions_done=7,
        decisions_total=9,
    )


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_csv_lists_the_figures_in_french():
    rows = _rows(reports.avp_csv(_report(), label=fr, residents={1: "H-ABCDEF"}))

    assert rows[0] == ["Rubrique", "Élément", "Valeur"]
    assert ["Temps par fonction de soutien (h)", "Total", "1 100,5"] in rows
    assert ["Tensions régulées", "avec une famille", "3"] in rows
    assert ["Participation par habitant", "H-ABCDEF", "80 %"] in rows
    assert ["Participation par habitant", "habitant n° 2", "10 %"] in rows
    assert ["Conseil des habitants", "Décisions réalisées", "7"] in rows


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "=1+1"])
def test_csv_neutralises_formulas_typed_in_a_record(formula):
    text = reports.avp_csv(_report(name=formula, avp_tier=formula), label=fr)

    cells = [cell for row in _rows(text) for cell in row]
    assert "'" + formula in cells
    assert formula not in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_html_escapes_a_script_typed_in_a_record():
    page = reports.avp_html(_report(name=SCRIPT, address='"><img src=x onerror=alert(1)>'))

    assert SCRIPT not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<script" not in page.lower()


def test_html_is_a_self_contained_printable_a4_page():
    page = reports.avp_html(_report(), label=fr)

    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4" in page
    assert "http://" not in page and "https://" not in page
    assert "<link" not in page and "src=" not in page
    assert "Rapport d’activité 2025" in page
    assert "organisation de la vie collective" in page


def test_unknown_codes_are_shown_as_stored():
    report = _report()
    report.tensions_by_kind["a_new_kind"] = 2

    rows = _rows(reports.avp_csv(report, label=fr))

    assert ["Tensions régulées", "a_new_kind", "2"] in rows

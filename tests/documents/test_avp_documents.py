"""The AVP report as a document: period, every format, scope, hostile text, the CLI."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from habitat import store
from habitat.documents.render import Format
from habitat.services import documents
from habitat.services.access import Forbidden, user_of
from habitat.store.entities import Account, Habitat, Role, TimeEntry

HOSTILE = '<script>alert(1)</script>=HYPERLINK("http://evil")'
CONTROL = "Les\x07 Glycines\x1b\x00"
ACTOR = "test"


def _user(db, role: Role):
    account = store.find(db, Account, "role = ?", [role.value])[0]
    return user_of(db, account)


def test_the_calendar_and_agreement_periods():
    habitat = Habitat(
        name="x", host_organisation="x", address="x", dwellings=1, avp_start=date(2024, 4, 1)
    )
    assert documents.report_period(habitat, 2026, "calendar") == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert documents.report_period(habitat, 2025, "agreement") == (
        date(2025, 4, 1),
        date(2026, 3, 31),
    )


@pytest.mark.parametrize(
    ("year", "period", "field"),
    [(1999, "calendar", "year"), (2101, "calendar", "year"), (2025, "fiscal", "period")],
)
def test_a_bad_period_names_its_field(year, period, field):
    habitat = Habitat(name="x", host_organisation="x", address="x", dwellings=1)
    with pytest.raises(documents.BadPeriod) as caught:
        documents.report_period(habitat, year, period)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{field}: ")


def test_the_agreement_year_needs_an_agreement_start():
    habitat = Habitat(name="x", host_organisation="x", address="x", dwellings=1)
    with pytest.raises(documents.BadPeriod, match="avp_start"):
        documents.report_period(habitat, 2025, "agreement")


def test_an_empty_habitat_still_gets_its_report_in_every_format(empty_db, read_pdf, read_xlsx):
    with store.connect(empty_db) as db:
        user = _user(db, Role.ANIMATOR)
        made = {
            fmt: documents.avp_report(db, user, user.habitat_id, 2026, fmt)
            for fmt in ("pdf", "xlsx", "html", "csv")
        }
    assert (
        made["pdf"].format is Format.PDF
        and made["pdf"].filename == "rapport-avp-Les-Glycines-2026.pdf"
    )
    text = " ".join(read_pdf(made["pdf"].content).split())
    assert "Rapport d’activité 2026" in text and "Les Glycines" in text
    assert "Total 0" in text
    summary = read_xlsx(made["xlsx"].content)["Rapport 2026"]
    assert ["Conseil des habitants", "Réunions", "0"] in summary
    assert ["AVP", "Montant dû au prorata de la présence", "0 €"] in summary


def test_hours_in_the_agreement_year_count_there_and_not_in_the_calendar_year(empty_db, read_xlsx):
    with store.connect(empty_db) as db:
        for day, hours in (
            (date(2025, 3, 31), 2.0),
            (date(2025, 4, 1), 3.0),
            (date(2026, 3, 31), 5.0),
        ):
            store.create(
                db,
                ACTOR,
                TimeEntry,
                {
                    "habitat_id": 1,
                    "person": "A",
                    "worked_on": day,
                    "function": "premises",
                    "hours": hours,
                },
            )
        user = _user(db, Role.ANIMATOR)
        agreement = documents.avp_report(db, user, 1, 2025, "xlsx", period="agreement")
        calendar = documents.avp_report(db, user, 1, 2025, "xlsx")
    rows = read_xlsx(agreement.content)["Rapport 2025"]
    assert ["Habitat", "Période", "du 01/04/2025 au 31/03/2026"] in rows
    assert ["Temps par fonction de soutien (h)", "Total", "8"] in rows
    rows = read_xlsx(calendar.content)["Rapport 2025"]
    assert ["Temps par fonction de soutien (h)", "Total", "5"] in rows


def test_only_the_time_screens_roles_get_the_report(empty_db):
    with store.connect(empty_db) as db:
        host = _user(db, Role.HOST)
        assert documents.avp_report(db, host, 1, 2026, "csv").content
        other = _user(db, Role.PROMOTER)
        with pytest.raises(Forbidden):
            documents.avp_report(db, other, 1, 2026, "csv")


def test_a_bad_format_names_the_field(empty_db):
    with store.connect(empty_db) as db, pytest.raises(documents.BadPeriod, match=r"^format: "):
        documents.avp_report(db, _user(db, Role.ANIMATOR), 1, 2026, "docx")


def test_hostile_text_comes_out_as_text_in_every_format(empty_db, read_pdf, read_xlsx):
    with store.connect(empty_db) as db:
        habitat = store.get(db, Habitat, 1)
        store.update(db, ACTOR, Habitat, 1, habitat.version, {"name": HOSTILE, "avp_tier": "=1+1"})
        from habitat.store.entities import Partnership, ReportNarrative

        _add(db, Partnership, habitat_id=1, name="@SUM(A1)", started_on=date(2026, 1, 1))
        _add(
            db,
            ReportNarrative,
            habitat_id=1,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            text=HOSTILE,
        )
        user = _user(db, Role.ANIMATOR)
        made = {
            f: documents.avp_report(db, user, 1, 2026, f).content
            for f in ("pdf", "xlsx", "html", "csv")
        }
    page = made["html"].decode("utf-8")
    assert "<script" not in page and "&lt;script&gt;" in page
    text = read_pdf(made["pdf"])
    assert "<script>alert(1)</script>" in text
    cells = [c for sheet in read_xlsx(made["xlsx"]).values() for row in sheet for c in row]
    assert "'=1+1" in cells
    assert not any(isinstance(c, str) and c.startswith(("=", "+", "@")) for c in cells)
    rows = list(csv.reader(io.StringIO(made["csv"].decode("utf-8-sig")), delimiter=";"))
    assert ["AVP", "Palier", "'=1+1"] in rows
    assert "'@SUM(A1)" in cells and "'@SUM(A1)" in {c for row in rows for c in row}
    assert page.count("&lt;script&gt;") == 4  # title, header, name line, narrative: no tag


def test_control_characters_never_reach_a_file(read_pdf, read_xlsx):
    """The store refuses them; the renderers drop them anyway (an older or imported record)."""
    from habitat.documents import avp_report as reports
    from habitat.store.queries import AvpReport

    habitat = Habitat.model_construct(
        name=CONTROL,
        host_organisation="=cmd|' /C calc'!A0",
        address="\x0b",
        dwellings=1,
        avp_amount_per_resident=0.0,
        avp_tier=None,
    )
    report = AvpReport(habitat, 2026, 0, 0.0, {}, {}, {}, 0, {}, {}, 0, 0, 0)
    files = {
        "html": reports.avp_html(report),
        "csv": reports.avp_csv(report),
        "pdf": read_pdf(reports.avp_pdf(report)),
        "xlsx": repr(read_xlsx(reports.avp_xlsx(report))),
    }
    for name, text in files.items():
        assert not any(c in text for c in "\x07\x1b\x00\x0b"), name
        assert "Les Glycines" in text, name
    assert "'=cmd" in files["csv"] and "'=cmd" in files["xlsx"]


def test_the_cli_writes_each_format_and_refuses_clearly(empty_db, tmp_path, run_cli, read_pdf):
    out = tmp_path / "rapport.pdf"
    status, stdout, _ = run_cli(
        "documents", "avp-report", "--year", "2026", "--out", str(out), "--db", str(empty_db)
    )
    assert status == 0, stdout
    assert "Les Glycines" in read_pdf(out.read_bytes())
    status, _, err = run_cli(
        "documents", "avp-report", "--year", "2026", "--as", "promoter", "--db", str(empty_db)
    )
    assert status != 0 and "--as" in err
    status, _, err = run_cli("documents", "avp-report", "--year", "1800", "--db", str(empty_db))
    assert status != 0 and "--year" in err
    status, _, err = run_cli(
        "documents", "avp-report", "--year", "2026", "--format", "docx", "--db", str(empty_db)
    )
    assert status != 0 and "--format" in err


def _add(db, model, **values):
    return store.create(db, ACTOR, model, values)


def test_the_years_profile_regulation_partners_and_budget(empty_db, read_xlsx):
    from habitat.store.entities import Partnership, ReportNarrative, Resident, Tension

    with store.connect(empty_db) as db:
        habitat = store.get(db, Habitat, 1)
        store.update(db, ACTOR, Habitat, 1, habitat.version, {"animator_hourly_cost": 30})
        person = {"habitat_id": 1, "first_name": "A", "last_name": "B"}
        _add(db, Resident, **person, public="elderly", gir=4, entry_date=date(2020, 1, 1))
        _add(db, Resident, **person, public="elderly", gir=4, entry_date=date(2026, 3, 1))
        _add(
            db,
            Resident,
            **person,
            public="motor",
            support_level="low",
            entry_date=date(2026, 5, 1),
            entry_mode="default",
        )
        _add(
            db,
            Resident,
            **person,
            public="elderly",
            gir=2,
            entry_date=date(2021, 1, 1),
            exit_date=date(2026, 6, 30),
            exit_reason="institution",
        )
        _add(db, Resident, **person, public="psychic", gir=5, entry_date=date(2027, 2, 1))  # later
        tension = {"habitat_id": 1, "severity": "low", "description": "bruit"}
        for occurred, resolved in (
            (date(2026, 1, 10), date(2026, 1, 14)),
            (date(2026, 2, 1), None),
        ):
            _add(
                db,
                Tension,
                **tension,
                kind="common_spaces",
                occurred_on=occurred,
                status="closed" if resolved else "open",
                resolved_on=resolved,
            )
        _add(
            db,
            Tension,
            **tension,
            kind="common_spaces",
            occurred_on=date(2026, 3, 1),
            status="closed",
            resolved_on=date(2026, 3, 11),
        )
        _add(
            db,
            Partnership,
            habitat_id=1,
            name="Médiathèque",
            kind="culture",
            started_on=date(2025, 9, 1),
        )
        _add(
            db,
            Partnership,
            habitat_id=1,
            name="Club de foot",
            started_on=date(2024, 1, 1),
            ended_on=date(2025, 12, 31),
        )
        _add(
            db,
            ReportNarrative,
            habitat_id=1,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
            text="Une année de jardin partagé.",
            other_spending=500,
        )
        _add(
            db,
            TimeEntry,
            habitat_id=1,
            person="A",
            worked_on=date(2026, 2, 2),
            function="premises",
            hours=10,
            avp_funded=True,
        )
        user = _user(db, Role.ANIMATOR)
        rows = read_xlsx(documents.avp_report(db, user, 1, 2026, "xlsx").content)["Rapport 2026"]

    def value(section, item):
        return next(r[2] for r in rows if r[0] == section and r[1] == item)

    assert value("Habitants présents par public", "Total") == "4"
    assert value("Habitants présents par GIR", "GIR 4") == "2"
    assert value("Habitants présents par GIR", "GIR non évalué") == "1"
    assert value("Entrées dans la période", "Total") == "2"
    assert value("Sorties dans la période", "Total") == "1"
    assert value("Régulation des tensions", "Tensions résolues") == "2"
    assert value("Régulation des tensions", "Durée médiane avant résolution (jours)") == "7"
    assert value("Partenariats avec le quartier", "Partenariats actifs") == "1"
    assert "depuis le 01/09/2025" in value("Partenariats avec le quartier", "Médiathèque")
    assert value("Budget utilisé", "Budget utilisé") == "800 €"  # 10 h x 30 € + 500 €
    assert (
        value("Le mot de l’animatrice ou de l’animateur", "Texte") == "Une année de jardin partagé."
    )


def test_an_empty_habitat_says_aucun_and_that_the_hourly_cost_is_missing(empty_db, read_xlsx):
    with store.connect(empty_db) as db:
        user = _user(db, Role.ANIMATOR)
        rows = read_xlsx(documents.avp_report(db, user, 1, 2026, "xlsx").content)["Rapport 2026"]
    cells = {(r[0], r[1]): r[2] for r in rows}
    assert cells[("Entrées dans la période", "Total")] == "aucun"
    assert cells[("Partenariats avec le quartier", "Partenariats actifs")] == "aucun"
    assert cells[("Le mot de l’animatrice ou de l’animateur", "Texte")] == "aucun"
    assert cells[("Budget utilisé", "Coût horaire de l'animation")].startswith("non renseigné")

"""A dwelling holds one resident at a time; the habitat no more residents than dwellings."""

from __future__ import annotations

from datetime import date

import pytest

from habitat import clock, store
from habitat.store.entities import Dwelling, Habitat, Resident
from habitat.store.queries import avp_report
from habitat.store.queries_follow_up import avp_budget

ACTOR = "animator:lea"
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def eight(fresh_db, habitat):
    """The habitat's eight dwellings, named, and an AVP agreement from 1 January."""
    for n in range(1, 9):
        store.create(fresh_db, ACTOR, Dwelling, {"habitat_id": habitat.id, "name": f"Logement {n}"})
    return store.update(
        fresh_db,
        ACTOR,
        Habitat,
        habitat.id,
        habitat.version,
        {"avp_amount_per_resident": 7300, "avp_start": "2026-01-01"},
    )


def _resident(db, habitat, dwelling, **more):
    data = {
        "habitat_id": habitat.id,
        "first_name": "Paul",
        "last_name": f"Durand {dwelling}",
        "public": "elderly",
        "gir": 4,
        "dwelling": dwelling,
        "entry_date": "2026-01-01",
        **more,
    }
    return store.create(db, ACTOR, Resident, data)


def test_a_resident_saved_into_an_occupied_dwelling_is_refused(fresh_db, eight):
    _resident(fresh_db, eight, "Logement 7")
    with pytest.raises(store.InvalidRecord) as refused:
        _resident(fresh_db, eight, "Logement 7", first_name="Marie")
    assert refused.value.by_field()["dwelling"].startswith(
        "le logement « Logement 7 » est occupé par un·e autre habitant·e jusqu'à son départ"
    )
    assert len(store.find(fresh_db, Resident)) == 1


def test_an_edit_into_an_occupied_dwelling_is_refused_and_says_until_when(fresh_db, eight):
    _resident(fresh_db, eight, "Logement 7", exit_date="2027-03-31", exit_reason="family")
    other = _resident(fresh_db, eight, "Logement 6")
    with pytest.raises(store.InvalidRecord) as refused:
        store.update(fresh_db, ACTOR, Resident, other.id, other.version, {"dwelling": "Logement 7"})
    assert "jusqu'au 31/03/2027" in refused.value.by_field()["dwelling"]
    assert store.get(fresh_db, Resident, other.id).dwelling == "Logement 6"


def test_a_dwelling_is_free_again_after_its_resident_left(fresh_db, eight):
    leaving = _resident(fresh_db, eight, "Logement 7")
    store.update(
        fresh_db,
        ACTOR,
        Resident,
        leaving.id,
        leaving.version,
        {"exit_date": "2026-11-30", "exit_reason": "institution"},
    )
    _resident(fresh_db, eight, "Logement 7", entry_date="2026-12-01")


def test_a_newcomer_may_be_booked_in_after_the_exit_date(fresh_db, eight):
    _resident(fresh_db, eight, "Logement 7", exit_date="2027-01-31", exit_reason="family")
    _resident(fresh_db, eight, "Logement 7", entry_date="2027-02-01")
    with pytest.raises(store.InvalidRecord):
        _resident(fresh_db, eight, "Logement 7", entry_date="2027-01-15")


def test_an_undeclared_dwelling_is_refused_naming_the_declared_ones(fresh_db, eight):
    with pytest.raises(store.InvalidRecord) as refused:
        _resident(fresh_db, eight, "Logement 9")
    message = refused.value.by_field()["dwelling"]
    assert "« Logement 9 » n'est pas un logement de l'habitat" in message
    assert "« Logement 1 »" in message


def test_a_ninth_resident_in_eight_dwellings_is_refused(fresh_db, eight):
    for n in range(1, 9):
        _resident(fresh_db, eight, f"Logement {n}")
    with pytest.raises(store.InvalidRecord) as refused:
        _resident(fresh_db, eight, None)
    assert "8 logements et 8 habitant·es présent·es" in refused.value.by_field()["dwelling"]
    assert len(store.find(fresh_db, Resident)) == 8


def test_without_named_dwellings_the_count_still_holds(fresh_db, habitat):
    for n in range(8):
        _resident(fresh_db, habitat, f"Chambre {n}")
    with pytest.raises(store.InvalidRecord) as refused:
        _resident(fresh_db, habitat, "Chambre 9")
    assert "8 logements" in refused.value.message_fr


def test_a_former_resident_is_not_checked_again(fresh_db, eight):
    _resident(fresh_db, eight, "Logement 1")
    gone = _resident(fresh_db, eight, "Logement 2", exit_date="2026-06-30", exit_reason="hospital")
    # A past stay may name a dwelling since renamed: its file still saves.
    store.update(fresh_db, ACTOR, Resident, gone.id, gone.version, {"dwelling": "Ancien 2"})


def test_the_avp_budget_follows_the_residents_present(fresh_db, eight):
    for n in range(1, 5):
        _resident(fresh_db, eight, f"Logement {n}")
    _resident(
        fresh_db,
        eight,
        "Logement 5",
        entry_date="2026-01-01",
        exit_date="2026-07-02",
        exit_reason="family",
    )
    archived = _resident(fresh_db, eight, "Logement 6")
    store.archive(fresh_db, ACTOR, Resident, archived.id, archived.version)
    budget = avp_budget(fresh_db, eight.id, 2026, TODAY)
    assert budget.residents == 4
    assert budget.annual_budget == pytest.approx(4 * 7300)
    report = avp_report(fresh_db, eight.id, 2026)
    # Four all year, one for half a year (182 days): the archived file is not paid for.
    assert report.resident_days == 4 * 365 + 182
    assert report.avp_budget == pytest.approx(7300 * (4 * 365 + 182) / 365)


def test_the_avp_report_stops_at_the_agreement_end(fresh_db, eight):
    store.update(fresh_db, ACTOR, Habitat, eight.id, eight.version, {"avp_end": "2026-06-30"})
    _resident(fresh_db, eight, "Logement 1")
    report = avp_report(fresh_db, eight.id, 2026)
    assert report.resident_days == 365
    assert report.avp_budget == pytest.approx(7300 * 181 / 365)

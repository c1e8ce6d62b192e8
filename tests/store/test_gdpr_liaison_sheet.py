"""GDPR and the hospital liaison sheet: exported with the resident, erased with them."""

from __future__ import annotations

import json
import shutil

import pytest

from habitat import demo, store
from habitat.store.entities import LiaisonSheet, Resident
from habitat.store.gdpr import erase_resident, export_resident

FIELDS = (
    "trusted_person",
    "trusted_person_phone",
    "gp",
    "gp_phone",
    "treatments",
    "allergies",
    "usual_life",
)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build(path)
    return path


@pytest.fixture
def db(demo_template, tmp_path):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_template, path)
    with store.connect(path) as conn:
        yield conn


def _sheet(db) -> tuple[Resident, LiaisonSheet]:
    sheet = next(s for s in store.find(db, LiaisonSheet) if all(getattr(s, f) for f in FIELDS))
    return store.get(db, Resident, sheet.resident_id), sheet


def test_the_export_holds_the_liaison_sheet(db):
    resident, sheet = _sheet(db)
    document = json.loads(export_resident(db, "animatrice", resident.id).to_json())
    exported = document["records"]["liaison_sheet"]
    assert [row["id"] for row in exported] == [sheet.id]
    assert exported[0]["treatments"] == sheet.treatments
    assert exported[0]["gp"] == sheet.gp


def test_erasing_a_resident_erases_their_liaison_sheets_content(db):
    resident, sheet = _sheet(db)
    erase_resident(db, "animatrice", resident.id, "Demande de la personne")
    row = db.execute("SELECT * FROM liaison_sheet WHERE id = ?", [sheet.id]).fetchone()
    columns = [d[0] for d in db.execute("SELECT * FROM liaison_sheet LIMIT 0").description]
    after = dict(zip(columns, row, strict=True)) if row else {}
    for field in FIELDS:
        assert after.get(field) in (None, ""), field
    for entry in store.history(db, "liaison_sheet", sheet.id):
        for state in (entry.before or {}, entry.after or {}):
            assert all(state.get(field) in (None, "") for field in FIELDS), entry

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

from habitat import store
from habitat.store.entities import RECORDS, Habitat, Resident

ACTOR = "animatrice"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "habitat.db"
    store.init(path)
    return path


@pytest.fixture
def fresh_db(db_path: Path) -> Iterator[sqlite_utils.Database]:
    db = store.connect(db_path)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def habitat(fresh_db: sqlite_utils.Database) -> Habitat:
    return store.create(
        fresh_db,
        ACTOR,
        Habitat,
        {
            "name": "La Maison des Tilleuls",
            "host_organisation": "Association Vivre Ensemble",
            "address": "12 rue des Tilleuls, 17000 La Rochelle",
            "dwellings": 8,
        },
    )


@pytest.fixture
def resident(fresh_db: sqlite_utils.Database, habitat: Habitat) -> Resident:
    return store.create(
        fresh_db,
        ACTOR,
        Resident,
        {
            "habitat_id": habitat.id,
            "first_name": "Jeanne",
            "last_name": "Martin",
            "birth_year": 1938,
            "public": "elderly",
            "gir": 4,
            "entry_date": "2024-03-01",
        },
    )


# --- Valid data for every entity, its parent rows created on the way ----------------


def _first(db: sqlite_utils.Database, table: str) -> int:
    """The id of a row of `table`, created (with its own parents) when there is none."""
    row = db.execute(f"SELECT id FROM {table} ORDER BY id LIMIT 1").fetchone()
    if row:
        return row[0]
    return store.create(db, ACTOR, RECORDS[table], FACTORIES[table](db)).id


def _count(db: sqlite_utils.Database, table: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]


def _residents(db: sqlite_utils.Database, count: int) -> list[int]:
    """Ids of `count` residents, created as needed."""
    ids = [row[0] for row in db.execute("SELECT id FROM resident ORDER BY id LIMIT ?", [count])]
    while len(ids) < count:
        ids.append(store.create(db, ACTOR, Resident, FACTORIES["resident"](db)).id)
    return ids


def _future_activity(db: sqlite_utils.Database) -> int:
    """An activity in 2099, created once (registrations are for what is to come)."""
    row = db.execute("SELECT id FROM activity WHERE starts_at >= '2099'").fetchone()
    if row:
        return row[0]
    data = {**FACTORIES["activity"](db), "starts_at": "2099-05-02T14:00"}
    data["ends_at"] = "2099-05-02T16:00"
    return store.create(db, ACTOR, RECORDS["activity"], data).id


#: Unique values (user names) differ from one factory call to the next.
_SERIAL = itertools.count(1)

FACTORIES: dict[str, Callable[[sqlite_utils.Database], dict[str, Any]]] = {
    "habitat": lambda db: {
        "name": "Les Jardins du Lac",
        "host_organisation": "Association Habiter Autrement",
        "address": "3 allée des Cygnes, 74000 Annecy",
        "dwellings": 10,
        "avp_amount_per_resident": 8000.0,
        "avp_tier": "palier 2",
        "avp_start": "2024-01-01",
        "avp_end": "2030-12-31",
        "presence_from": "08:00",
        "presence_to": "21:00",
    },
    "common_space": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "name": "Salle commune",
        "capacity": 20,
    },
    "dwelling": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "name": f"Logement {_count(db, 'dwelling') + 1}",
    },
    "shared_life_project": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "number": 1,
        "text": "Vivre ensemble, chacun chez soi.",
        "adopted_on": "2024-02-01",
        "adopted_by": "Conseil des habitants",
    },
    "house_rule": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "title": "Salle commune",
        "text": "On range la cuisine après usage.",
        "adopted_on": "2024-02-01",
        "adopted_by": "Conseil des habitants",
    },
    "resident": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "first_name": "Paul",
        "last_name": "Durand",
        "birth_year": 1985,
        "public": "motor",
        "support_level": "moderate",
        "dwelling": "Logement 4",
        "emergency_contact": "Marie Durand",
        "entry_date": "2024-03-01",
        "entry_mode": "chosen",
    },
    # One sheet per resident: each call gives a resident of its own.
    "liaison_sheet": lambda db: {
        "resident_id": store.create(db, ACTOR, Resident, FACTORIES["resident"](db)).id,
        "trusted_person": "Marie Durand (sœur)",
        "trusted_person_phone": "06 12 34 56 78",
        "gp": "Dr Anne Morel",
        "gp_phone": "04 50 12 34 56",
        "treatments": "Lévothyrox le matin (selon l'ordonnance du 2 mai).",
        "allergies": "Pénicilline",
        "usual_life": "Se lève à 7 h ; marche avec une canne ; appareil auditif à gauche.",
        "updated_on": "2024-05-02",
    },
    "carer": lambda db: {
        "resident_id": _first(db, "resident"),
        "first_name": "Marie",
        "last_name": "Durand",
        "relation": "sibling",
        "phone": "06 12 34 56 78",
        "email": "marie.durand@example.org",
        "does_care": True,
        "usual_hours_per_week": 4.5,
        "consent_to_share": True,
        "consent_date": "2024-03-01",
    },
    "provider": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "name": "SAAD Aide à Domicile 74",
        "kind": "home_help",
        "arrangement": "habitat",
        "contact_name": "Sophie Bernard",
        "phone": "+33 4 50 00 00 00",
        "email": "contact@saad74.example.org",
        "address": "1 place de la Mairie, 74000 Annecy",
        "services": "Aide au lever, repas.",
        "finess": "740000001",
    },
    "support_plan": lambda db: {
        "resident_id": _first(db, "resident"),
        "started_on": "2024-03-15",
        "review_due": "2024-09-15",
        "preferences": "Se lève tard, aime le jardin.",
    },
    "plan_need": lambda db: {
        "plan_id": _first(db, "support_plan"),
        "domain": "mobility",
        "intensity": "moderate",
        "description": "Transferts fauteuil-lit avec aide.",
    },
    "intervention": lambda db: {
        "plan_id": _first(db, "support_plan"),
        "provider_id": _first(db, "provider"),
        "weekdays": [0, 2, 4],
        "start_time": "08:00",
        "end_time": "09:00",
        "task": "Aide au lever",
    },
    "risk_agreement": lambda db: {
        "plan_id": _first(db, "support_plan"),
        "what": "Sort seul au marché le samedi.",
        "agreed_by": ["Paul Durand", "Marie Durand"],
        "agreed_on": "2024-04-01",
        "review_on": "2024-10-01",
    },
    "plan_review": lambda db: {
        "plan_id": _first(db, "support_plan"),
        "reviewed_on": "2024-09-15",
        "reviewed_by": "Animatrice",
        "summary": "Objectifs atteints.",
    },
    "activity": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "title": "Atelier cuisine",
        "category": "workshop",
        "starts_at": "2024-05-02T14:00",
        "ends_at": "2024-05-02T16:00",
        "place": "in_habitat",
        "space_id": _first(db, "common_space"),
        "description": "Tarte aux pommes.",
    },
    "attendance": lambda db: {
        "activity_id": _first(db, "activity"),
        "resident_id": _first(db, "resident"),
        "status": "present",
    },
    # Residents sign up for what is still to come: an activity far ahead.
    "registration": lambda db: {
        "activity_id": _future_activity(db),
        "resident_id": _residents(db, 1)[0],
    },
    "booking": lambda db: {
        "space_id": _first(db, "common_space"),
        "resident_id": _first(db, "resident"),
        "booked_by": "Paul Durand",
        "purpose": "Anniversaire",
        "starts_at": "2024-06-01T18:00",
        "ends_at": "2024-06-01T22:00",
    },
    "presence_shift": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "person": "Léa Petit",
        "role": "animator",
        "starts_at": "2024-05-02T09:00",
        "ends_at": "2024-05-02T17:00",
    },
    "presence_pattern": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "person": "Aide mutualisée",
        "role": "pooled_help",
        "weekday": 2,
        "starts": "07:30",
        "ends": "12:00",
    },
    "presence_exception": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "day": "2024-05-08",
        "kind": "cancel",
        "pattern_id": _first(db, "presence_pattern"),
        "reason": "Jour férié",
    },
    "liaison_note": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "author": "Léa Petit",
        "author_account_id": _first(db, "account"),
        "written_at": "2024-05-02T10:30",
        "body": "Paul a bien dormi.\nÀ surveiller : appétit.",
        "audience": "team",
        "resident_ids": _residents(db, 2),
    },
    "tension": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "kind": "common_spaces",
        "severity": "medium",
        "occurred_on": "2024-05-01",
        "description": "Bruit tardif dans la salle commune.",
        "others_involved": "Voisins",
        "actions": "Discussion au conseil.",
        "status": "closed",
        "resolved_on": "2024-05-10",
        "resident_ids": _residents(db, 2),
    },
    "council_meeting": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "held_on": "2024-05-15",
        "agenda": "1. Salle commune\n2. Fête des voisins",
        "minutes": "Adopté à l'unanimité.",
        "others_present": "Léa Petit",
        "attendee_ids": _residents(db, 2),
    },
    "council_decision": lambda db: {
        "meeting_id": _first(db, "council_meeting"),
        "text": "Horaires de la salle commune : 8 h - 22 h.",
        "owner": "Léa Petit",
        "due_on": "2024-06-01",
        "status": "done",
        "follow_up": "Affiché.",
        "done_on": "2024-05-20",
    },
    "partnership": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "name": "Médiathèque du quartier",
        "kind": "culture",
        "started_on": "2024-02-01",
        "contact_name": "Claire Fabre",
        "description": "Lectures à voix haute un jeudi sur deux.",
    },
    "report_narrative": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "period_start": f"{2000 + next(_SERIAL) % 90}-01-01",
        "period_end": "2099-12-31",
        "text": "Une année marquée par l'arrivée de deux habitants.",
        "other_spending": 1200.0,
    },
    "time_entry": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "person": "Léa Petit",
        "worked_on": "2024-05-02",
        "function": "collective_presence",
        "hours": 3.5,
        "avp_funded": True,
        "note": "Après-midi jeux",
    },
    "saved_scenario": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "name": "Et si : retrait d'une famille",
        "origin": "records",
        "as_of": "2024-06-30",
        "seed": 2026,
        "replications": 100,
        "scenario_yaml": "name: Et si\ndays: 90\n",
        "note": "Avant l'été",
    },
    "twin_result": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "kind": "forecast",
        "model_from": "2024-06-30",
        "model_to": "2025-06-30",
        "seed": 2026,
        "replications": 100,
        "bands_json": '[{"measure": "participation", "median": 0.8, "low": 0.7, "high": 0.9}]',
        "note": "Avant l'été",
    },
    "habitat_calibration": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "window_from": "2024-06-30",
        "window_to": "2025-06-30",
        "seed": 2026,
        "waves": 3,
        "candidates": 300,
        "replications": 20,
        "effective": 42.5,
        "parameters_json": '[{"path": "mechanisms.conflicts.rate_per_resident_per_year", '
        '"general": 2.0, "mean": 3.1, "low": 2.2, "high": 4.0, "fitted": true}]',
        "targets_json": '[{"key": "conflicts_per_month", "observed": 2.5}]',
        "note": "Après l'hiver",
    },
    "avp_need": lambda db: {
        "habitat_id": _first(db, "habitat"),
        "model_from": "2024-06-30",
        "model_to": "2025-06-30",
        "seed": 2026,
        "replications": 100,
        "figures_json": '[{"group": "total", "logged": 12.0, "need": 15.5, "low": 13.0,'
        ' "high": 18.0}]',
        "hourly_cost": 32.5,
        "avp_per_resident": 5200.0,
        "current_avp_per_resident": 4800.0,
        "residents": 8,
        "note": "Pour le rapport",
    },
    "account": lambda db: {
        "username": f"lea.petit.{next(_SERIAL)}",
        "display_name": "Léa Petit",
        "role": "animator",
        "password_hash": "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
    },
}


@pytest.fixture(scope="session")
def factories() -> dict[str, Callable[[sqlite_utils.Database], dict[str, Any]]]:
    """Valid form data per table; calling one creates the parent rows it refers to."""
    return FACTORIES

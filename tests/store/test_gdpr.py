"""GDPR rights: what a resident's export holds, what erasure removes, what leaves for research."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import zipfile
from datetime import date

import pytest

from habitat import demo, store
from habitat.store.entities import (
    RECORDS,
    Account,
    Carer,
    LiaisonNote,
    PresenceShift,
    Provider,
    Resident,
)
from habitat.store.gdpr import (
    collect,
    erase_resident,
    erasures,
    export_resident,
    foreign_keys,
)
from habitat.store.pseudonymise import pseudonymised
from habitat.store.text import ERASED

#: Tables that are the habitat's, not any one resident's: they may refer to no resident.
SHARED_TABLES = frozenset(
    {
        "habitat",
        "common_space",
        "shared_life_project",
        "house_rule",
        "provider",
        "activity",
        "presence_shift",
        "presence_pattern",
        "presence_exception",
        "dwelling",
        "liaison_note",
        "tension",
        "council_meeting",
        "council_decision",
        "time_entry",
        "partnership",
        "report_narrative",
        "saved_scenario",
        "twin_result",
        "habitat_calibration",
        "avp_need",
    }
)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build(path, seed=7)
    return path


@pytest.fixture
def demo_path(demo_template, tmp_path):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def demo_db(demo_path):
    with store.connect(demo_path) as db:
        yield db


def _reachable_from_resident(db) -> set[str]:
    fks = foreign_keys(db)
    reached, grew = {"resident"}, True
    while grew:
        grew = False
        for table, keys in fks.items():
            if table not in reached and any(parent in reached for _, parent in keys):
                reached.add(table)
                grew = True
    return reached


def test_every_table_is_the_habitats_or_reachable_from_a_resident(demo_db):
    """A new table must either hang off a resident (then export and erasure cover it) or be
    declared shared here, on purpose."""
    tables = set(foreign_keys(demo_db))
    escaped = tables - _reachable_from_resident(demo_db) - SHARED_TABLES
    assert not escaped, f"tables neither shared nor reachable from a resident: {escaped}"


def test_every_column_naming_a_resident_is_a_foreign_key(demo_db):
    fks = foreign_keys(demo_db)
    for table in fks:
        keyed = {column for column, _ in fks[table]}
        for column in demo_db[table].columns_dict:
            if column.endswith("resident_id"):
                assert column in keyed, f"{table}.{column} refers to a resident without a key"


def test_a_table_added_later_is_exported_without_touching_the_export(demo_db):
    resident = store.find(demo_db, Resident)[0]
    demo_db.execute(
        "CREATE TABLE hearing_aid (id INTEGER PRIMARY KEY,"
        " resident_id INTEGER REFERENCES resident(id), model TEXT)"
    )
    demo_db.execute(
        "CREATE TABLE hearing_aid_check (id INTEGER PRIMARY KEY,"
        " aid_id INTEGER REFERENCES hearing_aid(id), result TEXT)"
    )
    demo_db.execute("INSERT INTO hearing_aid VALUES (1, ?, 'Phonak')", [resident.id])
    demo_db.execute("INSERT INTO hearing_aid_check VALUES (1, 1, 'ok')")
    records = collect(demo_db, resident.id)
    assert records.owned["hearing_aid"] == [
        {"id": 1, "resident_id": resident.id, "model": "Phonak"}
    ]
    assert records.owned["hearing_aid_check"][0]["result"] == "ok"


def test_export_holds_the_residents_file_and_no_other_residents_identity(demo_db):
    residents = store.find(demo_db, Resident)
    resident, other = residents[0], residents[1]
    exported = export_resident(demo_db, "animatrice", resident.id)
    document = json.loads(exported.to_json())
    assert document["records"]["resident"][0]["last_name"] == resident.last_name
    carers = store.find(demo_db, Carer, "resident_id = ?", [resident.id])
    assert {c["id"] for c in document["records"].get("carer", [])} == {c.id for c in carers}
    concerning = {
        row[0]
        for row in demo_db.execute(
            "SELECT note_id FROM liaison_note_resident WHERE resident_id = ?", [resident.id]
        )
    }
    assert len(document["records"]["liaison_note_resident"]) == len(concerning) > 0
    exported_notes = {
        note["id"]
        for part in ("records", "context")
        for note in document[part].get("liaison_note", [])
    }
    assert concerning <= exported_notes
    assert {r["id"] for r in document["context"].get("resident", [])} <= {resident.id}
    assert other.last_name not in json.dumps(document["records"]["resident"])
    assert all(
        (e["entity"], e["entity_id"]) != ("resident", other.id) for e in document["audit_log"]
    )
    assert store.history(demo_db, "resident", resident.id)[-1].action == "export"


def test_export_zip_has_json_and_csv_with_formulas_neutralised(demo_db):
    resident = store.find(demo_db, Resident)[0]
    store.update(
        demo_db,
        "animatrice",
        Resident,
        resident.id,
        resident.version,
        {"emergency_contact": '=HYPERLINK("http://evil")'},
    )
    archive = zipfile.ZipFile(io.BytesIO(export_resident(demo_db, "a", resident.id).to_zip()))
    names = archive.namelist()
    assert f"{resident.pseudonym}.json" in names and "csv/resident.csv" in names
    rows = list(csv.DictReader(io.StringIO(archive.read("csv/resident.csv").decode())))
    assert rows[0]["emergency_contact"] == '\'=HYPERLINK("http://evil")'
    json_row = json.loads(archive.read(f"{resident.pseudonym}.json"))["records"]["resident"][0]
    assert json_row["emergency_contact"].startswith("=")  # JSON keeps the value verbatim


def test_export_never_contains_a_password_hash(demo_db):
    account = demo_db.execute(
        "SELECT id, resident_id FROM account WHERE resident_id IS NOT NULL"
    ).fetchone()
    demo_db.execute("UPDATE account SET password_hash = 'argon2$secret' WHERE id = ?", [account[0]])
    assert "argon2$secret" not in export_resident(demo_db, "a", account[1]).to_json()


def _mark_personal_data(db, resident) -> set[str]:
    """Give the resident, a carer and a note about them values found nowhere else."""
    markers = {"Zéphyrine", "Quarantelli", "06 99 88 77 66", "Chute dans la salle de bain Qx7"}
    store.update(
        db,
        "a",
        Resident,
        resident.id,
        resident.version,
        {"first_name": "Zéphyrine", "last_name": "Quarantelli"},
    )
    carer = store.find(db, Carer, "resident_id = ?", [resident.id])[0]
    store.update(db, "a", Carer, carer.id, carer.version, {"phone": "06 99 88 77 66"})
    store.create(
        db,
        "a",
        LiaisonNote,
        {
            "habitat_id": resident.habitat_id,
            "author": "Léa",
            "written_at": "2026-01-05T10:00",
            "body": "Chute dans la salle de bain Qx7",
            "resident_ids": [resident.id],
        },
    )
    return markers


def _file_bytes(path) -> bytes:
    data = path.read_bytes()
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            data += side.read_bytes()
    return data


def test_erasure_leaves_no_trace_of_the_person_in_the_files(demo_db, demo_path):
    resident = next(
        r
        for r in store.find(demo_db, Resident)
        if store.find(demo_db, Carer, "resident_id = ?", [r.id])
    )
    personal = _mark_personal_data(demo_db, resident)
    blob = _file_bytes(demo_path)
    assert all(value.encode() in blob for value in personal)  # the test can see them

    erasure = erase_resident(demo_db, "animatrice", resident.id, "demande de la famille")

    blob = _file_bytes(demo_path)
    leaked = [value for value in personal if value.encode() in blob]
    assert not leaked, f"still in the database files: {leaked}"
    assert erasure.rows_erased > 0 and erasure.audit_entries_erased > 0
    erased = store.get(demo_db, Resident, resident.id)
    assert (erased.first_name, erased.last_name, erased.birth_year) == (ERASED, ERASED, None)
    assert erased.archived_at is not None
    assert erased.pseudonym == resident.pseudonym
    trace = erasures(demo_db)
    assert [(t["pseudonym"], t["reason"]) for t in trace] == [
        (resident.pseudonym, "demande de la famille")
    ]
    assert store.check(demo_path).ok


def test_erasure_keeps_counts_and_other_residents(demo_db, demo_path):
    residents = store.find(demo_db, Resident)
    target, other = residents[0], residents[1]
    counts = {t: demo_db[t].count for t in RECORDS}
    audit_count = demo_db["audit_log"].count
    before_other = store.get(demo_db, Resident, other.id)

    erase_resident(demo_db, "animatrice", target.id, "droit à l'effacement")

    assert {t: demo_db[t].count for t in RECORDS} == counts
    assert demo_db["audit_log"].count == audit_count + 1
    assert store.get(demo_db, Resident, other.id) == before_other
    assert store.history(demo_db, "resident", target.id)[-1].action == "erase"


def test_the_audit_log_stays_append_only_after_an_erasure(demo_db):
    erase_resident(demo_db, "a", store.find(demo_db, Resident)[0].id, "demande")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        demo_db.execute("UPDATE audit_log SET after = NULL")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        demo_db.execute("DELETE FROM erasure")


def test_unknown_resident_is_refused(demo_db):
    with pytest.raises(store.NotFound):
        export_resident(demo_db, "a", 99_999)
    with pytest.raises(store.NotFound):
        erase_resident(demo_db, "a", 99_999, "x")


def _identifying_strings(db) -> set[str]:
    """Every name, contact and free text the demo holds (6 characters or more)."""
    found = set()
    for table, model in RECORDS.items():
        columns = [
            name
            for name in model.data_fields()
            if name in model.personal
            or name
            in {
                "name",
                "title",
                "address",
                "contact_name",
                "email",
                "phone",
                "author",
                "person",
                "body",
                "text",
                "agenda",
                "minutes",
                "description",
                "follow_up",
                "owner",
                "services",
                "location",
                "display_name",
                "username",
                "others_present",
            }
        ]
        for column in columns:
            for (value,) in db.execute(f"SELECT {column} FROM {table}"):
                if isinstance(value, str) and len(value) >= 6:
                    found.add(value)
    return found


def test_pseudonymised_extract_has_no_name_no_free_text_no_birth_year(demo_db):
    habitat_id = demo_db.execute("SELECT id FROM habitat").fetchone()[0]
    as_of = date.fromisoformat(
        demo_db.execute("SELECT MAX(worked_on) FROM time_entry").fetchone()[0]
    )
    extract = pseudonymised(demo_db, habitat_id, as_of)
    text = json.dumps(extract, ensure_ascii=False)
    identifying = _identifying_strings(demo_db)
    assert len(identifying) > 100
    leaked = [value for value in identifying if value in text]
    assert not leaked, leaked[:5]
    for (year,) in demo_db.execute("SELECT birth_year FROM resident WHERE birth_year IS NOT NULL"):
        assert str(year) not in text
    assert len(extract["residents"]) == len(
        [r for r in store.find(demo_db, Resident) if r.exit_date is None or r.exit_date > as_of]
    )
    assert extract["animator"]["avp_hours_per_week_by_function"]
    assert extract["activities"]["per_week"] > 0


# --- Erasure follows every copy of the people tied to the resident (issue 16) ---------

#: Text fields that name no person: titles, places, codes, the habitat's own texts.
#: A new text field must be declared on its entity (`personal` or `names`) or here.
TEXT_NAMING_NOBODY = {
    "habitat": {"name", "host_organisation", "address", "avp_tier"},
    "common_space": {"name"},
    "dwelling": {"name"},
    "presence_exception": {"reason"},
    "shared_life_project": {"text"},
    "house_rule": {"title", "text"},
    "resident": {"pseudonym"},
    "provider": {"name", "phone", "email", "address", "services", "finess"},
    "support_plan": {"goals"},
    "intervention": set(),
    "activity": {"title", "location", "description", "cancelled_reason"},
    "liaison_note": set(),
    "tension": set(),
    "council_meeting": {"agenda", "minutes"},
    "council_decision": {"text", "follow_up"},
    "partnership": {"name", "description"},
    "report_narrative": {"text"},
    "time_entry": {"note"},
    "account": {"username", "password_hash"},
    "saved_scenario": {"name", "scenario_yaml", "note"},
    "twin_result": {"bands_json", "note"},
    "habitat_calibration": {"parameters_json", "targets_json", "note"},
    "avp_need": {"figures_json", "note"},
}


def test_every_text_field_says_whether_it_names_a_person():
    unclassified = {
        f"{table}.{name}"
        for table, model in RECORDS.items()
        for name in model.text_fields()
        if name not in model.personal
        and name not in model.names
        and name not in TEXT_NAMING_NOBODY.get(table, set())
    }
    assert not unclassified, (
        f"declare each in its entity's `personal` or `names`, or list it here: {unclassified}"
    )


def test_linked_name_copies_point_to_a_reference_of_an_account():
    for model in RECORDS.values():
        for name, reference in model.names.items():
            assert name in model.text_fields()
            if reference is not None:
                assert model.references[reference] == "account"


def _family(db, users):
    from habitat.services.access import user_of

    family = users["family"]
    account = store.get(db, Account, family.account_id)
    resident = store.get(db, Resident, account.resident_id)
    carer = store.find(db, Carer, "resident_id = ?", [resident.id])[0]
    return user_of(db, account), account, resident, carer


def _name(person) -> str:
    return f"{person.first_name} {person.last_name}"


def test_erasure_leaves_no_copy_of_the_family_anywhere_in_the_files(demo_db, demo_path):
    """Issue 16: a family member's name stayed as the author of their notes (99 of them)."""
    from habitat.services import notebook
    from habitat.services.access import user_of

    users = {a.role.value: user_of(demo_db, a) for a in store.find(demo_db, Account)}
    family, account, resident, carer = _family(demo_db, users)
    other = next(
        r for r in store.find(demo_db, Resident) if r.id != resident.id and r.exit_date is None
    )
    store.update(demo_db, "a", Carer, carer.id, carer.version, {"phone": "06 12 34 56 78"})
    carer = store.get(demo_db, Carer, carer.id)
    notebook.write_note(
        demo_db,
        family,
        resident.habitat_id,
        body="Je passe samedi.",
        resident_ids=[],
        audience="family",
    )
    # The family member's name typed by hand in records that are not the resident's.
    store.create(
        demo_db,
        "a",
        PresenceShift,
        {
            "habitat_id": resident.habitat_id,
            "person": _name(carer),
            "role": "family",
            "starts_at": "2026-01-10T14:00",
            "ends_at": "2026-01-10T18:00",
        },
    )
    about_other = store.create(
        demo_db,
        "a",
        LiaisonNote,
        {
            "habitat_id": resident.habitat_id,
            "author": "Léa",
            "written_at": "2026-01-11T10:00",
            "body": f"{other.first_name} a joué aux cartes avec Mme {resident.last_name}"
            f" et {_name(carer)} ; joindre au {carer.phone}.",
            "resident_ids": [other.id],
        },
    )
    identifying = {
        _name(resident),
        _name(carer),
        carer.phone,
        account.username,
        f"Mme {resident.last_name}",
    }
    blob = _file_bytes(demo_path)
    assert all(value.encode() in blob for value in identifying)  # the test can see them

    erase_resident(demo_db, "animator:lea", resident.id, f"demande de {_name(carer)}")

    blob = _file_bytes(demo_path)
    assert [v for v in identifying if v.encode() in blob] == []
    # Who wrote what stays known, as the erased account.
    actors = {e.actor for e in store.history(demo_db, "liaison_note")}
    assert f"family:erased-{account.id}" in actors
    assert not any(account.username in actor for actor in actors)
    # The note about another resident keeps its meaning, minus the names.
    kept = store.get(demo_db, LiaisonNote, about_other.id)
    assert kept.body.startswith(f"{other.first_name} a joué aux cartes avec [effacé]")
    assert kept.resident_ids == [other.id]
    assert store.get(demo_db, Resident, other.id).full_name == other.full_name
    assert store.check(demo_path).ok


def test_the_family_accounts_notes_are_signed_erased_and_others_keep_their_author(demo_db):
    from habitat.services.access import user_of

    users = {a.role.value: user_of(demo_db, a) for a in store.find(demo_db, Account)}
    _, account, resident, _ = _family(demo_db, users)
    before = {
        n["author"]: n["n"]
        for n in demo_db.query(
            "SELECT author, count(*) AS n FROM liaison_note WHERE author_account_id IS NOT ?"
            " GROUP BY author",
            [account.id],
        )
    }
    assert (
        demo_db.execute(
            "SELECT count(*) FROM liaison_note WHERE author_account_id = ?", [account.id]
        ).fetchone()[0]
        > 0
    )

    erase_resident(demo_db, "animator:lea", resident.id, "demande")

    authors = {
        row[0]
        for row in demo_db.execute(
            "SELECT DISTINCT author FROM liaison_note WHERE author_account_id = ?", [account.id]
        )
    }
    assert authors == {ERASED}
    after = {
        n["author"]: n["n"]
        for n in demo_db.query(
            "SELECT author, count(*) AS n FROM liaison_note WHERE author_account_id IS NOT ?"
            " GROUP BY author",
            [account.id],
        )
    }
    assert after == before


def test_an_erasure_can_rename_only_erased_accounts_in_the_audit_log(demo_db):
    demo_db.execute("INSERT INTO erasure_in_progress (token) VALUES ('erasing')")
    demo_db.execute("UPDATE audit_log SET actor = 'family:erased-7' WHERE id = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        demo_db.execute("UPDATE audit_log SET actor = 'animator:someone-else' WHERE id = 2")
    demo_db.execute("DELETE FROM erasure_in_progress")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        demo_db.execute("UPDATE audit_log SET actor = 'family:erased-8' WHERE id = 3")


def test_a_notes_provider_target_is_an_id_erasure_keeps_and_export_explains(demo_db):
    """`liaison_note.audience_provider_id` names an organisation, not a person: a key."""
    assert ("audience_provider_id", "provider") in foreign_keys(demo_db)["liaison_note"]
    assert "audience_provider_id" not in LiaisonNote.text_fields()
    resident = store.find(demo_db, Resident, "exit_date IS NULL")[0]
    provider = store.find(demo_db, Provider)[0]
    note = store.create(
        demo_db,
        "a",
        LiaisonNote,
        {
            "habitat_id": resident.habitat_id,
            "author": "Équipe",
            "written_at": "2030-01-01T09:00",
            "body": f"Traitement de {resident.first_name} modifié.",
            "audience": "providers",
            "audience_provider_id": provider.id,
            "resident_ids": [resident.id],
        },
    )

    records = collect(demo_db, resident.id)
    assert provider.id in {row["id"] for row in records.context["provider"]}

    erase_resident(demo_db, "a", resident.id, "droit à l'effacement")
    erased = store.get(demo_db, LiaisonNote, note.id)
    assert erased.body == ERASED
    assert erased.audience_provider_id == provider.id

"""`habitat db|export|erase`: what an administrator types and what they read back."""

from __future__ import annotations

import json
import sqlite3
import zipfile

import pytest

from habitat import store
from habitat.store.entities import Resident


@pytest.fixture
def demo_file(tmp_path, run_cli):
    path = tmp_path / "habitat.db"
    status, out, err = run_cli("db", "demo", "--db", str(path), "--seed", "3")
    assert status == 0, err
    assert "demo habitat created" in out
    return path


def test_init_then_check_reports_ok(tmp_path, run_cli):
    path = tmp_path / "new" / "habitat.db"
    assert run_cli("db", "init", "--db", str(path))[0] == 0
    status, out, _ = run_cli("db", "check", "--db", str(path))
    assert status == 0 and "ok (0 residents" in out
    status, out, _ = run_cli("db", "migrate", "--db", str(path))
    assert status == 0 and "up to date" in out


def test_check_of_a_missing_file_says_how_to_create_it(tmp_path, run_cli):
    status, _, err = run_cli("db", "check", "--db", str(tmp_path / "none.db"))
    assert status == 2
    assert "--db:" in err and "habitat db init" in err
    assert not (tmp_path / "none.db").exists()


def test_demo_refuses_to_overwrite_a_database_with_records(demo_file, run_cli):
    before = store.content_hash(demo_file)
    status, _, err = run_cli("db", "demo", "--db", str(demo_file))
    assert status == 2 and "error" in err
    assert store.content_hash(demo_file) == before


def test_backup_and_restore_round_trip(demo_file, tmp_path, run_cli):
    copy = tmp_path / "backups" / "monday.db"
    status, out, _ = run_cli("db", "backup", str(copy), "--db", str(demo_file))
    assert status == 0 and "integrity checked" in out
    with store.connect(copy) as db:
        saved = {r.id: r for r in store.find(db, Resident, include_archived=True)}
    with store.connect(demo_file) as db:
        first = store.find(db, Resident)[0]
        store.update(
            db, "cli", Resident, first.id, first.version, {"emergency_contact": "06 00 00 00 99"}
        )
    status, _, _ = run_cli("db", "restore", str(copy), "--db", str(demo_file))
    assert status == 0
    with store.connect(demo_file) as db:
        assert store.get(db, Resident, first.id) == saved[first.id]
        assert store.history(db)[-1].action == "restore"
    assert (tmp_path / "habitat.db.before-restore").exists()


def test_restore_refuses_a_foreign_file_and_changes_nothing(demo_file, tmp_path, run_cli):
    foreign = tmp_path / "other.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    before = store.content_hash(demo_file)
    status, _, err = run_cli("db", "restore", str(foreign), "--db", str(demo_file))
    assert status == 2 and "not a habitat database" in err and "nothing was restored" in err
    assert store.content_hash(demo_file) == before


def test_export_resident_by_pseudonym_writes_a_zip(demo_file, tmp_path, run_cli):
    with store.connect(demo_file) as db:
        resident = store.find(db, Resident)[0]
    out = tmp_path / "export.zip"
    status, _, err = run_cli(
        "export", "resident", resident.pseudonym, "--out", str(out), "--db", str(demo_file)
    )
    assert status == 0, err
    names = zipfile.ZipFile(out).namelist()
    assert f"{resident.pseudonym}.json" in names and "csv/carer.csv" in names


def test_export_pseudonymised_prints_codes_not_names(demo_file, run_cli):
    with store.connect(demo_file) as db:
        names = {r.last_name for r in store.find(db, Resident)}
    status, out, _ = run_cli(
        "export", "pseudonymised", "--as-of", "2026-06-01", "--db", str(demo_file)
    )
    assert status == 0
    extract = json.loads(out)
    assert extract["residents"]
    assert not any(name in out for name in names)


def test_erase_needs_a_confirmation_then_erases(demo_file, run_cli):
    with store.connect(demo_file) as db:
        resident = store.find(db, Resident)[0]
    args = ("erase", "resident", str(resident.id), "--reason", "demande", "--db", str(demo_file))
    status, _, err = run_cli(*args)
    assert status == 2 and "--yes" in err and "nothing was changed" in err
    with store.connect(demo_file) as db:
        assert store.get(db, Resident, resident.id).last_name == resident.last_name
    status, out, _ = run_cli(*args, "--yes")
    assert status == 0 and resident.pseudonym in out
    with store.connect(demo_file) as db:
        assert store.get(db, Resident, resident.id).last_name == "[effacé]"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("export", "resident", "H-NOPE00"), "no resident 'H-NOPE00'"),
        (("erase", "resident", "999", "--reason", "x", "--yes"), "no resident '999'"),
        (("erase", "resident", "1", "--reason", " ", "--yes"), "--reason: must not be blank"),
        (("export", "pseudonymised", "--habitat", "42"), "--habitat: no habitat 42"),
        (("export", "pseudonymised", "--as-of", "yesterday"), "must be a date"),
        (("db", "demo", "--years", "50"), "--years"),
    ],
)
def test_bad_input_is_named_and_refused(demo_file, run_cli, args, message):
    before = store.content_hash(demo_file)
    status, _, err = run_cli(*args, "--db", str(demo_file))
    assert status == 2
    assert message in err
    assert store.content_hash(demo_file) == before

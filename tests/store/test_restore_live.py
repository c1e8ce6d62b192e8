"""Restoring a backup into the live database while the app keeps its connections open."""

from __future__ import annotations

import sqlite3

import pytest

from habitat import store
from habitat.cli import main
from habitat.services.access import user_of
from habitat.services.admin import RESTORE_WORD, restore_upload
from habitat.store.backup import restore_into
from habitat.store.entities import Account, Habitat, LiaisonNote, Resident
from habitat.store.migrations import migrations

RECORDS_ONLY = frozenset({"audit_log"})


def _note(db, habitat_id: int, body: str, resident_id: int) -> LiaisonNote:
    return store.create(
        db,
        "animatrice",
        LiaisonNote,
        {
            "habitat_id": habitat_id,
            "author": "Léa Petit",
            "written_at": "2024-05-02T10:30",
            "body": body,
            "resident_ids": [resident_id],
        },
    )


def test_restored_content_equals_the_backup_while_another_connection_stays_open(
    db_path, fresh_db, habitat, resident, tmp_path
):
    kept = _note(fresh_db, habitat.id, "Avant la sauvegarde", resident.id)
    backup = store.backup(db_path, tmp_path / "lundi.db")
    later = _note(fresh_db, habitat.id, "Après la sauvegarde", resident.id)
    store.update(fresh_db, "animatrice", Resident, resident.id, 1, {"dwelling": "B2"})
    other = store.connect(db_path)  # another session of the app, open throughout
    try:
        assert len(store.find(other, LiaisonNote)) == 2

        keep = restore_into(fresh_db, backup, "animatrice")

        assert store.content_hash(db_path, RECORDS_ONLY) == store.content_hash(backup, RECORDS_ONLY)
        assert store.find(other, LiaisonNote) == [kept]
        assert store.get(other, Resident, resident.id) == resident
        assert store.history(other)[-1].action == "restore"
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # The other connection keeps writing to the restored database.
        _note(other, habitat.id, "Après la restauration", resident.id)
        assert len(store.find(fresh_db, LiaisonNote)) == 2
    finally:
        other.close()
    assert keep == db_path.with_name(db_path.name + ".before-restore")
    with store.connect(keep) as db:
        assert later in store.find(db, LiaisonNote)
    assert store.check(db_path).ok


def _text_file(path):
    path.write_text("id;nom\n1;Jeanne Martin\n", encoding="utf-8")


def _foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def _missing(path):
    pass


def _mimic(path):
    """Issue 16: the four required table names, of other shapes."""
    conn = sqlite3.connect(path)
    for table in ("habitat", "resident", "audit_log", "_sqlite_migrations"):
        conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()


def _mimic_with_migrations(path):
    """A migrations table of the right shape claiming every migration, other tables."""
    _mimic(path)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE _sqlite_migrations")
    conn.execute(
        "CREATE TABLE _sqlite_migrations (migration_set TEXT, name TEXT, applied_at TEXT,"
        " PRIMARY KEY (migration_set, name))"
    )
    conn.executemany(
        "INSERT INTO _sqlite_migrations VALUES ('habitat', ?, '2026-01-01')",
        [(m.name,) for m in migrations._migrations],
    )
    conn.commit()
    conn.close()


def _real_backup_then(*statements):
    """A sound backup of a habitat database, then changed behind the store's back."""

    def make(path):
        source = path.with_name("source.db")
        store.init(source)
        with store.connect(source) as db:
            db.execute("PRAGMA foreign_keys = OFF")
            store.create(
                db,
                "a",
                Habitat,
                {
                    "name": "Autre maison",
                    "host_organisation": "Asso",
                    "address": "1 rue",
                    "dwellings": 6,
                    "presence_from": "08:00",
                    "presence_to": "20:00",
                },
            )
        store.backup(source, path)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()

    return make


BAD_FILES = {
    "text": _text_file,
    "foreign": _foreign,
    "missing": _missing,
    "mimic": _mimic,
    "mimic-with-migrations": _mimic_with_migrations,
    "column-dropped": _real_backup_then("ALTER TABLE resident DROP COLUMN dwelling"),
    "audit-log-made-writable": _real_backup_then("DROP TRIGGER audit_log_no_delete"),
    "extra-table": _real_backup_then("CREATE TABLE notes_secretes (x TEXT)"),
    "broken-foreign-key": _real_backup_then(
        "INSERT INTO common_space (version, created_at, updated_at, habitat_id, name)"
        " VALUES (1, 'x', 'x', 999, 'Salon')"
    ),
    "erasure-left-open": _real_backup_then(
        "INSERT INTO erasure_in_progress (token) VALUES ('erasing')"
    ),
}


@pytest.mark.parametrize("make_bad", list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_a_bad_file_changes_nothing(db_path, fresh_db, habitat, resident, tmp_path, make_bad):
    _note(fresh_db, habitat.id, "À garder", resident.id)
    bad = tmp_path / "sauvegarde.db"
    make_bad(bad)
    before = store.content_hash(db_path)

    with pytest.raises(store.BadBackup) as refused:
        restore_into(fresh_db, bad, "animatrice")

    assert "rien n'a été restauré" in refused.value.message_fr
    assert store.content_hash(db_path) == before
    assert not db_path.with_name(db_path.name + ".before-restore").exists()
    assert [n.body for n in store.find(fresh_db, LiaisonNote)] == ["À garder"]
    assert store.check(db_path).ok


def test_a_file_mimicking_the_schema_is_refused_by_the_command_and_the_upload(
    db_path, fresh_db, habitat, resident, tmp_path, capsys
):
    """Issue 16: it was copied over the live database, then the migration failed."""
    _note(fresh_db, habitat.id, "À garder", resident.id)
    bad = tmp_path / "sauvegarde.db"
    _mimic(bad)
    before = db_path.read_bytes(), store.content_hash(db_path)

    status = main(["db", "restore", str(bad), "--db", str(db_path)])

    out = capsys.readouterr()
    assert status != 0
    assert "not a habitat database" in out.err and "Traceback" not in out.err
    assert store.content_hash(db_path) == before[1]
    animator = user_of(
        fresh_db,
        store.create(
            fresh_db, "a", Account, {"username": "lea", "display_name": "Léa", "role": "animator"}
        ),
    )
    before = store.content_hash(db_path)
    with pytest.raises(store.InvalidRecord) as refused:
        restore_upload(fresh_db, animator, "sauvegarde.db", bad.read_bytes(), RESTORE_WORD)
    assert "rien n'a été restauré" in str(refused.value.message_fr)
    assert store.content_hash(db_path) == before
    assert not db_path.with_name(db_path.name + ".before-restore").exists()
    assert store.check(db_path).ok


def test_a_backup_of_an_older_version_is_migrated_on_the_copy_and_restored(
    db_path, fresh_db, habitat, resident, tmp_path
):
    old = tmp_path / "ancienne.db"
    with store.connect(old) as db:  # as version 0.1 left it, before m005
        migrations.apply(db, stop_before="m005_saved_scenarios")
        assert store.pending(db) != []
    restore_into(fresh_db, old, "animatrice")
    assert store.pending(fresh_db) == []
    assert store.find(fresh_db, Habitat) == []
    assert store.check(db_path).ok


def test_check_finds_a_schema_changed_behind_the_stores_back(db_path, fresh_db):
    assert store.check(db_path).ok
    fresh_db.execute("DROP TRIGGER audit_log_no_delete")
    health = store.check(db_path)
    assert not health.ok
    assert health.problems() == ["schema: no trigger audit_log_no_delete"]

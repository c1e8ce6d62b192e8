from __future__ import annotations

import multiprocessing
import os
import shutil
import sqlite3
import stat
import time
from collections import Counter
from pathlib import Path

import pytest

from habitat import store
from habitat.store.entities import Habitat, LiaisonNote, Resident


def _note(db, habitat_id: int, body: str, resident_ids: list[int]) -> LiaisonNote:
    return store.create(
        db,
        "animatrice",
        LiaisonNote,
        {
            "habitat_id": habitat_id,
            "author": "Léa Petit",
            "written_at": "2024-05-02T10:30",
            "body": body,
            "resident_ids": resident_ids,
        },
    )


def _residents(db, habitat_id: int, count: int) -> list[int]:
    return [
        store.create(
            db,
            "animatrice",
            Resident,
            {
                "habitat_id": habitat_id,
                "first_name": f"Habitant {n}",
                "last_name": "Test",
                "public": "intellectual",
                "support_level": "moderate",
                "entry_date": "2024-01-01",
            },
        ).id
        for n in range(count)
    ]


def _integrity_fails(path: Path) -> bool:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return True


# --- Backup and restore ------------------------------------------------------------------


def test_restoring_a_backup_gives_back_the_same_content(
    db_path, fresh_db, habitat, resident, tmp_path
):
    _note(fresh_db, habitat.id, "Avant la sauvegarde", [resident.id])
    backup = store.backup(db_path, tmp_path / "sauvegardes" / "lundi.db")
    backed_up = store.content_hash(backup)
    assert store.content_hash(db_path) == backed_up
    _note(fresh_db, habitat.id, "Après la sauvegarde", [resident.id])
    store.update(fresh_db, "animatrice", Resident, resident.id, 1, {"dwelling": "B2"})
    assert store.content_hash(db_path) != backed_up
    fresh_db.close()

    store.restore(backup, db_path)

    # Everything is as backed up; the audit log also says the restore happened.
    records_only = frozenset({"audit_log"})
    assert store.content_hash(db_path, records_only) == store.content_hash(backup, records_only)
    with store.connect(backup) as db:
        logged = [(e.id, e.action, e.entity_id) for e in store.history(db)]
    with store.connect(db_path) as db:
        restored = store.history(db)
    assert [(e.id, e.action, e.entity_id) for e in restored[:-1]] == logged
    assert restored[-1].action == "restore"


def test_restoring_brings_back_the_records_and_keeps_the_replaced_file(
    db_path, fresh_db, habitat, resident, tmp_path
):
    kept_note = _note(fresh_db, habitat.id, "Avant la sauvegarde", [resident.id])
    backup = store.backup(db_path, tmp_path / "lundi.db")
    later_note = _note(fresh_db, habitat.id, "Après la sauvegarde", [resident.id])
    store.update(fresh_db, "animatrice", Resident, resident.id, 1, {"dwelling": "B2"})
    fresh_db.close()

    store.restore(backup, db_path)

    assert store.check(db_path).ok
    with store.connect(db_path) as db:
        assert store.find(db, LiaisonNote) == [kept_note]
        assert store.get(db, Resident, resident.id) == resident
        assert [e.action for e in store.history(db, "database")] == ["backup", "restore"]
    with store.connect(db_path.with_name(db_path.name + ".before-restore")) as db:
        assert later_note in store.find(db, LiaisonNote)


def _keep_writing(path: str, habitat_id: int, resident_ids: list[int], stop) -> None:
    n = 0
    while not stop.is_set():
        with store.connect(path) as db:
            _note(db, habitat_id, f"Note {n}\n" + "suite " * (n % 50), resident_ids)
        n += 1


def test_a_backup_taken_while_another_process_writes_is_consistent(
    db_path, fresh_db, habitat, tmp_path
):
    resident_ids = _residents(fresh_db, habitat.id, 3)
    fresh_db.close()
    context = multiprocessing.get_context("fork")
    stop = context.Event()
    writer = context.Process(
        target=_keep_writing, args=(str(db_path), habitat.id, resident_ids, stop)
    )
    writer.start()
    try:
        backups = []
        for n in range(4):
            while True:  # wait for the writer to have added notes since the last backup
                assert writer.is_alive(), "the writer stopped"
                time.sleep(0.01)
                with store.connect(db_path) as db:
                    count = db.execute("SELECT count(*) FROM liaison_note").fetchone()[0]
                if count > 5 * (n + 1):
                    break
            backups.append(store.backup(db_path, tmp_path / f"pendant-{n}.db"))
    finally:
        stop.set()
        writer.join(timeout=30)
    assert writer.exitcode == 0

    counts = []
    for backup in backups:
        assert store.check(backup).ok
        with store.connect(backup) as db:
            notes = store.find(db, LiaisonNote)
            created = {e.entity_id for e in store.history(db, "liaison_note")}
            links = db.execute("SELECT count(*) FROM liaison_note_resident").fetchone()[0]
        assert notes
        assert all(note.resident_ids == sorted(resident_ids) for note in notes)
        assert links == 3 * len(notes)
        assert created == {note.id for note in notes}
        counts.append(len(notes))
    assert counts == sorted(counts)
    assert store.check(db_path).ok


# --- Restore refuses what is not a sound habitat database ------------------------------


@pytest.fixture(scope="module")
def good_backup(tmp_path_factory) -> Path:
    """The backup of a habitat with thousands of notes (read, never changed, by the tests)."""
    folder = tmp_path_factory.mktemp("source")
    path = folder / "source.db"
    store.init(path)
    with store.connect(path) as db, store.transaction(db):
        habitat = store.create(
            db,
            "animatrice",
            Habitat,
            {
                "name": "Les Tilleuls",
                "host_organisation": "Asso",
                "address": "1 rue",
                "dwellings": 8,
            },
        )
        residents = _residents(db, habitat.id, 4)
        for n in range(3000):
            _note(db, habitat.id, f"Note {n} : " + "rien à signaler. " * 5, residents[: n % 4 + 1])
    return store.backup(path, folder / "backup.db")


def _missing(good: Path, target: Path) -> None:
    pass


def _text_file(good: Path, target: Path) -> None:
    target.write_text("id;nom\n1;Jeanne Martin\n", encoding="utf-8")


def _truncated(good: Path, target: Path) -> None:
    data = good.read_bytes()
    target.write_bytes(data[: len(data) // 2])


def _corrupted(good: Path, target: Path) -> None:
    data = bytearray(good.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    middle = len(data) // 2 // page_size * page_size
    for offset in range(middle, middle + 3 * page_size):
        data[offset] ^= 0x5A
    target.write_bytes(bytes(data))


def _foreign(good: Path, target: Path) -> None:
    conn = sqlite3.connect(target)
    conn.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts (name) VALUES ('Jeanne')")
    conn.commit()
    conn.close()


def _from_a_newer_version(good: Path, target: Path) -> None:
    shutil.copyfile(good, target)
    conn = sqlite3.connect(target)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('habitat', 'm999_from_the_future', '2031-01-01 00:00:00')"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "make_bad",
    [_missing, _text_file, _truncated, _corrupted, _foreign, _from_a_newer_version],
    ids=lambda make: make.__name__.strip("_"),
)
def test_restore_refuses_a_bad_file_and_changes_nothing(
    db_path, fresh_db, habitat, resident, good_backup, tmp_path, make_bad
):
    _note(fresh_db, habitat.id, "À garder", [resident.id])
    fresh_db.close()
    bad = tmp_path / "sauvegarde.db"
    make_bad(good_backup, bad)
    if make_bad in (_truncated, _corrupted):
        assert _integrity_fails(bad)
    before = store.content_hash(db_path)

    with pytest.raises(store.BadBackup) as refused:
        store.restore(bad, db_path)

    assert "rien n'a été restauré" in refused.value.message_fr
    assert store.content_hash(db_path) == before
    assert store.check(db_path).ok
    assert sorted(p.name for p in db_path.parent.iterdir() if "restor" in p.name) == []


def test_checking_a_file_that_does_not_exist_does_not_create_it(tmp_path):
    missing = tmp_path / "fautedefrappe.db"

    try:
        health = store.check(missing)
    except (FileNotFoundError, store.StoreError):
        pass
    else:
        assert not health.ok

    assert not missing.exists()


def test_a_sound_backup_of_thousands_of_rows_is_accepted(db_path, good_backup):
    store.restore(good_backup, db_path)

    with store.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM liaison_note").fetchone()[0] == 3000


# --- The audit log -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'mallory'",
        "UPDATE audit_log SET after = NULL",
        "UPDATE audit_log SET action = 'create' WHERE action = 'update'",
        "DELETE FROM audit_log",
        "DELETE FROM audit_log WHERE id = 1",
    ],
)
def test_the_audit_log_cannot_be_rewritten_with_raw_sql(fresh_db, resident, statement):
    store.update(fresh_db, "alice", Resident, resident.id, 1, {"dwelling": "B2"})
    before = store.history(fresh_db)

    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        fresh_db.execute(statement)

    assert store.history(fresh_db) == before


def test_the_audit_log_accounts_for_every_write(db_path, fresh_db, habitat, resident, tmp_path):
    made = Counter({"create": 2})  # the habitat and the resident
    notes = []
    for n in range(5):
        notes.append(_note(fresh_db, habitat.id, f"Note {n}", [resident.id]))
        made["create"] += 1
    for n, note in enumerate(notes[:3]):
        notes[n] = store.update(
            fresh_db, "bob", LiaisonNote, note.id, note.version, {"body": note.body + " (relu)"}
        )
        made["update"] += 1
    archived = store.archive(fresh_db, "bob", LiaisonNote, notes[0].id, notes[0].version)
    made["archive"] += 1
    store.unarchive(fresh_db, "bob", LiaisonNote, archived.id, archived.version)
    made["restore"] += 1
    store.archive(fresh_db, "bob", Resident, resident.id, resident.version)
    made["archive"] += 1
    # Refused writes leave no trace.
    with pytest.raises(store.Conflict):
        store.update(fresh_db, "carol", LiaisonNote, notes[1].id, 1, {"body": "Écrasé"})
    with pytest.raises(store.InvalidRecord):
        _note(fresh_db, habitat.id, "   ", [resident.id])
    with pytest.raises(store.InvalidRecord):
        _note(fresh_db, habitat.id, "Sur un inconnu", [999])
    store.backup(db_path, tmp_path / "b.db")
    made["backup"] += 1

    assert Counter(entry.action for entry in store.history(fresh_db)) == made
    per_record = Counter((e.entity, e.entity_id) for e in store.history(fresh_db))
    assert per_record[("liaison_note", notes[0].id)] == 4
    assert per_record[("liaison_note", notes[4].id)] == 1


#: umask -> the mode of the backup file: the same rule as every output (`habitat.files`).
BACKUP_MODES = {0o002: 0o664, 0o022: 0o644, 0o077: 0o600}


@pytest.mark.parametrize("umask", sorted(BACKUP_MODES), ids=lambda u: f"umask{u:03o}")
def test_a_backup_file_follows_the_umask(fresh_db, db_path, tmp_path, umask):
    previous = os.umask(umask)
    try:
        copy = store.backup(db_path, tmp_path / "copies" / "habitat.db")
    finally:
        os.umask(previous)
    assert stat.S_IMODE(copy.stat().st_mode) == BACKUP_MODES[umask]

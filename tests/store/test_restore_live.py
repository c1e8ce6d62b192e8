"""Restoring a backup into the live database while the app keeps its connections open."""

from __future__ import annotations

import sqlite3

import pytest

from habitat import store
from habitat.store.backup import restore_into
from habitat.store.entities import LiaisonNote, Resident

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


@pytest.mark.parametrize(
    "make_bad", [_text_file, _foreign, _missing], ids=["text", "foreign", "missing"]
)
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

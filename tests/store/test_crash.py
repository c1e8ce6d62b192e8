from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from habitat import store
from habitat.store.entities import LiaisonNote, Resident

TRIALS = 25
RESIDENTS = 6


def _write_until_killed(path: str, side_file: str, habitat_id: int, resident_ids, seed: int):
    """Write notes about three residents, and edit earlier ones, until SIGKILL comes.

    After each commit, the committed note id and version go to `side_file`, synced:
    whatever is listed there was committed.
    """
    rng = random.Random(seed)
    written: list[int] = []
    with open(side_file, "a", encoding="utf-8") as side:
        for n in range(100_000):
            with store.connect(path) as db:
                about = rng.sample(resident_ids, 3)
                if written and rng.random() < 0.3:
                    note = store.get(db, LiaisonNote, rng.choice(written))
                    note = store.update(
                        db,
                        "veilleur",
                        LiaisonNote,
                        note.id,
                        note.version,
                        {"body": f"{note.body} / relu {n}", "resident_ids": about},
                    )
                else:
                    note = store.create(
                        db,
                        "veilleur",
                        LiaisonNote,
                        {
                            "habitat_id": habitat_id,
                            "author": "Veilleur de nuit",
                            "written_at": "2024-05-02T23:30",
                            "body": f"Ronde {seed}-{n} : calme.\n"
                            + "détail " * rng.randint(0, 400),
                            "resident_ids": about,
                        },
                    )
                    written.append(note.id)
            side.write(f"{note.id} {note.version}\n")
            side.flush()
            os.fsync(side.fileno())


def _committed(side_file: Path) -> dict[int, int]:
    """Note id -> the highest version known to be committed."""
    committed: dict[int, int] = {}
    if side_file.exists():
        for line in side_file.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) == 2:  # a line cut by the kill was never fully listed
                note_id, version = int(parts[0]), int(parts[1])
                committed[note_id] = max(version, committed.get(note_id, 0))
    return committed


def _assert_whole(path: Path, committed: dict[int, int]) -> None:
    health = store.check(path)
    assert health.ok, health.problems()
    with store.connect(path) as db:
        notes = {note.id: note for note in store.find(db, LiaisonNote, include_archived=True)}
        for note_id, version in committed.items():
            assert note_id in notes, f"committed note {note_id} lost"
            assert notes[note_id].version >= version, f"committed edit of {note_id} lost"
        links = Counter(row[0] for row in db.execute("SELECT note_id FROM liaison_note_resident"))
        entries = store.history(db, "liaison_note")
        actions = Counter((e.entity_id, e.action) for e in entries)
        last = {e.entity_id: e for e in entries}
        assert set(links) == set(notes)
        assert set(last) == set(notes)
        for note_id, note in notes.items():
            assert links[note_id] == 3, f"note {note_id} has {links[note_id]} resident links"
            assert len(note.resident_ids) == 3
            assert actions[(note_id, "create")] == 1
            assert actions[(note_id, "update")] == note.version - 1
            assert last[note_id].after == note.audit_copy()


@pytest.mark.slow
def test_processes_killed_while_writing_leave_every_commit_whole(
    db_path, fresh_db, habitat, tmp_path
):
    resident_ids = [
        store.create(
            fresh_db,
            "admin",
            Resident,
            {
                "habitat_id": habitat.id,
                "first_name": f"Habitant {n}",
                "last_name": "Test",
                "public": "psychic",
                "support_level": "low",
                "entry_date": "2024-01-01",
            },
        ).id
        for n in range(RESIDENTS)
    ]
    fresh_db.close()  # no connection crosses the fork
    side_file = tmp_path / "committed.txt"
    context = multiprocessing.get_context("fork")
    rng = random.Random(2026)
    trials_with_commits = 0

    for trial in range(TRIALS):
        lines_before = len(_committed(side_file))
        child = context.Process(
            target=_write_until_killed,
            args=(str(db_path), str(side_file), habitat.id, resident_ids, trial),
        )
        child.start()
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
        assert child.exitcode == -signal.SIGKILL, "the writer stopped before it was killed"
        committed = _committed(side_file)
        trials_with_commits += len(committed) > lines_before
        _assert_whole(db_path, committed)

    assert trials_with_commits >= TRIALS // 2, "most writers were killed before writing anything"

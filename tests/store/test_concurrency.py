from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections import Counter

import pytest

from habitat import store
from habitat.store.entities import Account, LiaisonNote

WORKERS = 4
NOTES_PER_WORKER = 500
#: Every this many notes, a worker also bumps the shared counter (retrying on conflict).
COUNTER_EVERY = 10


def _body(worker: int, n: int) -> str:
    return f"note {n} du poste {worker}"


def _write(path: str, worker: int, habitat_id: int, resident_id: int, counter_id: int, results):
    """One process: its own short-lived connection per write, as a page would."""
    done = {"worker": worker, "notes": 0, "updates": 0, "conflicts": 0, "errors": []}
    actor = f"poste-{worker}"
    for n in range(NOTES_PER_WORKER):
        try:
            with store.connect(path) as db:
                store.create(
                    db,
                    actor,
                    LiaisonNote,
                    {
                        "habitat_id": habitat_id,
                        "author": actor,
                        "written_at": "2024-05-02T10:30",
                        "body": _body(worker, n),
                        "resident_ids": [resident_id],
                    },
                )
            done["notes"] += 1
            if n % COUNTER_EVERY == 0:
                while True:
                    with store.connect(path) as db:
                        current = store.get(db, Account, counter_id)
                        try:
                            store.update(
                                db,
                                actor,
                                Account,
                                counter_id,
                                current.version,
                                {"failed_logins": current.failed_logins + 1},
                            )
                        except store.Conflict:
                            done["conflicts"] += 1
                            continue
                    done["updates"] += 1
                    break
        except Exception:  # every error reaching a caller is reported, none is fatal here
            done["errors"].append(traceback.format_exc(limit=3))
    results.put(done)


@pytest.mark.slow
def test_four_processes_writing_at_once_lose_and_duplicate_nothing(
    db_path, fresh_db, habitat, resident
):
    counter = store.create(
        fresh_db, "admin", Account, {"username": "compteur", "display_name": "C", "role": "host"}
    )
    audit_before = Counter(e.action for e in store.history(fresh_db))
    # `fresh_db` stays open, as the app's own connection would.
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    processes = [
        context.Process(
            target=_write,
            args=(str(db_path), worker, habitat.id, resident.id, counter.id, results),
        )
        for worker in range(WORKERS)
    ]
    for process in processes:
        process.start()
    reports = []
    try:
        for _ in processes:
            reports.append(results.get(timeout=300))
    except queue.Empty:  # pragma: no cover - a worker died: its exit code says how
        pass
    for process in processes:
        process.join(timeout=60)
    assert [p.exitcode for p in processes] == [0] * WORKERS
    assert len(reports) == WORKERS

    errors = [error for report in reports for error in report["errors"]]
    assert errors == [], errors[0] if errors else ""
    assert all(report["notes"] == NOTES_PER_WORKER for report in reports)

    notes = store.find(fresh_db, LiaisonNote, include_archived=True)
    bodies = Counter(note.body for note in notes)
    expected = {_body(w, n) for w in range(WORKERS) for n in range(NOTES_PER_WORKER)}
    assert len(notes) == WORKERS * NOTES_PER_WORKER
    assert set(bodies) == expected
    assert max(bodies.values()) == 1
    assert all(note.resident_ids == [resident.id] and note.version == 1 for note in notes)

    updates = sum(report["updates"] for report in reports)
    assert updates == WORKERS * len(range(0, NOTES_PER_WORKER, COUNTER_EVERY))
    final = store.get(fresh_db, Account, counter.id)
    assert final.failed_logins == updates
    assert final.version == updates + 1

    written = Counter(e.action for e in store.history(fresh_db)) - audit_before
    assert written == Counter({"create": WORKERS * NOTES_PER_WORKER, "update": updates})
    assert len(store.history(fresh_db, "account", counter.id)) == updates + 1
    assert {e.entity_id for e in store.history(fresh_db, "liaison_note")} == {n.id for n in notes}
    assert store.check(db_path).ok

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from habitat import store
from habitat.store.entities import Habitat, LiaisonNote, Resident

_TEMPLATE_DIR = tempfile.TemporaryDirectory(prefix="habitat-stateful-")
_TEMPLATE = Path(_TEMPLATE_DIR.name) / "template.db"

_names = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=30
).filter(str.strip)
_bodies = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], include_characters="\n\t"),
    min_size=1,
    max_size=300,
).filter(str.strip)
_resident_edits = st.fixed_dictionaries(
    {},
    optional={
        "first_name": _names,
        "last_name": _names,
        "dwelling": st.none() | _names,
        "gir": st.integers(1, 6),
    },
).filter(bool)
_bad_resident_edits = st.sampled_from(
    [
        {"first_name": "   "},
        {"last_name": ""},
        {"gir": 7},
        {"gir": None},
        {"birth_year": 1850},
        {"exit_date": "2020-01-01", "exit_reason": "death"},
        {"dwelling": "A" * 201},
        {"first_name": "tab\x0bvertical"},
    ]
)

DWELLINGS = 8


def _template() -> Path:
    if not _TEMPLATE.exists():
        store.init(_TEMPLATE)
        with store.connect(_TEMPLATE) as db:
            store.create(
                db,
                "setup",
                Habitat,
                {
                    "name": "Les Tilleuls",
                    "host_organisation": "Asso",
                    "address": "1 rue",
                    "dwellings": DWELLINGS,
                },
            )
    return _TEMPLATE


class HabitatRecords(RuleBasedStateMachine):
    """Residents and liaison notes, edited by several people; a dict says what must be stored."""

    @initialize()
    def open_database(self):
        self.dir = tempfile.TemporaryDirectory(prefix="habitat-stateful-")
        self.path = Path(self.dir.name) / "habitat.db"
        shutil.copyfile(_template(), self.path)
        # Writes go through short-lived connections, as pages do; this one only reads
        # (and, staying open, spares each writer's close a checkpoint).
        self.db = store.connect(self.path)
        self.habitat_id = store.find(self.db, Habitat)[0].id
        self.log = [(e.entity, e.entity_id, e.action) for e in store.history(self.db)]
        self.residents: dict[int, dict[str, Any]] = {}
        self.notes: dict[int, dict[str, Any]] = {}

    def _present(self) -> int:
        return sum(not r["archived"] for r in self.residents.values())

    def teardown(self):
        if hasattr(self, "dir"):
            self.db.close()
            self.dir.cleanup()

    # --- residents ---------------------------------------------------------------------

    @rule(
        first_name=_names,
        last_name=_names,
        public=st.sampled_from(["elderly", "motor", "psychic", "autism"]),
        gir=st.integers(1, 6),
        actor=st.sampled_from(["alice", "bob"]),
    )
    def create_resident(self, first_name, last_name, public, gir, actor):
        fields = {
            "first_name": first_name,
            "last_name": last_name,
            "public": public,
            "gir": gir,
            "dwelling": None,
        }
        data = {**fields, "habitat_id": self.habitat_id, "entry_date": "2024-01-15"}
        if self._present() >= DWELLINGS:
            # A full habitat refuses a ninth present resident, and writes nothing.
            with store.connect(self.path) as db, pytest.raises(store.InvalidRecord) as refused:
                store.create(db, actor, Resident, data)
            assert [p.field for p in refused.value.problems] == ["dwelling"]
            return
        with store.connect(self.path) as db:
            created = store.create(db, actor, Resident, data)
        self.residents[created.id] = {"fields": fields, "version": 1, "archived": False}
        self.log.append(("resident", created.id, "create"))

    @precondition(lambda self: self.residents)
    @rule(data=st.data(), actor=st.sampled_from(["alice", "bob"]))
    def edit_resident(self, data, actor):
        resident_id = data.draw(st.sampled_from(sorted(self.residents)), label="resident")
        changes = data.draw(_resident_edits, label="changes")
        expected = self.residents[resident_id]
        with store.connect(self.path) as db:
            store.update(db, actor, Resident, resident_id, expected["version"], changes)
        expected["fields"].update(changes)
        expected["version"] += 1
        self.log.append(("resident", resident_id, "update"))

    @precondition(lambda self: self.residents)
    @rule(data=st.data(), changes=_bad_resident_edits)
    def refused_edit_changes_nothing(self, data, changes):
        resident_id = data.draw(st.sampled_from(sorted(self.residents)), label="resident")
        version = self.residents[resident_id]["version"]
        with store.connect(self.path) as db, pytest.raises(store.InvalidRecord):
            store.update(db, "alice", Resident, resident_id, version, changes)

    @precondition(lambda self: any(r["version"] > 1 for r in self.residents.values()))
    @rule(data=st.data())
    def stale_edit_is_a_conflict(self, data):
        edited = sorted(i for i, r in self.residents.items() if r["version"] > 1)
        resident_id = data.draw(st.sampled_from(edited), label="resident")
        current = self.residents[resident_id]["version"]
        stale = data.draw(st.integers(1, current - 1), label="stale version")
        with store.connect(self.path) as db, pytest.raises(store.Conflict) as refused:
            store.update(db, "carol", Resident, resident_id, stale, {"first_name": "Écrasé"})
        assert refused.value.current == current
        assert refused.value.by == self._last_actor(resident_id)

    @precondition(lambda self: any(not r["archived"] for r in self.residents.values()))
    @rule(data=st.data())
    def archive_resident(self, data):
        current = sorted(i for i, r in self.residents.items() if not r["archived"])
        resident_id = data.draw(st.sampled_from(current), label="resident")
        expected = self.residents[resident_id]
        with store.connect(self.path) as db:
            store.archive(db, "alice", Resident, resident_id, expected["version"])
        expected["archived"] = True
        expected["version"] += 1
        self.log.append(("resident", resident_id, "archive"))

    @precondition(lambda self: any(r["archived"] for r in self.residents.values()))
    @rule(data=st.data())
    def unarchive_resident(self, data):
        archived = sorted(i for i, r in self.residents.items() if r["archived"])
        resident_id = data.draw(st.sampled_from(archived), label="resident")
        expected = self.residents[resident_id]
        if self._present() >= DWELLINGS:
            with store.connect(self.path) as db, pytest.raises(store.InvalidRecord):
                store.unarchive(db, "bob", Resident, resident_id, expected["version"])
            return
        with store.connect(self.path) as db:
            store.unarchive(db, "bob", Resident, resident_id, expected["version"])
        expected["archived"] = False
        expected["version"] += 1
        self.log.append(("resident", resident_id, "restore"))

    # --- liaison notes -----------------------------------------------------------------

    @precondition(lambda self: self.residents)
    @rule(data=st.data(), body=_bodies, actor=st.sampled_from(["alice", "bob"]))
    def write_note(self, data, body, actor):
        about = data.draw(
            st.lists(st.sampled_from(sorted(self.residents)), min_size=1, max_size=3, unique=True),
            label="residents",
        )
        with store.connect(self.path) as db:
            note = store.create(
                db,
                actor,
                LiaisonNote,
                {
                    "habitat_id": self.habitat_id,
                    "author": actor,
                    "written_at": "2024-05-02T10:30",
                    "body": body,
                    "resident_ids": about,
                },
            )
        self.notes[note.id] = {"body": body, "resident_ids": sorted(about), "version": 1}
        self.log.append(("liaison_note", note.id, "create"))

    @precondition(lambda self: self.notes)
    @rule(data=st.data(), body=_bodies)
    def edit_note(self, data, body):
        note_id = data.draw(st.sampled_from(sorted(self.notes)), label="note")
        about = data.draw(
            st.lists(st.sampled_from(sorted(self.residents)), max_size=3, unique=True),
            label="residents",
        )
        expected = self.notes[note_id]
        with store.connect(self.path) as db:
            store.update(
                db,
                "bob",
                LiaisonNote,
                note_id,
                expected["version"],
                {"body": body, "resident_ids": about},
            )
        expected.update(body=body, resident_ids=sorted(about), version=expected["version"] + 1)
        self.log.append(("liaison_note", note_id, "update"))

    @precondition(lambda self: self.notes)
    @rule(data=st.data())
    def stale_note_edit_is_a_conflict(self, data):
        note_id = data.draw(st.sampled_from(sorted(self.notes)), label="note")
        wrong = self.notes[note_id]["version"] + data.draw(st.sampled_from([-1, 1]), label="off")
        with store.connect(self.path) as db, pytest.raises(store.Conflict):
            store.update(db, "carol", LiaisonNote, note_id, wrong, {"body": "perdu"})

    # --- what must hold after every step ------------------------------------------------

    def _last_actor(self, resident_id: int) -> str:
        return store.history(self.db, "resident", resident_id)[-1].actor

    @invariant()
    def residents_match_the_model(self):
        stored = {r.id: r for r in store.find(self.db, Resident, include_archived=True)}
        current = {r.id for r in store.find(self.db, Resident)}
        assert sorted(stored) == sorted(self.residents)
        assert current == {i for i, r in self.residents.items() if not r["archived"]}
        for resident_id, expected in self.residents.items():
            record = stored[resident_id]
            assert store.get(self.db, Resident, resident_id) == record
            assert record.version == expected["version"]
            assert (record.archived_at is not None) == expected["archived"]
            for name, value in expected["fields"].items():
                assert getattr(record, name) == value, name

    @invariant()
    def notes_match_the_model(self):
        stored = {n.id: n for n in store.find(self.db, LiaisonNote, include_archived=True)}
        assert sorted(stored) == sorted(self.notes)
        for note_id, expected in self.notes.items():
            note = stored[note_id]
            assert store.get(self.db, LiaisonNote, note_id) == note
            assert note.body == expected["body"]
            assert note.resident_ids == expected["resident_ids"]
            assert note.version == expected["version"]

    @invariant()
    def every_successful_write_has_exactly_one_audit_entry(self):
        entries = store.history(self.db)
        assert [(e.entity, e.entity_id, e.action) for e in entries] == self.log
        last = {(e.entity, e.entity_id): e for e in entries}
        for resident in store.find(self.db, Resident, include_archived=True):
            assert last[("resident", resident.id)].after == resident.audit_copy()
        for note in store.find(self.db, LiaisonNote, include_archived=True):
            assert last[("liaison_note", note.id)].after == note.audit_copy()


HabitatRecords.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestHabitatRecords = pytest.mark.slow(HabitatRecords.TestCase)

"""GDPR rights over a resident's records: export (art. 15, 20) and erasure (art. 17).

What is "about a resident" is read from the schema, not listed by hand: every row
that refers to them through foreign keys, directly or through rows that do (a
plan's needs, interventions...). A table added later is covered the day it is
created with a foreign key; a test checks that no table escapes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from habitat import clock
from habitat.store import audit
from habitat.store.audit import Action
from habitat.store.db import transaction
from habitat.store.entities import RECORDS, Account, Resident
from habitat.store.errors import NotFound
from habitat.store.record import Record
from habitat.store.repository import get
from habitat.store.text import ERASED

#: Tables of the store's own bookkeeping, never "about" a resident as such (the
#: audit log is exported and erased through the records it describes).
BOOKKEEPING_TABLES = frozenset(
    {"audit_log", "erasure", "erasure_in_progress", "_sqlite_migrations"}
)
#: Foreign keys that do not make a row the resident's: a note written from a
#: family account is about the residents it concerns, not about its author's relative.
NOT_OWNERSHIP = frozenset({("liaison_note", "author_account_id")})
#: Cells starting with these are formulas to a spreadsheet: exported with a leading
#: apostrophe so that opening the file never runs them.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class ResidentRecords:
    """Every row held about one resident.

    Attributes:
        owned: rows that are the resident's (their file, carers, plans, attendance,
            links to notes and tensions...), by table.
        context: rows those refer to (the notes and tensions concerning them, the
            activities attended, providers...), by table.
        audit: audit-log entries about owned and context rows.
    """

    owned: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    context: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)


def _tables(db: sqlite_utils.Database) -> list[str]:
    return [
        name
        for name in db.table_names()
        if name not in BOOKKEEPING_TABLES and not name.startswith("sqlite_")
    ]


def foreign_keys(db: sqlite_utils.Database) -> dict[str, list[tuple[str, str]]]:
    """Each table's foreign keys as (column, referenced table)."""
    return {
        table: [
            (row[3], row[2]) for row in db.execute(f"PRAGMA foreign_key_list({table})").fetchall()
        ]
        for table in _tables(db)
    }


def _key(row: dict[str, Any]) -> Any:
    return row["id"] if "id" in row else tuple(sorted(row.items()))


def _select_in(
    db: sqlite_utils.Database, table: str, column: str, ids: set[int]
) -> list[dict[str, Any]]:
    return list(
        db.query(
            f"SELECT * FROM {table} WHERE {column} IN (SELECT value FROM json_each(?))",
            [json.dumps(sorted(ids))],
        )
    )


def collect(db: sqlite_utils.Database, resident_id: int) -> ResidentRecords:
    """Every row about one resident, found by following the schema's foreign keys.

    Raises:
        NotFound: no such resident.
    """
    get(db, Resident, resident_id)
    fks = foreign_keys(db)
    owned: dict[str, dict[Any, dict[str, Any]]] = {
        "resident": {
            resident_id: dict(next(db.query("SELECT * FROM resident WHERE id = ?", [resident_id])))
        }
    }
    grew = True
    while grew:
        grew = False
        for table, keys in fks.items():
            for column, parent in keys:
                if (table, column) in NOT_OWNERSHIP or parent not in owned:
                    continue
                parent_ids = {k for k in owned[parent] if isinstance(k, int)}
                for row in _select_in(db, table, column, parent_ids):
                    rows = owned.setdefault(table, {})
                    if _key(row) not in rows:
                        rows[_key(row)] = row
                        grew = True
    context: dict[str, dict[Any, dict[str, Any]]] = {}
    frontier = [(t, r) for t, rows in owned.items() for r in rows.values()]
    while frontier:
        table, row = frontier.pop()
        for column, parent in fks[table]:
            value = row.get(column)
            if value is None or value in owned.get(parent, {}) or value in context.get(parent, {}):
                continue
            parent_row = next(db.query(f"SELECT * FROM {parent} WHERE id = ?", [value]), None)
            if parent_row is not None:
                context.setdefault(parent, {})[value] = dict(parent_row)
                frontier.append((parent, parent_row))
    records = ResidentRecords(
        owned={t: list(rows.values()) for t, rows in owned.items()},
        context={t: list(rows.values()) for t, rows in context.items()},
    )
    described = {
        (t, r["id"])
        for part in (owned, context)
        for t, rows in part.items()
        for r in rows.values()
        if "id" in r
    }
    records.audit = [
        row
        for row in db.query("SELECT * FROM audit_log ORDER BY id")
        if (row["entity"], row["entity_id"]) in described
    ]
    for part in (records.owned, records.context):
        for row in part.get("account", []):
            row.pop("password_hash", None)
    for row in records.audit:
        for side in ("before", "after"):
            if row[side]:
                row[side] = json.loads(row[side])
    return records


def neutralise(value: Any) -> Any:
    """A cell safe to open in a spreadsheet: formulas are prefixed with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    columns = list(rows[0]) if rows else []
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                k: neutralise(json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else v)
                for k, v in row.items()
            }
        )
    return buffer.getvalue()


@dataclass
class ResidentExport:
    """The export handed to a resident (or their representative)."""

    pseudonym: str
    exported_at: str
    records: ResidentRecords

    def to_json(self) -> str:
        """Everything, as one JSON document."""
        return json.dumps(
            {
                "resident": self.pseudonym,
                "exported_at": self.exported_at,
                "records": self.records.owned,
                "context": self.records.context,
                "audit_log": self.records.audit,
            },
            ensure_ascii=False,
            indent=2,
            sort_keys=True,
        )

    def csv_files(self) -> dict[str, str]:
        """One CSV per table (records, then `context-*`), plus the audit log."""
        files = {f"{table}.csv": _csv(rows) for table, rows in self.records.owned.items()}
        files.update(
            {f"context-{table}.csv": _csv(rows) for table, rows in self.records.context.items()}
        )
        files["audit_log.csv"] = _csv(self.records.audit)
        return files

    def to_zip(self) -> bytes:
        """The JSON document and the CSV files in one archive, for a download."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(f"{self.pseudonym}.json", self.to_json())
            for name, text in self.csv_files().items():
                archive.writestr(f"csv/{name}", text)
        return buffer.getvalue()


def export_resident(db: sqlite_utils.Database, actor: str, resident_id: int) -> ResidentExport:
    """Everything held about one resident; the export itself is audited.

    Raises:
        NotFound: no such resident.
    """
    records = collect(db, resident_id)
    pseudonym = records.owned["resident"][0]["pseudonym"]
    with transaction(db):
        audit.log(
            db, actor, "resident", resident_id, Action.EXPORT, after={"rows": _count(records)}
        )
    return ResidentExport(pseudonym, clock.now().isoformat(timespec="seconds"), records)


def _count(records: ResidentRecords) -> int:
    return sum(len(rows) for rows in records.owned.values())


@dataclass(frozen=True)
class Erasure:
    """What an erasure did."""

    pseudonym: str
    rows_erased: int
    audit_entries_erased: int


#: Forms of address before a surname: "Mme Ferreira" names her as surely as her full name.
CIVILITIES = ("Madame", "Mme", "Monsieur", "M.", "Mr", "Mademoiselle", "Mlle")
#: Shorter values are not searched for in other text (initials would erase words).
PHRASE_MIN = 3


@dataclass(frozen=True)
class Identities:
    """What identifies the people an erasure removes: the resident and those tied to them.

    Attributes:
        accounts: their accounts (family, resident), id -> username: copies of these
            accounts' names (`Record.names` linked to them) are replaced whole, and
            the audit log's `actor` names them `role:erased-ID`.
        phrases: their names (both orders, with a form of address), contacts,
            usernames and display names, searched for in every text column.
    """

    accounts: dict[int, str]
    phrases: tuple[str, ...]

    @classmethod
    def of(cls, records: ResidentRecords) -> Identities:
        """The identities in a resident's owned rows (their file, carers, accounts)."""
        phrases: set[str] = set()
        for row in records.owned.get("resident", []) + records.owned.get("carer", []):
            first, last = row["first_name"], row["last_name"]
            phrases.update({f"{first} {last}", f"{last} {first}"})
            phrases.update(f"{civility} {last}" for civility in CIVILITIES)
            phrases.update(
                row.get(column) or "" for column in ("emergency_contact", "phone", "email")
            )
        accounts = records.owned.get("account", [])
        phrases.update(a["display_name"] for a in accounts)
        phrases.update(a["username"] for a in accounts)
        kept = {p.strip() for p in phrases if len(p.strip()) >= PHRASE_MIN and p != ERASED}
        return cls(
            accounts={a["id"]: a["username"] for a in accounts},
            # Longest first, so "Isabelle Ferreira" goes whole before "Mme Ferreira" is tried.
            phrases=tuple(sorted(kept, key=lambda p: (-len(p), p))),
        )

    @property
    def pattern(self) -> re.Pattern[str] | None:
        """One case-insensitive pattern matching any phrase (None when there is none)."""
        if not self.phrases:
            return None
        return re.compile("|".join(re.escape(p) for p in self.phrases), re.IGNORECASE)


def _without(pattern: re.Pattern[str] | None, value: Any) -> Any:
    """`value` with every phrase replaced by `ERASED`, in text, lists and mappings alike."""
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(ERASED, value)
    if isinstance(value, list):
        return [_without(pattern, item) for item in value]
    if isinstance(value, dict):
        return {key: _without(pattern, item) for key, item in value.items()}
    return value


def _scrub(model: type[Record], values: dict[str, Any], record_id: int) -> dict[str, Any]:
    out = dict(values)
    for name, replacement in model.personal.items():
        if name in out and out[name] is not None:
            out[name] = replacement
    if model is Account and "username" in out:
        out["username"] = f"erased-{record_id}"
    return out


def _write(
    db: sqlite_utils.Database, table: str, record_id: int, changes: dict[str, Any], stamp: str
) -> None:
    stored = {
        k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
        for k, v in changes.items()
    }
    assignments = ", ".join(f"{k} = ?" for k in stored)
    db.execute(
        f"UPDATE {table} SET {assignments}, version = version + 1, updated_at = ? WHERE id = ?",
        [*stored.values(), stamp, record_id],
    )


def erase_resident(db: sqlite_utils.Database, actor: str, resident_id: int, reason: str) -> Erasure:
    """Erase a resident: their identity and that of the people tied to them, everywhere.

    Replaced: the resident's identity, their carers' identity and contacts, the free
    text of their plans, of the notes and tensions concerning them; every copy of
    those people's names (a note's author copied from a family account, who booked,
    who agreed...) in any record; their names and contacts wherever they were typed
    in other text; and all of these in the audit log, whose `actor` names their
    accounts as `role:erased-ID`. Kept: ids, dates, codes (so counts and reports
    still add up), and a trace of the erasure. Their accounts are closed.

    Raises:
        NotFound: no such resident.
    """
    with transaction(db):
        records = collect(db, resident_id)
        identities = Identities.of(records)
        pseudonym = records.owned["resident"][0]["pseudonym"]
        targets = {
            (table, row["id"])
            for table, rows in records.owned.items()
            for row in rows
            if "id" in row and table in RECORDS
        }
        for model in RECORDS.values():
            for link in model.links.values():
                for row in records.owned.get(link.table, []):
                    targets.add((model.table, row[link.owner]))
        stamp = clock.now().isoformat(timespec="seconds")
        rows_erased = 0
        for table, record_id in sorted(targets):
            model = RECORDS[table]
            row = next(db.query(f"SELECT * FROM {table} WHERE id = ?", [record_id]))
            changes = {k: v for k, v in _scrub(model, row, record_id).items() if v != row[k]}
            if model in (Resident, Account):
                changes["archived_at"] = row["archived_at"] or stamp
            if model is Account:
                changes["password_hash"] = None
            if changes:
                _write(db, table, record_id, changes, stamp)
                rows_erased += 1
        copies = _erase_copies(db, identities, stamp)
        rows_erased += len(copies - targets)
        entries = _erase_audit_copies(db, targets | copies, identities)
        reason = _without(identities.pattern, reason)
        db.execute(
            "INSERT INTO erasure (at, actor, entity, pseudonym, rows_erased, reason)"
            " VALUES (?, ?, 'resident', ?, ?, ?)",
            [audit.now_utc(), actor, pseudonym, rows_erased, reason],
        )
        audit.log(
            db,
            actor,
            "resident",
            resident_id,
            Action.ERASE,
            after={"pseudonym": pseudonym, "rows_erased": rows_erased, "reason": reason},
        )
    # Old page versions live on in the write-ahead log until a checkpoint copies and
    # truncates it; only then is the erased text gone from the files.
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Erasure(pseudonym, rows_erased, entries)


def _erase_copies(
    db: sqlite_utils.Database, identities: Identities, stamp: str
) -> set[tuple[str, int]]:
    """Replace the erased people's names in every record: linked copies whole, typed ones.

    Returns:
        The (table, id) of every record changed.
    """
    pattern = identities.pattern
    db.conn.create_function(
        "names_someone_erased",
        1,
        lambda text: text is not None and pattern is not None and bool(pattern.search(text)),
        deterministic=True,
    )
    accounts = json.dumps(sorted(identities.accounts))
    changed: set[tuple[str, int]] = set()
    for model in RECORDS.values():
        texts = sorted(model.text_fields())
        linked = {field: ref for field, ref in model.names.items() if ref is not None}
        conditions = [f"names_someone_erased({column})" for column in texts] + [
            f"{ref} IN (SELECT value FROM json_each(?))" for ref in linked.values()
        ]
        if not conditions:
            continue
        columns = ", ".join(["id", *texts, *linked.values()])
        rows = db.query(
            f"SELECT {columns} FROM {model.table} WHERE {' OR '.join(conditions)}",
            [accounts] * len(linked),
        )
        for row in list(rows):
            values = {
                c: json.loads(row[c]) if c in model.json_fields() and row[c] else row[c]
                for c in texts
            }
            new = _without(pattern, values)
            for name, ref in linked.items():
                if row[ref] in identities.accounts and new[name] is not None:
                    new[name] = ERASED
            changes = {c: v for c, v in new.items() if v != values[c]}
            if changes:
                _write(db, model.table, row["id"], changes, stamp)
                changed.add((model.table, row["id"]))
    return changed


def _erase_audit_copies(
    db: sqlite_utils.Database, targets: set[tuple[str, int]], identities: Identities
) -> int:
    """Scrub the erased values out of the audit log: copies of records, and actors."""
    pattern = identities.pattern
    db.execute("INSERT INTO erasure_in_progress (token) VALUES ('erasing')")
    rows = {
        row["id"]: row
        for entity, entity_id in sorted(targets)
        for row in db.query(
            "SELECT id, actor, entity, entity_id, before, after FROM audit_log"
            " WHERE entity = ? AND entity_id = ?",
            [entity, entity_id],
        )
    }
    # Entries about other records that name them, and the entries their accounts wrote.
    for row in db.query(
        "SELECT id, actor, entity, entity_id, before, after FROM audit_log"
        " WHERE names_someone_erased(before) OR names_someone_erased(after)"
        " OR substr(actor, instr(actor, ':') + 1) IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(identities.accounts.values()))],
    ):
        rows.setdefault(row["id"], row)
    renamed = {name: f"erased-{account_id}" for account_id, name in identities.accounts.items()}
    count = 0
    for row in rows.values():
        model = RECORDS.get(row["entity"])
        sides = {}
        for side in ("before", "after"):
            if row[side]:
                values = json.loads(row[side])
                if model is not None and (row["entity"], row["entity_id"]) in targets:
                    values = _scrub(model, values, row["entity_id"])
                values = _without(pattern, values)
                sides[side] = json.dumps(values, ensure_ascii=False, sort_keys=True)
            else:
                sides[side] = row[side]
        role, _, username = row["actor"].partition(":")
        actor = f"{role}:{renamed[username]}" if username in renamed else row["actor"]
        if (sides["before"], sides["after"], actor) != (row["before"], row["after"], row["actor"]):
            db.execute(
                "UPDATE audit_log SET before = ?, after = ?, actor = ? WHERE id = ?",
                [sides["before"], sides["after"], actor, row["id"]],
            )
            count += 1
    db.execute("DELETE FROM erasure_in_progress")
    return count


def erasures(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The trace of every erasure: when, by whom, which pseudonym, why."""
    return list(db.query("SELECT * FROM erasure ORDER BY id"))


__all__ = [
    "Erasure",
    "NotFound",
    "ResidentExport",
    "ResidentRecords",
    "collect",
    "erase_resident",
    "erasures",
    "export_resident",
    "foreign_keys",
    "neutralise",
]

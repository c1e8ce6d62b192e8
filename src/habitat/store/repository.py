"""Create, read, edit, archive: one call per action, every write audited and versioned."""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Annotated, Any, TypeVar

import sqlite_utils
from pydantic import TypeAdapter, ValidationError

from habitat import clock
from habitat.store import audit, rules
from habitat.store.audit import Action
from habitat.store.db import transaction
from habitat.store.errors import Conflict, InvalidRecord, NotFound, Problem
from habitat.store.messages import french_reason, split_field
from habitat.store.record import Record

R = TypeVar("R", bound=Record)

# Columns the store owns: a caller's copy of them is ignored or checked, never written.
_STORE_COLUMNS = ("id", "version", "archived_at")


def parse(model: type[R], data: Mapping[str, Any]) -> R:
    """Validate input (a form, a file) into an entity, or refuse it field by field.

    Raises:
        InvalidRecord: with one named, French-worded problem per bad field.
    """
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        raise InvalidRecord.from_validation(model.label_fr, error) from None


def parse_fields(
    model: type[Record], data: Mapping[str, Any], names: Sequence[str]
) -> dict[str, Any]:
    """Validate some fields of an entity on their own, before the whole record is.

    For rules that look at a few fields first (who may address a note to whom): the
    values they see are the entity's types, and bad ones are refused as `parse`
    refuses them. A missing field takes its default.

    Raises:
        InvalidRecord: one named, French-worded problem per bad field.
    """
    values, problems = {}, []
    for name in names:
        info = model.model_fields[name]
        if name not in data:
            values[name] = info.get_default(call_default_factory=True)
            continue
        try:
            values[name] = _field_adapter(model, name).validate_python(data[name])
        except ValidationError as error:
            for item in error.errors(include_url=False):
                item = {**item, "loc": (name, *item["loc"])}
                field, reason = split_field(item)
                problems.append(Problem(field, reason, french_reason(item, reason)))
    if problems:
        raise InvalidRecord(model.label_fr, problems)
    return values


@functools.cache
def _field_adapter(model: type[Record], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    # A type built at run time from the field: a value to pydantic, no static type to mypy.
    field_type: Any = Annotated[info.annotation, info]
    return TypeAdapter(field_type)


def _revalidate(record: R) -> R:
    # `model_copy(update=...)` skips validation: check again before anything is written.
    return parse(type(record), record.model_dump())


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")


def _check_references(db: sqlite_utils.Database, record: Record) -> None:
    problems = []
    for field, table in record.references.items():
        value = getattr(record, field)
        if value is not None and not _exists(db, table, value):
            problems.append(_unknown(field, table, value))
    for field, link in record.links.items():
        missing = [i for i in getattr(record, field) if not _exists(db, link.target_table, i)]
        if missing:
            problems.append(_unknown(field, link.target_table, missing[0]))
    if problems:
        raise InvalidRecord(record.label_fr, problems)


def _exists(db: sqlite_utils.Database, table: str, record_id: int) -> bool:
    return db.execute(f"SELECT 1 FROM {table} WHERE id = ?", [record_id]).fetchone() is not None


def _unknown(field: str, table: str, value: int) -> Problem:
    return Problem(field, f"no {table} with id {value}", f"n° {value} introuvable")


@contextmanager
def _unique_values(record: Record) -> Iterator[None]:
    """Turn a broken UNIQUE constraint into a refusal naming the field."""
    try:
        yield
    except sqlite3.IntegrityError as error:
        message = str(error)
        if not message.startswith("UNIQUE constraint failed: "):
            raise
        field = message.rsplit(".", 1)[-1]
        raise InvalidRecord.one(
            record.label_fr, field, "is already recorded", "existe déjà"
        ) from None


def _write_links(db: sqlite_utils.Database, record: Record, record_id: int) -> None:
    for field, link in record.links.items():
        db.execute(f"DELETE FROM {link.table} WHERE {link.owner} = ?", [record_id])
        if link.sort is None:
            db.conn.executemany(
                f"INSERT INTO {link.table} ({link.owner}, {link.target}) VALUES (?, ?)",
                [(record_id, target) for target in getattr(record, field)],
            )
        else:
            sort = record.model_dump(mode="json", include={link.sort})[link.sort]
            db.conn.executemany(
                f"INSERT INTO {link.table} ({link.owner}, {link.target}, {link.sort})"
                " VALUES (?, ?, ?)",
                [(record_id, target, sort) for target in getattr(record, field)],
            )


def from_row(db: sqlite_utils.Database, model: type[R], row: Mapping[str, Any]) -> R:
    """An entity from its stored row (link lists read too)."""
    return from_rows(db, model, [row])[0]


def from_rows(
    db: sqlite_utils.Database, model: type[R], rows: Sequence[Mapping[str, Any]]
) -> list[R]:
    """Entities from stored rows, each link table read once for all of them."""
    ids = [row["id"] for row in rows]
    links: dict[int, dict[str, list[int]]] = {i: {f: [] for f in model.links} for i in ids}
    if ids and model.links:
        for field, link in model.links.items():
            for owner, target in db.execute(
                f"SELECT {link.owner}, {link.target} FROM {link.table}"
                f" WHERE {link.owner} IN (SELECT value FROM json_each(?))"
                f" ORDER BY {link.owner}, {link.target}",
                [json.dumps(ids)],
            ):
                links[owner][field].append(target)
    names = model.model_fields
    return [
        model.from_row({k: v for k, v in row.items() if k in names}, links[row["id"]])
        for row in rows
    ]


def add(db: sqlite_utils.Database, actor: str, record: R) -> R:
    """Store a new record; returns it with its id and version 1.

    Raises:
        InvalidRecord: bad values, unknown ids or a broken rule (nothing written).
    """
    return _insert(db, actor, _revalidate(record))


def _insert(db: sqlite_utils.Database, actor: str, record: R) -> R:
    """Insert a validated record with its links and its audit entry."""
    with transaction(db):
        _check_references(db, record)
        rules.check(db, record)
        row = {k: v for k, v in record.to_row().items() if k not in _STORE_COLUMNS}
        stamp = _now()
        row.update(version=1, created_at=stamp, updated_at=stamp)
        columns = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with _unique_values(record):
            cursor = db.execute(
                f"INSERT INTO {record.table} ({columns}) VALUES ({marks})", list(row.values())
            )
        stored = record.model_copy(
            update={"id": cursor.lastrowid, "version": 1, "archived_at": None}
        )
        _write_links(db, record, stored.stored_id)
        audit.log(
            db, actor, record.table, stored.stored_id, Action.CREATE, after=stored.audit_copy()
        )
    return stored


def create(db: sqlite_utils.Database, actor: str, model: type[R], data: Mapping[str, Any]) -> R:
    """Validate form data and store it: the one call behind a "create" button."""
    return _insert(db, actor, parse(model, data))


def get(db: sqlite_utils.Database, model: type[R], record_id: int) -> R:
    """One record by id (archived ones too).

    Raises:
        NotFound: no such record.
    """
    rows = list(db.query(f"SELECT * FROM {model.table} WHERE id = ?", [record_id]))
    if not rows:
        raise NotFound(model.table, record_id)
    return from_row(db, model, rows[0])


def find(
    db: sqlite_utils.Database,
    model: type[R],
    where: str | None = None,
    params: Sequence[Any] = (),
    *,
    order_by: str = "id",
    include_archived: bool = False,
    limit: int | None = None,
) -> list[R]:
    """Records matching a condition on their own columns, current ones unless asked."""
    clauses = [] if include_archived else ["archived_at IS NULL"]
    if where:
        clauses.append(f"({where})")
    sql = f"SELECT * FROM {model.table}"
    if clauses:
        sql += " WHERE " + " AND ".join(clauses)
    sql += f" ORDER BY {order_by}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return from_rows(db, model, list(db.query(sql, list(params))))


def _current(db: sqlite_utils.Database, model: type[R], record_id: int, version: int) -> R:
    """The stored record, provided nobody changed it since `version` was read."""
    current = get(db, model, record_id)
    if current.version != version:
        by = audit.last_author(db, model.table, record_id)
        raise Conflict(model.table, record_id, version, current.version, by)
    return current


def _store_update(db: sqlite_utils.Database, actor: str, before: R, after: R, action: str) -> R:
    record_id = before.stored_id
    row = {k: v for k, v in after.to_row().items() if k not in ("id", "version")}
    row["updated_at"] = _now()
    assignments = ", ".join(f"{column} = ?" for column in row)
    with _unique_values(after):
        cursor = db.execute(
            f"UPDATE {after.table} SET {assignments}, version = version + 1"
            " WHERE id = ? AND version = ?",
            [*row.values(), record_id, before.version],
        )
    if cursor.rowcount != 1:  # pragma: no cover - the write lock makes this unreachable
        raise Conflict(after.table, record_id, before.version, before.version + 1, None)
    _write_links(db, after, record_id)
    stored = after.model_copy(update={"id": record_id, "version": before.version + 1})
    audit.log(db, actor, after.table, record_id, action, before.audit_copy(), stored.audit_copy())
    return stored


def save(db: sqlite_utils.Database, actor: str, record: R) -> R:
    """Store an edited record; `record.version` is the version it was read at.

    Raises:
        Conflict: someone saved it in the meantime (nothing written).
        NotFound: no such record.
        InvalidRecord: bad values, unknown ids or a broken rule (nothing written).
    """
    if record.id is None:
        raise NotFound(record.table, 0)
    record = _revalidate(record)
    with transaction(db):
        current = _current(db, type(record), record.stored_id, record.version)
        return _replace(db, actor, current, record)


def _replace(db: sqlite_utils.Database, actor: str, current: R, record: R) -> R:
    """Write a validated edit of `current` (its archive mark kept)."""
    record = record.model_copy(update={"archived_at": current.archived_at})
    _check_references(db, record)
    rules.check(db, record)
    return _store_update(db, actor, current, record, Action.UPDATE)


def update(
    db: sqlite_utils.Database,
    actor: str,
    model: type[R],
    record_id: int,
    version: int,
    changes: Mapping[str, Any],
) -> R:
    """Apply form changes to a record read at `version`: the one call behind "save".

    Raises:
        Conflict, NotFound, InvalidRecord: as `save`.
    """
    unknown = [field for field in changes if field in _STORE_COLUMNS]
    if unknown:
        raise InvalidRecord.one(model.label_fr, unknown[0], "is set by the store", "non modifiable")
    with transaction(db):
        current = _current(db, model, record_id, version)
        merged = parse(model, {**current.model_dump(), **changes})
        return _replace(db, actor, current, merged)


def update_with(
    db: sqlite_utils.Database,
    actor: str,
    model: type[R],
    record_id: int,
    change: Callable[[R], Mapping[str, Any] | None],
) -> R:
    """Change a record from its stored state, read under the write lock.

    For counters and other read-then-write changes that must hold whatever the
    concurrency (a failed sign-in counted by ten sessions at once): `change` sees
    the record as it is while no one else can write, so no change is lost and no
    `Conflict` can arise.

    Args:
        db: the database.
        actor: who the audit log says made the change.
        model: the entity.
        record_id: the record.
        change: given the stored record, the changes to make (None or empty: none).

    Returns:
        The record as stored after the change.

    Raises:
        NotFound: no such record.
        InvalidRecord: the change breaks a rule (nothing written).
    """
    with transaction(db):
        current = get(db, model, record_id)
        changes = change(current)
        if not changes:
            return current
        merged = parse(model, {**current.model_dump(), **changes})
        return _replace(db, actor, current, merged)


def archive(
    db: sqlite_utils.Database, actor: str, model: type[R], record_id: int, version: int
) -> R:
    """Archive a record (hidden from current lists, kept, restorable)."""
    with transaction(db):
        current = _current(db, model, record_id, version)
        archived = current.model_copy(update={"archived_at": clock.now()})
        return _store_update(db, actor, current, archived, Action.ARCHIVE)


def restore(
    db: sqlite_utils.Database, actor: str, model: type[R], record_id: int, version: int
) -> R:
    """Bring an archived record back."""
    with transaction(db):
        current = _current(db, model, record_id, version)
        restored = current.model_copy(update={"archived_at": None})
        rules.check(db, restored)
        return _store_update(db, actor, current, restored, Action.RESTORE)

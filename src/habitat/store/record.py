"""The base of every stored entity: identity, version, archive, and how it maps to a row."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, ClassVar, get_args, get_origin

from pydantic import BaseModel, ConfigDict


@dataclass(frozen=True)
class Link:
    """A list field stored as rows of a link table (for example the residents a note concerns).

    Attributes:
        table: the link table.
        owner: its column pointing to the record holding the list.
        target: its column holding each list item (an id in `target_table`).
        target_table: the table the items are ids of.
        sort: a field of the owner copied into each link row, so that "the newest
            notes about this resident" reads an index instead of every note.
    """

    table: str
    owner: str
    target: str
    target_table: str
    sort: str | None = None


class Record(BaseModel):
    """An editable row: `id` and `version` are the store's, the rest is the entity's.

    Class attributes describe the storage: `table`, `references` (field -> table of
    the id it holds, checked on write), `links` (list fields kept in link tables),
    `personal` (field -> what an erasure replaces it with), `names` (fields naming a
    person other than the record's owner, see below), `secret` (fields never copied
    into the audit log).

    `names` maps each field that holds a person's name or contact, copied or typed
    (an author, who booked, who agreed, who is present), to the reference field of
    the account it was copied from, or to None when it is typed by hand. An erasure
    replaces a copy whose account it closes, and the erased people's names wherever
    they were typed. Every text field is either `personal`, in `names`, or names
    nobody (a test holds that list, so a new field must be classified).
    """

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)

    table: ClassVar[str]
    label_fr: ClassVar[str]
    references: ClassVar[dict[str, str]] = {}
    links: ClassVar[dict[str, Link]] = {}
    personal: ClassVar[dict[str, Any]] = {}
    names: ClassVar[dict[str, str | None]] = {}
    secret: ClassVar[frozenset[str]] = frozenset()

    id: int | None = None
    version: int = 0
    archived_at: datetime | None = None

    @property
    def stored_id(self) -> int:
        """The id the store gave this record (a record read back from the store has one).

        Raises:
            ValueError: the record was never saved, so it has no id yet.
        """
        if self.id is None:
            raise ValueError(f"{type(self).__name__} has no id: it was never saved")
        return self.id

    @classmethod
    def data_fields(cls) -> list[str]:
        """The fields stored as columns of `table` (links excluded)."""
        return [name for name in cls.model_fields if name not in cls.links]

    @classmethod
    def text_fields(cls) -> frozenset[str]:
        """Columns of free text a person types (text or a list of texts; codes excluded)."""
        cached = _TEXT_FIELDS.get(cls)
        if cached is None:
            cached = _TEXT_FIELDS[cls] = frozenset(
                name for name in cls.data_fields() if _holds_text(cls.model_fields[name].annotation)
            )
        return cached

    @classmethod
    def json_fields(cls) -> frozenset[str]:
        """Columns that hold a JSON list or mapping."""
        cached = _JSON_FIELDS.get(cls)
        if cached is None:
            cached = _JSON_FIELDS[cls] = frozenset(
                name
                for name in cls.data_fields()
                if _is_container(cls.model_fields[name].annotation)
            )
        return cached

    def to_row(self) -> dict[str, Any]:
        """The row to store: dates as ISO text, enums as values, lists as JSON."""
        dumped = self.model_dump(mode="json", exclude=set(self.links))
        for name in self.json_fields():
            if dumped[name] is not None:
                dumped[name] = json.dumps(dumped[name], ensure_ascii=False)
        for name, value in dumped.items():
            if isinstance(value, bool):
                dumped[name] = int(value)
        return dumped

    @classmethod
    def from_row(cls, row: dict[str, Any], links: dict[str, list[int]] | None = None):
        """Read a stored row back (and its link lists) into the entity."""
        data = dict(row)
        for name in cls.json_fields():
            if data.get(name) is not None:
                data[name] = json.loads(data[name])
        data.update(links or {})
        return cls.model_validate(data)

    def audit_copy(self) -> dict[str, Any]:
        """What the audit log keeps of this record: everything but secrets."""
        return self.model_dump(mode="json", exclude=set(self.secret))


_JSON_FIELDS: dict[type[Record], frozenset[str]] = {}
_TEXT_FIELDS: dict[type[Record], frozenset[str]] = {}


def _holds_text(annotation: Any) -> bool:
    """True for `str`, a list of `str`, optional or constrained (enums are codes, not text)."""
    if annotation is str:
        return True
    return any(_holds_text(arg) for arg in get_args(annotation) if arg is not type(None))


def _is_container(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (list, dict, set, tuple):
        return True
    return any(_is_container(arg) for arg in get_args(annotation) if arg is not type(None))


def iso(value: date | datetime | time) -> str:
    """The ISO text a date, time or timestamp is stored as."""
    return value.isoformat()

"""What the store refuses, and the messages (English and French) a person sees."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

from habitat.store.messages import field_label, french_reason, split_field


@dataclass(frozen=True)
class Problem:
    """One refused field: its name, the reason in English and in French."""

    field: str
    reason: str
    reason_fr: str

    @property
    def message_fr(self) -> str:
        """The French message shown next to the field."""
        return f"{field_label(self.field)} : {self.reason_fr}"


class StoreError(Exception):
    """Base of everything the store refuses; `message_fr` is for the screen."""

    message_fr: str = "Opération refusée."


class InvalidRecord(StoreError):
    """Input refused: one `Problem` per field at fault; nothing was written."""

    def __init__(self, entity: str, problems: list[Problem]):
        self.entity = entity
        self.problems = problems
        lines = "; ".join(f"{p.field}: {p.reason}" for p in problems)
        super().__init__(f"{entity}: {lines}")

    @property
    def message_fr(self) -> str:  # type: ignore[override]
        """Every problem, one French line each."""
        return "\n".join(p.message_fr for p in self.problems)

    def by_field(self) -> dict[str, str]:
        """French message per field, for showing each next to its input."""
        return {p.field: p.reason_fr for p in self.problems}

    @classmethod
    def from_validation(cls, entity: str, error: ValidationError) -> InvalidRecord:
        """Translate pydantic's errors into named fields and French reasons."""
        problems = []
        for item in error.errors(include_url=False):
            field, reason = split_field(item)
            problems.append(Problem(field, reason, french_reason(item, reason)))
        return cls(entity, problems)

    @classmethod
    def one(cls, entity: str, field: str, reason: str, reason_fr: str) -> InvalidRecord:
        """A refusal of a single field."""
        return cls(entity, [Problem(field, reason, reason_fr)])


class NotFound(StoreError):
    """No such record (or it belongs to another habitat)."""

    def __init__(self, entity: str, record_id: int):
        self.entity = entity
        self.record_id = record_id
        super().__init__(f"no {entity} with id {record_id}")
        self.message_fr = f"Enregistrement introuvable ({entity} n° {record_id})."


class Conflict(StoreError):
    """The record changed since it was read: saving would overwrite someone's work."""

    def __init__(self, entity: str, record_id: int, expected: int, current: int, by: str | None):
        self.entity = entity
        self.record_id = record_id
        self.expected = expected
        self.current = current
        self.by = by
        who = f" by {by}" if by else ""
        super().__init__(
            f"{entity} {record_id} was changed{who} since you opened it "
            f"(your version {expected}, now {current}); nothing was saved: reload it and apply "
            "your change again"
        )
        who_fr = f" par {by}" if by else ""
        self.message_fr = (
            f"Cette fiche a été modifiée{who_fr} depuis que vous l'avez ouverte. "
            "Rechargez-la puis refaites votre modification : rien n'a été enregistré."
        )


class BadBackup(StoreError):
    """A backup file that is not a sound habitat database; nothing was restored."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}; nothing was restored")
        self.message_fr = f"Sauvegarde refusée ({reason}) : rien n'a été restauré."

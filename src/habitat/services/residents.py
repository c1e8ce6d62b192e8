"""What each role sees of a resident's file, and turning form input into records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from habitat.domain import WEEKDAYS_FR
from habitat.store.audit import AuditEntry
from habitat.store.entities import Role

#: Columns the store writes itself: a history line does not list them as changes.
_BOOKKEEPING = frozenset({"id", "version", "archived_at", "created_at", "updated_at"})


@dataclass(frozen=True)
class FileParts:
    """The parts of a resident's file a role may see (need to know)."""

    carers: bool
    plan_details: bool
    team_notes: bool
    history: bool


#: The team (animator, host) sees everything; a provider the plan it works to
#: (with the agreements and reviews that frame its work); a family the identity,
#: a summary of the plan and participation; residents their own file but not the
#: team's notes about them.
PARTS: dict[Role, FileParts] = {
    Role.ANIMATOR: FileParts(carers=True, plan_details=True, team_notes=True, history=True),
    Role.HOST: FileParts(carers=True, plan_details=True, team_notes=True, history=True),
    Role.PROVIDER: FileParts(carers=False, plan_details=True, team_notes=False, history=False),
    Role.FAMILY: FileParts(carers=False, plan_details=False, team_notes=False, history=False),
    Role.RESIDENT: FileParts(carers=True, plan_details=True, team_notes=False, history=False),
}


def file_parts(role: Role) -> FileParts:
    """The parts of a resident's file this role may see."""
    return PARTS[role]


def optional(value: str | None) -> str | None:
    """An optional text input: None when left empty.

    A required input keeps its "" instead, so the store refuses it by name
    ("ne peut pas être vide").
    """
    return value if value and value.strip() else None


def weekdays_fr(days: list[int]) -> str:
    """Weekdays (0 = Monday) in French: "lundi, jeudi"."""
    return ", ".join(WEEKDAYS_FR[d] for d in days)


def attendance_rate(counts: Mapping[str, int]) -> float | None:
    """Share of recorded activities the resident attended (None when nothing was recorded)."""
    total = sum(counts.values())
    return counts.get("present", 0) / total if total else None


def changed_fields(entry: AuditEntry) -> list[str]:
    """The fields an audit entry changed (every field given, for a creation)."""
    before, after = entry.before or {}, entry.after or {}
    keys = (set(before) | set(after)) - _BOOKKEEPING
    return sorted(k for k in keys if before.get(k) != after.get(k))

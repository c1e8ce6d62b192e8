"""French labels of the domain's enumerations, for selects, tables and charts."""

from __future__ import annotations

from enum import StrEnum

from habitat.services.access import ROLE_FR
from habitat.store.entities import Role
from habitat.store.labels import LABELS as _RECORD_LABELS

#: The store's catalogue (also read back by imports), and the role names the access
#: rules keep (promoters included).
LABELS: dict[type[StrEnum], dict[str, str]] = {
    **_RECORD_LABELS,
    Role: {role.value: name for role, name in ROLE_FR.items()},
}


def fr(value: StrEnum | str | None) -> str:
    """The French label of an enum member (its value if unknown, "—" for None)."""
    if value is None:
        return "—"
    if isinstance(value, StrEnum):
        return LABELS.get(type(value), {}).get(value.value, value.value)
    for labels in LABELS.values():
        if value in labels:
            return labels[value]
    return str(value)


def options(enum: type[StrEnum]) -> list[str]:
    """The enum's values, in declaration order (for a select with `format_func=fmt(enum)`)."""
    return [member.value for member in enum]


def fmt(enum: type[StrEnum]):
    """A `format_func` showing the French label of the enum's values."""
    labels = LABELS[enum]
    return lambda value: labels.get(value, "—") if value is not None else "—"

"""How much the habitat rests on a few families (DOMAIN.md §4.2: the place of families)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from habitat.store.entities import Carer

#: One family giving this share of all family hours or more: the habitat depends on it,
#: and gets into difficulty the day that family is no longer available.
TOP_FAMILY_WARNING = 0.4
#: The three most involved families giving this share or more: help is concentrated.
TOP_THREE_WARNING = 0.75


@dataclass(frozen=True)
class FamilyHelp:
    """The family help the habitat receives, and how concentrated it is.

    A family is the carers of one resident; `hours_by_family` lists each
    resident's carers' usual hours a week, most first.
    """

    total_hours: float
    hours_by_family: list[tuple[int, float]]
    families_in_governance: int
    families_in_management: int
    residents_without_carer: list[int]

    @property
    def top_share(self) -> float | None:
        """Share of the hours the most involved family gives (None without any hours)."""
        if not self.total_hours:
            return None
        return self.hours_by_family[0][1] / self.total_hours

    @property
    def top_three_share(self) -> float | None:
        """Share of the hours the three most involved families give."""
        if not self.total_hours:
            return None
        return sum(h for _, h in self.hours_by_family[:3]) / self.total_hours

    @property
    def concentrated(self) -> bool:
        """Whether the habitat rests heavily on a few families."""
        top, three = self.top_share, self.top_three_share
        return (
            top is not None
            and three is not None
            and (
                top >= TOP_FAMILY_WARNING
                or (len(self.hours_by_family) > 3 and three >= TOP_THREE_WARNING)
            )
        )


def family_help(carers: Iterable[Carer], resident_ids: Iterable[int]) -> FamilyHelp:
    """Family help of the given residents, from their current carers.

    Args:
        carers: current carers (others' residents are ignored).
        resident_ids: the residents counted (those living in the habitat).
    """
    residents = list(resident_ids)
    counted = set(residents)
    hours: dict[int, float] = {}
    governance, management, with_carer = set(), set(), set()
    for carer in carers:
        if carer.resident_id not in counted:
            continue
        with_carer.add(carer.resident_id)
        if carer.usual_hours_per_week:
            hours[carer.resident_id] = (
                hours.get(carer.resident_id, 0.0) + carer.usual_hours_per_week
            )
        if carer.does_governance:
            governance.add(carer.resident_id)
        if carer.does_management:
            management.add(carer.resident_id)
    ranked = sorted(hours.items(), key=lambda item: (-item[1], item[0]))
    return FamilyHelp(
        total_hours=sum(hours.values()),
        hours_by_family=ranked,
        families_in_governance=len(governance),
        families_in_management=len(management),
        residents_without_carer=[r for r in residents if r not in with_carer],
    )

"""The four support functions (DOMAIN.md §2) and the animator's tasks within them."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from habitat.domain import SupportFunction

__all__ = ["ANIMATOR_TASKS", "IN_HOUSE_TASKS", "SupportFunction", "total_hours"]


#: What the animator-coordinator is asked to do, in the order time is given when
#: there is not enough of it: continuity of care first, then settling tensions, then
#: the collective life that prevents them, and presence with whatever is left.
ANIMATOR_TASKS: dict[str, SupportFunction] = {
    "coordination": SupportFunction.COLLECTIVE_ORGANISATION,
    "regulation": SupportFunction.COLLECTIVE_ORGANISATION,
    "activities": SupportFunction.COLLECTIVE_ORGANISATION,
    "governance": SupportFunction.COLLECTIVE_ORGANISATION,
    "family_liaison": SupportFunction.COLLECTIVE_ORGANISATION,
    "neighbourhood": SupportFunction.COLLECTIVE_ORGANISATION,
    "premises": SupportFunction.PREMISES,
    "presence": SupportFunction.COLLECTIVE_PRESENCE,
}

#: Tasks done in the house: while doing them the animator is also *there*, so they
#: count as collective presence too. Coordination (calls, meetings at the hospital or
#: the provider's) and neighbourhood links happen elsewhere.
IN_HOUSE_TASKS: frozenset[str] = frozenset(
    {"regulation", "activities", "governance", "family_liaison", "premises"}
)


def total_hours(by_task: Mapping[str, np.ndarray]) -> np.ndarray:
    """Hours of every task together, summed in the tasks' order (the same sum every run)."""
    hours = list(by_task.values())
    total = hours[0].copy()
    for more in hours[1:]:
        total += more
    return total

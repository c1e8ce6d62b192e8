"""Collective presence asked (function 3): by day, at night, more at weekends.

Presence is someone *there*: a house-level base while anyone lives in it, plus hours
for each resident at home that grow with their dependency, more on Saturdays and
Sundays, and a night presence for the most dependent (GIR 1-2) that only others than
the animator (pooled help, families) can give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from habitat.sim.masks import count_by_column
from habitat.sim.state import filled

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel

__all__ = ["is_weekend", "presence_wanted"]


def is_weekend(day: int) -> bool:
    """Saturday or Sunday: day 1 of a run is a Monday, so days 6, 7, 13, 14..."""
    return day % 7 in (6, 0)


def presence_wanted(model: HabitatModel) -> tuple[np.ndarray, np.ndarray]:
    """Hours of collective presence asked today, by day and at night, each (R,).

    day   = [anyone home] x weekend factor x (policies.presence_hours_per_day
            + sum over residents at home of the hours of their GIR band)
    night = residents at home at GIR 1-2 x night_hours_per_resident_gir_1_2
    """
    r = model.state.residents
    p = model.params.presence
    home = filled(model.today.at_home)
    gir = r.gir
    most = count_by_column(home & (gir <= 2))
    middle = count_by_column(home & (gir >= 3) & (gir <= 4))
    least = count_by_column(home & (gir >= 5))
    per_resident = (
        most * p.hours_per_resident_gir_1_2
        + middle * p.hours_per_resident_gir_3_4
        + least * p.hours_per_resident_gir_5_6
    )
    factor = p.weekend_factor if is_weekend(model.day) else 1.0
    anyone = r.occupied.any(axis=0)
    day = anyone * factor * (model.scenario.policies.presence_hours_per_day + per_resident)
    night = most * p.night_hours_per_resident_gir_1_2
    return np.asarray(day, dtype=float), np.asarray(night, dtype=float)

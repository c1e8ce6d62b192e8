"""Conflicts in the house and their regulation (tensions 3 and 4)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from habitat.domain import PUBLICS, Public
from habitat.sim.masks import count_by_column
from habitat.sim.state import filled

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel

__all__ = ["regulate_conflicts"]

PSYCHIC = PUBLICS.index(Public.PSYCHIC)


def regulate_conflicts(model: HabitatModel, coverage: np.ndarray) -> None:
    """Conflicts arise from the mix of residents and crowding; regulation settles them.

    Tensions 3 and 4: residents who entered by default and residents with psychic
    disabilities raise the rate, as do low quality of life and more residents per
    common space; the regulation practice changes both the rate and the speed of
    settlement, and settlement needs the animator's regulation time.

    Args:
        model: the habitat (or batch of habitats).
        coverage: (R,) share of today's regulation hours the animator gave.
    """
    s, t = model.state, model.today
    p, practice = model.params, model.scenario.policies.regulation_practice
    r = s.residents
    home = filled(t.at_home)
    propensity = (
        np.where(r.entered_by_default, p.conflicts.by_default_multiplier, 1.0)
        * np.where(r.public == PSYCHIC, p.conflicts.psychic_multiplier, 1.0)
        * (1.0 + p.conflicts.low_quality_of_life_effect * (1.0 - r.quality_of_life))
    )
    residents = count_by_column(home)
    crowding = residents / (
        model.scenario.habitat.common_spaces * p.conflicts.residents_per_common_space
    )
    rate = (
        p.conflicts.rate_per_resident_per_year
        / 365.0
        * (propensity * home).sum(axis=0)
        * (1.0 + p.conflicts.crowding_effect * np.maximum(crowding - 1.0, 0.0))
        * p.regulation.rate_multiplier[practice]
    )
    full = p.conflicts.resolution_per_day * p.regulation.resolution_multiplier[practice]
    settle = p.conflicts.unaided_resolution_per_day + coverage * (
        np.minimum(full, 1.0) - p.conflicts.unaided_resolution_per_day
    )
    resolved = model.streams.binomial(s.conflicts_open, settle)
    new = model.streams.poisson(rate) + t.escalations
    s.conflicts_open = s.conflicts_open - resolved + new
    t.conflicts_new = new
    t.conflicts_resolved = resolved
    model.log.record(model.day, "conflict", new, "residents")

"""AVP accounting: what the habitat receives for its residents and what it spends."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from habitat.sim.state import filled

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel

__all__ = ["account_avp"]


def account_avp(model: HabitatModel, worked: np.ndarray) -> None:
    """AVP in (per resident per day) and out (animator hours worked, activities).

    Writes today's income and spending into the day's ledger and the balance into
    the state.

    Args:
        model: the habitat (or batch of habitats).
        worked: the animator's hours worked today, all tasks together.
    """
    s, t = model.state, model.today
    income = model.scenario.habitat.avp_per_resident_eur / 365.0 * s.residents.occupied.sum(axis=0)
    spent = (
        worked * model.params.animator.hourly_cost_eur
        + filled(t.activities_held) * model.params.collective_life.activity_cost_eur
    )
    s.avp_balance_eur = s.avp_balance_eur + income - spent
    t.avp_income_eur = income
    t.avp_spent_eur = spent

"""AVP accounting: what the agreement brings the habitat and what it spends.

The department pays the AVP to the host organisation under an agreement that names
the residents it funds, at the habitat's tier per resident per year (Unapei 2023:
"versée par le Conseil départemental directement au porteur de projet [...] sur la
base d'un conventionnement", up to EUR 10,000 per resident per year). Income follows
the agreement, not the day's occupancy. Spending is the animator's contract: the
contracted hours are paid whether they were worked, overloaded or spent on sick leave;
only a vacant post is not paid, and a replacement's hours are paid on top. The
post's indirect costs (recruitment, supervision, payroll, travel) add a share.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from habitat.scenario import Scenario
from habitat.sim.state import filled

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel

__all__ = ["account_avp", "agreed_residents"]


def agreed_residents(scenarios: Sequence[Scenario], replications: int) -> np.ndarray:
    """Residents named in each habitat's AVP agreement, one value per column, (R,).

    `habitat.avp_agreed_residents`, or the residents at the start when it is not given.
    """
    agreed = [
        s.residents.count
        if s.habitat.avp_agreed_residents is None
        else s.habitat.avp_agreed_residents
        for s in scenarios
    ]
    return np.repeat(np.asarray(agreed, dtype=np.float64), replications)


def account_avp(model: HabitatModel, paid_hours: np.ndarray) -> None:
    """AVP in (the agreement, per day) and out (the animator's paid hours, activities).

    Writes today's income and spending into the day's ledger and the balance into
    the state.

    Args:
        model: the habitat (or batch of habitats).
        paid_hours: the hours paid today: the animator's contracted hours while the
            post is filled (worked or not), plus a replacement's hours.
    """
    s, t = model.state, model.today
    income = model.scenario.habitat.avp_per_resident_eur / 365.0 * model.avp_agreed
    animator = model.params.animator
    spent = (
        paid_hours * animator.hourly_cost_eur * (1.0 + animator.indirect_cost_share)
        + filled(t.activities_held) * model.params.collective_life.activity_cost_eur
    )
    s.avp_balance_eur = s.avp_balance_eur + income - spent
    t.avp_income_eur = income
    t.avp_spent_eur = spent

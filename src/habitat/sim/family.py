"""Family carers: one agent per dwelling, helping their relative and the collective."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from habitat.sim.population import MAX_FAMILY_HOURS_PER_WEEK

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel


class FamilyCarerAgent(mesa.Agent):
    """The family of whoever lives in dwelling `slot` (tension 2).

    A day: `help` (individual hours to the relative at home, a share of them to
    collective life), then `tire` (fatigue grows with hours above what is
    sustainable) and perhaps `withdraw` for good.
    """

    model: HabitatModel

    def __init__(self, model: HabitatModel, slot: int, relative: str):
        super().__init__(model)
        self.slot = slot
        self.relative = relative
        self.name = f"family of {relative}"

    def step(self, helping: np.ndarray, draws: np.ndarray) -> None:
        """Help, tire, perhaps withdraw.

        Args:
            helping: bool (D, habitats), the families still helping in some
                replication of each habitat; the others do nothing.
            draws: (D, R) uniforms, row d for the family of dwelling d.
        """
        if not helping[self.slot].any():
            return
        self.help()
        self.tire()
        self.consider_withdrawing(draws[self.slot])

    def help(self) -> None:
        """Give today's hours: to the relative at home, and to collective life.

        The usual hours follow the relative's GIR (`family.hours_factor_by_gir`);
        the collective share is taken on the hours the family gives at GIR 4 or
        less: the extra hours a dependent relative asks go to the relative.
        """
        m = self.model
        f, d = m.state.families, self.slot
        share = m.scenario.families.collective_share
        involvement = f.involvement[d]
        hours = f.hours_per_week[d]  # a view: updated in place
        factor = m.tables.family_hours_factor[m.state.residents.gir[d]]
        np.minimum(involvement * factor, MAX_FAMILY_HOURS_PER_WEEK, out=hours)
        usual = hours * f.active[d]
        collective = np.minimum(involvement, hours) * share * f.active[d]
        m.today.family_individual[d] = (usual - collective) / 7.0 * m.state.residents.home(d)
        m.today.family_collective += collective / 7.0

    def tire(self) -> None:
        """Fatigue moves toward the load: 0 at half the sustainable hours, 1 at 1.5 times."""
        m = self.model
        f, d = m.state.families, self.slot
        p = m.params.family
        load = (f.hours_per_week[d] / p.sustainable_hours_per_week - 0.5).clip(0.0, 1.0)
        f.fatigue[d] += f.active[d] * (load - f.fatigue[d]) / p.fatigue_days

    def consider_withdrawing(self, draw: np.ndarray) -> None:
        """Stop for good (illness, a move, exhaustion), more often when tired."""
        m = self.model
        f, d = m.state.families, self.slot
        p = m.params.family
        rate = (
            p.withdrawal_rate_per_year / 365.0 * (1.0 + p.fatigue_withdrawal_effect * f.fatigue[d])
        )
        self.withdraw(f.active[d] & (draw < rate))

    def withdraw(self, who: np.ndarray) -> None:
        """The family stops helping where `who` is true.

        Losing a family that gave much is also a care-path rupture for its relative.
        """
        m = self.model
        f, d = m.state.families, self.slot
        who = who & f.active[d]
        if not who.any():
            return
        f.active[d] &= ~who
        m.today.family_withdrawals += who
        heavy = who & (f.hours_per_week[d] >= m.params.family.rupture_hours_per_week)
        m.resident(d).suffer_rupture(heavy)
        m.log.record(m.day, "family_withdrawal", who, self.name)

"""Family carers: one agent per dwelling, helping their relative and the collective."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from habitat.sim.masks import anywhere, count_by_column
from habitat.sim.population import MAX_FAMILY_HOURS_PER_WEEK
from habitat.sim.state import filled

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel


class FamilyCarerAgent(mesa.Agent):
    """The family of whoever lives in dwelling `slot` (tension 2).

    Its day is `families_day`, every family at once; a scheduled shock may make it
    `withdraw`.
    """

    model: HabitatModel

    def __init__(self, model: HabitatModel, slot: int, relative: str):
        super().__init__(model)
        self.slot = slot
        self.relative = relative
        self.name = f"family of {relative}"

    def withdraw(self, who: np.ndarray) -> None:
        """The family stops helping where `who` is true.

        Losing a family that gave much is also a care-path rupture for its relative.
        """
        m = self.model
        f, d = m.state.families, self.slot
        who = who & f.active[d]
        if not anywhere(who):
            return
        f.active[d] &= ~who
        m.today.family_withdrawals += who
        heavy = who & (f.hours_per_week[d] >= m.params.family.rupture_hours_per_week)
        m.resident(d).suffer_rupture(heavy)
        m.log.record(m.day, "family_withdrawal", who, self.name)


# ---------------------------------------------------------------------- every family at once
# Each family's day reads and writes its own row (and habitat totals): the families
# act on every dwelling at once, with the same numbers as one family after another.


def families_day(model: HabitatModel) -> None:
    """Families help, tire, and perhaps withdraw for good.

    A family still helping in some replication of some habitat draws one uniform
    per replication of those habitats, in dwelling order; a dwelling whose family
    helps nowhere does nothing.
    """
    f = model.state.families
    helping = model.streams.any_by_row(f.active)  # (D, habitats)
    draws = model.streams.random_rows(helping)
    acting = helping.any(axis=1)
    if not anywhere(acting):
        return
    rows: slice | np.ndarray = slice(None) if acting.all() else np.asarray(acting)
    help_relatives(model, rows)
    tire(model)
    consider_withdrawing(model, draws)


def help_relatives(model: HabitatModel, rows: slice | np.ndarray) -> None:
    """Give today's hours: to the relative at home, and to collective life.

    The usual hours follow the relative's GIR (`family.hours_factor_by_gir`);
    the collective share is taken on the hours the family gives at GIR 4 or
    less: the extra hours a dependent relative asks go to the relative.

    Args:
        model: the habitat (or batch of habitats).
        rows: the dwellings whose family helps somewhere (their usual hours follow
            the relative's GIR today).
    """
    m = model
    f, t = m.state.families, m.today
    share = m.scenario.families.collective_share
    factor = m.tables.family_hours_factor[m.state.residents.gir]
    usual_hours = np.minimum(f.involvement * factor, MAX_FAMILY_HOURS_PER_WEEK)
    f.hours_per_week[rows] = usual_hours[rows]
    hours = f.hours_per_week
    usual = hours * f.active
    collective = np.minimum(f.involvement, hours) * share * f.active
    t.family_individual = (usual - collective) / 7.0 * filled(t.at_home)
    # Family after family: the same floating-point sum as each adding its own hours.
    for given in collective / 7.0:
        t.family_collective += given


def tire(model: HabitatModel) -> None:
    """Fatigue moves toward the load: 0 at half the sustainable hours, 1 at 1.5 times."""
    f = model.state.families
    p = model.params.family
    load = (f.hours_per_week / p.sustainable_hours_per_week - 0.5).clip(0.0, 1.0)
    f.fatigue += f.active * (load - f.fatigue) / p.fatigue_days


def consider_withdrawing(model: HabitatModel, draws: np.ndarray) -> None:
    """Families stop for good (illness, a move, exhaustion), more often when tired.

    Losing a family that gave much is also a care-path rupture for its relative.

    Args:
        model: the habitat (or batch of habitats).
        draws: (D, R) uniforms, row d for the family of dwelling d (NaN: no draw).
    """
    m = model
    f = m.state.families
    p = m.params.family
    rate = p.withdrawal_rate_per_year / 365.0 * (1.0 + p.fatigue_withdrawal_effect * f.fatigue)
    who = f.active & (draws < rate)
    if not anywhere(who):
        return
    f.active &= ~who
    m.today.family_withdrawals += count_by_column(who)
    heavy = who & (f.hours_per_week >= p.rupture_hours_per_week)
    m.state.residents.rupture_load += heavy
    m.today.ruptures += count_by_column(heavy)
    m.log.record_rows(m.day, [("family_withdrawal", who)], [g.name for g in m.families])

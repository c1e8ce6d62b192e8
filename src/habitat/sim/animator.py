"""The animator-coordinator: allocates scarce hours, strains, falls ill, may leave."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from habitat.sim.masks import anywhere
from habitat.sim.support import ANIMATOR_TASKS, IN_HOUSE_TASKS

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel


class AnimatorAgent(mesa.Agent):
    """The person the AVP pays to animate, regulate, coordinate and link (tension 8).

    A day: `work` shares today's hours between the tasks asked of them in priority
    order; in the evening `bear_the_load` moves strain with the workload, and strain
    lowers efficiency, brings sick leave and, at its height, departure.
    """

    model: HabitatModel

    def __init__(self, model: HabitatModel):
        super().__init__(model)
        self.name = "animator"

    def present(self) -> np.ndarray:
        """At work today (not on leave, post not vacant), shape (R,)."""
        m, s = self.model, self.model.state
        return (m.day >= s.animator_absent_until) & (m.day >= s.animator_post_vacant_until)

    def hours_available(self) -> np.ndarray:
        """Effective hours today: contract hours less strain, or a replacement's."""
        m, s = self.model, self.model.state
        nominal = m.scenario.animator.hours_per_week / 7.0
        efficiency = 1.0 - m.params.animator.strain_efficiency_loss * s.animator_strain
        return nominal * np.where(self.present(), efficiency, s.animator_replacement_share)

    def work(self, demands: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Give hours to each task in `ANIMATOR_TASKS` order until none are left.

        Presence comes last and is asked only for what the in-house tasks did not
        already cover: `demands["presence"]` is lowered in place accordingly.

        Args:
            demands: hours asked today per task, each (R,).

        Returns:
            The hours given per task, and the hours that were available.
        """
        available = self.hours_available()
        left = available.copy()
        given = {}
        in_house = np.zeros_like(available)
        for task in ANIMATOR_TASKS:
            if task == "presence":
                demands[task] = np.maximum(demands[task] - in_house, 0.0)
            given[task] = np.minimum(left, demands[task])
            left -= given[task]
            if task in IN_HOUSE_TASKS:
                in_house += given[task]
        return given, available

    def paid_hours(self) -> np.ndarray:
        """Hours the AVP pays today, (R,).

        The contract while the post is filled (worked, idle, overloaded or on leave
        alike), and a replacement's hours on top.
        """
        m, s = self.model, self.model.state
        nominal = m.scenario.animator.hours_per_week / 7.0
        filled_post = m.day >= s.animator_post_vacant_until
        replacement = np.where(self.present(), 0.0, s.animator_replacement_share)
        return nominal * (filled_post + replacement)

    def bear_the_load(self, workload_ratio: np.ndarray) -> None:
        """Strain moves toward a target set by today's load: up with overload, down with rest.

        First-order dynamics (effort-recovery: strain builds while demands exceed
        what recovery makes up, and recovers with slack): the target is 0 at or below
        capacity, and `x / (x + strain_half_excess)` for a load `x = workload - 1`
        above it, so a moderate overload settles at an equilibrium below 1. Strain
        closes `strain_gain` of the gap a day on the way up, `strain_recovery` on the
        way down; away from work the target is 0 (rest).
        """
        m, s = self.model, self.model.state
        p = m.params.animator
        present = self.present()
        excess = np.where(present, np.maximum(workload_ratio - 1.0, 0.0), 0.0)
        target = excess / (excess + p.strain_half_excess)
        gap = target - s.animator_strain
        rate = np.where(gap > 0.0, p.strain_gain, p.strain_recovery)
        s.animator_strain = (s.animator_strain + rate * gap).clip(0.0, 1.0)
        self.fall_sick(present)
        self.consider_leaving(present)
        m.log.record(m.day + 1, "animator_back", s.animator_absent_until == m.day + 1, self.name)
        m.log.record(
            m.day + 1, "animator_recruited", s.animator_post_vacant_until == m.day + 1, self.name
        )

    def fall_sick(self, present: np.ndarray) -> None:
        """Sick leave, more likely under strain; no replacement."""
        m, s = self.model, self.model.state
        p = m.params.animator
        rate = (
            p.sick_leave_rate_per_year
            / 365.0
            * (1.0 + p.strain_sick_leave_effect * s.animator_strain)
        )
        sick = present & (m.streams.random() < rate)
        somewhere = m.streams.any(sick)  # per habitat
        if anywhere(somewhere):
            days = m.streams.geometric(1.0 / p.mean_sick_leave_days, somewhere)
            self.be_absent(sick, m.day + 1 + days, 0.0, "sick leave")

    def be_absent(
        self, who: np.ndarray, until: np.ndarray | int, replacement_share: float, why: str
    ) -> None:
        """Be away until the day `until` (excluded) where `who` is true."""
        m, s = self.model, self.model.state
        s.animator_absent_until = np.where(
            who, np.maximum(s.animator_absent_until, until), s.animator_absent_until
        )
        s.animator_replacement_share = np.where(
            who, replacement_share, s.animator_replacement_share
        )
        m.log.record(m.day, "animator_absence", who, self.name, why)

    def consider_leaving(self, present: np.ndarray) -> None:
        """Under extreme strain the animator may quit; the post stays vacant a while."""
        m, s = self.model, self.model.state
        p = m.params.animator
        worn_out = present & (s.animator_strain >= p.turnover_strain)
        quits = worn_out & (m.streams.random() < p.turnover_rate_per_year / 365.0)
        if anywhere(quits):
            s.animator_post_vacant_until = np.where(
                quits, m.day + 1 + int(p.recruitment_days), s.animator_post_vacant_until
            )
            s.animator_strain = np.where(quits, 0.0, s.animator_strain)
            s.animator_replacement_share = np.where(quits, 0.0, s.animator_replacement_share)
            m.log.record(m.day, "animator_turnover", quits, self.name)

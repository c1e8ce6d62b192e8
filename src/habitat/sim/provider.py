"""Providers of strictly individual support (function 4): the habitat's and residents' own."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from habitat.scenario import HabitatProviderSpec
from habitat.sim.masks import anywhere, count_by_column
from habitat.sim.state import filled

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel


class ProviderAgent(mesa.Agent):
    """Delivers planned hours to the residents it serves, misses some, may stop.

    Coordination failures (tension 5) happen at a rate that the animator's
    coordination time of the day before reduces; each costs part of the day's
    hours and may escalate into a conflict.
    """

    model: HabitatModel
    name: str
    reliability: float
    failure_rate_per_year: float

    def clients(self) -> np.ndarray:
        """Residents this provider serves (at home or not), shape of its rows."""
        raise NotImplementedError

    def served(self) -> np.ndarray:
        """Clients at home today."""
        return self.clients() & filled(self.model.today.at_home)[self.rows()]

    def back_on(self) -> np.ndarray:
        """Day service resumes after an exit (a view, changed in place)."""
        raise NotImplementedError

    def rows(self) -> slice | int:
        """The dwellings this provider's arrays cover."""
        raise NotImplementedError

    def step(self, here: np.ndarray | None = None) -> None:
        """Deliver today's interventions, then perhaps stop serving.

        Args:
            here: bool per habitat, the habitats where this provider acts today (all
                if None); the others draw nothing.
        """
        self.deliver()
        self.consider_stopping(here)

    def deliver(self) -> None:
        """Planned hours x reliability, minus what coordination failures cost."""
        m = self.model
        rows = self.rows()
        served = self.served() & (m.day >= self.back_on())
        somewhere = m.streams.any(served)  # per habitat
        if not anywhere(somewhere):
            return
        p = m.params.providers
        planned = m.today.need[rows] * m.params.needs.professional_share * served
        draw = m.streams.random((3, *served.shape[:-1]), somewhere)
        visited = draw[0] < self.reliability
        failure_chance = (self.failure_rate_per_year / 365.0) * (
            1.0 - p.coordination_effect * m.state.coordination_coverage
        )
        failed = served & (draw[1] < failure_chance)
        escalated = failed & (draw[2] < p.failure_escalation)
        m.today.professional[rows] += planned * visited * (1.0 - p.failure_hours_lost * failed)
        failures = failed if failed.ndim == 1 else count_by_column(failed)
        m.today.coordination_failures += failures
        m.today.escalations += escalated if escalated.ndim == 1 else count_by_column(escalated)
        m.log.record(m.day, "coordination_failure", failures, self.name)

    def consider_stopping(self, here: np.ndarray | None = None) -> None:
        """Stop serving now and then; handed over only if the animator has time."""
        m = self.model
        active = (m.day >= self.back_on()) & self.clients().reshape(-1, m.replications).any(axis=0)
        stops = active & (
            m.streams.random(where=here) < m.params.providers.exit_rate_per_year / 365.0
        )
        somewhere = m.streams.any(stops)  # per habitat
        if anywhere(somewhere):
            handover = m.streams.random(where=somewhere) < m.state.coordination_coverage
            self.stop(stops, handover, int(m.params.providers.replacement_days))

    def stop(self, who: np.ndarray, handover: np.ndarray | bool, replacement_days: int) -> None:
        """Stop serving where `who` is true.

        With a handover a successor takes over at once; without one, nobody comes
        for `replacement_days` days and every resident served suffers a care-path
        rupture.
        """
        m = self.model
        handover = np.broadcast_to(np.asarray(handover, dtype=bool), who.shape)
        gap = who & ~handover
        back_on = self.back_on()
        back_on[...] = np.where(gap, m.day + max(replacement_days, 1), back_on)
        dropped = self.clients() & gap
        rows = self.rows()
        for slot in np.arange(m.dwellings)[rows] if isinstance(rows, slice) else [rows]:
            cut = dropped[slot] if dropped.ndim == 2 else dropped
            m.resident(int(slot)).suffer_rupture(cut)
        m.log.record(
            m.day, "provider_exit", who, self.name, f"replaced after {replacement_days} days"
        )


class HabitatProviderAgent(ProviderAgent):
    """A provider chosen by the habitat, serving every resident assigned to it."""

    def __init__(self, model: HabitatModel, index: int, spec: HabitatProviderSpec):
        super().__init__(model)
        self.index = index
        self.name = f"{spec.name} ({spec.kind}, habitat provider)"
        self.reliability = spec.reliability
        self.failure_rate_per_year = model.params.providers.habitat_failure_rate_per_year

    def rows(self) -> slice:
        """All dwellings."""
        return slice(None)

    def clients(self) -> np.ndarray:
        """Residents who use the habitat's providers and are assigned here."""
        s = self.model.state.residents
        return s.occupied & ~s.own_providers & (s.habitat_provider == self.index)

    def back_on(self) -> np.ndarray:
        """Row of the habitat providers' resume days."""
        return self.model.state.habitat_provider_back_on[self.index]


class OwnProviderAgent(ProviderAgent):
    """The providers a resident keeps from before (one agent per dwelling).

    Their day is `own_providers_day`, every dwelling at once; a scheduled shock may
    make one `stop`.
    """

    def __init__(self, model: HabitatModel, slot: int, resident: str):
        super().__init__(model)
        self.slot = slot
        self.name = f"own provider of {resident}"
        self.reliability = model.scenario.providers.own_reliability
        self.failure_rate_per_year = model.params.providers.own_failure_rate_per_year

    def rows(self) -> int:
        """The dwelling of the resident served."""
        return self.slot

    def clients(self) -> np.ndarray:
        """The resident, if keeping own providers."""
        s = self.model.state.residents
        return s.occupied[self.slot] & s.own_providers[self.slot]

    def back_on(self) -> np.ndarray:
        """View on this resident's own-provider resume day."""
        return self.model.state.own_provider_back_on[self.slot]


# ---------------------------------------------------------------------- own providers at once
# An own provider's day reads and writes its resident's row (and habitat totals):
# they act on every dwelling at once, with the same numbers as one after another.


def own_providers_day(model: HabitatModel) -> None:
    """Residents' own providers deliver today's interventions, then perhaps stop serving.

    A dwelling where nobody keeps own providers in a habitat draws nothing there.
    The uniforms are drawn first, dwelling by dwelling in the order the providers
    would draw them: whether a provider draws its handover depends only on whether
    it stops, which its own uniform says.
    """
    m = model
    s, streams = m.state.residents, m.streams
    here = streams.any_by_row(s.own_providers)  # (D, habitats)
    if not anywhere(here):
        return
    p = m.params.providers
    clients = s.occupied & s.own_providers
    back_on = m.state.own_provider_back_on
    on_duty = m.day >= back_on
    served = clients & filled(m.today.at_home) & on_duty
    somewhere = streams.any_by_row(served)
    active = on_duty & clients
    exit_rate = p.exit_rate_per_year / 365.0
    grid = s.occupied.shape
    visits = np.full((3, *grid), np.nan)
    stops = np.zeros(grid, dtype=bool)
    handover = np.zeros(grid, dtype=bool)
    for row in np.flatnonzero(here.any(axis=1)):
        if anywhere(somewhere[row]):
            visits[:, row] = streams.random((3,), somewhere[row])
        stops[row] = active[row] & (streams.random(where=here[row]) < exit_rate)
        stopping = streams.any(stops[row])
        if anywhere(stopping):
            handover[row] = streams.random(where=stopping) < m.state.coordination_coverage
    failed = deliver_own(m, served, visits)
    gap = stops & ~handover
    back_on[gap] = m.day + max(int(p.replacement_days), 1)
    dropped = clients & gap
    m.state.residents.rupture_load += dropped
    m.today.ruptures += count_by_column(dropped)
    m.log.record_rows(
        m.day,
        [
            ("coordination_failure", failed),
            ("provider_exit", stops, f"replaced after {int(p.replacement_days)} days"),
        ],
        [provider.name for provider in m.own_providers],
    )


def deliver_own(model: HabitatModel, served: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """Own providers' planned hours x reliability, minus what coordination failures cost.

    Args:
        model: the habitat (or batch of habitats).
        served: (D, R) residents an own provider serves at home today.
        draws: (3, D, R) uniforms: visit, failure, escalation.

    Returns:
        The coordination failures, (D, R).
    """
    m = model
    p = m.params.providers
    planned = m.today.need * m.params.needs.professional_share * served
    visited = draws[0] < m.scenario.providers.own_reliability
    failure_chance = (p.own_failure_rate_per_year / 365.0) * (
        1.0 - p.coordination_effect * m.state.coordination_coverage
    )
    failed = served & (draws[1] < failure_chance)
    escalated = failed & (draws[2] < p.failure_escalation)
    m.today.professional += planned * visited * (1.0 - p.failure_hours_lost * failed)
    m.today.coordination_failures += count_by_column(failed)
    m.today.escalations += count_by_column(escalated)
    return failed

"""HabitatModel: one inclusive habitat, R replications at once, one step a day."""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np

from habitat.domain import PUBLICS, Public
from habitat.scenario import Scenario
from habitat.sim.animator import AnimatorAgent
from habitat.sim.events import EventLog
from habitat.sim.family import FamilyCarerAgent
from habitat.sim.metrics import METRIC_INDEX, METRIC_NAMES
from habitat.sim.population import Profiles, draw_profiles, initial_state, move_in, move_out
from habitat.sim.provider import HabitatProviderAgent, OwnProviderAgent
from habitat.sim.resident import PARTICIPATION_WINDOW_DAYS, ResidentAgent
from habitat.sim.shocks import apply_shocks
from habitat.sim.state import DayLedger
from habitat.sim.support import ANIMATOR_TASKS, IN_HOUSE_TASKS, SupportFunction

PSYCHIC = PUBLICS.index(Public.PSYCHIC)


@dataclass(frozen=True)
class RateTables:
    """Per-day rates by GIR (index GIR - 1), computed once from the parameters."""

    need_per_day: np.ndarray
    decline_per_day: np.ndarray
    mortality_per_day: np.ndarray
    hospital_per_day: np.ndarray
    reference_outings: float  # outings a day that count as "going out as planned"

    @classmethod
    def of(cls, scenario: Scenario) -> RateTables:
        """Read the tables of a scenario's mechanism parameters."""
        p = scenario.mechanisms
        return cls(
            need_per_day=np.array(p.needs.hours_per_day_by_gir),
            decline_per_day=np.array(p.autonomy.decline_rate_per_year_by_gir) / 365.0,
            mortality_per_day=np.array(p.autonomy.mortality_rate_per_year_by_gir) / 365.0,
            hospital_per_day=np.array(p.hospital.rate_per_year_by_gir) / 365.0,
            reference_outings=max(p.collective_life.outings_per_week / 7.0, 1e-9),
        )


def activities_on(day: int, per_week: float) -> int:
    """Activities planned on `day`, spread evenly: 3 a week gives 3 in every 7 days."""
    return int(np.floor(day * per_week / 7.0) - np.floor((day - 1) * per_week / 7.0))


class HabitatModel(mesa.Model):
    """An inclusive habitat simulated day by day, `replications` times at once.

    Every agent's state is a row of numpy arrays with a replication axis, so one
    agent's step costs the same for 1 or 1,000 replications; replications share
    nothing but the scenario and the random stream they are drawn from.

    Args:
        scenario: the validated scenario.
        replications: independent replications carried by this run.
        seed: seed of the model's generators; same seed and replications give
            identical results.
        record_events: keep the readable event log (use for small runs).
    """

    def __init__(
        self,
        scenario: Scenario,
        replications: int = 1,
        seed: int | None = None,
        record_events: bool = False,
    ):
        super().__init__(seed=seed)
        self.scenario = scenario
        self.params = scenario.mechanisms
        self.tables = RateTables.of(scenario)
        self.replications = replications
        self.dwellings = scenario.habitat.dwellings
        self.log = EventLog(record_events)
        self.state = initial_state(scenario, replications, self.rng)
        self.today = DayLedger.empty(self.dwellings, replications)
        self.day = 0
        # Day-major, then metric, then replication: each day's metric is contiguous.
        # Stored in float32 (7 significant digits, ample for these outputs): the
        # array is the run's largest, and touching its memory the first time was a
        # tenth of a 1,000-replication run in float64 (measured by `make bench`).
        self.metrics = np.zeros((scenario.days, len(METRIC_NAMES), replications), np.float32)

        members = scenario.residents.members or []
        labels = [m.label for m in members] + [None] * (self.dwellings - len(members))
        self.residents = [ResidentAgent(self, slot, labels[slot]) for slot in range(self.dwellings)]
        self.families = [
            FamilyCarerAgent(self, slot, self.residents[slot].name)
            for slot in range(self.dwellings)
        ]
        self.habitat_providers = [
            HabitatProviderAgent(self, i, spec) for i, spec in enumerate(scenario.providers.habitat)
        ]
        self.own_providers = [
            OwnProviderAgent(self, slot, self.residents[slot].name)
            for slot in range(self.dwellings)
        ]
        self.animator = AnimatorAgent(self)
        self.pooled_reliability = float(
            np.mean([p.reliability for p in scenario.providers.habitat])
        )

    def resident(self, slot: int) -> ResidentAgent:
        """The resident agent of dwelling `slot`."""
        return self.residents[slot]

    # ------------------------------------------------------------------ the day

    def step(self) -> None:
        """One day: shocks, residents' morning, help, the animator, collective life, night."""
        self.day = self.steps
        self.today = DayLedger.empty(self.dwellings, self.replications)
        apply_shocks(self)
        self.agents_by_type[ResidentAgent].do("live")
        self.agents_by_type[FamilyCarerAgent].do("step")
        for kind in (HabitatProviderAgent, OwnProviderAgent):
            self.agents_by_type[kind].do("step")
        demands = self.demands()
        given, available = self.animator.work(demands)
        coverage = {task: _coverage(given[task], demands[task]) for task in ANIMATOR_TASKS}
        climate = self.climate()
        self.hold_activities(coverage["activities"], climate)
        self.agents_by_type[ResidentAgent].do("go_out", coverage["neighbourhood"])
        self.agents_by_type[ResidentAgent].do("settle", coverage["regulation"])
        self.regulate_conflicts(coverage["regulation"])
        self.agents_by_type[ResidentAgent].do("take_stock", coverage["coordination"], climate)
        self.fill_vacancies()
        spent = self.account_avp(given, available)
        worked = sum(given.values())
        # Less than a second of animator time is no animator: no ratio to speak of.
        workload = np.divide(
            sum(demands.values()),
            available,
            out=np.zeros(self.replications),
            where=available > 3e-4,
        )
        self.animator.bear_the_load(workload)
        self.state.coordination_coverage = coverage["coordination"]
        self.record(demands, given, available, worked, workload, spent)

    def demands(self) -> dict[str, np.ndarray]:
        """Hours asked of the animator today, per task (see `ANIMATOR_TASKS`)."""
        s, t = self.state, self.today
        p = self.params
        life = p.collective_life
        r = s.residents
        own_clients = (r.occupied & r.own_providers).sum(axis=0)
        families = s.families.active.sum(axis=0)
        t.presence_wanted = self.scenario.policies.presence_hours_per_day * r.occupied.any(axis=0)
        t.presence_by_others = self.collective_help()
        t.activities_planned = activities_on(self.day, self.scenario.policies.activities_per_week)
        ones = np.ones(self.replications)
        council = self.scenario.policies.regulation_practice == "council"
        return {
            "coordination": own_clients * p.providers.coordination_hours_per_own_provider_week / 7.0
            + t.returning.sum(axis=0) * p.hospital.coordination_hours_per_return,
            "regulation": s.conflicts_open * p.conflicts.regulation_hours_per_conflict_day
            + r.dispute_open.sum(axis=0) * p.disputes.regulation_hours_per_dispute_day,
            "activities": ones * t.activities_planned * life.animator_hours_per_activity,
            "governance": ones * council * p.regulation.council_hours_per_week / 7.0,
            "family_liaison": families * life.family_liaison_hours_per_family_week / 7.0,
            "neighbourhood": ones * life.neighbourhood_hours_per_week / 7.0,
            "premises": ones * life.premises_hours_per_week / 7.0,
            "presence": np.maximum(t.presence_wanted - t.presence_by_others, 0.0),
        }

    def collective_help(self) -> np.ndarray:
        """Presence given today by others than the animator, (R,).

        Families' collective hours, and the pooled individual hours, which the
        habitat's providers deliver as presence with their usual reliability.
        """
        pooled = self.today.pooled.sum(axis=0) * self.pooled_reliability
        return self.today.family_collective + pooled

    def climate(self) -> np.ndarray:
        """Open conflicts per resident, capped at 1: how tense the house is."""
        residents = np.maximum(self.state.residents.occupied.sum(axis=0), 1)
        return np.minimum(self.state.conflicts_open / residents, 1.0)

    def hold_activities(self, coverage: np.ndarray, climate: np.ndarray) -> None:
        """Hold the planned activities the animator had time for; residents join."""
        planned = self.today.activities_planned
        held = self.rng.binomial(planned, coverage) if planned else np.zeros(self.replications, int)
        self.today.activities_held = held
        if planned:
            self.agents_by_type[ResidentAgent].do("take_part", held, climate)

    def regulate_conflicts(self, coverage: np.ndarray) -> None:
        """Conflicts arise from the mix of residents and crowding; regulation settles them.

        Tensions 3 and 4: residents who entered by default and residents with psychic
        disabilities raise the rate, as do low quality of life and more residents per
        common space; the regulation practice changes both the rate and the speed of
        settlement, and settlement needs the animator's regulation time.
        """
        s, t = self.state, self.today
        p, practice = self.params, self.scenario.policies.regulation_practice
        r = s.residents
        home = r.at_home
        propensity = (
            np.where(r.entered_by_default, p.conflicts.by_default_multiplier, 1.0)
            * np.where(r.public == PSYCHIC, p.conflicts.psychic_multiplier, 1.0)
            * (1.0 + p.conflicts.low_quality_of_life_effect * (1.0 - r.quality_of_life))
        )
        residents = home.sum(axis=0)
        crowding = residents / (
            self.scenario.habitat.common_spaces * p.conflicts.residents_per_common_space
        )
        rate = (
            p.conflicts.rate_per_resident_per_year
            / 365.0
            * (propensity * home).sum(axis=0)
            * (1.0 + p.conflicts.crowding_effect * np.maximum(crowding - 1.0, 0.0))
            * p.regulation.rate_multiplier[practice]
        )
        settle = p.conflicts.unaided_resolution_per_day + coverage * (
            min(p.conflicts.resolution_per_day * p.regulation.resolution_multiplier[practice], 1.0)
            - p.conflicts.unaided_resolution_per_day
        )
        resolved = self.rng.binomial(s.conflicts_open, settle)
        new = self.rng.poisson(rate) + t.escalations
        s.conflicts_open = s.conflicts_open - resolved + new
        t.conflicts_new = new
        t.conflicts_resolved = resolved
        self.log.record(self.day, "conflict", new, "residents")

    # ------------------------------------------------------------------ people come and go

    def leave(self, slot: int, who: np.ndarray, reason: str, name: str) -> None:
        """Resident of `slot` leaves where `who` is true (death or institution)."""
        move_out(self.state, slot, who)
        self.today.exits += who
        self.log.record(self.day, reason, who, name)

    def fill_vacancies(self) -> None:
        """Vacant dwellings find a newcomer after a while; narrow admission slows it.

        Tension 6: the more restrictive the entry conditions, the longer a dwelling
        stays empty and the more newcomers resemble the residents already there.
        """
        r = self.state.residents
        vacant = ~r.occupied
        if not vacant.any():
            return
        entry = self.scenario.entry
        mean_days = entry.mean_vacancy_days * (1.0 + 2.0 * entry.restrictiveness)
        for slot in np.flatnonzero(vacant.any(axis=1)):
            arrives = vacant[slot] & (self.rng.random(self.replications) < 1.0 / mean_days)
            if arrives.any():
                profiles = draw_profiles(self.scenario, self.rng, int(arrives.sum()))
                self.welcome(int(slot), arrives, profiles)

    def welcome(
        self, slot: int, who: np.ndarray, profiles: Profiles, admission: bool = True
    ) -> None:
        """Move newcomers into `slot`; restrictive admission copies a current public.

        Args:
            slot: the vacant dwelling.
            who: bool (R,), replications where someone moves in.
            profiles: the newcomers, one per true entry of `who`, in order.
            admission: newcomers go through the habitat's admission (drawn from the
                population); False for a resident given by a scenario's shock.
        """
        r = self.state.residents
        where = np.flatnonzero(who)
        narrow = self.rng.random(len(where)) < self.scenario.entry.restrictiveness * admission
        occupied = r.occupied[:, where]
        narrow &= occupied.any(axis=0)
        if narrow.any():
            # Copy the public of a current resident drawn at random.
            keys = np.where(occupied, self.rng.random(occupied.shape), -1.0)
            copied = r.public[keys.argmax(axis=0), where]
            profiles.public = np.where(narrow, copied, profiles.public)
        move_in(self.state, slot, who, profiles, self.day, self.params.quality_of_life.initial)
        self.today.entries += who
        self.log.record(self.day, "entry", who, self.residents[slot].name)

    # ------------------------------------------------------------------ accounts and metrics

    def account_avp(self, given: dict[str, np.ndarray], available: np.ndarray) -> np.ndarray:
        """AVP in (per resident per day) and out (animator hours worked, activities)."""
        s = self.state
        income = (
            self.scenario.habitat.avp_per_resident_eur / 365.0 * s.residents.occupied.sum(axis=0)
        )
        worked = sum(given.values())
        spent = (
            worked * self.params.animator.hourly_cost_eur
            + self.today.activities_held * self.params.collective_life.activity_cost_eur
        )
        s.avp_balance_eur = s.avp_balance_eur + income - spent
        self._avp_income = income
        return spent

    def record(
        self,
        demands: dict[str, np.ndarray],
        given: dict[str, np.ndarray],
        available: np.ndarray,
        worked: np.ndarray,
        workload: np.ndarray,
        spent: np.ndarray,
    ) -> None:
        """Write today's row of every metric for every replication."""
        s, t = self.state, self.today
        r = s.residents
        by_function = {f: [0.0, 0.0] for f in SupportFunction}
        for task, function in ANIMATOR_TASKS.items():
            if task == "presence":
                continue
            by_function[function][0] = by_function[function][0] + demands[task]
            by_function[function][1] = by_function[function][1] + given[task]
        presence_wanted = t.presence_wanted
        # In the tasks' order: a set's order changes from one process to the next, and
        # so would the last digit of the sum.
        in_house = sum(given[task] for task in ANIMATOR_TASKS if task in IN_HOUSE_TASKS)
        presence_given = np.minimum(
            presence_wanted,
            t.presence_by_others + in_house + given["presence"],
        )
        need = t.need.sum(axis=0)
        delivered = np.minimum(t.need, t.professional + t.family_individual).sum(axis=0)
        home = r.at_home
        at_home = home.sum(axis=0)
        participated = ((self.day - r.last_participation) < PARTICIPATION_WINDOW_DAYS) & home
        premises, organisation = (
            by_function[SupportFunction.PREMISES],
            by_function[SupportFunction.COLLECTIVE_ORGANISATION],
        )
        collective_demand = premises[0] + organisation[0] + presence_wanted
        collective_given = premises[1] + organisation[1] + presence_given
        occupied = r.occupied.sum(axis=0)
        values = {
            "residents": occupied,
            "quality_of_life": np.divide(
                (r.quality_of_life * r.occupied).sum(axis=0),
                occupied,
                out=np.zeros(self.replications),
                where=occupied > 0,
            ),
            "unmet_individual_hours": need - delivered,
            "unmet_collective_hours": collective_demand - collective_given,
            "participation_rate": np.divide(
                participated.sum(axis=0),
                at_home,
                out=np.zeros(self.replications),
                where=at_home > 0,
            ),
            "outings": t.went_out.sum(axis=0),
            "conflicts_new": t.conflicts_new,
            "conflicts_open": s.conflicts_open,
            "conflicts_resolved": t.conflicts_resolved,
            "autonomy_safety_disputes": r.dispute_open.sum(axis=0),
            "coordination_failures": t.coordination_failures,
            "family_care_hours": t.family_individual.sum(axis=0) + t.family_collective,
            "family_withdrawals": t.family_withdrawals,
            "animator_workload_ratio": workload,
            "animator_strain": s.animator_strain,
            "ruptures": t.ruptures,
            "exits": t.exits,
            "avp_spent_eur": spent,
            "avp_income_eur": self._avp_income,
            "avp_balance_eur": s.avp_balance_eur,
            "entries": t.entries,
            "hospitalised": (r.occupied & (r.hospital_days_left > 0)).sum(axis=0),
            "gir12_residents": (r.occupied & (r.gir <= 2)).sum(axis=0),
            "activities_held": t.activities_held,
            "animator_hours_available": available,
            "animator_hours_worked": worked,
            "demand_premises_hours": premises[0],
            "delivered_premises_hours": premises[1],
            "demand_collective_organisation_hours": organisation[0],
            "delivered_collective_organisation_hours": organisation[1],
            "demand_collective_presence_hours": presence_wanted,
            "delivered_collective_presence_hours": presence_given,
            "demand_individual_hours": need,
            "delivered_individual_hours": delivered,
            "pooled_hours": t.pooled.sum(axis=0),
        }
        row = self.metrics[self.day - 1]
        for name, value in values.items():
            row[METRIC_INDEX[name]] = value


def _coverage(given: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Share of what was asked that was given; 1 when nothing was asked."""
    return np.divide(given, asked, out=np.ones_like(given, dtype=float), where=asked > 0)


__all__ = ["HabitatModel", "activities_on"]

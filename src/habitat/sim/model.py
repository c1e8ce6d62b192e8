"""HabitatModel: one inclusive habitat, R replications at once, one step a day."""

from __future__ import annotations

import mmap
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import partial
from os import PathLike
from pathlib import Path
from typing import Any

import mesa
import numpy as np

from habitat.scenario import Scenario, load_scenario
from habitat.sim.animator import AnimatorAgent
from habitat.sim.avp import account_avp, agreed_residents
from habitat.sim.batch import column_view
from habitat.sim.care import account_people
from habitat.sim.events import EventLog
from habitat.sim.family import FamilyCarerAgent, families_day
from habitat.sim.masks import count_by_column
from habitat.sim.metrics import METRIC_INDEX, METRIC_NAMES, METRICS, DayRecord, MixMemo
from habitat.sim.population import initial_state
from habitat.sim.presence import presence_wanted
from habitat.sim.provider import HabitatProviderAgent, OwnProviderAgent, own_providers_day
from habitat.sim.regulation import regulate_conflicts
from habitat.sim.resident import (
    READMISSION_WINDOW_DAYS,
    ResidentAgent,
    go_out,
    live,
    settle,
    take_part,
    take_stock,
)
from habitat.sim.shocks import apply_shocks
from habitat.sim.state import DayLedger, concat_states
from habitat.sim.streams import Streams
from habitat.sim.support import total_hours
from habitat.sim.vacancies import fill_vacancies


@dataclass(frozen=True)
class RateTables:
    """Per-day rates by GIR (index GIR - 1), computed once from the parameters."""

    need_per_day: np.ndarray
    change_per_day: np.ndarray  # a change of GIR level, up or down
    mortality_per_day: np.ndarray  # a woman aged 83 (`autonomy.mortality_rate_per_year_by_gir`)
    institution_per_day: np.ndarray  # a resident whose family helps, needs met
    hospital_per_day: np.ndarray
    # Indexed by the GIR itself (index 0 unused), read every day for every dwelling:
    family_hours_factor: np.ndarray  # a family's hours relative to GIR 4
    qaly_need_power: np.ndarray  # Gostoli & Silverman care-need level (0-4) ^ 1.5
    readmission_per_day: float | np.ndarray  # daily rate giving the 30-day readmission rate
    reference_outings: float | np.ndarray  # outings a day that count as "going out as planned"

    @classmethod
    def of(cls, scenario: Any) -> RateTables:
        """Read the tables of a scenario's (or a batch's) mechanism parameters."""
        p = scenario.mechanisms
        return cls(
            # Each table times its multiplier (1 by default: x * 1.0 is x, bit for bit).
            need_per_day=np.array(p.needs.hours_per_day_by_gir) * p.needs.hours_multiplier,
            change_per_day=np.array(p.autonomy.change_rate_per_year_by_gir)
            * p.autonomy.change_multiplier
            / 365.0,
            mortality_per_day=np.array(p.autonomy.mortality_rate_per_year_by_gir)
            * p.autonomy.mortality_multiplier
            / 365.0,
            institution_per_day=np.array(p.exits.institution_rate_per_year_by_gir)
            * p.exits.institution_multiplier
            / 365.0,
            hospital_per_day=np.array(p.hospital.rate_per_year_by_gir)
            * p.hospital.rate_multiplier
            / 365.0,
            family_hours_factor=_by_gir_index(p.family.hours_factor_by_gir),
            qaly_need_power=_by_gir_index(p.quality_of_life.qaly_need_level_by_gir) ** 1.5,
            readmission_per_day=-np.log1p(-np.minimum(p.hospital.readmission_30d, 0.999))
            / READMISSION_WINDOW_DAYS,
            reference_outings=np.maximum(p.collective_life.outings_per_week / 7.0, 1e-9),
        )


#: Arrays of at least this many bytes are mapped in at once by `zeros_mapped_in`.
MAP_IN_BYTES = 1 << 20


def zeros_mapped_in(shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    """`np.zeros(shape, dtype)`, its memory mapped in at once if it is large (Linux).

    The results array is the run's largest and is written a day at a time: its
    first write to each page was a page fault, one by one, a tenth of a
    1,000-replication run (`make bench-core`). Asked of the kernel in one call
    (`MAP_POPULATE`) the same zeroed pages cost a fraction of that. Elsewhere (no
    `MAP_POPULATE`), or for a small array, `np.zeros`.
    """
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    populate = getattr(mmap, "MAP_POPULATE", None)
    if populate is None or size < MAP_IN_BYTES:
        return np.zeros(shape, dtype)
    memory = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | populate)
    return np.frombuffer(memory, dtype).reshape(shape)  # the array keeps `memory` alive


def _by_gir_index(table: tuple[float, ...]) -> np.ndarray:
    """A per-GIR table indexed by the GIR itself: index 0 (no GIR) is 0."""
    return np.array((0.0, *table), dtype=float)


#: The tasks whose coverage (share of the hours asked given) the day reads.
COVERED_TASKS = ("coordination", "regulation", "activities", "neighbourhood")


class PastHorizonError(RuntimeError):
    """A step asked after the scenario's last day: the run is over (`running` is False)."""


def replication_mean(model: HabitatModel, metric: str) -> float:
    """Today's value of a recorded metric, averaged over the model's replications."""
    return float(model.metrics[model.day - 1, model.metric_names.index(metric)].mean())


def activities_on(day: int, per_week: float) -> int:
    """Activities planned on `day`, spread evenly: 3 a week gives 3 in every 7 days."""
    return int(np.floor(day * per_week / 7.0) - np.floor((day - 1) * per_week / 7.0))


class HabitatModel(mesa.Model):
    """An inclusive habitat simulated day by day, `replications` times at once.

    Every agent's state is a row of numpy arrays with a replication axis, so one
    agent's step costs the same for 1 or 1,000 replications; replications share
    nothing but the scenario and the random stream they are drawn from.

    A model can also carry several habitats of the same shape side by side (a
    batch, see `habitat.sim.batch`): habitat h is columns `h * replications` to
    `(h + 1) * replications - 1`, draws from its own generator seeded with its own
    seed (`self.streams`), and gets exactly the results it would get alone.

    Args:
        scenario: the validated scenario, or a batch of them.
        replications: independent replications carried by this run, per habitat.
        seed: seed of the model's generators (one per habitat for a batch); same
            seed and replications give identical results.
        record_events: keep the readable event log (use for small runs; one habitat).
        metrics: the metrics to record (`metric_names`, in `METRIC_NAMES` order);
            default all. A sweep that keeps a few saves their memory and work.
        collect: fill `datacollector` (a Mesa `DataCollector`) each day with the
            replication mean of every recorded metric, for `mesa.batch_run` and Mesa's
            tools; off by default, the arrays in `metrics` hold everything already.

    A scenario may also be given as a file path (what `mesa.batch_run` can pass).
    After the scenario's last day `running` is False, and a further `step()`
    raises `PastHorizonError`.
    """

    def __init__(
        self,
        scenario: Scenario | Sequence[Scenario] | str | PathLike[str],
        replications: int = 1,
        seed: int | Sequence[int] | None = None,
        record_events: bool = False,
        metrics: Collection[str] | None = None,
        collect: bool = False,
    ):
        if isinstance(scenario, str | PathLike):
            scenario = load_scenario(Path(scenario))
        scenarios = [scenario] if isinstance(scenario, Scenario) else list(scenario)
        seeds = list(seed) if isinstance(seed, Sequence) else [seed]
        if len(seeds) != len(scenarios):
            raise ValueError(f"{len(scenarios)} scenarios need as many seeds, got {len(seeds)}")
        super().__init__(seed=seeds[0])
        if len(scenarios) == 1:
            self.scenario = scenarios[0]
            generators = [self.rng]
        else:
            if record_events:
                raise ValueError("the event log is kept for one habitat at a time")
            self.scenario = column_view(scenarios, replications)
            generators = [np.random.default_rng(s) for s in seeds]
        self.scenarios = scenarios
        self.habitats = len(scenarios)
        self.streams = Streams(generators, replications)
        self.params = self.scenario.mechanisms
        self.tables = RateTables.of(self.scenario)
        self.replications = replications * self.habitats  # columns of every array
        self.dwellings = self.scenario.habitat.dwellings
        self.log = EventLog(record_events)
        self.state = concat_states(
            [
                initial_state(one, replications, generator)
                for one, generator in zip(scenarios, generators, strict=True)
            ]
        )
        self.today = DayLedger.empty(self.dwellings, self.replications)
        self.day = 0
        # Day-major, then metric, then replication: each day's metric is contiguous.
        # Stored in float32 (7 significant digits, ample for these outputs): the
        # array is the run's largest, and touching its memory the first time was a
        # tenth of a 1,000-replication run in float64 (measured by `make bench`).
        self.metric_names = (
            METRIC_NAMES if metrics is None else tuple(m for m in METRIC_NAMES if m in metrics)
        )
        self.metrics = zeros_mapped_in(
            (self.scenario.days, len(self.metric_names), self.replications), np.float32
        )
        self._recorders = [
            (i, METRICS[METRIC_INDEX[name]].value) for i, name in enumerate(self.metric_names)
        ]
        self.mix_memo = MixMemo()  # the social-mix index, kept from one day to the next
        self.collecting = collect
        self.datacollector = mesa.DataCollector(
            model_reporters={m: partial(replication_mean, metric=m) for m in self.metric_names}
            if collect
            else None
        )

        residents = self.scenario.residents  # None when the habitats' residents differ
        members = (residents.members if residents is not None else None) or []
        labels = [m.label for m in members] + [None] * (self.dwellings - len(members))
        self.residents = [ResidentAgent(self, slot, labels[slot]) for slot in range(self.dwellings)]
        self.families = [
            FamilyCarerAgent(self, slot, self.residents[slot].name)
            for slot in range(self.dwellings)
        ]
        self.habitat_providers = [
            HabitatProviderAgent(self, i, spec)
            for i, spec in enumerate(self.scenario.providers.habitat)
        ]
        self.own_providers = [
            OwnProviderAgent(self, slot, self.residents[slot].name)
            for slot in range(self.dwellings)
        ]
        self.animator = AnimatorAgent(self)
        self.avp_agreed = agreed_residents(scenarios, replications)
        self.pooled_reliability = float(
            np.mean([p.reliability for p in self.scenario.providers.habitat])
        )

    def resident(self, slot: int) -> ResidentAgent:
        """The resident agent of dwelling `slot`."""
        return self.residents[slot]

    # ------------------------------------------------------------------ the day

    def step(self) -> None:
        """One day: shocks, residents' morning, help, the animator, collective life, night.

        Raises:
            PastHorizonError: the scenario's last day is done; nothing is simulated.
        """
        if self.day >= self.scenario.days:
            self.steps = self.day  # Mesa counted this step before calling it: undo
            raise PastHorizonError(
                f"the run is over: day {self.day} was the scenario's last "
                f"(days: {self.scenario.days}); a model steps at most that many times"
            )
        self.day = self.steps
        self.today = DayLedger.empty(self.dwellings, self.replications)
        apply_shocks(self)
        live(self)
        # Nobody comes or goes, into or out of hospital, until the evening's departures.
        self.today.at_home = self.state.residents.at_home
        # Each family still helping somewhere draws once, in turn, and nothing else
        # is drawn in between: one draw of those rows gives the same numbers.
        families_day(self)
        self.agents_by_type[HabitatProviderAgent].do("step")
        own_providers_day(self)
        demands = self.demands()
        given, available = self.animator.work(demands)
        coverage = {task: _coverage(given[task], demands[task]) for task in COVERED_TASKS}
        climate = self.climate()
        self.hold_activities(coverage["activities"], climate)
        # One draw for all residents (row d for dwelling d): the same numbers as one
        # draw per resident in turn, since nothing else is drawn in between.
        go_out(self, coverage["neighbourhood"], self.streams.random((self.dwellings,)))
        settle(self, coverage["regulation"], self.streams.random((self.dwellings,)))
        regulate_conflicts(self, coverage["regulation"])
        take_stock(self, coverage["coordination"], climate)
        fill_vacancies(self)
        account_people(self)
        worked = total_hours(given)
        account_avp(self, self.animator.paid_hours())
        # Less than a second of animator time is no animator: no ratio to speak of.
        workload = np.divide(
            sum(demands.values()),
            available,
            out=np.zeros(self.replications),
            where=available > 3e-4,
        )
        self.animator.bear_the_load(workload)
        self.state.coordination_coverage = coverage["coordination"]
        self.record(demands, given, available, worked, workload)
        if self.collecting:
            self.datacollector.collect(self)
        self.running = self.day < self.scenario.days

    def demands(self) -> dict[str, np.ndarray]:
        """Hours asked of the animator today, per task (see `ANIMATOR_TASKS`)."""
        s, t = self.state, self.today
        p = self.params
        life = p.collective_life
        r = s.residents
        own_clients = count_by_column(r.occupied & r.own_providers)
        families = count_by_column(s.families.active)
        day, night = presence_wanted(self)
        t.presence_wanted = day + night
        t.presence_night_wanted = night
        t.presence_by_others = self.collective_help()
        # Others (pooled help, families) cover the night first: the animator cannot.
        others_by_day = t.presence_by_others - np.minimum(night, t.presence_by_others)
        t.activities_planned = activities_on(self.day, self.scenario.policies.activities_per_week)
        ones = np.ones(self.replications)
        council = self.scenario.policies.regulation_practice == "council"
        return {
            "coordination": own_clients * p.providers.coordination_hours_per_own_provider_week / 7.0
            + count_by_column(t.returning) * p.hospital.coordination_hours_per_return,
            "regulation": s.conflicts_open * p.conflicts.regulation_hours_per_conflict_day
            + count_by_column(r.dispute_open) * p.disputes.regulation_hours_per_dispute_day,
            "activities": ones * t.activities_planned * life.animator_hours_per_activity,
            "governance": ones * council * p.regulation.council_hours_per_week / 7.0,
            "family_liaison": families * life.family_liaison_hours_per_family_week / 7.0,
            "neighbourhood": ones * life.neighbourhood_hours_per_week / 7.0,
            "premises": ones * life.premises_hours_per_week / 7.0,
            "presence": np.maximum(day - others_by_day, 0.0),
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
        residents = np.maximum(count_by_column(self.state.residents.occupied), 1)
        return np.minimum(self.state.conflicts_open / residents, 1.0)

    def hold_activities(self, coverage: np.ndarray, climate: np.ndarray) -> None:
        """Hold the planned activities the animator had time for; residents join."""
        planned = self.today.activities_planned
        held = (
            self.streams.binomial(planned, coverage)
            if planned
            else np.zeros(self.replications, int)
        )
        self.today.activities_held = held
        if planned:
            draws = self.streams.random((self.dwellings,))  # as for go_out, below
            take_part(self, held, climate, draws)

    # ------------------------------------------------------------------ accounts and metrics

    def record(
        self,
        demands: dict[str, np.ndarray],
        given: dict[str, np.ndarray],
        available: np.ndarray,
        worked: np.ndarray,
        workload: np.ndarray,
    ) -> None:
        """Write today's row of every recorded metric for every replication.

        Each metric (and each value several share) is computed only if recorded.
        """
        day = DayRecord(self, demands, given, available, worked, workload)
        row = self.metrics[self.day - 1]
        for index, value in self._recorders:
            row[index] = value(day)


def _coverage(given: np.ndarray, asked: np.ndarray) -> np.ndarray:
    """Share of what was asked that was given; 1 when nothing was asked."""
    return np.divide(given, asked, out=np.ones_like(given, dtype=float), where=asked > 0)


__all__ = ["HabitatModel", "PastHorizonError", "activities_on", "replication_mean"]

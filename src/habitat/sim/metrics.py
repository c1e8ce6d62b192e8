"""The daily metrics: what each means, how it is read from the day, how a run sums it up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from habitat.domain import PUBLICS
from habitat.sim.care import hospital_days, individual_help_hours, qaly_weight
from habitat.sim.masks import count_by_column
from habitat.sim.resident import PARTICIPATION_WINDOW_DAYS
from habitat.sim.state import filled
from habitat.sim.support import ANIMATOR_TASKS, IN_HOUSE_TASKS, SupportFunction

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel

#: Days in a year, for yearly rates and quality-adjusted life years.
DAYS_PER_YEAR = 365.0
#: How one replication's daily series becomes one number in the summary.
Aggregate = Literal["last", "mean", "total", "max"]


@dataclass(frozen=True)
class Metric:
    """One daily column of the results, and how it is read from the day."""

    name: str
    unit: str
    meaning: str
    summary: Aggregate
    value: Callable[[DayRecord], np.ndarray]  # today's value, (R,), from the day's record
    key: bool = False  # shown in the printed summary

    @property
    def integer(self) -> bool:
        """Counts are whole numbers; hours, rates and money are not."""
        return self.unit in COUNT_UNITS

    def over_the_run(self, series: np.ndarray) -> np.ndarray:
        """One number per replication from the daily series (days, R), as `summary` says."""
        return REDUCTIONS[self.summary](series)

    @property
    def summary_label(self) -> str:
        """What the summary's number is: "last day", "daily mean", "total" or "maximum"."""
        return SUMMARY_LABELS[self.summary]

    @property
    def summary_unit(self) -> str:
        """The unit of the summary's number: a total of a daily flow is in the flow's unit."""
        return self.unit.removesuffix("/day") if self.summary == "total" else self.unit


COUNT_UNITS = frozenset(
    {
        "people",
        "residents",
        "conflicts",
        "disputes",
        "failures",
        "families",
        "ruptures",
        "activities",
        "outings/day",
        "events",
    }
)


def last_day(series: np.ndarray) -> np.ndarray:
    """The value at the end of the run."""
    return series[-1]


def daily_mean(series: np.ndarray) -> np.ndarray:
    """The mean over the run's days."""
    return series.mean(axis=0)


def total(series: np.ndarray) -> np.ndarray:
    """The sum over the run's days."""
    return series.sum(axis=0)


def maximum(series: np.ndarray) -> np.ndarray:
    """The largest daily value."""
    return series.max(axis=0)


#: How each aggregate reduces a daily series (days, R) to one number per replication.
REDUCTIONS: dict[Aggregate, Callable[[np.ndarray], np.ndarray]] = {
    "last": last_day,
    "mean": daily_mean,
    "total": total,
    "max": maximum,
}
#: What each aggregate is called in a summary.
SUMMARY_LABELS: dict[Aggregate, str] = {
    "last": "last day",
    "mean": "daily mean",
    "total": "total",
    "max": "maximum",
}


@dataclass(frozen=True)
class FunctionHours:
    """The animator's hours asked and given today in one support function, (R,) each."""

    asked: np.ndarray
    given: np.ndarray


class DayRecord:
    """What the day's metrics are read from, at night; values several share are computed once.

    Args:
        model: the habitat (or batch), its state and day's ledger as the day left them.
        demands: hours asked of the animator today, per task.
        given: hours the animator gave, per task.
        available: hours the animator (or a replacement) had.
        worked: hours the animator gave in all.
        workload: hours asked / hours available.
    """

    def __init__(
        self,
        model: HabitatModel,
        demands: dict[str, np.ndarray],
        given: dict[str, np.ndarray],
        available: np.ndarray,
        worked: np.ndarray,
        workload: np.ndarray,
    ):
        self.model = model
        self.state, self.ledger = model.state, model.today
        self.residents = model.state.residents
        self.demands, self.given = demands, given
        self.available, self.worked, self.workload = available, worked, workload

    def zeros(self) -> np.ndarray:
        """A value of 0 for every replication."""
        return np.zeros(self.model.replications)

    def hours_in(self, function: SupportFunction) -> FunctionHours:
        """The animator's hours asked and given in `function` (collective presence apart)."""
        asked: Any = 0.0
        given: Any = 0.0
        for task, of in ANIMATOR_TASKS.items():
            if of is function and task != "presence":
                asked = asked + self.demands[task]
                given = given + self.given[task]
        return FunctionHours(asked, given)

    @cached_property
    def premises(self) -> FunctionHours:
        """Function 1, the animator's part."""
        return self.hours_in(SupportFunction.PREMISES)

    @cached_property
    def organisation(self) -> FunctionHours:
        """Function 2, all the animator's."""
        return self.hours_in(SupportFunction.COLLECTIVE_ORGANISATION)

    @cached_property
    def presence_given(self) -> np.ndarray:
        """Function 3 hours given: by others (night first), the animator in the house, and as presence."""
        given, t = self.given, self.ledger
        # In the tasks' order: a set's order changes from one process to the next, and
        # so would the last digit of the sum.
        in_house = sum(given[task] for task in ANIMATOR_TASKS if task in IN_HOUSE_TASKS)
        others, night = filled(t.presence_by_others), filled(t.presence_night_wanted)
        # Others cover the night first (the animator works by day), the rest goes to the day.
        at_night = np.minimum(night, others)
        by_day = np.minimum(
            filled(t.presence_wanted) - night, others - at_night + in_house + given["presence"]
        )
        return at_night + by_day

    @cached_property
    def need(self) -> np.ndarray:
        """Function 4 hours needed at home."""
        return self.ledger.need.sum(axis=0)

    @cached_property
    def delivered(self) -> np.ndarray:
        """Function 4 hours given by providers and families, capped at each need."""
        t = self.ledger
        return np.minimum(t.need, t.professional + t.family_individual).sum(axis=0)

    @cached_property
    def individual_help_cost(self) -> np.ndarray:
        """Individual help paid today (EUR): providers' hours at the home-help tariff."""
        tariff = self.model.params.costs.home_help_eur_per_hour
        return individual_help_hours(self.model) * tariff

    @cached_property
    def hospital_cost(self) -> np.ndarray:
        """Hospital days today at the daily tariff (EUR)."""
        return self.hospitalised * self.model.params.costs.hospital_eur_per_day

    @cached_property
    def occupied(self) -> np.ndarray:
        """Residents living in the habitat."""
        return count_by_column(self.residents.occupied)

    @cached_property
    def quality_total(self) -> np.ndarray:
        """The residents' quality of life, summed."""
        r = self.residents
        return (r.quality_of_life * r.occupied).sum(axis=0)

    @cached_property
    def hospitalised(self) -> np.ndarray:
        """Residents in hospital at the end of the day (`care.hospital_days`)."""
        return hospital_days(self.model)


_CATALOGUE: list[Metric] = []


def metric(
    unit: str, meaning: str, summary: Aggregate, key: bool = False
) -> Callable[[Callable[[DayRecord], np.ndarray]], Callable[[DayRecord], np.ndarray]]:
    """Catalogue the function below as a metric of its own name, in the order written.

    Args:
        unit: the metric's unit (a count unit makes whole numbers, see `COUNT_UNITS`).
        meaning: one sentence, for people reading the results.
        summary: how a replication's daily series becomes one number.
        key: shown in the printed summary.
    """

    def catalogue(value: Callable[[DayRecord], np.ndarray]) -> Callable[[DayRecord], np.ndarray]:
        _CATALOGUE.append(Metric(value.__name__, unit, meaning, summary, value, key))
        return value

    return catalogue


# ---------------------------------------------------------------------- the catalogue
# Each metric's function is named after the column it fills and reads the day's record.


@metric(
    "people",
    "Residents living in the habitat (in hospital included).",
    "last",
    key=True,
)
def residents(day: DayRecord) -> np.ndarray:
    return day.occupied


@metric(
    "0-1",
    "Mean quality of life of the residents.",
    "last",
    key=True,
)
def quality_of_life(day: DayRecord) -> np.ndarray:
    occupied = day.occupied
    return np.divide(day.quality_total, occupied, out=day.zeros(), where=occupied > 0)


@metric(
    "h/day",
    "Individual help (function 4) needed at home and not given.",
    "mean",
    key=True,
)
def unmet_individual_hours(day: DayRecord) -> np.ndarray:
    return day.need - day.delivered


@metric(
    "h/day",
    "Hours of functions 1-3 asked and not given (premises, collective organisation, collective presence).",
    "mean",
    key=True,
)
def unmet_collective_hours(day: DayRecord) -> np.ndarray:
    asked = day.premises.asked + day.organisation.asked + filled(day.ledger.presence_wanted)
    given = day.premises.given + day.organisation.given + day.presence_given
    return asked - given


@metric(
    "0-1",
    "Share of residents at home who took part in a collective activity in the last 7 days.",
    "mean",
    key=True,
)
def participation_rate(day: DayRecord) -> np.ndarray:
    r = day.residents
    home = r.at_home
    at_home = count_by_column(home)
    window = (day.model.day - r.last_participation) < PARTICIPATION_WINDOW_DAYS
    participated = window & home
    return np.divide(count_by_column(participated), at_home, out=day.zeros(), where=at_home > 0)


@metric(
    "outings/day",
    "Residents' outings into the neighbourhood today.",
    "mean",
    key=True,
)
def outings(day: DayRecord) -> np.ndarray:
    return count_by_column(day.ledger.went_out)


@metric(
    "conflicts",
    "Conflicts that began today (between residents, over common spaces, escalated provider failures).",
    "total",
    key=True,
)
def conflicts_new(day: DayRecord) -> np.ndarray:
    return day.ledger.conflicts_new


@metric(
    "conflicts",
    "Conflicts not yet settled at the end of the day.",
    "mean",
    key=True,
)
def conflicts_open(day: DayRecord) -> np.ndarray:
    return day.state.conflicts_open


@metric(
    "conflicts",
    "Conflicts settled today.",
    "total",
)
def conflicts_resolved(day: DayRecord) -> np.ndarray:
    return day.ledger.conflicts_resolved


@metric(
    "disputes",
    "Autonomy-vs-safety disagreements open at the end of the day.",
    "mean",
    key=True,
)
def autonomy_safety_disputes(day: DayRecord) -> np.ndarray:
    return count_by_column(day.residents.dispute_open)


@metric(
    "failures",
    "Provider interventions missed or clashing for lack of coordination today.",
    "total",
    key=True,
)
def coordination_failures(day: DayRecord) -> np.ndarray:
    return day.ledger.coordination_failures


@metric(
    "h/day",
    "Hours families gave today, to their relative and to collective life.",
    "mean",
    key=True,
)
def family_care_hours(day: DayRecord) -> np.ndarray:
    return day.ledger.family_individual.sum(axis=0) + day.ledger.family_collective


@metric(
    "families",
    "Families that stopped helping today.",
    "total",
    key=True,
)
def family_withdrawals(day: DayRecord) -> np.ndarray:
    return day.ledger.family_withdrawals


@metric(
    "ratio",
    "Hours asked of the animator / hours they had (0 when nobody was there).",
    "mean",
    key=True,
)
def animator_workload_ratio(day: DayRecord) -> np.ndarray:
    return day.workload


@metric(
    "0-1",
    "The animator's accumulated strain.",
    "last",
    key=True,
)
def animator_strain(day: DayRecord) -> np.ndarray:
    return day.state.animator_strain


@metric(
    "ruptures",
    "Care-path ruptures today: unprepared returns from hospital, providers stopping without handover, forced moves, loss of a heavily involved family.",
    "total",
    key=True,
)
def ruptures(day: DayRecord) -> np.ndarray:
    return day.ledger.ruptures


@metric(
    "residents",
    "Residents who left today: deaths, moves to an institution and other moves.",
    "total",
    key=True,
)
def exits(day: DayRecord) -> np.ndarray:
    return day.ledger.exits


@metric(
    "residents",
    "Residents who died today.",
    "total",
)
def exits_death(day: DayRecord) -> np.ndarray:
    return day.ledger.exits_death


@metric(
    "residents",
    "Residents who moved to an institution today.",
    "total",
)
def exits_institution(day: DayRecord) -> np.ndarray:
    return day.ledger.exits_institution


@metric(
    "residents",
    "Residents who moved elsewhere today (to family, another home).",
    "total",
)
def exits_other(day: DayRecord) -> np.ndarray:
    return day.ledger.exits_other


@metric(
    "days",
    "Mean days lived in the habitat by the residents who moved to an institution so far (from day 0 for the initial residents); 0 until one has.",
    "last",
)
def time_to_institution_days(day: DayRecord) -> np.ndarray:
    s = day.state
    return np.divide(
        s.institution_stay_days, s.institution_exits, out=day.zeros(), where=s.institution_exits > 0
    )


@metric(
    "EUR/day",
    "AVP spent today: the animator's contracted hours (paid worked or not, none while the post is vacant), a replacement's hours, the post's indirect costs, and activity costs.",
    "total",
    key=True,
)
def avp_spent_eur(day: DayRecord) -> np.ndarray:
    return filled(day.ledger.avp_spent_eur)


@metric(
    "EUR/day",
    "AVP received today under the agreement: the yearly amount per resident / 365 x residents named in it.",
    "total",
)
def avp_income_eur(day: DayRecord) -> np.ndarray:
    return filled(day.ledger.avp_income_eur)


@metric(
    "EUR",
    "Cumulative AVP income minus spending; negative is the host organisation's deficit.",
    "last",
)
def avp_balance_eur(day: DayRecord) -> np.ndarray:
    return day.state.avp_balance_eur


@metric(
    "residents",
    "Residents who moved in today.",
    "total",
)
def entries(day: DayRecord) -> np.ndarray:
    return day.ledger.entries


@metric(
    "residents",
    "Residents in hospital at the end of the day.",
    "mean",
)
def hospitalised(day: DayRecord) -> np.ndarray:
    return day.hospitalised


@metric(
    "residents",
    "Residents at GIR 1-2 (more than 6 used to trigger public-building fire rules).",
    "max",
)
def gir12_residents(day: DayRecord) -> np.ndarray:
    r = day.residents
    return count_by_column(r.occupied & (r.gir <= 2))


@metric(
    "0-1",
    "Social mix of the residents: normalised Shannon entropy over publics x dependency (GIR 1-2, 3-4, 5-6); 0 all alike, 1 all different.",
    "mean",
)
def social_mix_index(day: DayRecord) -> np.ndarray:
    return day.model.mix_memo.index(day.residents.public, day.residents.gir, day.residents.occupied)


class MixMemo:
    """`mix_index` day after day, worked out again only in the columns that changed.

    A column's index depends on its own residents' (public, GIR) groups and nothing
    else, and few columns see a move or a change of GIR on a given day: the others
    keep yesterday's value, the very number `mix_index` would give them again.
    """

    def __init__(self) -> None:
        self.codes: np.ndarray | None = None  # (D, R) public x stride + GIR, -1 vacant
        self.value: np.ndarray | None = None  # (R,) the index of those codes

    def index(self, public: np.ndarray, gir: np.ndarray, occupied: np.ndarray) -> np.ndarray:
        """`mix_index(public, gir, occupied)`, (R,)."""
        codes = public * np.int8(MIX_GIR_STRIDE) + gir
        codes[~occupied] = -1
        if self.codes is None or self.value is None or self.codes.shape != codes.shape:
            value = mix_index(public, gir, occupied)
        else:
            changed = np.flatnonzero((codes != self.codes).any(axis=0))
            if not len(changed):
                return self.value
            value = self.value.copy()
            value[changed] = mix_index(public[:, changed], gir[:, changed], occupied[:, changed])
        self.codes, self.value = codes, value
        return value


#: Dependency bands of the social-mix index, by GIR (index GIR - 1): 1-2, 3-4, 5-6.
MIX_GIR_BANDS = np.array([0, 0, 1, 1, 2, 2])


def mix_index(public: np.ndarray, gir: np.ndarray, occupied: np.ndarray) -> np.ndarray:
    """Normalised Shannon entropy of the residents' (public, GIR band) groups, (R,).

    H = -sum_k p_k ln p_k over the groups present, divided by ln(min(n, K)), the
    highest entropy n residents can reach among K groups (6 publics x 3 bands); 0
    when fewer than 2 live there. Resources (income) are not modelled, so they are
    not in the index.

    Args:
        public: (D, R) index into `PUBLICS`.
        gir: (D, R) GIR 1-6.
        occupied: (D, R) bool.
    """
    groups = MIX_GROUPS
    columns = occupied.shape[1]
    group = np.take(_mix_groups(), public * np.int8(MIX_GIR_STRIDE) + gir)
    slot = group + groups * np.arange(columns)  # one block of groups per column
    counts = np.bincount(slot[occupied], minlength=groups * columns).reshape(columns, groups)
    n = count_by_column(occupied)  # residents of each column, as many as counted
    # share x ln(share), read from a table of (c / n) x ln(c / n): the same numbers
    # as dividing, taking each logarithm and multiplying (the same operations on the
    # same operands), and 0 where share is 0.
    table = _share_log_terms(occupied.shape[0])
    terms = np.take(table.ravel(), counts + len(table) * n[:, None])
    entropy = 0.0 - terms.sum(axis=1)  # 0.0 -: no negative zero
    most = np.take(_most_logs(occupied.shape[0]), n)  # read only where n > 1
    return np.divide(entropy, most, out=np.zeros(columns), where=n > 1)


#: Groups of the social-mix index: publics x dependency bands.
MIX_GROUPS = len(PUBLICS) * len(np.unique(MIX_GIR_BANDS))
#: Row length of `_mix_groups`: a GIR (1-6) and the unused 0.
MIX_GIR_STRIDE = 7


@cache
def _mix_groups() -> np.ndarray:
    """The social-mix group of (public, GIR) at public x `MIX_GIR_STRIDE` + GIR.

    Group public x bands + band, band the GIR's `MIX_GIR_BANDS`; read with int8
    arithmetic on the residents' (int8) public and GIR, whose largest index fits.
    """
    bands = MIX_GROUPS // len(PUBLICS)
    table = np.zeros((len(PUBLICS), MIX_GIR_STRIDE), dtype=np.int64)
    for public in range(len(PUBLICS)):
        table[public, 1:] = public * bands + MIX_GIR_BANDS
    assert table.size <= np.iinfo(np.int8).max
    table.flags.writeable = False
    return table.ravel()


@cache
def _most_logs(residents: int) -> np.ndarray:
    """ln(min(max(n, 2), MIX_GROUPS)) at n for 0 <= n <= residents: `mix_index`'s divisor."""
    logs = np.log(np.clip(np.arange(residents + 1), 2, MIX_GROUPS).astype(float))
    logs.flags.writeable = False
    return logs


@cache
def _share_log_terms(residents: int) -> np.ndarray:
    """(c / n) x ln(c / n) at [n, c] for 0 <= c <= n <= residents; 0 where c is 0 (or n is).

    The share is `c / max(n, 1)`, as `mix_index` would divide a group's count by
    the residents of its column.
    """
    size = residents + 1
    counts = np.arange(size)
    share = counts[None, :] / np.maximum(counts, 1)[:, None]
    share = np.where(counts[None, :] <= counts[:, None], share, 0.0)
    terms = share * np.log(np.where(share > 0, share, 1.0))
    terms.flags.writeable = False
    return terms


@metric(
    "activities",
    "Collective activities that took place today.",
    "total",
)
def activities_held(day: DayRecord) -> np.ndarray:
    return filled(day.ledger.activities_held)


@metric(
    "h/day",
    "Hours the animator (or a replacement) could give today.",
    "mean",
)
def animator_hours_available(day: DayRecord) -> np.ndarray:
    return day.available


@metric(
    "h/day",
    "Hours the animator gave today.",
    "mean",
)
def animator_hours_worked(day: DayRecord) -> np.ndarray:
    return day.worked


@metric(
    "h/day",
    "Function 1 hours asked (upkeep, equipment, bookings).",
    "mean",
)
def demand_premises_hours(day: DayRecord) -> np.ndarray:
    return day.premises.asked


@metric(
    "h/day",
    "Function 1 hours given.",
    "mean",
)
def delivered_premises_hours(day: DayRecord) -> np.ndarray:
    return day.premises.given


@metric(
    "h/day",
    "Function 2 hours asked: coordination, regulation, activities, governance, family liaison, neighbourhood links.",
    "mean",
)
def demand_collective_organisation_hours(day: DayRecord) -> np.ndarray:
    return day.organisation.asked


@metric(
    "h/day",
    "Function 2 hours given.",
    "mean",
)
def delivered_collective_organisation_hours(day: DayRecord) -> np.ndarray:
    return day.organisation.given


@metric(
    "h/day",
    "Function 3 hours of collective presence wanted: a base, more per resident at home the more dependent, more at weekends, and night presence for GIR 1-2.",
    "mean",
)
def demand_collective_presence_hours(day: DayRecord) -> np.ndarray:
    return filled(day.ledger.presence_wanted)


@metric(
    "h/day",
    "Function 3 hours given: families, pooled individual help (delivered with the habitat providers' reliability), the animator in the house.",
    "mean",
)
def delivered_collective_presence_hours(day: DayRecord) -> np.ndarray:
    return day.presence_given


@metric(
    "h/day",
    "Function 4 hours needed at home, after pooling.",
    "mean",
)
def demand_individual_hours(day: DayRecord) -> np.ndarray:
    return day.need


@metric(
    "h/day",
    "Function 4 hours given by providers and families (capped at the need).",
    "mean",
)
def delivered_individual_hours(day: DayRecord) -> np.ndarray:
    return day.delivered


@metric(
    "h/day",
    "Individual help hours pooled into collective presence.",
    "mean",
)
def pooled_hours(day: DayRecord) -> np.ndarray:
    return day.ledger.pooled.sum(axis=0)


@metric(
    "0-1",
    "Mean quality of life over everyone who lived in the habitat in the run: residents at their own, those who left at what they count for since (0 after a death, quality_of_life.after_institution after a move to an institution).",
    "last",
    key=True,
)
def quality_of_life_everyone(day: DayRecord) -> np.ndarray:
    s = day.state
    seen = s.people_seen
    return np.divide(day.quality_total + s.leavers_quality, seen, out=day.zeros(), where=seen > 0)


@metric(
    "QALY/day",
    "Quality-adjusted life lived in the habitat today (Gostoli & Silverman 2020: a year counts exp(-0.18 x need^1.5 x (1 + unmet share))); its total is the QALYs of the run.",
    "total",
    key=True,
)
def qaly(day: DayRecord) -> np.ndarray:
    return qaly_weight(day.model).sum(axis=0) / DAYS_PER_YEAR


@metric(
    "EUR/day",
    "Individual help paid today: providers' hours, to each resident and pooled, at the home-help tariff.",
    "total",
)
def individual_help_cost_eur(day: DayRecord) -> np.ndarray:
    return day.individual_help_cost


@metric(
    "EUR/day",
    "Hospital days today at the daily tariff.",
    "total",
)
def hospital_cost_eur(day: DayRecord) -> np.ndarray:
    return day.hospital_cost


@metric(
    "EUR/year",
    "Cost of the day per resident, in a year: AVP spent, individual help, hospital days (today's cost x 365 / residents).",
    "mean",
    key=True,
)
def cost_per_resident_year(day: DayRecord) -> np.ndarray:
    cost = filled(day.ledger.avp_spent_eur) + day.individual_help_cost + day.hospital_cost
    occupied = day.occupied
    return np.divide(cost * DAYS_PER_YEAR, occupied, out=day.zeros(), where=occupied > 0)


@metric(
    "events",
    "Adverse events after a return home from hospital (Forster 2003), fewer after a prepared return.",
    "total",
)
def adverse_events(day: DayRecord) -> np.ndarray:
    return day.ledger.adverse_events


@metric(
    "residents",
    "Admissions to hospital within 30 days of a return home.",
    "total",
)
def readmissions(day: DayRecord) -> np.ndarray:
    return day.ledger.readmissions


METRICS: tuple[Metric, ...] = tuple(_CATALOGUE)
METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
METRIC_INDEX: dict[str, int] = {name: i for i, name in enumerate(METRIC_NAMES)}

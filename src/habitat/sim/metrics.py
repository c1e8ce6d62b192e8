"""The daily metrics: names, units, meanings, and how a run is summarised."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

#: How one replication's daily series becomes one number in the summary.
Aggregate = Literal["last", "mean", "total", "max"]


@dataclass(frozen=True)
class Metric:
    """One daily column of the results."""

    name: str
    unit: str
    meaning: str
    summary: Aggregate
    key: bool = False  # shown in the printed summary

    @property
    def integer(self) -> bool:
        """Counts are whole numbers; hours, rates and money are not."""
        return self.unit in COUNT_UNITS


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
    }
)

METRICS: tuple[Metric, ...] = (
    Metric(
        "residents",
        "people",
        "Residents living in the habitat (in hospital included).",
        "last",
        True,
    ),
    Metric("quality_of_life", "0-1", "Mean quality of life of the residents.", "last", True),
    Metric(
        "unmet_individual_hours",
        "h/day",
        "Individual help (function 4) needed at home and not given.",
        "mean",
        True,
    ),
    Metric(
        "unmet_collective_hours",
        "h/day",
        "Hours of functions 1-3 asked and not given (premises, collective organisation, collective presence).",
        "mean",
        True,
    ),
    Metric(
        "participation_rate",
        "0-1",
        "Share of residents at home who took part in a collective activity in the last 7 days.",
        "mean",
        True,
    ),
    Metric(
        "outings", "outings/day", "Residents' outings into the neighbourhood today.", "mean", True
    ),
    Metric(
        "conflicts_new",
        "conflicts",
        "Conflicts that began today (between residents, over common spaces, escalated provider failures).",
        "total",
        True,
    ),
    Metric(
        "conflicts_open",
        "conflicts",
        "Conflicts not yet settled at the end of the day.",
        "mean",
        True,
    ),
    Metric("conflicts_resolved", "conflicts", "Conflicts settled today.", "total"),
    Metric(
        "autonomy_safety_disputes",
        "disputes",
        "Autonomy-vs-safety disagreements open at the end of the day.",
        "mean",
        True,
    ),
    Metric(
        "coordination_failures",
        "failures",
        "Provider interventions missed or clashing for lack of coordination today.",
        "total",
        True,
    ),
    Metric(
        "family_care_hours",
        "h/day",
        "Hours families gave today, to their relative and to collective life.",
        "mean",
        True,
    ),
    Metric("family_withdrawals", "families", "Families that stopped helping today.", "total", True),
    Metric(
        "animator_workload_ratio",
        "ratio",
        "Hours asked of the animator / hours they had (0 when nobody was there).",
        "mean",
        True,
    ),
    Metric("animator_strain", "0-1", "The animator's accumulated strain.", "last", True),
    Metric(
        "ruptures",
        "ruptures",
        "Care-path ruptures today: unprepared returns from hospital, providers stopping without handover, forced moves, loss of a heavily involved family.",
        "total",
        True,
    ),
    Metric(
        "exits",
        "residents",
        "Residents who left today (death or move to an institution).",
        "total",
        True,
    ),
    Metric(
        "avp_spent_eur",
        "EUR/day",
        "AVP spent today: the animator's (or replacement's) hours worked and activity costs.",
        "total",
        True,
    ),
    Metric(
        "avp_income_eur",
        "EUR/day",
        "AVP received today: the yearly amount per resident / 365 x residents.",
        "total",
    ),
    Metric(
        "avp_balance_eur",
        "EUR",
        "Cumulative AVP income minus spending; negative is the host organisation's deficit.",
        "last",
    ),
    Metric("entries", "residents", "Residents who moved in today.", "total"),
    Metric("hospitalised", "residents", "Residents in hospital at the end of the day.", "mean"),
    Metric(
        "gir12_residents",
        "residents",
        "Residents at GIR 1-2 (more than 6 used to trigger public-building fire rules).",
        "max",
    ),
    Metric(
        "activities_held", "activities", "Collective activities that took place today.", "total"
    ),
    Metric(
        "animator_hours_available",
        "h/day",
        "Hours the animator (or a replacement) could give today.",
        "mean",
    ),
    Metric("animator_hours_worked", "h/day", "Hours the animator gave today.", "mean"),
    Metric(
        "demand_premises_hours",
        "h/day",
        "Function 1 hours asked (upkeep, equipment, bookings).",
        "mean",
    ),
    Metric("delivered_premises_hours", "h/day", "Function 1 hours given.", "mean"),
    Metric(
        "demand_collective_organisation_hours",
        "h/day",
        "Function 2 hours asked: coordination, regulation, activities, governance, family liaison, neighbourhood links.",
        "mean",
    ),
    Metric("delivered_collective_organisation_hours", "h/day", "Function 2 hours given.", "mean"),
    Metric(
        "demand_collective_presence_hours",
        "h/day",
        "Function 3 hours of collective presence wanted.",
        "mean",
    ),
    Metric(
        "delivered_collective_presence_hours",
        "h/day",
        "Function 3 hours given: families, pooled individual help (delivered with the habitat providers' reliability), the animator in the house.",
        "mean",
    ),
    Metric(
        "demand_individual_hours",
        "h/day",
        "Function 4 hours needed at home, after pooling.",
        "mean",
    ),
    Metric(
        "delivered_individual_hours",
        "h/day",
        "Function 4 hours given by providers and families (capped at the need).",
        "mean",
    ),
    Metric(
        "pooled_hours", "h/day", "Individual help hours pooled into collective presence.", "mean"
    ),
)

METRIC_NAMES: tuple[str, ...] = tuple(m.name for m in METRICS)
METRIC_INDEX: dict[str, int] = {name: i for i, name in enumerate(METRIC_NAMES)}

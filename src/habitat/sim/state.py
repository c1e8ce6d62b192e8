"""The model's state: numpy arrays with a replication axis.

Resident-level arrays have shape (dwellings, replications): row `d` is whoever
lives in dwelling `d`, in every replication at once, so one agent's step is a few
numpy operations on a contiguous row whatever the number of replications.
Habitat-level arrays have shape (replications,).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass
from typing import Any

import numpy as np

#: "Never" as a day number, for deadlines that are not set.
NEVER = np.iinfo(np.int32).max
#: "Never yet" for a day something last happened: so long ago that the days since it
#: are beyond any window, without overflowing 32 bits (day - (-NEVER) would wrap
#: round to a negative count, i.e. "just now").
LONG_AGO = -(NEVER // 2)
#: Day counters use 32-bit integers: a 10-year horizon is 3,650 days.
DAY = np.int32


@dataclass
class ResidentState:
    """Who lives in each dwelling, and how they are doing."""

    occupied: np.ndarray  # bool (D, R)
    public: np.ndarray  # int8 index into domain.PUBLICS
    gir: np.ndarray  # int8, 1 (most dependent) .. 6
    born_on: np.ndarray  # int32 day of birth (negative: before the run), for the age
    male: np.ndarray  # bool: a man (else a woman)
    entered_on: np.ndarray  # int32 day of moving in (0 for the initial residents)
    entered_by_default: np.ndarray  # bool
    own_providers: np.ndarray  # bool: keeps own providers
    habitat_provider: np.ndarray  # int8: which habitat provider serves them otherwise
    hospital_days_left: np.ndarray  # int32: 0 at home, else days before return
    quality_of_life: np.ndarray  # float 0..1
    unmet_share: np.ndarray  # float: share of needs unmet, smoothed over ~30 days
    outing_rate: np.ndarray  # float: outings per day, smoothed over ~7 days
    rupture_load: np.ndarray  # float: recent care-path ruptures, decaying
    last_participation: np.ndarray  # int32 day of last collective activity
    readmission_risk_until: np.ndarray  # int32 day
    readmission_multiplier: np.ndarray  # float: readmission risk until then, x the usual
    dispute_open: np.ndarray  # bool: autonomy-vs-safety dispute not yet settled
    agreement_until: np.ndarray  # int32 day an agreed risk choice is due for review

    @property
    def at_home(self) -> np.ndarray:
        """Occupied and not in hospital, shape (D, R)."""
        return self.occupied & (self.hospital_days_left == 0)

    def age(self, rows: int | slice, day: int) -> np.ndarray:
        """Age in years on `day` of the residents of some dwellings."""
        return (day - self.born_on[rows]) / 365.25

    def home(self, rows: int | slice) -> np.ndarray:
        """`at_home` for some dwellings only (one agent's row, without the others)."""
        return self.occupied[rows] & (self.hospital_days_left[rows] == 0)


@dataclass
class FamilyState:
    """Each dwelling's family carers, shape (D, R)."""

    hours_per_week: np.ndarray  # float: usual help, following the relative's GIR
    involvement: np.ndarray  # float: the family's usual help at GIR 4
    active: np.ndarray  # bool: still helping
    fatigue: np.ndarray  # float 0..1


@dataclass
class HabitatState:
    """Everything that persists from one day to the next."""

    residents: ResidentState
    families: FamilyState
    own_provider_back_on: np.ndarray  # int32 (D, R): day a resident's own provider resumes
    habitat_provider_back_on: np.ndarray  # int32 (P, R): day a habitat provider resumes
    conflicts_open: np.ndarray  # int64 (R,)
    avp_balance_eur: np.ndarray  # float (R,)
    animator_strain: np.ndarray  # float (R,)
    animator_absent_until: np.ndarray  # int32 (R,)
    animator_replacement_share: np.ndarray  # float (R,)
    animator_post_vacant_until: np.ndarray  # int32 (R,)
    # What the animator could cover yesterday: coordination prevents failures today.
    coordination_coverage: np.ndarray  # float (R,)
    # Moves to an institution so far, and the days those residents had lived here.
    institution_exits: np.ndarray  # int64 (R,)
    institution_stay_days: np.ndarray  # int64 (R,)
    # Everyone who lived there in the run, and what those who left count for now
    # (`quality_of_life_everyone`): 0 for a death, a stated value for an institution.
    people_seen: np.ndarray  # float (R,)
    leavers_quality: np.ndarray  # float (R,)


def filled(value: np.ndarray | None) -> np.ndarray:
    """A value of the day's ledger filled as the day goes (activities held...), read at night."""
    assert value is not None, "read before the day filled it"
    return value


@dataclass
class DayLedger:
    """Flows of one day, reset every morning; metrics are read from it at night."""

    need: np.ndarray  # (D, R) individual help needed at home today (h)
    pooled: np.ndarray  # (D, R) part of it pooled into collective presence (h)
    professional: np.ndarray  # (D, R) delivered by providers (h)
    family_individual: np.ndarray  # (D, R) given by the family to its relative (h)
    family_collective: np.ndarray  # (R,) given by families to collective life (h)
    returning: np.ndarray  # (D, R) bool: back from hospital today
    participated: np.ndarray  # (D, R) bool
    went_out: np.ndarray  # (D, R) bool
    coordination_failures: np.ndarray  # (R,)
    escalations: np.ndarray  # (R,) failures that became conflicts
    ruptures: np.ndarray  # (R,)
    adverse_events: np.ndarray  # (R,) adverse events after a return home
    readmissions: np.ndarray  # (R,) admissions within 30 days of a return
    exits: np.ndarray  # (R,) all exits, the three below
    exits_death: np.ndarray  # (R,)
    exits_institution: np.ndarray  # (R,)
    exits_other: np.ndarray  # (R,) moves elsewhere (family, another home)
    entries: np.ndarray  # (R,)
    family_withdrawals: np.ndarray  # (R,)
    conflicts_new: np.ndarray  # (R,)
    conflicts_resolved: np.ndarray  # (R,)
    # (D, R) bool: occupied and not in hospital, from the morning's admissions to the
    # evening's departures (`HabitatModel.step` fills it after the residents' morning).
    at_home: np.ndarray | None = None
    activities_planned: int = 0
    activities_held: np.ndarray | None = None  # (R,)
    presence_wanted: np.ndarray | None = None  # (R,) collective presence asked (h)
    presence_night_wanted: np.ndarray | None = None  # (R,) the night part of it (h)
    presence_by_others: np.ndarray | None = None  # (R,) given by families and pooling (h)
    avp_income_eur: np.ndarray | None = None  # (R,) AVP received today
    avp_spent_eur: np.ndarray | None = None  # (R,) AVP spent today (animator hours, activities)

    @classmethod
    def empty(cls, dwellings: int, replications: int) -> DayLedger:
        """A ledger of zeros for one day."""
        grid = (dwellings, replications)
        return cls(
            need=np.zeros(grid),
            pooled=np.zeros(grid),
            professional=np.zeros(grid),
            family_individual=np.zeros(grid),
            family_collective=np.zeros(replications),
            returning=np.zeros(grid, dtype=bool),
            participated=np.zeros(grid, dtype=bool),
            went_out=np.zeros(grid, dtype=bool),
            coordination_failures=np.zeros(replications, dtype=np.int64),
            escalations=np.zeros(replications, dtype=np.int64),
            ruptures=np.zeros(replications, dtype=np.int64),
            adverse_events=np.zeros(replications, dtype=np.int64),
            readmissions=np.zeros(replications, dtype=np.int64),
            exits=np.zeros(replications, dtype=np.int64),
            exits_death=np.zeros(replications, dtype=np.int64),
            exits_institution=np.zeros(replications, dtype=np.int64),
            exits_other=np.zeros(replications, dtype=np.int64),
            entries=np.zeros(replications, dtype=np.int64),
            family_withdrawals=np.zeros(replications, dtype=np.int64),
            conflicts_new=np.zeros(replications, dtype=np.int64),
            conflicts_resolved=np.zeros(replications, dtype=np.int64),
        )


def concat_states(states: list[HabitatState]) -> HabitatState:
    """Several habitats' states side by side along the replication (last) axis."""
    if len(states) == 1:
        return states[0]

    def join(parts: list) -> Any:
        first = parts[0]
        if is_dataclass(first) and not isinstance(first, type):
            return type(first)(
                **{f.name: join([getattr(p, f.name) for p in parts]) for f in fields(first)}
            )
        return np.concatenate(parts, axis=-1)

    return join(states)

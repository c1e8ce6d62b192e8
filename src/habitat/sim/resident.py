"""Residents: one agent per dwelling, its state a row of the model's arrays."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from habitat.sim.masks import anywhere, count_by_column
from habitat.sim.state import filled
from habitat.sim.vacancies import depart

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel

#: Smoothing of a resident's unmet share of needs: about a month of memory.
UNMET_MEMORY_DAYS = 30.0
#: Smoothing of outings: about a week of memory.
OUTING_MEMORY_DAYS = 7.0
#: A care-path rupture weighs on quality of life for about two months.
RUPTURE_MEMORY_DAYS = 60.0
#: Readmissions are counted over the 30 days after a return (Chapalain et al. 2016).
READMISSION_WINDOW_DAYS = 30
#: "Participation" looks back one week.
PARTICIPATION_WINDOW_DAYS = 7
#: The age the death rates by GIR are given at: the mean age at APA entry (DREES ER 724).
REFERENCE_AGE = 83.0


def mobility(gir: np.ndarray) -> np.ndarray:
    """Ability to join activities and go out, 0.5 at GIR 1 to 1.0 at GIR 6."""
    return 0.4 + 0.1 * gir


class ResidentAgent(mesa.Agent):
    """Whoever lives in dwelling `slot`, in every replication.

    A day, every resident at once (the functions below): `live` (autonomy, health,
    hospital, needs), then once collective life is known `take_part` and `go_out`,
    then `settle` (autonomy-vs-safety disputes) and `take_stock` (return from
    hospital, quality of life, exit). A scheduled shock may `admit` one to hospital.
    """

    model: HabitatModel

    def __init__(self, model: HabitatModel, slot: int, label: str | None = None):
        super().__init__(model)
        self.slot = slot
        self.name = label or f"resident {slot}"

    def admit(self, who: np.ndarray, stay_days: np.ndarray | int) -> None:
        """Send the resident to hospital for `stay_days` where `who` is true."""
        m = self.model
        s, d = m.state.residents, self.slot
        s.hospital_days_left[d] = np.where(who, stay_days, s.hospital_days_left[d])
        m.log.record(m.day, "hospitalisation", who, self.name)

    def suffer_rupture(self, who: np.ndarray) -> None:
        """Count a care-path rupture for this resident where `who` is true."""
        m = self.model
        m.state.residents.rupture_load[self.slot] += who
        m.today.ruptures += who


# ---------------------------------------------------------------------- every resident at once
# The day's steps act on every dwelling at once, as (D, R) arrays: the same numbers
# as each resident's agent doing its step in turn, since a resident's step reads
# and writes its own row only (and habitat counters), and the uniforms are drawn in
# the order the residents would draw them.


def live(model: HabitatModel) -> None:
    """Residents age, fall ill or come closer to going home, and express today's needs.

    Each dwelling occupied in some habitat draws its morning's three uniforms
    (autonomy, death, hospital) and, if someone there is admitted to hospital, the
    stays: dwelling by dwelling, as each resident would. Whether a dwelling draws
    stays is decided there and then (`_Morning.admitted_somewhere`). The decisions
    are taken only where a uniform is below the highest rate it could meet: a
    GIR change, a death or an admission is rare, and nothing happens elsewhere.
    """
    m = model
    s, streams = m.state.residents, m.streams
    here = streams.any_by_row(s.occupied)  # (D, habitats)
    acting = here.any(axis=1)
    if not anywhere(acting):
        return
    morning = _Morning.of(m)
    grid = s.occupied.shape
    draws = np.full((3, *grid), np.nan)
    stays = np.zeros(grid, dtype=np.int64)
    p_stay = 1.0 / m.params.hospital.mean_stay_days
    for row in np.flatnonzero(acting).tolist():
        # The morning's three uniforms in one draw: the same numbers as three draws.
        draws[:, row] = streams.random((3,), here[row])
        somewhere = morning.admitted_somewhere(m, row, draws[:, row])  # per habitat
        if anywhere(somewhere):
            stays[row] = streams.geometric(p_stay, somewhere)
    cells = np.nonzero(
        (draws[0] < morning.highest_change)
        | (draws[1] < morning.highest_death)
        | (draws[2] < morning.highest_admission)
    )
    level, lost_there, improves_there, deaths_there, admitted_there = morning.decide(
        m, cells, draws[:, cells[0], cells[1]]
    )
    s.gir[cells] = level
    lost = np.zeros(grid, dtype=np.int64)
    improves, deaths, admitted = (np.zeros(grid, dtype=bool) for _ in range(3))
    lost[cells], improves[cells] = lost_there, improves_there
    deaths[cells], admitted[cells] = deaths_there, admitted_there
    depart(m, deaths, "death")
    in_hospital = s.hospital_days_left > 0
    s.hospital_days_left -= in_hospital
    m.today.returning = in_hospital & (s.hospital_days_left == 0)
    m.today.readmissions += count_by_column(admitted & morning.window)
    np.copyto(s.hospital_days_left, stays, where=admitted, casting="unsafe")
    express_needs(m)
    m.log.record_rows(
        m.day,
        [
            ("gir_decline", lost),
            ("gir_improvement", improves),
            ("death", deaths),
            ("hospitalisation", admitted),
        ],
        _names(m),
    )


@dataclass(frozen=True)
class _Morning:
    """The morning's decisions, and the highest rates they can meet.

    GIR transitions: lose one or two levels, or regain one, at a rate set by the
    level. Where the autonomy uniform is below the rate the level changes, and the
    uniform / rate, uniform again given the change, says which way: the first
    `improvement_share` of it an improvement (always at GIR 1, never at GIR 6), the
    last `two_level_share` a loss of two levels (from GIR 3 up), the rest a loss of
    one. Death comes at a rate set by the (new) level, age, sex and public. Within 30
    days of a return the admission rate is the readmission rate
    (`hospital.readmission_30d` over the window), times the multiplier the return
    set (after an adverse event, after an unprepared return).

    A rate is a product of factors, each at most its highest value, and rounding
    keeps that order: so no rate is above the product of the highest values.
    """

    window: np.ndarray  # bool (D, R): within the readmission window
    readmission: np.ndarray  # (D, R) admission rate within the window
    highest_admission: np.ndarray  # (D, R) no admission rate of the cell is higher
    highest_change: float  # no GIR change rate is higher
    highest_death: float  # no death rate is higher (a hair above: exp's last digit)

    @classmethod
    def of(cls, model: HabitatModel) -> _Morning:
        """The morning's bounds, before any resident's decision."""
        m = model
        s, a, t = m.state.residents, m.params.autonomy, m.tables
        window = m.day < s.readmission_risk_until
        readmission = t.readmission_per_day * s.readmission_multiplier
        oldest = _highest_age_term(m)
        return cls(
            window=window,
            readmission=readmission,
            highest_admission=np.where(window, readmission, t.hospital_per_day.max()),
            highest_change=float(
                t.change_per_day.max() * max(np.max(a.disabled_decline_factor), 1.0)
            ),
            highest_death=float(
                t.mortality_per_day.max()
                * max(np.max(a.disabled_mortality_factor), 1.0)
                * (np.exp(oldest) * (1.0 + 1e-9))
                * max(np.max(a.male_mortality_ratio), 1.0)
            ),
        )

    def decide(
        self, model: HabitatModel, cells: tuple[np.ndarray, ...], draws: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The morning's decisions in some cells of the (D, R) grid.

        Args:
            model: the habitat (or batch of habitats).
            cells: (rows, columns) of the cells.
            draws: (3, n) the cells' uniforms: autonomy, death, hospital.

        Returns:
            The new GIR levels, the levels lost, the improvements, the deaths and the
            admissions to hospital, (n,) each.
        """
        m = model
        a, t = m.params.autonomy, m.tables
        s = m.state.residents
        columns = cells[-1]
        occupied = s.occupied[cells]
        level = s.gir[cells]
        disabled = s.public[cells] != 0
        rate = t.change_per_day[level - 1] * np.where(
            disabled, _at(a.disabled_decline_factor, columns), 1.0
        )
        changes = occupied & (draws[0] < rate)
        which = draws[0] / np.where(changes, rate, 1.0)
        improves = (
            changes & (level < 6) & ((which < _at(a.improvement_share, columns)) | (level == 1))
        )
        two = (level > 2) & (which >= 1.0 - _at(a.two_level_share, columns))
        # 0, or 1 or 2 levels lost (two: the last `two_level_share`).
        lost = (changes & ~improves & (level > 1)) * (1 + two)
        level = level + improves - lost
        index = level - 1
        age = (m.day - s.born_on[cells]) / 365.25
        death_rate = (
            t.mortality_per_day[index]
            * np.where(disabled, _at(a.disabled_mortality_factor, columns), 1.0)
            * np.exp(_at(a.mortality_age_slope, columns) * (age - REFERENCE_AGE))
            * np.where(s.male[cells], _at(a.male_mortality_ratio, columns), 1.0)
        )
        deaths = occupied & (draws[1] < death_rate)
        at_home = occupied & ~deaths & ~(s.hospital_days_left[cells] > 0)
        admission_rate = np.where(
            self.window[cells], self.readmission[cells], t.hospital_per_day[index]
        )
        admitted = at_home & (draws[2] < admission_rate)
        return level, lost, improves, deaths, admitted

    def admitted_somewhere(self, model: HabitatModel, row: int, draws: np.ndarray) -> np.ndarray:
        """Bool per habitat: whether a resident of dwelling `row` is admitted today.

        Only the replications whose hospital uniform is below their
        `highest_admission` can be, a handful: `decide`'s formulas are applied to
        each of them in turn, on Python floats (the same IEEE operations, in the
        same order, and numpy's `exp`: the same decisions as `decide`'s).

        Args:
            model: the habitat (or batch of habitats).
            row: the dwelling.
            draws: (3, R) the dwelling's uniforms.
        """
        m = model
        a, t, s = m.params.autonomy, m.tables, m.state.residents
        streams = m.streams
        found = np.zeros(streams.habitats, dtype=bool)
        left = streams.habitats  # habitats not yet found: none left, nothing more to learn
        columns = np.flatnonzero(draws[2] < self.highest_admission[row])
        for column, autonomy, death, hospital in zip(
            columns.tolist(), *draws[:, columns].tolist(), strict=True
        ):
            cell = (row, column)
            if found[column // streams.per] or not s.occupied[cell]:
                continue
            if s.hospital_days_left[cell] > 0:
                continue
            level = int(s.gir[cell])
            disabled = s.public[cell] != 0
            rate = float(t.change_per_day[level - 1]) * (
                _value_at(a.disabled_decline_factor, column) if disabled else 1.0
            )
            if autonomy < rate:
                which = autonomy / rate
                improvement = _value_at(a.improvement_share, column)
                improves = level < 6 and (which < improvement or level == 1)
                two = level > 2 and which >= 1.0 - _value_at(a.two_level_share, column)
                lost = (1 + two) if (not improves and level > 1) else 0
                level = level + improves - lost
            age = (m.day - int(s.born_on[cell])) / 365.25
            slope = _value_at(a.mortality_age_slope, column)
            death_rate = (
                float(t.mortality_per_day[level - 1])
                * (_value_at(a.disabled_mortality_factor, column) if disabled else 1.0)
                * float(np.exp(slope * (age - REFERENCE_AGE)))
                * (_value_at(a.male_mortality_ratio, column) if s.male[cell] else 1.0)
            )
            if death < death_rate:
                continue
            admission_rate = (
                float(self.readmission[cell])
                if self.window[cell]
                else float(t.hospital_per_day[level - 1])
            )
            if hospital < admission_rate:
                found[column // streams.per] = True
                left -= 1
                if not left:
                    break
        return found


def _highest_age_term(model: HabitatModel) -> float:
    """The largest `mortality_age_slope x (age - REFERENCE_AGE)` of any cell today.

    With one slope for the whole batch the term only grows with age (or only falls,
    for a negative slope), and each operation keeps that order: it is the term of
    the earliest (or latest) birth, without working it out in every cell.
    """
    m = model
    s, slope = m.state.residents, m.params.autonomy.mortality_age_slope
    if isinstance(slope, np.ndarray):
        return float(np.max(slope * ((m.day - s.born_on) / 365.25 - REFERENCE_AGE)))
    born_on = np.min(s.born_on) if slope >= 0 else np.max(s.born_on)
    return float(slope * ((m.day - born_on) / 365.25 - REFERENCE_AGE))


def _value_at(value: Any, column: int) -> float:
    """A scenario number at one column: itself if the batch shares it."""
    return float(value[column]) if isinstance(value, np.ndarray) else float(value)


def _at(value: Any, columns: Any) -> Any:
    """A scenario value at some columns: itself if the batch shares it, or if all are read."""
    if isinstance(value, np.ndarray) and not isinstance(columns, slice):
        return value[columns]
    return value


def express_needs(model: HabitatModel) -> None:
    """Function 4 demand at home; a share is pooled into collective presence."""
    m = model
    s = m.state.residents
    need = m.tables.need_per_day[s.gir - 1] * s.at_home
    m.today.pooled = need * m.scenario.policies.pooling_share
    m.today.need = need - m.today.pooled


def _names(model: HabitatModel) -> list[str]:
    return [resident.name for resident in model.residents]


def take_part(
    model: HabitatModel, activities_held: np.ndarray, climate: np.ndarray, draws: np.ndarray
) -> None:
    """Residents join today's collective activities, if any were held.

    Args:
        model: the habitat (or batch of habitats).
        activities_held: (R,) activities that took place today.
        climate: (R,) open conflicts per resident, 0..1: a tense house keeps
            people in their flats.
        draws: (D, R) uniforms, row d for the resident of dwelling d.
    """
    s = model.state.residents
    p = model.params.collective_life
    chance = (
        p.participation_base
        * np.where(s.entered_by_default, p.by_default_participation_factor, 1.0)
        * (1.0 - p.conflict_participation_effect * climate)
        * mobility(s.gir)
        * (0.5 + s.quality_of_life)
    ).clip(0.0, 1.0)
    chance_any = _chance_of_any(chance, activities_held)
    joined = filled(model.today.at_home) & (draws < chance_any)
    s.last_participation[joined] = model.day
    model.today.participated = joined


def _chance_of_any(chance: np.ndarray, times: np.ndarray) -> np.ndarray:
    """1 - (1 - chance) ** times, (D, R) for `times` (R,) whole numbers.

    The power is taken only in the columns where `times` is 2 or more: x ** 0 is
    exactly 1 and x ** 1 exactly x, so the other columns need none (the same
    numbers, for a fraction of the cost of `pow`).
    """
    stay_in = 1.0 - chance
    several = np.flatnonzero(times >= 2)
    if several.size:
        stay_in[:, several] **= times[several]
    stay_in[:, times == 0] = 1.0
    return 1.0 - stay_in


def go_out(model: HabitatModel, neighbourhood_coverage: np.ndarray, draws: np.ndarray) -> None:
    """Residents go out into the neighbourhood (shops, leisure, associations).

    `draws`: as for `take_part`.
    """
    s = model.state.residents
    p = model.params.collective_life
    access = model.scenario.habitat.neighbourhood_access
    chance = (
        p.outings_per_week
        / 7.0
        * mobility(s.gir)
        * (p.inaccessible_outing_factor + (1.0 - p.inaccessible_outing_factor) * access)
        * (1.0 + p.animation_outing_effect * neighbourhood_coverage)
    ).clip(0.0, 1.0)
    out = filled(model.today.at_home) & (draws < chance)
    model.today.went_out = out
    s.outing_rate += (out - s.outing_rate) / OUTING_MEMORY_DAYS


def settle(model: HabitatModel, regulation_coverage: np.ndarray, draws: np.ndarray) -> None:
    """Residents raise and settle autonomy-vs-safety disagreements (tension 1).

    `draws`: as for `take_part`.
    """
    s = model.state.residents
    p = model.params.disputes
    family = model.state.families.active
    protected = model.day < s.agreement_until
    rate = (
        p.rate_per_resident_per_year
        / 365.0
        * (1.0 + p.low_autonomy_effect * (6 - s.gir))
        * (1.0 + p.family_safety_bias * family)
        * np.where(protected, 1.0 - p.agreement_protection, 1.0)
    )
    agree = p.unaided_agreement_per_day + (
        (p.agreement_per_day - p.unaided_agreement_per_day) * regulation_coverage
    )
    open_before = s.dispute_open.copy()
    agreed = open_before & (draws < agree)
    raised = filled(model.today.at_home) & ~open_before & (draws < rate)
    s.dispute_open[...] = (open_before & ~agreed) | raised
    s.agreement_until[agreed] = model.day + int(p.agreement_review_days)
    model.log.record_rows(model.day, [("dispute", raised), ("agreement", agreed)], _names(model))


def take_stock(model: HabitatModel, coordination_coverage: np.ndarray, climate: np.ndarray) -> None:
    """Residents come home from hospital, update quality of life, and perhaps leave.

    A dwelling empty in every replication of every habitat does nothing (and draws
    nothing). The uniforms are drawn first, dwelling by dwelling as each resident
    would draw them: whether a dwelling draws depends only on the morning's state.
    """
    s, streams = model.state.residents, model.streams
    here = streams.any_by_row(s.occupied)  # (D, habitats)
    acting = here.any(axis=1)
    if not anywhere(acting):
        return
    returning = model.today.returning & s.occupied
    somewhere = streams.any_by_row(returning)
    coming = np.full((3, *s.occupied.shape), np.nan)
    leaving = np.full(s.occupied.shape, np.nan)
    for row in np.flatnonzero(acting):
        if anywhere(somewhere[row]):
            coming[:, row] = streams.random((3,), somewhere[row])
        leaving[row] = streams.random(where=here[row])
    rows = slice(None) if acting.all() else acting
    coordinated, rupture, adverse = come_home(model, returning, coordination_coverage, coming)
    weigh_quality_of_life(model, climate, rows)
    to_institution, elsewhere = consider_leaving(model, leaving)
    model.log.record_rows(
        model.day,
        [
            ("return_coordinated", coordinated),
            ("return_rupture", rupture),
            ("adverse_event", adverse),
            ("exit_institution", to_institution),
            ("exit_other", elsewhere),
        ],
        _names(model),
    )


def come_home(
    model: HabitatModel, returning: np.ndarray, coordination_coverage: np.ndarray, draws
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A return is prepared by the animator (or others); else it is a rupture.

    Every return may bring an adverse event (Forster 2003: 19 % of discharges),
    fewer after a prepared one; a third of them cost a GIR level. For 30 days the
    resident may be readmitted, more often after an adverse event or an
    unprepared return.

    Only the cells where someone returns are read and written (a handful a day):
    the same numbers as the same operations on the whole grid, where the others
    change nothing.

    Args:
        model: the habitat (or batch of habitats).
        returning: (D, R) residents back from hospital today.
        coordination_coverage: (R,) share of coordination hours given today.
        draws: (3, D, R) uniforms.

    Returns:
        The prepared returns, the ruptures and the adverse events, (D, R) each.
    """
    s, t = model.state.residents, model.today
    p = model.params.hospital
    cells = np.nonzero(returning)
    columns = cells[1]
    coming = draws[:, cells[0], columns]
    unaided = _at(p.unaided_preparation, columns)
    prepared_chance = unaided + (1 - unaided) * coordination_coverage[columns]
    rupture = coming[0] >= prepared_chance
    adverse_chance = _at(p.adverse_event, columns) * np.where(
        rupture, 1.0, 1.0 - _at(p.prepared_adverse_reduction, columns)
    )
    adverse = coming[1] < adverse_chance
    worse = adverse & (s.gir[cells] > 1) & (coming[2] < _at(p.adverse_event_gir_loss, columns))
    s.rupture_load[cells] += rupture
    t.ruptures += np.bincount(columns[rupture], minlength=model.replications)
    t.adverse_events += np.bincount(columns[adverse], minlength=model.replications)
    s.gir[cells] -= worse
    s.readmission_risk_until[cells] = model.day + READMISSION_WINDOW_DAYS
    s.readmission_multiplier[cells] = np.where(
        rupture, _at(p.rupture_readmission_multiplier, columns), 1.0
    ) * np.where(adverse, _at(p.adverse_readmission_multiplier, columns), 1.0)
    return (
        _grid_of(returning, cells, ~rupture),
        _grid_of(returning, cells, rupture),
        _grid_of(returning, cells, adverse),
    )


def _grid_of(like: np.ndarray, cells: tuple[np.ndarray, ...], values: np.ndarray) -> np.ndarray:
    """A bool grid shaped as `like`: `values` at `cells`, False elsewhere."""
    grid = np.zeros(like.shape, dtype=bool)
    grid[cells] = values
    return grid


def suffer_ruptures(model: HabitatModel, who: np.ndarray) -> None:
    """Count a care-path rupture for the residents where `who` (D, R) is true."""
    model.state.residents.rupture_load += who
    model.today.ruptures += who.sum(axis=0)


def weigh_quality_of_life(model: HabitatModel, climate: np.ndarray, rows) -> None:
    """Move quality of life toward what today's life supports, in the dwellings `rows`."""
    m = model
    s = m.state.residents
    q = m.params.quality_of_life
    need = m.today.need
    got = m.today.professional + m.today.family_individual
    unmet_today = np.maximum(need - got, 0.0) / np.maximum(need, 1e-12)
    s.unmet_share += filled(m.today.at_home) * (unmet_today - s.unmet_share) / UNMET_MEMORY_DAYS
    s.rupture_load[rows] *= 1.0 - 1.0 / RUPTURE_MEMORY_DAYS
    participated = (m.day - s.last_participation) < PARTICIPATION_WINDOW_DAYS
    target = (
        (q.base - q.conflict_weight * climate)
        + q.participation_weight * participated
        + q.outings_weight * np.minimum(s.outing_rate / m.tables.reference_outings, 1.0)
        + q.family_weight * m.state.families.active
        - q.unmet_weight * s.unmet_share
        - q.dispute_weight * s.dispute_open
        - q.rupture_weight * np.minimum(s.rupture_load, 1.0)
        - q.by_default_penalty * s.entered_by_default
    )
    qol = s.quality_of_life
    moved = np.clip(qol + q.adaptation_per_day * (target - qol), 0.0, 1.0)
    s.quality_of_life[rows] = (moved * s.occupied)[rows]


def consider_leaving(model: HabitatModel, draws: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Residents move out alive: to an institution, or elsewhere at a small base rate.

    Moves to an institution are driven by dependency, carers and unmet hours.
    One uniform decides both: below the institution rate an institution, then
    the next `other` rate a move elsewhere. The rates are worked out only where
    the uniform is below the highest they can reach (`_highest_leaving_rate`): a
    move is rare, and nothing happens elsewhere.

    Returns:
        The moves to an institution and elsewhere, (D, R) each.
    """
    m = model
    s = m.state.residents
    p = m.params.exits
    cells = np.nonzero(draws < _highest_leaving_rate(m))
    columns = cells[1]
    gir = s.gir[cells]
    # Unmet individual hours a week, smoothed: the month's unmet share of today's need.
    unmet_hours = s.unmet_share[cells] * m.tables.need_per_day[gir - 1] * 7.0
    excess = np.maximum(unmet_hours - _at(p.unmet_tolerance_hours_per_week, columns), 0.0)
    no_carer = ~m.state.families.active[cells]
    institution = (
        m.tables.institution_per_day[gir - 1]
        * np.where(no_carer, _at(p.no_carer_multiplier, columns), 1.0)
        + _at(p.unmet_rate_per_hour_week, columns) * excess / 365.0
    )
    home = filled(m.today.at_home)[cells]
    drawn = draws[cells]
    to_institution = home & (drawn < institution)
    elsewhere = (
        home & ~to_institution & (drawn < institution + _at(p.other_rate_per_year, columns) / 365.0)
    )
    # A move forced by unmet needs is unplanned: a care-path rupture (seed 002).
    forced = to_institution & (excess > 0)
    s.rupture_load[cells] += forced
    m.today.ruptures += np.bincount(columns[forced], minlength=m.replications)
    to_institution = _grid_of(draws, cells, to_institution)
    elsewhere = _grid_of(draws, cells, elsewhere)
    depart(m, to_institution, "institution")
    depart(m, elsewhere, "other")
    return to_institution, elsewhere


def _highest_leaving_rate(model: HabitatModel) -> float:
    """No resident's rate of leaving today (institution, then elsewhere) is higher.

    Each term of the rate at its highest: every factor is not negative, and
    rounding keeps the order of products and sums; a hair above, to be safe.
    """
    m = model
    p, t = m.params.exits, m.tables
    need = float(np.max(m.state.residents.unmet_share)) * float(t.need_per_day.max()) * 7.0
    excess = max(need - float(np.min(p.unmet_tolerance_hours_per_week)), 0.0)
    institution = (
        float(t.institution_per_day.max()) * max(float(np.max(p.no_carer_multiplier)), 1.0)
        + float(np.max(p.unmet_rate_per_hour_week)) * excess / 365.0
    )
    return (institution + float(np.max(p.other_rate_per_year)) / 365.0) * (1.0 + 1e-9)

"""Residents: one agent per dwelling, its state a row of the model's arrays."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from habitat.sim.vacancies import leave

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

    A day: `live` (autonomy, health, hospital, needs), then once collective life is
    known `take_part` and `go_out`, then `settle` (autonomy-vs-safety disputes) and
    `take_stock` (return from hospital, quality of life, exit).
    """

    model: HabitatModel

    def __init__(self, model: HabitatModel, slot: int, label: str | None = None):
        super().__init__(model)
        self.slot = slot
        self.name = label or f"resident {slot}"

    # ------------------------------------------------------------------ morning

    def live(self) -> None:
        """Age, fall ill or come closer to going home, and express today's needs."""
        here = self.model.streams.any(self.model.state.residents.occupied[self.slot])
        if not here.any():
            return
        # The morning's three uniforms in one draw: the same numbers as three draws.
        draws = self.model.streams.random((3,), here)
        self.change_autonomy(draws[0])
        self.die(draws[1])
        self.be_hospitalised(draws[2])
        self.express_needs()

    def daily_rate(self, by_gir: np.ndarray, disabled_factor: float) -> np.ndarray:
        """The resident's rate today from a per-GIR table, scaled for disabled people."""
        s, d = self.model.state.residents, self.slot
        return by_gir[s.gir[d] - 1] * np.where(s.public[d] != 0, disabled_factor, 1.0)

    def change_autonomy(self, draw: np.ndarray) -> None:
        """GIR transitions: lose one or two levels, or regain one, at a rate set by the level.

        `draw` (here and in the other steps): the resident's uniforms for this step,
        (R,), drawn by the caller. Where `draw < rate` the level changes, and
        `draw / rate`, uniform again given the change, says which way: the first
        `improvement_share` of it an improvement (always at GIR 1, never at GIR 6),
        the last `two_level_share` a loss of two levels (from GIR 3 up), the rest a
        loss of one.
        """
        m = self.model
        s, d = m.state.residents, self.slot
        a = m.params.autonomy
        rate = self.daily_rate(m.tables.change_per_day, a.disabled_decline_factor)
        gir = s.gir[d]
        changes = s.occupied[d] & (draw < rate)
        if not changes.any():
            return
        which = draw / np.where(changes, rate, 1.0)
        improves = changes & (gir < 6) & ((which < a.improvement_share) | (gir == 1))
        two = (gir > 2) & (which >= 1.0 - a.two_level_share)
        lost = np.where(changes & ~improves & (gir > 1), np.where(two, 2, 1), 0)
        s.gir[d] = gir + improves - lost
        m.log.record(m.day, "gir_decline", lost, self.name)
        m.log.record(m.day, "gir_improvement", improves, self.name)

    def die(self, draw: np.ndarray) -> None:
        """Death, at a rate set by autonomy level, age, sex and public."""
        m = self.model
        s, d = m.state.residents, self.slot
        a = m.params.autonomy
        rate = (
            self.daily_rate(m.tables.mortality_per_day, a.disabled_mortality_factor)
            * np.exp(a.mortality_age_slope * (s.age(d, m.day) - REFERENCE_AGE))
            * np.where(s.male[d], a.male_mortality_ratio, 1.0)
        )
        deaths = s.occupied[d] & (draw < rate)
        if deaths.any():
            leave(m, d, deaths, "death", self.name)

    def be_hospitalised(self, draw: np.ndarray) -> None:
        """Count down stays in hospital; admit some of those at home.

        Within 30 days of a return the admission rate is the readmission rate
        (`hospital.readmission_30d` over the window), times the multiplier the
        return set (after an adverse event, after an unprepared return).
        """
        m = self.model
        s, d = m.state.residents, self.slot
        in_hospital = s.hospital_days_left[d] > 0
        s.hospital_days_left[d] -= in_hospital
        m.today.returning[d] = in_hospital & (s.hospital_days_left[d] == 0)
        at_home = s.occupied[d] & ~in_hospital
        window = m.day < s.readmission_risk_until[d]
        rate = np.where(
            window,
            m.tables.readmission_per_day * s.readmission_multiplier[d],
            m.tables.hospital_per_day[s.gir[d] - 1],
        )
        admitted = at_home & (draw < rate)
        m.today.readmissions += admitted & window
        somewhere = m.streams.any(admitted)  # per habitat
        if somewhere.any():
            stay = m.streams.geometric(1.0 / m.params.hospital.mean_stay_days, somewhere)
            self.admit(admitted, stay)

    def admit(self, who: np.ndarray, stay_days: np.ndarray | int) -> None:
        """Send the resident to hospital for `stay_days` where `who` is true."""
        m = self.model
        s, d = m.state.residents, self.slot
        s.hospital_days_left[d] = np.where(who, stay_days, s.hospital_days_left[d])
        m.log.record(m.day, "hospitalisation", who, self.name)

    def express_needs(self) -> None:
        """Function 4 demand at home; a share is pooled into collective presence."""
        m = self.model
        s, d = m.state.residents, self.slot
        need = m.tables.need_per_day[s.gir[d] - 1] * s.home(d)
        m.today.pooled[d] = need * m.scenario.policies.pooling_share
        m.today.need[d] = need - m.today.pooled[d]

    # ------------------------------------------------------------------ afternoon

    def take_part(
        self, activities_held: np.ndarray, climate: np.ndarray, draws: np.ndarray
    ) -> None:
        """Join today's collective activities, if any were held.

        Args:
            activities_held: (R,) activities that took place today.
            climate: (R,) open conflicts per resident, 0..1: a tense house keeps
                people in their flats.
            draws: (D, R) uniforms of every resident for this step, drawn at once by
                the model (the same numbers as one draw per resident in turn).
        """
        m = self.model
        s, d = m.state.residents, self.slot
        p = m.params.collective_life
        chance = (
            p.participation_base
            * np.where(s.entered_by_default[d], p.by_default_participation_factor, 1.0)
            * (1.0 - p.conflict_participation_effect * climate)
            * mobility(s.gir[d])
            * (0.5 + s.quality_of_life[d])
        ).clip(0.0, 1.0)
        chance_any = 1.0 - (1.0 - chance) ** activities_held
        joined = s.home(d) & (draws[d] < chance_any)
        s.last_participation[d] = np.where(joined, m.day, s.last_participation[d])
        m.today.participated[d] = joined

    def go_out(self, neighbourhood_coverage: np.ndarray, draws: np.ndarray) -> None:
        """Go out into the neighbourhood (shops, leisure, associations).

        `draws`: as for `take_part`.
        """
        m = self.model
        s, d = m.state.residents, self.slot
        p = m.params.collective_life
        access = m.scenario.habitat.neighbourhood_access
        chance = (
            p.outings_per_week
            / 7.0
            * mobility(s.gir[d])
            * (p.inaccessible_outing_factor + (1.0 - p.inaccessible_outing_factor) * access)
            * (1.0 + p.animation_outing_effect * neighbourhood_coverage)
        ).clip(0.0, 1.0)
        out = s.home(d) & (draws[d] < chance)
        m.today.went_out[d] = out
        s.outing_rate[d] += (out - s.outing_rate[d]) / OUTING_MEMORY_DAYS

    def settle(self, regulation_coverage: np.ndarray, draws: np.ndarray) -> None:
        """Raise and settle autonomy-vs-safety disagreements (tension 1).

        `draws`: as for `take_part`.
        """
        m = self.model
        s, d = m.state.residents, self.slot
        p = m.params.disputes
        family = m.state.families.active[d]
        protected = m.day < s.agreement_until[d]
        rate = (
            p.rate_per_resident_per_year
            / 365.0
            * (1.0 + p.low_autonomy_effect * (6 - s.gir[d]))
            * (1.0 + p.family_safety_bias * family)
            * np.where(protected, 1.0 - p.agreement_protection, 1.0)
        )
        agree = p.unaided_agreement_per_day + (
            (p.agreement_per_day - p.unaided_agreement_per_day) * regulation_coverage
        )
        draw = draws[d]
        open_before = s.dispute_open[d]
        agreed = open_before & (draw < agree)
        raised = s.home(d) & ~open_before & (draw < rate)
        s.dispute_open[d] = (open_before & ~agreed) | raised
        s.agreement_until[d] = np.where(
            agreed, m.day + int(p.agreement_review_days), s.agreement_until[d]
        )
        m.log.record(m.day, "dispute", raised, self.name)
        m.log.record(m.day, "agreement", agreed, self.name)

    # ------------------------------------------------------------------ evening

    def take_stock(self, coordination_coverage: np.ndarray, climate: np.ndarray) -> None:
        """Come home from hospital, update quality of life, and perhaps leave."""
        here = self.model.streams.any(self.model.state.residents.occupied[self.slot])
        if not here.any():
            return
        self.come_home(coordination_coverage)
        self.weigh_quality_of_life(climate)
        self.consider_leaving(here)

    def come_home(self, coordination_coverage: np.ndarray) -> None:
        """A return is prepared by the animator (or others); else it is a rupture.

        Every return may bring an adverse event (Forster 2003: 19 % of discharges),
        fewer after a prepared one; a third of them cost a GIR level. For 30 days the
        resident may be readmitted, more often after an adverse event or an
        unprepared return.
        """
        m = self.model
        s, d = m.state.residents, self.slot
        returning = m.today.returning[d] & s.occupied[d]
        somewhere = m.streams.any(returning)  # per habitat
        if not somewhere.any():
            return
        p = m.params.hospital
        prepared_chance = (
            p.unaided_preparation + (1 - p.unaided_preparation) * coordination_coverage
        )
        draw = m.streams.random((3,), somewhere)
        rupture = returning & (draw[0] >= prepared_chance)
        m.log.record(m.day, "return_coordinated", returning & ~rupture, self.name)
        m.log.record(m.day, "return_rupture", rupture, self.name)
        self.suffer_rupture(rupture)
        adverse_chance = p.adverse_event * np.where(
            rupture, 1.0, 1.0 - p.prepared_adverse_reduction
        )
        adverse = returning & (draw[1] < adverse_chance)
        m.today.adverse_events += adverse
        m.log.record(m.day, "adverse_event", adverse, self.name)
        worse = adverse & (s.gir[d] > 1) & (draw[2] < p.adverse_event_gir_loss)
        s.gir[d] -= worse
        s.readmission_risk_until[d] = np.where(
            returning, m.day + READMISSION_WINDOW_DAYS, s.readmission_risk_until[d]
        )
        s.readmission_multiplier[d] = np.where(
            returning,
            np.where(rupture, p.rupture_readmission_multiplier, 1.0)
            * np.where(adverse, p.adverse_readmission_multiplier, 1.0),
            s.readmission_multiplier[d],
        )

    def suffer_rupture(self, who: np.ndarray) -> None:
        """Count a care-path rupture for this resident where `who` is true."""
        m = self.model
        m.state.residents.rupture_load[self.slot] += who
        m.today.ruptures += who

    def weigh_quality_of_life(self, climate: np.ndarray) -> None:
        """Move quality of life toward what today's life supports."""
        m = self.model
        s, d = m.state.residents, self.slot
        q = m.params.quality_of_life
        need = m.today.need[d]
        got = m.today.professional[d] + m.today.family_individual[d]
        unmet_today = np.maximum(need - got, 0.0) / np.maximum(need, 1e-12)
        s.unmet_share[d] += s.home(d) * (unmet_today - s.unmet_share[d]) / UNMET_MEMORY_DAYS
        s.rupture_load[d] *= 1.0 - 1.0 / RUPTURE_MEMORY_DAYS
        participated = (m.day - s.last_participation[d]) < PARTICIPATION_WINDOW_DAYS
        target = (
            (q.base - q.conflict_weight * climate)
            + q.participation_weight * participated
            + q.outings_weight * np.minimum(s.outing_rate[d] / m.tables.reference_outings, 1.0)
            + q.family_weight * m.state.families.active[d]
            - q.unmet_weight * s.unmet_share[d]
            - q.dispute_weight * s.dispute_open[d]
            - q.rupture_weight * np.minimum(s.rupture_load[d], 1.0)
            - q.by_default_penalty * s.entered_by_default[d]
        )
        qol = s.quality_of_life[d]
        moved = np.clip(qol + q.adaptation_per_day * (target - qol), 0.0, 1.0)
        s.quality_of_life[d] = moved * s.occupied[d]

    def consider_leaving(self, here: np.ndarray) -> None:
        """Move out alive: to an institution, or elsewhere at a small base rate.

        Moves to an institution are driven by dependency, carers and unmet hours.
        One uniform decides both: below the institution rate an institution, then
        the next `other` rate a move elsewhere.
        """
        m = self.model
        s, d = m.state.residents, self.slot
        p = m.params.exits
        gir = s.gir[d]
        # Unmet individual hours a week, smoothed: the month's unmet share of today's need.
        unmet_hours = s.unmet_share[d] * m.tables.need_per_day[gir - 1] * 7.0
        excess = np.maximum(unmet_hours - p.unmet_tolerance_hours_per_week, 0.0)
        no_carer = ~m.state.families.active[d]
        institution = (
            m.tables.institution_per_day[gir - 1] * np.where(no_carer, p.no_carer_multiplier, 1.0)
            + p.unmet_rate_per_hour_week * excess / 365.0
        )
        draw = m.streams.random(where=here)
        home = s.home(d)
        to_institution = home & (draw < institution)
        elsewhere = home & ~to_institution & (draw < institution + p.other_rate_per_year / 365.0)
        if to_institution.any():
            # A move forced by unmet needs is unplanned: a care-path rupture (seed 002).
            self.suffer_rupture(to_institution & (excess > 0))
            leave(m, d, to_institution, "institution", self.name)
        if elsewhere.any():
            leave(m, d, elsewhere, "other", self.name)

"""The scenario: a frozen, validated description of one habitat to simulate.

A scenario file is YAML. It is read into plain data, command-line overrides
(`--set dotted.path=value`) are applied to that data, and only then is the whole
validated by the pydantic models below, so a file and an override are held to the
same rules. Every default of the mechanism parameters says where it comes from
(DOMAIN.md section, seed, or an explicit modelling assumption); docs/MODEL.md
collects them.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from habitat.domain import AVP_MAX, DWELLINGS_MAX, FAMILY_HOURS_MAX, Public
from habitat.yamlfile import YamlFileError, field_problems, load_yaml

__all__ = [
    "DisabilityKind",
    "Public",
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "load_scenario",
    "parse_override",
    "scenario_from_data",
]

Fraction = Annotated[float, Field(ge=0.0, le=1.0)]
Hours = Annotated[float, Field(ge=0.0)]
RatePerYear = Annotated[float, Field(ge=0.0, le=365.0)]
Gir = Annotated[int, Field(ge=1, le=6)]
Label = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^\x00-\x1f\x7f]+$")]

#: Upper bound of a habitat's size (`habitat.domain.DWELLINGS_MAX`).
MAX_DWELLINGS = DWELLINGS_MAX


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


#: `DISABILITY_KINDS` spelled out, so that the type checker sees them too (a test holds
#: the two equal).
DisabilityKind = Literal["motor", "psychic", "intellectual", "autism", "sensory"]


# --------------------------------------------------------------------------- habitat


class HabitatSpec(_Frozen):
    """The building, its surroundings and its shared-life funding."""

    dwellings: int = Field(default=8, ge=1, le=MAX_DWELLINGS, description="Private dwellings.")
    common_spaces: int = Field(
        default=2, ge=1, le=10, description="Shared rooms (kitchen, living room, garden...)."
    )
    neighbourhood_access: Fraction = Field(
        default=0.6,
        description="How physically and socially accessible the neighbourhood is, 0-1.",
    )
    avp_per_resident_eur: float = Field(
        default=7500.0,
        ge=0.0,
        le=AVP_MAX,
        description="AVP per resident per year (EUR); tiers 5,000 / 7,500 / 10,000 (DOMAIN §6).",
    )
    avp_agreed_residents: int | None = Field(
        default=None,
        ge=0,
        le=MAX_DWELLINGS,
        description="Residents named in the AVP agreement with the department, paid for "
        "whether their dwelling is occupied or not; none: the residents at the start.",
    )


# --------------------------------------------------------------------------- residents


class ResidentSpec(_Frozen):
    """One resident given explicitly (pseudonymous: a label, never a name)."""

    label: Label | None = None
    public: Public = Public.ELDERLY
    gir: Gir = Field(
        default=4,
        description="Autonomy level (AGGIR 1-6; for disabled people the equivalent "
        "support-needs level).",
    )
    entered_by_default: bool = False
    family_hours_per_week: float = Field(
        default=0.0,
        ge=0.0,
        le=FAMILY_HOURS_MAX,
        description="Usual family help; 0 means no family.",
    )
    own_providers: bool = Field(
        default=False, description="Keeps their own providers rather than the habitat's."
    )
    age: int | None = Field(
        default=None,
        ge=18,
        le=110,
        description="Age in years on entry; left out, it is drawn in each replication from "
        "the public's age distribution (docs/MODEL.md §3.1).",
    )
    sex: Literal["female", "male"] | None = Field(
        default=None,
        description="Left out, it is drawn in each replication from the public's share of men.",
    )


def _disability_mix() -> dict[DisabilityKind, float]:
    return {"motor": 1.0, "psychic": 1.0, "intellectual": 1.0}


class PopulationGenerator(_Frozen):
    """Draws residents at random, independently in each replication."""

    count: int = Field(default=7, ge=1, le=MAX_DWELLINGS)
    share_elderly: Fraction = 1.0
    disability_mix: dict[DisabilityKind, Annotated[float, Field(ge=0.0)]] = Field(
        default_factory=_disability_mix
    )
    gir_distribution: dict[Gir, Annotated[float, Field(ge=0.0)]] = Field(
        default_factory=lambda: {3: 0.15, 4: 0.4, 5: 0.3, 6: 0.15}
    )
    share_entered_by_default: Fraction = 0.2

    @field_validator("disability_mix", "gir_distribution")
    @classmethod
    def _some_weight(cls, weights: dict) -> dict:
        if not weights or sum(weights.values()) <= 0:
            raise ValueError("weights must contain at least one positive value")
        return weights


class ResidentsSpec(_Frozen):
    """Either an explicit list of members or a population generator, not both."""

    members: list[ResidentSpec] | None = Field(default=None, min_length=1, max_length=MAX_DWELLINGS)
    generate: PopulationGenerator | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> ResidentsSpec:
        if (self.members is None) == (self.generate is None):
            raise ValueError("give either 'members' (a list) or 'generate', exactly one")
        return self

    @property
    def count(self) -> int:
        """Number of residents at the start."""
        if self.members is not None:
            return len(self.members)
        assert self.generate is not None  # exactly one of the two (`_exactly_one`)
        return self.generate.count


# --------------------------------------------------------------------------- actors


class FamiliesSpec(_Frozen):
    """Families and informal carers of generated residents and of new entrants."""

    hours_per_week: float = Field(
        default=5.0, ge=0.0, le=70.0, description="Mean usual help of a family (h/week)."
    )
    share_no_family: Fraction = 0.2
    concentration: Fraction = Field(
        default=0.3,
        description="0: help spread evenly over families; 1: nearly all from one family.",
    )
    collective_share: Fraction = Field(
        default=0.2,
        description="Share of a family's hours given to collective life (presence, "
        "activities, governance) rather than to its own relative.",
    )


#: The values of `habitat.domain.ProviderKind`, spelled out for the type checker (a test
#: holds the two equal).
ProviderKind = Literal["home_help", "nursing", "savs", "samsah", "had", "gp", "other"]


class HabitatProviderSpec(_Frozen):
    """A provider chosen by the habitat for the residents who do not keep their own."""

    name: Label
    kind: ProviderKind = "home_help"
    reliability: Fraction = Field(
        default=0.8, description="Share of planned visits delivered (DREES: ~80 %)."
    )


class ProvidersSpec(_Frozen):
    """Who delivers strictly individual support (function 4)."""

    share_own: Fraction = Field(
        default=0.3, description="Share of generated residents who keep their own providers."
    )
    own_reliability: Fraction = 0.8
    habitat: list[HabitatProviderSpec] = Field(
        default_factory=lambda: [HabitatProviderSpec(name="SAAD partenaire")],
        min_length=1,
        max_length=5,
    )


class AnimatorSpec(_Frozen):
    """The animator-coordinator funded by the AVP."""

    hours_per_week: float = Field(
        default=28.0, ge=0.0, le=70.0, description="Contract hours; 35 h = 1 FTE."
    )


class PoliciesSpec(_Frozen):
    """How the habitat chooses to run its collective life."""

    activities_per_week: float = Field(default=4.0, ge=0.0, le=21.0)
    regulation_practice: Literal["none", "house_rules", "council"] = "council"
    pooling_share: Fraction = Field(
        default=0.1,
        description="Share of each resident's individual help hours pooled into "
        "collective presence (function 3).",
    )
    presence_hours_per_day: float = Field(
        default=4.0, ge=0.0, le=24.0, description="Collective social presence wanted per day."
    )


class EntrySpec(_Frozen):
    """Vacancies and new entries (tension 6, restrictive entry conditions)."""

    mean_vacancy_days: float = Field(default=60.0, gt=0.0, le=3650.0)
    restrictiveness: Fraction = Field(
        default=0.3, description="0 open to all; 1 very narrow admission criteria."
    )


# --------------------------------------------------------------------------- mechanisms


GirTable = Annotated[tuple[float, float, float, float, float, float], Field()]


def _by_gir(
    gir1: float, gir2: float, gir3: float, gir4: float, gir5: float, gir6: float
) -> tuple[float, float, float, float, float, float]:
    return (gir1, gir2, gir3, gir4, gir5, gir6)


class NeedsParams(_Frozen):
    """Function 4 demand: individual help hours per day by autonomy level."""

    # DREES 2011: ~2.1 h/day at GIR 1, ~0.7 h/day at GIR 4; GIR 2-3 interpolated;
    # GIR 5-6 are outside APA (household help of a few hours a month): assumption.
    hours_per_day_by_gir: GirTable = _by_gir(2.1, 1.6, 1.1, 0.7, 0.3, 0.1)
    # Share of the need written into a professional plan; the rest is informal help.
    professional_share: Fraction = 0.85
    hours_multiplier: float = Field(
        default=1.0,
        ge=0.1,
        le=10.0,
        description="Scales every GIR's hours of help needed (sensitivity analysis; 1: as is).",
    )

    @field_validator("hours_per_day_by_gir")
    @classmethod
    def _non_negative(cls, table: tuple[float, ...]) -> tuple[float, ...]:
        if any(v < 0 for v in table):
            raise ValueError("hours must be >= 0")
        return table


class AutonomyParams(_Frozen):
    """GIR transitions and mortality by GIR, age and sex (docs/MODEL.md §3.3.2)."""

    # Rate of a change of GIR level, up or down. GIR 4: DREES ER 724 (Debout 2010),
    # 68 % of men entering at GIR 4 and alive at 2 years changed level, i.e. about
    # 0.57 a year; the other levels are assumptions around it.
    change_rate_per_year_by_gir: GirTable = _by_gir(0.1, 0.35, 0.6, 0.6, 0.3, 0.15)
    # Of the changes, the share that are an improvement of one level (always at GIR 1)
    # and the share that are a loss of two levels (from GIR 3 up): assumptions.
    improvement_share: Fraction = 0.15
    two_level_share: Fraction = 0.3
    disabled_decline_factor: Fraction = Field(
        default=0.25, description="Scales disabled residents' rate of change of level."
    )
    # Yearly death rate of a woman aged 83 (the mean age at APA entry, DREES ER 724)
    # by GIR: the ratios between levels are assumptions, the level fitted by hand to
    # ER 724's 42 % of entrants dead within 2 years and mean APA duration of 4 years.
    mortality_rate_per_year_by_gir: GirTable = _by_gir(0.5, 0.29, 0.18, 0.115, 0.055, 0.032)
    mortality_multiplier: float = Field(
        default=1.0,
        ge=0.1,
        le=10.0,
        description="Scales every GIR's death rate (sensitivity analysis; 1: as is).",
    )
    change_multiplier: float = Field(
        default=1.0,
        ge=0.1,
        le=10.0,
        description="Scales every GIR's rate of change of level (sensitivity analysis; 1: as is).",
    )
    # Death rates x exp(slope x (age - 83)): ER 724's mean durations by age at entry
    # (men 3 y 8 m from 60-80 to 2 y 1 m at 95+, women 5 y 5 m to 3 y 6 m).
    mortality_age_slope: float = Field(default=0.03, ge=0.0, le=0.2)
    # Men's death rate / women's: ER 724's mean durations, 2 y 11 m vs 4 y 5 m.
    male_mortality_ratio: float = Field(default=1.5, ge=0.5, le=5.0)
    disabled_mortality_factor: float = Field(
        default=0.6,
        ge=0.0,
        le=5.0,
        description="Scales disabled residents' death rate, on top of their (younger) age.",
    )

    @model_validator(mode="after")
    def _shares_fit(self) -> AutonomyParams:
        if self.improvement_share + self.two_level_share > 1.0:
            raise ValueError(
                "improvement_share + two_level_share: the two shares of a change of level "
                f"add up to {self.improvement_share + self.two_level_share:g}, more than 1"
            )
        return self


class HospitalParams(_Frozen):
    """Hospitalisations and returns home (seed 002, DOMAIN §5)."""

    rate_per_year_by_gir: GirTable = _by_gir(0.9, 0.8, 0.6, 0.45, 0.3, 0.25)
    rate_multiplier: float = Field(
        default=1.0,
        ge=0.1,
        le=10.0,
        description="Scales every GIR's hospitalisation rate (sensitivity analysis; 1: as is).",
    )
    mean_stay_days: float = Field(default=9.0, ge=1.0, le=365.0)
    coordination_hours_per_return: Hours = 2.0
    # Share of returns prepared by the hospital and providers without the animator.
    unaided_preparation: Fraction = 0.3
    # Forster 2003: 19 % of patients discharged home had an adverse event within about
    # 3 weeks; applied to every return home.
    adverse_event: Fraction = 0.19
    # Cochrane review of discharge planning (Gonçalves-Bradley et al. 2016): an
    # individualised discharge plan cut readmissions of older medical patients within
    # 3 months by 13 % (RR 0.87, 95 % CI 0.79-0.97); a prepared return is read as
    # cutting adverse events by as much (assumption on the reading).
    prepared_adverse_reduction: Fraction = 0.13
    # Forster 2003: 30 % of the adverse events were symptoms with a nonpermanent
    # disability and 3 % a permanent disability: a third cost a GIR level.
    adverse_event_gir_loss: Fraction = 0.33
    # Chapalain et al. 2016: 16.3 % of people aged 75+ discharged from a French
    # medicine ward were readmitted within a month.
    readmission_30d: Fraction = 0.163
    # Readmission risk after an adverse event, relative to a return without (assumption).
    adverse_readmission_multiplier: float = Field(default=2.0, ge=1.0, le=20.0)
    # Auerbach 2016: 27 % of 30-day readmissions are avoidable. Reading the avoidable
    # share as caused by unprepared returns, the 30-day readmission rate after a
    # rupture is the base rate / (1 - 0.27) = 1.37 x the base rate.
    rupture_readmission_multiplier: float = Field(default=1.37, ge=1.0, le=20.0)


class FamilyParams(_Frozen):
    """Family hours by dependency, fatigue and withdrawal (tension 2)."""

    # A family's usual hours a week relative to what it gives at GIR 4
    # (`families.hours_per_week`): DREES CARE-Menages 2015 (Brunel, Latourelle, Zakri,
    # ER 1103, 2019): half the most dependent (GIR 1-2) are helped more than 53 h a
    # week, half the most autonomous (GIR 5-6) less than 4 h; GIR 3 interpolated.
    hours_factor_by_gir: GirTable = _by_gir(20.0, 16.0, 5.0, 1.0, 0.6, 0.4)
    withdrawal_rate_per_year: RatePerYear = 0.05
    # Fatigue grows from half these hours a week and is full at 1.5 times (assumption).
    sustainable_hours_per_week: float = Field(default=10.0, gt=0.0)
    fatigue_days: float = Field(default=90.0, gt=0.0, description="Time constant of fatigue.")
    fatigue_withdrawal_effect: float = Field(default=6.0, ge=0.0)
    # A family's help stops for good; a withdrawal of a family giving at least this
    # many hours a week is also a care-path rupture for its relative.
    rupture_hours_per_week: Hours = 7.0


class ProviderParams(_Frozen):
    """Provider exits and coordination failures (tension 5)."""

    own_failure_rate_per_year: RatePerYear = 12.0
    habitat_failure_rate_per_year: RatePerYear = 3.0
    # How much the animator's coordination time prevents failures (0 none, 1 all).
    coordination_effect: Fraction = 0.6
    coordination_hours_per_own_provider_week: Hours = 0.5
    failure_hours_lost: Fraction = 0.5
    failure_escalation: Fraction = Field(
        default=0.15, description="Probability a coordination failure becomes a conflict."
    )
    exit_rate_per_year: RatePerYear = 0.15
    replacement_days: float = Field(default=21.0, ge=0.0, le=365.0)


class ConflictParams(_Frozen):
    """Conflicts between residents and over common spaces (tensions 3, 4)."""

    rate_per_resident_per_year: RatePerYear = 2.0
    by_default_multiplier: float = Field(default=2.5, ge=0.0, le=20.0)
    psychic_multiplier: float = Field(default=1.8, ge=0.0, le=20.0)
    low_quality_of_life_effect: float = Field(default=1.0, ge=0.0, le=10.0)
    residents_per_common_space: float = Field(default=4.0, gt=0.0)
    crowding_effect: float = Field(default=0.5, ge=0.0, le=10.0)
    regulation_hours_per_conflict_day: Hours = 0.3
    resolution_per_day: Fraction = Field(
        default=0.15, description="Daily chance a conflict is settled with full regulation."
    )
    unaided_resolution_per_day: Fraction = 0.02


class DisputeParams(_Frozen):
    """Autonomy vs safety disagreements (tension 1)."""

    rate_per_resident_per_year: RatePerYear = 1.0
    low_autonomy_effect: float = Field(
        default=0.4, ge=0.0, le=5.0, description="Extra rate per GIR level below 6."
    )
    family_safety_bias: float = Field(default=0.5, ge=0.0, le=10.0)
    regulation_hours_per_dispute_day: Hours = 0.2
    agreement_per_day: Fraction = 0.08
    unaided_agreement_per_day: Fraction = 0.01
    agreement_protection: Fraction = Field(
        default=0.7, description="Rate reduction while an agreed risk choice holds."
    )
    agreement_review_days: float = Field(default=180.0, gt=0.0)


Regulation = Literal["none", "house_rules", "council"]


def _rate_multipliers() -> dict[Regulation, float]:
    return {"none": 1.0, "house_rules": 0.8, "council": 0.7}


def _resolution_multipliers() -> dict[Regulation, float]:
    return {"none": 0.8, "house_rules": 1.0, "council": 1.3}


class RegulationParams(_Frozen):
    """Effect of the habitat's regulation practice on conflicts."""

    rate_multiplier: dict[Regulation, float] = Field(default_factory=_rate_multipliers)
    resolution_multiplier: dict[Regulation, float] = Field(default_factory=_resolution_multipliers)
    council_hours_per_week: Hours = 1.5


class CollectiveLifeParams(_Frozen):
    """Activities, participation and outings (tensions 7, 8)."""

    animator_hours_per_activity: Hours = 2.0
    activity_cost_eur: float = Field(default=15.0, ge=0.0)
    participation_base: Fraction = 0.55
    by_default_participation_factor: Fraction = 0.55
    conflict_participation_effect: Fraction = 0.5
    outings_per_week: float = Field(default=2.0, ge=0.0, le=21.0)
    inaccessible_outing_factor: Fraction = Field(
        default=0.25, description="Outing rate left when neighbourhood_access is 0."
    )
    animation_outing_effect: float = Field(default=0.8, ge=0.0, le=10.0)
    neighbourhood_hours_per_week: Hours = 2.0
    premises_hours_per_week: Hours = 2.0
    family_liaison_hours_per_family_week: Hours = 0.25


class PresenceParams(_Frozen):
    """Collective presence asked (function 3) by the residents at home (assumptions)."""

    # Daytime hours asked per resident at home, on top of the house's base
    # (`policies.presence_hours_per_day`), by dependency band.
    hours_per_resident_gir_1_2: Hours = 0.5
    hours_per_resident_gir_3_4: Hours = 0.15
    hours_per_resident_gir_5_6: Hours = 0.0
    weekend_factor: float = Field(
        default=1.2,
        ge=0.0,
        le=5.0,
        description="Daytime presence asked on Saturdays and Sundays, relative to weekdays.",
    )
    night_hours_per_resident_gir_1_2: float = Field(
        default=1.0,
        ge=0.0,
        le=12.0,
        description="Night presence asked per GIR 1-2 resident at home (h); only others "
        "than the animator (pooled hours, families) can give it.",
    )


class AnimatorParams(_Frozen):
    """The animator's cost, strain and its consequences (tension 8)."""

    hourly_cost_eur: float = Field(
        default=21.0,
        ge=0.0,
        description="Loaded employer cost per contracted hour, paid whether the hours are "
        "worked or not (assumption: ~EUR 2,200 gross a month for 35 h, ~45 % employer "
        "charges, 1,820 paid hours a year).",
    )
    indirect_cost_share: float = Field(
        default=0.1,
        ge=0.0,
        le=1.0,
        description="Indirect costs of the post (recruitment, supervision, payroll, travel, "
        "phone) as a share of its salary cost; departments allow 7-10 % of the AVP for them.",
    )
    strain_gain: float = Field(
        default=0.02,
        ge=0.0,
        le=1.0,
        description="Daily rate at which strain approaches a higher target (1/time constant).",
    )
    strain_recovery: float = Field(
        default=0.01,
        ge=0.0,
        le=1.0,
        description="Daily rate at which strain recovers toward a lower target (rest, slack).",
    )
    strain_half_excess: float = Field(
        default=0.5,
        gt=0.0,
        le=10.0,
        description="Workload above capacity (ratio - 1) at which the strain target is 0.5.",
    )
    strain_efficiency_loss: Fraction = 0.3
    sick_leave_rate_per_year: RatePerYear = 0.5
    strain_sick_leave_effect: float = Field(default=4.0, ge=0.0)
    mean_sick_leave_days: float = Field(default=10.0, ge=1.0)
    turnover_strain: Fraction = 0.8
    turnover_rate_per_year: RatePerYear = 1.5
    recruitment_days: float = Field(default=60.0, ge=0.0)


class QualityOfLifeParams(_Frozen):
    """How each resident's quality of life (0-1) moves."""

    # What a resident who moved to an institution counts for, from the move on, in
    # `quality_of_life_everyone` (assumption; a death counts 0).
    after_institution: Fraction = 0.5
    # Gostoli & Silverman 2020: a year of life counts exp(-c * need^1.5 * (1 + unmet)).
    qaly_need_coefficient: float = Field(default=0.18, ge=0.0, le=10.0)
    # Their care-need level (0-4: 0 / 8 / 16 / 32 / 80 h a week) read for each GIR
    # against the hours CARE finds received (assumption).
    qaly_need_level_by_gir: GirTable = _by_gir(4.0, 3.0, 2.0, 1.0, 0.5, 0.0)
    base: Fraction = 0.55
    initial: Fraction = 0.65
    adaptation_per_day: Fraction = 0.05
    participation_weight: Fraction = 0.12
    outings_weight: Fraction = 0.1
    family_weight: Fraction = 0.12
    unmet_weight: Fraction = 0.35
    conflict_weight: Fraction = 0.2
    dispute_weight: Fraction = 0.1
    rupture_weight: Fraction = 0.25
    by_default_penalty: Fraction = 0.08


class ExitParams(_Frozen):
    """Moves out of the habitat alive: to an institution, or elsewhere (docs/MODEL.md §3.3.14)."""

    # Moves to an institution by GIR for a resident whose family helps: assumptions
    # (entry to an EHPAD rises steeply with dependency; DREES ER 1082's care paths).
    institution_rate_per_year_by_gir: GirTable = _by_gir(0.2, 0.12, 0.06, 0.03, 0.008, 0.004)
    institution_multiplier: float = Field(
        default=1.0,
        ge=0.1,
        le=10.0,
        description="Scales every GIR's rate of moves to an institution (sensitivity; 1: as is).",
    )
    no_carer_multiplier: float = Field(
        default=2.0,
        ge=1.0,
        le=20.0,
        description="Institution rate x this when no family helps (assumption).",
    )
    unmet_tolerance_hours_per_week: Hours = Field(
        default=2.0, description="Unmet individual hours a week (smoothed) tolerated."
    )
    unmet_rate_per_hour_week: float = Field(
        default=0.1,
        ge=0.0,
        le=365.0,
        description="Extra institution rate a year per unmet hour a week above tolerance.",
    )
    other_rate_per_year: RatePerYear = Field(
        default=0.015, description="Moves elsewhere (family, another home): assumption."
    )


class CostParams(_Frozen):
    """What care costs, per resident per year (`cost_per_resident_year`)."""

    # National minimum tariff of an hour of APA/PCH home help in 2023 (arrete of
    # 30 December 2022): EUR 23.
    home_help_eur_per_hour: float = Field(default=23.0, ge=0.0)
    # A day in a medicine ward (assumption, see docs/MODEL.md).
    hospital_eur_per_day: float = Field(default=1000.0, ge=0.0)


class MechanismParams(_Frozen):
    """All mechanism parameters, grouped by mechanism (docs/MODEL.md, Details)."""

    needs: NeedsParams = NeedsParams()
    autonomy: AutonomyParams = AutonomyParams()
    hospital: HospitalParams = HospitalParams()
    family: FamilyParams = FamilyParams()
    providers: ProviderParams = ProviderParams()
    conflicts: ConflictParams = ConflictParams()
    disputes: DisputeParams = DisputeParams()
    regulation: RegulationParams = RegulationParams()
    collective_life: CollectiveLifeParams = CollectiveLifeParams()
    presence: PresenceParams = PresenceParams()
    animator: AnimatorParams = AnimatorParams()
    quality_of_life: QualityOfLifeParams = QualityOfLifeParams()
    exits: ExitParams = ExitParams()
    costs: CostParams = CostParams()


# --------------------------------------------------------------------------- shocks

ResidentTarget = (
    Literal["random", "most_dependent", "most_involved_family"]
    | Annotated[int, Field(ge=0, le=MAX_DWELLINGS - 1)]
)


class _Shock(_Frozen):
    day: int = Field(ge=1, description="Day the shock happens (1 is the first day).")


class FamilyWithdrawalShock(_Shock):
    """A family stops helping for good (moves away, falls ill, tires out)."""

    kind: Literal["family_withdrawal"]
    target: (
        Literal["random", "most_involved_family"]
        | Annotated[int, Field(ge=0, le=MAX_DWELLINGS - 1)]
    ) = "most_involved_family"


class AnimatorAbsenceShock(_Shock):
    """The animator is away (leave, sickness, vacancy of the post)."""

    kind: Literal["animator_absence"]
    duration_days: int = Field(default=21, ge=1, le=3650)
    replacement_share: Fraction = 0.0


class ProviderExitShock(_Shock):
    """A provider stops serving.

    `habitat` is the first listed habitat provider, `own_random` one resident's own
    provider chosen at random. With a handover, a successor takes over
    the same day; without, residents go unserved for `replacement_days` and each one
    served suffers a care-path rupture.
    """

    kind: Literal["provider_exit"]
    target: Literal["habitat", "own_random"] = "habitat"
    handover: bool = False
    replacement_days: int = Field(default=30, ge=0, le=3650)


class NewResidentShock(_Shock):
    """A new resident arrives (into a vacant dwelling; refused if there is none)."""

    kind: Literal["new_resident"]
    resident: ResidentSpec = ResidentSpec(gir=2)


class HospitalisationShock(_Shock):
    """A resident goes to hospital."""

    kind: Literal["hospitalisation"]
    target: ResidentTarget = "most_dependent"
    duration_days: int = Field(default=14, ge=1, le=365)


Shock = Annotated[
    FamilyWithdrawalShock
    | AnimatorAbsenceShock
    | ProviderExitShock
    | NewResidentShock
    | HospitalisationShock,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- scenario


class Scenario(_Frozen):
    """One habitat, its people, its policies and what happens to it."""

    name: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[^\x00-\x1f\x7f]+$")] = (
        "Scenario"
    )
    description: str = Field(default="", max_length=2000)
    days: int = Field(default=365, ge=1, le=3650, description="Default horizon (days).")
    habitat: HabitatSpec = HabitatSpec()
    residents: ResidentsSpec = ResidentsSpec(generate=PopulationGenerator())
    families: FamiliesSpec = FamiliesSpec()
    providers: ProvidersSpec = ProvidersSpec()
    animator: AnimatorSpec = AnimatorSpec()
    policies: PoliciesSpec = PoliciesSpec()
    entry: EntrySpec = EntrySpec()
    mechanisms: MechanismParams = MechanismParams()
    shocks: list[Shock] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _fits_the_building(self) -> Scenario:
        if self.residents.count > self.habitat.dwellings:
            where = "members" if self.residents.members is not None else "generate.count"
            raise ValueError(
                f"residents.{where}: {self.residents.count} residents do not fit in "
                f"habitat.dwellings = {self.habitat.dwellings}"
            )
        agreed = self.habitat.avp_agreed_residents
        if agreed is not None and agreed > self.habitat.dwellings:
            raise ValueError(
                f"habitat.avp_agreed_residents: {agreed} residents agreed do not fit in "
                f"habitat.dwellings = {self.habitat.dwellings}"
            )
        for i, shock in enumerate(self.shocks):
            if shock.day > self.days:
                raise ValueError(
                    f"shocks.{i}.day: day {shock.day} is after the horizon of {self.days} days"
                )
            target = getattr(shock, "target", None)
            if isinstance(target, int) and target >= self.habitat.dwellings:
                raise ValueError(
                    f"shocks.{i}.target: dwelling {target} does not exist "
                    f"(dwellings are numbered 0 to {self.habitat.dwellings - 1})"
                )
        return self

    def with_days(self, days: int) -> Scenario:
        """Return a copy with another horizon, validated like the file."""
        return scenario_from_data({**self.model_dump(mode="json"), "days": days}, source="--days")


# --------------------------------------------------------------------------- loading


class ScenarioError(ValueError):
    """A scenario file or override is invalid; `str()` is the message a user sees."""

    def __init__(
        self, source: str, problems: Iterable[tuple[str, str]], overrides: Iterable[str] = ()
    ):
        self.source = source
        self.problems = list(problems)
        lines = []
        for path, reason in self.problems:
            origin = source
            for text in overrides:
                target = text.partition("=")[0].strip()
                if path == target or path.startswith(target + "."):
                    origin = f"{source} (--set {text})"
            lines.append(f"{origin}: {path}: {reason}" if path else f"{origin}: {reason}")
        super().__init__("\n".join(lines))


def load_scenario(path: str | Path, overrides: Iterable[str] = ()) -> Scenario:
    """Read, override and validate a scenario file.

    Args:
        path: a YAML scenario file.
        overrides: `dotted.path=value` strings applied before validation.

    Returns:
        The validated, frozen scenario.

    Raises:
        ScenarioError: the file is missing or unreadable, is not valid YAML, or a field
            (from the file or an override) is unknown, of the wrong type or out of range.
    """
    source = str(path)
    try:
        data = load_yaml(path, "scenario file")
    except YamlFileError as exc:
        raise ScenarioError(source, [("", exc.reason)]) from None
    overrides = list(overrides)
    data = apply_overrides(data, overrides)
    try:
        return scenario_from_data(data, source=source)
    except ScenarioError as exc:
        raise ScenarioError(source, exc.problems, overrides) from None


def scenario_from_data(data: Mapping[str, Any], source: str = "scenario") -> Scenario:
    """Validate plain data as a scenario, translating errors into user messages."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(source, field_problems(exc, Scenario, _SHOCK_KINDS)) from None


def parse_override(text: str) -> tuple[str, Any]:
    """Split `dotted.path=value`; the value is read as YAML (`3`, `0.5`, `true`, `[1, 2]`)."""
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise ScenarioError("--set", [(text, "expected dotted.path=value")])
    try:
        value = yaml.safe_load(raw) if raw.strip() else ""
    except yaml.YAMLError:
        value = raw
    return path, value


def apply_overrides(data: Mapping[str, Any], overrides: Iterable[str]) -> dict[str, Any]:
    """Return a copy of `data` with each `dotted.path=value` override set.

    Paths walk mappings by key and lists by index (`residents.members.0.gir=2`).
    Unknown paths are reported by validation afterwards, except where the walk itself
    cannot go on (an index out of range, a path through a plain value).
    """
    result = copy.deepcopy(dict(data))
    for text in overrides:
        path, value = parse_override(text)
        keys = path.split(".")
        node: Any = result
        for depth, key in enumerate(keys):
            last = depth == len(keys) - 1
            where = ".".join(keys[: depth + 1])
            if isinstance(node, list):
                if not key.isdigit() or int(key) >= len(node):
                    raise ScenarioError(
                        "--set", [(where, f"no item {key} in a list of {len(node)}")]
                    )
                if last:
                    node[int(key)] = value
                else:
                    node = node[int(key)]
            elif isinstance(node, dict):
                if last:
                    node[key] = value
                else:
                    child = node.get(key)
                    if child is None:
                        if keys[depth + 1].isdigit():
                            raise ScenarioError("--set", [(where, "there is no list here")])
                        child = node[key] = {}
                    node = child
            else:
                raise ScenarioError("--set", [(where, "cannot set a field inside a plain value")])
    return result


#: The tags of the shocks' union, which pydantic puts in an error's location.
_SHOCK_KINDS = {
    "family_withdrawal",
    "animator_absence",
    "provider_exit",
    "new_resident",
    "hospitalisation",
}

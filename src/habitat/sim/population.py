"""Who lives in the habitat: the initial residents and the people who move in later."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from habitat.domain import PUBLICS
from habitat.scenario import PopulationGenerator, ResidentSpec, Scenario
from habitat.sim.state import (
    DAY,
    LONG_AGO,
    FamilyState,
    HabitatState,
    ResidentState,
)

#: Zipf exponent of family help at concentration 1: the most involved of six families
#: then gives ~84 % of all family hours (at 0.3: ~38 %; at 0: an even share).
MAX_CONCENTRATION_EXPONENT = 3.0
#: A family's help is drawn from a gamma law with this shape (coefficient of variation
#: 1/sqrt(2)): most families give a few hours, some give many.
FAMILY_HOURS_SHAPE = 2.0
#: Nobody gives more than 10 hours a day, every day.
MAX_FAMILY_HOURS_PER_WEEK = 70.0
#: Age of elderly residents on entry: 5-year bands from 60 and their weights. DREES
#: ER 724 (Debout 2010) gives 3 % of APA entrants at 60-64, 26 % at 80-84, 24 % at
#: 85-89 and 6 % at 95+, and a mean age of 83; the other bands share the rest so that
#: the mean is 83 (assumption). A resident's age is uniform within the band.
ELDERLY_AGE_BANDS = (60, 65, 70, 75, 80, 85, 90, 95)
ELDERLY_AGE_WEIGHTS = (0.03, 0.04, 0.07, 0.16, 0.26, 0.24, 0.14, 0.06)
#: Width of the last band (95-99).
AGE_BAND_YEARS = 5
#: Share of men among elderly residents: 31 % of APA entrants in 2007 (DREES ER 724).
ELDERLY_SHARE_MEN = 0.31
#: Disabled residents' age on entry, uniform (assumption: adults of working age).
DISABLED_AGE_RANGE = (20.0, 60.0)
#: Share of men among disabled residents (assumption).
DISABLED_SHARE_MEN = 0.55
#: Days in a year, for ages.
DAYS_PER_YEAR = 365.25

#: The age bands' cumulative shares, where each band starts in them, and where it
#: starts in years: the tables `draw_ages` reads, computed once.
_AGE_CUMULATIVE = np.cumsum(ELDERLY_AGE_WEIGHTS) / np.sum(ELDERLY_AGE_WEIGHTS)
_AGE_LOW = np.concatenate([[0.0], _AGE_CUMULATIVE[:-1]])
_AGE_BAND_START = np.array(ELDERLY_AGE_BANDS, dtype=float)


@dataclass
class Profiles:
    """Drawn characteristics of n people, one array each, length n."""

    public: np.ndarray
    gir: np.ndarray
    entered_by_default: np.ndarray
    own_providers: np.ndarray
    family_hours_per_week: np.ndarray  # the family's hours at GIR 4 (its involvement)
    age: np.ndarray  # float years on entry
    male: np.ndarray  # bool

    def __len__(self) -> int:
        return len(self.gir)

    @classmethod
    def concat(cls, parts: list[Profiles]) -> Profiles:
        """The people of several draws, in order."""
        return cls(**{k: np.concatenate([vars(p)[k] for p in parts]) for k in vars(parts[0])})


def spec_profiles(specs: list[ResidentSpec], hours_factor: tuple[float, ...]) -> Profiles:
    """Profiles of explicitly listed residents, in list order.

    A member's family hours are its usual hours at the member's GIR; the profile
    keeps them as hours at GIR 4 (divided by `hours_factor`, the family's hours by
    GIR relative to GIR 4), so that they follow the GIR from then on. An age left
    out is NaN and a sex left out reads as a woman here, until `draw_unknown` draws
    both for each replication.
    """
    gir = np.array([s.gir for s in specs], dtype=np.int8)
    hours = np.array([s.family_hours_per_week for s in specs], dtype=float)
    factor = np.asarray(hours_factor, dtype=float)[gir - 1]
    return Profiles(
        public=np.array([PUBLICS.index(s.public) for s in specs], dtype=np.int8),
        gir=gir,
        entered_by_default=np.array([s.entered_by_default for s in specs], dtype=bool),
        own_providers=np.array([s.own_providers for s in specs], dtype=bool),
        family_hours_per_week=np.divide(hours, factor, out=np.zeros_like(hours), where=factor > 0),
        age=np.array([np.nan if s.age is None else s.age for s in specs], dtype=float),
        male=np.array([s.sex == "male" for s in specs], dtype=bool),
    )


def usual_family_hours(
    involvement: np.ndarray, gir: np.ndarray, hours_factor: tuple[float, ...] | np.ndarray
) -> np.ndarray:
    """A family's usual hours a week: its hours at GIR 4 scaled to its relative's GIR.

    Capped at `MAX_FAMILY_HOURS_PER_WEEK`.
    """
    factor = np.asarray(hours_factor, dtype=float)[gir - 1]
    return np.minimum(involvement * factor, MAX_FAMILY_HOURS_PER_WEEK)


def draw_ages(u: np.ndarray, public: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Age on entry (years) and sex (True for a man) of people of these publics.

    `u`: two uniforms per person, (2, n), drawn at once by the caller.
    """
    elderly = public == 0
    band = _pick(_AGE_WEIGHTS_CUMULATIVE, u[0])
    # The rank within the band reuses the band draw: uniform within it given the band.
    low = _AGE_LOW[band]
    within = (u[0] - low) / (_AGE_CUMULATIVE[band] - low)
    old = _AGE_BAND_START[band] + AGE_BAND_YEARS * within
    young_low, young_high = DISABLED_AGE_RANGE
    young = young_low + (young_high - young_low) * u[0]
    age = np.where(elderly, old, young)
    male = u[1] < np.where(elderly, ELDERLY_SHARE_MEN, DISABLED_SHARE_MEN)
    return age, male


def draw_unknown(profiles: Profiles, u: np.ndarray, specs: list[ResidentSpec]) -> None:
    """Draw the age and sex that members (`specs`, repeated along `profiles`) leave out.

    `u`: two uniforms per person, (2, n), as for `draw_ages`.
    """
    age, male = draw_ages(u, profiles.public)
    n = len(specs)
    given_age = np.tile(np.array([s.age is not None for s in specs]), len(profiles) // n)
    given_sex = np.tile(np.array([s.sex is not None for s in specs]), len(profiles) // n)
    profiles.age = np.where(given_age, profiles.age, age)
    profiles.male = np.where(given_sex, profiles.male, male)


def draw_profiles(scenario: Scenario, rng: np.random.Generator, n: int) -> Profiles:
    """Draw n people who could move in, each independently.

    With a population generator, people follow its shares and distributions and
    families give gamma-distributed hours around `families.hours_per_week`. With an
    explicit member list, each newcomer copies a member drawn at random: newcomers
    resemble the habitat's initial population.
    """
    members = scenario.residents.members
    if members is not None:
        # A newcomer copies a member: their public, GIR, family... and their age on
        # entry and sex as given, else drawn afresh.
        pick = rng.integers(0, len(members), size=n)
        profiles = spec_profiles(members, scenario.mechanisms.family.hours_factor_by_gir)
        copied = Profiles(**{k: v[pick] for k, v in vars(profiles).items()})
        draw_unknown(copied, rng.random((2, n)), [members[i] for i in pick] if n else members)
        return copied
    gen = scenario.residents.generate
    assert gen is not None  # a scenario has members or a generator (`ResidentsSpec`)
    tables = _GeneratorTables.of(gen)
    # Uniforms in two draws, a row for each use: the same numbers, in the same order,
    # as one draw of n for each (disability, elderly, GIR, family; then entry by
    # default, own providers and the two of `draw_ages`), the gamma hours between.
    first = rng.random((4, n))
    disability = tables.kinds[_pick(tables.kinds_cumulative, first[0])]
    elderly = first[1] < gen.share_elderly
    gir = tables.levels[_pick(tables.levels_cumulative, first[2])]
    families = scenario.families
    has_family = first[3] >= families.share_no_family
    hours = rng.gamma(FAMILY_HOURS_SHAPE, families.hours_per_week / FAMILY_HOURS_SHAPE, size=n)
    public = np.where(elderly, 0, disability).astype(np.int8)
    then = rng.random((4, n))
    entered_by_default = then[0] < gen.share_entered_by_default
    own_providers = then[1] < scenario.providers.share_own
    age, male = draw_ages(then[2:], public)
    return Profiles(
        public=public,
        gir=gir,
        entered_by_default=entered_by_default,
        own_providers=own_providers,
        family_hours_per_week=np.where(
            has_family, np.minimum(hours, MAX_FAMILY_HOURS_PER_WEEK), 0.0
        ),
        age=age,
        male=male,
    )


def _pick(cumulative: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Indices with probabilities given by `cumulative` weights (`_cumulative`), from `u`."""
    return np.minimum(
        np.searchsorted(cumulative, u * cumulative[-1], side="right"), len(cumulative) - 1
    )


@lru_cache(maxsize=256)
def _cumulative(weights: tuple[float, ...]) -> np.ndarray:
    """The cumulative sum of some weights, computed once for each set of weights."""
    cumulative = np.cumsum(weights)
    cumulative.flags.writeable = False
    return cumulative


#: The age bands' cumulative weights, as `_cumulative` gives them (for `_pick`).
_AGE_WEIGHTS_CUMULATIVE = _cumulative(ELDERLY_AGE_WEIGHTS)


@dataclass(frozen=True)
class _GeneratorTables:
    """What `draw_profiles` reads of a population generator, worked out once for each."""

    kinds: np.ndarray  # int8 public of each disability, in the mix's order
    kinds_cumulative: np.ndarray  # their cumulative weights (`_cumulative`)
    levels: np.ndarray  # int8 GIR levels, ascending
    levels_cumulative: np.ndarray  # their cumulative weights

    @staticmethod
    def of(generator: PopulationGenerator) -> _GeneratorTables:
        """The tables of `generator` (cached on its disability mix and GIR distribution).

        The generators met last are remembered by identity (a frozen scenario's
        generator is the same object all run long): a newcomer's draw then skips
        building the keys of the cache on contents.
        """
        key = id(generator)
        known = _TABLES_BY_IDENTITY.get(key)
        if known is not None and known[0] is generator:
            return known[1]
        tables = _generator_tables(
            tuple(generator.disability_mix.items()), tuple(generator.gir_distribution.items())
        )
        if len(_TABLES_BY_IDENTITY) >= _IDENTITIES_KEPT:
            _TABLES_BY_IDENTITY.pop(next(iter(_TABLES_BY_IDENTITY)))
        _TABLES_BY_IDENTITY[key] = (generator, tables)
        return tables


#: `_GeneratorTables.of`'s last generators, by `id` (each kept alive, so its id stays its own).
_TABLES_BY_IDENTITY: dict[int, tuple[PopulationGenerator, _GeneratorTables]] = {}
_IDENTITIES_KEPT = 16


@lru_cache(maxsize=256)
def _generator_tables(
    disability_mix: tuple[tuple[str, float], ...], gir_distribution: tuple[tuple[int, float], ...]
) -> _GeneratorTables:
    """`_GeneratorTables` of a disability mix and a GIR distribution, as (key, weight) pairs."""
    mix = dict(disability_mix)
    distribution = dict(gir_distribution)
    levels = sorted(distribution)
    return _GeneratorTables(
        kinds=np.array([PUBLICS.index(k) for k in mix], dtype=np.int8),
        kinds_cumulative=_cumulative(tuple(mix.values())),
        levels=np.array(levels, dtype=np.int8),
        levels_cumulative=_cumulative(tuple(distribution[g] for g in levels)),
    )


def concentrate_family_hours(
    has_family: np.ndarray, mean_hours: float, concentration: float, rng: np.random.Generator
) -> np.ndarray:
    """Share the habitat's family hours between its families, per replication.

    The total is `mean_hours` per family; it is split by a Zipf law whose exponent
    grows with `concentration`, the ranks given to families at random.

    Args:
        has_family: bool (D, R), which residents have a family.
        mean_hours: mean hours a week per family.
        concentration: 0 (even) to 1 (nearly all on one family).
        rng: the model's generator.

    Returns:
        Hours a week per family, shape (D, R), 0 where there is no family.
    """
    keys = np.where(has_family, rng.random(has_family.shape), np.inf)
    rank = np.argsort(np.argsort(keys, axis=0, kind="stable"), axis=0, kind="stable")
    weights = np.where(has_family, (rank + 1.0) ** (-MAX_CONCENTRATION_EXPONENT * concentration), 0)
    total = weights.sum(axis=0, keepdims=True)
    families = has_family.sum(axis=0, keepdims=True)
    share = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    return np.minimum(share * families * mean_hours, MAX_FAMILY_HOURS_PER_WEEK)


def initial_state(scenario: Scenario, replications: int, rng: np.random.Generator) -> HabitatState:
    """The habitat on day 0: residents in dwellings 0..n-1, the rest vacant."""
    dwellings = scenario.habitat.dwellings
    grid = (dwellings, replications)
    n = scenario.residents.count
    members = scenario.residents.members
    if members is not None:
        drawn = spec_profiles(members, scenario.mechanisms.family.hours_factor_by_gir)
        columns = {k: np.repeat(v[:, None], replications, axis=1) for k, v in vars(drawn).items()}
        if any(m.age is None or m.sex is None for m in members):
            # What the members leave out is drawn in each replication, replication by
            # replication (members in list order within each).
            tiled = Profiles(**{k: np.tile(v, replications) for k, v in vars(drawn).items()})
            draw_unknown(tiled, rng.random((2, len(tiled))), members)
            columns["age"] = tiled.age.reshape(replications, n).T
            columns["male"] = tiled.male.reshape(replications, n).T
    else:
        drawn = draw_profiles(scenario, rng, n * replications)
        columns = {k: v.reshape(n, replications) for k, v in vars(drawn).items()}
        columns["family_hours_per_week"] = concentrate_family_hours(
            columns["family_hours_per_week"] > 0,
            scenario.families.hours_per_week,
            scenario.families.concentration,
            rng,
        )

    def grid_of(key: str, dtype, fill=0) -> np.ndarray:
        out = np.full(grid, fill, dtype=dtype)
        out[:n] = columns[key]
        return out

    occupied = np.zeros(grid, dtype=bool)
    occupied[:n] = True
    involvement = grid_of("family_hours_per_week", float)
    gir = grid_of("gir", np.int8, fill=6)
    family_hours = usual_family_hours(
        involvement, gir, scenario.mechanisms.family.hours_factor_by_gir
    )
    habitat_providers = len(scenario.providers.habitat)
    qol = scenario.mechanisms.quality_of_life.initial
    residents = ResidentState(
        occupied=occupied,
        public=grid_of("public", np.int8),
        gir=gir,
        born_on=-np.rint(grid_of("age", float) * DAYS_PER_YEAR).astype(DAY),
        male=grid_of("male", bool),
        entered_on=np.zeros(grid, dtype=DAY),
        entered_by_default=grid_of("entered_by_default", bool),
        own_providers=grid_of("own_providers", bool),
        habitat_provider=rng.integers(0, habitat_providers, size=grid).astype(np.int8),
        hospital_days_left=np.zeros(grid, dtype=DAY),
        quality_of_life=np.where(occupied, qol, 0.0),
        unmet_share=np.zeros(grid),
        outing_rate=np.zeros(grid),
        rupture_load=np.zeros(grid),
        last_participation=np.full(grid, LONG_AGO, dtype=DAY),
        readmission_risk_until=np.zeros(grid, dtype=DAY),
        readmission_multiplier=np.ones(grid),
        dispute_open=np.zeros(grid, dtype=bool),
        agreement_until=np.zeros(grid, dtype=DAY),
    )
    families = FamilyState(
        hours_per_week=family_hours,
        involvement=involvement,
        active=family_hours > 0,
        fatigue=np.zeros(grid),
    )
    return HabitatState(
        residents=residents,
        families=families,
        own_provider_back_on=np.zeros(grid, dtype=DAY),
        habitat_provider_back_on=np.zeros((habitat_providers, replications), dtype=DAY),
        conflicts_open=np.zeros(replications, dtype=np.int64),
        avp_balance_eur=np.zeros(replications),
        animator_strain=np.zeros(replications),
        animator_absent_until=np.zeros(replications, dtype=DAY),
        animator_replacement_share=np.zeros(replications),
        animator_post_vacant_until=np.zeros(replications, dtype=DAY),
        coordination_coverage=np.ones(replications),
        institution_exits=np.zeros(replications, dtype=np.int64),
        institution_stay_days=np.zeros(replications, dtype=np.int64),
        people_seen=occupied.sum(axis=0).astype(float),
        leavers_quality=np.zeros(replications),
    )


def move_in(
    state: HabitatState,
    slot: int,
    who: np.ndarray,
    profiles: Profiles,
    day: int,
    quality_of_life: float | np.ndarray,
    hours_factor: tuple[float, ...],
) -> None:
    """Settle newcomers into dwelling `slot` in the replications where `who` is true.

    Args:
        state: the model state, changed in place.
        slot: the dwelling.
        who: bool (R,), replications where someone moves in.
        profiles: the newcomers, one per true entry of `who`, in replication order.
        day: today.
        quality_of_life: a newcomer's starting quality of life (one, or one per newcomer).
        hours_factor: a family's hours by GIR relative to GIR 4.
    """
    r = state.residents
    f = state.families
    who = np.flatnonzero(who)  # integer indices: cheaper than a mask, used 20 times
    # Each array's row `slot` (a view) indexed by `who`: the same cells as [slot, who],
    # written through a simpler (one-dimensional) index, at a fraction of the cost.
    r.occupied[slot][who] = True
    r.public[slot][who] = profiles.public
    r.gir[slot][who] = profiles.gir
    r.born_on[slot][who] = day - np.rint(profiles.age * DAYS_PER_YEAR).astype(DAY)
    r.male[slot][who] = profiles.male
    r.entered_on[slot][who] = day
    r.entered_by_default[slot][who] = profiles.entered_by_default
    r.own_providers[slot][who] = profiles.own_providers
    r.hospital_days_left[slot][who] = 0
    r.quality_of_life[slot][who] = quality_of_life
    r.unmet_share[slot][who] = 0.0
    r.outing_rate[slot][who] = 0.0
    r.rupture_load[slot][who] = 0.0
    r.last_participation[slot][who] = LONG_AGO
    r.readmission_risk_until[slot][who] = 0
    r.readmission_multiplier[slot][who] = 1.0
    r.dispute_open[slot][who] = False
    r.agreement_until[slot][who] = 0
    state.own_provider_back_on[slot][who] = day
    f.involvement[slot][who] = profiles.family_hours_per_week
    f.hours_per_week[slot][who] = usual_family_hours(
        profiles.family_hours_per_week, profiles.gir, hours_factor
    )
    f.active[slot][who] = f.hours_per_week[slot][who] > 0
    f.fatigue[slot][who] = 0.0


def move_out(
    state: HabitatState, slot: int | slice, who: np.ndarray | tuple[np.ndarray, ...]
) -> None:
    """Empty dwelling `slot` where `who` is true; the family leaves with its relative.

    `slot` may also be `slice(None)`, every dwelling, with `who` then (D, R), or the
    (rows, columns) of the cells to empty.
    """
    r = state.residents
    for grid, empty in (
        (r.occupied, False),
        (r.hospital_days_left, 0),
        (r.dispute_open, False),
        (r.quality_of_life, 0.0),
        (state.families.active, False),
        (state.families.hours_per_week, 0.0),
        (state.families.involvement, 0.0),
    ):
        grid[slot][who] = empty

"""Pattern-oriented validation: run each pattern's scenario, compare with the published figure.

Used by `habitat validate` (patterns.yaml) and reusable on calibration targets
(targets.yaml): each entry's scenario runs once at its longest horizon, its
statistic is read, and a verdict says whether the model's 90 % interval meets the
published interval.
"""

from __future__ import annotations

import platform
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from habitat.evidence import Evidence
from habitat.experiment.observe import Observation, observe
from habitat.experiment.statistics import STATISTICS, Measure, NotMeasurable
from habitat.scenario import Scenario, load_scenario
from habitat.sim.output import VERSIONED_PACKAGES, git_commit, package_versions

__all__ = [
    "BOOTSTRAP_SAMPLES",
    "Verdict",
    "check",
    "interval",
    "manifest",
    "run_evidence",
    "shipped_scenario",
    "verdict",
]

#: The model's interval: 5th to 95th percentile, as in every summary of the project.
PERCENTILES = (5.0, 50.0, 95.0)
#: Resamples of the replications for the interval of a share pooled over them.
BOOTSTRAP_SAMPLES = 1000


@dataclass(frozen=True)
class Verdict:
    """One entry compared with the model."""

    id: str
    source: str
    statement: str
    unit: str
    horizon_days: int
    model_median: float
    model_low: float
    model_high: float
    published: float
    published_low: float
    published_high: float
    verdict: str
    over: str
    note: str = ""


def interval(measure: Measure, rng: np.random.Generator) -> tuple[float, float, float, str]:
    """The model's median and 90 % interval, and what they are over.

    A share of people pools the replications (their people weigh in), and its
    interval comes from resampling the replications; a quantity of the habitat is
    read over the replications that measured it.

    Returns:
        (low, median, high, over): `over` says which of the two it is.

    Raises:
        NotMeasurable: no replication had anyone to measure.
    """
    values = measure.values
    kept = ~np.isnan(values)
    if not kept.any():
        raise NotMeasurable(f"nobody to measure in any of the {values.size} replications")
    if measure.people is None:
        low, median, high = np.percentile(values[kept], PERCENTILES)
        return float(low), float(median), float(high), f"{int(kept.sum())} habitats"
    people = measure.people
    counts = np.where(kept, values * people, 0.0)
    picks = rng.integers(0, values.size, size=(BOOTSTRAP_SAMPLES, values.size))
    totals = people[picks].sum(axis=1)
    shares = np.divide(
        counts[picks].sum(axis=1), totals, out=np.full(BOOTSTRAP_SAMPLES, np.nan), where=totals > 0
    )
    # Every resample holds a replication with people, as some replication has them,
    # unless all were drawn from the empty ones: those resamples are left out.
    low, _, high = np.percentile(shares[~np.isnan(shares)], PERCENTILES)
    return float(low), measure.pooled, float(high), f"{int(people.sum())} people pooled"


def verdict(low: float, high: float, published: tuple[float, float]) -> str:
    """'consistent' when the intervals meet, else 'too low' or 'too high'."""
    if high < published[0]:
        return "too low"
    if low > published[1]:
        return "too high"
    return "consistent"


def check(entry: Evidence, observation: Observation, rng: np.random.Generator) -> Verdict:
    """Compare one entry with an observed run of its scenario."""
    horizon = min(entry.horizon_days, observation.days)
    common: dict[str, Any] = {
        "id": entry.id,
        "source": entry.source.short,
        "statement": entry.statement,
        "unit": entry.unit,
        "horizon_days": horizon,
        "published": entry.value,
        "published_low": entry.interval[0],
        "published_high": entry.interval[1],
    }
    try:
        measure = STATISTICS[entry.statistic](observation, horizon)
        low, median, high, over = interval(measure, rng)
    except NotMeasurable as why:
        nan = float("nan")
        return Verdict(
            **common,
            model_median=nan,
            model_low=nan,
            model_high=nan,
            verdict="not measurable",
            over="",
            note=str(why),
        )
    return Verdict(
        **common,
        model_median=median,
        model_low=low,
        model_high=high,
        verdict=verdict(low, high, entry.interval),
        over=over,
        note=entry.caveat,
    )


def shipped_scenario(scenario: str) -> Scenario:
    """The shipped scenario with this id (its file's stem in src/habitat/scenarios/)."""
    path = resources.files("habitat") / "scenarios" / f"{scenario}.yaml"
    return load_scenario(str(path))


def run_evidence(
    entries: Sequence[Evidence],
    replications: int,
    seed: int,
    days: int | None = None,
    scenario_of: Callable[[str], Scenario] | None = None,
) -> list[Verdict]:
    """Run each entry's scenario once (at its entries' longest horizon) and compare.

    Args:
        entries: targets or patterns.
        replications: replications of each scenario.
        seed: seed of every run and of the resampling.
        days: cap on every horizon (a quick check); None keeps the entries'.
        scenario_of: the scenario to run for an entry's scenario id; by default the
            shipped file. A calibration passes the same scenario with candidate
            parameters.

    Returns:
        One verdict per entry, in order.
    """
    scenario_of = scenario_of or shipped_scenario
    horizons: dict[str, int] = {}
    for entry in entries:
        horizon = entry.horizon_days if days is None else min(entry.horizon_days, days)
        horizons[entry.scenario] = max(horizons.get(entry.scenario, 0), horizon)
    observations = {
        scenario: observe(scenario_of(scenario), replications, seed, horizon)
        for scenario, horizon in horizons.items()
    }
    rng = np.random.default_rng(seed)
    checked = []
    for entry in entries:
        observation = observations[entry.scenario]
        if days is not None and entry.horizon_days > days:
            entry = entry.model_copy(update={"horizon_days": days})
        checked.append(check(entry, observation, rng))
    return checked


def table(verdicts: Sequence[Verdict]) -> pd.DataFrame:
    """The verdicts as a table, one row per entry."""
    return pd.DataFrame([asdict(v) for v in verdicts])


def manifest(
    verdicts: Sequence[Verdict], kind: str, replications: int, seed: int, days: int | None
) -> dict[str, Any]:
    """What is needed to reproduce a validation, and what it ran on."""
    return {
        "command": "habitat validate",
        "date": datetime.now(UTC).date().isoformat(),
        "evidence": kind,
        "replications": replications,
        "seed": seed,
        "days_cap": days,
        "entries": [v.id for v in verdicts],
        "verdicts": {v.id: v.verdict for v in verdicts},
        "versions": {"python": platform.python_version(), **package_versions(VERSIONED_PACKAGES)},
        "git_commit": git_commit(),
        "files": {"table": "validation.csv"},
    }

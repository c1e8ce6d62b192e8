"""The habitat's own parameters, fitted to its own records (history matching).

A few of the model's parameters say how *this* habitat lives rather than how
habitats live in general: how often its residents fall out, how fast a conflict
is settled, how often autonomy and safety are at odds, how readily residents join
an activity. `fit` calibrates them on the habitat's observed figures
(`habitat.twin.observed.MEASURES`, read from `store.pseudonymise.observations`)
with the history matching of the general calibration
(`habitat.experiment.calibration`: `implausibility`, `refocus`, `mark`, `weigh`,
`weighted_interval`), the general model as the prior:

- **Prior.** Each parameter's range is centred on the value the scenario carries
  (the general model's: the scenario defaults, which `habitat calibrate` does not
  fit for these parameters, so they are the general calibration's values): a
  factor either side for a rate (uniform on the log scale, so the general value
  is the prior's median), a band either side for a share.
- **Targets.** Each observed measure the parameter drives, with the observation's
  own 90 % interval (Jeffreys) as its uncertainty: a figure resting on few events
  has a wide interval, rules little out and so constrains the parameter little.
- **Waves.** Candidates drawn by a Latin hypercube over the current box (on the
  log scale for rates) run side by side in one batched model
  (`habitat.sim.run.simulate_batch`, common seeds); a candidate whose
  implausibility exceeds 3 on any target is ruled out, and the next wave draws in
  the box of those kept (refocusing).
- **Posterior.** Every wave's kept candidates, each weighed by exp(-sum I^2 / 2)
  divided by the density it was drawn from (the mixture of the waves' boxes,
  against the prior's: importance sampling), so that refocusing speeds the search
  without narrowing the posterior by itself (the general calibration keeps its
  last wave only). A parameter's calibrated value is its weighted mean, its
  interval the weighted 5th-95th percentiles; when the weights rest on fewer than
  `FEW_EFFECTIVE` effective candidates, the interval is read over the kept
  candidates under the prior alone (the region not ruled out: wider, and honest
  about a thin posterior).

The Latin hypercube is drawn with numpy alone (`latin_hypercube`): scipy is not
in the app's dependencies and the animator's screen runs this calibration. The
general calibration keeps scipy's sampler, so its published results do not move.

Assumptions (said in docs/MODEL.md): the records see every tension of the kinds
counted (under-recording makes the fitted rates too low); the parameters not
fitted keep their general values (so `resolution_per_day` absorbs anything that
lengthens a conflict); the disputes' agreement rate is not fitted (only their
number open is observed, so rate and duration cannot be told apart); the window's
start is the habitat as its records stood then.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from habitat.experiment.calibration import (
    CUTOFF,
    Parameter,
    implausibility,
    mark,
    refocus,
    weigh,
    weighted_interval,
    with_values,
)
from habitat.scenario import Scenario
from habitat.sim.run import SimulationResult
from habitat.twin.observed import FEW_EVENTS, HIGH, LOW, MEASURES, Estimate, Measure

__all__ = [
    "PARAMETERS",
    "CalibrationStopped",
    "ParameterFit",
    "TargetFit",
    "TwinCalibration",
    "TwinParameter",
    "fit",
    "latin_hypercube",
    "observations_from_run",
    "prior_of",
]


@dataclass(frozen=True)
class TwinParameter:
    """A habitat-specific parameter: where it sits, its prior around the general value.

    Attributes:
        path: the scenario path (as `--set` takes it).
        label_fr: what it is, in French (the animator's screen).
        targets: keys of the `MEASURES` it drives (its targets).
        factor: for a rate, the prior spans general / factor to general x factor,
            uniform on the log scale; None for a share.
        half_width: for a share, the prior spans general +- half_width (in [0.02, 0.98]).
        basis: why this range.
    """

    path: str
    label_fr: str
    targets: tuple[str, ...]
    factor: float | None = None
    half_width: float | None = None
    basis: str = ""

    @property
    def log(self) -> bool:
        """Drawn on the log scale (a rate)."""
        return self.factor is not None


PARAMETERS: tuple[TwinParameter, ...] = (
    TwinParameter(
        "mechanisms.conflicts.rate_per_resident_per_year",
        "Fréquence des conflits (par habitant et par an)",
        ("conflicts_per_month", "conflicts_open"),
        factor=4.0,
        basis="a habitat may see a quarter to four times the general rate (2 a year)",
    ),
    TwinParameter(
        "mechanisms.conflicts.resolution_per_day",
        "Chance qu'un conflit se règle dans la journée (régulation pleine)",
        ("conflicts_open",),
        factor=5.0,
        basis="a conflict settled in a fifth to five times the general time (about a week)",
    ),
    TwinParameter(
        "mechanisms.disputes.rate_per_resident_per_year",
        "Fréquence des désaccords autonomie / sécurité (par habitant et par an)",
        ("autonomy_safety_open",),
        factor=5.0,
        basis="a fifth to five times the general rate (1 a year); it also stands for "
        "how long a disagreement lasts, which the records cannot tell apart from it",
    ),
    TwinParameter(
        "mechanisms.collective_life.participation_base",
        "Propension à participer aux activités",
        ("participation",),
        half_width=0.4,
        basis="a share: the general 0.55 plus or minus 0.4",
    ),
)

_MEASURE = {m.key: m for m in MEASURES}
#: A posterior resting on fewer effective candidates than this has a rough interval.
FEW_EFFECTIVE = 10


class CalibrationStopped(RuntimeError):  # noqa: N818 - reads as what happened, like `Stopped`
    """The calibration was stopped before its first wave ended: nothing to show."""


def value_at(scenario: Scenario, path: str) -> float:
    """The number at a scenario path."""
    node: Any = scenario
    for part in path.split("."):
        node = node[int(part) - 1] if isinstance(node, list) else getattr(node, part)
    return float(node)


def prior_of(parameter: TwinParameter, general: float) -> tuple[float, float]:
    """The prior range around the general value."""
    if parameter.factor is not None:
        return general / parameter.factor, min(general * parameter.factor, _upper(parameter))
    half = parameter.half_width or 0.0
    return max(general - half, 0.02), min(general + half, 0.98)


def _upper(parameter: TwinParameter) -> float:
    """Shares and daily chances cannot pass 1."""
    return 1.0 if parameter.path.endswith("_per_day") else math.inf


def _to_design(parameter: TwinParameter, values: Any) -> Any:
    return np.log(values) if parameter.log else values


def _from_design(parameter: TwinParameter, values: Any) -> Any:
    return np.exp(values) if parameter.log else values


def _prior_interval(parameter: TwinParameter, prior: tuple[float, float]) -> tuple[float, float]:
    """The prior's own 90 % interval (uniform on the design scale)."""
    low, high = _to_design(parameter, np.asarray(prior, dtype=float))
    ends = low + (high - low) * np.array([LOW, HIGH]) / 100.0
    return tuple(float(v) for v in _from_design(parameter, ends))  # type: ignore[return-value]


def latin_hypercube(count: int, dims: int, rng: np.random.Generator) -> np.ndarray:
    """`count` points in the unit cube, one in each of `count` slices of every axis."""
    slices = rng.permuted(np.tile(np.arange(count), (dims, 1)), axis=1).T
    return (slices + rng.random((count, dims))) / count


@dataclass(frozen=True)
class TargetFit:
    """An observed figure the calibration used (or could not use), and the fit's value.

    Attributes:
        key: the measure's key.
        label_fr, unit_fr: the figure and its unit, in French.
        observed: the records' value, 90 % interval and events.
        used: whether it constrained the fit (an observation and a model that can say it).
        model: the calibrated model's median for it (posterior-weighted), if used.
        implausibility: how far the calibrated model stays from it, in combined standard
            deviations (posterior-weighted; above 2 the model reproduces it poorly).
        trust_fr: how much the figure was trusted, in French.
    """

    key: str
    label_fr: str
    unit_fr: str
    observed: Estimate
    used: bool
    model: float | None
    implausibility: float | None
    trust_fr: str


@dataclass(frozen=True)
class ParameterFit:
    """One parameter: its prior, its posterior, what moved it.

    Attributes:
        path, label_fr: the parameter.
        general: the general model's value (the prior's centre).
        prior: the prior range; `prior_interval` its own 90 % interval.
        fitted: whether any target could inform it (else it keeps the general value).
        mean: the posterior's weighted mean (the calibrated value).
        interval: the posterior's 90 % interval (see `fit` for a thin posterior).
        moved: (mean - general) / general.
        narrowed: 1 - posterior interval width / prior interval width, on the scale
            the prior is uniform on (log for a rate): 0, learnt nothing; near 1, pinned down.
        targets: the keys of the targets that constrained it.
        events: the events its best-informed target rests on (trust).
    """

    path: str
    label_fr: str
    general: float
    prior: tuple[float, float]
    prior_interval: tuple[float, float]
    fitted: bool
    mean: float
    interval: tuple[float, float]
    moved: float
    narrowed: float
    targets: tuple[str, ...]
    events: int

    @property
    def reading_fr(self) -> str:
        """What the records said of it, in French."""
        if not self.fitted:
            return "non ajusté : aucun chiffre des fiches ne le renseigne (valeur générale gardée)"
        if self.events < FEW_EVENTS:
            return (
                f"peu d'événements ({self.events}) : peu appris des fiches, l'incertitude "
                f"reste large (réduite de {max(self.narrowed, 0.0):.0%})"
            )
        if self.narrowed < 0.25:
            return f"peu appris des fiches ({self.events} événements) : l'incertitude reste large"
        return f"ajusté sur {self.events} événements ; incertitude réduite de {self.narrowed:.0%}"


@dataclass(frozen=True)
class TwinCalibration:
    """The habitat's own calibration.

    Attributes:
        parameters: one fit per parameter, in `PARAMETERS` order.
        targets: each target figure, used or not.
        candidates: every candidate judged (wave, candidate, values, `model:KEY`,
            `I:KEY`, `I_max`, `kept`).
        posterior: the candidates kept (all waves) with their `density` and `weight`.
        boxes: the range each wave drew from.
        ruled_out_all: no candidate met every target (the least implausible stand in).
        effective: the posterior's effective number of candidates, 1 / sum(weight^2):
            below `FEW_EFFECTIVE` its interval rests on too few draws (more candidates).
        waves: waves completed; `stopped` when asked to stop before the last.
        days, replications, seed: the run's size.
    """

    parameters: list[ParameterFit]
    targets: list[TargetFit]
    candidates: pd.DataFrame
    posterior: pd.DataFrame
    boxes: list[dict[str, tuple[float, float]]]
    ruled_out_all: bool
    effective: float
    waves: int
    stopped: bool
    days: int
    replications: int
    seed: int

    @property
    def values(self) -> dict[str, float]:
        """The calibrated value of each fitted parameter (posterior mean)."""
        return {p.path: p.mean for p in self.parameters if p.fitted}

    def scenario(self, scenario: Scenario) -> Scenario:
        """The scenario with the calibrated values."""
        data = scenario.model_dump(mode="json")
        return with_values(data, self.values, source="calibrated scenario")


#: Above this implausibility, the calibrated model reproduces a figure poorly.
POOR_FIT = 2.0


def _trust_fr(observed: Estimate, used: bool, distance: float | None) -> str:
    if observed.value is None:
        return "aucune donnée sur la période"
    if not used:
        return "non utilisé : le modèle de l'habitat ne peut pas le produire"
    said = (
        f"peu d'événements ({observed.events}) : contrainte faible"
        if observed.few
        else f"{observed.events} événements"
    )
    if distance is not None and distance > POOR_FIT:
        said += " ; le modèle calibré le reproduit mal (écart à la limite du plausible)"
    return said


def _usable(measure: Measure, observed: Estimate, scenario: Scenario) -> bool:
    if observed.value is None or observed.low is None or observed.high is None:
        return False
    # Without activities in the scenario nobody can participate in the model.
    return not (measure.key == "participation" and scenario.policies.activities_per_week <= 0)


class _Stop(RuntimeError):  # noqa: N818 - a signal, not an error
    """Raised inside a wave's run to stop it."""


def fit(
    scenario: Scenario,
    observations: Mapping[str, Any],
    *,
    waves: int = 3,
    candidates: int = 100,
    replications: int = 20,
    seed: int = 2026,
    parameters: Sequence[TwinParameter] = PARAMETERS,
    cutoff: float = CUTOFF,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TwinCalibration:
    """Calibrate the habitat's parameters on its observations.

    Args:
        scenario: the habitat at the window's start, with the window's days as horizon.
        observations: the records' observations over the window (same days).
        waves: waves of history matching.
        candidates: candidates per wave (run together in one batched model).
        replications: replications per candidate.
        seed: seed of the designs and of every run (common to all candidates).
        parameters: what to fit.
        cutoff: the implausibility above which a candidate is ruled out.
        on_progress: called as `on_progress(done, total)` in simulated days of all waves.
        should_stop: polled every simulated day; True stops the calibration, which
            then returns the waves completed (`stopped` set).

    Raises:
        CalibrationStopped: stopped before the first wave ended.
    """
    days = scenario.days
    measures = [_MEASURE[k] for k in dict.fromkeys(k for p in parameters for k in p.targets)]
    estimates = {m.key: m.observed(observations) for m in measures}
    used = [m for m in measures if _usable(m, estimates[m.key], scenario)]
    used_keys = {m.key for m in used}
    general = {p.path: value_at(scenario, p.path) for p in parameters}
    free = [p for p in parameters if used_keys & set(p.targets)]
    priors = {p.path: prior_of(p, general[p.path]) for p in parameters}
    design = [
        Parameter(
            path=p.path,
            range=tuple(float(v) for v in _to_design(p, np.asarray(priors[p.path]))),  # type: ignore[arg-type]
            basis=p.basis or "prior",
        )
        for p in free
    ]
    names = sorted({name for m in used for name in m.metrics})
    columns = [f"I:{m.key}" for m in used]
    data = scenario.model_dump(mode="json")
    box = {d.path: d.range for d in design}
    boxes: list[dict[str, tuple[float, float]]] = []
    design_boxes: list[dict[str, tuple[float, float]]] = []
    frames: list[pd.DataFrame] = []
    stopped = False
    for wave in range(waves):
        rng = np.random.default_rng([seed, wave])
        unit = latin_hypercube(candidates, len(design), rng)
        drawn = []
        for i in range(candidates):
            values = {}
            for j, (p, d) in enumerate(zip(free, design, strict=True)):
                low, high = box[d.path]
                values[p.path] = float(_from_design(p, low + (high - low) * unit[i, j]))
            drawn.append(values)
        boxes.append({p.path: _box_values(p, box[p.path]) for p in free})
        design_boxes.append(dict(box))

        def on_day(day: int, total: int, wave: int = wave) -> None:
            if should_stop is not None and should_stop():
                raise _Stop
            if on_progress is not None:
                on_progress(wave * total + day, waves * total)

        scenarios = [with_values(data, values, f"candidate {i}") for i, values in enumerate(drawn)]
        try:
            results = _simulate(scenarios, replications, seed, names, on_day)
        except _Stop:
            stopped = True
            break
        frame = pd.DataFrame(
            [
                _judge(wave, i, values, result, used, estimates)
                for i, (values, result) in enumerate(zip(drawn, results, strict=True))
            ]
        )
        mark(frame, columns, cutoff)
        frames.append(frame)
        kept = frame[frame.kept]
        if wave + 1 < waves and not kept.empty and design:
            in_design = kept.copy()
            for p in free:
                in_design[p.path] = _to_design(p, kept[p.path].to_numpy())
            box = refocus(design, in_design, box)
    if not frames:
        raise CalibrationStopped("stopped before the first wave ended")
    every = pd.concat(frames, ignore_index=True)
    every["density"] = _drawn_density(every, free, design_boxes[: len(frames)])
    posterior, ruled_out_all = weigh(every, columns, density="density")
    effective = float(1.0 / (posterior.weight**2).sum())
    # Too few effective draws: the weighted interval would shrink to a point or two,
    # so the interval is read over the candidates not ruled out, under the prior alone.
    spread = posterior.weight if effective >= FEW_EFFECTIVE else 1.0 / posterior.density
    fits = []
    for p in parameters:
        # The events behind its best-informed target (the targets may share events).
        events = max((estimates[k].events for k in p.targets if k in used_keys), default=0)
        prior_interval = _prior_interval(p, priors[p.path])
        if p in free:
            mean = float(np.average(posterior[p.path], weights=posterior.weight))
            interval = weighted_interval(posterior[p.path], spread)
        else:
            mean, interval = general[p.path], prior_interval
        # Narrowing on the scale the prior is uniform on (log for a rate).
        prior_ends = _to_design(p, np.asarray(prior_interval, dtype=float))
        ends = _to_design(p, np.asarray(interval, dtype=float))
        width = float(prior_ends[1] - prior_ends[0])
        fits.append(
            ParameterFit(
                path=p.path,
                label_fr=p.label_fr,
                general=general[p.path],
                prior=priors[p.path],
                prior_interval=prior_interval,
                fitted=p in free,
                mean=mean,
                interval=interval,
                moved=(mean - general[p.path]) / general[p.path] if general[p.path] else 0.0,
                narrowed=1.0 - float(ends[1] - ends[0]) / width if width > 0 else 0.0,
                targets=tuple(k for k in p.targets if k in used_keys),
                events=events,
            )
        )
    targets = []
    for m in measures:
        is_used = m.key in used_keys
        model = distance = None
        if is_used:
            model = float(np.average(posterior[f"model:{m.key}"], weights=posterior.weight))
            distance = float(np.average(posterior[f"I:{m.key}"], weights=posterior.weight))
        observed = estimates[m.key]
        targets.append(
            TargetFit(
                m.key,
                m.label_fr,
                m.unit_fr,
                observed,
                is_used,
                model,
                distance,
                _trust_fr(observed, is_used, distance),
            )
        )
    return TwinCalibration(
        parameters=fits,
        targets=targets,
        candidates=every,
        posterior=posterior,
        boxes=boxes,
        ruled_out_all=ruled_out_all,
        effective=effective,
        waves=len(frames),
        stopped=stopped,
        days=days,
        replications=replications,
        seed=seed,
    )


def _drawn_density(
    frame: pd.DataFrame,
    free: Sequence[TwinParameter],
    boxes: Sequence[dict[str, tuple[float, float]]],
) -> np.ndarray:
    """The density the candidates were drawn from, on the design scale (prior: constant).

    Every wave drew uniformly in its box: the draws together come from the mixture
    of the boxes, each weighed by its wave's share of the candidates (the waves have
    equal sizes but the last may be cut short; the frame says how many each had).
    """
    counts = frame["wave"].value_counts()
    density = np.zeros(len(frame))
    for wave, box in enumerate(boxes):
        inside = np.ones(len(frame), dtype=bool)
        volume = 1.0
        for p in free:
            low, high = box[p.path]
            x = _to_design(p, frame[p.path].to_numpy(dtype=float))
            inside &= (x >= low - 1e-12) & (x <= high + 1e-12)
            volume *= high - low
        density += counts.get(wave, 0) * inside / volume
    return density / len(frame)


def _box_values(parameter: TwinParameter, box: tuple[float, float]) -> tuple[float, float]:
    low, high = _from_design(parameter, np.asarray(box, dtype=float))
    return float(low), float(high)


def _simulate(
    scenarios: list[Scenario],
    replications: int,
    seed: int,
    names: list[str],
    on_day: Callable[[int, int], None],
) -> list[SimulationResult]:
    from habitat.sim.run import simulate_batch

    return simulate_batch(
        scenarios, replications, [seed] * len(scenarios), metrics=names, on_day=on_day
    )


def _judge(
    wave: int,
    index: int,
    values: dict[str, float],
    result: SimulationResult,
    used: Sequence[Measure],
    estimates: Mapping[str, Estimate],
) -> dict[str, Any]:
    """A candidate's row: its values, and per target the model's median and implausibility."""
    row: dict[str, Any] = {"wave": wave, "candidate": index, **values}

    def series(name: str) -> np.ndarray:
        return result.values[:, result.names.index(name), :]

    for m in used:
        low, median, high = (float(v) for v in np.percentile(m.modelled(series), [LOW, 50, HIGH]))
        observed = estimates[m.key]
        assert observed.value is not None and observed.low is not None
        assert observed.high is not None
        row[f"model:{m.key}"] = median
        row[f"I:{m.key}"] = implausibility(
            median, low, high, observed.value, observed.low, observed.high
        )
    return row


def _whole(value: float) -> int:
    return int(np.rint(value))


def observations_from_run(result: SimulationResult, replication: int = 0) -> dict[str, Any]:
    """One replication of a run, read as the records' observations of its window.

    The "records" a habitat would have kept had it lived this replication, in the
    shape of `store.pseudonymise.observations` (the fields the measures read), so
    that a calibration can be tested on records whose parameters are known. All
    the model's conflicts are filed as tensions between residents (the measures
    count the three kinds together); a dispute's start is a rise in the number
    open (two starting on the day one ends count as one); a week's participation
    is the model's 7-day participation on its last day, of the residents at home.

    Raises:
        ValueError: the run lacks a metric the observations need.
    """
    needed = (
        "residents",
        "conflicts_new",
        "conflicts_open",
        "autonomy_safety_disputes",
        "participation_rate",
        "activities_held",
        "animator_hours_worked",
        "exits_death",
        "exits_institution",
        "exits_other",
    )
    missing = [n for n in needed if n not in result.names]
    if missing:
        raise ValueError(f"the run did not record {', '.join(missing)}")

    def series(name: str) -> np.ndarray:
        return result.values[:, result.names.index(name), replication]

    days = result.days
    residents = series("residents")
    new = _whole(series("conflicts_new").sum())
    conflicts_open = series("conflicts_open")
    already = max(_whole(conflicts_open[0] - series("conflicts_new")[0]), 0)
    disputes = series("autonomy_safety_disputes")
    rises = np.diff(disputes, prepend=0.0)
    disputes_new = _whole(rises[rises > 0].sum())
    weeks = []
    rate = series("participation_rate")
    for week in range(days // 7):
        last = 7 * week + 6
        living = _whole(residents[last])
        if living:
            weeks.append([min(_whole(rate[last] * living), living), living])
    hours = series("animator_hours_worked")
    exits = {
        reason: _whole(series(name).sum())
        for reason, name in (
            ("death", "exits_death"),
            ("institution", "exits_institution"),
            ("other", "exits_other"),
        )
    }
    return {
        "format": "habitat-observations/1",
        "days": days,
        "resident_days": _whole(residents.sum()),
        "exits": {k: v for k, v in exits.items() if v},
        "tensions": {
            "between_residents": {
                "count": new,
                "open_days": _whole(conflicts_open.sum()),
                "open_in_window": new + already,
            },
            "autonomy_safety": {
                "count": disputes_new,
                "open_days": _whole(disputes.sum()),
                "open_in_window": disputes_new,
            },
        },
        "activities": {
            "held": _whole(series("activities_held").sum()),
            "weekly_participation": weeks,
        },
        "animator_weekly_hours": [
            round(float(hours[7 * w : 7 * w + 7].sum()), 2) for w in range(days // 7)
        ],
    }

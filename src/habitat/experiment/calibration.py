"""Calibration by history matching: which parameter values can reproduce the targets.

The method is history matching (Craig, Goldstein, Seheult & Smith 1997; Vernon,
Goldstein & Bower 2010; Andrianakis et al. 2015, *PLoS Comput Biol* 11(1):
e1003968), as used for epidemic and health-system models. Each parameter listed
in `src/habitat/evidence/calibration.yaml` has a prior range; a wave draws
candidates over the current ranges (a Latin hypercube, `scipy.stats.qmc`), runs
each candidate's scenarios with common seeds, and measures for each target its
*implausibility*:

    I = |model median - published value| / sqrt(sd_published^2 + sd_model^2)

where sd_published comes from the target's interval (read as a 90 % interval)
and sd_model from the model's own 90 % interval over replications. A candidate
whose largest I is above the cutoff (3, Pukelsheim's three-sigma rule) is ruled
out; the next wave draws inside the box of the candidates still standing
(refocusing). The model is cheap enough to be run at every candidate, so no
emulator stands in for it; the price is that a wave costs its candidates' runs.

Why not ABC-SMC (pyabc): the targets are few published shares and medians with
stated tolerances, not data sets; history matching answers the question asked
(which values are *not ruled out* by the evidence) with the tolerances as they are
published, and needs no distance function or extra dependency.

The *posterior* written is the last wave's candidates not ruled out, each weighed
by exp(-sum I^2 / 2): a Gaussian reading of the implausibilities (an assumption,
said in the report). The calibrated value of a parameter is its weighted mean.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from habitat.evidence import Evidence
from habitat.scenario import Scenario, scenario_from_data
from habitat.yamlfile import messages

__all__ = [
    "CUTOFF",
    "CalibrationError",
    "CalibrationResult",
    "CalibrationSpec",
    "Candidate",
    "Parameter",
    "calibrate",
    "check_paths",
    "implausibility",
    "load_calibration",
    "parse_calibration",
    "with_values",
]

#: A candidate is ruled out when a target's implausibility exceeds this (three sigma).
CUTOFF = 3.0
#: The z of a two-sided 90 % interval: a published interval and the model's are read so.
Z90 = 1.6448536269514722
#: Refocusing widens the box of the candidates kept by this share of its width on each
#: side, so that a wave can find values just outside the previous one's survivors.
WIDEN = 0.1


class CalibrationError(ValueError):
    """The calibration file is wrong; `str()` names the field and the reason."""


class Parameter(BaseModel):
    """An uncertain parameter: a scenario path and its prior range, with why."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(
        pattern=r"^[a-z_]+(\.[a-z0-9_]+)+$", description="scenario path; `.N` is a list's item N"
    )
    range: tuple[float, float]
    basis: str = Field(min_length=1, description="why this range: a source or an assumption")

    @model_validator(mode="after")
    def _ordered(self) -> Parameter:
        low, high = self.range
        if not (math.isfinite(low) and math.isfinite(high) and low < high):
            raise ValueError(f"range: [{low}, {high}] must be two finite numbers, low < high")
        return self


class CalibrationSpec(BaseModel):
    """What `habitat calibrate` fits: the parameters, and the targets (ids) it fits them to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    parameters: list[Parameter] = Field(min_length=1)
    targets: list[str] = Field(min_length=1)

    @model_validator(mode="after")
    def _distinct(self) -> CalibrationSpec:
        paths = [p.path for p in self.parameters]
        if len(set(paths)) != len(paths):
            raise ValueError("parameters: a path is listed twice")
        return self


def parse_calibration(data: Any, source: str) -> CalibrationSpec:
    """Check calibration data; raise `CalibrationError` naming each wrong field."""
    try:
        return CalibrationSpec.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(messages(exc, CalibrationSpec))
        raise CalibrationError(f"{source}: {problems}") from None


def load_calibration() -> CalibrationSpec:
    """The shipped calibration file."""
    text = (resources.files("habitat") / "evidence" / "calibration.yaml").read_text("utf-8")
    return parse_calibration(yaml.safe_load(text), "calibration.yaml")


@dataclass(frozen=True)
class Candidate:
    """One set of parameter values tried in a wave."""

    wave: int
    index: int
    values: dict[str, float]


@dataclass(frozen=True)
class CandidateTask:
    """What a worker needs to judge a candidate: picklable, self-contained."""

    candidate: Candidate
    scenarios: dict[str, dict[str, Any]]
    targets: tuple[Evidence, ...]
    replications: int
    seed: int
    days: int | None


def implausibility(
    model: float, model_low: float, model_high: float, value: float, low: float, high: float
) -> float:
    """How many combined standard deviations the model's median lies from the figure."""
    if math.isnan(model):
        return math.inf  # the model cannot measure it at these values: ruled out
    sd_published = (high - low) / (2 * Z90)
    sd_model = (model_high - model_low) / (2 * Z90)
    spread = math.hypot(sd_published, sd_model)
    if spread == 0.0:
        return 0.0 if model == value else math.inf
    return abs(model - value) / spread


def with_values(data: dict[str, Any], values: dict[str, float], source: str) -> Scenario:
    """The scenario with each `path: value` set, a list's item by its 1-based position.

    The scenario is completed with every default first, so a path can reach a
    mechanism parameter the file does not mention, and one GIR of a table by GIR
    (`mechanisms.autonomy.mortality_rate_per_year_by_gir.4` is GIR 4's rate).
    """
    full = scenario_from_data(data, source=source).model_dump(mode="json")
    for path, value in values.items():
        *parents, last = path.split(".")
        node: Any = full
        for part in parents:
            node = node[int(part) - 1] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            node[int(last) - 1] = value
        else:
            node[last] = value
    return scenario_from_data(full, source=source)


def check_paths(spec: CalibrationSpec, scenarios: dict[str, dict[str, Any]]) -> list[str]:
    """A problem for each parameter a scenario cannot take at its range's two ends."""
    problems = []
    for p in spec.parameters:
        for name, data in scenarios.items():
            for end in p.range:
                try:
                    with_values(data, {p.path: end}, source=name)
                except (KeyError, IndexError, ValueError, TypeError) as exc:
                    problems.append(f"parameters: {p.path} = {end:g} in {name}: {exc}")
                    break
    return problems


def judge(task: CandidateTask) -> dict[str, Any]:
    """Run a candidate's scenarios and return its row: values, model medians, implausibilities."""
    from habitat.experiment.validation import run_evidence

    def scenario_of(scenario: str) -> Scenario:
        source = f"candidate {task.candidate.index}"
        return with_values(task.scenarios[scenario], task.candidate.values, source)

    verdicts = run_evidence(task.targets, task.replications, task.seed, task.days, scenario_of)
    row: dict[str, Any] = {"wave": task.candidate.wave, "candidate": task.candidate.index}
    row.update(task.candidate.values)
    for v in verdicts:
        row[f"model:{v.id}"] = v.model_median
        row[f"I:{v.id}"] = implausibility(
            v.model_median,
            v.model_low,
            v.model_high,
            v.published,
            v.published_low,
            v.published_high,
        )
    return row


def draw_wave(
    parameters: Sequence[Parameter],
    box: dict[str, tuple[float, float]],
    count: int,
    wave: int,
    seed: int,
) -> list[Candidate]:
    """`count` candidates spread over the box by a seeded Latin hypercube."""
    from scipy.stats import qmc

    sampler = qmc.LatinHypercube(d=len(parameters), seed=np.random.default_rng([seed, wave]))
    unit = sampler.random(count)
    lows = np.array([box[p.path][0] for p in parameters])
    highs = np.array([box[p.path][1] for p in parameters])
    points = qmc.scale(unit, lows, highs)
    return [
        Candidate(wave, i, {p.path: float(points[i, j]) for j, p in enumerate(parameters)})
        for i in range(count)
    ]


def refocus(
    parameters: Sequence[Parameter], kept: pd.DataFrame, box: dict[str, tuple[float, float]]
) -> dict[str, tuple[float, float]]:
    """The box of the candidates kept, widened a little, inside the prior ranges."""
    focused = {}
    for p in parameters:
        low, high = float(kept[p.path].min()), float(kept[p.path].max())
        width = max(high - low, (box[p.path][1] - box[p.path][0]) * WIDEN)
        low, high = low - WIDEN * width, high + WIDEN * width
        focused[p.path] = (max(low, p.range[0]), min(high, p.range[1]))
    return focused


def mark(frame: pd.DataFrame, measures: Sequence[str], cutoff: float = CUTOFF) -> None:
    """Add `I_max` (a missing or unmeasured implausibility counts as infinite) and `kept`."""
    for column in measures:
        if column not in frame:
            frame[column] = math.inf
    frame["I_max"] = frame[list(measures)].fillna(math.inf).max(axis=1) if measures else 0.0
    frame["kept"] = frame["I_max"] <= cutoff


def weigh(
    last: pd.DataFrame, measures: Sequence[str], density: str | None = None
) -> tuple[pd.DataFrame, bool]:
    """The posterior: the last wave's kept candidates, each weighed by exp(-sum I^2 / 2).

    When none was kept, the 10 % least implausible stand in (and the flag says so).
    With `density`, the candidates come from several waves and each weight is also
    divided by that column: the density the candidates were drawn from, relative to
    the prior's (importance sampling), so that refocused waves do not narrow the posterior.

    Returns:
        The posterior (a `weight` column summing to 1) and whether all were ruled out.
    """
    kept = last[last.kept]
    ruled_out_all = kept.empty
    if ruled_out_all:
        best = max(1, math.ceil(len(last) / 10))
        kept = last.nsmallest(best, "I_max")
    squares = (kept[list(measures)].replace(math.inf, np.nan) ** 2).sum(axis=1, min_count=1)
    if not measures:
        squares = pd.Series(0.0, index=kept.index)
    weights = np.exp(-(squares - squares.min()) / 2).fillna(0.0)
    if density is not None:
        weights = weights / kept[density]
    if weights.sum() == 0:
        weights[:] = 1.0
    return kept.assign(weight=weights / weights.sum()).reset_index(drop=True), ruled_out_all


@dataclass(frozen=True)
class CalibrationResult:
    """Every candidate of every wave, the posterior, and the calibrated values.

    Attributes:
        candidates: one row per candidate judged: wave, candidate, each parameter,
            the model's median (`model:ID`) and implausibility (`I:ID`) per target,
            `I_max`, and `kept` (not ruled out).
        posterior: the last wave's kept candidates with a `weight` column (sum 1);
            when none was kept, the 10 % least implausible, and `ruled_out_all` is set.
        calibrated: each parameter's weighted mean over the posterior.
        boxes: the range each wave drew from.
        ruled_out_all: no candidate of the last wave met the cutoff.
    """

    candidates: pd.DataFrame
    posterior: pd.DataFrame
    calibrated: dict[str, float]
    boxes: list[dict[str, tuple[float, float]]]
    ruled_out_all: bool


def calibrate(
    spec: CalibrationSpec,
    targets: Sequence[Evidence],
    scenarios: dict[str, dict[str, Any]],
    run: Callable[[Callable[[Any], Any], Iterable[Any]], Iterable[tuple[Any, Any]]],
    waves: int,
    candidates: int,
    replications: int,
    seed: int,
    days: int | None = None,
    cutoff: float = CUTOFF,
    on_wave: Callable[[int, int, int], None] | None = None,
) -> CalibrationResult:
    """History-match the spec's parameters to the targets.

    Args:
        spec: the parameters and their prior ranges.
        targets: the target entries to fit (their scenarios must be in `scenarios`).
        scenarios: each target scenario's data (a mapping, as read from its file).
        run: a backend's `run(fn, items)`, yielding (item, result or exception).
        waves: how many waves (each refocuses on the survivors of the one before).
        candidates: candidates per wave.
        replications: replications of each candidate's scenarios.
        seed: seed of the designs and of every run (common random numbers).
        days: cap on the targets' horizons (a quick check); None keeps theirs.
        cutoff: largest implausibility a candidate may have on any target.
        on_wave: called after each wave with (wave, candidates, kept).

    Returns:
        The result; a candidate whose run failed is ruled out (error in `error`).
    """
    parameters = spec.parameters
    box = {p.path: p.range for p in parameters}
    boxes = []
    frames = []
    kept = pd.DataFrame()
    for wave in range(waves):
        boxes.append(dict(box))
        tasks = [
            CandidateTask(c, scenarios, tuple(targets), replications, seed, days)
            for c in draw_wave(parameters, box, candidates, wave, seed)
        ]
        rows = []
        for task, outcome in run(judge, tasks):
            if isinstance(outcome, BaseException):
                row = {"wave": wave, "candidate": task.candidate.index, **task.candidate.values}
                row["error"] = f"{type(outcome).__name__}: {outcome}"
                rows.append(row)
            else:
                rows.append(outcome)
        frame = pd.DataFrame(rows).sort_values("candidate", ignore_index=True)
        mark(frame, [f"I:{t.id}" for t in targets], cutoff)
        frames.append(frame)
        kept = frame[frame.kept]
        if on_wave is not None:
            on_wave(wave, len(frame), len(kept))
        if wave + 1 < waves and not kept.empty:
            box = refocus(parameters, kept, box)
    posterior, ruled_out_all = weigh(frames[-1], [f"I:{t.id}" for t in targets])
    calibrated = {
        p.path: float(np.average(posterior[p.path], weights=posterior.weight)) for p in parameters
    }
    return CalibrationResult(
        candidates=pd.concat(frames, ignore_index=True),
        posterior=posterior,
        calibrated=calibrated,
        boxes=boxes,
        ruled_out_all=ruled_out_all,
    )


def weighted_interval(
    values: pd.Series, weights: pd.Series, level: float = 0.9
) -> tuple[float, float]:
    """The weighted central interval of a posterior column."""
    order = np.argsort(values.to_numpy())
    v, w = values.to_numpy()[order], weights.to_numpy()[order]
    cumulative = np.cumsum(w) / w.sum()
    tail = (1 - level) / 2
    return float(v[np.searchsorted(cumulative, tail)]), float(
        v[min(np.searchsorted(cumulative, 1 - tail), len(v) - 1)]
    )

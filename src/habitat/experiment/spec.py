"""The experiment file: a base scenario, factors, a design, replications, outputs, a seed."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from habitat.experiment.posterior import posterior_problems, read_posterior
from habitat.scenario import (
    Scenario,
    ScenarioError,
    apply_overrides,
    load_scenario,
    scenario_from_data,
)
from habitat.sim.metrics import METRIC_NAMES
from habitat.yamlfile import YamlFileError, field_problems, load_yaml

__all__ = [
    "Design",
    "Experiment",
    "ExperimentError",
    "Factor",
    "Outputs",
    "Posterior",
    "experiment_from_data",
    "load_experiment",
]

#: Designs whose factors must be continuous ranges (SALib samples the unit cube).
CONTINUOUS_DESIGNS = ("latin", "sobol", "morris")
#: Designs that need `design.samples`.
SAMPLED_DESIGNS = ("latin", "sobol", "morris", "territory")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Factor(_Strict):
    """One scenario field (or several linked fields) the experiment varies."""

    path: str | list[str] = Field(
        description="Dotted scenario path, e.g. animator.hours_per_week; a list sets several "
        "fields to the same value (habitat.dwellings and residents.generate.count)."
    )
    name: str | None = Field(
        default=None, min_length=1, max_length=80, description="Column name; default the path."
    )
    levels: list[Any] | dict[str, Any] | None = Field(
        default=None,
        description="Values to try; a mapping gives each value a label (for lists or mappings "
        "such as a list of shocks), and the label is what the results hold.",
    )
    range: tuple[float, float] | None = Field(
        default=None, description="Low and high end of a continuous factor."
    )
    integer: bool = Field(default=False, description="Round sampled values (range only).")
    weights: list[float] | None = Field(
        default=None, description="Territory design: relative frequency of each level."
    )

    @model_validator(mode="after")
    def _levels_or_range(self) -> Factor:
        if (self.levels is None) == (self.range is None):
            raise ValueError("give either 'levels' or 'range', exactly one")
        if self.levels is not None and len(self.levels) == 0:
            raise ValueError("levels: no levels given")
        if self.range is not None and not self.range[0] < self.range[1]:
            low, high = self.range
            raise ValueError(
                f"range: empty range [{low}, {high}]; the low end must be below the high end"
            )
        if self.integer and self.range is None:
            raise ValueError("integer: only a range is rounded; levels are used as given")
        if self.weights is not None:
            if self.levels is None:
                raise ValueError("weights: weights go with levels, not with a range")
            if len(self.weights) != len(self.levels):
                raise ValueError(
                    f"weights: {len(self.weights)} weights for {len(self.levels)} levels"
                )
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("weights: must be >= 0 with at least one positive")
        if not self.paths or any(not p.strip() for p in self.paths):
            raise ValueError("path: empty path")
        return self

    @property
    def paths(self) -> list[str]:
        """The scenario paths this factor sets."""
        return [self.path] if isinstance(self.path, str) else list(self.path)

    @property
    def label(self) -> str:
        """The factor's column name in the results."""
        return self.name or self.paths[0]

    @property
    def bounds(self) -> tuple[float, float]:
        """The low and high end of a factor given as a range.

        Raises:
            ValueError: the factor has levels, not a range.
        """
        if self.range is None:
            raise ValueError(f"factor {self.label!r} has levels, not a range")
        return self.range

    @property
    def labels(self) -> list[Any]:
        """The levels as they appear in the results (the labels of a mapping)."""
        return list(self.levels) if self.levels is not None else []

    def value(self, level: Any) -> Any:
        """The scenario value of a level (its label for a list of levels)."""
        if isinstance(self.levels, dict):
            return self.levels[level]
        if self.levels is not None and level not in self.levels:
            # Levels of mixed types are held as text in the results.
            return next((v for v in self.levels if str(v) == str(level)), level)
        if self.integer:
            return round(level)
        return level

    def probe_values(self) -> list[tuple[str, Any]]:
        """(where, value) pairs checked against the base scenario before a sweep."""
        if self.range is not None:
            return [("range", self.value(end)) for end in self.range]
        keys = self.labels if isinstance(self.levels, dict) else range(len(self.labels))
        return [
            (f"levels.{key}", self.value(label))
            for key, label in zip(keys, self.labels, strict=True)
        ]


class Design(_Strict):
    """How points are chosen in the factor space."""

    kind: Literal["grid", "latin", "sobol", "morris", "territory"] = Field(
        default="grid",
        description="grid: every combination of levels; latin: Latin hypercube; sobol: "
        "Saltelli/Sobol sequence for Sobol indices; morris: trajectories for Morris "
        "elementary effects; territory: each point a habitat drawn from the factors' "
        "distributions.",
    )
    samples: int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="latin, territory: points; sobol: base sample N (a power of 2); "
        "morris: trajectories.",
    )
    second_order: bool = Field(default=False, description="sobol: also second-order indices.")
    morris_levels: int = Field(default=4, ge=2, le=100, description="morris: grid levels.")


class Outputs(_Strict):
    """Which outputs are kept."""

    summaries: Literal["all"] | list[str] = Field(
        default="all", description="Per-replication summaries kept (metric names) or 'all'."
    )
    daily: list[str] = Field(
        default_factory=list, description="Metrics whose daily series are kept (daily.parquet)."
    )

    @property
    def summary_names(self) -> list[str]:
        """The summary columns, in metric order."""
        if self.summaries == "all":
            return list(METRIC_NAMES)
        return [m for m in METRIC_NAMES if m in self.summaries]


class Posterior(_Strict):
    """A calibration's posterior: each point runs under parameter sets drawn from it."""

    file: str = Field(
        min_length=1,
        description="A posterior CSV (relative to the experiment file), as `habitat calibrate` "
        "writes it: a `weight` column summing to 1 and one column per scenario path, a table "
        "by GIR indexed by GIR (`mechanisms.autonomy.mortality_rate_per_year_by_gir.4`); "
        "its other columns (wave, candidate, model:*, I:*, I_max, kept) are not used.",
    )
    draws: int = Field(
        ge=1,
        le=1000,
        description="Parameter sets drawn from the posterior by weight (systematic "
        "resampling, seeded by the experiment's seed); every point runs under each, with "
        "replications // draws replications apiece.",
    )
    rows: list[dict[str, float]] | None = Field(
        default=None,
        description="The posterior's rows, filled in from `file` when the experiment is read "
        "(the manifest records them); not written by hand.",
    )


class Experiment(_Strict):
    """A whole experiment: what to run, how many times, and what to keep."""

    name: str = Field(default="Experiment", min_length=1, max_length=120)
    description: str = Field(default="", max_length=5000)
    scenario: str | dict[str, Any] = Field(
        default_factory=dict,
        description="Base scenario: a file (relative to the experiment file) or a mapping.",
    )
    overrides: list[str] = Field(
        default_factory=list, description="`dotted.path=value` overrides of the base scenario."
    )
    days: int | None = Field(default=None, ge=1, le=3650, description="Horizon of every run.")
    replications: int = Field(default=10, ge=1, le=100_000, description="Replications per point.")
    seed: int = Field(ge=0, lt=2**63, description="Seed of the design and of every point.")
    factors: list[Factor] = Field(default_factory=list, max_length=100)
    design: Design = Design()
    outputs: Outputs = Outputs()
    posterior: Posterior | None = Field(
        default=None,
        description="Run each point under parameter sets drawn from a calibration's posterior, "
        "so that its interval carries the parameters' uncertainty as well as Monte Carlo's.",
    )

    @model_validator(mode="after")
    def _design_fits_factors(self) -> Experiment:
        names = [f.label for f in self.factors]
        for i, name in enumerate(names):
            if name in names[:i]:
                raise ValueError(f"factors.{i}.name: two factors are called {name!r}")
        summaries = [] if self.outputs.summaries == "all" else self.outputs.summaries
        for where, names_given in (
            ("outputs.summaries", summaries),
            ("outputs.daily", self.outputs.daily),
        ):
            for j, metric in enumerate(names_given):
                if metric not in METRIC_NAMES:
                    close = difflib.get_close_matches(metric, METRIC_NAMES, n=1)
                    hint = f"; did you mean {close[0]!r}?" if close else ""
                    raise ValueError(f"{where}.{j}: unknown metric {metric!r}{hint}")
        kind = self.design.kind
        if kind in CONTINUOUS_DESIGNS:
            if not self.factors:
                raise ValueError(f"design.kind: a {kind} design needs at least one factor")
            for i, factor in enumerate(self.factors):
                if factor.range is None:
                    raise ValueError(
                        f"design.kind: a {kind} design samples continuous ranges, but factor "
                        f"{factor.label!r} (factors.{i}) has levels; give it a range"
                    )
        if kind == "grid":
            for i, factor in enumerate(self.factors):
                if factor.levels is None:
                    raise ValueError(
                        f"design.kind: a grid needs levels, but factor {factor.label!r} "
                        f"(factors.{i}) has a range; give it levels or use latin/sobol/morris"
                    )
            if self.design.samples is not None:
                raise ValueError("design.samples: a grid has no samples; it runs every combination")
        n = self.design.samples
        if kind in SAMPLED_DESIGNS:
            if n is None:
                raise ValueError(f"design.samples: a {kind} design needs a number of samples")
            if kind == "sobol" and n & (n - 1):
                low = 1 << (n.bit_length() - 1)
                raise ValueError(
                    f"design.samples: Sobol sampling needs a power of 2, got {n}; "
                    f"try {low} or {low * 2}"
                )
            if kind == "morris" and n < 2:
                raise ValueError("design.samples: Morris needs at least 2 trajectories")
        for i, factor in enumerate(self.factors):
            if factor.weights is not None and kind != "territory":
                raise ValueError(
                    f"factors.{i}.weights: weights are used by a territory design only"
                )
        if self.posterior is not None and self.posterior.draws > self.replications:
            draws = self.posterior.draws
            raise ValueError(
                f"posterior.draws: {draws} draws for {self.replications} replications leave "
                f"fewer than 1 replication per draw; ask for at most {self.replications} draws "
                "or more replications"
            )
        return self

    def record(self) -> dict[str, Any]:
        """The experiment as plain data for the manifest (no `posterior` key without one).

        An experiment without a posterior is recorded, and fingerprinted, as before
        the field existed, so its earlier sweep folders still resume.
        """
        return self.model_dump(
            mode="json", exclude={"posterior"} if self.posterior is None else None
        )

    @property
    def draws(self) -> int:
        """Parameter sets each point runs under: the posterior's draws, or 1 without one."""
        return self.posterior.draws if self.posterior is not None else 1

    @property
    def replications_per_run(self) -> int:
        """Replications of each (point, draw) run: the replications split over the draws."""
        return self.replications // self.draws

    @property
    def factor_names(self) -> list[str]:
        """Factor column names, in order."""
        return [f.label for f in self.factors]

    @property
    def scenario_data(self) -> dict[str, Any]:
        """The base scenario's data, once the experiment is resolved (see `load_experiment`).

        Raises:
            TypeError: `scenario` is still a file name.
        """
        if not isinstance(self.scenario, dict):
            raise TypeError("resolve the experiment with load_experiment() first")
        return self.scenario

    def base_scenario(self) -> Scenario:
        """The base scenario of a resolved experiment (`scenario` is a mapping)."""
        scenario = scenario_from_data(
            apply_overrides(self.scenario_data, self.overrides), "scenario"
        )
        if self.days is not None and self.days != scenario.days:
            scenario = scenario.with_days(self.days)
        return scenario


class ExperimentError(ValueError):
    """An experiment file or override is invalid; `str()` is the message a user sees."""

    def __init__(self, source: str, problems: Iterable[tuple[str, str]]):
        self.source = source
        self.problems = list(problems)
        super().__init__(
            "\n".join(
                f"{source}: {path}: {reason}" if path else f"{source}: {reason}"
                for path, reason in self.problems
            )
        )


def load_experiment(path: str | Path, overrides: Iterable[str] = ()) -> Experiment:
    """Read, override, validate and resolve an experiment file.

    The base scenario is read and inlined (with its overrides and horizon applied),
    and every factor path and value is tried on it, so the returned experiment is
    self-contained and every point can be built from it.

    Args:
        path: a YAML experiment file.
        overrides: `dotted.path=value` strings applied to the experiment before
            validation (e.g. `replications=2`, `design.samples=8`).

    Returns:
        The resolved experiment; its `scenario` is the validated base scenario data.

    Raises:
        ExperimentError: the file, a field, the base scenario, a factor path or value,
            or the fit between design and factors is wrong.
    """
    path = Path(path)
    source = str(path)
    try:
        data = load_yaml(path, "experiment file")
    except YamlFileError as exc:
        raise ExperimentError(source, [("", exc.reason)]) from None
    try:
        data = apply_overrides(data, overrides)
    except ScenarioError as exc:
        raise ExperimentError(source, exc.problems) from None
    return experiment_from_data(data, source=source, folder=path.parent)


def experiment_from_data(
    data: Mapping[str, Any], source: str = "experiment", folder: Path | None = None
) -> Experiment:
    """Validate plain data as an experiment and resolve it against its base scenario.

    Args:
        data: the experiment as plain data.
        source: how messages name the experiment (its file).
        folder: where a scenario file path is relative to (default: the working folder).

    Returns:
        The resolved experiment.

    Raises:
        ExperimentError: as `load_experiment`.
    """
    try:
        experiment = Experiment.model_validate(data)
    except ValidationError as exc:
        raise ExperimentError(source, field_problems(exc, Experiment)) from None
    try:
        if isinstance(experiment.scenario, str):
            file = Path(experiment.scenario)
            if not file.is_absolute() and folder is not None:
                file = folder / file
            scenario = load_scenario(file, experiment.overrides)
        else:
            scenario = scenario_from_data(
                apply_overrides(experiment.scenario, experiment.overrides), "scenario"
            )
        if experiment.days is not None and experiment.days != scenario.days:
            scenario = scenario.with_days(experiment.days)
    except ScenarioError as exc:
        lines = str(exc).splitlines()
        raise ExperimentError(source, [("scenario", line) for line in lines]) from None
    base = scenario.model_dump(mode="json")
    problems = [p for i, f in enumerate(experiment.factors) for p in _check_factor(base, i, f)]
    if problems:
        raise ExperimentError(source, problems)
    update: dict[str, Any] = {"scenario": base, "overrides": [], "days": scenario.days}
    if experiment.posterior is not None:
        update["posterior"] = _resolve_posterior(experiment.posterior, base, source, folder)
    return experiment.model_copy(update=update)


def _resolve_posterior(
    posterior: Posterior, base: dict[str, Any], source: str, folder: Path | None
) -> Posterior:
    """Read the posterior's rows (unless already there) and check them on the base scenario."""
    file = Path(posterior.file)
    if not file.is_absolute() and folder is not None:
        file = folder / file
    rows = posterior.rows
    if rows is None:
        rows, problems = read_posterior(file)
        if problems:
            raise ExperimentError(source, problems)
    problems = posterior_problems(base, rows, str(file))
    if problems:
        raise ExperimentError(source, problems)
    return posterior.model_copy(update={"rows": rows})


def assign(base: Mapping[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of scenario data with each `path: value` set (the `--set` rules)."""
    return apply_overrides(base, [f"{path}={json.dumps(value)}" for path, value in values.items()])


def _check_factor(base: dict[str, Any], index: int, factor: Factor) -> list[tuple[str, str]]:
    """Try each level (or range end) on the base scenario; report problems at the factor."""
    problems: list[tuple[str, str]] = []
    for where, value in factor.probe_values():
        try:
            scenario_from_data(assign(base, dict.fromkeys(factor.paths, value)), "factor")
        except ScenarioError as exc:
            for path, reason in exc.problems:
                # Problems elsewhere in the scenario come from the base's other values;
                # they may vanish with other factors' values and are recorded per point.
                mine = [p for p in factor.paths if path == p or path.startswith(p + ".")]
                if not mine:
                    continue
                if reason.startswith("unknown field") or reason.startswith("there is no"):
                    problems.append((f"factors.{index}.path", f"{path}: {reason}"))
                    return problems
                setting = f"{mine[0]} = {value!r}"
                detail = reason if path == mine[0] else f"{path}: {reason}"
                problems.append((f"factors.{index}.{where}", f"{setting}: {detail}"))
    return problems

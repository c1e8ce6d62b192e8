"""Samplers: the points of an experiment (grid, Latin hypercube, Sobol, Morris, territory)."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd

from habitat.experiment.posterior import draw_parameters, override_path, parameter_columns
from habitat.experiment.spec import Experiment, Factor

__all__ = ["POINT_COLUMNS", "design_points", "point_seed", "point_values", "salib_problem"]

#: Columns of the design table before the factor columns.
POINT_COLUMNS = ("point", "seed")
#: Spawn keys under the experiment's seed: one stream for the sampler, one family of
#: children (one per point) for the runs, so neither depends on the other.
_SAMPLER_KEY = 0
_POINTS_KEY = 1


def point_seed(seed: int, point: int) -> int:
    """The seed of one point's run: child `point` of the experiment's SeedSequence.

    It depends only on the experiment seed and the point's index, never on the
    backend, the chunking or the order in which points finish. It fits in an int64.
    """
    child = np.random.SeedSequence(seed, spawn_key=(_POINTS_KEY, point))
    return int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))


def salib_problem(experiment: Experiment) -> dict:
    """The SALib problem of an experiment whose factors are ranges."""
    return {
        "num_vars": len(experiment.factors),
        "names": experiment.factor_names,
        "bounds": [list(f.bounds) for f in experiment.factors],
    }


def design_points(experiment: Experiment) -> pd.DataFrame:
    """The experiment's points: `point`, `seed`, then one column per factor.

    Factor columns hold what the results show: the value for a range, the level (or
    its label, for a mapping of levels) otherwise. The same experiment always gives
    the same table.

    With a posterior, each design point becomes one run per draw: the row of run
    `point` = design point x draws + draw adds `design_point`, `draw`,
    `posterior_row` and the drawn value of each parameter. Every design point runs
    under the same draws, so that points are compared under the same parameters.

    Returns:
        One row per point (per run of a point with a posterior), in point order.
    """
    kind = experiment.design.kind
    sampler_seed = int(
        np.random.SeedSequence(experiment.seed, spawn_key=(_SAMPLER_KEY,)).generate_state(1)[0]
    )
    if kind == "grid":
        table = _grid(experiment.factors)
    elif kind == "territory":
        samples = experiment.design.samples
        assert samples is not None  # a territory design needs them (`Experiment`)
        table = _territory(experiment.factors, samples, sampler_seed)
    else:
        table = _salib(experiment, sampler_seed)
    if experiment.posterior is not None:
        table = _with_draws(table, experiment)
    table.insert(0, "seed", [point_seed(experiment.seed, i) for i in range(len(table))])
    table.insert(0, "point", np.arange(len(table), dtype=np.int64))
    return table


def point_values(experiment: Experiment, row: pd.Series | dict) -> dict[str, object]:
    """The scenario values (`path: value`) of one design row, drawn parameters included."""
    values: dict[str, object] = {}
    for factor in experiment.factors:
        value = _plain(factor.value(row[factor.label]))
        for path in factor.paths:
            values[path] = value
    if experiment.posterior is not None and experiment.posterior.rows:
        base = experiment.scenario_data
        for column in parameter_columns(list(experiment.posterior.rows[0])):
            values[override_path(base, column)] = _plain(row[column])
    return values


def _with_draws(table: pd.DataFrame, experiment: Experiment) -> pd.DataFrame:
    """Each design point repeated once per draw, with the drawn parameters."""
    posterior = experiment.posterior
    assert posterior is not None and posterior.rows  # resolved (`load_experiment`)
    drawn = draw_parameters(posterior.rows, posterior.draws, experiment.seed)
    points = table.reset_index(drop=True)
    points.insert(len(points.columns), "design_point", np.arange(len(points), dtype=np.int64))
    runs = points.merge(drawn, how="cross")
    return runs.sort_values(["design_point", "draw"], ignore_index=True)


def _grid(factors: list[Factor]) -> pd.DataFrame:
    names = [f.label for f in factors]
    combos = list(itertools.product(*(f.labels for f in factors)))
    return _typed(pd.DataFrame(combos, columns=names), factors)


def _territory(factors: list[Factor], samples: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    columns: dict[str, list[Any] | np.ndarray] = {}
    for factor in factors:
        if factor.levels is not None:
            labels = factor.labels
            weights = np.asarray(factor.weights or [1.0] * len(labels), dtype=float)
            picks = rng.choice(len(labels), size=samples, p=weights / weights.sum())
            columns[factor.label] = [labels[i] for i in picks]
        else:
            low, high = factor.bounds
            if factor.integer:
                columns[factor.label] = rng.integers(
                    math.ceil(low), math.floor(high), size=samples, endpoint=True
                )
            else:
                columns[factor.label] = rng.uniform(low, high, size=samples)
    return _typed(pd.DataFrame(columns, index=range(samples)), factors)


def _salib(experiment: Experiment, seed: int) -> pd.DataFrame:
    from SALib.sample import latin, morris, sobol

    design = experiment.design
    problem = salib_problem(experiment)
    if design.kind == "latin":
        x = latin.sample(problem, design.samples, seed=seed)
    elif design.kind == "sobol":
        x = sobol.sample(problem, design.samples, calc_second_order=design.second_order, seed=seed)
    else:
        x = morris.sample(problem, design.samples, num_levels=design.morris_levels, seed=seed)
    table = pd.DataFrame(x, columns=experiment.factor_names)
    for factor in experiment.factors:
        if factor.integer:
            table[factor.label] = np.round(table[factor.label]).astype(np.int64)
    return table


def _typed(table: pd.DataFrame, factors: list[Factor]) -> pd.DataFrame:
    """Numbers stay numbers; anything else is a label (text) in the results."""
    for factor in factors:
        column = table[factor.label]
        if factor.levels is not None:
            labels = factor.labels
            if all(isinstance(v, bool) for v in labels):
                table[factor.label] = column.astype(bool)
            elif all(isinstance(v, int) and not isinstance(v, bool) for v in labels):
                table[factor.label] = column.astype(np.int64)
            elif all(isinstance(v, int | float) and not isinstance(v, bool) for v in labels):
                table[factor.label] = column.astype(float)
            else:
                table[factor.label] = column.map(str)
    return table


def _plain(value: object) -> object:
    """Turn numpy scalars into Python ones (they go through JSON into an override)."""
    return value.item() if isinstance(value, np.generic) else value

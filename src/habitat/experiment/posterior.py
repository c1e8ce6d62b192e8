"""A calibration's posterior in an experiment: read it, check it, draw parameter sets."""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from habitat.scenario import ScenarioError, apply_overrides, scenario_from_data

__all__ = [
    "BOOKKEEPING_COLUMNS",
    "WEIGHT",
    "draw_parameters",
    "override_path",
    "parameter_columns",
    "posterior_problems",
    "read_posterior",
]

#: The column of a posterior that holds each row's weight.
WEIGHT = "weight"
#: Columns `habitat calibrate` writes beside the parameters: they are not scenario paths.
BOOKKEEPING_COLUMNS = ("wave", "candidate", "I_max", "kept", WEIGHT)
#: Prefixes of a calibration's per-target columns (model value, implausibility).
BOOKKEEPING_PREFIXES = ("model:", "I:")
#: How far the weights may sum from 1: a CSV written with full float precision is
#: off by a few 1e-16, a hand-written one rounded to 6 digits by a few 1e-6.
WEIGHT_TOLERANCE = 1e-4
#: Spawn key under the experiment's seed for the posterior draws (0: the sampler,
#: 1: the points), so adding a posterior changes neither of the others.
DRAWS_KEY = 2


def parameter_columns(columns: Sequence[str]) -> list[str]:
    """The columns of a posterior that are scenario paths (the rest is bookkeeping)."""
    return [
        c
        for c in columns
        if c not in BOOKKEEPING_COLUMNS and not c.startswith(BOOKKEEPING_PREFIXES)
    ]


def read_posterior(file: Path) -> tuple[list[dict[str, float]], list[tuple[str, str]]]:
    """Read a posterior CSV: its rows (parameter columns and weight) and the problems found.

    Returns:
        The rows, each `{path: value, ..., "weight": w}`, and (field, reason) pairs;
        rows are empty when there is a problem.
    """
    where = "posterior.file"
    if not file.is_file():
        return [], [(where, f"{file}: file not found")]
    try:
        table = pd.read_csv(file)
    except (OSError, ValueError) as exc:
        return [], [(where, f"{file}: cannot be read as CSV ({exc})")]
    if WEIGHT not in table.columns:
        return [], [
            (
                where,
                f"{file}: no {WEIGHT!r} column; a posterior written by `habitat calibrate` has one",
            )
        ]
    columns = parameter_columns([str(c) for c in table.columns])
    if not columns:
        return [], [(where, f"{file}: no parameter column (a column named by a scenario path)")]
    for column in [*columns, WEIGHT]:
        values = pd.to_numeric(table[column], errors="coerce")
        bad = np.flatnonzero(values.isna().to_numpy())
        if bad.size:
            line = int(bad[0]) + 2  # the header is line 1
            return [], [(where, f"{file}: column {column!r}, line {line}: not a number")]
        table[column] = values.astype(float)
    rows = table[[*columns, WEIGHT]].to_dict(orient="records")
    return [{str(k): float(v) for k, v in row.items()} for row in rows], []


def posterior_problems(
    base: dict[str, Any], rows: Sequence[Mapping[str, float]], file: str
) -> list[tuple[str, str]]:
    """Check a posterior's rows: weights that make a distribution, paths the base accepts.

    Each parameter is tried on the base scenario at its lowest and highest value in
    the posterior, as a factor's levels are.

    Args:
        base: the base scenario's data.
        rows: the posterior's rows.
        file: how messages name the posterior.
    """
    where = "posterior.file"
    if not rows:
        return [(where, f"{file}: the posterior has no rows")]
    columns = list(rows[0])
    if WEIGHT not in columns:
        return [(where, f"{file}: no {WEIGHT!r} column")]
    weights = np.array([row[WEIGHT] for row in rows], dtype=float)
    if not np.isfinite(weights).all() or (weights < 0).any():
        first = int(np.flatnonzero(~np.isfinite(weights) | (weights < 0))[0])
        line = first + 2  # the header is line 1
        return [(where, f"{file}: weights must be >= 0; line {line} has {weights[first]:g}")]
    total = float(weights.sum())
    if not math.isclose(total, 1.0, abs_tol=WEIGHT_TOLERANCE):
        return [
            (
                where,
                f"{file}: the weights sum to {total:.6g}, not 1; is this a whole posterior (one "
                "written by `habitat calibrate`)?",
            )
        ]
    problems: list[tuple[str, str]] = []
    for column in parameter_columns(columns):
        values = [row[column] for row in rows]
        try:
            path = override_path(base, column)
        except ValueError as exc:
            problems.append((where, f"{file}: column {column!r}: {exc}"))
            continue
        for value in sorted({min(values), max(values)}):
            try:
                scenario_from_data(apply_overrides(base, [f"{path}={value!r}"]), "posterior")
            except ScenarioError as exc:
                mine = [(p, r) for p, r in exc.problems if p == path or p.startswith(path + ".")]
                for _, reason in mine or exc.problems:
                    problems.append((where, f"{file}: column {column!r} = {value:g}: {reason}"))
                break
    return problems


def override_path(base: Mapping[str, Any], path: str) -> str:
    """The `--set` path (0-based list indices) of a posterior column (1-based, as calibrated).

    `habitat calibrate` names one GIR of a table by GIR by its level:
    `mechanisms.autonomy.mortality_rate_per_year_by_gir.4` is GIR 4's rate, item 3.

    Raises:
        ValueError: the path does not lead to a field of `base`.
    """
    node: Any = base
    keys = path.split(".")
    parts = []
    for depth, key in enumerate(keys):
        # Name the part at fault when it is not the whole path.
        at = "" if depth == len(keys) - 1 else f" ({'.'.join(keys[: depth + 1])})"
        if isinstance(node, list):
            if not key.isdigit() or not 1 <= int(key) <= len(node):
                raise ValueError(f"no item {key} in a table of {len(node)} (1 to {len(node)}){at}")
            node = node[int(key) - 1]
            parts.append(str(int(key) - 1))
        elif isinstance(node, dict):
            if key not in node:
                close = difflib.get_close_matches(key, list(node), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ValueError(f"not a scenario field{at}{hint}")
            node = node[key]
            parts.append(key)
        else:
            raise ValueError(f"not a scenario field{at}: inside a plain value")
    if isinstance(node, dict | list):
        raise ValueError("a group of fields, not one value")
    return ".".join(parts)


def draw_parameters(rows: Sequence[Mapping[str, float]], draws: int, seed: int) -> pd.DataFrame:
    """Draw `draws` parameter sets from a posterior, each row with its weight's chance.

    Systematic resampling (Kitagawa 1996): one uniform offset u, then the rows
    where the cumulative weights pass u, u + 1/draws, u + 2/draws, ... Each row is
    drawn with its weight's chance, as by independent draws, but a row of weight w
    comes out floor(w x draws) or ceil(w x draws) times: 10 draws of a posterior of
    a few heavy rows represent it, where independent draws often repeat one row
    (a multinomial sample of `calibration/results/posterior.csv` drew its row of
    weight 0.13 five times in ten). The same rows, draws and seed give the same sets.

    Returns:
        One row per draw: `draw` (0, 1, ...), `posterior_row` (the row drawn, 0-based),
        then one column per parameter.
    """
    columns = parameter_columns(list(rows[0]))
    weights = np.array([row[WEIGHT] for row in rows], dtype=float)
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DRAWS_KEY,)))
    cumulative = np.cumsum(weights)
    cumulative /= cumulative[-1]  # ends at exactly 1: every position finds a row of weight > 0
    positions = (rng.uniform() + np.arange(draws)) / draws
    picks = np.searchsorted(cumulative, positions, side="right")
    table = pd.DataFrame([{c: rows[i][c] for c in columns} for i in picks], columns=columns)
    table.insert(0, "posterior_row", picks.astype(np.int64))
    table.insert(0, "draw", np.arange(draws, dtype=np.int64))
    return table

"""Run a chunk of points: habitats of the same shape in one batched run, rows out, failures kept."""

from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from habitat.scenario import Scenario, scenario_from_data
from habitat.sim.batch import batch_key
from habitat.sim.run import SimulationResult, simulate, simulate_batch

__all__ = [
    "BATCH_COLUMNS",
    "MAX_BATCH_METRIC_BYTES",
    "Chunk",
    "ChunkResult",
    "PointTask",
    "empty_rows",
    "run_chunk",
    "run_point",
]

#: Columns (points x replications) a batched run takes at most: from a few hundred
#: the Python work of a day, shared by the batch, is a small part of the numpy work,
#: and wider batches mean fewer of them.
BATCH_COLUMNS = 4096
#: Largest daily metrics array of a batched run (float32, days x metrics x columns).
MAX_BATCH_METRIC_BYTES = 512 * 2**20


@dataclass(frozen=True)
class PointTask:
    """One point: its index, its seed and the scenario values its factors set."""

    point: int
    seed: int
    values: dict[str, Any]


@dataclass(frozen=True)
class Chunk:
    """Several points sent to a worker at once, with everything needed to run them."""

    scenario: dict[str, Any]
    replications: int
    summaries: tuple[str, ...]
    daily: tuple[str, ...]
    points: tuple[PointTask, ...]

    @property
    def indices(self) -> list[int]:
        """The points' indices."""
        return [task.point for task in self.points]


@dataclass
class ChunkResult:
    """What a chunk produced: summary rows, daily rows, and the points that failed."""

    rows: pd.DataFrame
    daily: pd.DataFrame | None
    failures: list[dict[str, Any]] = field(default_factory=list)


def point_scenario(scenario: dict[str, Any], task: PointTask) -> Scenario:
    """The point's scenario: the base with its factor values set, validated."""
    from habitat.experiment.spec import assign

    return scenario_from_data(assign(scenario, task.values), source=f"point {task.point}")


def run_point(scenario: dict[str, Any], task: PointTask, replications: int) -> SimulationResult:
    """Build the point's scenario from the base and its factor values, and simulate it.

    All the point's replications run in one batched model seeded with the point's
    seed: replication r is column r of that model, so replications draw from one
    stream and are independent of each other.
    """
    point = point_scenario(scenario, task)
    return simulate(point, replications=replications, seed=task.seed, record_events=False)


def _kept(chunk: Chunk) -> set[str]:
    """The metrics a chunk's runs record: those its rows keep."""
    return set(chunk.summaries) | set(chunk.daily)


def run_chunk(chunk: Chunk) -> ChunkResult:
    """Run every point of a chunk; a failing point is recorded and the others go on.

    Points whose habitats have the same shape (`habitat.sim.batch.batch_key`) run
    together in batched models of up to `BATCH_COLUMNS` columns; each point still
    gets exactly the results of its own run with its own seed.
    """
    rows, daily, failures = [], [], []
    batches: dict[str, list[tuple[PointTask, Scenario]]] = {}
    for task in chunk.points:
        try:
            scenario = point_scenario(chunk.scenario, task)
        except Exception as exc:
            failures.append(_failure(task, exc))
            continue
        batches.setdefault(batch_key(scenario), []).append((task, scenario))
    for batch in batches.values():
        for part in _split(batch, chunk.replications, len(_kept(chunk))):
            for task, result in _run_batch(part, chunk.replications, _kept(chunk), failures):
                rows.append(_summary_rows(result, task.point, chunk.summaries))
                if chunk.daily:
                    daily.append(_daily_rows(result, task.point, chunk.daily))
    return ChunkResult(
        rows=pd.concat(rows, ignore_index=True) if rows else empty_rows(chunk.summaries),
        daily=pd.concat(daily, ignore_index=True) if daily else None,
        failures=failures,
    )


def batch_points(replications: int, days: int, metrics: int) -> int:
    """How many points of `replications` x `days` recording `metrics` make one batched run."""
    columns = min(BATCH_COLUMNS, MAX_BATCH_METRIC_BYTES // (4 * days * max(metrics, 1)))
    return max(1, columns // replications)


def _split(batch: list, replications: int, metrics: int) -> list[list]:
    """Cut a batch into even parts of at most `batch_points` points."""
    days = batch[0][1].days
    parts = -(-len(batch) // batch_points(replications, days, metrics))
    size = -(-len(batch) // parts)
    return [batch[i : i + size] for i in range(0, len(batch), size)]


def _run_batch(
    batch: list[tuple[PointTask, Scenario]], replications: int, metrics: set[str], failures: list
):
    """Yield (task, result) for each point of a batch; failed points go to `failures`.

    If the batched run fails, its points are run one by one, so that only the
    failing ones are recorded as failures, each with its own error.
    """
    if len(batch) > 1:
        try:
            results = simulate_batch(
                [scenario for _, scenario in batch],
                replications,
                [task.seed for task, _ in batch],
                metrics=metrics,
            )
        except Exception:
            pass
        else:
            yield from zip([task for task, _ in batch], results, strict=True)
            return
    for task, scenario in batch:
        try:
            result = simulate(
                scenario,
                replications=replications,
                seed=task.seed,
                record_events=False,
                metrics=metrics,
            )
        except Exception as exc:
            failures.append(_failure(task, exc))
            continue
        yield task, result


def _failure(task: PointTask, exc: Exception) -> dict[str, Any]:
    return {
        "point": task.point,
        "error": f"{type(exc).__name__}: {exc}",
        "traceback": traceback.format_exc(limit=-3),
    }


def _summary_rows(result: SimulationResult, point: int, names: tuple[str, ...]) -> pd.DataFrame:
    table = result.per_replication()[list(names)].astype(np.float64)
    table.insert(0, "replication", np.arange(result.replications, dtype=np.int64))
    table.insert(0, "point", np.int64(point))
    return table


def _daily_rows(result: SimulationResult, point: int, names: tuple[str, ...]) -> pd.DataFrame:
    days, _, reps = result.values.shape
    columns = [result.names.index(name) for name in names]
    values = result.values[:, columns, :].transpose(2, 0, 1).reshape(days * reps, len(columns))
    table = pd.DataFrame(values, columns=list(names))
    table.insert(0, "day", np.tile(np.arange(1, days + 1, dtype=np.int64), reps))
    table.insert(0, "replication", np.repeat(np.arange(reps, dtype=np.int64), days))
    table.insert(0, "point", np.int64(point))
    return table


def empty_rows(names: tuple[str, ...]) -> pd.DataFrame:
    """A summary table with no rows: `point`, `replication`, then each output."""
    columns = {"point": np.int64, "replication": np.int64} | dict.fromkeys(names, np.float64)
    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in columns.items()})

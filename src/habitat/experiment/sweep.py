"""Run a sweep into a folder: manifest first, one part file per chunk, resume, consolidate."""

from __future__ import annotations

import hashlib
import itertools
import json
import logging
import math
import platform
import secrets
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from habitat.experiment.backends import Backend
from habitat.experiment.design import design_points, point_values
from habitat.experiment.points import (
    Chunk,
    ChunkResult,
    PointTask,
    batch_points,
    empty_rows,
    run_chunk,
)
from habitat.experiment.spec import Experiment
from habitat.files import write_atomically
from habitat.sim.batch import batchable_path
from habitat.sim.output import VERSIONED_PACKAGES, git_commit, package_versions

log = logging.getLogger(__name__)

__all__ = [
    "CHUNKS_PER_WORKER",
    "MAX_CHUNK_POINTS",
    "POINTS_PER_CHUNK",
    "POINT_CHUNKS",
    "SweepError",
    "SweepSummary",
    "check_out",
    "run_sweep",
]

#: Chunks per worker, at least: enough that the last chunks do not leave a worker
#: idle for long, few enough that points of the same shape share a batched run
#: (`habitat.experiment.points.BATCH_COLUMNS`), which is what makes a chunk cheap.
CHUNKS_PER_WORKER = 2
#: Chunks a sweep on a cluster (workers unknown) is cut into: one per this many points...
POINTS_PER_CHUNK = 4
#: ...up to this many, which keeps 16 workers busy with 2 chunks each. A cluster's
#: workers often join after the sweep starts, so its chunks cannot wait for them.
POINT_CHUNKS = 32
#: Largest chunk: bounds the work lost to an interruption and keeps the bar moving.
MAX_CHUNK_POINTS = 64
#: The Python work of a day of a run costs about as much as this many columns of
#: numpy work (measured on the territory benchmark: 2.4 ms against 3.1 us a column
#: for 7 dwellings); used to weigh chunks.
PYTHON_COLUMNS = 800
#: Extra packages whose versions the manifest records.
SWEEP_PACKAGES = ("SALib", "dask", "distributed")

MANIFEST = "manifest.json"
DESIGN = "design.parquet"
RESULTS = "results.parquet"
DAILY = "daily.parquet"
FAILURES = "failures.json"
PARTS = "parts"


class SweepError(ValueError):
    """The output folder cannot take this sweep; `str()` is the message a user sees."""


@dataclass(frozen=True)
class SweepSummary:
    """How a sweep went."""

    points: int
    completed: int
    failed: int
    resumed_from: int
    seconds: float
    out: Path


def fingerprint(experiment: Experiment) -> str:
    """A hash of the resolved experiment: a folder resumes only the same experiment."""
    text = json.dumps(experiment.record(), sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_out(out: Path, experiment: Experiment) -> bool:
    """Check that `out` can take this sweep, without writing anything.

    Returns:
        True when `out` holds an earlier run of the same experiment (a resume).

    Raises:
        SweepError: `out` is a file, a folder with other content, or a sweep of
            another experiment.
    """
    if not out.exists():
        return False
    if not out.is_dir():
        raise SweepError(f"--out: {out} exists and is not a folder")
    manifest = out / MANIFEST
    if not manifest.exists():
        if any(out.iterdir()):
            raise SweepError(f"--out: {out} is not empty and holds no sweep; choose a new folder")
        return False
    try:
        earlier = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SweepError(f"--out: {manifest} cannot be read ({exc})") from None
    if earlier.get("fingerprint") != fingerprint(experiment):
        raise SweepError(
            f"--out: {out} holds a sweep of another experiment (or of this one before a change); "
            "choose a new folder to keep both"
        )
    return True


def run_sweep(
    experiment: Experiment,
    out: Path,
    backend: Backend,
    source: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
    progress_bar: bool = False,
    evaluate: Callable[[Chunk], ChunkResult] = run_chunk,
) -> SweepSummary:
    """Run (or resume) every point of an experiment and write the results into `out`.

    The manifest and the design are written first; each finished chunk becomes its
    own part file (written under a temporary name, then renamed), so an interrupted
    sweep loses at most the chunks under way and a rerun skips every finished point.
    Points that failed before are tried again. At the end the parts are consolidated
    into `results.parquet` (and `daily.parquet`), and `failures.json` lists the
    points that failed, with their error.

    Args:
        experiment: a resolved experiment (see `load_experiment`).
        out: the output folder (created if needed; see `check_out`).
        backend: where chunks run.
        source: the experiment file, recorded in the manifest.
        on_progress: called as `on_progress(points_done, points)` after each chunk.
        progress_bar: show a tqdm bar (points, with time left) on stderr.
        evaluate: the model, run on each chunk (default: the habitat simulation); a
            stand-in such as a test function checks the wiring of design and analysis.

    Returns:
        The counts of points completed and failed.
    """
    start = time.perf_counter()
    check_out(out, experiment)
    design = design_points(experiment)
    parts = out / PARTS
    parts.mkdir(parents=True, exist_ok=True)
    manifest = _manifest(experiment, design, backend, source)
    _write_json(out / MANIFEST, manifest)
    write_atomically(out / DESIGN, lambda p: design.to_parquet(p, index=False))

    for stale in parts.glob("*.failures.json"):
        stale.unlink()  # failed points are tried again
    done = _finished_points(parts)
    pending = design[~design.point.isin(done)]
    # A cluster's workers come and go: its chunks depend on the points alone.
    workers = 0 if getattr(backend, "elastic", False) else backend.workers
    chunks = _chunks(experiment, pending, workers)
    log.debug(
        "%d points to run, %d done before, on %s", len(pending), len(done), type(backend).__name__
    )

    bar = None
    if progress_bar:
        from tqdm import tqdm

        bar = tqdm(
            total=len(design),
            initial=len(done),
            unit="point",
            desc=experiment.name[:30],
            file=sys.stderr,
            smoothing=0.1,
        )
    finished = len(done)
    failed = 0
    try:
        for chunk, outcome in backend.run(evaluate, chunks):
            if isinstance(outcome, BaseException):
                outcome = _chunk_failed(chunk, outcome)
            failed += len(outcome.failures)
            _write_part(parts, chunk, outcome, design)
            finished += len(chunk.points)
            if bar is not None:
                bar.update(len(chunk.points))
            if on_progress is not None:
                on_progress(finished, len(design))
    except BaseException as stop:  # Ctrl-C, a lost cluster: the folder says so, then resumes
        manifest |= {
            "status": "interrupted",
            "interrupted_by": f"{type(stop).__name__}: {stop}".rstrip(": "),
            "completed_so_far": len(_finished_points(parts)),
            "backend": backend.describe(),
            "seconds": round(time.perf_counter() - start, 3),
        }
        _write_json(out / MANIFEST, manifest)
        raise
    finally:
        if bar is not None:
            bar.close()

    failures = _consolidate(out, experiment)
    manifest |= {
        "backend": backend.describe(),  # with the workers that joined on the way
        "status": "complete",
        "completed": len(design) - len(failures),
        "failed": len(failures),
        "seconds": round(time.perf_counter() - start, 3),
    }
    _write_json(out / MANIFEST, manifest)
    return SweepSummary(
        points=len(design),
        completed=len(design) - len(failures),
        failed=len(failures),
        resumed_from=len(done),
        seconds=time.perf_counter() - start,
        out=out,
    )


def _manifest(
    experiment: Experiment, design: pd.DataFrame, backend: Backend, source: str | None
) -> dict[str, Any]:
    versions = {
        "python": platform.python_version(),
        **package_versions((*VERSIONED_PACKAGES, *SWEEP_PACKAGES)),
    }
    manifest = {
        "experiment_file": source,
        "experiment": experiment.record(),
        "fingerprint": fingerprint(experiment),
        "points": len(design),
        "replications": experiment.replications,
        "seeds": {
            "experiment": experiment.seed,
            "rule": "point i runs with SeedSequence(seed, spawn_key=(1, i)); its replications "
            "are the columns of one batched run; the sampler uses spawn_key=(0,)",
            "points": design.seed.tolist(),
        },
        "backend": backend.describe(),
        "versions": versions,
        "git_commit": git_commit(),
        "status": "running",
        "files": {
            "design": DESIGN,
            "results": RESULTS,
            "daily": DAILY if experiment.outputs.daily else None,
            "failures": FAILURES,
        },
    }
    if experiment.posterior is not None:
        manifest["posterior"] = {
            "file": experiment.posterior.file,
            "draws": experiment.draws,
            "replications_per_draw": experiment.replications_per_run,
            "rule": "the draws are rows of the posterior picked by weight (systematic "
            "resampling) with SeedSequence(seed, spawn_key=(2,)); "
            "point = design_point x draws + draw",
        }
    return manifest


def _chunks(experiment: Experiment, pending: pd.DataFrame, workers: int) -> list[Chunk]:
    """Cut the pending points into chunks, the most work first.

    Points that differ only in values a batched run carries per habitat (see
    `habitat.sim.batch.batchable_path`) form a group, cut into even pieces of at
    most `size` points (what one batched run takes). While there are fewer pieces
    than `CHUNKS_PER_WORKER` per worker, the biggest is halved: every worker gets
    work, but no batch is cut for nothing, since each costs a day's Python work (cutting
    the territory benchmark's 6 batches into 25 pieces made it 5x slower on 2 workers).
    `workers` is 0 for a cluster, whose workers come and go: its target is then one
    piece per `POINTS_PER_CHUNK` points (at most `POINT_CHUNKS`), so that workers
    joining later get work too.
    Small pieces (under a quarter of a fair share of the work) share a chunk, so
    that no chunk is mostly scheduling. Chunks go out in decreasing order of
    estimated work: the last to finish are short.
    """
    if pending.empty:
        return []
    tasks = [
        PointTask(int(row["point"]), int(row["seed"]), point_values(experiment, row))
        for _, row in pending.iterrows()
    ]
    size = min(
        MAX_CHUNK_POINTS,
        batch_points(
            experiment.replications_per_run,
            experiment.days or 365,  # None only for a stand-in model (tests)
            len(set(experiment.outputs.summary_names) | set(experiment.outputs.daily)),
        ),
    )
    groups: dict[str, list[PointTask]] = {}
    for task in tasks:
        fixed = {path: value for path, value in task.values.items() if not batchable_path(path)}
        groups.setdefault(json.dumps(fixed, sort_keys=True, default=str), []).append(task)
    pieces: list[list[PointTask]] = []
    for group in groups.values():
        count = math.ceil(len(group) / size)  # even pieces: 10 by 3 is 3, 3, 2, 2
        bounds = [len(group) * i // count for i in range(count + 1)]
        pieces.extend(group[a:b] for a, b in itertools.pairwise(bounds))
    if workers:
        # Known workers: two chunks each is enough, and whole batches stay whole.
        target = workers * CHUNKS_PER_WORKER
    else:
        # A cluster whose workers join later: enough chunks for the workers to come.
        target = min(math.ceil(len(tasks) / POINTS_PER_CHUNK), POINT_CHUNKS)
    while len(pieces) < target:
        biggest = max(pieces, key=lambda p: _work(experiment, p))
        if len(biggest) == 1:
            break
        pieces.remove(biggest)
        half = len(biggest) // 2
        pieces += [biggest[:half], biggest[half:]]
    weighed = [(piece, _work(experiment, piece)) for piece in pieces]
    # Pieces share a chunk only while it stays small: merging saves scheduling, not
    # work, and big chunks balance badly.
    small = sum(work for _, work in weighed) / target / 4
    packed: list[tuple[list[PointTask], float]] = []
    for piece, work in sorted(weighed, key=lambda p: p[1], reverse=True):
        for i, (chunk, done) in enumerate(packed):  # first fit
            if done + work <= small and len(chunk) + len(piece) <= size:
                packed[i] = (chunk + piece, done + work)
                break
        else:
            packed.append((list(piece), work))
    scenario = experiment.scenario_data
    summaries = tuple(experiment.outputs.summary_names)
    daily = tuple(experiment.outputs.daily)
    packed.sort(key=lambda p: p[1], reverse=True)
    return [
        Chunk(
            scenario=scenario,
            replications=experiment.replications_per_run,
            summaries=summaries,
            daily=daily,
            points=tuple(sorted(chunk, key=lambda t: t.point)),
        )
        for chunk, _ in packed
    ]


def _work(experiment: Experiment, piece: list[PointTask]) -> float:
    """Rough cost of one batched run: dwellings x (columns + the Python work of a day)."""
    base = experiment.scenario_data.get("habitat", {}).get("dwellings", 8)
    dwellings = piece[0].values.get("habitat.dwellings", base)
    return dwellings * (len(piece) * experiment.replications_per_run + PYTHON_COLUMNS)


def _chunk_failed(chunk: Chunk, exc: BaseException) -> ChunkResult:
    """A chunk whose worker died: every point of it is a failure, the sweep goes on."""
    error = f"{type(exc).__name__}: {exc}"
    return ChunkResult(
        rows=empty_rows(chunk.summaries),
        daily=None,
        failures=[{"point": p, "error": error, "traceback": ""} for p in chunk.indices],
    )


def _write_part(parts: Path, chunk: Chunk, result: ChunkResult, design: pd.DataFrame) -> None:
    name = f"{chunk.points[0].point:07d}-{secrets.token_hex(4)}"
    if not result.rows.empty:
        rows = design.merge(result.rows, on="point", how="inner", validate="one_to_many")
        first = ["point", "replication", "seed"]
        rows = rows[first + [c for c in rows.columns if c not in first]]
        if result.daily is not None:
            daily = result.daily
            write_atomically(
                parts / f"{name}.daily.parquet", lambda p: daily.to_parquet(p, index=False)
            )
        # The rows file comes last: its presence is what marks the points finished.
        write_atomically(parts / f"{name}.rows.parquet", lambda p: rows.to_parquet(p, index=False))
    if result.failures:
        _write_json(parts / f"{name}.failures.json", result.failures)


def _finished_points(parts: Path) -> set[int]:
    done: set[int] = set()
    for part in parts.glob("*.rows.parquet"):
        done.update(pd.read_parquet(part, columns=["point"]).point.unique().tolist())
    return done


def _consolidate(out: Path, experiment: Experiment) -> list[dict[str, Any]]:
    parts = out / PARTS
    frames = [pd.read_parquet(p) for p in sorted(parts.glob("*.rows.parquet"))]
    if not frames:  # every point failed: an empty table with the right columns
        empty = empty_rows(tuple(experiment.outputs.summary_names))
        frames = [design_points(experiment).iloc[0:0].merge(empty, on="point")]
    results = pd.concat(frames, ignore_index=True)
    results = results.sort_values(["point", "replication"], ignore_index=True)
    write_atomically(out / RESULTS, lambda p: results.to_parquet(p, index=False))
    if experiment.outputs.daily:
        daily = [pd.read_parquet(p) for p in sorted(parts.glob("*.daily.parquet"))]
        if daily:
            table = pd.concat(daily, ignore_index=True)
            table = table.sort_values(["point", "replication", "day"], ignore_index=True)
            write_atomically(out / DAILY, lambda p: table.to_parquet(p, index=False))
    failures = []
    for part in sorted(parts.glob("*.failures.json")):
        failures.extend(json.loads(part.read_text(encoding="utf-8")))
    failures.sort(key=lambda f: f["point"])
    _write_json(out / FAILURES, failures)
    return failures


def _write_json(path: Path, data: Any) -> None:
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_atomically(path, lambda p: Path(p).write_text(text, encoding="utf-8"))

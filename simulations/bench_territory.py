"""Benchmark: a territory of 100 habitats x 100 replications x 5 years, local and Dask.

Runs `simulations/territory/experiment.yaml` twice through `habitat sweep`'s own code
path: on local worker processes, then on a Dask LocalCluster with the same number of
workers, checks that both give identical results, and prints the wall-clock seconds
of each, with the CPU seconds of all processes (this one, workers, scheduler) and the
load average before the run: on a shared machine the wall clock depends on what else
runs, the CPU seconds much less. Target (issue 6): at most 60 s with local processes
on the 2-core machine.

Usage: python simulations/bench_territory.py [--workers 2] [--habitats 100]
    [--replications 100] [--days 1825] [--skip-dask]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd

from habitat.experiment import load_experiment, run_sweep
from habitat.experiment.backends import DaskBackend, LocalProcessBackend

EXPERIMENT = Path(__file__).resolve().parent / "territory" / "experiment.yaml"


def cpu_seconds() -> float:
    """CPU seconds so far of this process and of its finished descendants."""
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def timed(experiment, out: Path, make_backend) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and the 1-minute load average before the run."""
    load = os.getloadavg()[0]
    cpu, start = cpu_seconds(), time.perf_counter()
    backend = make_backend()  # starting the workers (or the cluster) is part of it
    try:
        summary = run_sweep(experiment, out, backend, progress_bar=True)
    finally:
        backend.close()
    if summary.failed:
        raise SystemExit(f"{summary.failed} points failed; see {out / 'failures.json'}")
    return time.perf_counter() - start, cpu_seconds() - cpu, load


def report(backend: str, wall: float, cpu: float, load: float) -> str:
    return f"  {backend + ':':20s} {wall:6.1f} s  ({cpu:.1f} CPU s; load average before {load:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--habitats", type=int, default=100)
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--days", type=int, default=1825)
    parser.add_argument("--skip-dask", action="store_true", help="time local processes only")
    args = parser.parse_args()
    experiment = load_experiment(
        EXPERIMENT,
        [
            f"design.samples={args.habitats}",
            f"replications={args.replications}",
            f"days={args.days}",
        ],
    )
    work = Path(tempfile.mkdtemp(prefix="bench_territory_"))
    try:
        local = timed(experiment, work / "local", lambda: LocalProcessBackend(args.workers))
        print(
            f"{args.habitats} habitats x {args.replications} replications x {args.days} days, "
            f"{args.workers} workers"
        )
        print(report("local processes", *local))
        if not args.skip_dask:
            dask = timed(experiment, work / "dask", lambda: DaskBackend.local(args.workers))
            same = pd.read_parquet(work / "local" / "results.parquet").equals(
                pd.read_parquet(work / "dask" / "results.parquet")
            )
            print(report("Dask LocalCluster", *dask) + f"; results identical: {same}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

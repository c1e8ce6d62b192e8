"""Start a Dask cluster on SLURM for `habitat sweep`, from slurm.yaml (needs dask-jobqueue).

Run it on the login node; it writes the scheduler's address to a file the sweep reads:

    python simulations/cluster/slurm_cluster.py --jobs 4 --scheduler-file ~/scheduler.json &
    habitat sweep EXPERIMENT.yaml --out runs/NAME --scheduler-file ~/scheduler.json

The sweep checks each worker's habitat (version and source files) before any work.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "slurm.yaml"


def slurm_options(config: Path = CONFIG) -> dict:
    """The `SLURMCluster` keyword arguments slurm.yaml gives (jobqueue.slurm)."""
    options = yaml.safe_load(config.read_text(encoding="utf-8"))["jobqueue"]["slurm"]
    # The configuration's `name` is the constructor's `job_name`.
    names = {"name": "job_name"}
    return {names.get(key, key.replace("-", "_")): value for key, value in options.items()}


def make_cluster(config: Path = CONFIG, **overrides):
    """A `SLURMCluster` (its scheduler runs here; no job is submitted until `scale`)."""
    from dask_jobqueue import SLURMCluster

    return SLURMCluster(**(slurm_options(config) | overrides))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=1, help="SLURM jobs to submit")
    parser.add_argument("--scheduler-file", type=Path, required=True)
    args = parser.parse_args()
    cluster = make_cluster()
    cluster.scale(jobs=args.jobs)
    args.scheduler_file.write_text(json.dumps({"address": cluster.scheduler_address}))
    print(f"scheduler {cluster.scheduler_address}; dashboard {cluster.dashboard_link}")
    try:
        while True:  # the cluster lives as long as this process
            time.sleep(60)
    finally:
        cluster.close()


if __name__ == "__main__":
    main()

"""Reproduce a study: sweep its experiment, analyse it, copy the tables and figures.

Runs `habitat sweep simulations/NAME/experiment.yaml --out runs/studies/NAME` then
`habitat analyze` on it, and copies `analysis/*.csv`, `analysis/*.png` and
`report.html` into `simulations/NAME/results/`, where the study's README shows them.

Usage: python simulations/run_study.py NAME [--workers N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from habitat.cli import main as habitat

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("study", help="a folder of simulations/ holding experiment.yaml")
    parser.add_argument("--workers", help="worker processes (default: one per core)")
    args = parser.parse_args()
    experiment = HERE / args.study / "experiment.yaml"
    out = ROOT / "runs" / "studies" / args.study
    sweep = ["sweep", str(experiment), "--out", str(out)]
    if args.workers:
        sweep += ["--workers", args.workers]
    status = habitat(sweep)
    if status != 0:
        return status
    status = habitat(["analyze", str(out)])
    if status != 0:
        return status
    results = HERE / args.study / "results"
    shutil.rmtree(results, ignore_errors=True)
    results.mkdir()
    for path in sorted((out / "analysis").iterdir()):
        shutil.copy2(path, results / path.name)
    shutil.copy2(out / "report.html", results / "report.html")
    print(f"copied the tables, figures and report to {results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

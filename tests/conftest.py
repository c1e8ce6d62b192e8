"""Shared fixtures: scenario files, the baseline scenario, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

from habitat import Scenario, load_scenario
from habitat.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))

# Property tests check what holds, not how fast: Hypothesis's per-example deadline
# (200 ms) is a timed assertion, which failed on a loaded machine (an interval drawn
# from 200,000 beta draws). Speed is measured by the benchmarks (`make bench`).
settings.register_profile("habitat", deadline=None)
settings.load_profile("habitat")


@pytest.fixture
def baseline_scenario() -> Scenario:
    return load_scenario(SCENARIOS / "elderly_baseline.yaml")


@pytest.fixture
def run_cli(capsys):
    """Run `habitat ...` in-process; return (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        try:
            status = main(list(args))
        except SystemExit as exc:  # argparse exits on bad flags
            status = exc.code
        out, err = capsys.readouterr()
        return status, out, err

    return run

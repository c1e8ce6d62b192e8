"""Shared fixtures: scenario files, the baseline scenario, and a CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitat import Scenario, load_scenario
from habitat.cli import main

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
SCENARIO_FILES = sorted(SCENARIOS.glob("*.yaml"))


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

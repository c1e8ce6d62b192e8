"""Every scenario file in scenarios/ is documented, loads, and runs."""

from __future__ import annotations

import numpy as np
import pytest

from habitat import load_scenario, simulate

from .conftest import SCENARIO_FILES


def test_the_folder_holds_the_scenarios_the_issue_names():
    names = {path.stem for path in SCENARIO_FILES}
    assert {
        "elderly_baseline",
        "mixed_disabilities",
        "two_involved_families",
        "rural_poor_access",
        "thin_animator",
        "own_providers",
        "family_withdrawal_day90",
    } <= names


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_file_has_a_comment_header(path):
    first_lines = path.read_text(encoding="utf-8").splitlines()[:3]
    assert all(line.startswith("#") for line in first_lines), "document the scenario in a header"


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_scenario_file_loads_and_runs_30_days(path):
    scenario = load_scenario(path)
    late_shocks = [s for s in scenario.shocks if s.day > 30]
    if late_shocks:
        scenario = scenario.model_copy(
            update={"shocks": [s for s in scenario.shocks if s.day <= 30]}
        )
    result = simulate(scenario, days=30, replications=3, seed=7)
    metrics = result.metrics
    assert len(metrics) == 30 * 3
    assert metrics["residents"].min() >= 1
    assert np.isfinite(metrics.drop(columns=["replication", "day"]).to_numpy()).all()

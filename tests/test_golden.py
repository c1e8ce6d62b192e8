"""Seeded golden summary of the baseline: any change in behaviour shows here.

When a change to the model is intended, regenerate with
`HABITAT_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py` and explain
the new numbers in the commit message.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from habitat import simulate

GOLDEN = Path(__file__).parent / "golden" / "elderly_baseline_seed2026.json"


def test_baseline_summary_matches_golden_values(baseline_scenario):
    result = simulate(baseline_scenario, replications=20, seed=2026)
    summary = result.summary(key_only=False).set_index("metric")
    actual = {
        metric: {k: round(float(row[k]), 9) for k in ("median", "p5", "p95")}
        for metric, row in summary.iterrows()
    }
    if os.environ.get("HABITAT_UPDATE_GOLDEN"):
        GOLDEN.write_text(json.dumps(actual, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("golden values rewritten")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert actual.keys() == expected.keys()
    for metric, values in expected.items():
        assert actual[metric] == pytest.approx(values, rel=1e-9, abs=1e-9), metric

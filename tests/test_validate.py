"""`habitat validate` at a small size: every pattern gets a verdict; bad flags are named."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from habitat.evidence import load_evidence
from habitat.experiment import statistics
from habitat.experiment.statistics import STATISTICS, NotMeasurable

SMALL = ("validate", "--replications", "3", "--days", "30", "--seed", "7")
VERDICTS = {"consistent", "too low", "too high", "not measurable"}
PATTERNS = [e.id for e in load_evidence("patterns", frozenset(STATISTICS))]


def test_the_table_has_every_pattern_and_a_verdict(run_cli):
    status, out, err = run_cli(*SMALL)
    assert status == EXIT_OK, err
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["pattern", "source"]
    for pattern in PATTERNS:
        row = next(line for line in lines if line.strip().startswith(pattern))
        assert any(row.rstrip().endswith(v) for v in VERDICTS), row
    assert "3 replications, seed 7, horizons capped at 30 days" in out


def test_csv_and_json_say_the_same(run_cli):
    _, csv_out, _ = run_cli(*SMALL, "--format", "csv")
    _, json_out, _ = run_cli(*SMALL, "--format", "json")
    table = pd.read_csv(io.StringIO(csv_out))
    records = json.loads(json_out)
    assert list(table["id"]) == PATTERNS == [r["id"] for r in records]
    assert set(table["verdict"]) <= VERDICTS
    assert list(table["verdict"]) == [r["verdict"] for r in records]
    assert (table["horizon_days"] <= 30).all()


def test_out_writes_the_table_and_a_manifest(run_cli, tmp_path):
    status, _, _ = run_cli(*SMALL, "--evidence", "all", "--out", str(tmp_path / "v"))
    assert status == EXIT_OK
    manifest = json.loads((tmp_path / "v" / "manifest.json").read_text("utf-8"))
    assert manifest["seed"] == 7 and manifest["replications"] == 3 and manifest["days_cap"] == 30
    assert manifest["versions"]["numpy"] and "git_commit" in manifest
    written = pd.read_csv(tmp_path / "v" / "validation.csv")
    targets = [e.id for e in load_evidence("targets", frozenset(STATISTICS))]
    assert list(written["id"]) == PATTERNS + targets == manifest["entries"]


def test_the_same_seed_gives_the_same_table(run_cli):
    first = run_cli(*SMALL, "--format", "csv")[1]
    assert run_cli(*SMALL, "--format", "csv")[1] == first


def test_a_statistic_the_model_cannot_measure_says_why(run_cli, monkeypatch):
    def unmeasurable(observation, horizon):
        raise NotMeasurable("the model has no sex")

    monkeypatch.setitem(
        statistics.STATISTICS, "share_of_apa_closures_that_are_deaths", unmeasurable
    )
    status, out, _ = run_cli(*SMALL)
    assert status == EXIT_OK
    row = next(line for line in out.splitlines() if line.strip().startswith("exits_that_are"))
    assert row.rstrip().endswith("not measurable")
    assert "not measurable: exits_that_are_deaths: the model has no sex" in out


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (("--replications", "0"), "--replications must be between 1 and 2000, got 0"),
        (("--seed", "-1"), "--seed must be 0 or more, got -1"),
        (("--days", "soon"), "--days must be a whole number, got 'soon'"),
        (("--format", "xml"), "argument --format: invalid choice: 'xml'"),
        (("--evidence", "rumours"), "argument --evidence: invalid choice: 'rumours'"),
    ],
)
def test_a_bad_flag_is_one_line_naming_it(run_cli, flags, message):
    status, out, err = run_cli("validate", *flags)
    assert status == EXIT_BAD_INPUT
    assert message in err and len(err.strip().splitlines()) == 1 and not out


def test_out_that_is_a_file_is_refused_before_running(run_cli, tmp_path):
    taken = tmp_path / "taken"
    taken.write_text("x")
    status, _, err = run_cli("validate", "--out", str(taken))
    assert status == EXIT_BAD_INPUT
    assert err.strip() == f"habitat validate: error: --out: {taken} is a file, not a folder"

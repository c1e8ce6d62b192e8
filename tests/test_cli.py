"""`habitat simulate`: the summary a user reads and the files a researcher keeps."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pandas as pd

from habitat.cli import build_parser
from habitat.sim.metrics import METRIC_NAMES

from .conftest import SCENARIOS

BASELINE = str(SCENARIOS / "elderly_baseline.yaml")


def test_simulate_prints_summary_and_writes_results(run_cli, tmp_path):
    out = tmp_path / "run"
    status, stdout, _ = run_cli(
        "simulate",
        BASELINE,
        "--days",
        "60",
        "-r",
        "4",
        "--seed",
        "5",
        "--out",
        str(out),
        "-q",
        "--set",
        "animator.hours_per_week=20",
    )
    assert status == 0
    assert "Elderly baseline: 4 replications x 60 days, seed 5" in stdout
    assert "median [90% interval]" in stdout
    for metric in ("quality_of_life", "unmet_individual_hours", "ruptures", "avp_spent_eur"):
        assert metric in stdout

    metrics = pd.read_parquet(out / "metrics.parquet")
    assert list(metrics.columns) == ["replication", "day", *METRIC_NAMES]
    assert len(metrics) == 4 * 60
    assert sorted(metrics.replication.unique()) == [0, 1, 2, 3]
    assert metrics.day.min() == 1 and metrics.day.max() == 60

    events = pd.read_csv(out / "events.csv")
    assert list(events.columns) == ["replication", "day", "kind", "who", "what"]
    assert len(events) > 0

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 5 and manifest["replications"] == 4 and manifest["days"] == 60
    assert manifest["overrides"] == ["animator.hours_per_week=20"]
    assert manifest["scenario"]["animator"]["hours_per_week"] == 20
    assert manifest["scenario"]["days"] == 60
    assert manifest["versions"]["mesa"].startswith("3.3")
    assert "git_commit" in manifest


def test_manifest_scenario_reruns_to_the_same_numbers(run_cli, tmp_path):
    import yaml

    out = tmp_path / "first"
    run_cli("simulate", BASELINE, "--days", "40", "-r", "3", "--seed", "9", "--out", str(out), "-q")
    manifest = json.loads((out / "manifest.json").read_text())
    again = tmp_path / "again.yaml"
    again.write_text(yaml.safe_dump(manifest["scenario"]), encoding="utf-8")
    run_cli(
        "simulate", str(again), "-r", "3", "--seed", "9", "--out", str(tmp_path / "second"), "-q"
    )
    first = pd.read_parquet(out / "metrics.parquet")
    second = pd.read_parquet(tmp_path / "second" / "metrics.parquet")
    pd.testing.assert_frame_equal(first, second)


def test_large_runs_drop_the_event_log_unless_asked(run_cli, tmp_path):
    run_cli("simulate", BASELINE, "--days", "10", "-r", "50", "--out", str(tmp_path / "a"), "-q")
    assert not (tmp_path / "a" / "events.csv").exists()
    run_cli(
        "simulate",
        BASELINE,
        "--days",
        "10",
        "-r",
        "50",
        "--events",
        "--out",
        str(tmp_path / "b"),
        "-q",
    )
    assert (tmp_path / "b" / "events.csv").exists()


def test_progress_bar_and_installed_command():
    done = subprocess.run(
        [sys.executable, "-m", "habitat.cli", "simulate", BASELINE, "--days", "20", "-r", "2"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "day" in done.stderr  # tqdm's bar, on stderr so stdout stays a clean table
    assert "Elderly baseline" in done.stdout


def test_every_command_and_option_has_help_text():
    def walk(parser, path):
        for option in parser._actions:
            if isinstance(option, argparse._SubParsersAction):
                assert option.help, f"{path} subcommands"
                for name, sub in option.choices.items():
                    assert sub.description, f"{path} {name}"
                    yield from walk(sub, f"{path} {name}")
            else:
                assert option.help, f"{path} {option.dest}"
        yield path

    commands = list(walk(build_parser(), "habitat"))
    assert "habitat db backup" in commands
    assert "habitat erase resident" in commands

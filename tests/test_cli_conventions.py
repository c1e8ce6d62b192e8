"""The command's manners: --version, `python -m habitat`, -v/-q, output files as the umask says."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from habitat import __version__

from .conftest import SCENARIOS

BASELINE = str(SCENARIOS / "elderly_baseline.yaml")
SMALL_SWEEP = f"""\
name: Small sweep
scenario: {BASELINE}
days: 10
replications: 2
seed: 5
factors:
  - path: animator.hours_per_week
    levels: [7, 28]
outputs:
  summaries: [quality_of_life]
"""
#: umask -> the mode of a file the command writes: readable by colleagues unless the user says no.
UMASKS = {0o022: 0o644, 0o077: 0o600}


@pytest.fixture(params=sorted(UMASKS), ids=lambda u: f"umask{u:03o}")
def umask(request):
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


@pytest.fixture
def small_sweep_file(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(SMALL_SWEEP, encoding="utf-8")
    return path


def _modes(folder):
    return {
        p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_version(run_cli):
    status, out, _ = run_cli("--version")
    assert status == 0
    assert out.strip() == f"habitat {__version__}"


def test_python_dash_m_habitat_shows_the_commands():
    done = subprocess.run(
        [sys.executable, "-m", "habitat", "--help"], capture_output=True, text=True, check=True
    )
    assert "usage: habitat" in done.stdout
    for command in ("simulate", "sweep", "analyze", "db", "export", "erase", "serve", "users"):
        assert command in done.stdout


def test_simulate_out_files_follow_the_umask(umask, run_cli, tmp_path):
    out = tmp_path / "run"
    status, _, err = run_cli(
        "simulate", BASELINE, "--days", "10", "-r", "2", "-q", "--out", str(out)
    )
    assert status == 0, err
    modes = _modes(out)
    assert set(modes) >= {"metrics.parquet", "manifest.json"}
    assert set(modes.values()) == {UMASKS[umask]}, modes


def test_sweep_and_analyze_files_follow_the_umask(umask, run_cli, small_sweep_file, tmp_path):
    out = tmp_path / "sweep"
    status, _, err = run_cli(
        "sweep", str(small_sweep_file), "--out", str(out), "--workers", "1", "-q"
    )
    assert status == 0, err
    status, _, err = run_cli("analyze", str(out))
    assert status == 0, err
    modes = _modes(out)
    assert {"results.parquet", "manifest.json", "failures.json", "report.html"} <= set(modes)
    assert set(modes.values()) == {UMASKS[umask]}, modes


def test_db_backup_follows_the_umask(umask, run_cli, tmp_path):
    db = tmp_path / "habitat.db"
    assert run_cli("db", "init", "--db", str(db))[0] == 0
    backup = tmp_path / "copies" / "habitat.bak"
    status, _, err = run_cli("db", "backup", str(backup), "--db", str(db))
    assert status == 0, err
    assert stat.S_IMODE(backup.stat().st_mode) == UMASKS[umask]


def test_quiet_silences_information_lines(run_cli, small_sweep_file, tmp_path):
    out = tmp_path / "sweep"
    sweep = ("sweep", str(small_sweep_file), "--out", str(out), "--workers", "1")
    assert run_cli(*sweep, "-q")[0] == 0
    status, _, err = run_cli(*sweep, "-q")
    assert status == 0 and "resuming the sweep" in err
    status, stdout, err = run_cli("-q", *sweep)
    assert status == 0 and "(2 done before)" in stdout
    assert err == ""


def test_verbose_and_quiet_together_are_refused(run_cli):
    status, _, err = run_cli("-v", "-q", "db", "init")
    assert status == 2
    assert "not allowed with argument" in err


def _parsers(parser):
    """Every parser of the command, subcommands at every depth included."""
    import argparse

    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from _parsers(sub)


def test_every_help_page_prints_its_percent_signs_once():
    """argparse formats `help` with %, never `description`: no `%%` may show on screen."""
    from habitat.cli.main import build_parser

    pages = {p.prog: p.format_help() for p in _parsers(build_parser())}
    assert len(pages) > 20
    doubled = sorted(prog for prog, text in pages.items() if "%%" in text)
    assert doubled == []

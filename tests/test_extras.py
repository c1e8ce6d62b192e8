"""The core runs without the extras, and a command whose extra is missing says what to install."""

from __future__ import annotations

import subprocess
import sys

import pytest

from habitat.cli.exit_codes import EXIT_MISSING_EXTRA

from .conftest import ROOT, SCENARIOS

APP_MODULES = ["streamlit", "sqlite_utils", "argon2"]
RESEARCH_MODULES = ["SALib", "dask", "distributed", "matplotlib"]


def run_without(modules: list[str], *args: str) -> subprocess.CompletedProcess:
    """`habitat ARGS` in a fresh interpreter where `modules` cannot be imported."""
    code = (
        "import sys\n"
        f"for name in {modules!r}: sys.modules[name] = None\n"
        "from habitat.cli import main\n"
        f"sys.exit(main({list(args)!r}))\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_simulate_needs_only_the_core():
    done = run_without(
        APP_MODULES + RESEARCH_MODULES,
        "simulate",
        str(SCENARIOS / "elderly_baseline.yaml"),
        "--days",
        "5",
        "-r",
        "2",
        "--seed",
        "1",
        "-q",
    )
    assert done.returncode == 0, done.stderr
    assert "Elderly baseline" in done.stdout


def test_import_habitat_loads_no_app_or_research_library():
    code = (
        "import sys, habitat; "
        f"print(sorted(m for m in {APP_MODULES + RESEARCH_MODULES!r} if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("missing", "args", "extra"),
    [
        ("sqlite_utils", ["db", "init", "--db", "{tmp}/habitat.db"], "app"),
        ("streamlit", ["serve", "--demo", "--db", "{tmp}/habitat.db"], "app"),
        (
            "SALib",
            ["sweep", "{root}/simulations/sensitivity/experiment.yaml", "--out", "{tmp}/out"],
            "research",
        ),
    ],
)
def test_a_command_without_its_extra_says_what_to_install(tmp_path, missing, args, extra):
    args = [a.format(tmp=tmp_path, root=ROOT) for a in args]
    done = run_without([missing], *args)
    assert done.returncode == EXIT_MISSING_EXTRA
    assert done.stderr.strip().splitlines()[-1] == (
        f"habitat {args[0]}: error: {missing} is not installed; this command needs the "
        f"'{extra}' extra: pip install 'habitat-inclusif[{extra}]'"
    )
    assert "Traceback" not in done.stderr

"""The built wheel, installed in a fresh virtual environment far from the checkout, works.

What a new user does: build, `pip install 'habitat_inclusif-*.whl[app]'`, then simulate a
shipped scenario, create the demo database and serve it, from a folder outside the
source tree (so nothing is found in the checkout by accident). Takes one to two minutes;
pip's cache keeps the dependencies from being downloaded again.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import venv
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Upper bounds in seconds: a build, an install of the app's dependencies, a server start.
BUILD_S = 300
INSTALL_S = 600
HEALTHY_S = 90


def run(command: list[str], cwd: Path, timeout: float, env: dict[str, str]) -> str:
    done = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """A fresh venv with the wheel and its app extra; its bin folder, a work folder, an env."""
    base = tmp_path_factory.mktemp("installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "HABITAT_"))}
    run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(base / "dist"), str(ROOT)],
        cwd=base,
        timeout=BUILD_S,
        env=env,
    )
    (wheel,) = (base / "dist").glob("habitat_inclusif-*.whl")
    venv.create(base / "venv", with_pip=True)
    bin_dir = base / "venv" / "bin"
    run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", f"{wheel}[app]"],
        cwd=base,
        timeout=INSTALL_S,
        env=env,
    )
    work = base / "work"
    work.mkdir()
    return bin_dir, work, env


def test_the_wheel_ships_the_scenarios_the_app_and_its_settings(installed):
    bin_dir, work, env = installed
    code = (
        "import habitat, habitat.ui.serving as s, habitat.services.explore as e; "
        "print(habitat.__file__); print(s.APP.is_file()); print(len(e.scenario_files())); "
        "print(s.streamlit_flags())"
    )
    path, app_found, scenarios, flags = run(
        [str(bin_dir / "python"), "-c", code], cwd=work, timeout=120, env=env
    ).splitlines()
    assert "site-packages" in path and not path.startswith(str(ROOT))
    assert app_found == "True"
    assert int(scenarios) >= 7
    assert "--server.enableXsrfProtection=true" in flags
    assert "--client.showErrorDetails=none" in flags


def test_simulate_demo_and_serve_from_the_installed_wheel(installed):
    bin_dir, work, env = installed
    habitat = str(bin_dir / "habitat")
    scenario = run(
        [
            str(bin_dir / "python"),
            "-c",
            "from importlib.resources import files; "
            "print(files('habitat') / 'scenarios' / 'elderly_baseline.yaml')",
        ],
        cwd=work,
        timeout=60,
        env=env,
    ).strip()
    out = run(
        [habitat, "simulate", scenario, "--days", "30", "-r", "3", "--seed", "1", "-q"],
        cwd=work,
        timeout=300,
        env=env,
    )
    assert "Elderly baseline" in out
    db = work / "habitat.db"
    run([habitat, "db", "demo", "--db", str(db)], cwd=work, timeout=300, env=env)
    assert db.is_file()
    # A document from the installed package: WeasyPrint, its fonts and the house style.
    report = work / "rapport.pdf"
    year = str(date.today().year - 1)
    run(
        [habitat, "documents", "avp-report", "--year", year, "--db", str(db), "--out", str(report)],
        cwd=work,
        timeout=120,
        env=env,
    )
    assert report.read_bytes().startswith(b"%PDF")

    port = free_port()
    log = work / "serve.log"
    with log.open("w") as sink:
        server = subprocess.Popen(
            [habitat, "serve", "--db", str(db), "--port", str(port)],
            cwd=work,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + HEALTHY_S
        answer = None
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/_stcore/health", timeout=2
                ) as response:
                    answer = response.read().decode()
                    break
            except OSError:
                time.sleep(0.5)
        assert answer == "ok", log.read_text()
        # The page is served French from the installed package too (habitat.ui.french).
        opened = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"Accept": "text/html"}
        )
        with urllib.request.urlopen(opened, timeout=10) as response:
            assert b'<html lang="fr">' in response.read()
    finally:
        server.terminate()
        server.wait(timeout=30)

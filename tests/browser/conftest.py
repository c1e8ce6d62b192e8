"""A real Streamlit server on a demo database, and Debian's headless Chromium via Playwright.

The server is started the way `make run` starts it (`habitat serve --demo`), so
these tests also prove that command works on a machine with no database yet.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from habitat import demo
from habitat.services.auth import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
#: Flags for Chromium as root in a sandbox with no network but loopback.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
SERVE = [sys.executable, "-m", "habitat.cli", "serve"]
#: The first page load of Streamlit (its JS bundle, then pandas in the script) is slow.
LOAD_MS = 60_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    """A running app: where it listens and the database it serves."""

    url: str
    db: Path
    process: subprocess.Popen
    log: Path


def wait_healthy(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> float:
    """Poll `/_stcore/health` until it says ok; return the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not healthy after {timeout} s:\n{log.read_text()}")


def start_server(db: Path, log: Path) -> Server:
    """`habitat serve --demo` on a free port, in the background."""
    port = free_port()
    env = {**os.environ, "HABITAT_TODAY": demo.DEFAULT_END.isoformat()}
    with log.open("w") as out:
        process = subprocess.Popen(
            [*SERVE, "--demo", "--db", str(db), "--port", str(port), "--address", "127.0.0.1"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, log)
    return Server(url, db, process, log)


@contextmanager
def serving(folder: Path) -> Iterator[Server]:
    """A server on a new demo database in `folder`, stopped at the end."""
    running = start_server(folder / "habitat.db", folder / "server.log")
    try:
        yield running
    finally:
        running.process.terminate()
        try:
            running.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            running.process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """The app served on a demo database created by `habitat serve --demo`.

    Tests that compute for seconds (the explorer's) take their own server instead
    (`tests/browser/test_explorer.py`): one server runs every session's script in
    one process, so a long run slows every journey on the same server.
    """
    with serving(tmp_path_factory.mktemp("server")) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium; if missing, fail (never skip): `make test` installs it."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page, French locale, tablet-sized."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(LOAD_MS)
    tab = context.new_page()
    yield tab
    context.close()


def demo_usernames(server: Server) -> dict[str, str]:
    """The demo's username of each role, as `habitat serve --demo` printed them."""
    text = server.log.read_text()
    return dict(
        (role, name) for name, role in re.findall(r"^\s+(\S+)\s+(\w+)\s*$", text, re.MULTILINE)
    )


def sign_in(page, server: Server, role: str) -> None:
    """Open the app and sign in as the demo account of `role`; wait for the first page."""
    username = demo_usernames(server)[role]
    page.goto(server.url)
    page.get_by_label("Identifiant", exact=True).fill(username)
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Se déconnecter").wait_for()


def pytest_collection_modifyitems(items) -> None:
    """Every test under tests/browser is a `browser` test (`make test-fast` leaves them out)."""
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.browser)

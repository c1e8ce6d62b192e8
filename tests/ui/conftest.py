"""Fixtures for the app's tests: a demo database per test, and AppTest signed in by role."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from habitat import demo, store
from habitat.services.access import Screen
from habitat.services.auth import set_demo_passwords
from habitat.store.entities import Account, Role
from habitat.ui import session
from habitat.ui.navigation import page_file

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
#: The demo's history ends here; the app shows it as if today were that day.
TODAY = demo.DEFAULT_END
#: AppTest's default 3 s is too short for a first import of pandas and the store.
TIMEOUT = 60


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """One demo database (one year, passwords set), built once per test run."""
    path = tmp_path_factory.mktemp("demo") / "template.db"
    demo.build(path)
    with store.connect(path) as db:
        set_demo_passwords(db)
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the demo database, used by the app under test."""
    path = tmp_path / "habitat.db"
    shutil.copy(demo_template, path)
    monkeypatch.setenv("HABITAT_DB", str(path))
    monkeypatch.setenv("HABITAT_TODAY", TODAY.isoformat())
    return path


@pytest.fixture
def accounts(demo_db) -> dict[Role, Account]:
    """The demo's account of each role."""
    with store.connect(demo_db) as db:
        return {a.role: a for a in store.find(db, Account)}


def sign_in(app: AppTest, account: Account) -> AppTest:
    """Put a signed-in session for `account` into an AppTest (as the login form would)."""
    now = time.time()
    app.session_state[session.ACCOUNT] = account.id
    app.session_state[session.SIGNED_IN_AT] = now
    app.session_state[session.LAST_SEEN] = now
    return app


@pytest.fixture
def page_as(accounts):
    """`page_as(Screen.X, Role.Y)`: the page's AppTest, signed in, already run."""

    def run(screen: Screen, role: Role) -> AppTest:
        app = sign_in(
            AppTest.from_file(str(page_file(screen)), default_timeout=TIMEOUT), accounts[role]
        )
        return app.run()

    return run


@pytest.fixture
def app_as(accounts):
    """`app_as(Role.Y)`: the whole app (`app.py`), signed in, already run."""

    def run(role: Role) -> AppTest:
        return sign_in(AppTest.from_file(str(APP), default_timeout=TIMEOUT), accounts[role]).run()

    return run


def texts(app: AppTest) -> str:
    """Every text the page shows (markdown, titles, alerts, captions), joined."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
        "text",
    ):
        parts.extend(str(element.value) for element in getattr(app, kind))
    return "\n".join(parts)

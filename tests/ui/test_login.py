"""Signing in and out through the app, and sessions that expire."""

from __future__ import annotations

import time

from streamlit.testing.v1 import AppTest

from habitat.services.auth import DEMO_PASSWORD, MAX_FAILURES
from habitat.store.entities import Role
from habitat.ui import session

from .conftest import APP, TIMEOUT, sign_in, texts


def _login(app: AppTest, username: str, password: str) -> AppTest:
    app.text_input(key="login.username").input(username)
    app.text_input(key="login.password").input(password)
    return app.button[0].click().run()


def test_right_password_opens_the_dashboard(accounts):
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    app = _login(app, accounts[Role.ANIMATOR].username, DEMO_PASSWORD)
    assert not app.exception
    assert [t.value for t in app.title] == ["Tableau de bord"]
    assert app.session_state[session.ACCOUNT] == accounts[Role.ANIMATOR].id


def test_wrong_password_shows_the_refusal_and_no_screen(accounts):
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    app = _login(app, accounts[Role.ANIMATOR].username, "pas le bon mot de passe")
    assert "Identifiant ou mot de passe incorrect." in texts(app)
    assert [t.value for t in app.title] == ["Habitat inclusif"]
    assert session.ACCOUNT not in app.session_state


def test_repeated_failures_lock_the_account(accounts):
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    for _ in range(MAX_FAILURES):
        app = _login(app, accounts[Role.HOST].username, "pas le bon mot de passe")
    app = _login(app, accounts[Role.HOST].username, DEMO_PASSWORD)
    assert "verrouillé" in texts(app)
    assert session.ACCOUNT not in app.session_state


def test_idle_session_expires_and_asks_to_sign_in_again(accounts):
    app = sign_in(AppTest.from_file(str(APP), default_timeout=TIMEOUT), accounts[Role.ANIMATOR])
    app.session_state[session.LAST_SEEN] = time.time() - session.IDLE_TIMEOUT_S - 1
    app.run()
    assert "Votre session a expiré : reconnectez-vous." in texts(app)
    assert not app.dataframe


def test_sign_out_forgets_the_session(app_as):
    app = app_as(Role.ANIMATOR)
    app.button(key="app.sign_out").click().run()
    assert [t.value for t in app.title] == ["Habitat inclusif"]
    assert session.ACCOUNT not in app.session_state


def test_missing_database_says_how_to_create_it(monkeypatch, tmp_path):
    monkeypatch.setenv("HABITAT_DB", str(tmp_path / "none.db"))
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert "Base de données introuvable" in texts(app)
    assert not (tmp_path / "none.db").exists()

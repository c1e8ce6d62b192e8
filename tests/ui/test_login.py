"""Signing in and out through the app, and sessions that expire."""

from __future__ import annotations

import sqlite3
import time

from streamlit.testing.v1 import AppTest

from habitat import store
from habitat.services.auth import DEMO_PASSWORD, MAX_FAILURES, set_password
from habitat.store.entities import Account, Role
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


def _web_sessions(db_path) -> list[tuple]:
    with sqlite3.connect(db_path) as raw:
        return raw.execute("SELECT account_id, ended_at, end_reason FROM web_session").fetchall()


def test_signing_in_starts_a_server_session_and_signing_out_ends_it(accounts, demo_db):
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    app = _login(app, accounts[Role.ANIMATOR].username, DEMO_PASSWORD)
    [(account_id, ended, _)] = _web_sessions(demo_db)
    assert account_id == accounts[Role.ANIMATOR].id and ended is None
    assert app.session_state[session.WEB_SESSION]
    app.button(key="app.sign_out").click().run()
    [(_, ended, reason)] = _web_sessions(demo_db)
    assert ended is not None and reason == "signed out"
    assert session.ACCOUNT not in app.session_state


def test_a_wrong_password_starts_no_session(accounts, demo_db):
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    _login(app, accounts[Role.ANIMATOR].username, "pas le bon mot de passe")
    assert _web_sessions(demo_db) == []


def test_a_session_ended_elsewhere_signs_the_page_out(accounts, demo_db):
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    app = _login(app, accounts[Role.FAMILY].username, DEMO_PASSWORD)
    with store.connect(demo_db) as db:
        account = store.get(db, Account, accounts[Role.FAMILY].id)
        set_password(db, "animator:test", account.id, account.version, "un mot de passe neuf")
    app.run()
    assert "Votre session a expiré : reconnectez-vous." in texts(app)
    assert session.ACCOUNT not in app.session_state
    assert not app.dataframe

"""The real server: `habitat serve --demo` (as `make run`) is healthy and asks to sign in."""

from __future__ import annotations

import urllib.request

from habitat import store
from habitat.store.entities import Account, Resident

from .conftest import DEMO_PASSWORD, demo_usernames, sign_in


def test_serve_creates_the_demo_database_and_answers_health(server):
    with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=5) as response:
        assert response.read().decode().strip() == "ok"
    with store.connect(server.db) as db:
        assert len(store.find(db, Resident)) >= 8
        assert all(a.password_hash for a in store.find(db, Account))
    assert set(demo_usernames(server)) == {
        "animator",
        "host",
        "provider",
        "family",
        "resident",
        "promoter",
    }


def test_login_page_then_wrong_password_is_refused(server, page):
    page.goto(server.url)
    page.get_by_role("heading", name="Connexion").wait_for()
    page.get_by_label("Identifiant", exact=True).fill(demo_usernames(server)["animator"])
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD + "x")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text("Identifiant ou mot de passe incorrect.").wait_for()
    # Must not happen: any screen of the habitat behind a failed sign-in.
    assert page.get_by_role("button", name="Se déconnecter").count() == 0
    assert page.get_by_text("Tableau de bord").count() == 0


def test_animator_signs_in_and_sees_the_dashboard(server, page):
    sign_in(page, server, "animator")
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    # The browser must never see a traceback (production config).
    assert page.get_by_text("Traceback").count() == 0

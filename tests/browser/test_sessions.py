"""Sessions that survive a reload, in a real browser against `habitat serve`.

The cookie is HttpOnly and SameSite=Strict, holds no account name, and is never
in an address; a reload, a new tab and a bookmarked page keep the person signed
in; signing out and a new password end the session everywhere.
"""

from __future__ import annotations

import sqlite3

from habitat import store
from habitat.services.auth import set_password
from habitat.store.entities import Account

from .conftest import demo_usernames, sign_in

COOKIE = "habitat_session"


def _session_cookie(page) -> dict | None:
    return next((c for c in page.context.cookies() if c["name"] == COOKIE), None)


def _wait_for_cookie(page) -> dict:
    page.wait_for_function("() => true")  # let the page's script run
    for _ in range(100):
        cookie = _session_cookie(page)
        if cookie is not None:
            return cookie
        page.wait_for_timeout(100)
    raise AssertionError("no session cookie was set after signing in")


def test_a_reload_keeps_the_animator_signed_in_on_the_same_page(server, page):
    sign_in(page, server, "animator")
    cookie = _wait_for_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert demo_usernames(server)["animator"] not in cookie["value"]
    page.get_by_role("link", name="Habitants", exact=True).click()
    page.wait_for_url("**/residents")
    page.reload()
    page.get_by_role("button", name="Se déconnecter").wait_for()
    assert page.url.endswith("/residents")
    page.get_by_role("heading", name="Habitants", exact=True).wait_for()
    assert COOKIE not in page.url and cookie["value"] not in page.url
    # Scripts in the page cannot read the cookie.
    assert COOKIE not in page.evaluate("document.cookie")


def test_a_bookmarked_page_opens_after_signing_in_and_then_in_a_new_tab(server, page):
    page.goto(f"{server.url}/tensions")
    page.get_by_label("Identifiant", exact=True).fill(demo_usernames(server)["animator"])
    page.get_by_label("Mot de passe", exact=True).fill("demo-habitat")
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Se déconnecter").wait_for()
    page.wait_for_url("**/tensions")
    _wait_for_cookie(page)
    tab = page.context.new_page()
    tab.goto(f"{server.url}/council")
    tab.get_by_role("button", name="Se déconnecter").wait_for()
    assert tab.url.endswith("/council")


def test_signing_out_ends_the_session_for_every_tab_and_reload(server, page):
    sign_in(page, server, "family")
    _wait_for_cookie(page)
    other = page.context.new_page()
    other.goto(server.url)
    other.get_by_role("button", name="Se déconnecter").wait_for()
    page.get_by_role("button", name="Se déconnecter").click()
    page.get_by_role("button", name="Se connecter").wait_for()
    for _ in range(50):
        if _session_cookie(page) is None:
            break
        page.wait_for_timeout(100)
    assert _session_cookie(page) is None
    page.reload()
    page.get_by_role("button", name="Se connecter").wait_for()
    # The other tab's next step finds the session ended.
    other.reload()
    other.get_by_role("button", name="Se connecter").wait_for()


def test_a_new_password_set_elsewhere_ends_the_session(server, page):
    sign_in(page, server, "host")
    _wait_for_cookie(page)
    username = demo_usernames(server)["host"]
    with store.connect(server.db) as db:
        account = next(a for a in store.find(db, Account) if a.username == username)
        set_password(db, "test", account.id, account.version, "demo-habitat")
    page.reload()
    page.get_by_role("button", name="Se connecter").wait_for()
    with sqlite3.connect(server.db) as raw:
        reasons = {r for (r,) in raw.execute("SELECT end_reason FROM web_session")}
    assert "new password" in reasons


def test_an_address_the_role_may_not_open_says_so_in_french(server, page):
    sign_in(page, server, "provider")
    _wait_for_cookie(page)
    page.goto(f"{server.url}/admin")
    page.get_by_role("heading", name="Page non disponible").wait_for()
    # Still signed in (the sidebar may be drawn a moment after the page).
    page.get_by_role("button", name="Se déconnecter").wait_for()
    assert page.get_by_role("dialog").count() == 0
    assert "Comptes" not in page.inner_text("body")

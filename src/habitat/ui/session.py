"""The signed-in session: which account, since when, and the database it works on.

The session lives on the server: in Streamlit's session state for the open page,
and as a `web_session` row (`habitat.services.sessions`) that a reload finds again
through an HttpOnly cookie (set by `habitat.ui.session_routes`, never readable by
the page's scripts, never in a URL). Each rerun re-reads the account, so a locked,
archived or re-roled account takes effect at once; idle sessions expire.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
import streamlit as st

from habitat import store
from habitat.services import sessions
from habitat.services.access import User
from habitat.services.auth import current_user
from habitat.services.sessions import IDLE_TIMEOUT_S, MAX_SESSION_S
from habitat.store.db import keeper
from habitat.ui.session_routes import COOKIE

#: Where the app's database lives unless HABITAT_DB says otherwise.
DEFAULT_DB = Path("data/habitat.db")
__all__ = ["COOKIE", "IDLE_TIMEOUT_S", "MAX_SESSION_S"]


ACCOUNT = "auth.account_id"
SIGNED_IN_AT = "auth.signed_in_at"
LAST_SEEN = "auth.last_seen"
EXPIRED = "auth.expired"
#: The `web_session` row of this session (absent for a session made by a test).
WEB_SESSION = "auth.web_session"
#: The claim the page still has to trade for the cookie (popped when handed over).
CLAIM = "auth.claim"
#: The page's cookie was tried once: what the connection brought is not tried again.
COOKIE_TRIED = "auth.cookie_tried"
#: The cookie is to be cleared (signed out).
FORGET_COOKIE = "auth.forget_cookie"
#: What survives clearing the session state at sign-in and sign-out.
_KEPT = (COOKIE_TRIED,)


def db_path() -> Path:
    """The database file: `$HABITAT_DB`, else `data/habitat.db`."""
    return Path(os.environ.get("HABITAT_DB") or DEFAULT_DB)


@st.cache_resource(show_spinner=False)
def _keeper(path: str) -> sqlite3.Connection:
    # One connection held open for the server's life: closing the last connection
    # of a WAL database forces a checkpoint, which would cost every rerun ~30 ms.
    return keeper(path)


@contextmanager
def database() -> Iterator[sqlite_utils.Database]:
    """A connection for this rerun, closed after it."""
    path = db_path()
    if not path.exists():
        raise FileNotFoundError(path)
    _keeper(str(path.resolve()))
    db = store.connect(path)
    try:
        yield db
    finally:
        db.conn.close()


def sign_in(db: sqlite_utils.Database, user: User) -> None:
    """Start a session for a user who just proved who they are.

    The page then hands the session's claim to the browser (`hand_over_cookie`),
    which trades it for the cookie that keeps the session across reloads.
    """
    # A new session id for the new privilege level: drop whatever the page held.
    _clear()
    session_id, claim = sessions.start(db, user)
    now = time.time()
    st.session_state[ACCOUNT] = user.account_id
    st.session_state[SIGNED_IN_AT] = now
    st.session_state[LAST_SEEN] = now
    st.session_state[WEB_SESSION] = session_id
    st.session_state[CLAIM] = claim


def sign_out(db: sqlite_utils.Database | None = None, user: User | None = None) -> None:
    """End the session, here and on the server, and forget everything the pages held."""
    web_session = st.session_state.get(WEB_SESSION)
    if db is not None and web_session is not None:
        sessions.end(db, user.actor if user else "system", int(web_session))
    _clear()
    st.session_state[FORGET_COOKIE] = True


def _expire() -> None:
    _clear()
    st.session_state[EXPIRED] = True


def _clear() -> None:
    kept = {key: st.session_state[key] for key in _KEPT if key in st.session_state}
    for key in list(st.session_state):
        del st.session_state[key]
    st.session_state.update(kept)


def signed_in_user(db: sqlite_utils.Database) -> User | None:
    """The session's user, or None (never signed in, expired, ended, locked or removed).

    A page opened with a live session's cookie (a reload, a bookmark) is signed in
    again from it. A session on the server is checked on every rerun (a new
    password or a restored backup ends it everywhere); its idle time is the
    browser's, across tabs. A session without one (made by a test) keeps its own.
    """
    if st.session_state.get(ACCOUNT) is None and not _resume(db):
        return None
    now = time.time()
    web_session = st.session_state.get(WEB_SESSION)
    if web_session is not None:
        if sessions.check(db, int(web_session), now) is None:
            _expire()
            return None
    else:
        started = st.session_state.get(SIGNED_IN_AT, 0.0)
        seen = st.session_state.get(LAST_SEEN, 0.0)
        if now - seen > IDLE_TIMEOUT_S or now - started > MAX_SESSION_S:
            _expire()
            return None
    user = current_user(db, int(st.session_state[ACCOUNT]))
    if user is None:
        if web_session is not None:
            sessions.end(db, "system", int(web_session), sessions.ACCOUNT_CLOSED)
        _expire()
        return None
    st.session_state[LAST_SEEN] = now
    return user


def _resume(db: sqlite_utils.Database) -> bool:
    """Sign in again from the cookie the page's connection brought, once per connection."""
    if st.session_state.get(COOKIE_TRIED):
        return False
    st.session_state[COOKIE_TRIED] = True
    token = st.context.cookies.get(COOKIE)
    if not isinstance(token, str) or not token:  # none (or a test's stand-in)
        return False
    live = sessions.resume(db, token)
    if live is None:
        st.session_state[EXPIRED] = True
        return False
    st.session_state[ACCOUNT] = live.account_id
    st.session_state[SIGNED_IN_AT] = live.started_at
    st.session_state[LAST_SEEN] = live.last_seen_at
    st.session_state[WEB_SESSION] = live.id
    return True


def hand_over_cookie() -> None:
    """Let the browser trade the session's claim for its cookie, or clear the cookie.

    A script posts the one-time claim to the app's own route (the claim is in the
    request's body, never in a URL); the route answers with the HttpOnly cookie.
    """
    claim = st.session_state.pop(CLAIM, None)
    if claim is not None:
        _post(session_route("claim"), claim)
    elif st.session_state.pop(FORGET_COOKIE, False):
        _post(session_route("end"), "")


def session_route(action: str) -> str:
    """The path of the app's session route for `action` (`claim`, `end`)."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/_habitat/session/{action}" if base else f"/_habitat/session/{action}"


def _post(path: str, body: str) -> None:
    st.html(post_script(path, body), unsafe_allow_javascript=True)


def post_script(path: str, body: str) -> str:
    """The script that posts `body` to `path` (values JSON-encoded, `<` escaped)."""
    options = {
        "method": "POST",
        "credentials": "same-origin",
        "headers": {"Content-Type": "text/plain"},
        "body": body,
    }
    encoded = [json.dumps(value).replace("<", "\\u003c") for value in (path, options)]
    return f"<script>fetch({encoded[0]}, {encoded[1]});</script>"

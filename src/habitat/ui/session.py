"""The signed-in session: which account, since when, and the database it works on.

The session lives on the server (Streamlit's session state); the browser only
holds Streamlit's session cookie. Each rerun re-reads the account, so a locked,
archived or re-roled account takes effect at once; idle sessions expire.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
import streamlit as st

from habitat import store
from habitat.services.access import User
from habitat.services.auth import current_user
from habitat.store.db import keeper

#: Where the app's database lives unless HABITAT_DB says otherwise.
DEFAULT_DB = Path("data/habitat.db")
#: A session left alone this long signs out (a shared tablet in the office).
IDLE_TIMEOUT_S = 30 * 60
#: Even an active session signs in again after a working day.
MAX_SESSION_S = 12 * 3600

ACCOUNT = "auth.account_id"
SIGNED_IN_AT = "auth.signed_in_at"
LAST_SEEN = "auth.last_seen"
EXPIRED = "auth.expired"


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


def sign_in(user: User) -> None:
    """Start a session for a user who just proved who they are."""
    # A new session id for the new privilege level: drop whatever the page held.
    for key in list(st.session_state):
        del st.session_state[key]
    now = time.time()
    st.session_state[ACCOUNT] = user.account_id
    st.session_state[SIGNED_IN_AT] = now
    st.session_state[LAST_SEEN] = now


def sign_out(expired: bool = False) -> None:
    """End the session and forget everything the pages held."""
    for key in list(st.session_state):
        del st.session_state[key]
    if expired:
        st.session_state[EXPIRED] = True


def signed_in_user(db: sqlite_utils.Database) -> User | None:
    """The session's user, or None (never signed in, expired, locked or removed)."""
    account_id = st.session_state.get(ACCOUNT)
    if account_id is None:
        return None
    now = time.time()
    started = st.session_state.get(SIGNED_IN_AT, 0.0)
    seen = st.session_state.get(LAST_SEEN, 0.0)
    if now - seen > IDLE_TIMEOUT_S or now - started > MAX_SESSION_S:
        sign_out(expired=True)
        return None
    user = current_user(db, int(account_id))
    if user is None:
        sign_out(expired=True)
        return None
    st.session_state[LAST_SEEN] = now
    return user

"""Sessions that survive a reload: started at sign-in, kept on the server, ended for good.

How it holds together (the app's side is `habitat.ui.session`, the browser's
`habitat.ui.session_routes`):

1. A person signs in through the form. `start` records a session and gives the
   page a *claim*: a one-time secret, good for `CLAIM_TTL_S`, never in a URL.
2. The page posts the claim to the app's own route, which trades it (`claim`) for
   the session's *token*, set as an HttpOnly, SameSite=Strict cookie: scripts in
   the page cannot read it and other sites cannot send it.
3. A reload, or a bookmarked page opened later, sends the cookie with the page's
   connection; `resume` finds the session it names while it lives.

Only SHA-256 hashes of the claim and the token are stored, so a copy of the
database (a backup) signs no one in. A session lives `IDLE_TIMEOUT_S` without use
and `MAX_SESSION_S` at most; signing out, a new password, a locked or archived
account and a restored backup end it.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass

import sqlite_utils

from habitat.services.access import User
from habitat.store import sessions as stored
from habitat.store.sessions import SessionRow

#: A session left alone this long signs out (a shared tablet in the office).
IDLE_TIMEOUT_S = 30 * 60
#: Even an active session signs in again after a working day.
MAX_SESSION_S = 12 * 3600
#: How long the page has to trade its claim for the cookie.
CLAIM_TTL_S = 60
#: A session's last use is written at most this often (a rerun costs no write).
TOUCH_EVERY_S = 60

#: Why a session ended (the `end_reason` column).
SIGNED_OUT = "signed out"
EXPIRED = "expired"
NEW_PASSWORD = "new password"
ACCOUNT_CLOSED = "account locked or archived"
RESTORED = stored.RESTORED


@dataclass(frozen=True)
class Session:
    """A live session: whose, since when, last used when."""

    id: int
    account_id: int
    started_at: float
    last_seen_at: float


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start(db: sqlite_utils.Database, user: User, now: float | None = None) -> tuple[int, str]:
    """Record a session for a user who just proved who they are.

    Returns:
        The session's id and its claim (for the page to trade for the cookie).
    """
    now = time.time() if now is None else now
    claim_secret = secrets.token_urlsafe(32)
    session_id = stored.create(
        db, user.actor, user.account_id, _hash(claim_secret), now + CLAIM_TTL_S, now
    )
    return session_id, claim_secret


def claim(db: sqlite_utils.Database, claim_secret: str, now: float | None = None) -> str | None:
    """The token for a live claim, once; None for an unknown, used or late claim."""
    now = time.time() if now is None else now
    if not claim_secret or len(claim_secret) > 100:
        return None
    token = secrets.token_urlsafe(32)
    row = stored.claim(db, _hash(claim_secret), _hash(token), now)
    return None if row is None else token


def resume(db: sqlite_utils.Database, token: str, now: float | None = None) -> Session | None:
    """The live session a cookie's token names, or None (unknown, ended or expired)."""
    if not token or len(token) > 100:
        return None
    return _live(db, stored.by_token(db, _hash(token)), now)


def check(db: sqlite_utils.Database, session_id: int, now: float | None = None) -> Session | None:
    """The session if it still lives (and its use noted), else None."""
    return _live(db, stored.get(db, session_id), now)


def _live(db: sqlite_utils.Database, row: SessionRow | None, now: float | None) -> Session | None:
    now = time.time() if now is None else now
    if row is None or row.ended_at is not None:
        return None
    if now - row.last_seen_at > IDLE_TIMEOUT_S or now - row.started_at > MAX_SESSION_S:
        stored.end(db, "system", row.id, EXPIRED, now)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY_S:
        stored.touch(db, row.id, now)
    return Session(row.id, row.account_id, row.started_at, max(row.last_seen_at, now))


def end(db: sqlite_utils.Database, actor: str, session_id: int, reason: str = SIGNED_OUT) -> None:
    """End one session (signing out)."""
    stored.end(db, actor, session_id, reason, time.time())


def end_by_token(db: sqlite_utils.Database, token: str) -> None:
    """End the session a cookie names, if any (the browser signing out)."""
    row = stored.by_token(db, _hash(token)) if token and len(token) <= 100 else None
    if row is not None:
        stored.end(db, "system", row.id, SIGNED_OUT, time.time())


def end_for_account(
    db: sqlite_utils.Database, actor: str, account_id: int, reason: str, keep: int | None = None
) -> int:
    """End every session of one account but `keep` (a new password, a closed account); how many."""
    return stored.end_for_account(db, actor, account_id, reason, time.time(), keep)


def end_all(db: sqlite_utils.Database, actor: str, reason: str = RESTORED) -> int:
    """End every session (a restored backup would otherwise bring old ones back)."""
    return stored.end_all(db, actor, reason, time.time())

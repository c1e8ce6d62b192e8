"""Signed-in sessions kept on the server (table `web_session`, migration m012).

Plain rows, not records: a session is no one's personal data beyond the account
it belongs to, and is never edited by a person. Its start and its end are audited
(entity `web_session`), its use (`touch`) is not. Secrets are stored hashed (the
caller hashes them); times are seconds since the epoch. The rules (how long a
session lives, who ends it) are the service's: `habitat.services.sessions`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from habitat.store import audit
from habitat.store.audit import Action
from habitat.store.db import transaction

ENTITY = "web_session"
#: Why every session ended at once: the database went back to a backup.
RESTORED = "backup restored"

_COLUMNS = "id, account_id, started_at, last_seen_at, ended_at"


@dataclass(frozen=True)
class SessionRow:
    """One session as stored."""

    id: int
    account_id: int
    started_at: float
    last_seen_at: float
    ended_at: float | None


def _row(row: tuple | None) -> SessionRow | None:
    return None if row is None else SessionRow(*row)


def create(
    db: sqlite_utils.Database,
    actor: str,
    account_id: int,
    claim_hash: str,
    claim_expires_at: float,
    now: float,
) -> int:
    """A new session for the account, waiting for its claim; its id (audited)."""
    with transaction(db):
        cursor = db.execute(
            "INSERT INTO web_session (account_id, claim_hash, claim_expires_at, started_at,"
            " last_seen_at) VALUES (?, ?, ?, ?, ?)",
            [account_id, claim_hash, claim_expires_at, now, now],
        )
        session_id = int(cursor.lastrowid or 0)
        audit.log(db, actor, ENTITY, session_id, Action.CREATE, after={"account_id": account_id})
    return session_id


def claim(
    db: sqlite_utils.Database, claim_hash: str, token_hash: str, now: float
) -> SessionRow | None:
    """Trade a live claim for a token, once; the session, or None (unknown, used, late)."""
    with transaction(db):
        row = db.execute(
            "UPDATE web_session SET token_hash = ?, claim_hash = NULL, claim_expires_at = NULL"
            " WHERE claim_hash = ? AND claim_expires_at >= ? AND ended_at IS NULL"
            f" RETURNING {_COLUMNS}",
            [token_hash, claim_hash, now],
        ).fetchone()
    return _row(row)


def by_token(db: sqlite_utils.Database, token_hash: str) -> SessionRow | None:
    """The session holding this token, ended or not."""
    return _row(
        db.execute(
            f"SELECT {_COLUMNS} FROM web_session WHERE token_hash = ?", [token_hash]
        ).fetchone()
    )


def get(db: sqlite_utils.Database, session_id: int) -> SessionRow | None:
    """The session with this id, ended or not."""
    return _row(
        db.execute(f"SELECT {_COLUMNS} FROM web_session WHERE id = ?", [session_id]).fetchone()
    )


def touch(db: sqlite_utils.Database, session_id: int, now: float) -> None:
    """The session was used now."""
    with transaction(db):
        db.execute(
            "UPDATE web_session SET last_seen_at = ? WHERE id = ? AND ended_at IS NULL",
            [now, session_id],
        )


def end(db: sqlite_utils.Database, actor: str, session_id: int, reason: str, now: float) -> None:
    """End one session (nothing happens to one already ended)."""
    _end(db, actor, "id = ?", [session_id], reason, now)


def end_for_account(
    db: sqlite_utils.Database,
    actor: str,
    account_id: int,
    reason: str,
    now: float,
    keep: int | None = None,
) -> int:
    """End every open session of one account but `keep`; how many."""
    return _end(db, actor, "account_id = ? AND id IS NOT ?", [account_id, keep], reason, now)


def end_all(db: sqlite_utils.Database, actor: str, reason: str, now: float) -> int:
    """End every open session (after a restore); how many."""
    return _end(db, actor, "1", [], reason, now)


def _end(
    db: sqlite_utils.Database,
    actor: str,
    where: str,
    params: list[object],
    reason: str,
    now: float,
) -> int:
    with transaction(db):
        ended = db.execute(
            "UPDATE web_session SET ended_at = ?, end_reason = ?, claim_hash = NULL,"
            f" claim_expires_at = NULL WHERE {where} AND ended_at IS NULL RETURNING id",
            [now, reason, *params],
        ).fetchall()
        for (session_id,) in ended:
            audit.log(db, actor, ENTITY, session_id, Action.UPDATE, after={"ended": reason})
    return len(ended)

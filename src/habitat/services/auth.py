"""Local accounts: argon2 password hashes, lock-out after repeated failures.

Passwords are hashed with argon2id (argon2-cffi, the reference binding). A
failed sign-in is counted on the account; after `MAX_FAILURES` the account is
locked for `LOCKOUT`. The message never says whether the username exists.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from habitat import clock, store
from habitat.services import sessions
from habitat.services.access import User, user_of
from habitat.store.entities import Account, Role
from habitat.store.errors import InvalidRecord

#: Failed sign-ins in a row before the account is locked.
MAX_FAILURES = 5
#: How long a locked account stays locked: long enough to stop guessing by hand.
LOCKOUT = timedelta(minutes=15)
#: Shortest password accepted: a phrase an animator can type on a tablet.
PASSWORD_MIN = 10
#: Longest password accepted (argon2 takes any length; this bounds the work).
PASSWORD_MAX = 200
#: Password of the demo database's accounts (only ever set by `set_demo_passwords`).
DEMO_PASSWORD = "demo-habitat"

_HASHER = PasswordHasher()
#: Verified against when the username is unknown, so both cases take the same time.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")

WRONG = "Identifiant ou mot de passe incorrect."


class SignInRefused(Exception):
    """Sign-in refused; `message_fr` is for the screen."""

    def __init__(self, message_fr: str):
        super().__init__(message_fr)
        self.message_fr = message_fr


def hash_password(password: str) -> str:
    """The argon2id hash of a password, after checking its length.

    Raises:
        InvalidRecord: too short or too long (field `password`).
    """
    if len(password) < PASSWORD_MIN:
        raise InvalidRecord.one(
            "compte",
            "password",
            f"at least {PASSWORD_MIN} characters",
            f"au moins {PASSWORD_MIN} caractères",
        )
    if len(password) > PASSWORD_MAX:
        raise InvalidRecord.one(
            "compte",
            "password",
            f"at most {PASSWORD_MAX} characters",
            f"au plus {PASSWORD_MAX} caractères",
        )
    return _HASHER.hash(password)


def _account(db: sqlite_utils.Database, username: str) -> Account | None:
    found = store.find(db, Account, "username = ?", [username.strip().lower()])
    return found[0] if found else None


def authenticate(
    db: sqlite_utils.Database, username: str, password: str, now: datetime | None = None
) -> User:
    """Check a username and password; count failures and lock after too many.

    Args:
        db: the database.
        username: as typed (case and surrounding spaces ignored).
        password: as typed.
        now: the time of the attempt (tests pass it; default the clock).

    Returns:
        The signed-in user.

    Raises:
        SignInRefused: wrong username or password, locked or archived account.
    """
    now = now or clock.now()
    try:
        return _authenticate(db, username, password, now)
    except store.StoreError:
        # A sign-in never shows a store error: whatever went wrong, the usual refusal.
        raise SignInRefused(WRONG) from None


def _locked(account: Account, now: datetime) -> SignInRefused | None:
    if account.locked_until is not None and account.locked_until > now:
        return SignInRefused(
            f"Compte verrouillé après {MAX_FAILURES} essais manqués, jusqu'à "
            f"{account.locked_until:%H:%M}. Réessayez plus tard ou demandez à "
            "l'animateur·rice de le déverrouiller."
        )
    return None


def _authenticate(db: sqlite_utils.Database, username: str, password: str, now: datetime) -> User:
    account = _account(db, username)
    if account is None or account.password_hash is None:
        _verify(_DUMMY_HASH, password)
        raise SignInRefused(WRONG)
    refusal = _locked(account, now)
    if refusal is not None:
        raise refusal
    actor = f"auth:{account.username}"
    if not _verify(account.password_hash, password):

        def count_failure(stored: Account) -> dict | None:
            # Counted on the account as stored, under the write lock: simultaneous
            # failures each count, and the lock-out cannot be raced past.
            if _locked(stored, now) is not None:
                return None
            failures = stored.failed_logins + 1
            if failures >= MAX_FAILURES:
                return {"failed_logins": 0, "locked_until": now + LOCKOUT}
            return {"failed_logins": failures}

        stored = store.update_with(db, actor, Account, account.stored_id, count_failure)
        if stored.locked_until is not None and stored.locked_until > now:
            raise SignInRefused(
                f"{WRONG} Compte verrouillé pour {int(LOCKOUT.total_seconds() // 60)} minutes."
            )
        raise SignInRefused(WRONG)

    def clear_failures(stored: Account) -> dict | None:
        if _locked(stored, now) is not None or stored.password_hash != account.password_hash:
            return None
        if stored.failed_logins or stored.locked_until is not None:
            return {"failed_logins": 0, "locked_until": None}
        return None

    stored = store.update_with(db, actor, Account, account.stored_id, clear_failures)
    # Locked, or its password changed, by a session that wrote since it was read.
    refusal = _locked(stored, now)
    if refusal is not None:
        raise refusal
    if stored.password_hash != account.password_hash or stored.archived_at is not None:
        raise SignInRefused(WRONG)
    return user_of(db, stored)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def current_user(db: sqlite_utils.Database, account_id: int) -> User | None:
    """The user of a session's account, re-read so a locked or archived account ends it."""
    try:
        account = store.get(db, Account, account_id)
    except store.NotFound:
        return None
    if account.archived_at is not None or account.password_hash is None:
        return None
    if account.locked_until is not None and account.locked_until > clock.now():
        return None
    return user_of(db, account)


def add_user(
    db: sqlite_utils.Database,
    actor: str,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    provider_id: int | None = None,
    resident_id: int | None = None,
) -> Account:
    """Create an account with a hashed password.

    Raises:
        InvalidRecord: bad or taken username, short password, wrong scope.
    """
    return store.create(
        db,
        actor,
        Account,
        {
            "username": username.strip().lower(),
            "display_name": display_name,
            "role": role,
            "password_hash": hash_password(password),
            "provider_id": provider_id,
            "resident_id": resident_id,
        },
    )


def set_password(
    db: sqlite_utils.Database,
    actor: str,
    account_id: int,
    version: int,
    password: str,
    keep_session: int | None = None,
) -> Account:
    """Replace an account's password; also unlocks it, and ends its sessions.

    Whoever knew the old password is signed out everywhere; `keep_session` is the
    session of a person changing their own password, which goes on.

    Raises:
        InvalidRecord: the password is too short or too long.
        Conflict: the account changed since it was read.
    """
    with store.transaction(db):
        account = store.update(
            db,
            actor,
            Account,
            account_id,
            version,
            {"password_hash": hash_password(password), "failed_logins": 0, "locked_until": None},
        )
        sessions.end_for_account(db, actor, account_id, sessions.NEW_PASSWORD, keep_session)
    return account


def set_demo_passwords(db: sqlite_utils.Database, actor: str = "demo") -> list[Account]:
    """Give every account without a password the demo password (demo database only)."""
    accounts = store.find(db, Account, "password_hash IS NULL", order_by="id")
    hashed = hash_password(DEMO_PASSWORD)
    return [
        store.update(db, actor, Account, a.stored_id, a.version, {"password_hash": hashed})
        for a in accounts
    ]


def acting_as(db: sqlite_utils.Database, username: str | None = None) -> User:
    """The user a command-line call acts as: the named account, or the habitat's animator.

    The command line runs on the host's machine, with the database file at hand: it
    asks no password, but it applies the same role and scope as the screens, so
    `--as famille.martin` produces exactly what that family would download.

    Args:
        db: the database.
        username: an account's user name; None for the first active animator account.

    Returns:
        The account's user.

    Raises:
        LookupError: no such active account (or no animator account yet).
    """
    if username is None:
        animators = store.find(db, Account, "role = ?", [Role.ANIMATOR.value], order_by="id")
        if not animators:
            raise LookupError("--as: no animator account yet (create one with `habitat users add`)")
        return user_of(db, animators[0])
    account = _account(db, username)
    if account is None:
        raise LookupError(f"--as: no active account {username!r}")
    return user_of(db, account)

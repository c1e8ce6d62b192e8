"""Accounts: hashed passwords, uniform refusals, lock-out, and what ends a session."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from habitat import store
from habitat.services import auth
from habitat.services.access import User
from habitat.store.entities import Account, Role

NOW = datetime(2026, 6, 30, 9, 0)
PASSWORD = "une phrase de passe"


@pytest.fixture
def account(demo_conn):
    return auth.add_user(
        demo_conn,
        "test",
        username="Chef.Equipe ",
        display_name="Cheffe d'équipe",
        role=Role.ANIMATOR,
        password=PASSWORD,
    )


def test_password_is_stored_as_an_argon2id_hash_never_in_clear(demo_conn, account):
    assert account.username == "chef.equipe"
    assert account.password_hash.startswith("$argon2id$")
    raw = b"".join(
        str(row).encode() for row in demo_conn.execute("SELECT * FROM account").fetchall()
    )
    assert PASSWORD.encode() not in raw
    audit = [str(e.after) + str(e.before) for e in store.history(demo_conn, "account", account.id)]
    assert all("argon2" not in text and PASSWORD not in text for text in audit)


def test_right_password_signs_in_case_and_spaces_of_the_username_ignored(demo_conn, account):
    user = auth.authenticate(demo_conn, " CHEF.equipe", PASSWORD, NOW)
    assert (user.account_id, user.role, user.habitat_id) == (account.id, Role.ANIMATOR, 1)


@pytest.mark.parametrize("username", ["chef.equipe", "nobody.here"])
def test_wrong_password_and_unknown_user_get_the_same_message(demo_conn, account, username):
    with pytest.raises(auth.SignInRefused) as refusal:
        auth.authenticate(demo_conn, username, "mauvais mot de passe", NOW)
    assert refusal.value.message_fr == auth.WRONG


def test_lock_out_after_repeated_failures_even_with_the_right_password(demo_conn, account):
    for _ in range(auth.MAX_FAILURES):
        with pytest.raises(auth.SignInRefused):
            auth.authenticate(demo_conn, "chef.equipe", "mauvais mot de passe", NOW)
    with pytest.raises(auth.SignInRefused) as refusal:
        auth.authenticate(demo_conn, "chef.equipe", PASSWORD, NOW + timedelta(minutes=1))
    assert "verrouillé" in refusal.value.message_fr
    # Once the lock-out is over, the right password works and resets the count.
    later = NOW + auth.LOCKOUT + timedelta(seconds=1)
    auth.authenticate(demo_conn, "chef.equipe", PASSWORD, later)
    stored = store.get(demo_conn, Account, account.id)
    assert (stored.failed_logins, stored.locked_until) == (0, None)


def test_failures_below_the_limit_are_forgotten_after_a_success(demo_conn, account):
    for _ in range(auth.MAX_FAILURES - 1):
        with pytest.raises(auth.SignInRefused):
            auth.authenticate(demo_conn, "chef.equipe", "nope nope nope", NOW)
    auth.authenticate(demo_conn, "chef.equipe", PASSWORD, NOW)
    with pytest.raises(auth.SignInRefused) as refusal:
        auth.authenticate(demo_conn, "chef.equipe", "nope nope nope", NOW)
    assert "verrouillé" not in refusal.value.message_fr


@pytest.mark.parametrize(
    ("password", "reason"),
    [("court", "au moins 10 caractères"), ("x" * 201, "au plus 200 caractères")],
)
def test_bad_passwords_are_refused_by_field_and_nothing_is_written(demo_conn, password, reason):
    before = demo_conn.execute("SELECT COUNT(*) FROM account").fetchone()[0]
    with pytest.raises(store.InvalidRecord) as refusal:
        auth.add_user(
            demo_conn, "t", username="x.y", display_name="X", role=Role.HOST, password=password
        )
    assert refusal.value.by_field() == {"password": reason}
    assert demo_conn.execute("SELECT COUNT(*) FROM account").fetchone()[0] == before


def test_a_family_account_must_name_its_resident(demo_conn):
    with pytest.raises(store.InvalidRecord) as refusal:
        auth.add_user(
            demo_conn, "t", username="f.x", display_name="F", role=Role.FAMILY, password=PASSWORD
        )
    assert "resident_id" in refusal.value.by_field()


def test_archived_locked_or_passwordless_accounts_end_the_session(demo_conn, account):
    assert auth.current_user(demo_conn, account.id) is not None
    locked = store.update(
        demo_conn, "t", Account, account.id, 1, {"locked_until": datetime.now() + timedelta(1)}
    )
    assert auth.current_user(demo_conn, account.id) is None
    store.update(demo_conn, "t", Account, account.id, locked.version, {"locked_until": None})
    store.archive(demo_conn, "t", Account, account.id, locked.version + 1)
    assert auth.current_user(demo_conn, account.id) is None
    assert auth.current_user(demo_conn, 10_000) is None


def test_demo_passwords_are_set_only_where_none_is(demo_conn, account):
    changed = auth.set_demo_passwords(demo_conn)
    assert {a.role for a in changed} == set(Role)
    assert account.id not in {a.id for a in changed}
    auth.authenticate(demo_conn, changed[0].username, auth.DEMO_PASSWORD, NOW)


def _simultaneously(path, attempts: list[str], now) -> list[object]:
    """Each password tried at once from its own connection, as parallel sessions do."""
    barrier = threading.Barrier(len(attempts))

    def attempt(password: str) -> object:
        with store.connect(path) as db:
            barrier.wait()
            try:
                return auth.authenticate(db, "chef.equipe", password, now)
            except Exception as error:  # everything a person could be shown
                return error

    with ThreadPoolExecutor(len(attempts)) as pool:
        return list(pool.map(attempt, attempts))


def _path(db) -> Path:
    return Path(next(row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"))


def test_simultaneous_wrong_passwords_all_count_and_lock_the_account(demo_conn, account):
    """Issue 16: 10 at once gave 1 refusal, 9 store conflicts, and no lock-out."""
    outcomes = _simultaneously(_path(demo_conn), ["mauvais mot de passe"] * 10, NOW)

    assert {type(o) for o in outcomes} == {auth.SignInRefused}
    assert all(o.message_fr.startswith(auth.WRONG) for o in outcomes)
    stored = store.get(demo_conn, Account, account.id)
    assert stored.locked_until == NOW + auth.LOCKOUT
    with pytest.raises(auth.SignInRefused) as refusal:
        auth.authenticate(demo_conn, "chef.equipe", PASSWORD, NOW + timedelta(minutes=1))
    assert "verrouillé" in refusal.value.message_fr


def test_every_simultaneous_failure_is_counted_below_the_limit(demo_conn, account):
    attempts = auth.MAX_FAILURES - 1
    outcomes = _simultaneously(_path(demo_conn), ["mauvais mot de passe"] * attempts, NOW)
    assert [o.message_fr for o in outcomes] == [auth.WRONG] * attempts
    assert store.get(demo_conn, Account, account.id).failed_logins == attempts


def test_the_right_password_among_simultaneous_wrong_ones_never_shows_an_error(demo_conn, account):
    outcomes = _simultaneously(_path(demo_conn), ["mauvais mot de passe"] * 3 + [PASSWORD] * 3, NOW)
    assert not [o for o in outcomes if not isinstance(o, auth.SignInRefused | User)]
    assert sum(isinstance(o, User) for o in outcomes) == 3

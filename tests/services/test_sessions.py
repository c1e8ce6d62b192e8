"""Sessions kept on the server: a claim traded once, a token that lives its time, ends that hold."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from habitat import store
from habitat.services import admin, sessions
from habitat.services.access import user_of
from habitat.services.auth import set_password
from habitat.store.entities import Account, Role

NOW = 1_800_000_000.0


def _reason(db, session_id: int) -> str | None:
    return db.execute("SELECT end_reason FROM web_session WHERE id = ?", [session_id]).fetchone()[0]


def _signed_in(db, user, now: float = NOW) -> tuple[int, str]:
    session_id, claim = sessions.start(db, user, now)
    token = sessions.claim(db, claim, now + 1)
    assert token is not None
    return session_id, token


def test_a_claim_is_traded_for_a_token_once(demo_conn, users):
    session_id, claim = sessions.start(demo_conn, users[Role.ANIMATOR], NOW)
    token = sessions.claim(demo_conn, claim, NOW + 5)
    assert token and token != claim
    assert sessions.claim(demo_conn, claim, NOW + 6) is None
    live = sessions.resume(demo_conn, token, NOW + 10)
    assert live is not None and live.id == session_id
    assert live.account_id == users[Role.ANIMATOR].account_id


def test_a_late_claim_gives_no_token(demo_conn, users):
    _, claim = sessions.start(demo_conn, users[Role.FAMILY], NOW)
    assert sessions.claim(demo_conn, claim, NOW + sessions.CLAIM_TTL_S + 1) is None


@settings(max_examples=50, deadline=None)
@given(guess=st.text(max_size=300))
def test_no_guessed_claim_or_token_signs_anyone_in(demo_file, tmp_path_factory, guess):
    path = tmp_path_factory.mktemp("guess") / "habitat.db"
    shutil.copy(demo_file, path)
    with store.connect(path) as db:
        sessions.start(db, user_of(db, store.find(db, Account)[0]), NOW)
        assert sessions.claim(db, guess, NOW + 1) is None
        assert sessions.resume(db, guess, NOW + 1) is None


def test_only_hashes_are_stored(demo_conn, users):
    _, claim = sessions.start(demo_conn, users[Role.ANIMATOR], NOW)
    stored = demo_conn.execute("SELECT claim_hash FROM web_session").fetchall()
    assert all(claim not in str(row) for row in stored)
    token = sessions.claim(demo_conn, claim, NOW + 1)
    dump = "\n".join(demo_conn.conn.iterdump())
    assert claim not in dump and token not in dump


def test_an_idle_session_expires_and_stays_ended(demo_conn, users):
    session_id, token = _signed_in(demo_conn, users[Role.HOST])
    assert sessions.resume(demo_conn, token, NOW + sessions.IDLE_TIMEOUT_S - 5) is not None
    later = NOW + 2 * sessions.IDLE_TIMEOUT_S + 10
    assert sessions.resume(demo_conn, token, later) is None
    assert _reason(demo_conn, session_id) == sessions.EXPIRED
    assert sessions.resume(demo_conn, token, NOW + 2) is None  # ended for good


def test_use_keeps_a_session_alive_until_its_absolute_end(demo_conn, users):
    session_id, token = _signed_in(demo_conn, users[Role.ANIMATOR])
    step = sessions.IDLE_TIMEOUT_S - 60
    moment = NOW + step
    while moment < NOW + sessions.MAX_SESSION_S:
        assert sessions.check(demo_conn, session_id, moment) is not None
        moment += step
    assert sessions.resume(demo_conn, token, NOW + sessions.MAX_SESSION_S + 1) is None
    assert _reason(demo_conn, session_id) == sessions.EXPIRED


def test_signing_out_by_cookie_ends_the_session(demo_conn, users):
    session_id, token = _signed_in(demo_conn, users[Role.PROVIDER])
    sessions.end_by_token(demo_conn, token)
    assert sessions.check(demo_conn, session_id) is None
    assert _reason(demo_conn, session_id) == sessions.SIGNED_OUT


def test_a_new_password_ends_the_accounts_other_sessions(demo_conn, users):
    animator = users[Role.ANIMATOR]
    here, _ = _signed_in(demo_conn, animator)
    elsewhere, _ = _signed_in(demo_conn, animator)
    family, _ = _signed_in(demo_conn, users[Role.FAMILY])
    account = store.get(demo_conn, Account, animator.account_id)
    new = "un mot de passe neuf"
    set_password(demo_conn, animator.actor, account.id, account.version, new, here)
    assert _reason(demo_conn, elsewhere) == sessions.NEW_PASSWORD
    assert _reason(demo_conn, here) is None
    assert _reason(demo_conn, family) is None


def test_archiving_an_account_ends_its_sessions(demo_conn, users):
    session_id, _ = _signed_in(demo_conn, users[Role.FAMILY])
    account = store.get(demo_conn, Account, users[Role.FAMILY].account_id)
    admin.archive_account(demo_conn, users[Role.ANIMATOR], account.id, account.version)
    assert _reason(demo_conn, session_id) == sessions.ACCOUNT_CLOSED


def test_restoring_a_backup_ends_every_session(demo_conn, users, tmp_path):
    backup = store.backup(
        next(r[2] for r in demo_conn.execute("PRAGMA database_list") if r[1] == "main"),
        tmp_path / "copy.db",
    )
    _, token = _signed_in(demo_conn, users[Role.ANIMATOR])
    store.restore_into(demo_conn, backup, "test")
    assert sessions.resume(demo_conn, token, NOW + 5) is None
    open_rows = demo_conn.execute("SELECT count(*) FROM web_session WHERE ended_at IS NULL")
    assert open_rows.fetchone()[0] == 0


def test_a_session_started_before_a_backup_does_not_come_back_with_it(demo_conn, users, tmp_path):
    session_id, token = _signed_in(demo_conn, users[Role.ANIMATOR])
    live = next(r[2] for r in demo_conn.execute("PRAGMA database_list") if r[1] == "main")
    backup = store.backup(live, tmp_path / "copy.db")
    sessions.end_by_token(demo_conn, token)  # signed out after the backup
    store.restore_into(demo_conn, backup, "test")
    assert sessions.resume(demo_conn, token, NOW + 5) is None
    assert _reason(demo_conn, session_id) == sessions.RESTORED


def test_starting_and_ending_are_audited(demo_conn, users):
    session_id, token = _signed_in(demo_conn, users[Role.ANIMATOR])
    sessions.end_by_token(demo_conn, token)
    entries = store.history(demo_conn, "web_session", session_id)
    assert [e.action for e in entries] == ["create", "update"]
    assert entries[0].actor == users[Role.ANIMATOR].actor
    assert entries[1].after == {"ended": sessions.SIGNED_OUT}


@pytest.mark.parametrize("junk", ["", "x" * 101])
def test_absurd_cookies_are_refused_without_a_query(demo_conn, junk):
    assert sessions.resume(demo_conn, junk) is None
    sessions.end_by_token(demo_conn, junk)

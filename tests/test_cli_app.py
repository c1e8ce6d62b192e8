"""`habitat users` and `habitat serve`: creating the first administrator, and bad flags."""

from __future__ import annotations

import io

import pytest

from habitat import store
from habitat.services.auth import DEMO_PASSWORD, authenticate
from habitat.store.entities import Account, Role


@pytest.fixture
def empty_db(tmp_path, run_cli):
    path = tmp_path / "habitat.db"
    assert run_cli("db", "init", "--db", str(path))[0] == 0
    return path


def _stdin(monkeypatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_first_administrator_then_sign_in(empty_db, run_cli, monkeypatch):
    _stdin(monkeypatch, "une longue phrase\n")
    status, out, err = run_cli(
        "users", "add", "c.martin", "--name", "Claire Martin", "--role", "animator",
        "--password-stdin", "--db", str(empty_db), "--actor", "cli:setup",
    )  # fmt: skip
    assert status == 0, err
    assert "account c.martin (animator) created" in out
    with store.connect(empty_db) as db:
        account = store.find(db, Account)[0]
        assert account.password_hash.startswith("$argon2id$")
        assert store.history(db, "account", account.id)[0].actor == "cli:setup"
    status, out, _ = run_cli("users", "list", "--db", str(empty_db))
    assert status == 0 and "c.martin\tanimator\tClaire Martin" in out


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["x.y", "--name", "X", "--role", "host"], "court\n", "password: at least 10"),
        (["X Y", "--name", "X", "--role", "host"], "assez longue\n", "username:"),
        (["x.y", "--name", "X", "--role", "family"], "assez longue\n", "resident_id:"),
        (["x.y", "--name", "X", "--role", "family", "--resident", "H-NOBODY"], "", "--resident"),
    ],
)
def test_bad_account_is_refused_with_the_field_and_nothing_written(
    empty_db, run_cli, monkeypatch, args, stdin, message
):
    _stdin(monkeypatch, stdin)
    status, _, err = run_cli("users", "add", *args, "--password-stdin", "--db", str(empty_db))
    assert status == 2
    assert message in err
    with store.connect(empty_db) as db:
        assert store.find(db, Account) == []


def test_bad_role_is_refused_by_the_parser(empty_db, run_cli):
    status, _, err = run_cli("users", "add", "x.y", "--name", "X", "--role", "admin")
    assert status == 2 and "--role" in err


def test_password_reset_unlocks_and_lets_the_user_in(tmp_path, run_cli, monkeypatch):
    path = tmp_path / "demo.db"
    status, out, _ = run_cli("db", "demo", "--db", str(path))
    assert status == 0 and DEMO_PASSWORD in out
    with store.connect(path) as db:
        host = next(a for a in store.find(db, Account) if a.role is Role.HOST)
        store.update(db, "t", Account, host.id, host.version, {"failed_logins": 4})
    _stdin(monkeypatch, "nouvelle phrase de passe\n")
    status, _, err = run_cli(
        "users", "password", host.username, "--password-stdin", "--db", str(path)
    )
    assert status == 0, err
    with store.connect(path) as db:
        assert authenticate(db, host.username, "nouvelle phrase de passe").role is Role.HOST


def test_users_commands_on_a_missing_database_say_how_to_create_it(tmp_path, run_cli):
    status, _, err = run_cli("users", "list", "--db", str(tmp_path / "none.db"))
    assert status == 2 and "habitat db init" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--port", "0"], "--port: must be 1-65535"), ([], "does not exist")],
)
def test_serve_refuses_bad_flags_before_starting(tmp_path, run_cli, args, message):
    status, _, err = run_cli("serve", "--db", str(tmp_path / "none.db"), *args)
    assert status == 2 and message in err
    assert not (tmp_path / "none.db").exists()


def _older(path) -> str:
    """Make `path` look written by the version before the newest migration; its name."""
    with store.connect(path) as db:
        name = db.execute("SELECT name FROM _sqlite_migrations ORDER BY id DESC").fetchone()[0]
        table = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid DESC"
        ).fetchone()[0]
        db.execute(f"DROP TABLE {table}")
        db.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [name])
    return name


def test_a_database_from_an_older_version_is_refused_until_migrated(empty_db, run_cli):
    name = _older(empty_db)
    status, out, err = run_cli("users", "list", "--db", str(empty_db))
    assert status == 2 and out == ""
    assert "habitat db migrate" in err and name in err
    # Checking and backing it up still work: a backup comes before the migration.
    assert run_cli("db", "backup", "--db", str(empty_db), str(empty_db.with_suffix(".bak")))[0] == 0
    status, out, _ = run_cli("db", "migrate", "--db", str(empty_db))
    assert status == 0 and name in out
    assert run_cli("users", "list", "--db", str(empty_db))[0] == 0


def test_serve_brings_an_older_database_up_to_date(empty_db):
    from habitat.cli.serve import _up_to_date

    name = _older(empty_db)
    assert _up_to_date(empty_db) == [name]
    assert _up_to_date(empty_db) == []
    with store.connect(empty_db) as db:
        assert not store.pending(db)

"""The management app's commands: `habitat serve` and `habitat users add|list|password`.

`serve` starts the Streamlit app (what `make run` does). The first administrator
(an animator-coordinator account) is created with `users add`; passwords are
typed at a hidden prompt or piped with `--password-stdin`, never passed as a flag
(flags show in the process list and shell history).
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from habitat.cli_store import _db_option, _existing, _fail
from habitat.domain import Role
from habitat.ui.serving import APP, streamlit_flags


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `serve` and `users` on the `habitat` command."""
    sub = commands.add_parser(
        "serve",
        help="start the management app (Streamlit) on the database",
        description="Start the management app. With --demo, a missing database is first "
        "created as the demo habitat (history up to today) with its demo accounts.",
    )
    sub.add_argument("--port", type=int, default=8501, help="port to listen on (default 8501)")
    sub.add_argument(
        "--address", default="localhost", help="address to listen on (default localhost)"
    )
    sub.add_argument(
        "--demo", action="store_true", help="create the demo database if the file is missing"
    )
    _db_option(sub)
    sub.set_defaults(run=_serve)
    text = "manage the management tool's accounts"
    users = commands.add_parser("users", help=text, description=text)
    user_commands = users.add_subparsers(
        dest="users_what", required=True, parser_class=type(users), help="what to do"
    )
    sub = user_commands.add_parser(
        "add",
        help="create an account (the first one: --role animator)",
        description="Create an account with a hashed password (argon2id). Providers name "
        "their provider (--provider ID); families and residents name the resident "
        "(--resident ID or pseudonym).",
    )
    sub.add_argument("username", help="login name: lowercase letters, digits, . - _")
    sub.add_argument("--name", required=True, help="name shown in the app and the audit log")
    sub.add_argument(
        "--role", required=True, choices=[r.value for r in Role], help="what the account may do"
    )
    sub.add_argument("--provider", type=int, help="provider id (role provider)")
    sub.add_argument("--resident", help="resident id or pseudonym (roles family, resident)")
    sub.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    _db_option(sub)
    sub.set_defaults(run=_add)
    sub = user_commands.add_parser(
        "list", help="list the accounts", description="Accounts, their role and lock state."
    )
    _db_option(sub)
    sub.set_defaults(run=_list)
    sub = user_commands.add_parser(
        "password",
        help="set a new password (also unlocks the account)",
        description="Set a new password for an account; a locked account is unlocked.",
    )
    sub.add_argument("username", help="the account's login name")
    sub.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    _db_option(sub)
    sub.set_defaults(run=_password)


def _read_password(args: argparse.Namespace) -> str | None:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        return None
    return first


def _add(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.cli_store import _resident_id
    from habitat.services.auth import add_user

    if not _existing(args, "users add"):
        return 2
    with store.connect(args.db) as db:
        resident_id = None
        if args.resident is not None:
            resident_id = _resident_id(db, args.resident)
            if resident_id is None:
                return _fail("users add", f"--resident: no resident {args.resident!r}")
        password = _read_password(args)
        if password is None:
            return _fail("users add", "password: the two entries differ; nothing was created")
        try:
            account = add_user(
                db,
                args.actor,
                username=args.username,
                display_name=args.name,
                role=Role(args.role),
                password=password,
                provider_id=args.provider,
                resident_id=resident_id,
            )
        except store.InvalidRecord as error:
            return _fail("users add", _fields(error))
    print(f"account {account.username} ({account.role}) created")
    return 0


def _fields(error) -> str:
    return "; ".join(f"{p.field}: {p.reason}" for p in error.problems) + "; nothing was written"


def _list(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.entities import Account

    if not _existing(args, "users list"):
        return 2
    with store.connect(args.db) as db:
        for a in store.find(db, Account, order_by="username"):
            lock = f" locked until {a.locked_until}" if a.locked_until else ""
            print(f"{a.username}\t{a.role}\t{a.display_name}{lock}")
    return 0


def _password(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.services.auth import set_password
    from habitat.store.entities import Account

    if not _existing(args, "users password"):
        return 2
    with store.connect(args.db) as db:
        found = store.find(db, Account, "username = ?", [args.username])
        if not found:
            return _fail("users password", f"username: no account {args.username!r}")
        password = _read_password(args)
        if password is None:
            return _fail("users password", "password: the two entries differ; nothing changed")
        try:
            set_password(db, args.actor, found[0].id, found[0].version, password)
        except store.InvalidRecord as error:
            return _fail("users password", _fields(error))
    print(f"password of {args.username} changed")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from habitat.cli_store import _demo
    from habitat.services.clock import today

    if not 0 < args.port < 65536:
        return _fail("serve", f"--port: must be 1-65535, got {args.port}")
    if not args.db.is_file():
        if not args.demo:
            return _fail(
                "serve",
                f"--db: {args.db} does not exist (create it with `habitat db init` and "
                "`habitat users add`, or pass --demo)",
            )
        demo_args = argparse.Namespace(
            db=args.db, seed=2026, years=1, end=today(), actor=args.actor
        )
        args.db.parent.mkdir(parents=True, exist_ok=True)
        status = _demo(demo_args)
        if status:
            return status
    env = {**os.environ, "HABITAT_DB": str(args.db.resolve())}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        *streamlit_flags(),
    ]
    print(f"habitat: serving {args.db} on http://{args.address}:{args.port}", flush=True)
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover - execve does not return

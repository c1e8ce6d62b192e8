"""`habitat users add|list|password`: the management tool's accounts.

The first administrator (an animator-coordinator account) is created with
`users add`; passwords are typed at a hidden prompt or piped with
`--password-stdin`, never passed as a flag (flags show in the process list and
shell history).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail
from habitat.cli.options import add_db_option, existing_db
from habitat.domain import Role


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `users` and its sub-commands on the `habitat` command."""
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
    add_db_option(sub)
    sub.set_defaults(run=_add)
    sub = user_commands.add_parser(
        "list", help="list the accounts", description="Accounts, their role and lock state."
    )
    add_db_option(sub)
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
    add_db_option(sub)
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
    from habitat.services.auth import add_user
    from habitat.store.queries_residents import resident_id as find_resident

    if not existing_db(args, "users add"):
        return EXIT_BAD_INPUT
    with store.connect(args.db) as db:
        resident_id = None
        if args.resident is not None:
            resident_id = find_resident(db, args.resident)
            if resident_id is None:
                return fail("users add", f"--resident: no resident {args.resident!r}")
        password = _read_password(args)
        if password is None:
            return fail("users add", "password: the two entries differ; nothing was created")
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
            return fail("users add", _fields(error))
    print(f"account {account.username} ({account.role}) created")
    return EXIT_OK


def _fields(error) -> str:
    return "; ".join(f"{p.field}: {p.reason}" for p in error.problems) + "; nothing was written"


def _list(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.store.entities import Account

    if not existing_db(args, "users list"):
        return EXIT_BAD_INPUT
    with store.connect(args.db) as db:
        for a in store.find(db, Account, order_by="username"):
            lock = f" locked until {a.locked_until}" if a.locked_until else ""
            print(f"{a.username}\t{a.role}\t{a.display_name}{lock}")
    return EXIT_OK


def _password(args: argparse.Namespace) -> int:
    from habitat import store
    from habitat.services.auth import set_password
    from habitat.store.entities import Account

    if not existing_db(args, "users password"):
        return EXIT_BAD_INPUT
    with store.connect(args.db) as db:
        found = store.find(db, Account, "username = ?", [args.username])
        if not found:
            return fail("users password", f"username: no account {args.username!r}")
        password = _read_password(args)
        if password is None:
            return fail("users password", "password: the two entries differ; nothing changed")
        try:
            set_password(db, args.actor, found[0].stored_id, found[0].version, password)
        except store.InvalidRecord as error:
            return fail("users password", _fields(error))
    print(f"password of {args.username} changed")
    return EXIT_OK

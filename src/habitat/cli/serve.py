"""`habitat serve`: start the management app (what `make run` does)."""

from __future__ import annotations

import argparse
import os
import sys

from habitat.cli.exit_codes import fail
from habitat.cli.options import add_db_option


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `serve` on the `habitat` command."""
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
    add_db_option(sub)
    sub.set_defaults(run=_serve)


def _up_to_date(path) -> list[str]:
    """Apply the migrations a newer version brings (the app reads their tables); their names."""
    from habitat import store

    with store.connect(path) as db:
        if not store.pending(db):
            return []
    return store.init(path)


def _serve(args: argparse.Namespace) -> int:
    from habitat.cli.db import demo
    from habitat.clock import today
    from habitat.ui.serving import SERVED, streamlit_flags

    if not 0 < args.port < 65536:
        return fail("serve", f"--port: must be 1-65535, got {args.port}")
    if not args.db.is_file():
        if not args.demo:
            return fail(
                "serve",
                f"--db: {args.db} does not exist (create it with `habitat db init` and "
                "`habitat users add`, or pass --demo)",
            )
        demo_args = argparse.Namespace(
            db=args.db, seed=2026, years=1, end=today(), actor=args.actor
        )
        args.db.parent.mkdir(parents=True, exist_ok=True)
        status = demo(demo_args)
        if status:
            return status
    else:
        applied = _up_to_date(args.db)
        if applied:
            print(f"habitat: brought {args.db} up to date: {', '.join(applied)}", flush=True)
    env = {**os.environ, "HABITAT_DB": str(args.db.resolve())}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(SERVED),
        "--server.port",
        str(args.port),
        "--server.address",
        args.address,
        *streamlit_flags(),
    ]
    print(f"habitat: serving {args.db} on http://{args.address}:{args.port}", flush=True)
    os.execve(sys.executable, command, env)
    return 0  # pragma: no cover - execve does not return

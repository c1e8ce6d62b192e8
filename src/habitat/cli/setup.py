"""`habitat setup`: set a real habitat up from a YAML file or from prompts.

For a host organisation's technician installing the tool: the same steps as the
app's set-up assistant (`habitat.services.setup`), in one transaction. Bad YAML or
a bad value gets one line naming the field, and nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail
from habitat.cli.options import add_db_option, existing_db

COMMAND = "setup"
#: The example file shipped in the docs, written by `--example`.
EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "habitat.example.yaml"
#: The weekdays as a prompt accepts them (0 = Monday).
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `setup` on the `habitat` command."""
    sub = commands.add_parser(
        COMMAND,
        help="set the habitat up (name, dwellings, spaces, AVP, project, presence rota)",
        description="Set a real habitat up in an empty database (after `habitat db init`): "
        "from a YAML file (--from, see docs/habitat.example.yaml) or by answering prompts. "
        "The same steps as the app's set-up assistant; all or nothing.",
    )
    sub.add_argument("--from", dest="source", type=Path, help="the YAML file describing it")
    sub.add_argument(
        "--example", type=Path, metavar="PATH", help="write an example YAML file to PATH and stop"
    )
    add_db_option(sub)
    sub.set_defaults(run=_setup)


def _setup(args: argparse.Namespace) -> int:
    if args.example is not None:
        return _write_example(args.example)
    if not existing_db(args, COMMAND):
        return EXIT_BAD_INPUT
    if args.source is not None:
        document = _read(args.source)
        if document is None:
            return EXIT_BAD_INPUT
    else:
        document = _ask()
    return _apply(args, document)


def _write_example(path: Path) -> int:
    from habitat.files import write_atomically

    if path.exists():
        return fail(COMMAND, f"--example: {path} exists; nothing was written")
    write_atomically(path, example_text().encode())
    print(f"example written to {path}")
    return EXIT_OK


def example_text() -> str:
    """The example set-up file (the one in docs/)."""
    if EXAMPLE.is_file():
        return EXAMPLE.read_text(encoding="utf-8")
    from importlib.resources import files  # pragma: no cover - installed wheel without docs/

    return files("habitat").joinpath("habitat.example.yaml").read_text(encoding="utf-8")


def _read(path: Path) -> Any:
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        fail(COMMAND, f"--from: {path} does not exist")
        return None
    except (OSError, UnicodeDecodeError) as error:
        fail(COMMAND, f"--from: {path} cannot be read ({error.__class__.__name__})")
        return None
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        fail(COMMAND, f"--from: {path} is not valid YAML{where}; nothing was written")
        return None
    if not isinstance(document, dict):
        fail(COMMAND, f"--from: {path} must describe the habitat as a mapping of sections")
        return None
    return document


def _apply(args: argparse.Namespace, document: dict[str, Any]) -> int:
    from habitat import store
    from habitat.services import setup
    from habitat.services.access import User
    from habitat.store.entities import Role

    user = User(0, args.actor, "habitat setup", Role.ANIMATOR, None)
    with store.connect(args.db) as db:
        existing = setup.current_habitat(db)
        if existing is not None:
            return fail(
                COMMAND,
                f"--db: {args.db} already has a habitat ({existing.name!r}); change it in the "
                "app (Paramètres de l'habitat); nothing was written",
            )
        try:
            progress = setup.apply(db, user, document)
        except store.InvalidRecord as refusal:
            problem = refusal.problems[0]
            return fail(COMMAND, f"{problem.field}: {problem.reason_fr}; nothing was written")
    left = [setup.STEPS[s] for s, done in progress.done.items() if not done]
    print(
        f"habitat {progress.recorded_habitat.name!r} set up: {len(progress.dwellings)} dwellings, "
        f"{len(progress.spaces)} common spaces, {len(progress.patterns)} weekly presence slots"
    )
    if left:
        print("still to do in the app's set-up assistant: " + ", ".join(left))
    return EXIT_OK


def _prompt(question: str, default: str | None = None) -> str:
    shown = f"{question} [{default}]: " if default else f"{question}: "
    print(shown, end="", flush=True)
    answer = sys.stdin.readline()
    if not answer:  # end of input: the defaults, or empty
        print()
        return default or ""
    return answer.strip() or (default or "")


def _list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _days(text: str) -> list[Any]:
    days: list[Any] = []
    for part in _list(text):
        first, dash, last = part.partition("-")
        if dash and first.lower() in WEEKDAYS and last.lower() in WEEKDAYS:
            days += list(range(WEEKDAYS.index(first.lower()), WEEKDAYS.index(last.lower()) + 1))
        elif part.lower() in WEEKDAYS:
            days.append(WEEKDAYS.index(part.lower()))
        else:
            days.append(part)  # refused by the service, naming the field
    return days


def _ask() -> dict[str, Any]:
    """The set-up document from answers typed at prompts (English: for the technician)."""
    print("Setting a habitat up. Press Enter to take the value in brackets.")
    document: dict[str, Any] = {
        "habitat": {
            "name": _prompt("Habitat name"),
            "host_organisation": _prompt("Host organisation"),
            "address": _prompt("Address"),
        }
    }
    count = _prompt("Number of dwellings", "8")
    names = _prompt("Dwelling names, comma-separated", f"Logement 1 ... Logement {count}")
    if names.startswith("Logement 1 ..."):
        document["dwellings"] = int(count) if count.isdigit() else count
    else:
        document["dwellings"] = _list(names)
    document["spaces"] = _list(_prompt("Common spaces, comma-separated", "Cuisine, Salon, Jardin"))
    document["avp"] = {
        "amount_per_resident": _prompt("AVP per resident per year (EUR)", "7500"),
        "tier": _prompt("AVP tier", "Palier 2 : 7 500 €"),
        "start": _prompt("AVP agreement start (YYYY-MM-DD)"),
        "end": _prompt("AVP agreement end (YYYY-MM-DD, Enter for none)") or None,
    }
    document["project"] = {
        "text": _prompt("Shared-life project, first version (one paragraph)"),
        "adopted_on": _prompt("Adopted on (YYYY-MM-DD)"),
        "adopted_by": _prompt("Adopted by"),
    }
    presence: dict[str, Any] = {
        "from": _prompt("Collective presence every day from (HH:MM)", "08:00"),
        "to": _prompt("until (HH:MM)", "21:00"),
        "weekly": [],
    }
    roles = "animator, pooled_help, family, volunteer, provider, night_watch, civic_service, other"
    while True:
        person = _prompt("Weekly presence slot: who (Enter to finish)")
        if not person:
            break
        presence["weekly"].append(
            {
                "person": person,
                "role": _prompt(f"  role ({roles})", "animator"),
                "weekdays": _days(_prompt("  weekdays (e.g. mon-fri, sat, sun)", "mon-fri")),
                "from": _prompt("  from (HH:MM)", "09:00"),
                "to": _prompt("  to (HH:MM)", "17:00"),
            }
        )
    document["presence"] = presence
    return document

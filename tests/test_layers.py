"""The layers hold: no SQL in the screens, none run by the services (issue 11).

The screens read and write through `habitat.services` (which apply each role's
scope), never the store's query modules; the services ask the store's
functions (`store.find`, `store/queries*.py`) and never run a statement themselves.
Each module is parsed, not imported, so a new file is checked the day it is added.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "habitat"
UI = sorted((SRC / "ui").rglob("*.py"))
SERVICES = sorted((SRC / "services").rglob("*.py"))

#: Methods that run SQL on a connection or a sqlite-utils database.
SQL_METHODS = frozenset({"execute", "executemany", "executescript", "query"})
#: Text that only SQL holds: a placeholder comparison or a clause keyword.
SQL_TEXT = re.compile(
    r"\b\w+\s*(=|<|>|<=|>=|!=|IN)\s*\?|\bWHERE\b|\bSELECT\b.*\bFROM\b|\bIS (NOT )?NULL\b"
    r"|\bjson_each\b|\bPRAGMA\b"
)
#: Service modules still allowed to run SQL, each with why. Empty: keep it so.
SERVICE_ALLOW: dict[str, str] = {}


def _name(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


def _calls(tree: ast.AST) -> list[tuple[int, str]]:
    """Every call of a SQL method or of `store.find`, as (line, what)."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        attribute = node.func
        if attribute.attr in SQL_METHODS:
            found.append((node.lineno, f".{attribute.attr}("))
        elif (
            attribute.attr == "find"
            and isinstance(attribute.value, ast.Name)
            and attribute.value.id == "store"
        ):
            found.append((node.lineno, "store.find("))
    return found


def _sql_strings(tree: ast.AST) -> list[tuple[int, str]]:
    """String constants that read as SQL (docstrings included: they should not hold any)."""
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SQL_TEXT.search(node.value)
    ]


def _store_finds(tree: ast.AST) -> list[str]:
    """Names `find` imported from the store (`from habitat.store import find`)."""
    return [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("habitat.store")
        for alias in node.names
        if alias.name in ("find", "from_rows")
    ]


def _store_reads(tree: ast.AST) -> list[tuple[int, str]]:
    """Calls that hand a connection to the store's query modules (`queries*.f(ctx.db, ...)`)."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("habitat.store"):
            for alias in node.names:
                module = f"{node.module}.{alias.name}"
                if "queries" in module:
                    bound.add(alias.asname or alias.name)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        hands_db = (isinstance(first, ast.Name) and first.id == "db") or (
            isinstance(first, ast.Attribute) and first.attr == "db"
        )
        target = node.func.value if isinstance(node.func, ast.Attribute) else node.func
        if hands_db and isinstance(target, ast.Name) and target.id in bound:
            found.append((node.lineno, ast.unparse(node.func)))
    return found


@pytest.mark.parametrize("path", UI, ids=_name)
def test_screens_read_through_services(path):
    """A screen reads through `habitat.services` (scope applied there), not the store's queries."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert not _store_reads(tree), f"{_name(path)} reads the store directly: {_store_reads(tree)}"


@pytest.mark.parametrize("path", UI, ids=_name)
def test_screens_run_no_sql(path):
    """A screen describes the page: every read and write is one call into a service."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    offences = _calls(tree) + _sql_strings(tree)
    assert not offences, f"{_name(path)} runs or builds SQL: {offences}"
    assert not _store_finds(tree), f"{_name(path)} imports the store's find"


@pytest.mark.parametrize("path", SERVICES, ids=_name)
def test_services_run_no_statement(path):
    """Services ask the store's functions; the SQL lives in `store/`."""
    if path.name in SERVICE_ALLOW:
        pytest.skip(SERVICE_ALLOW[path.name])
    tree = ast.parse(path.read_text(encoding="utf-8"))
    statements = [(line, what) for line, what in _calls(tree) if what != "store.find("]
    assert not statements, f"{_name(path)} runs SQL itself: {statements}"


def test_the_checks_see_sql():
    """The checks catch what the screens used to hold (kept honest on a sample)."""
    screen = ast.parse(
        "def render(ctx):\n"
        "    store.find(ctx.db, Resident, 'habitat_id = ?', [ctx.habitat.id])\n"
        "    ctx.db.execute('SELECT id FROM resident')\n"
        "    where = 'habitat_id = ? AND archived_at IS NOT NULL'\n"
    )
    assert [what for _, what in _calls(screen)] == ["store.find(", ".execute("]
    assert len(_sql_strings(screen)) == 3
    assert not _sql_strings(ast.parse("TITLE = 'Habitants que vous accompagnez'"))
    direct = ast.parse(
        "from habitat.store import queries\n"
        "from habitat.store.queries_collective import open_decisions\n"
        "queries.dashboard(ctx.db, 1, day)\n"
        "open_decisions(ctx.db, 1)\n"
        "queries.overlapping_visits(visits)\n"
    )
    assert [what for _, what in _store_reads(direct)] == ["queries.dashboard", "open_decisions"]

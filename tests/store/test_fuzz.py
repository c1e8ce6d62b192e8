from __future__ import annotations

import shutil
import types
import typing
from datetime import UTC, date, datetime, time, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import NaiveDatetime

from habitat import store
from habitat.store.entities import RECORDS
from habitat.store.record import Record

#: Columns the store owns: never in a form, so not fuzzed.
STORE_OWNED = {"id", "version", "archived_at"}

# --- What a person may type -----------------------------------------------------------

NASTY_TEXT = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.com/x","clic")',
    "+33 6 12 34 56 78",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "<script>alert('xss')</script>",
    '<img src=x onerror="alert(1)">',
    "&lt;b&gt;gras&lt;/b&gt;",
    "Robert'); DROP TABLE resident;--",
    '"; DELETE FROM audit_log; --',
    "👩🏽‍🦽 Zoé 🏳️‍🌈 fête 🎂",
    "Ünïcødé ñ ß Ω ŒŸ",
    "مرحبا بالعالم",
    "\u202etxet esrever",
    "zero\u200bwidth\u200djoiner",
    "line\u2028separator",
    "\ufeffbyte order mark",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U0010ffff",
    "NULL",
    "None",
    "   ",
    "",
    "a\x00b",
    "bell\x07",
    "lone \ud800 surrogate",
    "tab\tinside",
    "two\nlines",
    "windows\r\nline",
    "  leading and trailing  ",
]

# Printable text in any script, emoji and other planes included: what must be kept.
_printable = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"]), min_size=1, max_size=60
).filter(str.strip)

_texts = st.one_of(
    _printable,
    st.sampled_from(NASTY_TEXT),
    # Spreadsheet formula prefixes before text that is otherwise fine.
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from(["=", "+", "-", "@", "\t", "\r", "|"]),
        _printable,
    ),
    st.text(),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=40),
    # Around the length limits (200, 20,000) and a 10,000-character paste.
    st.builds(
        lambda unit, size: (unit * size)[:size],
        st.text(st.characters(codec="utf-8"), min_size=1, max_size=6),
        st.sampled_from([199, 200, 201, 10_000, 19_999, 20_000, 20_001]),
    ),
)

_ints = st.one_of(
    st.integers(-5, 5),
    st.integers(),
    st.sampled_from([0, -1, 1900, 2**31, 2**53 + 1, 2**63 - 1, 2**63, -(2**63) - 1, 10**30]),
)

_floats = st.one_of(
    st.floats(),
    st.sampled_from(
        [0.0, -0.0, -1e-9, 24.0, 24.000001, 168.0, 168.5, 10_000.0, 10_000.01, 1e308, 5e-324]
    ),
    st.integers(-(10**6), 10**6),
    st.just(10**400),
)

_bad_dates = st.sampled_from(["2024-02-30", "31/12/2024", "2024-13-01", "0000-01-01", "demain"])
_bad_datetimes = st.sampled_from(["2024-06-01T25:00", "2024-06-01 18h", "1er juin", "2024-06-01"])
_bad_times = st.sampled_from(["25:00", "08:60", "8h", "midi"])
_zones = st.sampled_from([UTC, timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))])

_wrong_types = st.sampled_from([None, "", [], {}, 3.5, "abc", ["x"], {"a": 1}])


def _core(annotation: Any) -> Any:
    """The type under Optional[...] and Annotated[...]."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def kind_of(model: type[Record], name: str) -> str:
    """How a field is fuzzed."""
    annotation = _core(model.model_fields[name].annotation)
    if annotation is NaiveDatetime:
        return "datetime"
    origin = typing.get_origin(annotation)
    if origin is list:
        item = _core(typing.get_args(annotation)[0])
        if item is str:
            return "texts"
        return "ids" if name in model.links else "small_ints"
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return "enum"
        if annotation is int and (name in model.references or name.endswith("_id")):
            return "ref"
        for python_type, kind in (
            (bool, "bool"),
            (int, "int"),
            (float, "float"),
            (str, "text"),
            (datetime, "datetime"),
            (date, "date"),
            (time, "time"),
        ):
            if issubclass(annotation, python_type):
                return kind
    return "unknown"


def fuzzed_fields(model: type[Record]) -> list[str]:
    return [name for name in model.model_fields if name not in STORE_OWNED]


def _fields_to_fuzz(model: type[Record]) -> st.SearchStrategy[list[str]]:
    """One or two fields; half the time only text, what people type most."""
    every = fuzzed_fields(model)
    text = [name for name in every if kind_of(model, name) in ("text", "texts")] or every
    return st.lists(st.sampled_from(text), min_size=1, max_size=2, unique=True) | st.lists(
        st.sampled_from(every), min_size=1, max_size=2, unique=True
    )


def value_for(model: type[Record], name: str, base: Any) -> st.SearchStrategy[Any]:
    """Values for one field: plausible, nasty, out of range, of the wrong type."""
    kind = kind_of(model, name)
    if kind == "text":
        plausible = _texts
    elif kind == "texts":
        plausible = st.lists(_texts, max_size=4) | st.just(["x"] * 21)
    elif kind == "int":
        plausible = _ints
    elif kind == "float":
        plausible = _floats
    elif kind == "bool":
        plausible = st.booleans() | st.sampled_from(["oui", 2, -1])
    elif kind == "enum":
        enum = _core(model.model_fields[name].annotation)
        plausible = st.sampled_from(list(enum)) | st.sampled_from([e.value for e in enum]) | _texts
    elif kind == "ref":
        plausible = st.integers(-2, 6) | st.sampled_from([999_999, 2**63 - 1, 2**63])
    elif kind == "ids":
        plausible = st.lists(st.integers(-1, 6) | st.just(999_999), max_size=6) | st.just(
            list(range(1, 200))
        )
    elif kind == "small_ints":
        plausible = st.lists(st.integers(-2, 9), max_size=9)
    elif kind == "date":
        anchor = base if isinstance(base, str) else "2024-05-01"
        near = st.integers(-400, 400).map(
            lambda days: date.fromisoformat(anchor) + timedelta(days=days)
        )
        plausible = near | st.dates() | _bad_dates
    elif kind == "datetime":
        anchor = datetime.fromisoformat(base if isinstance(base, str) else "2024-05-01T12:00")
        near = st.integers(-2 * 24 * 60, 2 * 24 * 60).map(lambda m: anchor + timedelta(minutes=m))
        plausible = near | st.datetimes() | st.datetimes(timezones=_zones) | _bad_datetimes
    elif kind == "time":
        plausible = st.times() | st.times(timezones=_zones) | _bad_times
    else:  # pragma: no cover - test_every_field_has_a_fuzzing_strategy guards this
        raise AssertionError(f"{model.__name__}.{name}: no strategy")
    return st.one_of(plausible, plausible, plausible, _wrong_types)


# --- A database per example, parents already there ---------------------------------------


@pytest.fixture(scope="module")
def templates(tmp_path_factory, factories):
    """Per table: a database file holding the parent rows, and valid data for a new row."""
    made: dict[str, tuple[Path, dict[str, Any]]] = {}

    def template(table: str) -> tuple[Path, dict[str, Any]]:
        if table not in made:
            path = tmp_path_factory.mktemp(f"template-{table}") / "habitat.db"
            store.init(path)
            with store.connect(path) as db:
                made[table] = (path, factories[table](db))
        return made[table]

    return template


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "habitat.db"


def _fresh_copy(template: Path, path: Path) -> None:
    for suffix in ("-wal", "-shm", ""):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, path)


def _counts(db, table: str) -> tuple[int, int]:
    rows = db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    audit = db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    return rows, audit


def _check_refusal(model: type[Record], refused: store.InvalidRecord) -> None:
    assert refused.problems, refused
    for problem in refused.problems:
        assert problem.field.split(".")[0] in model.model_fields, problem
        assert problem.reason_fr.strip(), problem
        assert problem.reason_fr != problem.reason, f"no French text for: {problem}"
        assert problem.message_fr.strip()
    assert set(refused.by_field()) == {p.field for p in refused.problems}


def _check_stored(db, model: type[Record], record: Record, data: dict[str, Any]) -> None:
    got = store.get(db, model, record.id)
    assert got == record
    assert got.version == 1
    assert got.archived_at is None
    for name, value in data.items():
        kind = kind_of(model, name)
        if kind == "text" and isinstance(value, str):
            assert getattr(got, name) == value  # verbatim: not stripped, escaped or cut
            column = db.execute(f"SELECT {name} FROM {model.table} WHERE id = ?", [record.id])
            assert column.fetchone()[0] == value
        elif kind == "texts" and isinstance(value, list):
            assert getattr(got, name) == value
    entries = store.history(db, model.table, record.id)
    assert [entry.action for entry in entries] == ["create"]
    assert entries[0].after == record.audit_copy()


@pytest.mark.parametrize("table", sorted(RECORDS))
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(data=st.data())
def test_any_input_is_stored_verbatim_or_refused_with_a_french_reason(
    table, data, templates, scratch
):
    model = RECORDS[table]
    template, base = templates(table)
    names = data.draw(_fields_to_fuzz(model), label="fields")
    form = dict(base)
    for name in names:
        form[name] = data.draw(value_for(model, name, base.get(name)), label=name)

    _fresh_copy(template, scratch)
    with store.connect(scratch) as db:
        before = _counts(db, table)
        try:
            record = store.create(db, "fuzz", model, form)
        except store.InvalidRecord as refused:
            event("refused")
            _check_refusal(model, refused)
            assert _counts(db, table) == before
        else:
            event("stored")
            _check_stored(db, model, record, form)


@pytest.mark.parametrize("table", sorted(RECORDS))
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_edit_is_saved_verbatim_or_refused_leaving_the_record_as_it_was(
    table, data, templates, scratch
):
    model = RECORDS[table]
    template, base = templates(table)
    name = data.draw(_fields_to_fuzz(model), label="field")[0]
    value = data.draw(value_for(model, name, base.get(name)), label=name)

    _fresh_copy(template, scratch)
    with store.connect(scratch) as db:
        original = store.create(db, "fuzz", model, base)
        try:
            edited = store.update(db, "fuzz", model, original.id, original.version, {name: value})
        except store.InvalidRecord as refused:
            event("refused")
            _check_refusal(model, refused)
            assert store.get(db, model, original.id) == original
            assert [e.action for e in store.history(db, table, original.id)] == ["create"]
        else:
            event("saved")
            got = store.get(db, model, original.id)
            assert got == edited
            assert got.version == 2
            if kind_of(model, name) == "text" and isinstance(value, str):
                assert getattr(got, name) == value
            assert [e.action for e in store.history(db, table, original.id)] == [
                "create",
                "update",
            ]


def test_every_table_has_a_factory(factories):
    assert sorted(factories) == sorted(RECORDS)


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_every_factory_gives_data_the_store_accepts(fresh_db, factories, table):
    model = RECORDS[table]

    record = store.create(fresh_db, "fuzz", model, factories[table](fresh_db))

    assert store.get(fresh_db, model, record.id) == record


@pytest.mark.parametrize("table", sorted(RECORDS))
def test_every_field_has_a_fuzzing_strategy(table):
    model = RECORDS[table]
    unknown = [name for name in fuzzed_fields(model) if kind_of(model, name) == "unknown"]
    assert unknown == []

"""The synthetic twin: nobody real in it, the habitat's shape, the same seed the same files.

The linkage test reads every file written on the demo and looks for every value of
the records that could link a synthetic row back to a person: identifying strings
(names, contacts, free text), pseudonyms, first names, birth years, every date the
records hold and every free text typed by the animator.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from habitat import demo, store
from habitat.services import synthetic
from habitat.services.access import Forbidden, user_of
from habitat.services.twin import BadTwinRequest
from habitat.services.what_if import from_records
from habitat.store.entities import Account, Resident, Role, TensionKind
from habitat.twin.synthetic import FIRST_NAMES, START, draw, draw_members

from ..store.test_gdpr import _identifying_strings

END = demo.DEFAULT_END
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Free text typed in the records (beyond `_identifying_strings`): table -> columns.
FREE_TEXT = {
    "tension": ("description", "actions", "others_involved"),
    "activity": ("title", "description", "location", "cancelled_reason"),
    "time_entry": ("note", "person"),
    "liaison_note": ("body", "author"),
    "common_space": ("name",),
    "dwelling": ("name",),
    "habitat": ("name", "address", "host_organisation"),
}


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())


@pytest.fixture(scope="module")
def twin_on_demo(tmp_path_factory):
    """The demo's synthetic twin, one year, seed 5: (database path, folder, result)."""
    folder = tmp_path_factory.mktemp("synthetic")
    path = folder / "habitat.db"
    demo.build(path)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HABITAT_TODAY", END.isoformat())
        with store.connect(path) as db:
            animator = _users(db)[Role.ANIMATOR]
            result = synthetic.synthetic(db, animator, out_dir=folder / "twin", years=1, seed=5)
    return path, folder / "twin", result


def _exports(db) -> list:
    """The synthetic twin's audit entries (other tests may audit other exports on the demo)."""
    return [
        e
        for e in store.history(db)
        if e.action == "export" and e.after["purpose"] == "twin synthetic"
    ]


def _users(db):
    return {a.role: user_of(db, a) for a in store.find(db, Account)}


def _username(path: Path, role: Role) -> str:
    with store.connect(path) as db:
        return next(a.username for a in store.find(db, Account) if a.role is role)


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _real_dates(db) -> set[str]:
    """Every ISO date any column of any record holds (entries, tensions, activities, time...)."""
    found = set()
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    for table in tables:
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        for column in columns:
            for (value,) in db.execute(f"SELECT {column} FROM {table}"):
                if isinstance(value, str):
                    found.update(ISO_DATE.findall(value))
    return found


def _free_text(db) -> set[str]:
    found = set()
    for table, columns in FREE_TEXT.items():
        for column in columns:
            for (value,) in db.execute(f"SELECT {column} FROM {table}"):
                if isinstance(value, str) and len(value.strip()) >= 6:
                    found.add(value.strip())
    return found


def _links(files: dict[str, str], db) -> list[str]:
    """Every value of the records found in the files: what could link a row back to a person."""
    text = "\n".join(files.values())
    identifying = _identifying_strings(db) | _free_text(db)
    residents = store.find(db, Resident, include_archived=True)
    first_names = {r[0] for r in db.execute("SELECT first_name FROM resident")} | {
        r[0] for r in db.execute("SELECT first_name FROM carer")
    }
    assert len(identifying) > 100 and len(residents) >= 8  # the search has material
    found = sorted(value for value in identifying if value in text)
    found += sorted(d for d in _real_dates(db) if d in text)
    found += [r.pseudonym for r in residents if r.pseudonym in text]
    years = {str(r.birth_year) for r in residents if r.birth_year}
    for row in _rows(files["residents.csv"]):  # no real birth year next to a resident
        found += sorted(years & set(re.findall(r"\b\d{4}\b", ",".join(row.values()))))
        found += [row["first_name"]] if row["first_name"] in first_names else []
    return found


def test_no_value_of_the_records_can_be_linked_back(twin_on_demo):
    path, folder, result = twin_on_demo
    files = _files(folder)
    assert set(files) == {*result.files} and len(files) == 10
    with store.connect(path) as db:
        assert _links(files, db) == []
        # The search finds what it looks for: plant one value of each kind in a copy.
        resident = store.find(db, Resident)[0]
        tension = db.execute("SELECT description, occurred_on FROM tension").fetchone()
        planted = dict(files)
        rows = _rows(files["residents.csv"])
        rows[0].update(first_name=resident.first_name, age_on_entry=str(resident.birth_year))
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        planted["residents.csv"] = out.getvalue()
        planted["tensions.csv"] += f"99,family,low,{tension[1]},,open,{resident.pseudonym},"
        planted["tensions.csv"] += f"{tension[0]}\n"
        found = _links(planted, db)
    assert {resident.first_name, str(resident.birth_year), tension[0], tension[1]} <= set(found)
    assert resident.pseudonym in found
    synthetic_rows = _rows(files["residents.csv"])
    assert all(re.fullmatch(r"S-[A-Z0-9]{6}", row["pseudonym"]) for row in synthetic_rows)
    # Every date written is on the fictitious calendar.
    written = set(ISO_DATE.findall("\n".join(files.values())))
    assert written and min(written) >= START.isoformat()


def test_the_synthetic_habitat_has_the_real_ones_shape(twin_on_demo):
    path, folder, _ = twin_on_demo
    files = _files(folder)
    manifest = json.loads(files["manifest.json"])
    with store.connect(path) as db:
        built = from_records(db, _users(db)[Role.ANIMATOR], END)
    real = built.extract
    dwellings = real["habitat"]["dwellings"]
    people = _rows(files["residents.csv"])
    first = [r for r in people if r["entry_date"] == START.isoformat()]
    # As many first residents as dwellings in use; never more than the dwellings.
    assert len(first) == len(real["residents"])
    weeks = _rows(files["weeks.csv"])
    assert all(0 < int(w["residents"]) <= dwellings for w in weeks)
    assert len(weeks) == 53
    # Publics drawn from the habitat's own set.
    assert {r["public"] for r in people} <= {r["public"] for r in real["residents"]}
    assert all(1 <= int(r["gir_on_entry"]) <= 6 for r in people)
    assert all(r["first_name"] in FIRST_NAMES[r["sex"]] for r in people)
    # Activities, hours and tensions of the same order as the habitat's.
    per_week = manifest["figures"]["activities_per_week"]
    assert 0.5 * real["activities"]["per_week"] <= per_week <= 1.5 * real["activities"]["per_week"]
    hours = sum(manifest["figures"]["animator_hours_per_week_by_function"].values())
    assert 0 < hours <= built.scenario.animator.hours_per_week + 0.01
    tensions = _rows(files["tensions.csv"])
    assert tensions and {t["kind"] for t in tensions} <= {k.value for k in TensionKind}
    for t in tensions:
        assert (t["status"] == "closed") == bool(t["resolved_on"])
        assert not t["resolved_on"] or t["resolved_on"] >= t["occurred_on"]
    pseudonyms = {r["pseudonym"] for r in people}
    attendance = _rows(files["attendance.csv"])
    assert attendance and {a["pseudonym"] for a in attendance} <= pseudonyms
    assert manifest["seed"] == 5 and manifest["years"] == 1
    assert manifest["calendar"]["start"] == "2030-01-01"


def test_the_people_are_drawn_not_copied(demo_conn, users, today):
    scenario = from_records(demo_conn, users[Role.ANIMATOR], END).scenario
    members = scenario.residents.members
    real = Counter(
        (m.public, m.gir, m.entered_by_default, m.family_hours_per_week) for m in members
    )
    import numpy as np

    differing = 0
    for seed in range(10):
        drawn = draw_members(scenario, np.random.default_rng(seed))
        assert len(drawn) == len(members)
        people = Counter(
            (d["public"], d["gir"], d["entered_by_default"], d["family_hours_per_week"])
            for d in drawn
        )
        differing += people != real
        assert {d["public"] for d in drawn} <= {m.public for m in members}
    assert differing == 10


def test_the_same_seed_gives_the_same_files_another_seed_other_people(
    demo_conn, users, today, tmp_path
):
    scenario = from_records(demo_conn, users[Role.ANIMATOR], END).scenario
    one = draw(scenario, seed=11, years=1).files()
    again = draw(scenario, seed=11, years=1).files()
    other = draw(scenario, seed=12, years=1).files()
    assert one == again
    assert one["residents.csv"] != other["residents.csv"]
    names = {r["pseudonym"] for r in _rows(one["residents.csv"].decode())}
    assert not names & {r["pseudonym"] for r in _rows(other["residents.csv"].decode())}
    # Through the service too: byte-identical folders.
    first = synthetic.synthetic(
        demo_conn, users[Role.ANIMATOR], out_dir=tmp_path / "a", years=1, seed=11
    )
    synthetic.synthetic(demo_conn, users[Role.HOST], out_dir=tmp_path / "b", years=1, seed=11)
    assert _files(first.out_dir) == _files(tmp_path / "b")
    assert (tmp_path / "a" / "residents.csv").read_bytes() == one["residents.csv"]


def test_the_extract_is_audited(twin_on_demo):
    path, _, _ = twin_on_demo
    with store.connect(path) as db:
        exports = _exports(db)
        animator = _users(db)[Role.ANIMATOR]
    assert len(exports) == 1
    assert exports[0].after["purpose"] == "twin synthetic"
    assert exports[0].actor == animator.actor


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FAMILY, Role.RESIDENT, Role.PROMOTER])
def test_only_the_animator_and_the_host_draw_the_synthetic_twin(
    demo_conn, users, role, today, tmp_path
):
    with pytest.raises(Forbidden):
        synthetic.synthetic(demo_conn, users[role], out_dir=tmp_path / "twin", years=1)
    assert not (tmp_path / "twin").exists()
    assert not [p for p in tmp_path.iterdir() if "twin" in p.name]
    assert _exports(demo_conn) == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [({"years": 0}, "years"), ({"years": 4}, "years"), ({"seed": -1}, "seed")],
)
def test_a_bad_request_names_its_field_and_writes_nothing(
    demo_conn, users, today, tmp_path, kwargs, field
):
    with pytest.raises(BadTwinRequest) as caught:
        synthetic.synthetic(
            demo_conn, users[Role.ANIMATOR], out_dir=tmp_path / "twin", **{"years": 1, **kwargs}
        )
    assert caught.value.field == field and caught.value.message_fr
    assert not [p for p in tmp_path.iterdir() if "twin" in p.name]
    assert _exports(demo_conn) == []


def test_a_folder_that_holds_files_is_refused(demo_conn, users, today, tmp_path):
    (tmp_path / "twin").mkdir()
    (tmp_path / "twin" / "mine.txt").write_text("keep me")
    with pytest.raises(BadTwinRequest) as caught:
        synthetic.synthetic(demo_conn, users[Role.ANIMATOR], out_dir=tmp_path / "twin", years=1)
    assert caught.value.field == "out"
    assert [p.name for p in (tmp_path / "twin").iterdir()] == ["mine.txt"]
    # An empty folder is filled.
    (tmp_path / "empty").mkdir()
    done = synthetic.synthetic(demo_conn, users[Role.ANIMATOR], out_dir=tmp_path / "empty", years=1)
    assert len(list(done.out_dir.iterdir())) == 10


def test_a_failed_write_leaves_nothing_and_audits_nothing(
    demo_conn, users, today, tmp_path, monkeypatch
):
    from habitat import files

    calls = []

    def failing(path, content):
        calls.append(path)
        if len(calls) == 3:
            raise OSError("disk full")
        return files.write_atomically(path, content)

    monkeypatch.setattr(synthetic, "write_atomically", failing)
    with pytest.raises(OSError):
        synthetic.synthetic(demo_conn, users[Role.ANIMATOR], out_dir=tmp_path / "twin", years=1)
    assert len(calls) == 3
    assert not [p for p in tmp_path.iterdir() if "twin" in p.name]  # nor a hidden partial
    assert _exports(demo_conn) == []


# --- The command -------------------------------------------------------------------------


def test_the_command_writes_the_services_files(demo_file, today, tmp_path, run_cli):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_file, path)
    status, out, err = run_cli(
        "twin", "synthetic", "--db", str(path), "--out", str(tmp_path / "t"), "--years", "1",
        "--seed", "3", "--as", _username(path, Role.HOST),
    )  # fmt: skip
    assert status == 0, err
    assert "10 files" in out and "seed 3" in out
    with store.connect(path) as db:
        host = _users(db)[Role.HOST]
        exports = _exports(db)
        expected = synthetic.synthetic(db, host, out_dir=tmp_path / "s", years=1, seed=3)
    assert exports[-1].actor == host.actor
    assert _files(tmp_path / "t") == _files(expected.out_dir)


@pytest.mark.parametrize(
    ("flags", "named"),
    [
        (["--years", "0"], "--years"),
        (["--years", "4"], "--years"),
        (["--seed", "-2"], "--seed"),
        (["--seed", "x"], "--seed"),
        (["--as", "nobody"], "nobody"),
        (["--as", Role.FAMILY], "--as"),
    ],
)
def test_the_command_refuses_bad_flags_and_writes_nothing(
    demo_file, today, tmp_path, run_cli, flags, named
):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_file, path)
    out_dir = tmp_path / "t"
    if Role.FAMILY in flags:
        flags = ["--as", _username(path, Role.FAMILY)]
    status, out, err = run_cli(
        "twin", "synthetic", "--db", str(path), "--out", str(out_dir), *flags
    )
    assert status == 2 and named in err and out == ""
    assert not out_dir.exists()
    with store.connect(path) as db:
        assert _exports(db) == []


def test_the_command_refuses_a_full_folder_and_a_missing_out(demo_file, today, tmp_path, run_cli):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "x.csv").write_text("a\n")
    status, _, err = run_cli(
        "twin", "synthetic", "--db", str(demo_file), "--out", str(tmp_path / "t")
    )
    assert status == 2 and "--out" in err
    assert [p.name for p in (tmp_path / "t").iterdir()] == ["x.csv"]
    status, _, err = run_cli("twin", "synthetic", "--db", str(demo_file))
    assert status == 2 and "--out" in err


def test_the_command_says_when_the_folder_cannot_be_written(demo_file, today, tmp_path, run_cli):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_file, path)
    (tmp_path / "file").write_text("not a folder")
    out_dir = tmp_path / "file" / "twin"
    status, out, err = run_cli(
        "twin", "synthetic", "--db", str(path), "--out", str(out_dir), "--years", "1"
    )
    assert status == 2 and "--out" in err and out == ""
    with store.connect(path) as db:
        assert _exports(db) == []


# --- The same habitat as a database in the app's schema ---------------------------------

#: The store's bookkeeping: when a row was written (the export's day), not a record's date.
BOOKKEEPING = {"created_at", "updated_at", "archived_at", "at", "applied_at"}


def _text_of_database(path: Path) -> tuple[str, str]:
    """Every text value of every table: (records' values, the store's timestamps apart)."""
    values, bookkeeping = [], []
    with store.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for column in [r[1] for r in db.execute(f"PRAGMA table_info({table})")]:
                for (value,) in db.execute(f"SELECT {column} FROM {table}"):
                    if isinstance(value, str):
                        (bookkeeping if column in BOOKKEEPING else values).append(value)
    return "\n".join(values), "\n".join(bookkeeping)


def test_the_database_holds_the_same_synthetic_habitat_and_nobody_real(
    demo_conn, users, today, tmp_path
):
    from habitat.services.setup import record_problems
    from habitat.twin.synthetic import app_pseudonym

    done = synthetic.synthetic(
        demo_conn, users[Role.ANIMATOR], out_dir=tmp_path / "twin", years=1, seed=5, database=True
    )
    assert "habitat.db" in done.files
    files = _files_except_db(tmp_path / "twin")
    people = _rows(files["residents.csv"])
    database = tmp_path / "twin" / "habitat.db"
    assert not [p.name for p in (tmp_path / "twin").iterdir() if p.name.startswith("habitat.db-")]
    text, _ = _text_of_database(database)
    identifying = _identifying_strings(demo_conn) | _free_text(demo_conn)
    real = store.find(demo_conn, Resident, include_archived=True)
    assert not sorted(v for v in identifying if v in text)[:5]
    assert not [r.pseudonym for r in real if r.pseudonym in text]
    assert not sorted(d for d in _real_dates(demo_conn) if d in text)[:5]
    written = set(ISO_DATE.findall(text))
    assert written and min(written) >= START.isoformat()
    with store.connect(database) as db:
        stored = store.find(db, Resident)
        assert sorted(r.pseudonym for r in stored) == sorted(
            app_pseudonym(p["pseudonym"]) for p in people
        )
        assert all(r.birth_year is None for r in stored)
        habitat_id = store.find(db, store.entities.Habitat)[0].stored_id
        end = date_of(_files_except_db(tmp_path / "twin"))
        assert record_problems(db, habitat_id, end) == []
        # The app's own services read it: the synthetic habitat's scenario, as of its last day.
        animator = next(user_of(db, a) for a in store.find(db, Account) if a.role is Role.ANIMATOR)
        again = from_records(db, animator, end)
        assert len(again.extract["residents"]) == sum(1 for p in people if not p["exit_date"])
        assert len(store.find(db, store.entities.Tension)) == len(_rows(files["tensions.csv"]))


def _files_except_db(folder: Path) -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8")
        for p in sorted(folder.iterdir())
        if not p.name.startswith("habitat.db")
    }


def date_of(files: dict[str, str]):
    from datetime import date

    return date.fromisoformat(json.loads(files["manifest.json"])["calendar"]["end"])

"""`habitat setup`: a real habitat from a YAML file or prompts; a bad value changes nothing."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from habitat import store
from habitat.services import setup
from habitat.store.entities import Habitat, PresencePattern

EXAMPLE = Path(__file__).resolve().parents[1] / "docs" / "habitat.example.yaml"


@pytest.fixture
def empty_db(tmp_path, run_cli):
    path = tmp_path / "habitat.db"
    assert run_cli("db", "init", "--db", str(path))[0] == 0
    return path


def _nothing_written(path) -> None:
    with store.connect(path) as db:
        assert store.find(db, Habitat) == []
        assert store.history(db) == []


def test_the_example_file_sets_a_whole_habitat_up(empty_db, run_cli):
    status, out, err = run_cli(
        "setup", "--from", str(EXAMPLE), "--db", str(empty_db), "--actor", "cli:tech"
    )
    assert status == 0, err
    assert "8 dwellings, 3 common spaces" in out
    with store.connect(empty_db) as db:
        progress = setup.progress(db)
        assert progress.complete
        assert progress.dwellings[-1].name == "Studio du jardin"
        assert progress.habitat.avp_amount_per_resident == 7500
        assert store.history(db)[0].actor == "animator:cli:tech"
    status, _, err = run_cli("setup", "--from", str(EXAMPLE), "--db", str(empty_db))
    assert status == 2 and "already has a habitat" in err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("habitat: [unclosed", "is not valid YAML (line 1"),
        ("- a list\n- of things\n", "must describe the habitat as a mapping"),
        ("habitat:\n  name: X\n  address: 1 rue\n", "habitat.host_organisation: est obligatoire"),
        ("habitat: {name: X, host_organisation: A, address: B}\ndwellings: 0\n", "dwellings"),
        ("habitat: {name: X, host_organisation: A, address: B, dwellings: 2}\ngarden: yes\n",
         "garden: section inconnue"),
        ("habitat: {name: X, host_organisation: A, address: B}\ndwellings: [L1, L1]\n",
         "dwellings.dwelling_names: ligne 2"),
        ("habitat: {name: X, host_organisation: A, address: B}\ndwellings: 2\n"
         "avp: {amount_per_resident: 20000, start: 2026-01-01}\n",
         "avp.avp_amount_per_resident: doit être inférieur ou égal à 10000"),
        ("habitat: {name: X, host_organisation: A, address: B}\ndwellings: 2\n"
         "presence: {weekly: [{person: Léa, role: chef, weekdays: [0],"
         " from: '09:00', to: '10:00'}]}\n",
         "presence.weekly: ligne 1 : Rôle valeur inconnue"),
    ],
)  # fmt: skip
def test_bad_yaml_or_value_one_line_naming_the_field_and_nothing_written(
    empty_db, run_cli, tmp_path, text, message
):
    source = tmp_path / "habitat.yaml"
    source.write_text(text, encoding="utf-8")
    status, _, err = run_cli("setup", "--from", str(source), "--db", str(empty_db))
    assert status == 2
    assert message in err, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    _nothing_written(empty_db)


def test_a_missing_file_or_database_is_named(empty_db, run_cli, tmp_path):
    status, _, err = run_cli("setup", "--from", str(tmp_path / "x.yaml"), "--db", str(empty_db))
    assert status == 2 and "--from:" in err
    status, _, err = run_cli("setup", "--from", str(EXAMPLE), "--db", str(tmp_path / "no.db"))
    assert status == 2 and "--db:" in err


def test_prompts_set_a_habitat_up(empty_db, run_cli, monkeypatch):
    answers = "\n".join(
        [
            "Maison des Lilas",
            "Asso Vivre",
            "3 rue des Lilas",
            "4",
            "",  # Logement 1 ... Logement 4
            "Cuisine, Jardin",
            "5000",
            "",
            "2026-01-01",
            "",
            "Vivre ensemble.",
            "2026-01-05",
            "Asso Vivre",
            "08:00",
            "21:00",
            "Claire Martin",
            "animator",
            "mon-fri",
            "09:00",
            "17:00",
            "",
        ]
    )
    monkeypatch.setattr("sys.stdin", io.StringIO(answers + "\n"))
    status, _, err = run_cli("setup", "--db", str(empty_db))
    assert status == 0, err
    with store.connect(empty_db) as db:
        progress = setup.progress(db)
        assert progress.complete
        assert [d.name for d in progress.dwellings] == [f"Logement {n}" for n in range(1, 5)]
        assert len(store.find(db, PresencePattern)) == 5


def test_example_is_written_atomically_and_never_over_a_file(run_cli, tmp_path):
    target = tmp_path / "mine.yaml"
    status, _, _ = run_cli("setup", "--example", str(target))
    assert status == 0 and target.read_text(encoding="utf-8") == EXAMPLE.read_text("utf-8")
    status, _, err = run_cli("setup", "--example", str(target))
    assert status == 2 and "exists" in err

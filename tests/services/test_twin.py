"""The habitat's twin: a backtest and a forecast from the records, scoped, audited, no person."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest

from habitat import demo, store
from habitat.services import twin
from habitat.services.access import Forbidden
from habitat.store.entities import Resident, Role
from habitat.store.pseudonymise import observations
from habitat.twin.observed import MEASURES, Verdict

from ..store.test_gdpr import _identifying_strings

END = demo.DEFAULT_END


def _asked(db) -> list[str]:
    """What the twin was asked, beyond the demo's own saved forecast and AVP answer."""
    return [e.after["purpose"] for e in store.history(db) if e.action == "export"][2:]


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())


def test_the_observations_hold_counts_and_no_person_or_date(demo_conn, users):
    habitat_id = users[Role.ANIMATOR].habitat_id
    observed = observations(demo_conn, habitat_id, date(2025, 6, 30), END)
    text = json.dumps(observed)
    identifying = _identifying_strings(demo_conn)
    assert not [value for value in identifying if value in text]
    for resident in store.find(demo_conn, Resident):
        assert resident.pseudonym not in text
    assert "2025-" not in text and "2026-" not in text
    assert observed["days"] == 365
    assert observed["activities"]["held"] > 50
    assert sum(t["count"] for t in observed["tensions"].values()) > 10


def test_the_backtest_sets_what_the_model_expected_against_what_happened(demo_conn, users, today):
    run = twin.backtest(demo_conn, users[Role.ANIMATOR], months=6, replications=40, seed=3)
    assert (run.start, run.end) == (date(2025, 12, 30), END)
    assert [row.measure.key for row in run.rows] == [m.key for m in MEASURES]
    verdicts = {row.verdict for row in run.rows}
    assert verdicts <= {Verdict.INSIDE, Verdict.ABOVE, Verdict.BELOW, Verdict.UNKNOWN}
    by_key = {row.measure.key: row for row in run.rows}
    # The demo holds about four activities a week, and logs the animator's time.
    assert 2.0 < by_key["activities_per_week"].observed.value < 6.0
    assert by_key["animator_hours_per_week"].observed.events >= 20
    for row in run.rows:
        assert row.band[0] <= row.median <= row.band[1]
    again = twin.backtest(demo_conn, users[Role.HOST], months=6, replications=40, seed=3)
    assert [r.median for r in again.rows] == [r.median for r in run.rows]
    entries = [e for e in store.history(demo_conn) if e.action == "export"]
    assert entries[-1].after["purpose"] == "twin backtest"
    assert entries[-1].actor == users[Role.HOST].actor


def test_the_forecast_runs_from_today_beside_the_last_year(demo_conn, users, today):
    run = twin.forecast(demo_conn, users[Role.ANIMATOR], months=3, replications=20)
    assert run.start == END and (run.end - run.start).days in range(89, 93)
    assert run.observed_to == END and (END - run.observed_from).days == 364


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FAMILY, Role.RESIDENT, Role.PROMOTER])
def test_only_the_animator_and_the_host_ask_the_twin(demo_conn, users, role, today):
    with pytest.raises(Forbidden):
        twin.backtest(demo_conn, users[role], replications=10)
    assert _asked(demo_conn) == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"months": 0}, "months"),
        ({"months": 25}, "months"),
        ({"replications": 5}, "replications"),
        ({"end": date(2099, 1, 1)}, "end"),
        ({"months": 24 * 1}, "records"),  # the demo's history is shorter than two years
    ],
)
def test_a_bad_request_names_its_field_and_runs_nothing(demo_conn, users, today, kwargs, field):
    with pytest.raises(twin.BadTwinRequest) as caught:
        twin.backtest(demo_conn, users[Role.ANIMATOR], **{"replications": 10, **kwargs})
    assert caught.value.field == field
    assert caught.value.message_fr
    assert _asked(demo_conn) == []


def test_the_command_prints_the_services_numbers(demo_conn, tmp_path, users, today, run_cli):
    from habitat.cli.twin import rows

    status, out, err = run_cli(
        "twin",
        "backtest",
        "--db",
        str(tmp_path / "habitat.db"),
        "-r",
        "20",
        "--seed",
        "9",
        "--format",
        "json",
    )
    assert status == 0, err
    printed = json.loads(out)
    run = twin.backtest(demo_conn, users[Role.ANIMATOR], replications=20, seed=9)
    assert printed["rows"] == json.loads(json.dumps(rows(run)))
    assert printed["model_from"] == run.start.isoformat()


def test_the_command_from_an_empty_habitat_says_why_it_cannot_run(tmp_path, run_cli, monkeypatch):
    path = tmp_path / "habitat.db"
    assert run_cli("db", "init", "--db", str(path))[0] == 0
    status, _, err = run_cli("twin", "backtest", "--db", str(path))
    assert status == 2 and "habitat users add" in err
    status, out, err = run_cli("twin", "forecast", "--db", str(path), "--months", "0")
    assert status == 2 and "--months" in err and out == ""
    # An animator but no habitat yet: the command says what to do first.
    monkeypatch.setattr("sys.stdin", io.StringIO("motdepasse-solide-2026\n"))
    run_cli("users", "add", "--db", str(path), "--name", "Léa Petit", "--role", "animator",
            "--password-stdin", "lea")  # fmt: skip
    status, out, err = run_cli("twin", "calibrate", "--db", str(path))
    assert status == 2 and out == "" and "habitat setup" in err

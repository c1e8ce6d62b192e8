"""The habitat's own calibration from its records: scoped, audited, sized, same as the CLI."""

from __future__ import annotations

import json
import shutil
from datetime import date

import pytest

from habitat import demo, store
from habitat.services import twin
from habitat.services.access import Forbidden
from habitat.store.entities import Role
from habitat.twin.calibrate import PARAMETERS

END = demo.DEFAULT_END
SMALL = {"months": 3, "waves": 1, "candidates": 10, "replications": 10}


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())


def exports(db):
    return [e for e in store.history(db) if e.action == "export"]


def test_the_calibration_fits_the_habitats_parameters_on_its_records(demo_conn, users, today):
    seen = []
    done = twin.calibrate(
        demo_conn, users[Role.ANIMATOR], seed=4, on_progress=lambda d, t: seen.append((d, t)),
        **SMALL,
    )  # fmt: skip
    assert (done.start, done.end) == (date(2026, 3, 30), END)
    assert seen[-1] == (92, 92)
    fit = done.fit
    assert [p.path for p in fit.parameters] == [p.path for p in PARAMETERS]
    by_key = {t.key: t for t in fit.targets}
    # The demo records conflicts and its residents' weekly participation.
    assert by_key["conflicts_per_month"].observed.events > 5
    assert by_key["participation"].used and by_key["participation"].observed.events > 50
    for p in fit.parameters:
        assert p.fitted and p.prior[0] <= p.interval[0] <= p.mean <= p.interval[1] <= p.prior[1]
    # The calibrated scenario is the extract's, with the posterior means.
    conflicts = done.scenario.mechanisms.conflicts
    assert conflicts.rate_per_resident_per_year == fit.parameters[0].mean
    assert done.scenario.days == (END - done.start).days
    assert any(t.item == "Habitants présents" for t in done.taken)
    entry = exports(demo_conn)[-1]
    assert entry.after["purpose"] == "twin calibrate"
    assert entry.actor == users[Role.ANIMATOR].actor
    again = twin.calibrate(demo_conn, users[Role.HOST], seed=4, **SMALL)
    assert [p.mean for p in again.fit.parameters] == [p.mean for p in fit.parameters]


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FAMILY, Role.RESIDENT, Role.PROMOTER])
def test_only_the_animator_and_the_host_calibrate(demo_conn, users, role, today):
    before = exports(demo_conn)
    with pytest.raises(Forbidden):
        twin.calibrate(demo_conn, users[role], **SMALL)
    assert exports(demo_conn) == before


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"months": 0}, "months"),
        ({"waves": 0}, "waves"),
        ({"waves": 11}, "waves"),
        ({"candidates": 5}, "candidates"),
        ({"candidates": True}, "candidates"),
        ({"replications": 5}, "replications"),
        ({"months": 12}, "records"),  # the demo's residents came in July 2025
    ],
)
def test_a_bad_calibration_request_names_its_field_and_runs_nothing(
    demo_conn, users, today, kwargs, field
):
    before = exports(demo_conn)
    with pytest.raises(twin.BadTwinRequest) as caught:
        twin.calibrate(demo_conn, users[Role.ANIMATOR], **{**SMALL, **kwargs})
    assert caught.value.field == field and caught.value.message_fr
    assert exports(demo_conn) == before


def test_the_command_prints_the_services_numbers(
    demo_conn, demo_file, tmp_path, users, today, run_cli
):
    from habitat.cli.twin import calibration_rows

    path = tmp_path / "cli.db"  # a copy of its own: the command's audit entries stay there
    shutil.copy(demo_file, path)

    flags = ["--months", "3", "--waves", "1", "--candidates", "10", "-r", "10", "--seed", "7"]
    status, out, err = run_cli("twin", "calibrate", "--db", str(path), *flags, "--format", "json")
    assert status == 0, err
    printed = json.loads(out)
    done = twin.calibrate(demo_conn, users[Role.ANIMATOR], seed=7, **SMALL)
    assert printed["parameters"] == json.loads(json.dumps(calibration_rows(done)["parameters"]))
    assert printed["targets"] == json.loads(json.dumps(calibration_rows(done)["targets"]))
    assert printed["window_from"] == done.start.isoformat() and printed["seed"] == 7
    status, out, err = run_cli("twin", "calibrate", "--db", str(path), *flags)
    assert status == 0 and "mechanisms.conflicts.rate_per_resident_per_year" in out
    assert "événements" in out
    status, out, err = run_cli("twin", "calibrate", "--db", str(path), *flags, "--format", "csv")
    assert status == 0 and out.splitlines()[0].startswith("parameter,label,general")
    assert len(out.splitlines()) == 1 + len(PARAMETERS)
    status, out, err = run_cli("twin", "calibrate", "--db", str(path), "--waves", "0")
    assert status == 2 and "--waves" in err and out == ""
    status, out, err = run_cli("twin", "calibrate", "--db", str(path), "--months", "12")
    assert status == 2 and "records" in err and out == ""
    status, _, err = run_cli("twin", "calibrate", "--db", str(path), "--as", "l.brunet")
    assert status == 2 and "--as" in err

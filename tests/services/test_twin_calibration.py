"""The habitat's own calibration, saved and used: the forecast and the questions run with it.

The backtest uses it only out of sample; a young habitat's windows shrink to its history.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from habitat import demo, store
from habitat.services import decisions, twin, twin_results
from habitat.services.access import Forbidden
from habitat.store.entities import Account, HabitatCalibration, Role
from habitat.twin.observed import MEASURES, Verdict

END = demo.DEFAULT_END
#: The demo opens on 9 July 2025 (its first entry): 11 whole months before its end.
OPENED = date(2025, 7, 9)
#: A small calibration, enough to fit and save (the default size takes a minute).
SMALL = {"waves": 1, "candidates": 10, "replications": 10}
CONFLICTS = "mechanisms.conflicts.rate_per_resident_per_year"


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())


def _saved(db, user, values: dict[str, float], window: tuple[date, date]) -> HabitatCalibration:
    """A calibration saved as the animator would, with chosen values (a known difference)."""
    parameters = [
        {"path": path, "label_fr": path, "general": 1.0, "mean": value, "low": value,
         "high": value, "fitted": True, "events": 50, "narrowed": 0.5}
        for path, value in values.items()
    ]  # fmt: skip
    return store.create(
        db,
        "test",
        HabitatCalibration,
        {
            "habitat_id": user.habitat_id,
            "window_from": window[0],
            "window_to": window[1],
            "seed": 1,
            "waves": 1,
            "candidates": 10,
            "replications": 10,
            "effective": 5.0,
            "parameters_json": json.dumps(parameters),
            "targets_json": "[]",
        },
    )


def test_the_habitats_history_bounds_the_default_windows(demo_conn, users, today):
    assert twin.history_months(demo_conn, 1, END) == 11
    assert twin.history_months(demo_conn, 1, date(2025, 10, 8)) == 2
    assert twin.history_months(demo_conn, 1, date(2025, 10, 9)) == 3
    assert twin.history_months(demo_conn, 1, OPENED) == 0
    done = twin.calibrate(demo_conn, users[Role.ANIMATOR], **SMALL)
    assert (done.start, done.end) == (date(2025, 7, 30), END)  # 11 months, not a refused 12


def test_a_young_habitat_is_calibrated_and_backtested_on_what_it_has(demo_conn, users, monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", "2025-10-20")  # three months and eleven days open
    done = twin.calibrate(demo_conn, users[Role.ANIMATOR], **SMALL)
    assert done.start == date(2025, 7, 20) and done.start >= OPENED
    run = twin.backtest(demo_conn, users[Role.ANIMATOR], replications=10)
    assert run.start == date(2025, 7, 20)  # 3 months, not the usual 6
    monkeypatch.setenv("HABITAT_TODAY", "2025-07-30")
    with pytest.raises(twin.BadTwinRequest) as early:
        twin.calibrate(demo_conn, users[Role.ANIMATOR], **SMALL)
    assert early.value.field == "months" and "premier mois" in early.value.message_fr


def test_a_saved_calibration_moves_the_forecast_and_says_so(demo_conn, users, today):
    animator, host = users[Role.ANIMATOR], users[Role.HOST]
    general = twin.forecast(demo_conn, animator, months=6, replications=40, seed=3)
    assert general.calibration is None and twin.in_use(demo_conn, host) is None
    _saved(demo_conn, animator, {CONFLICTS: 8.0}, (date(2025, 7, 30), END))  # 4x the general

    own = twin.forecast(demo_conn, host, months=6, replications=40, seed=3)
    assert own.calibration is not None and own.calibration.values == {CONFLICTS: 8.0}
    assert own.calibration.how == "saved" and "30/06/2026" in own.calibration.said_fr

    def conflicts(run: twin.TwinRun) -> float:
        return next(r.median for r in run.rows if r.measure.key == "conflicts_per_month")

    assert conflicts(own) > 2 * conflicts(general)
    again = twin.forecast(demo_conn, host, months=6, replications=40, seed=3, general=True)
    assert again.calibration is None and conflicts(again) == conflicts(general)


def test_only_the_animator_saves_a_calibration_and_it_is_audited(demo_conn, users, today):
    done = twin.calibrate(demo_conn, users[Role.HOST], **SMALL)
    with pytest.raises(Forbidden):
        twin_results.save_calibration(demo_conn, users[Role.HOST], done)
    saved = twin_results.save_calibration(demo_conn, users[Role.ANIMATOR], done, "après l'hiver")
    assert saved.values == done.fit.values and saved.note == "après l'hiver"
    assert store.history(demo_conn, "habitat_calibration", saved.stored_id)[-1].action == "create"
    in_use = twin.in_use(demo_conn, users[Role.HOST])
    assert in_use is not None and in_use.saved_id == saved.stored_id
    assert [c.stored_id for c in twin_results.calibrations(demo_conn, users[Role.HOST])] == [
        saved.stored_id
    ]
    stored = json.loads(saved.parameters_json)
    assert {p["path"] for p in stored} == {p.path for p in done.fit.parameters}
    for role in (Role.FAMILY, Role.RESIDENT, Role.PROVIDER):
        with pytest.raises(Forbidden):
            twin_results.calibrations(demo_conn, users[role])


def test_the_backtest_uses_a_calibration_only_out_of_sample(demo_conn, users, today):
    animator = users[Role.ANIMATOR]
    start = date(2025, 12, 30)  # six months before the end
    _saved(demo_conn, animator, {CONFLICTS: 6.0}, (date(2025, 7, 30), END))  # sees the period
    run = twin.backtest(demo_conn, animator, months=6, replications=10)
    assert run.start == start and run.calibration is None
    earlier = _saved(demo_conn, animator, {CONFLICTS: 3.0}, (date(2025, 7, 30), start))
    run = twin.backtest(demo_conn, animator, months=6, replications=10)
    assert run.calibration is not None and run.calibration.saved_id == earlier.stored_id
    assert (
        twin.backtest(demo_conn, animator, months=6, replications=10, general=True).calibration
        is None
    )


def test_the_backtest_fits_first_on_the_months_before_it(demo_conn, users, today):
    progress: list[tuple[int, int]] = []
    run = twin.backtest(
        demo_conn,
        users[Role.ANIMATOR],
        months=4,
        replications=10,
        fit_months=5,
        on_day=lambda done, total: progress.append((done, total)),
    )
    assert run.calibration is not None and run.calibration.how == "fitted"
    assert (run.calibration.window_from, run.calibration.window_to) == (
        date(2025, 9, 28),  # five months before 28 February
        run.start,
    )
    assert run.start == date(2026, 2, 28)
    assert set(run.calibration.values) >= {CONFLICTS}
    shares = [done / total for done, total in progress]
    assert shares == sorted(shares) and shares[-1] == 1.0
    with pytest.raises(twin.BadTwinRequest) as bad:
        twin.backtest(demo_conn, users[Role.ANIMATOR], replications=10, fit_months=0)
    assert bad.value.field == "fit_months"
    # The demo opened in July 2025: five whole months of records before 30 December.
    with pytest.raises(twin.BadTwinRequest) as short:
        twin.backtest(demo_conn, users[Role.ANIMATOR], replications=10, fit_months=12)
    assert short.value.field == "fit_months"
    assert "ne couvrent que 5 mois avant le 30/12/2025" in short.value.message_fr


def test_the_questions_run_with_the_saved_calibration(demo_conn, users, today):
    animator = users[Role.ANIMATOR]
    _saved(demo_conn, animator, {CONFLICTS: 8.0}, (date(2025, 7, 30), END))
    change = {"regulation_practice": "council"}
    own = decisions.rule(demo_conn, animator, change, months=3, replications=10, seed=5)
    assert own.calibration is not None and own.calibration.values == {CONFLICTS: 8.0}
    general = decisions.rule(
        demo_conn, animator, change, months=3, replications=10, seed=5, general=True
    )
    assert general.calibration is None
    conflicts = {e.outcome.metric: e.without for e in own.effects}
    conflicts_general = {e.outcome.metric: e.without for e in general.effects}
    assert conflicts != conflicts_general
    avp = decisions.avp(demo_conn, animator, months=3, replications=10)
    assert avp.calibration is not None


def test_the_command_saves_the_calibration_and_the_forecast_uses_it(
    demo_conn, tmp_path, users, today, run_cli
):
    path = str(tmp_path / "habitat.db")
    small = ["--waves", "1", "--candidates", "10", "-r", "10"]
    status, out, err = run_cli("twin", "calibrate", "--db", path, *small, "--save", "--note", "n")
    assert status == 0, err
    assert "saved as calibration" in out
    status, out, err = run_cli("twin", "forecast", "--db", path, "-r", "10", "--format", "json")
    assert status == 0, err
    used = json.loads(out)["calibration"]
    assert used["how"] == "saved" and used["window_to"] == END.isoformat()
    status, out, _ = run_cli("twin", "forecast", "--db", path, "-r", "10", "--general")
    assert "general values" in out
    status, _, err = run_cli("twin", "calibrate", "--db", path, *small, "--note", "n")
    assert status == 2 and "--note" in err
    status, _, err = run_cli("twin", "calibrate", "--db", path, "--save", "--note", "x" * 201)
    assert status == 2 and "--note: String should have at most 200 characters" in err
    status, _, err = run_cli("twin", "backtest", "--db", path, "--fit", "0")
    assert status == 2 and "--fit" in err
    status, _, err = run_cli(
        "twin", "calibrate", "--db", path, *small, "--save", "--as", _username(demo_conn, Role.HOST)
    )
    assert status == 2 and "--as" in err


def _username(db, role: Role) -> str:
    return next(a.username for a in store.find(db, Account) if a.role == role)


def test_a_habitat_with_years_of_turnover_is_backtested_fitted_on_the_year_before(
    tmp_path, monkeypatch
):
    """Residents came and went over three years: the fitted backtest runs end to end.

    With this seed, dwellings 2 and 7 change hands within the fit's window (their
    leavers were there on its first day, their newcomers were not yet).
    """
    from habitat.services.access import user_of

    path = tmp_path / "years.db"
    demo.build(path, years=3, scale=0.3, seed=11)
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())
    with store.connect(path) as db:
        animator = next(a for a in store.find(db, Account) if a.role == Role.ANIMATOR)
        run = twin.backtest(db, user_of(db, animator), months=6, replications=20, fit_months=12)
    assert run.calibration is not None and run.calibration.how == "fitted"
    assert run.calibration.window_from == date(2024, 12, 30)
    assert len(run.rows) == len(MEASURES)
    assert sum(r.verdict != Verdict.UNKNOWN for r in run.rows) >= 6

"""The habitat's own model: what it expected, what happened, what comes next.

- `backtest`: the model starts from the habitat as its records stood some months
  ago and runs to today; each figure's 90 % band is set against what the records
  say happened since ("Ce que le modèle attendait, ce qui s'est passé").
- `forecast`: the model starts from the habitat as it stands and runs the next
  months; each figure's band, beside the same figure over the last year.

Both build the scenario from the pseudonymised extract only (`what_if.from_records`)
and read the records' observations as counts (`store.pseudonymise.observations`);
each run is audited as an extract leaving the records. The model runs with the
habitat's own calibration when one is saved (`twin_calibration`; the backtest
only with one fitted on records before its start), else with its general
(published or assumed) parameters; each run says which.
- `calibrate`: the habitat's own parameters (conflicts, disputes, participation)
  fitted to its records of the last months, the general model as the prior
  (`habitat.twin.calibrate`); returns the fit and the calibrated scenario.
- `history_months`: how many whole months of records the habitat has, which
  bounds every window (a young habitat's default windows shrink to fit).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import numpy as np
import sqlite_utils

from habitat.scenario import Scenario
from habitat.services.access import Forbidden, Screen, User, require
from habitat.services.twin_calibration import CalibrationUsed, applied, latest, used
from habitat.services.what_if import Taken, from_records
from habitat.store import audit, queries
from habitat.store.pseudonymise import observations
from habitat.twin.observed import MEASURES, Comparison, compare

if TYPE_CHECKING:
    from habitat.twin.calibrate import TwinCalibration

__all__ = [
    "BadTwinRequest",
    "TwinCalibrated",
    "TwinRun",
    "backtest",
    "calibrate",
    "check",
    "check_calibration",
    "check_fit",
    "forecast",
    "history_months",
    "in_use",
    "own",
]

#: Bounds of what may be asked (a run's length in months, its replications).
MONTHS = range(1, 25)
REPLICATIONS = range(10, 1001)
DEFAULT_SEED = 2026


class BadTwinRequest(ValueError):
    """A request the twin cannot run: names the field, says why in French.

    Attributes:
        field: the option or field at fault (`months`, `replications`, `end`...).
        message_fr: what the screen shows.
    """

    def __init__(self, field: str, message: str, message_fr: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message_fr = message_fr


@dataclass(frozen=True)
class TwinRun:
    """A backtest or a forecast: the model's bands and the records' figures.

    Attributes:
        kind: "backtest" or "forecast".
        start: the day the model starts from (the records as they stood then).
        end: the run's last day.
        observed_from: the first day the observations cover.
        observed_to: their last day.
        replications: replications run.
        seed: the seed used (the same seed gives the same figures).
        rows: one comparison per measure.
        taken: what the scenario took from the records.
        calibration: the habitat's own values the model ran with (None: the
            general values).
    """

    kind: str
    start: date
    end: date
    observed_from: date
    observed_to: date
    replications: int
    seed: int
    rows: list[Comparison]
    taken: list[Taken]
    calibration: CalibrationUsed | None = None


def months_after(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), the month's end if shorter."""
    return _months_before(day, -months)


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def check(months: int, replications: int) -> None:
    """Refuse months or replications out of bounds (BadTwinRequest naming the field)."""
    if not isinstance(months, int) or isinstance(months, bool) or months not in MONTHS:
        raise BadTwinRequest(
            "months",
            f"{months!r} is not a number of months from {MONTHS[0]} to {MONTHS[-1]}",
            f"Durée : de {MONTHS[0]} à {MONTHS[-1]} mois.",
        )
    if (
        not isinstance(replications, int)
        or isinstance(replications, bool)
        or replications not in REPLICATIONS
    ):
        raise BadTwinRequest(
            "replications",
            f"{replications!r} is not between {REPLICATIONS[0]} and {REPLICATIONS[-1]}",
            f"Répétitions : de {REPLICATIONS[0]} à {REPLICATIONS[-1]}.",
        )


def check_fit(fit_months: int | None) -> None:
    """Refuse a fit before a backtest of a bad length (BadTwinRequest on `fit_months`)."""
    if fit_months is None:
        return
    if not isinstance(fit_months, int) or isinstance(fit_months, bool) or fit_months not in MONTHS:
        raise BadTwinRequest(
            "fit_months",
            f"{fit_months!r} is not a number of months from {MONTHS[0]} to {MONTHS[-1]}",
            f"Ajustement préalable : de {MONTHS[0]} à {MONTHS[-1]} mois.",
        )


def _run(
    db: sqlite_utils.Database,
    user: User,
    start: date,
    days: int,
    run: tuple[int, int],
    on_day: Callable[[int, int], None] | None,
    calibration: CalibrationUsed | None,
) -> tuple[Callable[[str], np.ndarray], list[Taken]]:
    """Simulate the habitat as its records stood on `start`, for `days` days.

    `run` is (replications, seed); the calibration's values, if any, are applied.
    """
    from habitat import simulate

    built = from_records(db, user, start, days)
    if not built.extract["residents"]:
        raise _nobody_on(start)
    replications, seed = run
    names = sorted({name for measure in MEASURES for name in measure.metrics})
    result = simulate(
        applied(built, calibration).scenario,
        replications=replications,
        seed=seed,
        record_events=False,
        on_day=on_day,
        metrics=names,
    )

    def series(name: str) -> np.ndarray:
        return result.values[:, result.names.index(name), :]

    return series, built.taken


def _nobody_on(start: date) -> BadTwinRequest:
    return BadTwinRequest(
        "records",
        f"no resident lived in the habitat on {start.isoformat()}, where the model starts: "
        "choose a shorter window",
        f"Aucun habitant n'était présent le {start.strftime('%d/%m/%Y')} : "
        "le modèle n'a rien de quoi partir. Choisissez une période plus courte.",
    )


def habitat_of(user: User) -> int:
    """The habitat the user asks about; refuses a role that may not ask the twin."""
    require(user, Screen.TWIN)
    if user.habitat_id is None:
        raise Forbidden(
            "this account is tied to no habitat: set the habitat up first (habitat setup)",
            "Aucun habitat n'est lié à votre compte.",
        )
    return user.habitat_id


def history_months(db: sqlite_utils.Database, habitat_id: int, end: date) -> int:
    """Whole months from the first resident's entry to `end` (0 when nobody ever entered)."""
    first = queries.first_entry(db, habitat_id)
    if first is None or first >= end:
        return 0
    months = (end.year - first.year) * 12 + end.month - first.month
    return months if _months_before(end, months) >= first else months - 1


def _window(
    db: sqlite_utils.Database, habitat_id: int, end: date, months: int | None, usual: int
) -> int:
    """The months asked, or the usual window shortened to the habitat's history."""
    if months is not None:
        return months
    history = history_months(db, habitat_id, end)
    if history < 1:
        raise BadTwinRequest(
            "months",
            "less than a whole month of records: nothing to compare or fit yet",
            "Moins d'un mois de fiches : le modèle n'a encore rien à comparer ni à apprendre. "
            "Revenez après le premier mois de vie de l'habitat.",
        )
    return min(usual, history)


def backtest(
    db: sqlite_utils.Database,
    user: User,
    *,
    months: int | None = None,
    end: date | None = None,
    replications: int = 100,
    seed: int = DEFAULT_SEED,
    general: bool = False,
    fit_months: int | None = None,
    on_day: Callable[[int, int], None] | None = None,
) -> TwinRun:
    """What the model expected over the last `months`, against what the records say.

    The model starts from the records as they stood `months` before `end`. It runs
    with the habitat's own values only when they were fitted on records ending by
    then (out of sample): fitted for this backtest on the `fit_months` before its
    start when asked, else the newest saved calibration ending by the start, else
    (or with `general`) the general values.

    Args:
        db: the database.
        user: the animator or the host organisation.
        months: how far back the model starts (1 to 24; default 6, or the
            habitat's whole history when shorter).
        end: the last day compared (default: today).
        replications: replications of the model (10 to 1,000).
        seed: the seed (the same seed gives the same bands).
        general: run with the general values, whatever was calibrated.
        fit_months: first fit the habitat's values on this many months of records
            before the start (1 to 24), with the calibration's default size.
        on_day: progress, called as `on_day(done, total)` (the fit's days, then the run's).

    Raises:
        Forbidden: the role may not build a scenario from the records.
        BadTwinRequest: bad months, replications or end; nobody lived there at the
            start (or at the fit's start).
        InconsistentRecords: the records at the start contradict each other.
        CalibrationStopped: the fit was stopped before its first wave ended.
    """
    from habitat.clock import today

    habitat_id = habitat_of(user)
    end = end or today()
    if end > today():
        raise BadTwinRequest(
            "end", "is in the future", "La fin de la période ne peut pas être dans le futur."
        )
    months = _window(db, habitat_id, end, months, 6)
    check(months, replications)
    start = _months_before(end, months)
    days = (end - start).days
    calibration: CalibrationUsed | None = None
    run_progress = on_day
    check_fit(fit_months)
    if fit_months is not None and not general:
        before = history_months(db, habitat_id, start)
        if fit_months > before:
            raise BadTwinRequest(
                "fit_months",
                f"the records cover {before} whole months before the backtest's start",
                f"Les fiches ne couvrent que {before} mois avant le "
                f"{start.strftime('%d/%m/%Y')} : ajustez sur {before} mois au plus."
                if before
                else "Aucune fiche d'un mois entier avant la période comparée : raccourcissez "
                "la période, ou comparez sans ajuster d'abord.",
            )
        fit_start = _months_before(start, fit_months)
        fit_progress, run_progress = _two_parts(on_day)
        fitted = _calibrate(
            db, user, habitat_id, fit_start, start, _FIT_SIZE, seed, fit_progress, None
        )
        calibration = CalibrationUsed("fitted", fit_start, start, fitted.fit.values)
    elif not general:
        saved = latest(db, habitat_id, ending_by=start)
        calibration = used(saved) if saved else None
    series, taken = _run(db, user, start, days, (replications, seed), run_progress, calibration)
    observed = observations(db, habitat_id, start, end)
    window = f"{start.isoformat()}/{end.isoformat()}"
    audit.extracted(db, user.actor, habitat_id, "twin backtest", window)
    return TwinRun(
        "backtest",
        start,
        end,
        start + timedelta(days=1),
        end,
        replications,
        seed,
        compare(series, observed),
        taken,
        calibration,
    )


#: The share of a fitted backtest's progress bar the fit takes (it runs far more).
_FIT_SHARE = 0.9


def _two_parts(
    on_day: Callable[[int, int], None] | None,
) -> tuple[Callable[[int, int], None] | None, Callable[[int, int], None] | None]:
    """Progress over a fit then a run, as one bar of 1,000 steps."""
    if on_day is None:
        return None, None
    report = on_day

    def fitting(done: int, of: int) -> None:
        report(round(1000 * _FIT_SHARE * done / max(of, 1)), 1000)

    def running(day: int, days: int) -> None:
        report(round(1000 * (_FIT_SHARE + (1 - _FIT_SHARE) * day / max(days, 1))), 1000)

    return fitting, running


def forecast(
    db: sqlite_utils.Database,
    user: User,
    *,
    months: int = 12,
    replications: int = 100,
    seed: int = DEFAULT_SEED,
    general: bool = False,
    on_day: Callable[[int, int], None] | None = None,
) -> TwinRun:
    """The next `months` for the habitat as it stands, beside the last 12 months' figures.

    The model runs with the newest saved calibration of the habitat, unless
    `general` (or none was saved): then with the general values.

    Raises:
        Forbidden: the role may not build a scenario from the records.
        BadTwinRequest: bad months or replications; nobody lives there today.
        InconsistentRecords: today's records contradict each other.
    """
    from habitat.clock import today

    habitat_id = habitat_of(user)
    check(months, replications)
    start = today()
    end = start + (start - _months_before(start, months))
    calibration = own(db, habitat_id, general)
    series, taken = _run(
        db, user, start, (end - start).days, (replications, seed), on_day, calibration
    )
    last_year = _months_before(start, 12)
    observed = observations(db, habitat_id, last_year, start)
    window = f"{start.isoformat()}/{end.isoformat()}"
    audit.extracted(db, user.actor, habitat_id, "twin forecast", window)
    return TwinRun(
        "forecast",
        start,
        end,
        last_year + timedelta(days=1),
        start,
        replications,
        seed,
        compare(series, observed),
        taken,
        calibration,
    )


def own(db: sqlite_utils.Database, habitat_id: int, general: bool) -> CalibrationUsed | None:
    """The habitat's newest saved calibration, unless the general values are asked for."""
    if general:
        return None
    saved = latest(db, habitat_id)
    return used(saved) if saved else None


#: Bounds of a calibration's size (waves, candidates per wave).
WAVES = range(1, 11)
CANDIDATES = range(10, 501)


@dataclass(frozen=True)
class TwinCalibrated:
    """The habitat's own calibration, and the scenario it gives.

    Attributes:
        start: the window's start (the records as they stood then: where the model starts).
        end: the window's last day.
        fit: what was fitted, on what, how much trusted (`habitat.twin.calibrate`).
        scenario: the habitat as it stood at `start`, with the calibrated values
            (rebuild from today's extract and set `fit.values` to forecast).
        taken: what the scenario took from the records.
    """

    start: date
    end: date
    fit: TwinCalibration
    scenario: Scenario
    taken: list[Taken]


def check_calibration(months: int, waves: int, candidates: int, replications: int) -> None:
    """Refuse sizes out of bounds (BadTwinRequest naming the field)."""
    check(months, replications)
    for field, value, bounds, fr in (
        ("waves", waves, WAVES, "Vagues"),
        ("candidates", candidates, CANDIDATES, "Candidats par vague"),
    ):
        if not isinstance(value, int) or isinstance(value, bool) or value not in bounds:
            raise BadTwinRequest(
                field,
                f"{value!r} is not between {bounds[0]} and {bounds[-1]}",
                f"{fr} : de {bounds[0]} à {bounds[-1]}.",
            )


#: The size of a calibration fitted for a backtest (waves, candidates, replications).
_FIT_SIZE = (3, 100, 20)


def calibrate(
    db: sqlite_utils.Database,
    user: User,
    *,
    months: int | None = None,
    waves: int = 3,
    candidates: int = 100,
    replications: int = 20,
    seed: int = DEFAULT_SEED,
    on_progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> TwinCalibrated:
    """Fit the habitat's own parameters to its records of the last `months`.

    The model starts from the habitat as its records stood at the window's start
    and runs to today; its conflicts, disputes and participation parameters are
    history-matched to the window's observed figures, the general model as prior
    (`habitat.twin.calibrate.fit`).

    Args:
        db: the database.
        user: the animator or the host organisation.
        months: the window, ending today (1 to 24; default 12, or the habitat's
            whole history when shorter).
        waves: waves of history matching (1 to 10).
        candidates: candidates per wave (10 to 500).
        replications: replications per candidate (10 to 1,000).
        seed: the seed (the same seed gives the same calibration).
        on_progress: called as `on_progress(done, total)` (simulated days of all waves).
        should_stop: polled every simulated day; True stops after the waves done.

    Raises:
        Forbidden: the role may not build a scenario from the records.
        BadTwinRequest: a size out of bounds; nobody lived there at the window's start.
        InconsistentRecords: the records at the start contradict each other.
        CalibrationStopped: stopped before the first wave ended.
    """
    from habitat.clock import today

    habitat_id = habitat_of(user)
    end = today()
    months = _window(db, habitat_id, end, months, 12)
    check_calibration(months, waves, candidates, replications)
    start = _months_before(end, months)
    return _calibrate(
        db,
        user,
        habitat_id,
        start,
        end,
        (waves, candidates, replications),
        seed,
        on_progress,
        should_stop,
    )


def _calibrate(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: int,
    start: date,
    end: date,
    size: tuple[int, int, int],
    seed: int,
    on_progress: Callable[[int, int], None] | None,
    should_stop: Callable[[], bool] | None,
) -> TwinCalibrated:
    """Fit on the records from `start` to `end`; `size` is (waves, candidates, replications)."""
    from habitat.twin.calibrate import fit

    built = from_records(db, user, start, (end - start).days)
    if not built.extract["residents"]:
        raise _nobody_on(start)
    observed = observations(db, habitat_id, start, end)
    window = f"{start.isoformat()}/{end.isoformat()}"
    audit.extracted(db, user.actor, habitat_id, "twin calibrate", window)
    waves, candidates, replications = size
    result = fit(
        built.scenario,
        observed,
        waves=waves,
        candidates=candidates,
        replications=replications,
        seed=seed,
        on_progress=on_progress,
        should_stop=should_stop,
    )
    return TwinCalibrated(start, end, result, result.scenario(built.scenario), built.taken)


def in_use(db: sqlite_utils.Database, user: User) -> CalibrationUsed | None:
    """The habitat's own values the forecast and the questions run with (None: general)."""
    return own(db, habitat_of(user), False)

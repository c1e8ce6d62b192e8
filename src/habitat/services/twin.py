"""The habitat's own model: what it expected, what happened, what comes next.

- `backtest`: the model starts from the habitat as its records stood some months
  ago and runs to today; each figure's 90 % band is set against what the records
  say happened since ("Ce que le modèle attendait, ce qui s'est passé").
- `forecast`: the model starts from the habitat as it stands and runs the next
  months; each figure's band, beside the same figure over the last year.

Both build the scenario from the pseudonymised extract only (`what_if.from_records`)
and read the records' observations as counts (`store.pseudonymise.observations`);
each run is audited as an extract leaving the records. The model runs with its
general (published or assumed) parameters.
- `calibrate`: the habitat's own parameters (conflicts, disputes, participation)
  fitted to its records of the last months, the general model as the prior
  (`habitat.twin.calibrate`); returns the fit and the calibrated scenario.
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
from habitat.services.what_if import Taken, from_records
from habitat.store import audit
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
    "forecast",
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


def _run(
    db: sqlite_utils.Database,
    user: User,
    start: date,
    days: int,
    replications: int,
    seed: int,
    on_day: Callable[[int, int], None] | None,
) -> tuple[Callable[[str], np.ndarray], list[Taken]]:
    """Simulate the habitat as its records stood on `start`, for `days` days."""
    from habitat import simulate

    built = from_records(db, user, start, days)
    if not built.extract["residents"]:
        raise BadTwinRequest(
            "records",
            f"no resident lived in the habitat on {start.isoformat()}, where the model starts",
            f"Aucun habitant n'était présent le {start.strftime('%d/%m/%Y')} : "
            "le modèle n'a rien de quoi partir. Choisissez une période plus courte.",
        )
    names = sorted({name for measure in MEASURES for name in measure.metrics})
    result = simulate(
        built.scenario,
        replications=replications,
        seed=seed,
        record_events=False,
        on_day=on_day,
        metrics=names,
    )

    def series(name: str) -> np.ndarray:
        return result.values[:, result.names.index(name), :]

    return series, built.taken


def habitat_of(user: User) -> int:
    """The habitat the user asks about; refuses a role that may not ask the twin."""
    require(user, Screen.TWIN)
    if user.habitat_id is None:
        raise Forbidden("no habitat", "Aucun habitat n'est lié à votre compte.")
    return user.habitat_id


def backtest(
    db: sqlite_utils.Database,
    user: User,
    *,
    months: int = 6,
    end: date | None = None,
    replications: int = 100,
    seed: int = DEFAULT_SEED,
    on_day: Callable[[int, int], None] | None = None,
) -> TwinRun:
    """What the model expected over the last `months`, against what the records say.

    Args:
        db: the database.
        user: the animator or the host organisation.
        months: how far back the model starts (1 to 24).
        end: the last day compared (default: today).
        replications: replications of the model (10 to 1,000).
        seed: the seed (the same seed gives the same bands).
        on_day: progress, called as `on_day(day, days)`.

    Raises:
        Forbidden: the role may not build a scenario from the records.
        BadTwinRequest: bad months, replications or end; nobody lived there at the start.
        InconsistentRecords: the records at the start contradict each other.
    """
    from habitat.clock import today

    habitat_id = habitat_of(user)
    check(months, replications)
    end = end or today()
    if end > today():
        raise BadTwinRequest(
            "end", "is in the future", "La fin de la période ne peut pas être dans le futur."
        )
    start = _months_before(end, months)
    series, taken = _run(db, user, start, (end - start).days, replications, seed, on_day)
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
    )


def forecast(
    db: sqlite_utils.Database,
    user: User,
    *,
    months: int = 12,
    replications: int = 100,
    seed: int = DEFAULT_SEED,
    on_day: Callable[[int, int], None] | None = None,
) -> TwinRun:
    """The next `months` for the habitat as it stands, beside the last 12 months' figures.

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
    series, taken = _run(db, user, start, (end - start).days, replications, seed, on_day)
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
    )


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


def calibrate(
    db: sqlite_utils.Database,
    user: User,
    *,
    months: int = 12,
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
        months: the window, ending today (1 to 24).
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
    from habitat.twin.calibrate import fit

    habitat_id = habitat_of(user)
    check_calibration(months, waves, candidates, replications)
    end = today()
    start = _months_before(end, months)
    built = from_records(db, user, start, (end - start).days)
    if not built.extract["residents"]:
        raise BadTwinRequest(
            "records",
            f"no resident lived in the habitat on {start.isoformat()}, where the window starts: "
            "choose a shorter window",
            f"Aucun habitant n'était présent le {start.strftime('%d/%m/%Y')} : "
            "le modèle n'a rien de quoi partir. Choisissez une période plus courte.",
        )
    observed = observations(db, habitat_id, start, end)
    window = f"{start.isoformat()}/{end.isoformat()}"
    audit.extracted(db, user.actor, habitat_id, "twin calibrate", window)
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

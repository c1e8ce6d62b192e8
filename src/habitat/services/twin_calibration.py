"""The habitat's own calibration, as the twin's runs apply it.

The animator fits the model to the habitat's records (`twin.calibrate`) and saves
the fit (`twin_results.save_calibration`). From then on the forecast and every
question start from the habitat's scenario with its calibrated values (the
newest saved calibration); the backtest uses a calibration only when it is out of
sample: fitted on records that end before the backtest starts (a saved one whose
window ends by then, or one fitted for the backtest on the months before it).
Every run says which values it used (`CalibrationUsed`), and the general values
stay one option away (`general=True`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import sqlite_utils

from habitat import store
from habitat.experiment.calibration import with_values
from habitat.services.what_if import HabitatScenario
from habitat.store.entities import HabitatCalibration

__all__ = ["CalibrationUsed", "applied", "latest", "used"]


@dataclass(frozen=True)
class CalibrationUsed:
    """The habitat's own values a run used.

    Attributes:
        how: "saved" (a calibration the animator saved) or "fitted" (fitted on the
            months before a backtest, for that backtest).
        window_from: the first day of the records it was fitted on.
        window_to: their last day.
        values: the calibrated value of each fitted parameter, by scenario path.
        saved_id: the saved calibration's id (None when fitted for the run).
    """

    how: str
    window_from: date
    window_to: date
    values: dict[str, float]
    saved_id: int | None = None

    @property
    def said_fr(self) -> str:
        """Which values the run used, in French."""
        window = f"du {self.window_from:%d/%m/%Y} au {self.window_to:%d/%m/%Y}"
        if self.how == "fitted":
            return f"modèle ajusté pour cette comparaison sur les fiches {window}"
        return f"modèle ajusté sur les fiches {window} (ajustement enregistré)"


def latest(
    db: sqlite_utils.Database, habitat_id: int, *, ending_by: date | None = None
) -> HabitatCalibration | None:
    """The newest saved calibration of the habitat (fitted on records ending by `ending_by`)."""
    where = "habitat_id = ?"
    params: list[object] = [habitat_id]
    if ending_by is not None:
        where += " AND window_to <= ?"
        params.append(ending_by.isoformat())
    found = store.find(
        db, HabitatCalibration, where, params, order_by="window_to DESC, id DESC", limit=1
    )
    return found[0] if found else None


def used(saved: HabitatCalibration) -> CalibrationUsed:
    """What a run takes from a saved calibration."""
    return CalibrationUsed(
        "saved", saved.window_from, saved.window_to, saved.values, saved.stored_id
    )


def applied(built: HabitatScenario, calibration: CalibrationUsed | None) -> HabitatScenario:
    """The habitat's scenario with the calibration's values (unchanged without one)."""
    if calibration is None or not calibration.values:
        return built
    data = built.scenario.model_dump(mode="json")
    return replace(
        built, scenario=with_values(data, calibration.values, source="habitat calibration")
    )

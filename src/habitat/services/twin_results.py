"""Runs of the habitat's own model, saved with its records and reopened against what happened.

The animator saves a forecast (or a backtest) with the habitat; later, anyone who
may ask the twin reopens it and compares its bands with what the records say
happened since the run's start, figure by figure, with the same verdicts as the
backtest. A saved run holds the model's bands only: no person, no extract.

The animator also saves a calibration (`save_calibration`): from then on the
forecast and the questions run with its values (`habitat.services.twin_calibration`);
and the AVP question's answer (`save_avp`): the yearly AVP report of the period its
run starts in shows the newest one saved.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

import sqlite_utils

from habitat import store
from habitat.services import records
from habitat.services.access import User
from habitat.services.decisions import AvpAnswer
from habitat.services.twin import BadTwinRequest, TwinCalibrated, TwinRun, habitat_of
from habitat.store.entities import AvpNeed, HabitatCalibration, TwinKind, TwinResult
from habitat.store.pseudonymise import observations
from habitat.twin.observed import MEASURES, Comparison, verdict

__all__ = [
    "Since",
    "avp_need",
    "calibrations",
    "save",
    "save_avp",
    "save_calibration",
    "saved",
    "saved_avp",
    "since",
    "twin_result",
]

_MEASURES = {m.key: m for m in MEASURES}


def twin_result(habitat_id: int, run: TwinRun, note: str | None = None) -> dict[str, object]:
    """The record a run is saved as: each figure's median and band, no person."""
    bands = [
        {"measure": r.measure.key, "median": r.median, "low": r.band[0], "high": r.band[1]}
        for r in run.rows
    ]
    return {
        "habitat_id": habitat_id,
        "kind": TwinKind(run.kind),
        "model_from": run.start,
        "model_to": run.end,
        "seed": run.seed,
        "replications": run.replications,
        "bands_json": json.dumps(bands),
        "note": note or None,
    }


def save(
    db: sqlite_utils.Database, user: User, run: TwinRun, note: str | None = None
) -> TwinResult:
    """Save a run's bands with the habitat (audited; the animator only).

    Raises:
        Forbidden: the role may not save (only the animator writes).
        InvalidRecord: a note too long (nothing written).
    """
    return records.create(db, user, TwinResult, twin_result(habitat_of(user), run, note))


def saved(db: sqlite_utils.Database, user: User) -> list[TwinResult]:
    """The habitat's saved runs, newest first."""
    habitat_id = habitat_of(user)
    return store.find(
        db, TwinResult, "habitat_id = ?", [habitat_id], order_by="model_from DESC, id DESC"
    )


def avp_need(habitat_id: int, answer: AvpAnswer, note: str | None = None) -> dict[str, object]:
    """The record an AVP answer is saved as: its hours by group, its amounts, no person."""
    figures = [
        {
            "group": group,
            "logged": answer.logged.get(group, 0.0),
            "need": answer.need[group],
            "low": answer.need_band[group][0],
            "high": answer.need_band[group][1],
        }
        for group in answer.need
    ]
    return {
        "habitat_id": habitat_id,
        "model_from": answer.start,
        "model_to": answer.end,
        "seed": answer.seed,
        "replications": answer.replications,
        "figures_json": json.dumps(figures),
        "hourly_cost": answer.hourly_cost,
        "avp_per_resident": answer.avp_per_resident,
        "current_avp_per_resident": answer.current_avp_per_resident,
        "residents": answer.residents,
        "note": note or None,
    }


def save_avp(
    db: sqlite_utils.Database, user: User, answer: AvpAnswer, note: str | None = None
) -> AvpNeed:
    """Save the AVP question's answer for the yearly AVP report (audited; the animator only).

    The report of the period the answer's run starts in (`model_from`) shows the
    newest answer saved in it.

    Raises:
        Forbidden: the role may not save (only the animator writes).
        InvalidRecord: a note too long (nothing written).
    """
    return records.create(db, user, AvpNeed, avp_need(habitat_of(user), answer, note))


def saved_avp(db: sqlite_utils.Database, user: User) -> list[AvpNeed]:
    """The habitat's saved AVP answers, newest first."""
    habitat_id = habitat_of(user)
    return store.find(
        db, AvpNeed, "habitat_id = ?", [habitat_id], order_by="model_from DESC, id DESC"
    )


@dataclass(frozen=True)
class Since:
    """A saved run reopened: the days the records now cover, and each figure."""

    result: TwinResult
    observed_from: date
    observed_to: date
    rows: list[Comparison]

    @property
    def complete(self) -> bool:
        """Whether the records now cover the whole period the run simulated."""
        return self.observed_to >= self.result.model_to


def since(db: sqlite_utils.Database, user: User, result_id: int) -> Since:
    """Compare a saved run with what the records say happened from its start to today.

    Raises:
        Forbidden: the role may not ask the twin.
        BadTwinRequest: no such saved run in the habitat, or no day has passed yet.
    """
    from habitat.clock import today

    habitat_id = habitat_of(user)
    found = [r for r in saved(db, user) if r.stored_id == result_id]
    if not found:
        raise BadTwinRequest(
            "result", f"no saved run {result_id}", "Cette prévision enregistrée n'existe pas."
        )
    result = found[0]
    end = min(today(), result.model_to)
    if end - result.model_from < timedelta(days=7):
        raise BadTwinRequest(
            "result",
            "less than a week has passed since the run's start",
            "Moins d'une semaine s'est écoulée depuis le début de la prévision : "
            "rien à comparer encore.",
        )
    observed = observations(db, habitat_id, result.model_from, end)
    rows = []
    for band in json.loads(result.bands_json):
        measure = _MEASURES.get(band["measure"])
        if measure is None:  # a figure dropped since the run was saved
            continue
        estimate = measure.observed(observed)
        low_high = (band["low"], band["high"])
        rows.append(
            Comparison(measure, band["median"], low_high, estimate, verdict(estimate, low_high))
        )
    return Since(result, result.model_from + timedelta(days=1), end, rows)


def save_calibration(
    db: sqlite_utils.Database, user: User, calibrated: TwinCalibrated, note: str | None = None
) -> HabitatCalibration:
    """Save the habitat's own calibration: the forecast and the questions then use it.

    Raises:
        Forbidden: the role may not save (only the animator writes).
        BadTwinRequest: a calibration that fitted nothing (nothing to use).
        InvalidRecord: a note too long (nothing written).
    """
    habitat_id = habitat_of(user)
    fit = calibrated.fit
    if not fit.values:
        raise BadTwinRequest(
            "calibration",
            "no parameter could be fitted: nothing to save",
            "Aucun paramètre n'a pu être ajusté sur ces fiches : rien à enregistrer.",
        )
    parameters = [
        {
            "path": p.path,
            "label_fr": p.label_fr,
            "general": p.general,
            "mean": p.mean,
            "low": p.interval[0],
            "high": p.interval[1],
            "fitted": p.fitted,
            "events": int(p.events),
            "narrowed": p.narrowed,
        }
        for p in fit.parameters
    ]
    targets = [
        {
            "key": t.key,
            "observed": t.observed.value,
            "low": t.observed.low,
            "high": t.observed.high,
            "events": int(t.observed.events),
            "used": t.used,
            "model": t.model,
            "implausibility": t.implausibility,
        }
        for t in fit.targets
    ]
    return records.create(
        db,
        user,
        HabitatCalibration,
        {
            "habitat_id": habitat_id,
            "window_from": calibrated.start,
            "window_to": calibrated.end,
            "seed": fit.seed,
            "waves": fit.waves,
            "candidates": len(fit.candidates),
            "replications": fit.replications,
            "effective": float(fit.effective),
            "parameters_json": json.dumps(parameters),
            "targets_json": json.dumps(targets),
            "note": note or None,
        },
    )


def calibrations(db: sqlite_utils.Database, user: User) -> list[HabitatCalibration]:
    """The habitat's saved calibrations, the one in use (newest window) first."""
    habitat_id = habitat_of(user)
    return store.find(
        db,
        HabitatCalibration,
        "habitat_id = ?",
        [habitat_id],
        order_by="window_to DESC, id DESC",
    )

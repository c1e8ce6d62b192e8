"""Scheduled shocks: what the scenario says happens on a given day."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np

from habitat.scenario import (
    AnimatorAbsenceShock,
    FamilyWithdrawalShock,
    HospitalisationShock,
    NewResidentShock,
    ProviderExitShock,
)
from habitat.sim.population import draw_unknown, spec_profiles
from habitat.sim.vacancies import welcome

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel


def apply_shocks(model: HabitatModel) -> None:
    """Apply every shock scheduled for today, in the order the scenario lists them."""
    for shock in model.scenario.shocks:
        if shock.day == model.day:
            _HANDLERS[type(shock)](model, shock)


def _pick(
    model: HabitatModel, eligible: np.ndarray, target, score: np.ndarray | None
) -> np.ndarray:
    """Choose one dwelling per replication among `eligible` (D, R); -1 where none.

    `target` is a dwelling number, "random", or a rule that maximises `score`.
    """
    replications = model.replications
    if isinstance(target, int):
        return np.where(eligible[target], target, -1)
    keys = model.streams.random(eligible.shape[:-1]) if score is None else score + 0.0
    keys = np.where(eligible, keys, -np.inf)
    chosen = keys.argmax(axis=0)
    return np.where(eligible[chosen, np.arange(replications)], chosen, -1)


def _family_withdrawal(model: HabitatModel, shock: FamilyWithdrawalShock) -> None:
    families = model.state.families
    score = families.hours_per_week if shock.target == "most_involved_family" else None
    chosen = _pick(model, families.active, shock.target, score)
    for slot in np.unique(chosen[chosen >= 0]):
        model.families[int(slot)].withdraw(chosen == slot)


def _animator_absence(model: HabitatModel, shock: AnimatorAbsenceShock) -> None:
    # Shocks come in the morning: the absence starts today.
    model.animator.be_absent(
        np.ones(model.replications, dtype=bool),
        model.day + shock.duration_days,
        shock.replacement_share,
        f"scheduled absence of {shock.duration_days} days",
    )


def _provider_exit(model: HabitatModel, shock: ProviderExitShock) -> None:
    everywhere = np.ones(model.replications, dtype=bool)
    if shock.target == "habitat":
        model.habitat_providers[0].stop(everywhere, shock.handover, shock.replacement_days)
        return
    r = model.state.residents
    chosen = _pick(model, r.occupied & r.own_providers, "random", None)
    for slot in np.unique(chosen[chosen >= 0]):
        model.own_providers[int(slot)].stop(chosen == slot, shock.handover, shock.replacement_days)


def _new_resident(model: HabitatModel, shock: NewResidentShock) -> None:
    r = model.state.residents
    vacant = ~r.occupied
    # The lowest-numbered vacant dwelling, in each replication.
    chosen = np.where(vacant.any(axis=0), vacant.argmax(axis=0), -1)
    model.log.record(model.day, "entry_refused", chosen < 0, "new resident")
    for slot in np.unique(chosen[chosen >= 0]):
        who = chosen == slot
        newcomer = spec_profiles(
            [shock.resident] * int(who.sum()), model.params.family.hours_factor_by_gir
        )
        if shock.resident.age is None or shock.resident.sex is None:
            # What the shock leaves out is drawn, in each replication where they arrive.
            draws = model.streams.random_at(np.flatnonzero(who), (2,))
            draw_unknown(newcomer, draws, [shock.resident])
        welcome(model, int(slot), who, newcomer, admission=False)


def _hospitalisation(model: HabitatModel, shock: HospitalisationShock) -> None:
    r = model.state.residents
    score = -r.gir.astype(float) if shock.target == "most_dependent" else None
    chosen = _pick(model, r.at_home, shock.target, score)
    for slot in np.unique(chosen[chosen >= 0]):
        # Shocks come before the residents' morning countdown: one more day on the
        # counter makes the stay last exactly `duration_days` days.
        model.resident(int(slot)).admit(chosen == slot, shock.duration_days + 1)


#: Each handler takes the model and its own kind of shock.
_HANDLERS: dict[type, Callable[[HabitatModel, Any], None]] = {
    FamilyWithdrawalShock: _family_withdrawal,
    AnimatorAbsenceShock: _animator_absence,
    ProviderExitShock: _provider_exit,
    NewResidentShock: _new_resident,
    HospitalisationShock: _hospitalisation,
}

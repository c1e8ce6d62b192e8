"""Vacancies: residents leave, dwellings stay empty a while, newcomers move in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from habitat.sim.care import count_leavers
from habitat.sim.masks import anywhere
from habitat.sim.population import Profiles, draw_profiles, move_in, move_out

if TYPE_CHECKING:
    from habitat.sim.model import HabitatModel

__all__ = ["depart", "fill_vacancies", "leave", "newcomers", "welcome"]


#: How a resident leaves: the event logged, by destination.
EXIT_EVENTS = {"death": "death", "institution": "exit_institution", "other": "exit_other"}


def leave(model: HabitatModel, slot: int, who: np.ndarray, destination: str, name: str) -> None:
    """Resident of `slot` leaves where `who` is true, to a destination of `EXIT_EVENTS`."""
    t, state = model.today, model.state
    if destination == "institution":
        stay = model.day - state.residents.entered_on[slot]
        state.institution_exits += who
        state.institution_stay_days += np.where(who, stay, 0)
    count_leavers(model, who, destination)
    move_out(state, slot, who)
    t.exits += who
    counter = getattr(t, f"exits_{destination}")
    counter += who
    model.log.record(model.day, EXIT_EVENTS[destination], who, name)


def depart(model: HabitatModel, who: np.ndarray, destination: str) -> None:
    """Residents leave wherever `who` (D, R) is true, to a destination of `EXIT_EVENTS`.

    The same as `leave` dwelling by dwelling, the event log apart (the caller's).
    Leavers are few: the counts and the emptied dwellings are read and written at
    their cells only.
    """
    if not anywhere(who):
        return
    t, state = model.today, model.state
    cells = np.nonzero(who)
    columns = cells[1]
    if destination == "institution":
        state.institution_exits += np.bincount(columns, minlength=model.replications)
        stays = model.day - state.residents.entered_on[cells]
        np.add.at(state.institution_stay_days, columns, stays)
    # Dwelling by dwelling: the same floating-point sums as one leaver after another.
    for slot in np.flatnonzero(who.any(axis=1)):
        count_leavers(model, who[slot], destination)
    move_out(state, slice(None), cells)
    leavers = np.bincount(columns, minlength=model.replications)
    t.exits += leavers
    counter = getattr(t, f"exits_{destination}")
    counter += leavers


def fill_vacancies(model: HabitatModel) -> None:
    """Vacant dwellings find a newcomer after a while; narrow admission slows it.

    Tension 6: the more restrictive the entry conditions, the longer a dwelling
    stays empty and the more newcomers resemble the residents already there.
    """
    r = model.state.residents
    vacant = ~r.occupied
    if not anywhere(vacant):
        return
    entry = model.scenario.entry
    mean_days = entry.mean_vacancy_days * (1.0 + 2.0 * entry.restrictiveness)
    for slot in np.flatnonzero(vacant.any(axis=1)):
        here = model.streams.any(vacant[slot])
        arrives = vacant[slot] & (model.streams.random(where=here) < 1.0 / mean_days)
        if anywhere(arrives):
            welcome(model, int(slot), arrives, newcomers(model, arrives))


def newcomers(model: HabitatModel, who: np.ndarray) -> Profiles:
    """Draw one person per true entry of `who` (R,), each from its habitat's population."""
    if model.habitats == 1:
        return draw_profiles(model.scenario, model.streams[0], int(who.sum()))
    counts = who.reshape(model.habitats, -1).sum(axis=1)
    return Profiles.concat(
        [
            draw_profiles(model.scenarios[h], model.streams[h], int(n))
            for h, n in enumerate(counts)
            if n
        ]
    )


def welcome(
    model: HabitatModel, slot: int, who: np.ndarray, profiles: Profiles, admission: bool = True
) -> None:
    """Move newcomers into `slot`; restrictive admission copies a current public.

    Args:
        model: the habitat (or batch of habitats).
        slot: the vacant dwelling.
        who: bool (R,), replications where someone moves in.
        profiles: the newcomers, one per true entry of `who`, in order.
        admission: newcomers go through the habitat's admission (drawn from the
            population); False for a resident given by a scenario's shock.
    """
    r = model.state.residents
    where = np.flatnonzero(who)
    restrictiveness = _at(model.scenario.entry.restrictiveness, where)
    narrow = model.streams.random_at(where) < restrictiveness * admission
    occupied = r.occupied[:, where]
    narrow &= occupied.any(axis=0)
    if anywhere(narrow):
        # Copy the public of a current resident drawn at random.
        drawn = model.streams.random_at(
            where, (model.dwellings,), model.streams.any_at(where, narrow)
        )
        keys = np.where(occupied, drawn, -1.0)
        copied = r.public[keys.argmax(axis=0), where]
        profiles.public = np.where(narrow, copied, profiles.public)
    initial = _at(model.params.quality_of_life.initial, where)
    factor = model.params.family.hours_factor_by_gir
    move_in(model.state, slot, who, profiles, model.day, initial, factor)
    model.today.entries += who
    model.log.record(model.day, "entry", who, model.residents[slot].name)


def _at(value: Any, columns: np.ndarray) -> Any:
    """A scenario value at some columns: itself if the batch shares it."""
    return value[columns] if isinstance(value, np.ndarray) else value

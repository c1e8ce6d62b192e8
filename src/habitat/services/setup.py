"""Setting a real habitat up, step by step, and changing its settings later.

The same calls serve the set-up assistant, the "Paramètres de l'habitat" screen
and `habitat setup`: the habitat (name, host organisation, address), its named
dwellings, its common spaces, the AVP agreement, the shared-life project's first
version and the collective presence rota (a weekly pattern, exceptions on given
dates). Every write goes through `services.records` (the animator only; versioned
and audited by the store). Each step can be saved on its own and resumed: what is
done is read from the records (`progress`), never kept aside.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

import sqlite_utils

from habitat import clock, store
from habitat.domain import DWELLINGS_MAX
from habitat.services import records
from habitat.services.access import Forbidden, User
from habitat.store.entities import (
    CommonSpace,
    Dwelling,
    ExceptionKind,
    Habitat,
    PresenceException,
    PresencePattern,
    PresenceRole,
    PresenceShift,
    SharedLifeProject,
)
from habitat.store.errors import InvalidRecord, Problem
from habitat.store.queries import Gap, current_residents, presence_gaps, presence_slots
from habitat.store.queries_residents import residents_living

#: The assistant's steps, in order, with their French titles.
STEPS: dict[str, str] = {
    "habitat": "L'habitat",
    "dwellings": "Les logements",
    "spaces": "Les espaces communs",
    "avp": "La convention AVP",
    "project": "Le projet de vie sociale et partagée",
    "rota": "La présence collective",
}
#: Fields of the habitat step and of the AVP step.
HABITAT_FIELDS = ("name", "host_organisation", "address", "dwellings")
AVP_FIELDS = ("avp_amount_per_resident", "avp_tier", "avp_start", "avp_end")
#: A habitat rarely has more common spaces than this; a longer list is a mistake.
SPACES_MAX = 30
#: Weekly slots at most: a few a day, every day.
PATTERN_MAX = 100
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


@dataclass(frozen=True)
class Progress:
    """The habitat's settings as recorded, and which steps of the set-up are done."""

    habitat: Habitat | None
    dwellings: list[Dwelling] = field(default_factory=list)
    spaces: list[CommonSpace] = field(default_factory=list)
    project: SharedLifeProject | None = None
    patterns: list[PresencePattern] = field(default_factory=list)

    @property
    def recorded_habitat(self) -> Habitat:
        """The habitat, for the steps and settings that open once it is recorded.

        Raises:
            ValueError: no habitat is recorded yet.
        """
        if self.habitat is None:
            raise ValueError("no habitat is recorded yet: the first step comes first")
        return self.habitat

    @property
    def done(self) -> dict[str, bool]:
        """Step -> saved."""
        habitat = self.habitat
        return {
            "habitat": habitat is not None,
            "dwellings": bool(self.dwellings),
            "spaces": bool(self.spaces),
            "avp": habitat is not None
            and habitat.avp_amount_per_resident > 0
            and habitat.avp_start is not None,
            "project": self.project is not None,
            "rota": bool(self.patterns),
        }

    @property
    def complete(self) -> bool:
        """Every step is saved."""
        return all(self.done.values())

    @property
    def next_step(self) -> str | None:
        """The first step not saved yet (None when all are)."""
        return next((step for step, done in self.done.items() if not done), None)


def current_habitat(db: sqlite_utils.Database) -> Habitat | None:
    """The database's habitat (the first current one), or None before the set-up."""
    found = store.find(db, Habitat, order_by="id", limit=1)
    return found[0] if found else None


def progress(db: sqlite_utils.Database) -> Progress:
    """What is set up so far (a fresh database: nothing)."""
    habitat = current_habitat(db)
    if habitat is None:
        return Progress(None)
    where, params = "habitat_id = ?", [habitat.stored_id]
    projects = store.find(db, SharedLifeProject, where, params, order_by="number DESC", limit=1)
    return Progress(
        habitat,
        store.find(db, Dwelling, where, params),
        store.find(db, CommonSpace, where, params),
        projects[0] if projects else None,
        store.find(db, PresencePattern, where, params, order_by="weekday, starts"),
    )


def _animator(user: User) -> None:
    if not user.is_animator:
        raise Forbidden(
            f"{user.actor} may not set the habitat up",
            "Seul·e l'animateur·rice-coordinateur·rice règle les paramètres de l'habitat.",
        )


def _habitat(db: sqlite_utils.Database) -> Habitat:
    habitat = current_habitat(db)
    if habitat is None:
        raise InvalidRecord.one(
            "habitat", "name", "save the habitat first", "enregistrez d'abord l'habitat"
        )
    return habitat


def _update_habitat(
    db: sqlite_utils.Database,
    user: User,
    habitat: Habitat,
    version: int | None,
    changes: Mapping[str, object],
) -> Habitat:
    # The version the form read, or (from the command line) the one just read.
    return records.update(
        db,
        user,
        Habitat,
        habitat.stored_id,
        habitat.version if version is None else version,
        dict(changes),
    )


def _refuse(entity: str, field_name: str, reason: str, reason_fr: str) -> InvalidRecord:
    return InvalidRecord.one(entity, field_name, reason, reason_fr)


def save_habitat(
    db: sqlite_utils.Database, user: User, data: Mapping[str, Any], version: int | None = None
) -> Habitat:
    """Create the habitat, or change its name, host organisation, address or dwelling count.

    Args:
        db: the database.
        user: the animator.
        data: some of `HABITAT_FIELDS` (and any other `Habitat` field).
        version: the version the form was read at (None: the stored one).

    Raises:
        Forbidden: not the animator.
        InvalidRecord: a field at fault, named (nothing written).
        Conflict: someone saved the habitat since `version`.
    """
    _animator(user)
    with store.transaction(db):
        habitat = current_habitat(db)
        if habitat is None:
            return records.create(db, user, Habitat, dict(data))
        changes = dict(data)
        declared = store.find(db, Dwelling, "habitat_id = ?", [habitat.stored_id])
        if declared and "dwellings" in changes and changes["dwellings"] != len(declared):
            names = ", ".join(d.name for d in declared[:5])
            raise _refuse(
                "habitat",
                "dwellings",
                "the dwellings are declared by name",
                f"les logements sont déclarés par leur nom ({names}…) : ajoutez-en ou "
                "retirez-en à l'étape « Les logements »",
            )
        return _update_habitat(db, user, habitat, version, changes)


def default_dwelling_names(count: int) -> list[str]:
    """Names of `count` dwellings: Logement 1 to Logement N."""
    return [f"Logement {n}" for n in range(1, count + 1)]


def save_dwellings(db: sqlite_utils.Database, user: User, names: Sequence[str]) -> list[Dwelling]:
    """Declare the habitat's dwellings by name (the list replaces the previous one).

    A dwelling kept keeps its id; one left out is archived, unless someone lives
    there; the habitat's dwelling count follows the list.

    Raises:
        Forbidden: not the animator.
        InvalidRecord: field `dwelling_names`: an empty or repeated name, too many,
            fewer than the residents present, or an occupied dwelling left out.
    """
    _animator(user)
    if isinstance(names, str) or not isinstance(names, Sequence):
        raise _refuse("logement", "dwelling_names", "must be a list", "doit être une liste")
    cleaned = [str(name).strip() for name in names]
    problems = []
    for n, name in enumerate(cleaned, start=1):
        if not name:
            problems.append(f"ligne {n} : le nom est vide")
        elif len(name) > 200:
            problems.append(f"ligne {n} : le nom est trop long (au plus 200 caractères)")
        elif name in cleaned[: n - 1]:
            problems.append(f"ligne {n} : « {name} » est déjà dans la liste")
    if not cleaned:
        problems.append("indiquez au moins un logement")
    if len(cleaned) > DWELLINGS_MAX:
        problems.append(f"au plus {DWELLINGS_MAX} logements")
    if problems:
        raise _refuse("logement", "dwelling_names", "bad list", " ; ".join(problems))
    with store.transaction(db):
        habitat = _habitat(db)
        current = {
            d.name: d for d in store.find(db, Dwelling, "habitat_id = ?", [habitat.stored_id])
        }
        present = _present_dwellings(db, habitat.stored_id)
        left_out = sorted(set(current) - set(cleaned))
        occupied = [name for name in left_out if name in present]
        if occupied:
            raise _refuse(
                "logement",
                "dwelling_names",
                "an occupied dwelling is left out",
                f"« {occupied[0]} » est occupé : indiquez d'abord la sortie de son habitant·e",
            )
        count = _present_count(db, habitat.stored_id)
        if len(cleaned) < count:
            raise _refuse(
                "logement",
                "dwelling_names",
                "fewer dwellings than residents",
                f"{count} habitant·es sont présent·es : il faut au moins {count} logements",
            )
        for name in left_out:
            records.archive(db, user, Dwelling, current[name].stored_id, current[name].version)
        for name in cleaned:
            if name not in current:
                records.create(db, user, Dwelling, {"habitat_id": habitat.stored_id, "name": name})
        if habitat.dwellings != len(cleaned):
            records.update(
                db, user, Habitat, habitat.stored_id, habitat.version, {"dwellings": len(cleaned)}
            )
        return store.find(db, Dwelling, "habitat_id = ?", [habitat.stored_id])


def _present_count(db: sqlite_utils.Database, habitat_id: int) -> int:
    return len(residents_living(db, habitat_id, clock.today()))


def _present_dwellings(db: sqlite_utils.Database, habitat_id: int) -> set[str]:
    return {r.dwelling for r in residents_living(db, habitat_id, clock.today()) if r.dwelling}


def dwelling_choices(
    db: sqlite_utils.Database, habitat_id: int, current: str | None = None
) -> list[str] | None:
    """The dwellings a resident's form offers: the free ones, and the resident's own.

    Returns:
        The names in the habitat's order, or None when the habitat declares no
        dwelling by name (the form then takes a free text).
    """
    names = [
        d.name for d in store.find(db, Dwelling, "habitat_id = ?", [habitat_id], order_by="id")
    ]
    if not names:
        return None
    taken = _present_dwellings(db, habitat_id) - {current}
    return [name for name in names if name not in taken or name == current]


def record_problems(db: sqlite_utils.Database, habitat_id: int, day: date) -> list[str]:
    """What in the records contradicts the dwellings, each saying what to fix (French).

    The store refuses these since the dwellings rule exists; a database written
    before it (or restored from an old backup) may still hold them. Only the
    residents living there on `day` count: on a past day (the twin's backtest), a
    dwelling's later residents are not yet there.
    """
    living = current_residents(db, habitat_id, day)
    names = dwelling_names(db, habitat_id)
    capacity = len(names) or store.get(db, Habitat, habitat_id).dwellings
    problems = []
    if len(living) > capacity:
        problems.append(
            f"L'habitat compte {len(living)} habitant·es présent·es pour {capacity} logements : "
            "indiquez la sortie de l'habitant·e parti·e (Habitants, fiche, date de sortie) ou "
            "déclarez un logement de plus (Paramètres de l'habitat, Les logements)."
        )
    by_dwelling: dict[str, int] = {}
    for resident in living:
        if resident.dwelling:
            by_dwelling[resident.dwelling] = by_dwelling.get(resident.dwelling, 0) + 1
    for name, count in by_dwelling.items():
        if count > 1:
            problems.append(
                f"Le logement « {name} » est attribué à {count} habitant·es présent·es : "
                "corrigez le logement de l'un·e d'eux dans sa fiche (Habitants)."
            )
        elif names and name not in names:
            problems.append(
                f"Le logement « {name} » d'un·e habitant·e n'est pas un logement déclaré : "
                "corrigez sa fiche ou ajoutez-le dans les Paramètres de l'habitat."
            )
    return problems


def free_dwellings(db: sqlite_utils.Database, habitat_id: int) -> list[str]:
    """The declared dwellings nobody present lives in, in their order."""
    taken = _present_dwellings(db, habitat_id)
    return [
        d.name
        for d in store.find(db, Dwelling, "habitat_id = ?", [habitat_id])
        if d.name not in taken
    ]


def dwelling_names(db: sqlite_utils.Database, habitat_id: int) -> list[str]:
    """The declared dwellings' names, in their order (empty when none are declared)."""
    return [d.name for d in store.find(db, Dwelling, "habitat_id = ?", [habitat_id])]


def save_spaces(
    db: sqlite_utils.Database, user: User, spaces: Sequence[Mapping[str, Any]]
) -> list[CommonSpace]:
    """Declare the common spaces ({name, capacity}); the list replaces the previous one.

    A space kept (same name) keeps its id and its bookings; one left out is archived.

    Raises:
        Forbidden: not the animator.
        InvalidRecord: field `spaces`, naming the line and what is wrong with it.
    """
    _animator(user)
    if isinstance(spaces, str | Mapping) or not isinstance(spaces, Sequence):
        raise _refuse("espace commun", "spaces", "must be a list", "doit être une liste")
    if not spaces:
        raise _refuse(
            "espace commun", "spaces", "empty", "indiquez au moins un espace commun (la cuisine…)"
        )
    if len(spaces) > SPACES_MAX:
        raise _refuse("espace commun", "spaces", "too many", f"au plus {SPACES_MAX} espaces")
    with store.transaction(db):
        habitat = _habitat(db)
        current = {
            s.name: s for s in store.find(db, CommonSpace, "habitat_id = ?", [habitat.stored_id])
        }
        wanted: list[CommonSpace] = []
        for n, line in enumerate(spaces, start=1):
            if not isinstance(line, Mapping):
                raise _refuse("espace commun", "spaces", "bad line", f"ligne {n} : illisible")
            try:
                wanted.append(store.parse(CommonSpace, {**line, "habitat_id": habitat.stored_id}))
            except InvalidRecord as refusal:
                raise _lines("espace commun", "spaces", n, refusal) from None
        names = [space.name for space in wanted]
        for n, name in enumerate(names, start=1):
            if name in names[: n - 1]:
                raise _refuse(
                    "espace commun", "spaces", "twice", f"ligne {n} : « {name} » est déjà nommé"
                )
        for name, space in current.items():
            if name not in names:
                records.archive(db, user, CommonSpace, space.stored_id, space.version)
        for space in wanted:
            kept = current.get(space.name)
            if kept is None:
                records.create(db, user, CommonSpace, space.model_dump(exclude={"id", "version"}))
            elif kept.capacity != space.capacity:
                records.update(
                    db,
                    user,
                    CommonSpace,
                    kept.stored_id,
                    kept.version,
                    {"capacity": space.capacity},
                )
        return store.find(db, CommonSpace, "habitat_id = ?", [habitat.stored_id])


def spaces_from_lines(text: str) -> list[dict[str, Any]]:
    """Common spaces typed one a line, "Salle commune ; 20" (the capacity is optional).

    A capacity that is not a whole number is passed on as typed: the store refuses
    it, naming the line.
    """
    rows: list[dict[str, Any]] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, capacity = line.partition(";")
        row: dict[str, Any] = {"name": name.strip()}
        if capacity.strip():
            row["capacity"] = capacity.strip()
        rows.append(row)
    return rows


def _lines(entity: str, field_name: str, line: int, refusal: InvalidRecord) -> InvalidRecord:
    """A refusal of one line of a list, as one message under the list's field."""
    from habitat.store.messages import field_label

    reasons = " ; ".join(
        f"{field_label(p.field)} {p.reason_fr}" for p in refusal.problems if p.field != "habitat_id"
    )
    return InvalidRecord(entity, [Problem(field_name, str(refusal), f"ligne {line} : {reasons}")])


def save_avp(
    db: sqlite_utils.Database, user: User, data: Mapping[str, Any], version: int | None = None
) -> Habitat:
    """Record the AVP agreement with the department (amount, tier, start and end dates).

    Raises:
        Forbidden: not the animator.
        InvalidRecord: a field at fault, named; an amount of 0 is refused here.
    """
    _animator(user)
    values = store.parse_fields(Habitat, data, [f for f in AVP_FIELDS if f in data])
    if not values.get("avp_amount_per_resident"):
        raise _refuse(
            "habitat",
            "avp_amount_per_resident",
            "missing",
            "indiquez le montant par habitant et par an prévu par la convention",
        )
    if values.get("avp_start") is None:
        raise _refuse("habitat", "avp_start", "missing", "indiquez le début de la convention")
    with store.transaction(db):
        habitat = _habitat(db)
        return _update_habitat(db, user, habitat, version, dict(data))


def save_project(
    db: sqlite_utils.Database, user: User, data: Mapping[str, Any]
) -> SharedLifeProject:
    """Record a version of the shared-life project (the first, or the next one).

    Args:
        db: the database.
        user: the animator.
        data: text, adopted_on, adopted_by.

    Raises:
        Forbidden: not the animator.
        InvalidRecord: a field at fault, named.
    """
    _animator(user)
    with store.transaction(db):
        habitat = _habitat(db)
        latest = progress(db).project
        number = 1 if latest is None else latest.number + 1
        return records.create(
            db,
            user,
            SharedLifeProject,
            {**data, "habitat_id": habitat.stored_id, "number": number},
        )


def save_presence_hours(
    db: sqlite_utils.Database, user: User, data: Mapping[str, Any], version: int | None = None
) -> Habitat:
    """The hours someone should be present every day (presence_from, presence_to)."""
    _animator(user)
    with store.transaction(db):
        habitat = _habitat(db)
        changes = {k: data[k] for k in ("presence_from", "presence_to") if k in data}
        return _update_habitat(db, user, habitat, version, changes)


def add_pattern(db: sqlite_utils.Database, user: User, data: Mapping[str, Any]) -> PresencePattern:
    """Add a weekly slot (person, role, weekday, starts, ends) to the rota."""
    _animator(user)
    with store.transaction(db):
        habitat = _habitat(db)
        return records.create(db, user, PresencePattern, {**data, "habitat_id": habitat.stored_id})


def add_patterns(
    db: sqlite_utils.Database, user: User, slot: Mapping[str, Any], weekdays: Sequence[int]
) -> list[PresencePattern]:
    """The same slot on several weekdays (the assistant's "du lundi au vendredi").

    Raises:
        InvalidRecord: no weekday chosen (field `weekday`) or a field at fault.
    """
    _animator(user)
    if not weekdays:
        raise _refuse(
            "créneau hebdomadaire de présence", "weekday", "missing", "choisissez au moins un jour"
        )
    with store.transaction(db):
        existing = progress(db).patterns
        if len(existing) + len(weekdays) > PATTERN_MAX:
            raise _refuse(
                "créneau hebdomadaire de présence",
                "weekday",
                "too many",
                f"au plus {PATTERN_MAX} créneaux hebdomadaires",
            )
        return [add_pattern(db, user, {**slot, "weekday": day}) for day in weekdays]


def remove_pattern(
    db: sqlite_utils.Database, user: User, pattern_id: int, version: int
) -> PresencePattern:
    """Take a weekly slot off the rota (archived, kept in the history)."""
    _animator(user)
    return records.archive(db, user, PresencePattern, pattern_id, version)


def add_exception(
    db: sqlite_utils.Database, user: User, data: Mapping[str, Any]
) -> PresenceException:
    """A change on one date: a weekly slot cancelled (`pattern_id`) or a slot added.

    Raises:
        InvalidRecord: a field at fault; a cancelled slot that is not on that weekday.
    """
    _animator(user)
    with store.transaction(db):
        habitat = _habitat(db)
        exception = store.parse(PresenceException, {**data, "habitat_id": habitat.stored_id})
        if exception.kind is ExceptionKind.CANCEL:
            assert exception.pattern_id is not None  # a cancellation names its slot (parsed)
            pattern = store.get(db, PresencePattern, exception.pattern_id)
            if (
                pattern.habitat_id != habitat.stored_id
                or pattern.weekday != exception.day.weekday()
            ):
                raise _refuse(
                    exception.label_fr,
                    "pattern_id",
                    "not on that weekday",
                    f"ce créneau a lieu le {WEEKDAYS_FR[pattern.weekday]}, "
                    f"pas le {WEEKDAYS_FR[exception.day.weekday()]}",
                )
        return records.create(
            db, user, PresenceException, exception.model_dump(exclude={"id", "version"})
        )


def exceptions(db: sqlite_utils.Database, habitat_id: int, start: date) -> list[PresenceException]:
    """Exceptions from `start` on, by date."""
    return store.find(
        db,
        PresenceException,
        "habitat_id = ? AND day >= ?",
        [habitat_id, start.isoformat()],
        order_by="day, starts",
    )


@dataclass(frozen=True)
class RotaWeek:
    """A week of the rota as it will be: its slots and the hours nobody covers."""

    monday: date
    slots: list[PresenceShift]
    gaps: list[Gap]

    @property
    def gap_hours(self) -> float:
        """Hours with nobody present in the week."""
        return sum(gap.hours for gap in self.gaps)


def week(db: sqlite_utils.Database, habitat_id: int, day: date) -> RotaWeek:
    """The week holding `day`, Monday to Sunday: pattern + exceptions + dated shifts."""
    monday = day - timedelta(days=day.weekday())
    sunday = monday + timedelta(days=6)
    return RotaWeek(
        monday,
        presence_slots(db, habitat_id, monday, sunday),
        presence_gaps(db, habitat_id, monday, sunday),
    )


def apply(db: sqlite_utils.Database, user: User, document: Mapping[str, Any]) -> Progress:
    """Set a habitat up from one document (`habitat setup --from FILE`), all or nothing.

    The document has the assistant's sections: `habitat` (name, host_organisation,
    address), `dwellings` (a list of names, or a count), `spaces` (names, or
    {name, capacity}), `avp` (amount_per_resident, tier, start, end,
    animator_hours_per_week), `project` (text, adopted_on, adopted_by) and
    `presence` (from, to, weekly: [{person, role, weekdays, from, to}]).

    Raises:
        InvalidRecord: the first section and field at fault, named as
            `section.field` (nothing written).
    """
    _animator(user)
    if not isinstance(document, Mapping):
        raise _refuse("habitat", "(file)", "not a mapping", "le fichier doit décrire l'habitat")
    known = {"habitat", "dwellings", "spaces", "avp", "project", "presence"}
    unknown = sorted(set(document) - known)
    if unknown:
        raise _refuse("habitat", unknown[0], "unknown section", "section inconnue")
    given = document.get("dwellings")
    # A count stands for that many default names; anything else is the document's, as
    # typed in the file, and `save_dwellings` checks it.
    dwellings: Any = (
        default_dwelling_names(given)
        if isinstance(given, int) and not isinstance(given, bool)
        else given
    )

    def habitat_section(section: Any) -> Habitat:
        data = _mapping("habitat", section)
        if isinstance(dwellings, list) and current_habitat(db) is None:
            data.setdefault("dwellings", len(dwellings))  # the count of the named list
        return save_habitat(db, user, data)

    with store.transaction(db):
        _section(document, "habitat", habitat_section)
        if dwellings is not None:
            _section(document, "dwellings", lambda _: save_dwellings(db, user, dwellings))
        spaces = document.get("spaces")
        if spaces is not None:
            rows = (
                [s if isinstance(s, Mapping) else {"name": s} for s in spaces]
                if isinstance(spaces, list)
                else spaces
            )
            _section(document, "spaces", lambda _: save_spaces(db, user, rows))
        _section(document, "avp", lambda s: save_avp(db, user, _avp(s)))
        _section(document, "project", lambda s: save_project(db, user, _mapping("project", s)))
        _section(document, "presence", lambda s: _presence(db, user, s))
        return progress(db)


def _section(document: Mapping[str, Any], name: str, save) -> None:
    if name not in document:
        return
    try:
        save(document[name])
    except InvalidRecord as refusal:
        problems = [
            Problem(f"{name}.{p.field}" if p.field != name else name, p.reason, p.reason_fr)
            for p in refusal.problems
        ]
        raise InvalidRecord(refusal.entity, problems) from None


def _mapping(name: str, section: Any) -> dict[str, Any]:
    if not isinstance(section, Mapping):
        raise _refuse("habitat", name, "must be a mapping", "doit être une suite de champs")
    return dict(section)


def _avp(section: Any) -> dict[str, Any]:
    section = _mapping("avp", section)
    renamed = {
        "amount_per_resident": "avp_amount_per_resident",
        "tier": "avp_tier",
        "start": "avp_start",
        "end": "avp_end",
    }
    return {renamed.get(key, key): value for key, value in section.items()}


def _presence(db: sqlite_utils.Database, user: User, section: Any) -> None:
    section = _mapping("presence", section)
    hours = (
        {key: section[short] for short, key in (("from", "presence_from"), ("to", "presence_to"))}
        if {"from", "to"} <= set(section)
        else {}
    )
    if hours:
        save_presence_hours(db, user, hours)
    weekly = section.get("weekly", [])
    if not isinstance(weekly, list):
        raise _refuse("habitat", "weekly", "must be a list", "doit être une liste")
    for n, slot in enumerate(weekly, start=1):
        slot = _mapping(f"weekly.{n}", slot)
        days = slot.pop("weekdays", None)
        if not isinstance(days, list) or not days:
            raise _refuse(
                "habitat", f"weekly.{n}.weekdays", "missing", "une liste de jours (0 = lundi)"
            )
        data = {
            "person": slot.get("person"),
            "role": slot.get("role"),
            "starts": slot.get("from"),
            "ends": slot.get("to"),
        }
        try:
            add_patterns(db, user, data, days)
        except InvalidRecord as refusal:
            raise _lines("créneau hebdomadaire de présence", "weekly", n, refusal) from None


def role_choices() -> list[PresenceRole]:
    """Who can give presence, in the order the rota editor offers them."""
    return list(PresenceRole)


def slot_label(slot: PresenceShift) -> str:
    """A slot as a line: "lundi 7h30–12h : Aide mutualisée"."""
    start: datetime = slot.starts_at
    return f"{WEEKDAYS_FR[start.weekday()]} {_hour(start.time())}–{_hour(slot.ends_at.time())}"


def _hour(value: time) -> str:
    return f"{value.hour}h{value.minute:02d}" if value.minute else f"{value.hour}h"

"""A synthetic habitat for research and training: people drawn from the model, nobody real.

Pure: no database. From the habitat's scenario (built from the pseudonymised
extract, `services.what_if.from_records`) and a seed, `draw` makes a synthetic
habitat and runs the model on it:

1. **People drawn, not copied.** Each synthetic resident's public is drawn from the
   habitat's publics with smoothed shares (the counts, half a person added to each
   public present), their GIR resampled from the GIRs of that public and moved one
   level up or down with probability `GIR_JITTER`; entering by default, keeping
   one's own providers and having a family are drawn from smoothed shares (a Beta
   draw around the counts); a family's hours are resampled and multiplied by a
   log-normal noise. Ages and sexes are drawn by the model's own rules
   (`sim.population.draw_ages`). Names come from `FIRST_NAMES` (invented),
   pseudonyms are `S-` and six characters: a real pseudonym is `H-...`, so they
   cannot collide (in `habitat.db`, `app_pseudonym` writes them `H-0...`).
2. **A fictitious calendar.** The synthetic habitat opens on `START` (2030-01-01)
   with its first residents, and the model runs `years` years from there; every
   date written is that start plus a model day, never a date of the records.
3. **The run's log as records.** Entries and exits, hospital stays, tensions by kind
   (conflicts, autonomy-vs-safety disputes, care-path ruptures, providers' clashes,
   families stepping back) with open and close dates, activities held with their
   attendance, the animator's hours by support function, families' hours.

`SyntheticHabitat.files()` renders it as CSV files, a `manifest.json` and a
`README.md`; the same seed and years give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from habitat.domain import FAMILY_HOURS_MAX, PUBLICS, SupportFunction
from habitat.scenario import Scenario, scenario_from_data
from habitat.sim.population import DAYS_PER_YEAR
from habitat.sim.support import ANIMATOR_TASKS

__all__ = [
    "FIRST_NAMES",
    "FORMAT",
    "START",
    "YEARS",
    "SyntheticHabitat",
    "app_pseudonym",
    "draw",
    "draw_members",
]

#: Version of the synthetic habitat's layout.
FORMAT = "habitat-synthetic/1"
#: The synthetic calendar's first day: fictitious, after any record's date.
START = date(2030, 1, 1)
#: Years the model may run.
YEARS = range(1, 4)
#: Half a person added to each public present before the shares are drawn.
PSEUDO_COUNT = 0.5
#: Chance that a resampled GIR moves one level (up or down, equally).
GIR_JITTER = 0.4
#: Spread (log scale) of the noise on a family's resampled hours.
FAMILY_HOURS_NOISE = 0.3
#: Invented first names (no person's): women's, then men's.
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "female": (
        "Amarine", "Belisande", "Corvine", "Dorisel", "Elvanne", "Fleurine", "Galadrie",
        "Hortelie", "Isandre", "Jovanne", "Kaliste", "Liserine", "Morgaine", "Nerisse",
        "Ombeline", "Perlise", "Quiterie", "Rosalvie", "Sylvarine", "Tiphaine", "Ulrisse",
        "Valerande", "Wilhelmine", "Ysaline", "Zelmire",
    ),
    "male": (
        "Aldebrand", "Barnabus", "Corentil", "Dagobrin", "Ermelin", "Faustel", "Gondebaud",
        "Hilarion", "Isembart", "Jocelinot", "Kerwanic", "Lothaire", "Maelbert", "Norbertin",
        "Onesime", "Pacomel", "Quentilien", "Raimbert", "Sigebert", "Tancrelin", "Ulfrand",
        "Vulfran", "Wandrille", "Xandrel", "Ysembert",
    ),
}  # fmt: skip
#: Characters of a synthetic pseudonym (after `S-`).
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: Share of a synthetic tension's severity, whatever its kind (drawn, not modelled).
SEVERITY_WEIGHTS = {"low": 0.35, "medium": 0.4, "high": 0.2, "critical": 0.05}
#: Days a tension the model does not follow stays open (drawn, geometric): ruptures,
#: providers' clashes and families stepping back.
DRAWN_OPEN_DAYS = 14.0
#: Activity categories, as drawn (the model holds "an activity", not its kind).
CATEGORY_WEIGHTS = {
    "meal": 0.25,
    "workshop": 0.25,
    "culture": 0.1,
    "sport": 0.15,
    "celebration": 0.05,
    "neighbourhood": 0.1,
    "outing": 0.1,
}
#: An activity's start times, by its rank in the day, and its length.
ACTIVITY_TIMES = ("10:00", "14:30", "17:00", "11:00", "16:00")
ACTIVITY_HOURS = 1.5
#: How a model exit reads in the records' exit reasons.
_EXIT_REASONS = {"death": "death", "exit_institution": "institution", "exit_other": "other"}


def draw_members(scenario: Scenario, rng: np.random.Generator) -> list[dict[str, Any]]:
    """The synthetic first residents: as many as the scenario's, drawn from its distributions.

    Args:
        scenario: the habitat's scenario, with explicit members (from the records).
        rng: the synthetic draw's generator.

    Returns:
        One scenario member (mapping) per resident, age and sex left to the model.
    """
    members = scenario.residents.members or []
    n = len(members)
    if not n:
        raise ValueError("the scenario has no resident to draw the synthetic ones from")
    publics = sorted({str(m.public) for m in members}, key=PUBLICS.index)
    counts = np.array([sum(str(m.public) == p for m in members) for p in publics], dtype=float)
    shares = (counts + PSEUDO_COUNT) / (counts + PSEUDO_COUNT).sum()
    girs: dict[str, list[int]] = defaultdict(list)
    for m in members:
        girs[str(m.public)].append(m.gir)

    def smoothed_share(k: int) -> float:
        return float(rng.beta(k + PSEUDO_COUNT, n - k + PSEUDO_COUNT))

    by_default = smoothed_share(sum(m.entered_by_default for m in members))
    own = smoothed_share(sum(m.own_providers for m in members))
    hours = [m.family_hours_per_week for m in members if m.family_hours_per_week > 0]
    with_family = smoothed_share(len(hours))
    drawn = []
    for i in range(n):
        public = publics[int(rng.choice(len(publics), p=shares))]
        gir = int(rng.choice(girs[public]))
        if rng.random() < GIR_JITTER:
            gir = int(np.clip(gir + rng.choice((-1, 1)), 1, 6))
        family = 0.0
        if hours and rng.random() < with_family:
            base = float(rng.choice(hours)) * float(rng.lognormal(0.0, FAMILY_HOURS_NOISE))
            family = float(np.clip(round(base * 2) / 2, 0.5, FAMILY_HOURS_MAX))
        drawn.append(
            {
                "label": f"synthetic {i + 1}",
                "public": public,
                "gir": gir,
                "entered_by_default": bool(rng.random() < by_default),
                "family_hours_per_week": family,
                "own_providers": bool(rng.random() < own),
            }
        )
    return drawn


@dataclass
class _Person:
    number: int
    slot: int
    pseudonym: str
    first_name: str
    sex: str
    age_on_entry: int
    public: str
    gir_on_entry: int
    entered_by_default: bool
    own_providers: bool
    family_hours_per_week: float
    entry_day: int
    gir_last: int = 0
    exit_day: int | None = None
    exit_reason: str | None = None


@dataclass
class _Tension:
    number: int
    kind: str
    severity: str
    opened: int
    residents: list[str]
    closed: int | None = None


@dataclass
class SyntheticHabitat:
    """A synthetic habitat: its tables (rows of plain values) and its manifest.

    Attributes:
        seed: the seed it was drawn with.
        years: the years the model ran.
        start: the synthetic calendar's first day.
        end: its last day.
        tables: file stem -> rows (each a mapping of column -> value), in order.
        manifest: what was drawn and how, what was taken from the real habitat.
    """

    seed: int
    years: int
    start: date
    end: date
    tables: dict[str, list[dict[str, Any]]]
    manifest: dict[str, Any] = field(default_factory=dict)
    dwellings: int = 1
    animator_hours_per_week: float = 0.0
    avp_amount_per_resident: float = 0.0

    def files(self) -> dict[str, bytes]:
        """File name -> content: one CSV per table, `manifest.json`, `README.md`."""
        out: dict[str, bytes] = {}
        for stem, rows in self.tables.items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=list(_COLUMNS[stem]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            out[f"{stem}.csv"] = text.getvalue().encode("utf-8")
        out["manifest.json"] = (
            json.dumps(self.manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        ).encode("utf-8")
        out["README.md"] = _readme(self).encode("utf-8")
        return out


#: Every table's columns, in order (also what the README describes).
_COLUMNS: dict[str, dict[str, str]] = {
    "residents": {
        "pseudonym": "synthetic pseudonym (S-...)",
        "first_name": "invented first name",
        "sex": "female or male (drawn by the model's rules)",
        "age_on_entry": "age in whole years on moving in (drawn by the model's rules)",
        "public": "elderly, motor, psychic, intellectual, autism, sensory",
        "gir_on_entry": "autonomy level on moving in (1 most dependent .. 6)",
        "gir_last": "autonomy level on leaving, or at the end",
        "entered_by_default": "moved in for want of another option (true/false)",
        "own_providers": "keeps their own providers (true/false)",
        "family_hours_per_week": "family's usual help on moving in (0: no family)",
        "dwelling": "synthetic dwelling code",
        "entry_date": "synthetic date of moving in",
        "exit_date": "synthetic date of leaving (empty: still there)",
        "exit_reason": "death, institution, other",
    },
    "events": {
        "date": "synthetic date",
        "kind": "the model's event kind",
        "who": "synthetic pseudonym, provider code, animator, or empty (the house)",
        "what": "the event, in words",
    },
    "tensions": {
        "number": "tension number",
        "kind": "the records' tension kinds",
        "severity": "drawn (the model does not grade tensions)",
        "occurred_on": "synthetic date",
        "resolved_on": "synthetic date (empty: still open at the end)",
        "status": "open or closed",
        "residents": "synthetic pseudonyms involved, separated by spaces",
        "description": "a generated label (number only: no text of the records)",
    },
    "activities": {
        "number": "activity number",
        "title": "a generated title (number only: no text a person could have typed)",
        "category": "drawn (the model holds an activity, not its kind)",
        "place": "in_habitat or outside",
        "starts_at": "synthetic date and time",
        "ends_at": "synthetic date and time",
        "present": "residents present",
        "invited": "residents living there that day",
    },
    "attendance": {
        "activity": "activity number",
        "pseudonym": "synthetic pseudonym",
        "status": "present, absent, excused (in hospital)",
    },
    "animator_time": {
        "week_start": "synthetic week start (the calendar's start + 7 k days)",
        "function": "support function (premises, collective_organisation, collective_presence)",
        "hours": "the animator's hours given that week",
    },
    "family_hours": {
        "week_start": "synthetic week start",
        "pseudonym": "synthetic pseudonym of the relative helped",
        "hours": "hours the family gave its relative that week",
    },
    "weeks": {
        "week_start": "synthetic week start",
        "residents": "residents living there at the week's end",
        "activities_held": "activities held",
        "participants": "residents who took part in at least one",
        "conflicts_new": "new conflicts between residents or over common spaces",
        "families_collective_hours": "hours families gave to collective life",
        "animator_hours": "the animator's hours given",
    },
}


def _pseudonym(rng: np.random.Generator, taken: set[str]) -> str:
    """A new synthetic pseudonym, `S-` and six characters, not yet given."""
    while True:
        code = "S-" + "".join(_ALPHABET[i] for i in rng.integers(0, len(_ALPHABET), 6))
        if code[3:] not in taken:  # unique in its last five: see `app_pseudonym`
            taken.add(code[3:])
            return code


def app_pseudonym(code: str) -> str:
    """A synthetic pseudonym as the app's records hold one: `H-0` and its last five.

    The app draws pseudonyms without 0 (`store.entities.PSEUDONYM_ALPHABET`), so no
    real resident's pseudonym starts `H-0`.
    """
    return "H-0" + code[3:]


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    keys = list(weights)
    p = np.array([weights[k] for k in keys])
    return keys[int(rng.choice(len(keys), p=p / p.sum()))]


def draw(
    scenario: Scenario,
    *,
    seed: int,
    years: int = 2,
    outside_share: float = 0.0,
    conflict_kinds: dict[str, int] | None = None,
) -> SyntheticHabitat:
    """Draw a synthetic habitat from the habitat's scenario, and run the model on it.

    Args:
        scenario: the habitat's scenario (explicit members, from the pseudonymised extract).
        seed: the seed of every draw (people, run, names, calendar details).
        years: years the model runs from `START` (1 to 3).
        outside_share: share of activities held outside (the habitat's, an aggregate).
        conflict_kinds: the habitat's count of tensions between residents and over
            common spaces (aggregate), to share the model's conflicts between the two.

    Returns:
        The synthetic habitat; the same arguments give the same habitat.

    Raises:
        ValueError: years out of `YEARS`, a negative seed, or a scenario without residents.
    """
    from habitat import __version__
    from habitat.sim.model import HabitatModel

    if years not in YEARS or isinstance(years, bool):
        raise ValueError(f"years: {years!r} is not from {YEARS[0]} to {YEARS[-1]}")
    if seed < 0:
        raise ValueError(f"seed: {seed!r} is below 0")
    people_rng, model_seed, names_rng, tension_rng, activity_rng = _streams(seed)
    members = draw_members(scenario, people_rng)
    end = date(START.year + years, START.month, START.day) - timedelta(days=1)
    days = (end - START).days + 1
    data = scenario.model_dump(mode="json", exclude_none=True)
    data.update(
        name="Habitat synthétique",
        description="Habitat synthétique : personnes tirées du modèle, personne de réel.",
        days=days,
        residents={"members": members},
        shocks=[],
    )
    synthetic = scenario_from_data(data, source="synthetic")
    model = HabitatModel(synthetic, replications=1, seed=model_seed, record_events=True)
    given_today: dict[str, float] = {}
    work = model.animator.work

    def record_work(demands: dict[str, np.ndarray]) -> tuple[dict[str, np.ndarray], np.ndarray]:
        given, available = work(demands)
        given_today.clear()
        given_today.update({task: float(v[0]) for task, v in given.items()})
        return given, available

    model.animator.work = record_work  # type: ignore[method-assign]

    slot_of = {agent.name: agent.slot for agent in model.residents}
    taken: set[str] = set()
    people: list[_Person] = []
    occupant: dict[int, _Person] = {}
    residents = model.state.residents

    def arrive(slot: int, day: int) -> None:
        number = len(people)
        sex = "male" if residents.male[slot, 0] else "female"
        names = FIRST_NAMES[sex]
        person = _Person(
            number=number + 1,
            slot=slot,
            pseudonym=_pseudonym(names_rng, taken),
            first_name=names[int(names_rng.integers(0, len(names)))],
            sex=sex,
            age_on_entry=int((day - residents.born_on[slot, 0]) // DAYS_PER_YEAR),
            public=str(PUBLICS[residents.public[slot, 0]]),
            gir_on_entry=int(residents.gir[slot, 0]),
            gir_last=int(residents.gir[slot, 0]),
            entered_by_default=bool(residents.entered_by_default[slot, 0]),
            own_providers=bool(residents.own_providers[slot, 0]),
            family_hours_per_week=round(float(model.state.families.hours_per_week[slot, 0]), 1),
            entry_day=day,
        )
        people.append(person)
        occupant[slot] = person

    for first in np.flatnonzero(residents.occupied[:, 0]):
        arrive(int(first), 0)

    def on(day: int) -> str:
        return (START + timedelta(days=day - 1 if day else 0)).isoformat()

    events: list[dict[str, Any]] = []
    tensions: list[_Tension] = []
    open_conflicts: list[_Tension] = []
    open_disputes: dict[str, _Tension] = {}
    conflict_weights = _conflict_weights(conflict_kinds)
    activities: list[dict[str, Any]] = []
    attendance: list[dict[str, Any]] = []
    weeks: list[dict[str, Any]] = []
    animator_time: list[dict[str, Any]] = []
    family_hours: list[dict[str, Any]] = []
    week: dict[str, Any] = {}
    week_by_function: defaultdict[str, float] = defaultdict(float)
    week_family: defaultdict[str, float] = defaultdict(float)
    week_participants: set[str] = set()
    seen = 0

    def new_tension(kind: str, day: int, who: list[str], drawn_close: bool) -> _Tension:
        tension = _Tension(len(tensions) + 1, kind, _pick(tension_rng, SEVERITY_WEIGHTS), day, who)
        if drawn_close:
            tension.closed = day + int(tension_rng.geometric(1.0 / DRAWN_OPEN_DAYS))
        tensions.append(tension)
        return tension

    def at_home() -> list[_Person]:
        home = residents.occupied[:, 0] & (residents.hospital_days_left[:, 0] == 0)
        return [occupant[int(s)] for s in np.flatnonzero(home) if int(s) in occupant]

    for day in range(1, days + 1):
        before_home = at_home()
        model.step()
        ledger = model.today
        # Conflicts settled today were open before today's new ones.
        for _ in range(min(int(ledger.conflicts_resolved[0]), len(open_conflicts))):
            settled = open_conflicts.pop(int(tension_rng.integers(0, len(open_conflicts))))
            settled.closed = day
        for event in model.log.events[seen:]:
            if event.day > days:
                continue  # back at work the day after the run: not in it
            seen_who = _who(event.who, slot_of, occupant)
            if event.kind == "entry":
                arrive(slot_of[event.who], day)
                seen_who = occupant[slot_of[event.who]].pseudonym
            events.append(
                {"date": on(event.day), "kind": event.kind, "who": seen_who, "what": event.what}
            )
            if event.kind in _EXIT_REASONS:
                person = occupant.pop(slot_of[event.who])
                person.exit_day, person.exit_reason = day, _EXIT_REASONS[event.kind]
                dispute = open_disputes.pop(person.pseudonym, None)
                if dispute is not None:
                    dispute.closed = day
            elif event.kind == "conflict":
                kind = _pick(tension_rng, conflict_weights)
                involved: list[str] = []
                if kind == "between_residents" and len(before_home) >= 2:
                    chosen = tension_rng.choice(len(before_home), size=2, replace=False)
                    involved = sorted(before_home[int(i)].pseudonym for i in chosen)
                open_conflicts.append(new_tension(kind, day, involved, False))
            elif event.kind == "dispute" and seen_who not in open_disputes:
                open_disputes[seen_who] = new_tension("autonomy_safety", day, [seen_who], False)
            elif event.kind == "agreement" and seen_who in open_disputes:
                open_disputes.pop(seen_who).closed = day
            elif event.kind == "return_rupture":
                new_tension("care_path_rupture", day, [seen_who], True)
            elif event.kind == "coordination_failure":
                who = [seen_who] if seen_who.startswith("S-") else []
                new_tension("own_vs_habitat_providers", day, who, True)
            elif event.kind == "family_withdrawal":
                new_tension("family", day, [seen_who], True)
        seen = len(model.log.events)
        for slot, person in occupant.items():
            person.gir_last = int(residents.gir[slot, 0])

        held = int(ledger.activities_held[0]) if ledger.activities_held is not None else 0
        living = sorted(occupant.items())
        present = {p.pseudonym for s, p in living if ledger.participated[s, 0]}
        for rank in range(held):
            number = len(activities) + 1
            category = _pick(activity_rng, CATEGORY_WEIGHTS)
            place = "outside" if activity_rng.random() < outside_share else "in_habitat"
            starts = datetime.fromisoformat(f"{on(day)}T{ACTIVITY_TIMES[rank % 5]}")
            activities.append(
                {
                    "number": number,
                    "title": f"Activité synthétique {number:04d}",
                    "category": category,
                    "place": place,
                    "starts_at": starts.isoformat(timespec="minutes"),
                    "ends_at": (starts + timedelta(hours=ACTIVITY_HOURS)).isoformat(
                        timespec="minutes"
                    ),
                    "present": len(present),
                    "invited": len(living),
                }
            )
            for slot, person in living:
                status = (
                    "present"
                    if person.pseudonym in present
                    else ("excused" if residents.hospital_days_left[slot, 0] else "absent")
                )
                attendance.append(
                    {"activity": number, "pseudonym": person.pseudonym, "status": status}
                )
        week_participants |= present if held else set()
        for task, hours in given_today.items():
            week_by_function[str(ANIMATOR_TASKS[task])] += hours
        for slot, person in living:
            week_family[person.pseudonym] += float(ledger.family_individual[slot, 0])
        week["activities_held"] = week.get("activities_held", 0) + held
        week["conflicts_new"] = week.get("conflicts_new", 0) + int(ledger.conflicts_new[0])
        week["families_collective_hours"] = week.get("families_collective_hours", 0.0) + float(
            ledger.family_collective[0]
        )
        if day % 7 == 0 or day == days:
            start = on(day - (day - 1) % 7)
            for function in (
                SupportFunction.PREMISES,
                SupportFunction.COLLECTIVE_ORGANISATION,
                SupportFunction.COLLECTIVE_PRESENCE,
            ):
                animator_time.append(
                    {
                        "week_start": start,
                        "function": str(function),
                        "hours": round(week_by_function[str(function)], 2),
                    }
                )
            for pseudonym, hours in sorted(week_family.items()):
                if hours > 0:
                    family_hours.append(
                        {"week_start": start, "pseudonym": pseudonym, "hours": round(hours, 2)}
                    )
            weeks.append(
                {
                    "week_start": start,
                    "residents": len(occupant),
                    "activities_held": week["activities_held"],
                    "participants": len(week_participants),
                    "conflicts_new": week["conflicts_new"],
                    "families_collective_hours": round(week["families_collective_hours"], 2),
                    "animator_hours": round(sum(week_by_function.values()), 2),
                }
            )
            week, week_participants = {}, set()
            week_by_function.clear()
            week_family.clear()

    tables = {
        "residents": [_resident_row(p, on) for p in people],
        "events": events,
        "tensions": [_tension_row(t, on, days) for t in tensions],
        "activities": activities,
        "attendance": attendance,
        "animator_time": animator_time,
        "family_hours": family_hours,
        "weeks": weeks,
    }
    habitat = SyntheticHabitat(
        seed,
        years,
        START,
        end,
        tables,
        dwellings=synthetic.habitat.dwellings,
        animator_hours_per_week=synthetic.animator.hours_per_week,
        avp_amount_per_resident=synthetic.habitat.avp_per_resident_eur,
    )
    habitat.manifest = _manifest(habitat, scenario, members, __version__, outside_share)
    return habitat


def _streams(
    seed: int,
) -> tuple[np.random.Generator, int, np.random.Generator, np.random.Generator, np.random.Generator]:
    """Independent generators for the people, the model, names, tensions, activities."""
    people, model, names, tension, activity = np.random.SeedSequence(seed).spawn(5)
    return (
        np.random.default_rng(people),
        int(model.generate_state(1, np.uint64)[0] % (2**63)),
        np.random.default_rng(names),
        np.random.default_rng(tension),
        np.random.default_rng(activity),
    )


def _conflict_weights(kinds: dict[str, int] | None) -> dict[str, float]:
    """Between residents or over common spaces: the habitat's mix, half a tension added."""
    kinds = kinds or {}
    return {k: kinds.get(k, 0) + PSEUDO_COUNT for k in ("between_residents", "common_spaces")}


def _who(name: str, slot_of: dict[str, int], occupant: dict[int, _Person]) -> str:
    """A log's actor as a synthetic pseudonym, a provider code, `animator` or empty."""
    for prefix in ("family of ", "own provider of ", ""):
        if name.startswith(prefix) and name[len(prefix) :] in slot_of:
            person = occupant.get(slot_of[name[len(prefix) :]])
            return person.pseudonym if person else ""
    if name == "animator":
        return "animator"
    if "habitat provider" in name:
        return name.split(" ", 1)[0]
    return ""


def _resident_row(p: _Person, on) -> dict[str, Any]:
    return {
        "pseudonym": p.pseudonym,
        "first_name": p.first_name,
        "sex": p.sex,
        "age_on_entry": p.age_on_entry,
        "public": p.public,
        "gir_on_entry": p.gir_on_entry,
        "gir_last": p.gir_last,
        "entered_by_default": str(p.entered_by_default).lower(),
        "own_providers": str(p.own_providers).lower(),
        "family_hours_per_week": p.family_hours_per_week,
        "dwelling": f"D{p.slot + 1:02d}",
        "entry_date": on(p.entry_day),
        "exit_date": on(p.exit_day) if p.exit_day is not None else "",
        "exit_reason": p.exit_reason or "",
    }


def _tension_row(t: _Tension, on, days: int) -> dict[str, Any]:
    closed = t.closed if t.closed is not None and t.closed <= days else None
    return {
        "number": t.number,
        "kind": t.kind,
        "severity": t.severity,
        "occurred_on": on(t.opened),
        "resolved_on": on(closed) if closed is not None else "",
        "status": "closed" if closed is not None else "open",
        "residents": " ".join(t.residents),
        "description": f"Tension synthétique {t.number:04d}",
    }


def _manifest(
    habitat: SyntheticHabitat,
    scenario: Scenario,
    members: list[dict[str, Any]],
    version: str,
    outside_share: float,
) -> dict[str, Any]:
    tables = habitat.tables
    residents = tables["residents"]
    weeks = max(len(tables["weeks"]), 1)
    by_function: defaultdict[str, float] = defaultdict(float)
    for row in tables["animator_time"]:
        by_function[row["function"]] += row["hours"]
    invited = sum(a["invited"] for a in tables["activities"])
    return {
        "format": FORMAT,
        "model_version": version,
        "seed": habitat.seed,
        "years": habitat.years,
        "calendar": {
            "start": habitat.start.isoformat(),
            "end": habitat.end.isoformat(),
            "note": "fictitious: the synthetic habitat opens on the start day",
        },
        "synthetic": [
            "every person, name, pseudonym, age, sex, date, tension, activity and hour",
            "first residents: publics and GIR drawn from smoothed distributions, not copied",
            "later residents, events and hours: drawn by the model over the run",
        ],
        "taken_from_the_real_habitat": {
            "note": (
                "Only aggregates of the pseudonymised extract: the number of dwellings and of "
                "residents, the count of residents by public and by public and GIR, the shares "
                "entering by default, keeping their own providers and having a family, the "
                "families' usual hours (resampled with noise), the providers' kinds, the "
                "animator's planned hours, the AVP amount, activities a week, the share held "
                "outside, the count of tensions between residents and over common spaces; no "
                "name, pseudonym, birth year, date or text of the records"
            ),
            "dwellings": scenario.habitat.dwellings,
            "residents": len(scenario.residents.members or []),
            "animator_hours_per_week": scenario.animator.hours_per_week,
            "activities_per_week": scenario.policies.activities_per_week,
            "outside_share": round(outside_share, 3),
        },
        "drawing": {
            "public_pseudo_count": PSEUDO_COUNT,
            "gir_jitter": GIR_JITTER,
            "family_hours_noise_log_sd": FAMILY_HOURS_NOISE,
            "severity_weights": SEVERITY_WEIGHTS,
            "category_weights": CATEGORY_WEIGHTS,
            "drawn_open_days_mean": DRAWN_OPEN_DAYS,
        },
        "figures": {
            "first_residents": len(members),
            "publics_of_first_residents": dict(
                sorted(Counter(str(m["public"]) for m in members).items())
            ),
            "people": len(residents),
            "entries": len(residents) - len(members),
            "exits": dict(
                sorted(Counter(r["exit_reason"] for r in residents if r["exit_reason"]).items())
            ),
            "residents_at_end": sum(1 for r in residents if not r["exit_date"]),
            "tensions": dict(sorted(Counter(t["kind"] for t in tables["tensions"]).items())),
            "activities_per_week": round(len(tables["activities"]) / weeks, 2),
            "participation_rate": round(
                sum(a["present"] for a in tables["activities"]) / invited, 3
            )
            if invited
            else None,
            "animator_hours_per_week_by_function": {
                k: round(v / weeks, 2) for k, v in sorted(by_function.items())
            },
        },
        "files": {f"{stem}.csv": columns for stem, columns in _COLUMNS.items()},
    }


def _readme(habitat: SyntheticHabitat) -> str:
    m = habitat.manifest
    lines = [
        "# A synthetic habitat (habitat inclusif)",
        "",
        "Nobody in these files is real. The people were drawn from the habitat model "
        f"(habitat {m['model_version']}, seed {habitat.seed}) and the model ran "
        f"{habitat.years} year(s) on a fictitious calendar from {habitat.start.isoformat()} "
        f"to {habitat.end.isoformat()}.",
        "",
        "## What was taken from the real habitat",
        "",
        m["taken_from_the_real_habitat"]["note"] + ".",
        "",
        "Each synthetic resident's public is drawn from smoothed shares of the habitat's "
        f"publics (the counts, {PSEUDO_COUNT} person added to each public present), "
        "their GIR resampled among that public's and moved one level with probability "
        f"{GIR_JITTER}; ages and sexes are drawn by the model's rules; first names are "
        "invented and pseudonyms start with `S-` (a real one starts with `H-`). A small "
        "habitat's aggregates are few people: the synthetic one resembles it in shape, "
        "it does not describe any of its residents.",
        "",
        "## What is drawn rather than modelled",
        "",
        "Tension severities, activity categories and titles, and the closing day of the "
        "tensions the model does not follow after the day they happen (care-path "
        "ruptures, providers' clashes, families stepping back: geometric, mean "
        f"{DRAWN_OPEN_DAYS:g} days). A resident who took part in collective life on a day "
        "is marked present at each activity held that day.",
        "",
        "## Files",
        "",
    ]
    for stem, columns in _COLUMNS.items():
        lines.append(f"- `{stem}.csv`: " + "; ".join(f"`{k}` {v}" for k, v in columns.items()))
    lines += [
        "",
        "`manifest.json` holds the seed, the version and the run's figures.",
        "",
        "## The same habitat in the app (when asked: `habitat twin synthetic --database`)",
        "",
        "`habitat.db` holds these residents, tensions, activities, attendance and the "
        "animator's time in the management tool's schema, on the same calendar; "
        "pseudonyms there read `H-0` and the last five characters of the `S-` ones. "
        "Open it as of the calendar's last day, after giving an account a password:",
        "",
        "```",
        "habitat users password animateur --db habitat.db",
        f"HABITAT_TODAY={habitat.end.isoformat()} habitat serve --db habitat.db",
        "```",
        "",
        "Accounts: `animateur` (the animator) and `organisme` (the host organisation).",
        "",
    ]
    return "\n".join(lines)

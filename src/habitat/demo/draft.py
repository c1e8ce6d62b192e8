"""A demo build in progress: its one RNG, what it has drawn so far, the draws it makes."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

import sqlite_utils

from habitat.demo.material import PLANNED_AHEAD_DAYS, TOWNS
from habitat.demo.people import FIRST_NAMES, SURNAMES, Generation, Kin, Person
from habitat.domain import MONTHS_FR
from habitat.store.entities import new_pseudonym
from habitat.store.record import Record
from habitat.store.repository import add

# --- Small helpers ------------------------------------------------------------------


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def day_span(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def at(day: date, hour: time) -> datetime:
    """The moment `hour` on `day`."""
    return datetime.combine(day, hour)


def nearest(days: Sequence[date], target: date) -> date:
    """The day of `days` closest to `target` (the earlier on a tie)."""
    return min((abs((day - target).days), day) for day in days)[1]


def council_days(start: date, end: date) -> list[date]:
    """The council meets on the second Tuesday of each month but August; the last is ahead."""
    days: list[date] = []
    month = date(start.year, start.month, 1)
    while not days or days[-1] <= end:
        held = month + timedelta(days=(1 - month.weekday()) % 7 + 7)
        if held in public_holidays(held.year):  # 14 July falls on a Tuesday now and then
            held += timedelta(days=1)
        if month.month != 8 and held >= start:
            days.append(held)
        month = (month + timedelta(days=32)).replace(day=1)
    return days


def french_date(day: date) -> str:
    """A date as written in French: "14 juillet 2026"."""
    return f"{day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    return date(year, month, (h + l_ - 7 * m + 114) % 31 + 1)


def public_holidays(year: int) -> set[date]:
    """France's public holidays of `year`."""
    easter = easter_sunday(year)
    fixed = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
    moving = (easter + timedelta(days=1), easter + timedelta(days=39), easter + timedelta(days=50))
    return {date(year, m, d) for m, d in fixed} | set(moving)


def plain_ascii(text: str) -> str:
    """Lower-case letters and digits only, accents dropped (for usernames and e-mails)."""
    flat = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in flat.lower() if ch.isalnum())


def luhn_digit(digits: str) -> str:
    """The Luhn check digit of `digits`, as a FINESS number ends with."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 == 0 else 1)
        total += value - 9 if value > 9 else value
    return str((10 - total % 10) % 10)


def overlaps(busy: Sequence[tuple[datetime, datetime]], start: datetime, end: datetime) -> bool:
    """Whether `start`-`end` overlaps any of the `busy` periods."""
    return any(start < other_end and other_start < end for other_start, other_end in busy)


# --- The build in progress ---------------------------------------------------------


class Draft:
    """What every section of the demo shares: one RNG, the dates, what is drawn so far.

    The database, the people and places drawn and stored, and the small draws all
    sections make (names, pseudonyms, phone numbers, hours).
    """

    def __init__(
        self,
        db: sqlite_utils.Database,
        rng: random.Random,
        end: date,
        years: int,
        scale: float,
        actor: str,
    ):
        self.db = db
        self.rng = rng
        self.end = end
        self.start = years_before(end, years) + timedelta(days=1)
        self.horizon = end + timedelta(days=PLANNED_AHEAD_DAYS)
        self.years = years
        self.scale = scale
        self.actor = actor
        self.town = rng.choice(TOWNS)
        self.habitat_id = 0
        self.spaces: dict[str, int] = {}
        self.providers: dict[str, tuple[int, str]] = {}
        self.residents: list[Person] = []
        self.accounts: dict[str, int] = {}
        self.pseudonyms: set[str] = set()
        self.names_used: set[tuple[str, str]] = set()
        self.first_names: set[str] = set()
        self.animator = self._name(female=True, generation=Generation.MIDDLE)
        self.host_director = self._name(female=False, generation=Generation.MIDDLE)
        self.aides = [
            self._name(female=rng.random() < 0.8, generation=Generation.MIDDLE) for _ in range(4)
        ]
        self.nurse = self._name(female=True, generation=Generation.YOUNG)
        self.volunteers = [
            self._name(rng.random() < 0.6, Generation.YOUNG) for _ in range(years + 1)
        ]
        self.neighbours = [self._name(rng.random() < 0.6, Generation.OLD) for _ in range(3)]
        self.family_author: tuple[Kin, Person] | None = None
        self.working_days: set[date] = set()
        self.space_busy: dict[tuple[int, date], list[tuple[datetime, datetime]]] = {}
        self.council_days = council_days(self.start, end)
        # The council adopted the second version of the project three fifths of the way in.
        middle = self.start + (end - self.start) * 3 / 5
        self.second_project = nearest(self.council_days[2:-1] or self.council_days, middle)

    # Drawing ------------------------------------------------------------------------

    def _put(self, record: Record) -> int:
        return add(self.db, self.actor, record).id or 0

    def _name(self, female: bool, generation: Generation) -> tuple[str, str]:
        while True:
            first = self.rng.choice(FIRST_NAMES[generation, female])
            name = (first, self.rng.choice(SURNAMES))
            if name not in self.names_used:
                self.names_used.add(name)
                return name

    def _pseudonym(self) -> str:
        while True:
            pseudonym = new_pseudonym(self.rng.choice)
            if pseudonym not in self.pseudonyms:
                self.pseudonyms.add(pseudonym)
                return pseudonym

    def _phone(self, mobile: bool) -> str:
        # ARCEP numbers reserved for fiction: never anybody's real line.
        prefix = "06 39 98" if mobile else "05 36 49"
        return f"{prefix} {self.rng.randint(0, 99):02d} {self.rng.randint(0, 99):02d}"

    def _finess(self) -> str:
        body = self.town.department + "".join(str(self.rng.randint(0, 9)) for _ in range(6))
        return body + luhn_digit(body)

    def _round(self, mean: float) -> int:
        whole = int(mean)
        return whole + (self.rng.random() < mean - whole)

    def _hour(self, first: int = 8, last: int = 20) -> str:
        return (
            f"{self.rng.randint(first, last)} h {self.rng.choice(('', '15', '30', '45'))}".strip()
        )

    def _present(self, day: date) -> list[Person]:
        return [person for person in self.residents if person.present(day)]

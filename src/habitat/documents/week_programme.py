"""The week's programme for the noticeboard: activities, bookings and presence, day by day.

Pure: a `WeekProgramme` in, one HTML page in large type out (read standing, by
elderly people). It names people by first name only, and only when the habitat
allows it (`Habitat.noticeboard_first_names`): otherwise it names nobody. A first
name is taken here from whatever is given (`first_name`), so a full name handed
over by mistake still prints its first word only, never a surname.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from habitat.documents.render import clean, esc, page
from habitat.domain import MONTHS_FR, WEEKDAYS_FR
from habitat.store.entities import PresenceRole
from habitat.store.labels import LABELS

#: What a day with no activity and no booking prints.
NOTHING = "Rien de prévu"
#: Roles whose people are staff or volunteers of the house: their first name may be
#: posted. A family member on the rota is named by role only (a relative of a resident).
STAFF_ROLES = frozenset(PresenceRole) - {PresenceRole.FAMILY}
#: Words that open a name but are not a first name: titles and collective names.
_NOT_FIRST_NAMES = frozenset(
    {"m", "m.", "mme", "mme.", "mlle", "mr", "dr", "dr.", "pr", "me", "équipe", "veille"}
)
#: A bracketed note after a name ("(SAAD)", "(mère de Quentin)"): never printed.
_BRACKETED = re.compile(r"\([^)]*\)?|\[[^\]]*\]?")

#: Large type for a noticeboard: ~17 pt body, day headings twice that size.
CSS = """
@page { size: A4 portrait; margin: 12mm 12mm 14mm;
        @bottom-right { font-size: 11pt; } }
body { font-size: 17pt; line-height: 1.3; max-width: none; }
h1 { font-size: 26pt; margin: 0 0 3mm; }
p.meta { font-size: 14pt; }
h2.day { font-size: 24pt; margin: 7mm 0 2mm; padding: 1mm 0; border-bottom: 3px solid #2e6b4f;
         text-transform: none; }
h3 { font-size: 16pt; margin: 2mm 0 1mm; color: #2e6b4f; }
section.day { page-break-inside: avoid; }
/* Fixed layout: the columns' widths are given, not measured from every word (fast). */
table { font-size: 17pt; table-layout: fixed; }
td { padding: 1.5mm 2mm; border-bottom: 1px solid #ccc; overflow-wrap: anywhere; }
td.time { width: 60mm; font-weight: bold; overflow-wrap: normal; }
td.where { width: 50mm; }
.nothing { font-size: 17pt; color: #555; font-style: italic; margin: 1mm 0; }
.cancelled { text-decoration: line-through; color: #777; }
.cancelled-note { font-weight: bold; color: #b00; text-decoration: none; }
footer { font-size: 12pt; }
"""


@dataclass(frozen=True)
class ProgrammeActivity:
    """An activity as the noticeboard shows it."""

    starts_at: datetime
    ends_at: datetime
    title: str
    where: str | None = None
    cancelled: bool = False


@dataclass(frozen=True)
class ProgrammeBooking:
    """A booking of a common space: its purpose and booker only if the reader may know them.

    Attributes:
        purpose: None when the reader may not know why (printed "réservé").
        first_name: who booked (a resident's first name), None for nobody.
    """

    starts_at: datetime
    ends_at: datetime
    space: str
    purpose: str | None = None
    first_name: str | None = None


@dataclass(frozen=True)
class ProgrammePresence:
    """A slot of the presence rota: who (a role, perhaps a first name) is on site when."""

    starts_at: datetime
    ends_at: datetime
    role: PresenceRole
    person: str | None = None


@dataclass(frozen=True)
class WeekProgramme:
    """Everything the week's programme shows.

    Attributes:
        habitat_name: for the heading.
        monday: the week's Monday.
        first_names: whether people's first names may be printed (the habitat's setting).
        printed_on: the date printed at the foot of the page.
    """

    habitat_name: str
    monday: date
    first_names: bool = False
    activities: Sequence[ProgrammeActivity] = field(default_factory=list)
    bookings: Sequence[ProgrammeBooking] = field(default_factory=list)
    presence: Sequence[ProgrammePresence] = field(default_factory=list)
    printed_on: date | None = None


def long_day(day: date, *, year: bool = False) -> str:
    """`lundi 7 décembre` (with the year when asked)."""
    text = f"{WEEKDAYS_FR[day.weekday()]} {day.day} {MONTHS_FR[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def week_title(monday: date) -> str:
    """`Semaine du lundi 7 au dimanche 13 décembre 2026` (months and years as needed)."""
    sunday = monday + timedelta(days=6)
    if monday.year != sunday.year:
        first = long_day(monday, year=True)
    elif monday.month != sunday.month:
        first = long_day(monday)
    else:
        first = f"{WEEKDAYS_FR[0]} {monday.day}"
    return f"Semaine du {first} au {long_day(sunday, year=True)}"


def hour(moment: datetime) -> str:
    """`14h`, `14h30`: the way a time is written on a French noticeboard."""
    return f"{moment.hour}h" if moment.minute == 0 else f"{moment.hour}h{moment.minute:02d}"


def _hours(starts: datetime, ends: datetime) -> str:
    later = " (lendemain)" if ends.date() > starts.date() else ""
    # No-break spaces: "21h – 23h30" stays on one line, "(lendemain)" may go below.
    return f"{hour(starts)}\u00a0–\u00a0{hour(ends)}{later}"


def first_name(text: str | None, *, role: PresenceRole | None = None) -> str | None:
    """The first name in a person's name as typed, or None when there is none to print.

    The first word of the name, bracketed notes removed; a title ("Mme", "Dr") or a
    word of the role's label ("Veille de nuit mutualisée") is no first name.
    """
    words = _BRACKETED.sub(" ", clean(text)).split()
    if not words:
        return None
    word = words[0].strip(",;:")
    refused = set(_NOT_FIRST_NAMES)
    if role is not None:
        refused |= set(LABELS[PresenceRole][role.value].lower().split())
    if not word or word.lower() in refused or not word[0].isalpha():
        return None
    return word


def _by_day(items: Iterable, monday: date) -> dict[date, list]:
    days: dict[date, list] = {monday + timedelta(days=i): [] for i in range(7)}
    for item in items:
        day = item.starts_at.date()
        if day in days:
            days[day].append(item)
    for rows in days.values():
        rows.sort(key=lambda item: (item.starts_at, item.ends_at))
    return days


def _row(when: str, what: str, where: str | None = None) -> str:
    """A line of a day: when, what, and where (None: what takes the whole width)."""
    if where is None:
        return f'<tr><td class="time">{when}</td><td colspan="2">{what}</td></tr>'
    return f'<tr><td class="time">{when}</td><td>{what}</td><td class="where">{where}</td></tr>'


def _activity(a: ProgrammeActivity) -> str:
    what = esc(a.title)
    if a.cancelled:
        what = f'<span class="cancelled">{what}</span> <span class="cancelled-note">ANNULÉ</span>'
    return _row(esc(_hours(a.starts_at, a.ends_at)), what, esc(a.where or ""))


def _booking(b: ProgrammeBooking, names: bool) -> str:
    what = esc(b.purpose) if b.purpose else "Réservé"
    name = first_name(b.first_name) if names else None
    if name:
        what += f" ({esc(name)})"
    return _row(esc(_hours(b.starts_at, b.ends_at)), what, esc(b.space))


def _presence(p: ProgrammePresence, names: bool) -> str:
    role = LABELS[PresenceRole][p.role.value]
    who = esc(role[:1].upper() + role[1:])
    name = first_name(p.person, role=p.role) if names and p.role in STAFF_ROLES else None
    if name:
        who += f" : {esc(name)}"
    return _row(esc(_hours(p.starts_at, p.ends_at)), who)


def week_programme_html(programme: WeekProgramme) -> str:
    """The week's programme as a large-type page for the noticeboard.

    Args:
        programme: the week's activities, bookings and presence (see `WeekProgramme`).

    Returns:
        A self-contained HTML page (see `render.page`).
    """
    monday = programme.monday
    names = programme.first_names
    activities = _by_day(programme.activities, monday)
    bookings = _by_day(programme.bookings, monday)
    presence = _by_day(programme.presence, monday)
    title = week_title(monday)
    parts = [
        f"<h1>Programme de la semaine — {esc(programme.habitat_name)}</h1>",
        f'<p class="meta">{esc(title)}</p>',
    ]
    for day in activities:
        heading = long_day(day)
        parts.append(
            f'<section class="day"><h2 class="day">{esc(heading[:1].upper() + heading[1:])}</h2>'
        )
        if not activities[day] and not bookings[day]:
            parts.append(f'<p class="nothing">{NOTHING}</p>')
        if activities[day]:
            parts.append("<h3>Activités</h3><table>")
            parts += [_activity(a) for a in activities[day]]
            parts.append("</table>")
        if bookings[day]:
            parts.append("<h3>Espaces réservés</h3><table>")
            parts += [_booking(b, names) for b in bookings[day]]
            parts.append("</table>")
        if presence[day]:
            parts.append("<h3>Présence dans la maison</h3><table>")
            parts += [_presence(p, names) for p in presence[day]]
            parts.append("</table>")
        parts.append("</section>")
    if programme.printed_on is not None:
        parts.append(f"<footer>Imprimé le {programme.printed_on:%d/%m/%Y}.</footer>")
    return page(f"Programme — {title}", "\n".join(parts), css=CSS)

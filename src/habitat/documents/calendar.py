"""A habitat's calendar as an iCalendar file (.ics) a phone or a mail client subscribes to.

Pure: the service gathers the events a role may see (`CalendarEvent`), this module
writes them with the `icalendar` library, which escapes every text (a typed line
break or a "BEGIN:VEVENT" stays inside its property). Times are the habitat's local
times, written with the Europe/Paris time zone and its VTIMEZONE. Each event's UID
is derived from its record (kind, id, habitat), so importing a newer file updates
the events already in the phone's calendar instead of adding them twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone

from habitat.documents.render import clean, filename_part

#: Where every habitat is: French local time, summer time included.
TZID = "Europe/Paris"
PARIS = ZoneInfo(TZID)
#: Who wrote the file (RFC 5545's PRODID: owner, product, language).
PRODID = "-//habitat//Calendrier de l'habitat inclusif//FR"
#: A title longer than this is cut (a phone shows one line of it).
SUMMARY_MAX = 200
#: A description longer than this is cut (a calendar is no place for a file).
DESCRIPTION_MAX = 2_000
#: The VTIMEZONE covers the events' dates with this margin (a phone may show a year).
ZONE_MARGIN = timedelta(days=366)


@dataclass(frozen=True)
class CalendarEvent:
    """One event of a calendar, in the habitat's local time.

    Attributes:
        kind: what record it comes from (`activity`, `booking`, `presence-shift`...).
        key: what identifies it within its kind (a record's id, or id and day).
        summary: its title.
        starts_at: its start, local time without a zone.
        ends_at: its end, local time without a zone.
        location: where (a common space, an address), or None.
        description: a few lines about it (never notes about a person), or None.
        categories: its kinds, in French.
        cancelled: called off: kept, said cancelled (a phone greys it or hides it).
        sequence: the record's version: a phone keeps the newest of two copies.
    """

    kind: str
    key: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str | None = None
    description: str | None = None
    categories: tuple[str, ...] = ()
    cancelled: bool = False
    sequence: int = 0


def one_line(value: object, limit: int = SUMMARY_MAX) -> str:
    """Typed text as one clean line: control characters dropped, spaces collapsed, cut."""
    text = " ".join(clean(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def paragraph(value: object, limit: int = DESCRIPTION_MAX) -> str:
    """Typed text as clean lines: control characters dropped, blank lines removed, cut."""
    lines = [" ".join(line.split()) for line in clean(value).splitlines()]
    text = "\n".join(line for line in lines if line)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def habitat_slug(habitat_name: str | None) -> str:
    """The habitat's part of every UID: its name in lower-case letters, digits, dashes."""
    return filename_part(habitat_name or "habitat").lower()


def uid(kind: str, key: str, slug: str) -> str:
    """A stable UID: `activity-42@les-glycines.habitat` (the same in every file)."""
    return f"{filename_part(kind)}-{filename_part(key)}@{slug}.habitat"


def _local(moment: datetime) -> datetime:
    """A stored local time as a Europe/Paris time (an aware time is converted)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=PARIS)
    return moment.astimezone(PARIS)


def calendar_ics(
    name: str,
    habitat_name: str | None,
    events: Iterable[CalendarEvent],
    *,
    first: date,
    last: date,
    stamp: datetime | None = None,
) -> bytes:
    """Write a calendar: its name, the Paris time zone, one VEVENT per event.

    Args:
        name: the calendar's name, in French (X-WR-CALNAME, shown by the phone).
        habitat_name: the habitat's name (the UIDs' domain); None before set-up.
        events: the events, in any order (written by start).
        first: the window's first day (the VTIMEZONE covers it).
        last: the window's last day.
        stamp: when the file is produced (DTSTAMP); now, in UTC, by default.

    Returns:
        The .ics file's bytes (UTF-8, CRLF line ends, lines folded at 75 octets).
    """
    slug = habitat_slug(habitat_name)
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", one_line(name))
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(
        Timezone.from_tzid(TZID, first_date=first - ZONE_MARGIN, last_date=last + ZONE_MARGIN)
    )
    for event in sorted(events, key=lambda e: (e.starts_at, e.kind, e.key)):
        calendar.add_component(_vevent(event, slug, stamp))
    return calendar.to_ical()


def _vevent(event: CalendarEvent, slug: str, stamp: datetime) -> Event:
    vevent = Event()
    vevent.add("uid", uid(event.kind, event.key, slug))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", _local(event.starts_at))
    vevent.add("dtend", _local(event.ends_at))
    vevent.add("summary", one_line(event.summary) or "(sans titre)")
    if event.location and one_line(event.location):
        vevent.add("location", one_line(event.location))
    if event.description and paragraph(event.description):
        vevent.add("description", paragraph(event.description))
    categories = [one_line(c, 60) for c in event.categories if one_line(c, 60)]
    if categories:
        vevent.add("categories", categories)
    vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    vevent.add("sequence", max(0, event.sequence))
    vevent.add("transp", "TRANSPARENT" if event.cancelled else "OPAQUE")
    return vevent

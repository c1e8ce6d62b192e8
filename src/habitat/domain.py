"""The domain's shared vocabulary (DOMAIN.md §2, §3, §8), used by both halves."""

from __future__ import annotations

from enum import StrEnum


class Public(StrEnum):
    """The public a resident belongs to (DOMAIN.md §3)."""

    ELDERLY = "elderly"
    MOTOR = "motor"
    PSYCHIC = "psychic"
    INTELLECTUAL = "intellectual"
    AUTISM = "autism"
    SENSORY = "sensory"


PUBLICS: tuple[Public, ...] = tuple(Public)


class SupportFunction(StrEnum):
    """Piveteau/Wolfrom's four functions every habitat needs (DOMAIN.md §2)."""

    PREMISES = "premises"
    COLLECTIVE_ORGANISATION = "collective_organisation"
    COLLECTIVE_PRESENCE = "collective_presence"
    INDIVIDUAL_SUPPORT = "individual_support"


#: The publics a disability mix is drawn from: every public but the elderly.
DISABILITY_KINDS: tuple[str, ...] = tuple(p.value for p in Public if p is not Public.ELDERLY)


class ProviderKind(StrEnum):
    """Kinds of service provider (DOMAIN.md §3)."""

    HOME_HELP = "home_help"
    NURSING = "nursing"
    SAVS = "savs"
    SAMSAH = "samsah"
    HAD = "had"
    GP = "gp"
    OTHER = "other"


#: A habitat holds up to this many private dwellings: the law does not cap it, but
#: 5-10 is the norm (DOMAIN.md §6) and 30 keeps "habitat" from silently meaning
#: "institution". The records and the simulation share the limit.
DWELLINGS_MAX = 30
#: The AVP is at most 10,000 euros per resident per year (CNSA, DOMAIN.md §6).
AVP_MAX = 10_000.0
#: A family's usual help, in hours a week: at most two full-time jobs.
FAMILY_HOURS_MAX = 70.0

#: French month names, January first, as an animator reads them ("3 mars 2026").
MONTHS_FR: tuple[str, ...] = (
    *("janvier", "février", "mars", "avril", "mai", "juin"),
    *("juillet", "août", "septembre", "octobre", "novembre", "décembre"),
)
#: French weekday names, Monday first (`date.weekday()` indexes them).
WEEKDAYS_FR: tuple[str, ...] = (
    *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
)


class Role(StrEnum):
    """Who uses the management tool, and so what they may see (the store's accounts carry one)."""

    ANIMATOR = "animator"
    HOST = "host"
    PROVIDER = "provider"
    FAMILY = "family"
    RESIDENT = "resident"
    # A project promoter explores scenarios; no personal data of any habitat.
    PROMOTER = "promoter"


#: A calendar (.ics) starts this many days before today: the last weeks stay on the phone.
CALENDAR_DAYS_BACK = 28
#: A calendar covers this many days: four weeks back and about six months ahead.
CALENDAR_DAYS = CALENDAR_DAYS_BACK + 183
#: The longest window a calendar may cover: the rota is written day by day.
CALENDAR_DAYS_MAX = 731

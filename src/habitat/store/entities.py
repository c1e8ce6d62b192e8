"""What a habitat's records hold (DOMAIN.md §2, §3, §5, §7): one model per entity."""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from datetime import date, time
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, Field, NaiveDatetime, field_validator, model_validator

from habitat.domain import AVP_MAX, DWELLINGS_MAX, ProviderKind, Public, Role, SupportFunction
from habitat.store.record import Link, Record
from habitat.store.text import (
    ERASED,
    Email,
    Finess,
    LongText,
    Phone,
    ShortText,
    Username,
)

#: Earliest plausible birth year of a living resident.
BIRTH_YEAR_MIN = 1900

#: SQLite's largest integer: an id or count beyond it cannot be stored.
SQLITE_INT_MAX = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=SQLITE_INT_MAX)]
Hours = Annotated[float, Field(ge=0.0, le=168.0)]
ResidentIds = Annotated[list[Id], Field(max_length=DWELLINGS_MAX * 4)]


def _unique(ids: list[int]) -> list[int]:
    if len(set(ids)) != len(ids):
        raise ValueError("lists the same person twice")
    return sorted(ids)


def _ordered(first: Any, second: Any, what: str) -> None:
    if first is not None and second is not None and second < first:
        raise ValueError(what)


def _naive_time(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("must be a local time, without a time zone")
    return value


#: A time of day in the habitat's local time.
LocalTime = Annotated[time, AfterValidator(_naive_time)]


#: Letters and digits of a pseudonym: no 0/O or 1/I, which read alike.
PSEUDONYM_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_pseudonym(choice: Callable[[str], str] = secrets.choice) -> str:
    """A stable pseudonymous id for a resident: random, never derived from the name.

    Args:
        choice: picks one character (a seeded generator's `choice` for the demo).
    """
    return "H-" + "".join(choice(PSEUDONYM_ALPHABET) for _ in range(6))


# --- The habitat ---------------------------------------------------------------------


class Habitat(Record):
    """The habitat itself, its AVP agreement and the hours collective presence is expected."""

    table: ClassVar[str] = "habitat"
    label_fr: ClassVar[str] = "habitat"

    name: ShortText
    host_organisation: ShortText
    address: ShortText
    dwellings: int = Field(ge=1, le=DWELLINGS_MAX)
    avp_amount_per_resident: float = Field(default=0.0, ge=0.0, le=AVP_MAX)
    avp_tier: ShortText | None = None
    avp_start: date | None = None
    avp_end: date | None = None
    animator_hours_per_week: Hours = 0.0
    presence_from: LocalTime = time(8, 0)
    presence_to: LocalTime = time(21, 0)
    #: Whether residents' first names may appear on the noticeboard's week programme.
    noticeboard_first_names: bool = False
    #: What an hour of the animator costs the host (salary and charges), for the
    #: budget used in the yearly AVP report; None when not given.
    animator_hourly_cost: float | None = Field(default=None, ge=0.0, le=1_000.0)

    @model_validator(mode="after")
    def _dates(self) -> Habitat:
        _ordered(self.avp_start, self.avp_end, "avp_end: the AVP agreement ends before it starts")
        if self.presence_to <= self.presence_from:
            raise ValueError("presence_to: collective presence must end after it starts")
        return self


class CommonSpace(Record):
    """A shared room or place: kitchen, living room, garden, laundry."""

    table: ClassVar[str] = "common_space"
    label_fr: ClassVar[str] = "espace commun"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}

    habitat_id: Id
    name: ShortText
    capacity: int | None = Field(default=None, ge=1, le=200)


class Dwelling(Record):
    """A private dwelling of the habitat, by name ("Logement 1"): one resident at a time."""

    table: ClassVar[str] = "dwelling"
    label_fr: ClassVar[str] = "logement"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}

    habitat_id: Id
    name: ShortText


class SharedLifeProject(Record):
    """One adopted version of the shared-life project (PVSP)."""

    table: ClassVar[str] = "shared_life_project"
    label_fr: ClassVar[str] = "projet de vie sociale et partagée"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"adopted_by": None}

    habitat_id: Id
    number: int = Field(ge=1, le=10_000)
    text: LongText
    adopted_on: date
    adopted_by: ShortText


class HouseRule(Record):
    """A rule of the house (use of common spaces, visits, noise...)."""

    table: ClassVar[str] = "house_rule"
    label_fr: ClassVar[str] = "règle de vie"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"adopted_by": None}

    habitat_id: Id
    title: ShortText
    text: LongText
    adopted_on: date
    adopted_by: ShortText


# --- Residents and their families --------------------------------------------------


class EntryMode(StrEnum):
    """Whether the resident chose to come or entered for want of another option."""

    CHOSEN = "chosen"
    DEFAULT = "default"


class ExitReason(StrEnum):
    """Why a resident left."""

    DEATH = "death"
    INSTITUTION = "institution"
    HOSPITAL = "hospital"
    FAMILY = "family"
    OWN_HOME = "own_home"
    OTHER = "other"


class SupportLevel(StrEnum):
    """Support needs of a disabled resident (0/8/16/32/80 h a week, DOMAIN.md §6)."""

    NONE = "none"
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"
    VERY_HIGH = "very_high"


class Resident(Record):
    """A resident: identity, public, autonomy, entry and exit."""

    table: ClassVar[str] = "resident"
    label_fr: ClassVar[str] = "habitant"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    personal: ClassVar[dict[str, Any]] = {
        "first_name": ERASED,
        "last_name": ERASED,
        "birth_year": None,
        "dwelling": None,
        "emergency_contact": None,
    }

    habitat_id: Id
    pseudonym: str = Field(default_factory=new_pseudonym, pattern=r"^H-[A-Z0-9]{6}$")
    first_name: ShortText
    last_name: ShortText
    birth_year: int | None = Field(default=None, ge=BIRTH_YEAR_MIN)
    public: Public
    gir: int | None = Field(default=None, ge=1, le=6)
    support_level: SupportLevel | None = None
    dwelling: ShortText | None = None
    emergency_contact: ShortText | None = None
    entry_date: date
    entry_mode: EntryMode = EntryMode.CHOSEN
    exit_date: date | None = None
    exit_reason: ExitReason | None = None

    @field_validator("birth_year")
    @classmethod
    def _not_future(cls, year: int | None) -> int | None:
        if year is not None and year > date.today().year:
            raise ValueError("birth_year: is in the future")
        return year

    @model_validator(mode="after")
    def _consistent(self) -> Resident:
        if self.public is Public.ELDERLY and self.gir is None:
            raise ValueError("gir: an elderly resident needs a GIR (1 to 6)")
        if self.gir is None and self.support_level is None:
            raise ValueError("support_level: give a GIR or a support-needs level")
        _ordered(self.entry_date, self.exit_date, "exit_date: is before the entry date")
        if (self.exit_date is None) != (self.exit_reason is None):
            raise ValueError("exit_reason: an exit needs both a date and a reason")
        return self

    @property
    def full_name(self) -> str:
        """First and last name, as shown on screens."""
        return f"{self.first_name} {self.last_name}"


class LiaisonSheet(Record):
    """What the team knows for a resident's emergency liaison document.

    Modelled on the French *document de liaison d'urgence* (DLU): the person of
    trust, the GP, treatments and allergies *as recorded by the team* (never a
    medical record), and the usual life an emergency team should know. One per
    resident.
    """

    table: ClassVar[str] = "liaison_sheet"
    label_fr: ClassVar[str] = "fiche de liaison d'urgence"
    references: ClassVar[dict[str, str]] = {"resident_id": "resident"}
    personal: ClassVar[dict[str, Any]] = {
        "trusted_person": None,
        "trusted_person_phone": None,
        "gp": None,
        "gp_phone": None,
        "treatments": None,
        "allergies": None,
        "usual_life": None,
    }

    resident_id: Id
    trusted_person: ShortText | None = None
    trusted_person_phone: Phone | None = None
    gp: ShortText | None = None
    gp_phone: Phone | None = None
    treatments: LongText | None = None
    allergies: LongText | None = None
    usual_life: LongText | None = None
    updated_on: date


class Relation(StrEnum):
    """How a carer is related to the resident."""

    CHILD = "child"
    SPOUSE = "spouse"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDCHILD = "grandchild"
    OTHER_FAMILY = "other_family"
    FRIEND = "friend"
    LEGAL_GUARDIAN = "legal_guardian"
    NEIGHBOUR = "neighbour"


class Carer(Record):
    """A family member or informal carer of one resident, and what they do."""

    table: ClassVar[str] = "carer"
    label_fr: ClassVar[str] = "proche"
    references: ClassVar[dict[str, str]] = {"resident_id": "resident"}
    personal: ClassVar[dict[str, Any]] = {
        "first_name": ERASED,
        "last_name": ERASED,
        "phone": None,
        "email": None,
    }

    resident_id: Id
    first_name: ShortText
    last_name: ShortText
    relation: Relation
    phone: Phone | None = None
    email: Email | None = None
    does_care: bool = False
    does_management: bool = False
    does_governance: bool = False
    usual_hours_per_week: Hours = 0.0
    consent_to_share: bool = False
    consent_date: date | None = None

    @model_validator(mode="after")
    def _consent_dated(self) -> Carer:
        if self.consent_to_share and self.consent_date is None:
            raise ValueError("consent_date: a consent to share information needs its date")
        return self


# --- Providers ----------------------------------------------------------------------


class Arrangement(StrEnum):
    """Whether residents keep their own provider or the habitat chose it."""

    OWN = "own"
    HABITAT = "habitat"


class Provider(Record):
    """An entry of the provider directory."""

    table: ClassVar[str] = "provider"
    label_fr: ClassVar[str] = "intervenant"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"contact_name": None}

    habitat_id: Id
    name: ShortText
    kind: ProviderKind
    arrangement: Arrangement
    contact_name: ShortText | None = None
    phone: Phone | None = None
    email: Email | None = None
    address: ShortText | None = None
    services: LongText | None = None
    finess: Finess | None = None


# --- Individual support plans -------------------------------------------------------


class NeedDomain(StrEnum):
    """Domains of an individual support plan."""

    MOBILITY = "mobility"
    PERSONAL_CARE = "personal_care"
    MEALS = "meals"
    HOUSEKEEPING = "housekeeping"
    HEALTH = "health"
    ADMINISTRATION = "administration"
    SOCIAL_LIFE = "social_life"
    SAFETY = "safety"
    COMMUNICATION = "communication"


class Intensity(StrEnum):
    """How much help a need calls for."""

    LIGHT = "light"
    MODERATE = "moderate"
    HEAVY = "heavy"


class SupportPlan(Record):
    """A resident's individual support plan: its dates and preferences."""

    table: ClassVar[str] = "support_plan"
    label_fr: ClassVar[str] = "projet d'accompagnement"
    references: ClassVar[dict[str, str]] = {"resident_id": "resident"}
    personal: ClassVar[dict[str, Any]] = {"preferences": None}

    resident_id: Id
    started_on: date
    review_due: date | None = None
    preferences: LongText | None = None

    @model_validator(mode="after")
    def _dates(self) -> SupportPlan:
        _ordered(self.started_on, self.review_due, "review_due: is before the plan starts")
        return self


class PlanNeed(Record):
    """One need of a support plan."""

    table: ClassVar[str] = "plan_need"
    label_fr: ClassVar[str] = "besoin"
    references: ClassVar[dict[str, str]] = {"plan_id": "support_plan"}
    personal: ClassVar[dict[str, Any]] = {"description": ERASED}

    plan_id: Id
    domain: NeedDomain
    intensity: Intensity = Intensity.MODERATE
    description: LongText


class Intervention(Record):
    """A provider's regular intervention for a resident: weekdays, times, task."""

    table: ClassVar[str] = "intervention"
    label_fr: ClassVar[str] = "intervention"
    references: ClassVar[dict[str, str]] = {"plan_id": "support_plan", "provider_id": "provider"}
    personal: ClassVar[dict[str, Any]] = {"task": None}

    plan_id: Id
    provider_id: Id
    weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(min_length=1, max_length=7)
    start_time: LocalTime
    end_time: LocalTime
    task: ShortText | None = None

    @field_validator("weekdays")
    @classmethod
    def _distinct_days(cls, days: list[int]) -> list[int]:
        return _unique_days(days)

    @model_validator(mode="after")
    def _times(self) -> Intervention:
        if self.end_time <= self.start_time:
            raise ValueError("end_time: must be after the start time")
        return self

    @property
    def hours_per_week(self) -> float:
        """Hours a week: days times the length of one visit."""
        start = self.start_time.hour * 60 + self.start_time.minute
        end = self.end_time.hour * 60 + self.end_time.minute
        return len(self.weekdays) * (end - start) / 60.0


def _unique_days(days: list[int]) -> list[int]:
    if len(set(days)) != len(days):
        raise ValueError("lists the same weekday twice")
    return sorted(days)


class RiskAgreement(Record):
    """An agreed autonomy-vs-safety choice (DOMAIN.md §4.1): what, who agreed, review."""

    table: ClassVar[str] = "risk_agreement"
    label_fr: ClassVar[str] = "accord autonomie-sécurité"
    references: ClassVar[dict[str, str]] = {"plan_id": "support_plan"}
    names: ClassVar[dict[str, str | None]] = {"agreed_by": None}
    personal: ClassVar[dict[str, Any]] = {"what": ERASED, "agreed_by": [ERASED]}

    plan_id: Id
    what: LongText
    agreed_by: list[ShortText] = Field(min_length=1, max_length=20)
    agreed_on: date
    review_on: date

    @model_validator(mode="after")
    def _dates(self) -> RiskAgreement:
        _ordered(self.agreed_on, self.review_on, "review_on: is before the agreement")
        return self


class PlanReview(Record):
    """One review of a support plan: when, by whom, what was found."""

    table: ClassVar[str] = "plan_review"
    label_fr: ClassVar[str] = "révision"
    references: ClassVar[dict[str, str]] = {"plan_id": "support_plan"}
    names: ClassVar[dict[str, str | None]] = {"reviewed_by": None}
    personal: ClassVar[dict[str, Any]] = {"summary": ERASED, "reviewed_by": ERASED}

    plan_id: Id
    reviewed_on: date
    reviewed_by: ShortText
    summary: LongText


# --- Collective life ----------------------------------------------------------------


class Place(StrEnum):
    """Where an activity happens: in the habitat or out in the neighbourhood."""

    IN_HABITAT = "in_habitat"
    OUTSIDE = "outside"


class ActivityCategory(StrEnum):
    """Kinds of collective activity."""

    MEAL = "meal"
    WORKSHOP = "workshop"
    OUTING = "outing"
    SPORT = "sport"
    CULTURE = "culture"
    CELEBRATION = "celebration"
    NEIGHBOURHOOD = "neighbourhood"
    OTHER = "other"


class Activity(Record):
    """A collective activity on the calendar."""

    table: ClassVar[str] = "activity"
    label_fr: ClassVar[str] = "activité"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat", "space_id": "common_space"}

    habitat_id: Id
    title: ShortText
    category: ActivityCategory = ActivityCategory.OTHER
    starts_at: NaiveDatetime
    ends_at: NaiveDatetime
    place: Place = Place.IN_HABITAT
    space_id: Id | None = None
    location: ShortText | None = None
    description: LongText | None = None
    #: Set when the activity is called off: it stays on the calendar, said cancelled.
    cancelled_reason: ShortText | None = None

    @property
    def cancelled(self) -> bool:
        """Whether the activity was called off."""
        return self.cancelled_reason is not None

    @model_validator(mode="after")
    def _times(self) -> Activity:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at: must be after the start")
        if self.place is Place.OUTSIDE and self.space_id is not None:
            raise ValueError("space_id: an activity outside uses no common space")
        return self


class Presence(StrEnum):
    """A resident's attendance at an activity."""

    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class Attendance(Record):
    """Whether one resident attended one activity."""

    table: ClassVar[str] = "attendance"
    label_fr: ClassVar[str] = "présence"
    references: ClassVar[dict[str, str]] = {"activity_id": "activity", "resident_id": "resident"}

    activity_id: Id
    resident_id: Id
    status: Presence


class Registration(Record):
    """A resident signed up for an activity still to come (attendance is taken on the day)."""

    table: ClassVar[str] = "registration"
    label_fr: ClassVar[str] = "inscription"
    references: ClassVar[dict[str, str]] = {"activity_id": "activity", "resident_id": "resident"}

    activity_id: Id
    resident_id: Id


class Booking(Record):
    """A booking of a common space."""

    table: ClassVar[str] = "booking"
    label_fr: ClassVar[str] = "réservation"
    references: ClassVar[dict[str, str]] = {"space_id": "common_space", "resident_id": "resident"}
    names: ClassVar[dict[str, str | None]] = {"booked_by": None}
    personal: ClassVar[dict[str, Any]] = {"purpose": ERASED, "booked_by": ERASED}

    space_id: Id
    resident_id: Id | None = None
    booked_by: ShortText
    purpose: ShortText
    starts_at: NaiveDatetime
    ends_at: NaiveDatetime

    @model_validator(mode="after")
    def _times(self) -> Booking:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at: must be after the start")
        return self


class PresenceRole(StrEnum):
    """Who gives collective presence."""

    ANIMATOR = "animator"
    POOLED_HELP = "pooled_help"
    PROVIDER = "provider"
    VOLUNTEER = "volunteer"
    FAMILY = "family"
    NIGHT_WATCH = "night_watch"
    CIVIC_SERVICE = "civic_service"
    OTHER = "other"


class PresenceShift(Record):
    """A slot of the collective presence rota: who is present when."""

    table: ClassVar[str] = "presence_shift"
    label_fr: ClassVar[str] = "créneau de présence"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"person": None}

    habitat_id: Id
    person: ShortText
    role: PresenceRole
    starts_at: NaiveDatetime
    ends_at: NaiveDatetime

    @model_validator(mode="after")
    def _times(self) -> PresenceShift:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at: must be after the start")
        if (self.ends_at - self.starts_at).total_seconds() > 24 * 3600:
            raise ValueError("ends_at: a shift lasts at most 24 hours")
        return self


#: Monday is 0, as `date.weekday()` counts.
Weekday = Annotated[int, Field(ge=0, le=6)]


class PresencePattern(Record):
    """A weekly slot of the collective presence rota: who is present which weekday, when.

    The week's rota is the pattern, changed by its exceptions on given dates, plus
    the dated shifts (`PresenceShift`): see `store.queries.presence_slots`.
    """

    table: ClassVar[str] = "presence_pattern"
    label_fr: ClassVar[str] = "créneau hebdomadaire de présence"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"person": None}

    habitat_id: Id
    person: ShortText
    role: PresenceRole
    weekday: Weekday
    starts: LocalTime
    ends: LocalTime

    @model_validator(mode="after")
    def _times(self) -> PresencePattern:
        if self.ends <= self.starts:
            raise ValueError("ends: must be after the start")
        return self


class ExceptionKind(StrEnum):
    """What an exception does to the weekly rota on its date."""

    CANCEL = "cancel"
    ADD = "add"


class PresenceException(Record):
    """A change of the weekly rota on one date: a weekly slot cancelled, or a slot added."""

    table: ClassVar[str] = "presence_exception"
    label_fr: ClassVar[str] = "exception au planning de présence"
    references: ClassVar[dict[str, str]] = {
        "habitat_id": "habitat",
        "pattern_id": "presence_pattern",
    }
    names: ClassVar[dict[str, str | None]] = {"person": None}

    habitat_id: Id
    day: date
    kind: ExceptionKind
    pattern_id: Id | None = None
    person: ShortText | None = None
    role: PresenceRole | None = None
    starts: LocalTime | None = None
    ends: LocalTime | None = None
    reason: ShortText | None = None

    @model_validator(mode="after")
    def _complete(self) -> PresenceException:
        if self.kind is ExceptionKind.CANCEL:
            if self.pattern_id is None:
                raise ValueError("pattern_id: choose the weekly slot to cancel")
            return self
        for field in ("person", "role", "starts", "ends"):
            if getattr(self, field) is None:
                raise ValueError(f"{field}: an added slot needs it")
        assert self.starts is not None and self.ends is not None  # checked just above
        if self.ends <= self.starts:
            raise ValueError("ends: must be after the start")
        return self


# --- Liaison notebook, tensions, council --------------------------------------------


class Audience(StrEnum):
    """Who may read a note of the liaison notebook."""

    TEAM = "team"
    PROVIDERS = "providers"
    FAMILY = "family"


class LiaisonNote(Record):
    """A note of the liaison notebook."""

    table: ClassVar[str] = "liaison_note"
    label_fr: ClassVar[str] = "note"
    references: ClassVar[dict[str, str]] = {
        "habitat_id": "habitat",
        "audience_resident_id": "resident",
        "audience_provider_id": "provider",
        "author_account_id": "account",
        "rectifies_note_id": "liaison_note",
    }
    # The author is copied from the writing account's display name.
    names: ClassVar[dict[str, str | None]] = {"author": "author_account_id"}
    links: ClassVar[dict[str, Link]] = {
        "resident_ids": Link(
            "liaison_note_resident", "note_id", "resident_id", "resident", sort="written_at"
        )
    }
    personal: ClassVar[dict[str, Any]] = {"body": ERASED}

    habitat_id: Id
    author: ShortText
    author_account_id: Id | None = None
    written_at: NaiveDatetime
    body: LongText
    audience: Audience = Audience.TEAM
    audience_resident_id: Id | None = None
    # A note for providers goes to this one provider, or to all providers serving
    # the residents it concerns when None.
    audience_provider_id: Id | None = None
    # A note is never rewritten: a later note rectifies it, for the same readers.
    rectifies_note_id: Id | None = None
    resident_ids: ResidentIds = Field(default_factory=list)

    @field_validator("resident_ids")
    @classmethod
    def _distinct(cls, ids: list[int]) -> list[int]:
        return _unique(ids)

    @model_validator(mode="before")
    @classmethod
    def _family_note_concerns_its_resident(cls, data: Any) -> Any:
        """A note for resident X's family that names no resident concerns X.

        Need-to-know: such a note concerns X and X only, so an empty list is read as
        [X] (and stored so); any other list is refused by `_family`.
        """
        if (
            isinstance(data, dict)
            and data.get("audience") in (Audience.FAMILY, Audience.FAMILY.value)
            and data.get("audience_resident_id") is not None
            and not data.get("resident_ids")
        ):
            return {**data, "resident_ids": [data["audience_resident_id"]]}
        return data

    @model_validator(mode="after")
    def _family(self) -> LiaisonNote:
        if (self.audience is Audience.FAMILY) != (self.audience_resident_id is not None):
            raise ValueError(
                "audience_resident_id: a note for a family names the resident whose family it is"
                " (and only such a note does)"
            )
        if self.audience is Audience.FAMILY and self.resident_ids != [self.audience_resident_id]:
            raise ValueError(
                "resident_ids: a note for a resident's family concerns that resident only"
            )
        if self.audience_provider_id is not None and self.audience is not Audience.PROVIDERS:
            raise ValueError(
                "audience_provider_id: only a note for providers is addressed to one provider"
            )
        return self


class TensionKind(StrEnum):
    """The tensions the research found (DOMAIN.md §4, §5)."""

    AUTONOMY_SAFETY = "autonomy_safety"
    COMMON_SPACES = "common_spaces"
    BETWEEN_RESIDENTS = "between_residents"
    PROVIDERS = "own_vs_habitat_providers"
    FAMILY = "family"
    CARE_PATH_RUPTURE = "care_path_rupture"


class Severity(StrEnum):
    """How serious a tension or incident is."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class TensionStatus(StrEnum):
    """Where the regulation of a tension stands."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    CLOSED = "closed"


class Tension(Record):
    """A tension or incident, its regulation and its closure."""

    table: ClassVar[str] = "tension"
    label_fr: ClassVar[str] = "tension"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"others_involved": None}
    links: ClassVar[dict[str, Link]] = {
        "resident_ids": Link("tension_resident", "tension_id", "resident_id", "resident")
    }
    personal: ClassVar[dict[str, Any]] = {
        "description": ERASED,
        "actions": None,
        "others_involved": None,
    }

    habitat_id: Id
    kind: TensionKind
    severity: Severity
    occurred_on: date
    description: LongText
    others_involved: ShortText | None = None
    actions: LongText | None = None
    status: TensionStatus = TensionStatus.OPEN
    resolved_on: date | None = None
    resident_ids: ResidentIds = Field(default_factory=list)

    @field_validator("resident_ids")
    @classmethod
    def _distinct(cls, ids: list[int]) -> list[int]:
        return _unique(ids)

    @model_validator(mode="after")
    def _closure(self) -> Tension:
        if (self.status is TensionStatus.CLOSED) != (self.resolved_on is not None):
            raise ValueError(
                "resolved_on: a closed tension has a resolution date, an open one none"
            )
        _ordered(self.occurred_on, self.resolved_on, "resolved_on: is before the tension occurred")
        return self


class CouncilMeeting(Record):
    """A meeting of the residents' council: agenda, attendance, minutes."""

    table: ClassVar[str] = "council_meeting"
    label_fr: ClassVar[str] = "conseil des habitants"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"others_present": None}
    links: ClassVar[dict[str, Link]] = {
        "attendee_ids": Link("council_attendance", "meeting_id", "resident_id", "resident")
    }

    habitat_id: Id
    held_on: date
    agenda: LongText
    minutes: LongText | None = None
    others_present: ShortText | None = None
    attendee_ids: ResidentIds = Field(default_factory=list)

    @field_validator("attendee_ids")
    @classmethod
    def _distinct(cls, ids: list[int]) -> list[int]:
        return _unique(ids)


class DecisionStatus(StrEnum):
    """Follow-up of a council decision."""

    TO_DO = "to_do"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    ABANDONED = "abandoned"


class CouncilDecision(Record):
    """A decision of the residents' council and its follow-up."""

    table: ClassVar[str] = "council_decision"
    label_fr: ClassVar[str] = "décision"
    references: ClassVar[dict[str, str]] = {"meeting_id": "council_meeting"}
    names: ClassVar[dict[str, str | None]] = {"owner": None}

    meeting_id: Id
    text: LongText
    owner: ShortText | None = None
    due_on: date | None = None
    status: DecisionStatus = DecisionStatus.TO_DO
    follow_up: LongText | None = None
    done_on: date | None = None

    @model_validator(mode="after")
    def _done(self) -> CouncilDecision:
        if self.done_on is not None and self.status is not DecisionStatus.DONE:
            raise ValueError("done_on: only a decision carried out has a completion date")
        return self


# --- The neighbourhood and the yearly report ---------------------------------------


class PartnerKind(StrEnum):
    """Who in the neighbourhood the habitat works with (DOMAIN.md, access to the neighbourhood)."""

    ASSOCIATION = "association"
    MUNICIPALITY = "municipality"
    SHOP = "shop"
    CULTURE = "culture"
    SCHOOL = "school"
    HEALTH = "health"
    OTHER = "other"


class Partnership(Record):
    """A partnership with the neighbourhood, for the yearly report and the team."""

    table: ClassVar[str] = "partnership"
    label_fr: ClassVar[str] = "partenariat"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"contact_name": None}

    habitat_id: Id
    name: ShortText
    kind: PartnerKind = PartnerKind.OTHER
    started_on: date
    ended_on: date | None = None
    contact_name: ShortText | None = None
    description: LongText | None = None

    @model_validator(mode="after")
    def _dates(self) -> Partnership:
        _ordered(self.started_on, self.ended_on, "ended_on: the partnership ends before it starts")
        return self


class ReportNarrative(Record):
    """What the animator writes in the yearly AVP report for one period."""

    table: ClassVar[str] = "report_narrative"
    label_fr: ClassVar[str] = "texte du rapport d'activité"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}

    habitat_id: Id
    period_start: date
    period_end: date
    text: LongText
    #: Other spending of the AVP in the period (activities, materials), in euros.
    other_spending: float = Field(default=0.0, ge=0.0, le=10_000_000.0)

    @model_validator(mode="after")
    def _dates(self) -> ReportNarrative:
        _ordered(self.period_start, self.period_end, "period_end: the period ends before it starts")
        return self


# --- The animator's time, accounts --------------------------------------------------


class TimeEntry(Record):
    """Time the animator spent on one of the four support functions (DOMAIN.md §2)."""

    table: ClassVar[str] = "time_entry"
    label_fr: ClassVar[str] = "temps"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}
    names: ClassVar[dict[str, str | None]] = {"person": None}

    habitat_id: Id
    person: ShortText
    worked_on: date
    function: SupportFunction
    hours: float = Field(gt=0.0, le=24.0)
    avp_funded: bool = True
    note: ShortText | None = None


class Account(Record):
    """A login and its role; provider and family accounts are tied to whom they serve."""

    table: ClassVar[str] = "account"
    label_fr: ClassVar[str] = "compte"
    references: ClassVar[dict[str, str]] = {"provider_id": "provider", "resident_id": "resident"}
    personal: ClassVar[dict[str, Any]] = {"display_name": ERASED}
    secret: ClassVar[frozenset[str]] = frozenset({"password_hash"})

    username: Username
    display_name: ShortText
    role: Role
    password_hash: str | None = Field(default=None, max_length=512)
    provider_id: Id | None = None
    resident_id: Id | None = None
    failed_logins: int = Field(default=0, ge=0, le=1_000_000)
    locked_until: NaiveDatetime | None = None

    @model_validator(mode="after")
    def _scope(self) -> Account:
        if (self.role is Role.PROVIDER) != (self.provider_id is not None):
            raise ValueError("provider_id: a provider account names its provider (and only it)")
        if (self.role in (Role.FAMILY, Role.RESIDENT)) != (self.resident_id is not None):
            raise ValueError(
                "resident_id: a family or resident account names its resident (and only they)"
            )
        return self


# --- Simulation -----------------------------------------------------------------------

#: A scenario file with every parameter written out, a few residents listed: ~10 KB.
SCENARIO_TEXT_MAX = 200_000


class ScenarioOrigin(StrEnum):
    """How a saved scenario was built."""

    RECORDS = "records"  # from the habitat's pseudonymised records ("et si...")
    FORM = "form"  # from the explorer's form


class SavedScenario(Record):
    """A simulation scenario saved with the habitat, to run again and compare later.

    It holds no person: it is built from the pseudonymised extract (codes and counts).
    """

    table: ClassVar[str] = "saved_scenario"
    label_fr: ClassVar[str] = "scénario"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}

    habitat_id: Id
    name: ShortText
    origin: ScenarioOrigin = ScenarioOrigin.RECORDS
    as_of: date
    seed: int = Field(ge=0, le=SQLITE_INT_MAX)
    replications: int = Field(ge=1, le=100_000)
    scenario_yaml: str = Field(min_length=1, max_length=SCENARIO_TEXT_MAX)
    note: ShortText | None = None


class TwinKind(StrEnum):
    """What a saved run of the habitat's own model was."""

    BACKTEST = "backtest"
    FORECAST = "forecast"


class TwinResult(Record):
    """A run of the habitat's own model, saved to reopen and compare with what happened since.

    It holds no person: the model's bands per figure (`bands_json`, a JSON list of
    `{"measure", "median", "low", "high"}`), built from the pseudonymised extract.
    """

    table: ClassVar[str] = "twin_result"
    label_fr: ClassVar[str] = "prévision du modèle"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}

    habitat_id: Id
    kind: TwinKind
    model_from: date
    model_to: date
    seed: int = Field(ge=0, le=SQLITE_INT_MAX)
    replications: int = Field(ge=1, le=100_000)
    bands_json: str = Field(min_length=2, max_length=SCENARIO_TEXT_MAX)
    note: ShortText | None = None

    @model_validator(mode="after")
    def _period(self) -> TwinResult:
        if self.model_to <= self.model_from:
            raise ValueError("model_to: must be after the start")
        return self


class HabitatCalibration(Record):
    """The habitat's own calibration, saved so that its forecasts and questions use it.

    It holds no person: the window the records were read over, the size of the
    history matching, and per parameter its general value, its calibrated value and
    90 % interval (`parameters_json`, a JSON list of `{"path", "label_fr", "general",
    "mean", "low", "high", "fitted", "events", "narrowed"}`); per target figure, the
    records' value and how well the calibrated model reproduces it (`targets_json`).
    """

    table: ClassVar[str] = "habitat_calibration"
    label_fr: ClassVar[str] = "ajustement du modèle de l'habitat"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}

    habitat_id: Id
    window_from: date
    window_to: date
    seed: int = Field(ge=0, le=SQLITE_INT_MAX)
    waves: int = Field(ge=1, le=100)
    candidates: int = Field(ge=1, le=100_000)  # judged over all waves
    replications: int = Field(ge=1, le=100_000)
    effective: float = Field(ge=0)
    parameters_json: str = Field(min_length=2, max_length=SCENARIO_TEXT_MAX)
    targets_json: str = Field(min_length=2, max_length=SCENARIO_TEXT_MAX)
    note: ShortText | None = None

    @model_validator(mode="after")
    def _period(self) -> HabitatCalibration:
        if self.window_to <= self.window_from:
            raise ValueError("window_to: must be after the start")
        return self

    @property
    def values(self) -> dict[str, float]:
        """The calibrated value of each fitted parameter, by scenario path."""
        return {
            p["path"]: float(p["mean"]) for p in json.loads(self.parameters_json) if p["fitted"]
        }


class AvpNeed(Record):
    """The AVP question's answer, saved to go into the yearly AVP report of its period.

    It holds no person: the hours per group of support functions (`figures_json`, a
    JSON list of `{"group", "logged", "need", "low", "high"}` in hours a week) and the
    amounts, built from the pseudonymised extract.
    """

    table: ClassVar[str] = "avp_need"
    label_fr: ClassVar[str] = "besoin estimé pour l'AVP"
    references: ClassVar[dict[str, str]] = {"habitat_id": "habitat"}

    habitat_id: Id
    model_from: date
    model_to: date
    seed: int = Field(ge=0, le=SQLITE_INT_MAX)
    replications: int = Field(ge=1, le=100_000)
    figures_json: str = Field(min_length=2, max_length=SCENARIO_TEXT_MAX)
    hourly_cost: float | None = Field(default=None, ge=0.0, le=1_000.0)
    avp_per_resident: float | None = Field(default=None, ge=0.0, le=AVP_MAX)
    current_avp_per_resident: float = Field(default=0.0, ge=0.0, le=AVP_MAX)
    residents: int = Field(ge=1, le=DWELLINGS_MAX * 4)
    note: ShortText | None = None

    @model_validator(mode="after")
    def _period(self) -> AvpNeed:
        if self.model_to <= self.model_from:
            raise ValueError("model_to: must be after the start")
        return self


#: Every entity the store keeps, by table.
RECORDS: dict[str, type[Record]] = {
    model.table: model
    for model in (
        Habitat,
        CommonSpace,
        Dwelling,
        SharedLifeProject,
        HouseRule,
        Resident,
        LiaisonSheet,
        Carer,
        Provider,
        SupportPlan,
        PlanNeed,
        Intervention,
        RiskAgreement,
        PlanReview,
        Activity,
        Attendance,
        Registration,
        Booking,
        PresenceShift,
        PresencePattern,
        PresenceException,
        LiaisonNote,
        Tension,
        CouncilMeeting,
        CouncilDecision,
        Partnership,
        ReportNarrative,
        TimeEntry,
        Account,
        SavedScenario,
        TwinResult,
        HabitatCalibration,
        AvpNeed,
    )
}

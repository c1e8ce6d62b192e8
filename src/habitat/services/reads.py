"""The screens' plain reads, each checked against the user's screens and scope in one place.

Writes go through `habitat.services.records`; the lists the screens show go through
here. Every function asks `_scope` first: the user must be signed in, may open one
of the screens that show this list, and belongs to the habitat read; it returns the
residents the role may see (`access.visible_resident_ids`: a family their relative,
a provider the residents they serve, a resident themselves; None for the team), and
every resident-linked list is narrowed to them before it leaves this module.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import sqlite_utils
from pydantic import Field

from habitat.services import access
from habitat.services.access import Forbidden, Screen, User
from habitat.services.arguments import checked
from habitat.store import (
    queries,
    queries_collective,
    queries_follow_up,
    queries_residents,
    queries_scope,
)
from habitat.store.audit import AuditEntry
from habitat.store.entities import (
    Account,
    Arrangement,
    Attendance,
    Carer,
    CommonSpace,
    CouncilDecision,
    CouncilMeeting,
    HouseRule,
    Id,
    Intervention,
    Provider,
    ProviderKind,
    Resident,
    Severity,
    SharedLifeProject,
    SupportFunction,
    Tension,
    TensionKind,
    TimeEntry,
)
from habitat.store.queries import AvpReport, Dashboard, ResidentFile, Visit
from habitat.store.queries_collective import (
    ActivityLine,
    BookingLine,
    MonthlyAttendance,
    OpenDecision,
)
from habitat.store.queries_follow_up import AvpBudget, MonthHours, PeriodCount

#: The periods the tensions' chart counts by.
Period = Literal["month", "quarter"]
#: A year the time screen may show.
Year = Annotated[int, Field(ge=1900, le=2999)]
#: Screens that list the habitat's residents (each role narrowed to its scope).
RESIDENT_SCREENS = (
    Screen.RESIDENTS,
    Screen.NOTEBOOK,
    Screen.TENSIONS,
    Screen.TIME,
    Screen.ADMIN,
)
#: Screens that name the habitat's current residents (each role narrowed to its scope).
PRESENT_SCREENS = (
    *RESIDENT_SCREENS,
    Screen.COLLECTIVE,
    Screen.COUNCIL,
    Screen.CARERS,
    Screen.PROVIDERS,
)
#: Screens that list the habitat's providers. The residents' screen offers them
#: too, to whoever may add an intervention (see `providers`).
PROVIDER_SCREENS = (Screen.PROVIDERS, Screen.ADMIN)


def _scope(
    db: sqlite_utils.Database, user: User | None, habitat_id: int, *screens: Screen
) -> set[int] | None:
    """Refuse a reader without one of `screens` or of another habitat; their residents.

    Returns:
        The ids of the residents the user may see, or None for all of the habitat's.

    Raises:
        Forbidden: not signed in, no such screen for the role, or another habitat.
    """
    if user is None or not any(access.can_read(user, s) for s in screens):
        user = access.require(user, screens[0])  # raises, with the screen's own message
    if user.habitat_id != habitat_id:
        raise Forbidden(
            f"{user.actor} may not read habitat {habitat_id}",
            "Votre compte ne donne pas accès à cet habitat.",
        )
    return access.visible_resident_ids(db, user)


@checked
def residents(
    db: sqlite_utils.Database, user: User, habitat_id: Id, *, include_archived: bool = False
) -> list[Resident]:
    """The habitat's residents the user may see, by name (archived ones when asked).

    Raises:
        Forbidden: the user may open none of the screens that list residents.
    """
    visible = _scope(db, user, habitat_id, *RESIDENT_SCREENS)
    return queries_scope.residents_of(db, habitat_id, visible, include_archived=include_archived)


@checked
def resident_list(
    db: sqlite_utils.Database, user: User, habitat_id: Id, today: date
) -> tuple[list[Resident], list[Resident]]:
    """The residents' screen's two lists: those living here (or coming) and former ones.

    The team sees everyone, former residents apart; the other roles see only the
    current residents of their scope, and no former ones.

    Raises:
        Forbidden: the user may not open the residents' screen.
    """
    visible = _scope(db, user, habitat_id, Screen.RESIDENTS)
    if visible is None:
        return (
            queries_residents.residents_living(db, habitat_id, today),
            queries_residents.former_residents(db, habitat_id, today),
        )
    return queries_scope.residents_of(db, habitat_id, visible), []


@checked
def providers(
    db: sqlite_utils.Database, user: User, habitat_id: Id, *, include_archived: bool = False
) -> list[Provider]:
    """The habitat's providers, by name: for the team's screens and the plan's form.

    Raises:
        Forbidden: the user neither opens a providers' list nor adds interventions.
    """
    if access.may_write(user, Intervention.table) and access.can_read(user, Screen.RESIDENTS):
        _scope(db, user, habitat_id, Screen.RESIDENTS)
    else:
        _scope(db, user, habitat_id, *PROVIDER_SCREENS)
    return queries_scope.providers_of(db, habitat_id, include_archived=include_archived)


@checked
def provider_directory(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: Id,
    *,
    arrangement: Arrangement | None = None,
    kind: ProviderKind | None = None,
    include_archived: bool = False,
) -> list[Provider]:
    """The providers' directory: own ones first, then the habitat's, filtered when asked.

    Raises:
        Forbidden: the user may not open the providers' screen.
    """
    _scope(db, user, habitat_id, Screen.PROVIDERS)
    return queries_scope.providers_of(
        db,
        habitat_id,
        arrangement=arrangement.value if arrangement else None,
        kind=kind.value if kind else None,
        include_archived=include_archived,
        order_by="arrangement, name",
    )


@checked
def common_spaces(db: sqlite_utils.Database, user: User, habitat_id: Id) -> list[CommonSpace]:
    """The habitat's common spaces, by name.

    Raises:
        Forbidden: the user may not open the collective-life screen.
    """
    _scope(db, user, habitat_id, Screen.COLLECTIVE)
    return queries_scope.common_spaces(db, habitat_id)


@checked
def activity_attendance(
    db: sqlite_utils.Database, user: User, habitat_id: Id, activity_id: Id
) -> list[Attendance]:
    """Who came to an activity (withdrawn answers too), only the residents of the scope.

    Raises:
        Forbidden: the user may not open the collective-life screen.
    """
    visible = _scope(db, user, habitat_id, Screen.COLLECTIVE)
    return queries_scope.activity_attendance(db, habitat_id, activity_id, visible)


@checked
def project_versions(
    db: sqlite_utils.Database, user: User, habitat_id: Id
) -> list[SharedLifeProject]:
    """The versions of the shared-life project, the one in force first.

    Raises:
        Forbidden: the user may not open the collective-life screen.
    """
    _scope(db, user, habitat_id, Screen.COLLECTIVE)
    return queries_scope.project_versions(db, habitat_id)


@checked
def house_rules(
    db: sqlite_utils.Database, user: User, habitat_id: Id, *, former: bool = False
) -> list[HouseRule]:
    """The house rules in force, by title; or, with `former`, the versions replaced.

    Raises:
        Forbidden: the user may not open the collective-life screen.
    """
    _scope(db, user, habitat_id, Screen.COLLECTIVE)
    if former:
        return queries_scope.former_house_rules(db, habitat_id)
    return queries_scope.house_rules(db, habitat_id)


@checked
def council_meetings(
    db: sqlite_utils.Database, user: User, habitat_id: Id, limit: Id | None = None
) -> list[CouncilMeeting]:
    """The council's meetings, most recent first (at most `limit`).

    Raises:
        Forbidden: the user may not open the council's screen.
    """
    visible = _scope(db, user, habitat_id, Screen.COUNCIL)
    meetings = queries_scope.council_meetings(db, habitat_id, limit)
    if visible is None:
        return meetings
    # Only the team opens the council today; another role would see its own people only.
    return [
        m.model_copy(update={"attendee_ids": [i for i in m.attendee_ids if i in visible]})
        for m in meetings
    ]


@checked
def meeting_decisions(
    db: sqlite_utils.Database, user: User, habitat_id: Id, meeting_id: Id
) -> list[CouncilDecision]:
    """The decisions of one of the council's meetings.

    Raises:
        Forbidden: the user may not open the council's screen.
    """
    _scope(db, user, habitat_id, Screen.COUNCIL)
    return queries_scope.meeting_decisions(db, habitat_id, meeting_id)


@checked
def accounts(db: sqlite_utils.Database, user: User, habitat_id: Id) -> list[Account]:
    """Every account of the database (archived ones too), by role then username.

    Raises:
        Forbidden: the user may not open the administration screen.
    """
    _scope(db, user, habitat_id, Screen.ADMIN)
    return queries_scope.accounts(db)


@checked
def current_residents(
    db: sqlite_utils.Database, user: User, habitat_id: Id, day: date
) -> list[Resident]:
    """The residents living in the habitat on `day` whom the user may see.

    Raises:
        Forbidden: the user may open none of the screens that name residents.
    """
    visible = _scope(db, user, habitat_id, *PRESENT_SCREENS)
    present = queries.current_residents(db, habitat_id, day)
    return present if visible is None else [r for r in present if r.id in visible]


@checked
def residents_by_id(
    db: sqlite_utils.Database, user: User, habitat_id: Id, ids: list[Id]
) -> dict[int, Resident]:
    """The residents of `ids` (those who left too) whom the user may see, by id.

    For naming the rows of a table or a chart; an id out of scope is left out.

    Raises:
        Forbidden: the user may open none of the screens that name residents.
    """
    visible = _scope(db, user, habitat_id, *PRESENT_SCREENS)
    found = queries_collective.residents_by_id(db, ids)
    return {
        i: r
        for i, r in found.items()
        if (r.habitat_id == habitat_id if visible is None else i in visible)
    }


@checked
def visits(
    db: sqlite_utils.Database, user: User, habitat_id: Id, start: date, end: date
) -> list[Visit]:
    """The planned interventions day by day from `start` to `end`, in the user's scope.

    Raises:
        Forbidden: the user may not open the providers' screen.
    """
    visible = _scope(db, user, habitat_id, Screen.PROVIDERS)
    planned = queries.visits(db, habitat_id, start, end)
    return planned if visible is None else [v for v in planned if v.resident_id in visible]


@checked
def activities(
    db: sqlite_utils.Database, user: User, habitat_id: Id, start: date, end: date
) -> list[ActivityLine]:
    """The activities from `start` to `end` excluded, with their attendance counts.

    Raises:
        Forbidden: the user may not open the collective-life screen.
    """
    _scope(db, user, habitat_id, Screen.COLLECTIVE)
    return queries_collective.activities_between(db, habitat_id, start, end)


@checked
def bookings(
    db: sqlite_utils.Database, user: User, habitat_id: Id, start: date, end: date
) -> list[BookingLine]:
    """The bookings of the common spaces from `start` to `end` excluded.

    Who booked and why are personal: a role with a scope sees its own bookings only.

    Raises:
        Forbidden: the user may not open the collective-life screen.
    """
    visible = _scope(db, user, habitat_id, Screen.COLLECTIVE)
    lines = queries_collective.bookings_between(db, habitat_id, start, end)
    return lines if visible is None else [x for x in lines if x.booking.resident_id in visible]


@checked
def monthly_attendance(
    db: sqlite_utils.Database, user: User, habitat_id: Id, start: date, end: date
) -> list[MonthlyAttendance]:
    """Attendance per resident and month from `start` to `end` excluded, in the scope.

    Raises:
        Forbidden: the user may not open the collective-life screen.
    """
    visible = _scope(db, user, habitat_id, Screen.COLLECTIVE)
    return queries_collective.monthly_attendance(db, habitat_id, start, end, visible)


@checked
def resident_file(
    db: sqlite_utils.Database, user: User, habitat_id: Id, resident_id: Id
) -> ResidentFile:
    """Everything a resident's file shows, for a user with a need to know them.

    Raises:
        Forbidden: no residents' screen for the role, or a resident out of scope.
    """
    _scope(db, user, habitat_id, Screen.RESIDENTS)
    access.require_resident(db, user, resident_id)
    return queries.resident_file(db, resident_id)


@checked
def resident_participation(
    db: sqlite_utils.Database, user: User, habitat_id: Id, resident_id: Id, since: date
) -> dict[str, int]:
    """A resident's attendance records by status since `since` (see the store's query).

    Raises:
        Forbidden: no residents' screen for the role, or a resident out of scope.
    """
    _scope(db, user, habitat_id, Screen.RESIDENTS)
    access.require_resident(db, user, resident_id)
    return queries_residents.participation(db, habitat_id, resident_id, since)


@checked
def file_history(
    db: sqlite_utils.Database, user: User, habitat_id: Id, resident_id: Id
) -> list[AuditEntry]:
    """The audit log of a resident's file, newest first.

    Raises:
        Forbidden: no residents' screen for the role, or a resident out of scope.
    """
    _scope(db, user, habitat_id, Screen.RESIDENTS)
    access.require_resident(db, user, resident_id)
    return queries_residents.file_history(db, resident_id)


# --- The team's screens: the habitat as a whole ------------------------------------------


@checked
def dashboard(db: sqlite_utils.Database, user: User, habitat_id: Id, day: date) -> Dashboard:
    """Everything the dashboard shows for `day` and the week from it.

    Raises:
        Forbidden: the user may not open the dashboard.
    """
    _scope(db, user, habitat_id, Screen.DASHBOARD)
    return queries.dashboard(db, habitat_id, day)


@checked
def open_decisions(db: sqlite_utils.Database, user: User, habitat_id: Id) -> list[OpenDecision]:
    """The council's decisions still to carry out, those due first.

    Raises:
        Forbidden: the user may not open the council's screen.
    """
    _scope(db, user, habitat_id, Screen.COUNCIL)
    return queries_collective.open_decisions(db, habitat_id)


@checked
def living_residents(
    db: sqlite_utils.Database, user: User, habitat_id: Id, day: date
) -> list[Resident]:
    """The residents who have not left by `day` (those about to arrive too), in the scope.

    Raises:
        Forbidden: the user may open none of the screens that name residents.
    """
    visible = _scope(db, user, habitat_id, *PRESENT_SCREENS)
    living = queries_residents.residents_living(db, habitat_id, day)
    return living if visible is None else [r for r in living if r.id in visible]


@checked
def carers(
    db: sqlite_utils.Database, user: User, habitat_id: Id, *, archived: bool = False
) -> list[Carer]:
    """The carers of the residents in the scope: current ones, or only the archived ones.

    Raises:
        Forbidden: the user may not open the carers' screen.
    """
    visible = _scope(db, user, habitat_id, Screen.CARERS)
    found = queries_residents.habitat_carers(db, habitat_id, archived=archived)
    return found if visible is None else [c for c in found if c.resident_id in visible]


@checked
def tensions(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: Id,
    *,
    closed: bool = False,
    kinds: list[TensionKind] | None = None,
    severities: list[Severity] | None = None,
    resident_id: Id | None = None,
    limit: Id = queries_follow_up.TENSIONS_PAGE,
) -> list[Tension]:
    """Open tensions, oldest first; or, with `closed`, the most recent closed ones.

    Raises:
        Forbidden: the user may not open the tensions' screen.
    """
    _scope(db, user, habitat_id, Screen.TENSIONS)
    kind_values = [k.value for k in kinds or ()]
    severity_values = [s.value for s in severities or ()]
    if closed:
        return queries_follow_up.closed_tensions(
            db,
            habitat_id,
            kinds=kind_values,
            severities=severity_values,
            resident_id=resident_id,
            limit=limit,
        )
    return queries_follow_up.open_tensions(
        db, habitat_id, kinds=kind_values, severities=severity_values, resident_id=resident_id
    )


@checked
def tension_counts(
    db: sqlite_utils.Database, user: User, habitat_id: Id, today: date, by: Period
) -> list[PeriodCount]:
    """Tensions by kind over the last months, by month or by quarter.

    Raises:
        Forbidden: the user may not open the tensions' screen.
    """
    _scope(db, user, habitat_id, Screen.TENSIONS)
    return queries_follow_up.tension_counts(db, habitat_id, today, by=by)


@checked
def time_years(db: sqlite_utils.Database, user: User, habitat_id: Id) -> list[int]:
    """The years with time entries, most recent first.

    Raises:
        Forbidden: the user may not open the time screen.
    """
    _scope(db, user, habitat_id, Screen.TIME)
    return queries_follow_up.time_years(db, habitat_id)


@checked
def avp_budget(
    db: sqlite_utils.Database, user: User, habitat_id: Id, year: Year, today: date
) -> AvpBudget:
    """The year's AVP budget and what it has paid for so far.

    Raises:
        Forbidden: the user may not open the time screen.
    """
    _scope(db, user, habitat_id, Screen.TIME)
    return queries_follow_up.avp_budget(db, habitat_id, year, today)


@checked
def time_by_month(
    db: sqlite_utils.Database, user: User, habitat_id: Id, start: date, end: date
) -> list[MonthHours]:
    """Hours per month and support function from `start` to `end` included.

    Raises:
        Forbidden: the user may not open the time screen.
    """
    _scope(db, user, habitat_id, Screen.TIME)
    return queries_follow_up.time_by_month(db, habitat_id, start, end)


@checked
def time_entries(
    db: sqlite_utils.Database,
    user: User,
    habitat_id: Id,
    year: Year,
    *,
    function: SupportFunction | None = None,
    limit: Id = 100,
) -> list[TimeEntry]:
    """The year's time entries, most recent first, of one support function or all.

    Raises:
        Forbidden: the user may not open the time screen.
    """
    _scope(db, user, habitat_id, Screen.TIME)
    return queries_follow_up.time_entries(
        db, habitat_id, year, function=function.value if function else None, limit=limit
    )


@checked
def avp_report(db: sqlite_utils.Database, user: User, habitat_id: Id, year: Year) -> AvpReport:
    """The year's activity report for the département.

    Raises:
        Forbidden: the user may not open the time screen.
    """
    _scope(db, user, habitat_id, Screen.TIME)
    return queries.avp_report(db, habitat_id, year)


__all__ = [
    "PRESENT_SCREENS",
    "PROVIDER_SCREENS",
    "RESIDENT_SCREENS",
    "accounts",
    "activities",
    "activity_attendance",
    "avp_budget",
    "avp_report",
    "bookings",
    "carers",
    "common_spaces",
    "council_meetings",
    "current_residents",
    "dashboard",
    "file_history",
    "house_rules",
    "living_residents",
    "meeting_decisions",
    "monthly_attendance",
    "open_decisions",
    "project_versions",
    "provider_directory",
    "providers",
    "resident_file",
    "resident_list",
    "resident_participation",
    "residents",
    "residents_by_id",
    "tension_counts",
    "tensions",
    "time_by_month",
    "time_entries",
    "time_years",
    "visits",
]

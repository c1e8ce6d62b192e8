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

import sqlite_utils

from habitat.services import access
from habitat.services.access import Forbidden, Screen, User
from habitat.services.arguments import checked
from habitat.store import queries_residents, queries_scope
from habitat.store.entities import (
    Account,
    Arrangement,
    Attendance,
    CommonSpace,
    CouncilDecision,
    CouncilMeeting,
    HouseRule,
    Id,
    Intervention,
    Provider,
    ProviderKind,
    Resident,
    SharedLifeProject,
)

#: Screens that list the habitat's residents (each role narrowed to its scope).
RESIDENT_SCREENS = (
    Screen.RESIDENTS,
    Screen.NOTEBOOK,
    Screen.TENSIONS,
    Screen.TIME,
    Screen.ADMIN,
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
        access.require(user, screens[0])  # raises, with the screen's own message
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


__all__ = [
    "PROVIDER_SCREENS",
    "RESIDENT_SCREENS",
    "accounts",
    "activity_attendance",
    "common_spaces",
    "council_meetings",
    "house_rules",
    "meeting_decisions",
    "project_versions",
    "provider_directory",
    "providers",
    "resident_list",
    "residents",
]

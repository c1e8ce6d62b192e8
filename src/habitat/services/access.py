"""Who may see and change what: need-to-know access by role, checked on the server.

Every page asks `require(user, screen)` before it shows anything and every write
goes through `habitat.services.records`, which asks `may_write`. Hiding a menu
entry is a convenience; these checks are the access control.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import sqlite_utils

from habitat.services.arguments import checked
from habitat.store import queries_scope
from habitat.store.entities import Account, Audience, Id, Role


class Screen(StrEnum):
    """The management tool's screens (one page each)."""

    DASHBOARD = "dashboard"
    RESIDENTS = "residents"
    CARERS = "carers"
    PROVIDERS = "providers"
    COLLECTIVE = "collective"
    NOTEBOOK = "notebook"
    TENSIONS = "tensions"
    COUNCIL = "council"
    TIME = "time"
    ADMIN = "admin"
    ACCOUNT = "account"
    EXPLORER = "explorer"
    WHAT_IF = "what_if"
    TWIN = "twin"
    IMPORT = "import"
    SETUP = "setup"
    SETTINGS = "settings"


_ALL = frozenset(Screen)

#: Screens each role may open. The host organisation reads everything but the
#: accounts; providers see the residents they serve; families their own relative;
#: residents their own file and the activities. The scenario explorer holds no
#: personal data: everyone may open it, and a project promoter sees only it.
#: "Et si..." and the habitat's own model build a scenario from the records: the
#: animator and the host only.
#: Importing files writes many records at once: the animator only.
#: The set-up assistant is the animator's; the host reads the habitat's settings.
READ: dict[Role, frozenset[Screen]] = {
    Role.ANIMATOR: _ALL,
    Role.HOST: _ALL - {Screen.ADMIN, Screen.IMPORT, Screen.SETUP},
    Role.PROVIDER: frozenset({Screen.RESIDENTS, Screen.NOTEBOOK, Screen.ACCOUNT, Screen.EXPLORER}),
    Role.FAMILY: frozenset({Screen.RESIDENTS, Screen.NOTEBOOK, Screen.ACCOUNT, Screen.EXPLORER}),
    Role.RESIDENT: frozenset(
        {Screen.RESIDENTS, Screen.COLLECTIVE, Screen.ACCOUNT, Screen.EXPLORER}
    ),
    Role.PROMOTER: frozenset({Screen.EXPLORER, Screen.ACCOUNT}),
}

#: Screens that show nothing of a habitat: they open without one (a promoter's base).
#: The set-up assistant creates the habitat: it opens before there is one.
HABITAT_FREE: frozenset[Screen] = frozenset({Screen.EXPLORER, Screen.ACCOUNT, Screen.SETUP})

#: What a role other than the animator reads on a screen before the habitat is set up.
NO_HABITAT_YET = (
    "L'habitat n'est pas encore mis en place dans cette base : l'animateur·rice-"
    "coordinateur·rice doit d'abord terminer l'assistant de mise en place (en se "
    "connectant avec son compte). Revenez ensuite sur cette page."
)

#: Records (by table) each role may create or change. Providers and families write
#: liaison notes only, within their scope (see `may_write_note`).
WRITE: dict[Role, frozenset[str] | None] = {
    Role.ANIMATOR: None,  # None: every table
    Role.HOST: frozenset(),
    Role.PROVIDER: frozenset({"liaison_note"}),
    Role.FAMILY: frozenset({"liaison_note"}),
    Role.RESIDENT: frozenset({"registration"}),  # their own, see `collective.sign_up`
    Role.PROMOTER: frozenset(),
}

ROLE_FR: dict[Role, str] = {
    Role.ANIMATOR: "animateur·rice-coordinateur·rice",
    Role.HOST: "organisme porteur",
    Role.PROVIDER: "intervenant",
    Role.FAMILY: "proche",
    Role.RESIDENT: "habitant",
    Role.PROMOTER: "porteur de projet",
}


class Forbidden(PermissionError):
    """The user's role does not allow this; `message_fr` is for the screen."""

    def __init__(self, what: str, message_fr: str):
        super().__init__(what)
        self.message_fr = message_fr


@dataclass(frozen=True)
class User:
    """The signed-in person, as the server knows them (never taken from the browser)."""

    account_id: int
    username: str
    display_name: str
    role: Role
    habitat_id: int | None
    provider_id: int | None = None
    resident_id: int | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this user."""
        return f"{self.role.value}:{self.username}"

    @property
    def is_animator(self) -> bool:
        """The animator-coordinator may do everything."""
        return self.role is Role.ANIMATOR

    @property
    def tied_provider_id(self) -> int:
        """The provider a provider's account names (the store refuses one naming none).

        Raises:
            ValueError: the account is not a provider's.
        """
        if self.provider_id is None:
            raise ValueError(f"{self.actor} names no provider")
        return self.provider_id

    @property
    def tied_resident_id(self) -> int:
        """The resident a family or resident account names (the store refuses one naming none).

        Raises:
            ValueError: the account is neither a family's nor a resident's.
        """
        if self.resident_id is None:
            raise ValueError(f"{self.actor} names no resident")
        return self.resident_id


def user_of(db: sqlite_utils.Database, account: Account) -> User:
    """The user an account signs in as, with the habitat their role is tied to."""
    if account.provider_id is not None:
        habitat_id = queries_scope.provider_habitat_id(db, account.provider_id)
    elif account.resident_id is not None:
        habitat_id = queries_scope.resident_habitat_id(db, account.resident_id)
    elif account.role is Role.PROMOTER:
        habitat_id = None  # a promoter is tied to no habitat and sees none
    else:
        habitat_id = queries_scope.first_habitat_id(db)
    return User(
        account_id=account.stored_id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        habitat_id=habitat_id,
        provider_id=account.provider_id,
        resident_id=account.resident_id,
    )


def can_read(user: User, screen: Screen) -> bool:
    """Whether the user's role may open this screen."""
    return screen in READ[user.role]


def require(user: User | None, screen: Screen) -> User:
    """Refuse the screen unless the user is signed in and their role may open it.

    Raises:
        Forbidden: not signed in, or the role may not see this screen.
    """
    if user is None:
        raise Forbidden("not signed in", "Connectez-vous pour accéder à cette page.")
    if not can_read(user, screen):
        raise Forbidden(
            f"{user.role} may not open {screen}",
            "Votre rôle ne donne pas accès à cette page.",
        )
    return user


def served_resident_ids(db: sqlite_utils.Database, provider_id: int) -> set[int]:
    """Residents a provider serves: an intervention of theirs in a current plan."""
    return queries_scope.served_resident_ids(db, provider_id)


def visible_resident_ids(db: sqlite_utils.Database, user: User) -> set[int] | None:
    """The residents whose file the user may open; None means all of the habitat's."""
    if user.role in (Role.ANIMATOR, Role.HOST):
        return None
    if user.role is Role.PROVIDER:
        return served_resident_ids(db, user.tied_provider_id)
    return {user.tied_resident_id}


@checked
def may_see_resident(db: sqlite_utils.Database, user: User, resident_id: Id) -> bool:
    """Whether the user may open this resident's file."""
    visible = visible_resident_ids(db, user)
    if visible is None:
        habitat_id = queries_scope.resident_habitat_id(db, resident_id)
        return habitat_id is not None and habitat_id == user.habitat_id
    return resident_id in visible


@checked
def require_resident(db: sqlite_utils.Database, user: User, resident_id: Id) -> None:
    """Refuse a resident the user has no need to know about.

    Raises:
        Forbidden: the resident is outside the user's scope.
    """
    if not may_see_resident(db, user, resident_id):
        raise Forbidden(
            f"{user.actor} may not see resident {resident_id}",
            "Vous n'avez pas accès à la fiche de cet habitant.",
        )


@dataclass(frozen=True)
class NoteScope:
    """Which liaison notes a user reads: by audience, resident, family and provider.

    Attributes:
        audiences: the audiences read (None: all).
        family_of: only notes addressed to this resident's family.
        resident_ids: only notes concerning one of these residents (None: any)...
        provider_id: ...or, for a provider, notes addressed to this provider by name;
            notes addressed to another provider by name are never read.
    """

    audiences: tuple[str, ...] | None
    family_of: int | None
    resident_ids: frozenset[int] | None
    provider_id: int | None = None


def note_scope(db: sqlite_utils.Database, user: User) -> NoteScope:
    """The liaison notes the user may read.

    The team reads every note; a provider reads the notes for all providers about
    the residents they serve and those addressed to it by name; a family reads the
    notes addressed to it (which concern its relative only).

    Raises:
        Forbidden: residents have no notebook.
    """
    if user.role in (Role.ANIMATOR, Role.HOST):
        return NoteScope(None, None, None)
    if user.role is Role.PROVIDER:
        served = frozenset(served_resident_ids(db, user.tied_provider_id))
        return NoteScope((Audience.PROVIDERS.value,), None, served, user.provider_id)
    if user.role is Role.FAMILY:
        return NoteScope((Audience.FAMILY.value,), user.resident_id, None)
    raise Forbidden(f"{user.role} has no notebook", "Votre rôle ne donne pas accès au cahier.")


def may_write(user: User, table: str) -> bool:
    """Whether the user's role may create or change records of this table at all."""
    allowed = WRITE[user.role]
    return allowed is None or table in allowed


def note_refusal(
    db: sqlite_utils.Database, user: User, audience: str, resident_ids: list[int], family_of
) -> str | None:
    """Why this user may not write this note (French), or None if they may.

    Providers write notes for the team or providers about residents they serve;
    families write to the team about their own relative only.
    """
    if user.role is Role.ANIMATOR:
        return None
    if user.role is Role.PROVIDER:
        if audience not in (Audience.TEAM.value, Audience.PROVIDERS.value):
            return "un intervenant écrit à l'équipe ou aux intervenants"
        served = served_resident_ids(db, user.tied_provider_id)
        if not resident_ids or not set(resident_ids) <= served:
            return "choisissez un ou des habitants que vous accompagnez"
        return None
    if user.role is Role.FAMILY:
        if resident_ids != [user.resident_id] or family_of != user.resident_id:
            return "un proche écrit uniquement au sujet de son parent"
        if audience != Audience.FAMILY.value:
            return "un proche écrit dans le fil de sa famille"
        return None
    return "votre rôle ne permet pas d'écrire dans le cahier"

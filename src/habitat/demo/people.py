"""The demo's people before they are stored: name pools, residents' profiles, their carers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from habitat.domain import Public
from habitat.store.entities import EntryMode, ExitReason, Relation, Role, SupportLevel

# --- Names --------------------------------------------------------------------------

_WOMEN_OLD = (
    "Jeanne", "Germaine", "Odette", "Lucienne", "Simone", "Paulette", "Yvette",
    "Marguerite", "Madeleine", "Suzanne", "Denise", "Colette", "Josette", "Monique",
)  # fmt: skip
_MEN_OLD = (
    "Marcel", "Raymond", "André", "Roger", "Henri", "Georges", "Lucien", "René",
    "Robert", "Maurice", "Gilbert", "Fernand", "Jacques", "Bernard",
)  # fmt: skip
_WOMEN_MID = (
    "Catherine", "Isabelle", "Nathalie", "Sylvie", "Valérie", "Christine", "Sandrine",
    "Véronique", "Martine", "Brigitte", "Corinne", "Pascale", "Florence", "Muriel",
)  # fmt: skip
_MEN_MID = (
    "Philippe", "Pascal", "Laurent", "Thierry", "Éric", "Patrick", "Frédéric",
    "Didier", "Olivier", "Christophe", "Stéphane", "Jean-Luc", "Gilles", "Hervé",
)  # fmt: skip
_WOMEN_YOUNG = (
    "Sophie", "Camille", "Aurélie", "Émilie", "Laura", "Élodie", "Pauline", "Julie",
    "Manon", "Chloé", "Léa", "Sarah", "Inès", "Marion",
)  # fmt: skip
_MEN_YOUNG = (
    "Julien", "Thomas", "Nicolas", "Maxime", "Kévin", "Mathieu", "Romain", "Antoine",
    "Hugo", "Lucas", "Yanis", "Théo", "Mehdi", "Quentin",
)  # fmt: skip
SURNAMES = (
    "Martin", "Bernard", "Dubois", "Petit", "Durand", "Leroy", "Moreau", "Simon",
    "Laurent", "Lefebvre", "Michel", "Garcia", "Bertrand", "Roux", "Vincent", "Fournier",
    "Morel", "Girard", "Mercier", "Dupont", "Lambert", "Bonnet", "François", "Legrand",
    "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel",
    "Perrin", "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Fontaine", "Chevalier",
    "Robin", "Masson", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Roche",
    "Meyer", "Lucas", "Meunier", "Marchand", "Dufour", "Blanchard", "Barbier", "Brun",
    "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Renard", "Arnaud", "Caron",
    "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Picard", "Fabre",
    "Dupuis", "Olivier", "Hubert", "Guillot", "Rivière", "Le Gall", "Moulin", "Berger",
    "Fleury", "Deschamps", "Benoît", "Maillard", "Aubry", "Poirier", "Charpentier",
    "Baron", "Dupuy", "Breton", "Rémy", "Cousin", "Ferreira", "Benali", "Da Silva",
)  # fmt: skip


class Generation(StrEnum):
    """Which pool a first name is drawn from."""

    OLD = "old"
    MIDDLE = "middle"
    YOUNG = "young"


FIRST_NAMES = {
    (Generation.OLD, True): _WOMEN_OLD,
    (Generation.OLD, False): _MEN_OLD,
    (Generation.MIDDLE, True): _WOMEN_MID,
    (Generation.MIDDLE, False): _MEN_MID,
    (Generation.YOUNG, True): _WOMEN_YOUNG,
    (Generation.YOUNG, False): _MEN_YOUNG,
}

EXIT_REASONS_FR = {
    ExitReason.DEATH: "décès",
    ExitReason.INSTITUTION: "entrée en établissement",
    ExitReason.HOSPITAL: "hospitalisation longue",
    ExitReason.FAMILY: "retour en famille",
    ExitReason.OWN_HOME: "installation dans un logement autonome",
    ExitReason.OTHER: "autre projet de vie",
}
_RELATIONS_FR = {
    Relation.CHILD: ("fils", "fille"),
    Relation.SPOUSE: ("époux", "épouse"),
    Relation.PARENT: ("père", "mère"),
    Relation.SIBLING: ("frère", "sœur"),
    Relation.GRANDCHILD: ("petit-fils", "petite-fille"),
    Relation.OTHER_FAMILY: ("neveu", "nièce"),
    Relation.FRIEND: ("ami", "amie"),
    Relation.LEGAL_GUARDIAN: ("mandataire judiciaire", "mandataire judiciaire"),
    Relation.NEIGHBOUR: ("voisin", "voisine"),
}


# --- The residents' profiles --------------------------------------------------------


class Ties(StrEnum):
    """Who stands by a resident (DOMAIN.md §4.2: some families carry the habitat)."""

    PILLAR = "pillar"  # a relative giving 10+ hours a week, and another
    SOME = "some"  # one to three relatives giving an hour or two
    FRIEND_ONLY = "friend_only"  # no family: a friend is the emergency contact
    NOBODY = "nobody"  # no family, no emergency contact


@dataclass(frozen=True)
class Profile:
    """Who a resident is, before names are drawn: public, autonomy, family, story."""

    public: Public
    gir: int | None = None
    support_level: SupportLevel | None = None
    entry_mode: EntryMode = EntryMode.CHOSEN
    ties: Ties = Ties.SOME
    propensity: float = 0.6  # how readily they join activities
    stays: bool = False  # never leaves (alert fixtures, account holders)
    account: Role | None = None  # a family or resident account tied to them
    consents: bool = True  # whether the family agrees to information being shared


#: The founding residents: 4 elderly people GIR 2-5 and 4 disabilities.
FOUNDERS = (
    Profile(Public.ELDERLY, gir=2, ties=Ties.PILLAR, propensity=0.55),
    Profile(Public.ELDERLY, gir=3, entry_mode=EntryMode.DEFAULT, propensity=0.5, consents=False),
    Profile(Public.ELDERLY, gir=4, ties=Ties.FRIEND_ONLY, propensity=0.8, stays=True),
    Profile(Public.ELDERLY, gir=5, propensity=0.75),
    Profile(
        Public.MOTOR,
        support_level=SupportLevel.HIGH,
        propensity=0.7,
        stays=True,
        account=Role.RESIDENT,
    ),
    Profile(
        Public.PSYCHIC,
        support_level=SupportLevel.MODERATE,
        entry_mode=EntryMode.DEFAULT,
        ties=Ties.NOBODY,
        propensity=0.06,
        stays=True,
    ),
    Profile(
        Public.INTELLECTUAL,
        support_level=SupportLevel.MODERATE,
        ties=Ties.PILLAR,
        propensity=0.85,
        stays=True,
        account=Role.FAMILY,
    ),
    Profile(Public.AUTISM, support_level=SupportLevel.HIGH, propensity=0.45),
)
NEWCOMER_PUBLICS = (
    Public.ELDERLY,
    Public.ELDERLY,
    Public.ELDERLY,
    Public.MOTOR,
    Public.PSYCHIC,
    Public.INTELLECTUAL,
    Public.AUTISM,
    Public.SENSORY,
)
LEVELS = (SupportLevel.LOW, SupportLevel.MODERATE, SupportLevel.MODERATE, SupportLevel.HIGH)


@dataclass
class Kin:
    """A carer as the demo knows them (for notes and accounts)."""

    first_name: str
    last_name: str
    relation: Relation
    female: bool
    consent: bool
    hours: float
    id: int = 0

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def relation_fr(self) -> str:
        """The relation in French, in the carer's gender ("fille", "voisin")."""
        return _RELATIONS_FR[self.relation][self.female]


@dataclass
class Person:
    """A resident as the demo plans them, then their id once stored."""

    profile: Profile
    female: bool
    first_name: str
    last_name: str
    birth_year: int
    dwelling: int
    entry: date
    pseudonym: str
    propensity: float
    exit: date | None = None
    exit_reason: ExitReason | None = None
    carers: list[Kin] = field(default_factory=list)
    emergency_contact: str | None = None
    providers: list[str] = field(default_factory=list)
    id: int = 0

    def present(self, day: date) -> bool:
        """Whether they live in the house on `day`."""
        return self.entry <= day and (self.exit is None or day < self.exit)

    @property
    def full_name(self) -> str:
        """First and last name."""
        return f"{self.first_name} {self.last_name}"

    @property
    def called(self) -> str:
        """How the team names them in writing: elderly people by title, others by first name."""
        if self.profile.public is Public.ELDERLY:
            return f"{'Mme' if self.female else 'M.'} {self.last_name}"
        return self.first_name


def entry_order(person: Person) -> tuple[date, int]:
    """Sort key: residents by entry date, then dwelling."""
    return (person.entry, person.dwelling)

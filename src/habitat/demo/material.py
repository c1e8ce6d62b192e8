"""The demo's material, data only: volumes, places, providers, care, activities, texts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from habitat.domain import Public, SupportFunction
from habitat.store.entities import (
    ActivityCategory,
    Arrangement,
    DecisionStatus,
    Intensity,
    NeedDomain,
    ProviderKind,
    Severity,
    TensionKind,
)

# --- Volumes ------------------------------------------------------------------------

#: Private dwellings, and so the most residents present on any day.
DWELLINGS = 8
#: Liaison notes written on an average day, at scale 1 (fewer at weekends).
NOTES_PER_DAY = 4.0
#: Tensions and incidents recorded in a year, at scale 1 (most of them minor).
TENSIONS_PER_YEAR = 110
#: Collective activities in a week, at scale 1: one of these, drawn each week.
ACTIVITIES_PER_WEEK = (3, 4, 5)
#: The rota, the activities calendar and bookings run this many days past `end`.
PLANNED_AHEAD_DAYS = 14
#: The animator-coordinator's contract: 28 h a week, Monday to Thursday.
ANIMATOR_HOURS_PER_WEEK = 28.0

# Weekdays, Monday 0.
ANIMATOR_DAYS = (0, 1, 2, 3)
EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)
WEEKDAYS = (0, 1, 2, 3, 4)


# --- Places -------------------------------------------------------------------------


@dataclass(frozen=True)
class Town:
    """A town the demo house may stand in, with its habitat and host association."""

    name: str
    postcode: str
    department: str
    area: str
    habitat: str
    street: str
    host: str


TOWNS = (
    Town(
        "Saintes",
        "17100",
        "17",
        "Pays Santon",
        "La Maison des Tilleuls",
        "14 rue des Tilleuls",
        "Association Vivre Ensemble en Saintonge",
    ),
    Town(
        "Niort",
        "79000",
        "79",
        "Niortais",
        "La Maison des Acacias",
        "3 allée des Acacias",
        "Association Habiter Autrement en Niortais",
    ),
    Town(
        "Angoulême",
        "16000",
        "16",
        "Angoumois",
        "La Maison du Parc",
        "27 rue du Parc",
        "Association Toit Partagé Charente",
    ),
    Town(
        "Rochefort",
        "17300",
        "17",
        "Pays Rochefortais",
        "La Maison des Marronniers",
        "8 avenue des Marronniers",
        "Association Les Voisins de la Corderie",
    ),
)


# --- Providers, plans ---------------------------------------------------------------


@dataclass(frozen=True)
class ProviderSpec:
    """A provider of the town, before its contact person and numbers are drawn."""

    key: str
    name: str
    kind: ProviderKind
    arrangement: Arrangement
    services: str
    registered: bool  # has a FINESS number


def provider_specs(town: Town) -> tuple[ProviderSpec, ...]:
    """The providers around a house in `town`: the residents' own and the habitat's."""
    return (
        ProviderSpec(
            "saad_habitat",
            f"SAAD Aide et Présence du {town.area}",
            ProviderKind.HOME_HELP,
            Arrangement.HABITAT,
            "Aide à domicile mutualisée pour l'habitat : lever, repas, entretien, coucher.",
            True,
        ),
        ProviderSpec(
            "saad_own",
            f"ADMR de {town.name}",
            ProviderKind.HOME_HELP,
            Arrangement.OWN,
            "Aide à domicile (APA, PCH) : toilette, habillage, courses.",
            True,
        ),
        ProviderSpec(
            "ssiad",
            f"SSIAD du {town.area}",
            ProviderKind.NURSING,
            Arrangement.HABITAT,
            "Soins infirmiers à domicile sur prescription : soins d'hygiène, surveillance.",
            True,
        ),
        ProviderSpec(
            "nurse",
            "Cabinet infirmier des Arènes",
            ProviderKind.NURSING,
            Arrangement.OWN,
            "Infirmières libérales : injections, piluliers, pansements.",
            False,
        ),
        ProviderSpec(
            "savs",
            "SAVS Les Passerelles",
            ProviderKind.SAVS,
            Arrangement.OWN,
            "Accompagnement à la vie sociale : budget, démarches, loisirs.",
            True,
        ),
        ProviderSpec(
            "samsah",
            f"SAMSAH Horizon {town.department}",
            ProviderKind.SAMSAH,
            Arrangement.OWN,
            "Accompagnement médico-social : ergothérapie, éducateurs, coordination des soins.",
            True,
        ),
        ProviderSpec(
            "had",
            f"HAD du {town.area}",
            ProviderKind.HAD,
            Arrangement.OWN,
            "Hospitalisation à domicile : pansements complexes, perfusions, soins palliatifs.",
            True,
        ),
        ProviderSpec("gp_a", "", ProviderKind.GP, Arrangement.OWN, "Médecin traitant.", False),
        ProviderSpec("gp_b", "", ProviderKind.GP, Arrangement.OWN, "Médecin traitant.", False),
        ProviderSpec(
            "physio",
            "Cabinet de kinésithérapie du Centre",
            ProviderKind.OTHER,
            Arrangement.OWN,
            "Kinésithérapie à domicile.",
            False,
        ),
        ProviderSpec(
            "meals",
            f"Portage de repas du CCAS de {town.name}",
            ProviderKind.OTHER,
            Arrangement.HABITAT,
            "Repas livrés les jours sans repas partagé.",
            False,
        ),
    )


@dataclass(frozen=True)
class Visit:
    """A regular intervention of a support plan."""

    provider: str
    weekdays: tuple[int, ...]
    start: time
    end: time
    task: str


@dataclass(frozen=True)
class Need:
    """A need of a support plan."""

    domain: NeedDomain
    intensity: Intensity
    text: str


@dataclass(frozen=True)
class CarePattern:
    """A support plan typical of a public: needs, visits, risks agreed, preferences."""

    needs: tuple[Need, ...]
    visits: tuple[Visit, ...]
    risks: tuple[str, ...]
    preferences: tuple[str, ...]


ELDERLY_HEAVY = CarePattern(
    needs=(
        Need(
            NeedDomain.PERSONAL_CARE, Intensity.HEAVY, "Aide totale à la toilette et à l'habillage."
        ),
        Need(NeedDomain.MOBILITY, Intensity.MODERATE, "Transferts lit-fauteuil, déambulateur."),
        Need(NeedDomain.MEALS, Intensity.MODERATE, "Repas préparés, texture adaptée le soir."),
        Need(NeedDomain.HEALTH, Intensity.MODERATE, "Diabète : injection d'insuline le matin."),
        Need(NeedDomain.SAFETY, Intensity.MODERATE, "Risque de chute la nuit, téléassistance."),
    ),
    visits=(
        Visit(
            "saad_habitat", EVERY_DAY, time(8, 0), time(9, 15), "Lever, toilette, petit déjeuner"
        ),
        Visit("nurse", EVERY_DAY, time(7, 45), time(8, 0), "Injection d'insuline, pilulier"),
        Visit("saad_habitat", EVERY_DAY, time(18, 30), time(19, 15), "Repas du soir et coucher"),
        Visit("ssiad", WEEKDAYS, time(10, 0), time(10, 45), "Soins d'hygiène et surveillance"),
        Visit("gp_a", (3,), time(17, 30), time(18, 0), "Visite à domicile, une semaine sur quatre"),
    ),
    risks=(
        "Reste seul{e} dans son logement la nuit sans veille ; porte le bracelet de "
        "téléassistance et accepte un passage de l'aide à 22 h.",
        "Garde son tapis de salon malgré le risque de chute, après visite de l'ergothérapeute.",
    ),
    preferences=(
        "Aime se lever tard le dimanche ; préfère la douche le soir. Tient à sa messe du "
        "dimanche à la télévision.",
        "Veut garder ses meubles et ses photos ; n'aime pas être servi{e} la première.",
    ),
)
ELDERLY_LIGHT = CarePattern(
    needs=(
        Need(NeedDomain.HOUSEKEEPING, Intensity.MODERATE, "Ménage et linge deux fois par semaine."),
        Need(NeedDomain.HEALTH, Intensity.LIGHT, "Pilulier préparé par l'infirmière."),
        Need(NeedDomain.SOCIAL_LIFE, Intensity.LIGHT, "Souhaite garder ses sorties au club."),
        Need(NeedDomain.ADMINISTRATION, Intensity.LIGHT, "Aide ponctuelle pour le courrier."),
    ),
    visits=(
        Visit("saad_habitat", (0, 2, 4), time(10, 0), time(11, 30), "Ménage, courses, linge"),
        Visit("nurse", EVERY_DAY, time(8, 0), time(8, 15), "Pilulier, surveillance"),
        Visit("gp_b", (1,), time(16, 30), time(17, 0), "Consultation au cabinet, mensuelle"),
    ),
    risks=(
        "Sort seul{e} faire ses courses au marché malgré le risque de chute ; emporte son "
        "téléphone et prévient l'équipe de son retour.",
        "Prend sa douche seul{e} ; barre d'appui posée et téléassistance portée.",
    ),
    preferences=(
        "Aime jardiner et parler de son métier d'autrefois ; déteste les lotos.",
        "Préfère déjeuner chez soi en semaine et partager le repas du dimanche.",
    ),
)
_MOTOR = CarePattern(
    needs=(
        Need(NeedDomain.MOBILITY, Intensity.HEAVY, "Fauteuil électrique ; transferts à deux."),
        Need(NeedDomain.PERSONAL_CARE, Intensity.HEAVY, "Toilette, habillage, coucher."),
        Need(NeedDomain.HOUSEKEEPING, Intensity.MODERATE, "Entretien du logement."),
        Need(NeedDomain.SOCIAL_LIFE, Intensity.LIGHT, "Sorties en ville en transport adapté."),
    ),
    visits=(
        Visit("saad_own", EVERY_DAY, time(7, 30), time(9, 0), "Lever, toilette, habillage"),
        Visit("saad_habitat", (1, 3), time(8, 30), time(9, 30), "Petit déjeuner, ménage"),
        Visit("saad_own", EVERY_DAY, time(20, 0), time(21, 0), "Coucher"),
        Visit("samsah", (1,), time(14, 0), time(15, 0), "Ergothérapie, aides techniques"),
        Visit("physio", (0, 3), time(11, 0), time(11, 45), "Kinésithérapie"),
    ),
    risks=(
        "Se déplace seul{e} en fauteuil électrique en ville, y compris le soir jusqu'à 21 h ; "
        "téléphone chargé et trajet connu de l'équipe.",
    ),
    preferences=(
        "Veut choisir ses aides à domicile et ses horaires ; tient à son autonomie de décision.",
    ),
)
_PSYCHIC = CarePattern(
    needs=(
        Need(NeedDomain.HEALTH, Intensity.MODERATE, "Traitement au long cours, suivi au CMP."),
        Need(NeedDomain.ADMINISTRATION, Intensity.MODERATE, "Gestion du budget avec le SAVS."),
        Need(NeedDomain.SOCIAL_LIFE, Intensity.MODERATE, "Isolement : peu de liens hors habitat."),
    ),
    visits=(
        Visit("savs", (2,), time(10, 0), time(11, 0), "Budget, démarches administratives"),
        Visit("nurse", (4,), time(9, 0), time(9, 15), "Injection retard, suivi du traitement"),
        Visit("gp_b", (4,), time(17, 0), time(17, 30), "Consultation, une semaine sur quatre"),
    ),
    risks=(
        "Gère seul{e} son traitement de la semaine (pilulier préparé par l'infirmière) ; l'équipe "
        "alerte le CMP après deux prises oubliées.",
        "Reçoit des amis dans son logement le soir sans prévenir l'équipe.",
    ),
    preferences=(
        "Préfère qu'on frappe et attende sa réponse ; n'aime pas les activités en grand groupe.",
    ),
)
_INTELLECTUAL = CarePattern(
    needs=(
        Need(NeedDomain.MEALS, Intensity.MODERATE, "Préparation des repas avec accompagnement."),
        Need(NeedDomain.ADMINISTRATION, Intensity.HEAVY, "Budget et courrier (curatelle)."),
        Need(NeedDomain.SOCIAL_LIFE, Intensity.LIGHT, "Travaille à l'ESAT, club de foot."),
    ),
    visits=(
        Visit("savs", (0, 3), time(16, 0), time(17, 30), "Courses, budget, loisirs"),
        Visit("saad_habitat", (1, 4), time(17, 0), time(18, 0), "Préparation du repas"),
        Visit("gp_a", (2,), time(18, 0), time(18, 30), "Consultation, une semaine sur six"),
    ),
    risks=(
        "Prend le bus seul{e} pour aller à l'ESAT et au club de foot ; carte avec le numéro de "
        "l'habitat dans son portefeuille.",
    ),
    preferences=("Adore la cuisine et la musique ; a besoin de repères écrits pour la semaine.",),
)
_AUTISM = CarePattern(
    needs=(
        Need(NeedDomain.COMMUNICATION, Intensity.HEAVY, "Communication par pictogrammes."),
        Need(NeedDomain.SOCIAL_LIFE, Intensity.MODERATE, "Routines stables, peu de bruit."),
        Need(NeedDomain.MEALS, Intensity.MODERATE, "Repas à heure fixe, aliments choisis."),
    ),
    visits=(
        Visit("samsah", (0, 2, 4), time(9, 30), time(11, 0), "Accompagnement éducatif, routines"),
        Visit("saad_habitat", EVERY_DAY, time(18, 0), time(19, 0), "Repas du soir, coucher"),
        Visit("gp_a", (1,), time(17, 0), time(17, 30), "Consultation, une semaine sur huit"),
    ),
    risks=(
        "Reste seul{e} dans son logement l'après-midi sans sollicitation de l'équipe ; "
        "passage discret à 16 h.",
    ),
    preferences=(
        "Besoin d'être prévenu{e} de tout changement de planning la veille ; casque anti-bruit.",
    ),
)
_SENSORY = CarePattern(
    needs=(
        Need(NeedDomain.MOBILITY, Intensity.MODERATE, "Malvoyance : repères tactiles, canne."),
        Need(NeedDomain.ADMINISTRATION, Intensity.MODERATE, "Lecture du courrier."),
    ),
    visits=(
        Visit("savs", (1,), time(14, 0), time(15, 30), "Locomotion, démarches"),
        Visit("saad_habitat", (0, 3), time(10, 0), time(11, 0), "Courses, lecture du courrier"),
        Visit("gp_b", (2,), time(16, 0), time(16, 30), "Consultation, mensuelle"),
    ),
    risks=("Cuisine seul{e} dans son logement avec une plaque à arrêt automatique.",),
    preferences=("Ne rien déplacer dans son logement sans prévenir.",),
)

#: The care pattern of each public but elderly people (theirs depends on the GIR).
DISABILITY_CARE = {
    Public.MOTOR: _MOTOR,
    Public.PSYCHIC: _PSYCHIC,
    Public.INTELLECTUAL: _INTELLECTUAL,
    Public.AUTISM: _AUTISM,
    Public.SENSORY: _SENSORY,
}

#: The GIR 2 founder's hospital-at-home nurse comes while the habitat's aide is there.
HAD_VISIT = Visit("had", (0, 2, 4), time(9, 0), time(9, 30), "Pansement complexe (HAD)")


# --- Collective life ----------------------------------------------------------------


@dataclass(frozen=True)
class ActivityKind:
    """A collective activity the house holds, when and where."""

    title: str
    category: ActivityCategory
    starts: time
    hours: float
    spaces: tuple[str, ...] = ()  # empty: outside, at `location`
    location: str = ""
    weight: int = 1
    mobile_only: bool = False  # harder for people with reduced mobility
    months: tuple[int, ...] = ()  # empty: all year
    weekdays: tuple[int, ...] = EVERY_DAY

    def held_on(self, day: date) -> bool:
        """Whether the activity can take place on `day` (weekday and season)."""
        return day.weekday() in self.weekdays and (not self.months or day.month in self.months)


ACTIVITY_KINDS = (
    ActivityKind(
        "Repas partagé", ActivityCategory.MEAL, time(12, 0), 2, ("cuisine", "salon"), weight=6
    ),
    ActivityKind(
        "Petit déjeuner commun", ActivityCategory.MEAL, time(8, 30), 1.5, ("cuisine",), weight=2
    ),
    ActivityKind(
        "Atelier cuisine : le repas du soir",
        ActivityCategory.WORKSHOP,
        time(17, 0),
        2,
        ("cuisine",),
        weight=2,
    ),
    ActivityKind(
        "Atelier mémoire", ActivityCategory.WORKSHOP, time(10, 0), 1.5, ("salon",), weight=2
    ),
    ActivityKind("Gym douce", ActivityCategory.SPORT, time(10, 30), 1, ("salon",), weight=2),
    ActivityKind(
        "Atelier jardinage",
        ActivityCategory.WORKSHOP,
        time(10, 0),
        2,
        ("jardin",),
        weight=2,
        months=(3, 4, 5, 6, 7, 8, 9, 10),
    ),
    ActivityKind("Atelier peinture", ActivityCategory.WORKSHOP, time(14, 30), 2, ("salon",)),
    ActivityKind("Chorale", ActivityCategory.CULTURE, time(15, 0), 1.5, ("salon",)),
    ActivityKind("Loto", ActivityCategory.OTHER, time(15, 0), 2, ("salon",)),
    ActivityKind("Soirée cinéma", ActivityCategory.CULTURE, time(20, 0), 2, ("salon",)),
    ActivityKind(
        "Lecture du journal et café", ActivityCategory.CULTURE, time(9, 30), 1, ("salon",)
    ),
    ActivityKind(
        "Goûter d'anniversaire", ActivityCategory.CELEBRATION, time(16, 0), 1.5, ("salon", "jardin")
    ),
    ActivityKind(
        "Fête des voisins",
        ActivityCategory.NEIGHBOURHOOD,
        time(18, 30),
        3,
        ("jardin",),
        months=(5, 6),
        weekdays=(4, 5),
    ),
    ActivityKind(
        "Marché du samedi",
        ActivityCategory.OUTING,
        time(9, 30),
        2,
        location="Marché couvert",
        weight=2,
        mobile_only=True,
        weekdays=(5,),
    ),
    ActivityKind(
        "Sortie à la médiathèque",
        ActivityCategory.CULTURE,
        time(14, 30),
        2,
        location="Médiathèque municipale",
    ),
    ActivityKind(
        "Promenade au jardin public",
        ActivityCategory.SPORT,
        time(15, 0),
        1.5,
        location="Jardin public",
        mobile_only=True,
    ),
    ActivityKind(
        "Cinéma en ville",
        ActivityCategory.CULTURE,
        time(14, 0),
        2.5,
        location="Cinéma du centre-ville",
    ),
    ActivityKind(
        "Café des voisins",
        ActivityCategory.NEIGHBOURHOOD,
        time(10, 0),
        2,
        location="Centre social du quartier",
        weight=2,
    ),
    ActivityKind(
        "Rencontre avec l'école",
        ActivityCategory.NEIGHBOURHOOD,
        time(14, 0),
        1.5,
        location="École élémentaire Jules-Ferry",
        weekdays=(0, 1, 3),
        months=(1, 2, 3, 4, 5, 6, 9, 10, 11, 12),
    ),
    ActivityKind(
        "Courses au supermarché",
        ActivityCategory.OUTING,
        time(10, 0),
        1.5,
        location="Supermarché du quartier",
    ),
    ActivityKind(
        "Sortie à la journée au bord de mer",
        ActivityCategory.OUTING,
        time(10, 0),
        6,
        location="Bord de mer (minibus de l'association)",
        mobile_only=True,
        months=(6, 7, 8, 9),
    ),
    ActivityKind(
        "Pétanque avec le club du quartier",
        ActivityCategory.NEIGHBOURHOOD,
        time(15, 0),
        2,
        location="Boulodrome municipal",
        mobile_only=True,
        months=(4, 5, 6, 7, 8, 9),
    ),
)
ACTIVITY_WEIGHTS = tuple(kind.weight for kind in ACTIVITY_KINDS)

SPACES = (
    ("cuisine", "Cuisine", 10),
    ("salon", "Salon", 15),
    ("jardin", "Jardin", 20),
    ("buanderie", "Buanderie", 3),
)
#: What residents book a common space for: (space, purpose, hours); the first few
#: need a family or friends to come.
BOOKING_PURPOSES = (
    ("cuisine", "Repas avec sa famille", 2.5),
    ("salon", "Visite de la famille", 2.0),
    ("salon", "Anniversaire avec ses proches", 3.0),
    ("cuisine", "Préparer un gâteau pour le goûter", 2.0),
    ("salon", "Rendez-vous avec son assistante sociale", 1.0),
    ("jardin", "Lecture au calme", 2.0),
    ("buanderie", "Lessive des draps", 1.5),
    ("buanderie", "Lessive", 1.0),
)
FAMILY_PURPOSES = 3

HOUSE_RULES = (
    (
        "Cuisine commune",
        "La cuisine est ouverte de 7 h à 22 h. Chacun lave et range sa vaisselle ; "
        "le réfrigérateur commun est vidé le lundi.",
    ),
    (
        "Buanderie",
        "Les machines se réservent sur le planning de l'entrée ; le linge est retiré "
        "dans l'heure qui suit la fin du programme.",
    ),
    (
        "Visites",
        "Les proches sont les bienvenus. Après 21 h, les visites se font dans les "
        "logements, pas dans les espaces communs.",
    ),
    (
        "Calme",
        "De 22 h à 7 h, télévision et musique à faible volume dans le salon ; "
        "le salon ferme à 23 h.",
    ),
    ("Jardin", "Le potager est partagé ; les récoltes sont pour le repas partagé du dimanche."),
    ("Animaux", "Les animaux de compagnie sont acceptés dans les logements, pas dans la cuisine."),
    ("Tabac", "Il est interdit de fumer dans les espaces communs ; un abri est prévu au jardin."),
)
PVSP_TEXTS = (
    "Projet de vie sociale et partagée de {habitat}.\n\n"
    "Nous avons choisi de vivre ensemble, chacun chez soi, en partageant des espaces, des "
    "repas et des projets. L'association {host} garantit ce projet et la participation de "
    "chacun.\n\n"
    "1. Vivre chez soi : chacun garde ses habitudes, ses intervenants, ses visites.\n"
    "2. Partager : un repas partagé au moins une fois par semaine, des ateliers, des sorties.\n"
    "3. Décider ensemble : le conseil des habitants se réunit chaque mois.\n"
    "4. S'ouvrir au quartier : centre social, école, commerces et associations voisines.\n"
    "5. Veiller les uns sur les autres : une présence est assurée de 8 h à 21 h.",
    "Projet de vie sociale et partagée de {habitat}, version 2.\n\n"
    "Après un premier temps de vie commune, le conseil des habitants a revu le projet.\n\n"
    "1. Vivre chez soi : chacun garde ses habitudes, ses intervenants, ses visites ; les "
    "accords autonomie-sécurité sont revus au moins deux fois par an.\n"
    "2. Partager : deux repas partagés par semaine, le choix des ateliers se fait au conseil.\n"
    "3. Décider ensemble : le conseil des habitants se réunit chaque mois ; les familles y "
    "sont invitées une fois par trimestre.\n"
    "4. S'ouvrir au quartier : un partenariat écrit avec le centre social et l'école.\n"
    "5. Veiller les uns sur les autres : une présence de 8 h à 21 h, un planning affiché, "
    "les absences prévenues la veille.\n"
    "6. Régler les désaccords : un temps d'échange avec l'animatrice avant tout conflit.",
)


# --- Liaison notebook, tensions, council, time -------------------------------------

# Placeholders: {r} and {r2} residents as the team names them, {e} and {x} feminine
# endings, {il} il/elle, {p} a provider, {c} a carer, {rel} the carer's relation, {h}
# an hour of the day, {soir} of the evening, {d} a date, {dossier} APA or MDPH,
# {prevenu} who was told (family, emergency contact, or nobody to tell).
NOTES_TEAM = (
    "{r} a mal dormi, s'est levé{e} plusieurs fois dans la nuit ; à surveiller ce soir.",
    "{r} n'a presque rien mangé au repas de midi, dit ne pas avoir faim depuis deux jours.",
    "{r} est resté{e} dans son logement toute la journée, {il} n'a pas souhaité venir au salon.",
    "Bonne humeur de {r} aujourd'hui : {il} a aidé à mettre la table et à ranger la cuisine.",
    "{r} s'est plaint{e} de douleurs au genou ; rendez-vous pris chez le médecin traitant.",
    "{r} a oublié sa clé à l'intérieur, double récupéré dans le coffre de l'animatrice.",
    "Petite chute de {r} dans le couloir vers {h}, relevé{e} sans blessure ; {prevenu}.",
    "{r} demande à changer de place à table pour le repas partagé.",
    "{r} a reçu la visite de son médecin ; nouvelle ordonnance dans le classeur.",
    "{r} était très anxieux{x} ce matin, apaisé{e} après un moment au jardin.",
    "{r} a refusé la toilette ce matin ; l'aide repassera à {h}.",
    "{r} a participé à l'atelier avec plaisir et propose d'en animer un la semaine prochaine.",
    "{r} parle beaucoup de son ancien logement, un peu de tristesse en fin de journée.",
    "{r} et {r2} sont allés ensemble à la boulangerie, première sortie à deux.",
    "Léger désaccord entre {r} et {r2} sur la télévision du salon ; réglé à l'amiable.",
    "{r} a rendez-vous chez le dentiste jeudi à {h} ; taxi réservé.",
    "{r} veut inviter un proche au repas partagé de dimanche : d'accord, deux couverts.",
    "Pilulier de {r} vérifié : prises de la semaine faites.",
    "{r} a demandé de l'aide pour remplir son dossier {dossier} ; rendez-vous fixé mardi.",
    "{r} est rentré{e} tard de sa sortie (vers {soir}), sans prévenir ; rappel de l'accord.",
)
NOTES_HOUSE = (
    "Chaudière en panne ce matin, technicien passé à {h}, eau chaude rétablie.",
    "Plus de sacs poubelle jaunes : commande faite, livraison jeudi.",
    "Le lave-linge de la buanderie fuit, ne pas l'utiliser jusqu'à la réparation.",
    "Livraison des courses du repas partagé à {h}, tout est rangé dans la cuisine.",
    "Exercice d'évacuation réalisé à {h} : tout le monde dehors en quatre minutes.",
    "Le portail du jardin ferme mal, signalé au bailleur.",
    "Ampoule grillée dans l'entrée, changée.",
    "Le centre social propose un atelier numérique le mardi : affiche dans l'entrée.",
    "Réunion d'équipe : planning des présences du week-end à compléter.",
    "Visite de la responsable de l'association à {h} pour le point mensuel.",
)
NOTES_PROVIDERS = (
    "Pour {p} : {r} a un rendez-vous à l'hôpital jeudi, merci de passer plus tôt, vers {h}.",
    "Pour {p} : {r} n'a plus de protections, commande à prévoir.",
    "À l'attention de {p} : changement de traitement pour {r}, ordonnance dans le classeur.",
    "{p} : merci de noter vos passages dans le cahier, deux visites sans transmission.",
    "{p} : {r} préfère la douche le soir à partir de lundi, à voir avec votre planning.",
    "Pour {p} : le passage de {h} chevauche celui de l'aide de l'habitat chez {r}, à coordonner.",
    "Pour {p} : {r} sera absent{e} tout le week-end (chez des proches).",
    "{p} : {r} s'est plaint{e} de rougeurs au talon, merci de surveiller.",
    "Pour {p} : la clé de {r} est désormais dans la boîte à code de l'entrée.",
    "À l'attention de {p} : {r} sort de l'hôpital demain à {h}, retour à domicile à organiser.",
)
NOTES_FAMILY = (
    "Pour la famille de {r} : {il} a bien profité de la sortie de samedi.",
    "Pour la famille de {r} : prévoir des vêtements plus chauds, l'hiver arrive.",
    "Pour la famille de {r} : rendez-vous chez le dentiste le {d}, pouvez-vous l'accompagner ?",
    "Pour la famille de {r} : {il} aimerait que vous veniez au repas partagé de dimanche.",
    "Pour la famille de {r} : le renouvellement de la carte d'identité est à faire.",
    "Pour la famille de {r} : bonne semaine dans l'ensemble, {il} a retrouvé l'appétit.",
    "Pour la famille de {r} : l'ordonnance de la pharmacie arrive à échéance.",
    "Pour la famille de {r} : {il} a demandé à vous appeler plus souvent le soir.",
)
NOTES_FROM_FAMILY = (
    "{c} ({rel} de {r}) : je passerai samedi vers {h}, merci de le dire à {r}.",
    "{c} ({rel} de {r}) : nous partons deux semaines, joignable par téléphone.",
    "{c} ({rel} de {r}) : {r} m'a dit avoir mal au dos, pouvez-vous en parler au médecin ?",
)
NOTE_ENDINGS = (
    "",
    "",
    "",
    " Merci de noter dans le cahier si cela se reproduit.",
    " À reprendre en réunion d'équipe.",
    " Merci !",
    " Je repasse demain.",
)

PROVIDER_NOTE_ENDINGS = ("", "", " Merci.", " Bonne journée.", " Merci de confirmer.")

TENSION_TEXTS = {
    TensionKind.AUTONOMY_SAFETY: (
        "{r} est sorti{e} seul{e} le soir sans prévenir ; {c} demande que la porte soit "
        "fermée à clé.",
        "Chute de {r} dans sa salle de bains ; {il} refuse de porter la téléassistance.",
        "{r} veut cuisiner seul{e} malgré deux oublis de plaque allumée.",
        "{r} souhaite gérer seul{e} ses médicaments ; l'infirmière s'y oppose.",
        "{r} veut aller seul{e} en ville en fauteuil malgré la nuit qui tombe tôt.",
    ),
    TensionKind.COMMON_SPACES: (
        "Vaisselle laissée plusieurs jours dans l'évier de la cuisine commune.",
        "Télévision du salon à fort volume après 22 h ; plaintes de voisins de palier.",
        "Machines de la buanderie occupées toute la matinée, désaccord sur le planning.",
        "Potager : plantations arrachées, désaccord sur ce qui doit être cultivé.",
        "Réfrigérateur commun : aliments périmés, personne ne se sent responsable.",
        "Salon réservé pour une fête de famille le jour de l'atelier ; mécontentement.",
    ),
    TensionKind.BETWEEN_RESIDENTS: (
        "Dispute entre {r} et {r2} au repas partagé, propos blessants.",
        "{r2} se plaint que {r} entre dans son logement sans frapper.",
        "Tension entre {r} et {r2} autour de la musique le soir.",
        "{r} refuse de s'asseoir à côté de {r2} depuis l'atelier de mardi.",
        "{r} accuse {r2} de lui avoir pris des affaires dans la buanderie.",
    ),
    TensionKind.PROVIDERS: (
        "{p} et l'aide de l'habitat passent à la même heure chez {r} : toilette faite deux fois, "
        "repas non préparé.",
        "{p} n'a pas transmis à l'équipe le changement de traitement de {r}.",
        "Intervenant de {p} absent sans remplacement ; {r} pas levé{e} avant 11 h.",
        "Désaccord entre {p} et l'équipe sur l'heure du coucher de {r}.",
        "{p} refuse d'intervenir dans la cuisine commune pour le repas de {r}.",
    ),
    TensionKind.FAMILY: (
        "{c} conteste l'organisation des sorties et voudrait plus d'activités pour {r}.",
        "{c} ne vient plus depuis trois semaines ; les courses de {r} ne sont plus faites.",
        "{c} demande à lire tout le cahier de liaison, y compris les notes sur les autres.",
        "Désaccord dans la famille de {r} sur une entrée en établissement.",
        "{c} reproche à l'équipe de laisser {r} sortir seul{e}.",
    ),
    TensionKind.CARE_PATH_RUPTURE: (
        "Retour d'hospitalisation de {r} un vendredi soir sans ordonnance ni compte rendu ; "
        "personne n'avait prévenu l'équipe.",
        "{p} arrête l'accompagnement de {r} sans passage de relais.",
        "Hospitalisation en urgence de {r} ; le dossier de liaison d'urgence n'était pas à jour.",
        "Sortie d'hôpital de {r} : lit médicalisé livré deux jours après le retour.",
        "Départ à la retraite du médecin traitant de {r} ; ordonnance non renouvelée.",
    ),
}
TENSION_ACTIONS = {
    TensionKind.AUTONOMY_SAFETY: (
        "Échange avec {r} et {c} ; l'accord autonomie-sécurité est relu et maintenu.",
        "Rendez-vous avec le médecin traitant ; nouvel accord signé, revu dans trois mois.",
    ),
    TensionKind.COMMON_SPACES: (
        "Point au conseil des habitants ; planning affiché dans la cuisine.",
        "Rappel de la règle de vie ; tour de rôle proposé et accepté.",
    ),
    TensionKind.BETWEEN_RESIDENTS: (
        "Médiation par l'animatrice avec les deux habitants ; excuses échangées.",
        "Places à table changées ; point prévu dans deux semaines.",
    ),
    TensionKind.PROVIDERS: (
        "Réunion de coordination avec {p} et le SAAD de l'habitat ; horaires décalés.",
        "Courriel au responsable de {p} ; réponse reçue, planning revu.",
    ),
    TensionKind.FAMILY: (
        "Rencontre avec {c} ; explication du projet de vie sociale et partagée.",
        "Appel de {c} par l'animatrice ; relais trouvé avec un autre proche.",
    ),
    TensionKind.CARE_PATH_RUPTURE: (
        "Appel au service hospitalier et au médecin traitant ; ordonnance obtenue le lendemain.",
        "Nouveau prestataire trouvé ; fiche de liaison d'urgence mise à jour.",
    ),
}
TENSION_KIND_WEIGHTS = (
    (TensionKind.COMMON_SPACES, 22),
    (TensionKind.BETWEEN_RESIDENTS, 20),
    (TensionKind.AUTONOMY_SAFETY, 20),
    (TensionKind.PROVIDERS, 15),
    (TensionKind.FAMILY, 13),
    (TensionKind.CARE_PATH_RUPTURE, 10),
)
SEVERITIES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)
SEVERITY_WEIGHTS = {
    TensionKind.CARE_PATH_RUPTURE: (10, 35, 40, 15),
    TensionKind.AUTONOMY_SAFETY: (30, 40, 25, 5),
}
USUAL_SEVERITY_WEIGHTS = (55, 32, 11, 2)
#: Days a tension takes to settle, by severity (shortest, longest).
SETTLING_DAYS = {
    Severity.LOW: (1, 10),
    Severity.MEDIUM: (3, 30),
    Severity.HIGH: (7, 45),
    Severity.CRITICAL: (2, 20),
}

AGENDA_ITEMS = (
    "Bilan des activités du mois",
    "Organisation des repas partagés",
    "Planning de la buanderie",
    "Projet de sortie à la mer",
    "Accueil d'un nouvel habitant",
    "Budget des animations",
    "Règles d'usage du salon",
    "Fête des voisins",
    "Travaux dans le jardin",
    "Retour sur les tensions récentes",
    "Partenariat avec le centre social",
    "Exercice d'évacuation",
    "Présence le week-end",
)
AGENDA_OUTCOMES = (
    "échange riche, décision ci-dessous.",
    "point reporté au prochain conseil.",
    "approuvé à l'unanimité.",
    "avis partagés ; l'animatrice fera une proposition.",
    "information donnée, pas de remarque.",
)
DECISIONS = (
    "Acheter un second lave-linge pour la buanderie.",
    "Un repas partagé le dimanche midi une fois par mois avec les familles.",
    "Afficher le planning de la cuisine dans l'entrée.",
    "Inviter les voisins à la galette des rois.",
    "Demander au bailleur de réparer le portail du jardin.",
    "Installer des bacs de potager surélevés accessibles en fauteuil.",
    "Télévision du salon éteinte à 22 h 30 en semaine.",
    "Proposer un atelier mémoire avec le centre social.",
    "Organiser une sortie à la mer en juin.",
    "Tenir un tableau des présences du week-end dans l'entrée.",
    "Rédiger une charte d'accueil des nouveaux habitants.",
)
FOLLOW_UPS = {
    DecisionStatus.DONE: (
        "Fait, à revoir dans trois mois.",
        "Mis en place ; retour positif des habitants.",
        "Fait ; affiché dans l'entrée.",
    ),
    DecisionStatus.IN_PROGRESS: (
        "Devis demandé, en attente de réponse.",
        "En cours avec le centre social.",
        "Relancé au conseil suivant.",
    ),
    DecisionStatus.ABANDONED: (
        "Reporté faute de budget, puis abandonné.",
        "Abandonné : les habitants ont changé d'avis.",
    ),
}

FUNCTION_WEIGHTS = (
    (SupportFunction.COLLECTIVE_ORGANISATION, 45),
    (SupportFunction.COLLECTIVE_PRESENCE, 25),
    (SupportFunction.INDIVIDUAL_SUPPORT, 18),
    (SupportFunction.PREMISES, 12),
)
FUNCTION_NOTES = {
    SupportFunction.PREMISES: (
        "Suivi des travaux avec le bailleur",
        "Inventaire de la cuisine commune",
        "Planning de la buanderie",
        "Contrôle des extincteurs",
    ),
    SupportFunction.COLLECTIVE_ORGANISATION: (
        "Préparation du conseil des habitants",
        "Animation d'un atelier",
        "Repas partagé",
        "Rencontre avec le centre social",
        "Régulation d'un désaccord",
        "Compte rendu du conseil",
    ),
    SupportFunction.COLLECTIVE_PRESENCE: (
        "Présence au salon l'après-midi",
        "Accueil des familles",
        "Permanence",
    ),
    SupportFunction.INDIVIDUAL_SUPPORT: (
        "Accompagnement à un rendez-vous médical",
        "Dossier MDPH",
        "Coordination avec le SAAD",
        "Démarches APA",
    ),
}


REVIEW_SUMMARIES = (
    "Bilan avec {r} : objectifs atteints, horaires d'intervention ajustés.",
    "Situation stable pour {r} ; accord autonomie-sécurité reconduit.",
    "{r} souhaite plus de sorties ; atelier ajouté le mercredi.",
    "Perte d'autonomie de {r} constatée ; demande de révision du plan d'aide transmise.",
    "Bilan avec {r} ; coordination des intervenants à améliorer.",
)

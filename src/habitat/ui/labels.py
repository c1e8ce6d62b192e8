"""French labels of the domain's enumerations, for selects, tables and charts."""

from __future__ import annotations

from enum import StrEnum

from habitat.domain import Public, SupportFunction
from habitat.services.access import ROLE_FR
from habitat.store.entities import (
    ActivityCategory,
    Arrangement,
    Audience,
    DecisionStatus,
    EntryMode,
    ExitReason,
    Intensity,
    NeedDomain,
    Place,
    Presence,
    PresenceRole,
    ProviderKind,
    Relation,
    Role,
    Severity,
    SupportLevel,
    TensionKind,
    TensionStatus,
)

LABELS: dict[type[StrEnum], dict[str, str]] = {
    Public: {
        "elderly": "personne âgée",
        "motor": "handicap moteur",
        "psychic": "handicap psychique",
        "intellectual": "handicap intellectuel",
        "autism": "troubles du spectre autistique",
        "sensory": "handicap sensoriel",
    },
    SupportFunction: {
        "premises": "veille des locaux et sécurité",
        "collective_organisation": "organisation de la vie collective",
        "collective_presence": "présence collective",
        "individual_support": "soutien individuel",
    },
    ActivityCategory: {
        "meal": "repas partagé",
        "workshop": "atelier",
        "outing": "sortie",
        "sport": "activité physique",
        "culture": "culture",
        "celebration": "fête",
        "neighbourhood": "vie de quartier",
        "other": "autre",
    },
    Arrangement: {"own": "choisi par l'habitant", "habitat": "choisi par l'habitat"},
    Audience: {"team": "équipe", "providers": "intervenants", "family": "famille"},
    DecisionStatus: {
        "to_do": "à faire",
        "in_progress": "en cours",
        "done": "faite",
        "abandoned": "abandonnée",
    },
    EntryMode: {"chosen": "choisie", "default": "par défaut"},
    ExitReason: {
        "death": "décès",
        "institution": "établissement",
        "hospital": "hospitalisation",
        "family": "retour en famille",
        "own_home": "logement personnel",
        "other": "autre",
    },
    Intensity: {"light": "léger", "moderate": "modéré", "heavy": "important"},
    NeedDomain: {
        "mobility": "mobilité",
        "personal_care": "soins personnels",
        "meals": "repas",
        "housekeeping": "entretien du logement",
        "health": "santé",
        "administration": "démarches administratives",
        "social_life": "vie sociale",
        "safety": "sécurité",
        "communication": "communication",
    },
    Place: {"in_habitat": "dans l'habitat", "outside": "à l'extérieur"},
    Presence: {"present": "présent", "absent": "absent", "excused": "excusé"},
    PresenceRole: {
        "animator": "animateur·rice",
        "provider": "intervenant",
        "volunteer": "bénévole",
        "family": "proche",
        "night_watch": "veille de nuit",
        "civic_service": "service civique",
        "other": "autre",
    },
    ProviderKind: {
        "home_help": "aide à domicile (SAAD)",
        "nursing": "soins infirmiers (SSIAD, IDE)",
        "savs": "SAVS",
        "samsah": "SAMSAH",
        "had": "hospitalisation à domicile",
        "gp": "médecin traitant",
        "other": "autre",
    },
    Relation: {
        "child": "enfant",
        "spouse": "conjoint·e",
        "parent": "parent",
        "sibling": "frère ou sœur",
        "grandchild": "petit-enfant",
        "other_family": "autre membre de la famille",
        "friend": "ami·e",
        "legal_guardian": "mandataire judiciaire",
        "neighbour": "voisin·e",
    },
    # One catalogue of role names, the one the access rules keep (promoters included).
    Role: {role.value: name for role, name in ROLE_FR.items()},
    Severity: {"low": "faible", "medium": "moyenne", "high": "forte", "critical": "critique"},
    SupportLevel: {
        "none": "aucun",
        "low": "faible",
        "moderate": "modéré",
        "high": "important",
        "very_high": "très important",
    },
    TensionKind: {
        "autonomy_safety": "autonomie et sécurité",
        "common_spaces": "espaces communs",
        "between_residents": "entre habitants",
        "own_vs_habitat_providers": "intervenants de l'habitant et de l'habitat",
        "family": "avec une famille",
        "care_path_rupture": "rupture de parcours",
    },
    TensionStatus: {"open": "ouverte", "in_progress": "en cours", "closed": "close"},
}


def fr(value: StrEnum | str | None) -> str:
    """The French label of an enum member (its value if unknown, "—" for None)."""
    if value is None:
        return "—"
    if isinstance(value, StrEnum):
        return LABELS.get(type(value), {}).get(value.value, value.value)
    for labels in LABELS.values():
        if value in labels:
            return labels[value]
    return str(value)


def options(enum: type[StrEnum]) -> list[str]:
    """The enum's values, in declaration order (for a select with `format_func=fmt(enum)`)."""
    return [member.value for member in enum]


def fmt(enum: type[StrEnum]):
    """A `format_func` showing the French label of the enum's values."""
    labels = LABELS[enum]
    return lambda value: labels.get(value, "—") if value is not None else "—"

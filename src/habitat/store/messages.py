"""The message catalogue: field names and refusal reasons in French, for the screens."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: French label of every field a form can show.
FIELD_LABELS: dict[str, str] = {
    "name": "Nom",
    "password": "Mot de passe",
    "current": "Mot de passe actuel",
    "again": "Confirmation",
    "confirmation": "Confirmation",
    "reason": "Motif",
    "backup_file": "Fichier de sauvegarde",
    "host_organisation": "Porteur du projet partagé",
    "address": "Adresse",
    "dwellings": "Nombre de logements",
    "avp_amount_per_resident": "AVP par habitant et par an (€)",
    "avp_tier": "Palier d'AVP",
    "avp_start": "Début de la convention AVP",
    "avp_end": "Fin de la convention AVP",
    "animator_hours_per_week": "Temps d'animation prévu (h/semaine)",
    "presence_from": "Présence collective à partir de",
    "presence_to": "Présence collective jusqu'à",
    "noticeboard_first_names": "Prénoms des habitants sur le tableau d'affichage",
    "animator_hourly_cost": "Coût horaire de l'animation (€)",
    "trusted_person": "Personne de confiance",
    "trusted_person_phone": "Téléphone de la personne de confiance",
    "gp": "Médecin traitant",
    "gp_phone": "Téléphone du médecin traitant",
    "treatments": "Traitements connus de l'équipe",
    "allergies": "Allergies connues de l'équipe",
    "usual_life": "Vie habituelle et préférences",
    "updated_on": "Mis à jour le",
    "ended_on": "Fin",
    "period_start": "Début de la période",
    "period_end": "Fin de la période",
    "other_spending": "Autres dépenses de l'AVP (€)",
    "capacity": "Capacité",
    "number": "Numéro de version",
    "text": "Texte",
    "adopted_on": "Adopté le",
    "adopted_by": "Adopté par",
    "title": "Titre",
    "pseudonym": "Pseudonyme",
    "first_name": "Prénom",
    "last_name": "Nom",
    "birth_year": "Année de naissance",
    "public": "Public",
    "gir": "GIR",
    "support_level": "Niveau de besoin d'accompagnement",
    "dwelling": "Logement",
    "emergency_contact": "Contact d'urgence",
    "entry_date": "Date d'entrée",
    "entry_mode": "Mode d'entrée",
    "exit_date": "Date de sortie",
    "exit_reason": "Motif de sortie",
    "resident_id": "Habitant",
    "relation": "Lien",
    "phone": "Téléphone",
    "email": "Courriel",
    "does_care": "Aide au quotidien",
    "does_management": "Gestion",
    "does_governance": "Gouvernance",
    "usual_hours_per_week": "Heures habituelles par semaine",
    "consent_to_share": "Consentement au partage d'informations",
    "consent_date": "Date du consentement",
    "kind": "Type",
    "arrangement": "Choisi par",
    "contact_name": "Personne à contacter",
    "services": "Prestations",
    "finess": "N° FINESS",
    "started_on": "Début du projet",
    "review_due": "Révision prévue le",
    "preferences": "Préférences",
    "plan_id": "Projet d'accompagnement",
    "domain": "Domaine",
    "intensity": "Intensité",
    "description": "Description",
    "provider_id": "Intervenant",
    "weekdays": "Jours",
    "start_time": "Heure de début",
    "end_time": "Heure de fin",
    "task": "Tâche",
    "what": "Choix convenu",
    "agreed_by": "Convenu avec",
    "agreed_on": "Convenu le",
    "review_on": "À revoir le",
    "reviewed_on": "Revu le",
    "reviewed_by": "Revu par",
    "summary": "Synthèse",
    "category": "Catégorie",
    "starts_at": "Début",
    "ends_at": "Fin",
    "place": "Lieu",
    "space_id": "Espace commun",
    "location": "Adresse ou lieu",
    "cancelled_reason": "Motif d'annulation",
    "rectifies_note_id": "Note rectifiée",
    "activity_id": "Activité",
    "status": "Statut",
    "booked_by": "Réservé par",
    "purpose": "Objet",
    "person": "Personne",
    "role": "Rôle",
    "author": "Auteur",
    "author_account_id": "Compte de l'auteur",
    "written_at": "Écrit le",
    "body": "Note",
    "audience": "Destinataires",
    "audience_resident_id": "Famille de",
    "audience_provider_id": "Intervenant destinataire",
    "resident_ids": "Habitants concernés",
    "severity": "Gravité",
    "occurred_on": "Survenue le",
    "others_involved": "Autres personnes impliquées",
    "actions": "Actions menées",
    "resolved_on": "Résolue le",
    "held_on": "Date de la réunion",
    "agenda": "Ordre du jour",
    "minutes": "Compte rendu",
    "others_present": "Autres présents",
    "attendee_ids": "Habitants présents",
    "meeting_id": "Réunion",
    "owner": "Responsable",
    "due_on": "Échéance",
    "follow_up": "Suivi",
    "done_on": "Réalisée le",
    "worked_on": "Date",
    "function": "Fonction de soutien",
    "hours": "Heures",
    "avp_funded": "Financé par l'AVP",
    "note": "Commentaire",
    "username": "Identifiant",
    "display_name": "Nom affiché",
    "password_hash": "Mot de passe",
    "failed_logins": "Échecs de connexion",
    "locked_until": "Bloqué jusqu'au",
    "habitat_id": "Habitat",
    "version": "Version",
    "id": "Identifiant",
    "archived_at": "Archivé le",
    "origin": "Construit à partir de",
    "as_of": "Situation au",
    "seed": "Graine",
    "replications": "Nombre de simulations",
    "scenario_yaml": "Scénario",
    "model_from": "Le modèle part du",
    "model_to": "Jusqu'au",
    "bands_json": "Fourchettes du modèle",
    "figures_json": "Heures par fonction selon le modèle",
    "hourly_cost": "Coût horaire de l'animation (€)",
    "avp_per_resident": "AVP défendue par le besoin (€ par habitant et par an)",
    "current_avp_per_resident": "AVP de la convention (€ par habitant et par an)",
    "residents": "Nombre d'habitants",
    "weekday": "Jour",
    "starts": "De",
    "ends": "À",
    "day": "Date",
    "pattern_id": "Créneau hebdomadaire",
    "dwelling_names": "Logements",
    "spaces": "Espaces communs",
    "pattern": "Planning hebdomadaire",
}

_LEADING_FIELD = re.compile(r"^(?:Value error, )?([a-z_]+): (.*)$", re.DOTALL)

# English reasons our own validators give, and their French text.
_OWN_REASONS: dict[str, str] = {
    "must not be blank": "ne peut pas être vide",
    "is not a valid phone number": "n'est pas un numéro de téléphone valide",
    "is not a valid e-mail address": "n'est pas une adresse de courriel valide",
    "is not a valid FINESS number (9 characters)": "n'est pas un n° FINESS valide (9 caractères)",
    "is not a valid user name": (
        "identifiant invalide (3 à 40 caractères : minuscules, chiffres, point, tiret)"
    ),
    "lists the same person twice": "cite deux fois la même personne",
    "lists the same weekday twice": "cite deux fois le même jour",
    "is in the future": "est dans le futur",
    "must be a local time, without a time zone": "doit être une heure locale, sans fuseau",
    "is already recorded": "existe déjà",
    "the AVP agreement ends before it starts": "la convention AVP finit avant de commencer",
    "the partnership ends before it starts": "le partenariat finit avant de commencer",
    "the period ends before it starts": "la période finit avant de commencer",
    "collective presence must end after it starts": "la présence doit finir après son début",
    "an elderly resident needs a GIR (1 to 6)": "une personne âgée a un GIR (1 à 6)",
    "give a GIR or a support-needs level": "indiquez un GIR ou un niveau de besoin",
    "is before the entry date": "est avant la date d'entrée",
    "an exit needs both a date and a reason": "une sortie a une date et un motif",
    "a consent to share information needs its date": "un consentement doit être daté",
    "is before the plan starts": "est avant le début du projet",
    "must be after the start time": "doit être après l'heure de début",
    "is before the agreement": "est avant la date de l'accord",
    "must be after the start": "doit être après le début",
    "an activity outside uses no common space": (
        "une activité à l'extérieur n'utilise pas d'espace commun"
    ),
    "choose the weekly slot to cancel": "choisissez le créneau hebdomadaire à annuler",
    "an added slot needs it": "est obligatoire pour un créneau ajouté",
    "a shift lasts at most 24 hours": "un créneau dure au plus 24 heures",
    "a note for a family names the resident whose family it is (and only such a note does)": (
        "une note destinée à une famille indique l'habitant concerné (et elle seule)"
    ),
    "a note for a resident's family concerns that resident only": (
        "une note destinée à la famille d'un habitant ne concerne que cet habitant"
    ),
    "only a note for providers is addressed to one provider": (
        "seule une note destinée aux intervenants s'adresse à un intervenant"
    ),
    "a closed tension has a resolution date, an open one none": (
        "une tension close a une date de résolution, une tension ouverte n'en a pas"
    ),
    "is before the tension occurred": "est avant la date de la tension",
    "only a decision carried out has a completion date": (
        "seule une décision réalisée a une date de réalisation"
    ),
    "a provider account names its provider (and only it)": (
        "un compte intervenant est rattaché à son intervenant (et lui seul)"
    ),
    "a family or resident account names its resident (and only they)": (
        "un compte famille ou habitant est rattaché à son habitant (et eux seuls)"
    ),
}


def field_label(field: str) -> str:
    """The French label of a field (its name when it has none)."""
    top = field.split(".")[0]
    return FIELD_LABELS.get(top, field)


def split_field(error: Mapping[str, Any]) -> tuple[str, str]:
    """The field a pydantic error is about, and its reason in English.

    Model-level validators cannot set a location, so they start their message with
    the field's name ("exit_date: is before the entry date").
    """
    loc = ".".join(str(part) for part in error["loc"])
    message = str(error["msg"])
    match = _LEADING_FIELD.match(message)
    if match:
        field, reason = match.groups()
        return (loc or field), reason
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    return (loc or "(record)"), message


def french_reason(error: Mapping[str, Any], reason: str) -> str:
    """The French reason for one pydantic error."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        for english, french in _OWN_REASONS.items():
            if reason.startswith(english):
                return french
        if reason.startswith("contains a character that cannot be stored"):
            return (
                "contient un caractère invisible ou interdit (" + reason.rsplit(": ", 1)[-1] + ")"
            )
        return reason
    templates = {
        "missing": "est obligatoire",
        "extra_forbidden": "champ inconnu",
        "string_too_long": "est trop long (au plus {max_length} caractères)",
        "string_too_short": "est trop court (au moins {min_length} caractères)",
        "too_long": "contient trop d'éléments (au plus {max_length})",
        "too_short": "doit contenir au moins {min_length} élément(s)",
        "greater_than_equal": "doit être supérieur ou égal à {ge}",
        "greater_than": "doit être supérieur à {gt}",
        "less_than_equal": "doit être inférieur ou égal à {le}",
        "less_than": "doit être inférieur à {lt}",
        "int_parsing": "doit être un nombre entier",
        "int_type": "doit être un nombre entier",
        "int_from_float": "doit être un nombre entier",
        "float_parsing": "doit être un nombre",
        "float_type": "doit être un nombre",
        "bool_parsing": "doit être oui ou non",
        "bool_type": "doit être oui ou non",
        "string_type": "doit être du texte",
        "date_parsing": "n'est pas une date valide (AAAA-MM-JJ)",
        "date_from_datetime_parsing": "n'est pas une date valide (AAAA-MM-JJ)",
        "date_type": "n'est pas une date valide",
        "datetime_parsing": "n'est pas une date et heure valides",
        "datetime_from_date_parsing": "n'est pas une date et heure valides",
        "datetime_type": "n'est pas une date et heure valides",
        "time_parsing": "n'est pas une heure valide (HH:MM)",
        "time_type": "n'est pas une heure valide",
        "enum": "valeur inconnue (valeurs possibles : {expected})",
        "literal_error": "valeur inconnue (valeurs possibles : {expected})",
        "list_type": "doit être une liste",
        "string_pattern_mismatch": "n'a pas le format attendu",
        "frozen_instance": "ne peut pas être modifié",
    }
    template = templates.get(kind)
    if template is None:
        return f"valeur refusée ({reason})"
    if "expected" in ctx:
        ctx = {**ctx, "expected": str(ctx["expected"]).replace(" or ", " ou ")}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template

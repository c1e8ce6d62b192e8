"""One simulated run told day by day in French: who, what, and how it was regulated."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from habitat.scenario import Scenario
from habitat.sim.run import simulate

#: Each kind of event: French family of events (for the filter) and the sentence.
KINDS_FR: dict[str, tuple[str, str]] = {
    "death": ("Départs et arrivées", "{who} est décédé·e"),
    "exit_institution": ("Départs et arrivées", "{who} part en établissement"),
    "exit_other": ("Départs et arrivées", "{who} déménage (chez un proche, un autre logement)"),
    "entry": ("Départs et arrivées", "{who} emménage"),
    "entry_refused": (
        "Départs et arrivées",
        "un nouvel habitant ne peut pas entrer : aucun logement libre",
    ),
    "gir_decline": ("Santé et autonomie", "{who} perd de l'autonomie (son GIR baisse)"),
    "gir_improvement": ("Santé et autonomie", "{who} regagne de l'autonomie (son GIR monte)"),
    "hospitalisation": ("Santé et autonomie", "{who} est hospitalisé·e"),
    "return_coordinated": (
        "Santé et autonomie",
        "{who} rentre de l'hôpital ; le retour avait été préparé",
    ),
    "return_rupture": (
        "Ruptures de parcours",
        "{who} rentre de l'hôpital sans que rien ne soit préparé (rupture de parcours)",
    ),
    "adverse_event": (
        "Santé et autonomie",
        "{who} subit un événement indésirable après son retour de l'hôpital",
    ),
    "family_withdrawal": ("Familles", "{who} cesse d'aider"),
    "provider_exit": ("Intervenants", "{who} cesse d'intervenir"),
    "provider_back": ("Intervenants", "{who} : le service reprend"),
    "coordination_failure": (
        "Intervenants",
        "{who} : intervention manquée ou en conflit avec un autre intervenant (défaut de "
        "coordination)",
    ),
    "conflict": (
        "Vie collective",
        "un conflit éclate entre habitants ou autour des espaces communs",
    ),
    "dispute": ("Autonomie et sécurité", "{who} : désaccord entre autonomie et sécurité"),
    "agreement": (
        "Autonomie et sécurité",
        "{who} : le choix de risque est discuté et accepté par tous (désaccord réglé)",
    ),
    "animator_absence": ("Animation", "l'animateur·rice s'absente"),
    "animator_back": ("Animation", "l'animateur·rice reprend le travail"),
    "animator_turnover": ("Animation", "l'animateur·rice quitte son poste, usé·e"),
    "animator_recruited": ("Animation", "un·e nouvel·le animateur·rice est recruté·e"),
}

#: The families of events offered in the filter, in reading order.
FAMILIES_FR: tuple[str, ...] = tuple(dict.fromkeys(family for family, _ in KINDS_FR.values()))

_RESIDENT = re.compile(r"resident (\d+)")
_DETAILS = (
    (re.compile(r"replaced after (\d+) days"), "remplacé au bout de {0} jours"),
    (re.compile(r"scheduled absence of (\d+) days"), "absence prévue de {0} jours"),
    (re.compile(r"sick leave"), "arrêt maladie"),
)


def resident_fr(slot: int) -> str:
    """How the story names the resident of a dwelling (dwellings counted from 1)."""
    return f"l'habitant·e du logement {slot + 1}"


def who_fr(who: str) -> str:
    """The actor of an event in French ("family of resident 2" -> "la famille de ...")."""
    if who == "animator":
        return "l'animateur·rice"
    if who in ("residents", "new resident"):
        return "des habitants"
    found = _RESIDENT.search(who)
    person = resident_fr(int(found[1])) if found else who
    if who.startswith("family of"):
        return f"la famille de {person}"
    if who.startswith("own provider of"):
        return f"l'intervenant personnel de {person}"
    if who.endswith("habitat provider)"):
        return f"l'intervenant de l'habitat « {who.split(' (')[0]} »"
    return person


def _detail_fr(what: str) -> str:
    inner = what[what.rfind("(") + 1 : -1] if what.endswith(")") else ""
    for pattern, french in _DETAILS:
        found = pattern.search(inner)
        if found:
            return french.format(*found.groups())
    return ""


@dataclass(frozen=True)
class Story:
    """The events of one run, as a table a person reads and filters."""

    scenario: Scenario
    seed: int
    events: pd.DataFrame  # day, resident (dwelling number or None), family, sentence

    def residents(self) -> list[int]:
        """Dwellings whose resident appears in the story."""
        return sorted(int(r) for r in self.events["resident"].dropna().unique())

    def filtered(
        self, resident: int | None = None, families: list[str] | None = None
    ) -> pd.DataFrame:
        """Events about one resident (a dwelling number) and of the chosen families."""
        events = self.events
        if resident is not None:
            events = events[events["resident"] == resident]
        if families:
            events = events[events["family"].isin(families)]
        return events


def tell(scenario: Scenario, seed: int) -> Story:
    """Simulate one run with its event log and tell it in French.

    Args:
        scenario: the scenario.
        seed: the seed of this one run (a run of its own, not one of a batch).
    """
    result = simulate(scenario, replications=1, seed=seed, record_events=True)
    assert result.events is not None  # asked for with record_events
    rows = []
    for event in result.events.itertuples(index=False):
        family, pattern = KINDS_FR.get(event.kind, ("Autres", "{who} : " + event.what))
        sentence = pattern.format(who=who_fr(event.who))
        detail = _detail_fr(event.what)
        sentence = sentence[0].upper() + sentence[1:] + (f" ({detail})" if detail else "") + "."
        found = _RESIDENT.search(event.who)
        rows.append(
            {
                "day": int(event.day),
                "resident": int(found[1]) + 1 if found else None,
                "family": family,
                "sentence": sentence,
            }
        )
    frame = pd.DataFrame(rows, columns=["day", "resident", "family", "sentence"])
    frame["resident"] = frame["resident"].astype("Int64")
    return Story(result.scenario, seed, frame)

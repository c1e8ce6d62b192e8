"""How far to trust each simulated outcome: the published figures behind it, and their verdicts.

A promoter reading "aide non couverte : 3 h par semaine" should know whether the
mechanisms behind that number reproduce published French figures or rest on
assumptions. Each outcome the simulation screens show is tied here to the
evidence entries (`habitat.evidence`: calibration targets and validation
patterns) that test the mechanisms it comes from; the verdicts are those of the
last recorded `habitat validate --evidence all`, shipped with the package
(`evidence/validation.csv`, its settings in `evidence/validation.json`; refreshed
with `make validation`).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

__all__ = [
    "EVIDENCE_OF",
    "STATEMENT_FR",
    "Recorded",
    "Trust",
    "recorded",
    "recorded_when",
    "trust",
    "value_fr",
]

#: The evidence entries that test the mechanisms an outcome comes from. An outcome
#: absent here rests on assumptions only (said so on screen).
EVIDENCE_OF: dict[str, tuple[str, ...]] = {
    "unmet_individual_hours": (
        "gir_change_within_two_years",
        "family_hours_most_dependent",
        "family_hours_most_autonomous",
        "adverse_events_after_discharge",
    ),
    "family_care_hours": ("family_hours_most_dependent", "family_hours_most_autonomous"),
    "residents": ("deaths_within_two_years", "exits_that_are_deaths"),
    "exits": ("deaths_within_two_years", "exits_that_are_deaths"),
    "quality_of_life_everyone": (
        "deaths_within_two_years",
        "exits_that_are_deaths",
        "adverse_events_after_discharge",
    ),
    "cost_per_resident_year": ("adverse_events_after_discharge", "avp_funding_per_habitat"),
    "avp_balance_eur": ("avp_funding_per_habitat",),
    "avp_income_eur": ("avp_funding_per_habitat",),
}

#: Each evidence entry said in plain French, for the trust panel.
STATEMENT_FR: dict[str, str] = {
    "deaths_within_two_years": "Part des personnes âgées entrant à l'APA décédées dans les "
    "deux ans (DREES)",
    "gir_change_within_two_years": "Part des personnes entrées en GIR 4 dont la dépendance "
    "a changé en deux ans (DREES)",
    "family_hours_most_dependent": "Heures d'aide des proches aux plus dépendants (GIR 1-2), "
    "par semaine (DREES, enquête CARE)",
    "family_hours_most_autonomous": "Heures d'aide des proches aux plus autonomes (GIR 5-6), "
    "par semaine (DREES, enquête CARE)",
    "exits_that_are_deaths": "Part des fins de droits à l'APA dues à un décès (DREES)",
    "adverse_events_after_discharge": "Part des retours d'hôpital suivis d'un événement "
    "indésirable (Forster et al. 2003)",
    "avp_funding_per_habitat": "Financement AVP moyen d'un habitat par an (CNSA 2022)",
}

_VERDICT_FR = {
    "consistent": "reproduit",
    "too low": "trop bas",
    "too high": "trop haut",
    "not measurable": "non mesurable",
}


def value_fr(value: float, unit: str) -> str:
    """`42 %`, `35 318 €`, `53 h par semaine`; "—" when the model cannot measure it."""
    if value != value:  # NaN
        return "—"
    if unit == "share":
        return f"{100 * value:.0f} %"
    number = f"{value:,.0f}".replace(",", "\u202f")
    if unit.startswith("EUR"):
        return f"{number} €"
    if unit == "h/week":
        return f"{value:.1f}".replace(".", ",").removesuffix(",0") + " h par semaine"
    return number


@dataclass(frozen=True)
class Recorded:
    """One evidence entry's recorded verdict: the published figure and the model's."""

    id: str
    verdict: str
    published: float
    model: float
    unit: str

    @property
    def verdict_fr(self) -> str:
        """The verdict in French."""
        return _VERDICT_FR.get(self.verdict, self.verdict)

    @property
    def published_fr(self) -> str:
        """The published figure, in French."""
        return value_fr(self.published, self.unit)

    @property
    def model_fr(self) -> str:
        """The model's median, in French."""
        return value_fr(self.model, self.unit)

    @property
    def statement_fr(self) -> str:
        """What the figure is, in French."""
        return STATEMENT_FR.get(self.id, self.id)


@dataclass(frozen=True)
class Trust:
    """How far an outcome can be trusted, in a word and a sentence."""

    level: str  # "vérifié", "en partie", "non vérifié", "hypothèses"
    sentence_fr: str
    entries: tuple[Recorded, ...]


@cache
def recorded() -> dict[str, Recorded]:
    """The last recorded validation's verdicts, by evidence id."""
    text = (resources.files("habitat") / "evidence" / "validation.csv").read_text("utf-8")
    rows = csv.DictReader(io.StringIO(text))
    return {
        row["id"]: Recorded(
            id=row["id"],
            verdict=row["verdict"],
            published=float(row["published"]),
            model=float(row["model_median"]) if row["model_median"] else float("nan"),
            unit=row["unit"],
        )
        for row in rows
    }


@cache
def recorded_when() -> dict[str, object]:
    """The settings of the recorded validation (date, replications, seed, commit)."""
    text = (resources.files("habitat") / "evidence" / "validation.json").read_text("utf-8")
    manifest: dict[str, object] = json.loads(text)
    return manifest


def trust(metric: str) -> Trust:
    """How far the outcome `metric` can be trusted, from its evidence's recorded verdicts."""
    ids = EVIDENCE_OF.get(metric, ())
    if not ids:
        return Trust(
            "hypothèses",
            "Aucun chiffre publié ne vérifie encore ce résultat : il découle d'hypothèses du "
            "modèle. À lire comme une tendance, pour comparer des scénarios entre eux.",
            (),
        )
    known = recorded()
    entries = tuple(known[i] for i in ids if i in known)
    good = sum(e.verdict == "consistent" for e in entries)
    figures = (
        "le chiffre publié qui les teste"
        if len(entries) == 1
        else (f"les {len(entries)} chiffres publiés qui les testent")
    )
    if entries and good == len(entries):
        level = "vérifié"
        sentence = f"Les mécanismes derrière ce résultat reproduisent {figures}."
    elif good:
        level = "en partie"
        sentence = (
            f"Les mécanismes derrière ce résultat reproduisent {good} des {len(entries)} "
            "chiffres publiés qui les testent : à lire avec prudence."
        )
    else:
        level = "non vérifié"
        sentence = (
            f"Les mécanismes derrière ce résultat ne reproduisent pas {figures} : à lire "
            "comme une tendance, pas comme une prévision."
        )
    return Trust(level, sentence, entries)

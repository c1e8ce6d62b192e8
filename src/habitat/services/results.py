"""A run's results for people: bands over time, readings in French, CSV and YAML downloads.

Every quantity has one unit wherever a person reads it: hours of help in hours a
week (charts, reading, comparison), counts as whole numbers; the terms a promoter
meets are explained in `GLOSSARY`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import yaml

from habitat.scenario import Scenario, ScenarioError, scenario_from_data
from habitat.sim.metrics import METRIC_INDEX, METRICS
from habitat.sim.run import SimulationResult
from habitat.store.gdpr import neutralise


@dataclass(frozen=True)
class Chart:
    """A key metric as people read it: French title, unit, and how the daily values are taken."""

    metric: str
    title: str
    unit: str
    weekly: bool = False  # a daily flow shown as the sum over the last 7 days


CHARTS: tuple[Chart, ...] = (
    Chart("unmet_individual_hours", "Aide individuelle non couverte", "h par semaine", True),
    Chart("quality_of_life", "Qualité de vie moyenne des habitants", "0 à 1"),
    Chart("quality_of_life_everyone", "Qualité de vie de tous, départs compris", "0 à 1"),
    Chart("cost_per_resident_year", "Coût par habitant, ramené à l'année", "€ par an"),
    Chart("social_mix_index", "Mixité sociale", "0 à 1"),
    Chart("conflicts_open", "Conflits en cours", "conflits"),
    Chart("participation_rate", "Participation aux activités (7 derniers jours)", "0 à 1"),
    Chart("animator_strain", "Usure de l'animateur·rice", "0 à 1"),
    Chart("family_care_hours", "Aide donnée par les familles", "h par semaine", True),
    Chart("residents", "Habitants présents", "habitants"),
    Chart("avp_balance_eur", "Solde AVP cumulé", "€"),
)
CHART_OF: dict[str, Chart] = {c.metric: c for c in CHARTS}

#: The words a promoter meets on the simulation screens, explained without jargon
#: (tooltips and the "Comprendre les termes" expander).
GLOSSARY: dict[str, str] = {
    "Simulations": "Le nombre de fois que l'habitat est simulé (on parle aussi de "
    "réplications). Chaque simulation tire au hasard d'autres habitants et d'autres "
    "événements ; plus il y en a, plus les résultats sont sûrs, et plus le calcul est long.",
    "Graine": "Un numéro qui fixe le hasard : avec la même graine et les mêmes réglages, "
    "on retrouve exactement les mêmes résultats (ici comme avec le fichier YAML téléchargé). "
    "Changez-la pour voir d'autres tirages.",
    "Mêmes tirages": "Les scénarios comparés sont simulés avec la même graine : ils vivent "
    "les mêmes événements tant que leurs réglages ne les font pas diverger, et les "
    "différences viennent donc des réglages, pas du hasard.",
    "Médiane": "La valeur du milieu : la moitié des simulations font mieux, l'autre moitié "
    "fait moins bien.",
    "Intervalle à 90 %": "La zone colorée des graphiques et les valeurs entre crochets : "
    "9 simulations sur 10 tombent dedans (on écarte les 5 % les plus hautes et les 5 % "
    "les plus basses).",
    "Usure": "La fatigue accumulée de l'animateur·rice, de 0 (reposé·e) à 1 (épuisé·e). "
    "Quand on lui demande plus d'heures qu'il ou elle n'en a, elle monte vers un niveau "
    "d'autant plus haut que la surcharge est forte (une surcharge modérée s'y stabilise, "
    "sous 1) ; avec du répit, elle redescend, plus lentement. Les arrêts maladie "
    "augmentent avec elle ; au-delà de 0,8, un départ devient probable.",
    "Aide individuelle non couverte": "Les heures d'aide à la personne (toilette, repas, "
    "soins…) dont un habitant avait besoin chez lui et que personne n'a données.",
    "Qualité de vie": "Une note de 0 à 1 par habitant, moyenne de l'habitat : elle baisse "
    "avec la dépendance et l'aide qui manque, monte avec la vie collective.",
    "Participation": "La part des habitants présents qui ont pris part à au moins une "
    "activité collective dans les 7 derniers jours (0 à 1 : 0,6 = 6 sur 10).",
    "Rupture de parcours": "Une cassure dans l'accompagnement d'un habitant : retour "
    "d'hôpital sans que rien ne soit prêt, intervenant qui s'arrête sans relais, départ "
    "forcé, perte d'une famille très présente.",
    "Défaut de coordination": "Une intervention manquée ou en doublon faute d'accord "
    "entre les intervenants de l'habitant et ceux de l'habitat.",
    "Intervenants": "Les services à domicile (aide à domicile, soins infirmiers…). Un "
    "habitant peut garder les siens ou passer par ceux choisis par l'habitat ; plus il y "
    "a d'intervenants différents, plus il faut coordonner.",
    "AVP": "L'aide à la vie partagée, versée par le département pour chaque habitant "
    "nommé dans la convention, que son logement soit occupé ou non : elle finance "
    "surtout le contrat de l'animateur·rice (payé même en cas de surcharge ou d'arrêt) "
    "et les activités.",
    "Solde AVP": "L'AVP reçue moins l'AVP dépensée depuis le début ; négatif, c'est un "
    "déficit pour l'organisme porteur.",
    "Départs compris": "La qualité de vie de tous ceux qui ont vécu dans l'habitat pendant "
    "la simulation, y compris ceux qui l'ont quitté : un décès compte 0, un départ en "
    "établissement compte 0,5 (une hypothèse). Un habitat qui garde mal ses habitants ne "
    "peut donc pas paraître meilleur en les voyant partir.",
    "QALY": "Années de vie pondérées par la qualité : une année vécue compte moins de 1 "
    "quand la personne est dépendante et que son aide manque (forme du modèle de "
    "Gostoli et Silverman, 2020). Plus c'est haut, mieux c'est.",
    "Coût par habitant": "Ce que coûte un habitant en un an : l'AVP dépensée, les heures "
    "d'aide individuelle au tarif national (23 € de l'heure) et les journées d'hôpital "
    "(1 000 € par jour, une hypothèse).",
    "Mixité sociale": "De 0 (tous les habitants du même public et de la même dépendance) "
    "à 1 (tous différents) : la diversité des publics (âgés, handicaps) et des niveaux "
    "de dépendance. Une entrée restrictive la fait baisser.",
    "GIR": "Le niveau d'autonomie d'une personne âgée (grille AGGIR), de 1 (très "
    "dépendante) à 6 (autonome) ; pour une personne handicapée, le simulateur prend le "
    "niveau équivalent. Les habitats accueillent surtout des GIR 3 à 6.",
    "Choc": "Un événement programmé un jour donné (une famille qui se retire, une absence, "
    "une hospitalisation…), pour voir comment l'habitat y résiste.",
}

#: Every daily metric in French, with its unit: the CSV's headers.
METRIC_FR: dict[str, str] = {
    "residents": "Habitants présents",
    "quality_of_life": "Qualité de vie moyenne",
    "unmet_individual_hours": "Aide individuelle non couverte",
    "unmet_collective_hours": "Heures collectives non couvertes",
    "participation_rate": "Participation aux activités (7 derniers jours)",
    "outings": "Sorties dans le quartier",
    "conflicts_new": "Nouveaux conflits",
    "conflicts_open": "Conflits en cours",
    "conflicts_resolved": "Conflits réglés",
    "autonomy_safety_disputes": "Désaccords autonomie / sécurité en cours",
    "coordination_failures": "Défauts de coordination",
    "family_care_hours": "Aide donnée par les familles",
    "family_withdrawals": "Familles qui se retirent",
    "animator_workload_ratio": "Charge de l'animateur·rice (heures demandées / disponibles)",
    "animator_strain": "Usure de l'animateur·rice",
    "ruptures": "Ruptures de parcours",
    "exits": "Départs (décès, établissement ou ailleurs)",
    "exits_death": "Décès",
    "exits_institution": "Départs en établissement",
    "exits_other": "Autres départs (chez un proche, un autre logement)",
    "time_to_institution_days": "Durée de séjour avant un départ en établissement (moyenne)",
    "avp_spent_eur": "AVP dépensée",
    "avp_income_eur": "AVP reçue",
    "avp_balance_eur": "Solde AVP cumulé",
    "entries": "Arrivées",
    "hospitalised": "Habitants hospitalisés",
    "gir12_residents": "Habitants en GIR 1 ou 2",
    "social_mix_index": "Mixité sociale (publics et dépendance, 0 à 1)",
    "activities_held": "Activités tenues",
    "animator_hours_available": "Heures d'animation disponibles",
    "animator_hours_worked": "Heures d'animation données",
    "demand_premises_hours": "Gestion des locaux : heures demandées",
    "delivered_premises_hours": "Gestion des locaux : heures données",
    "demand_collective_organisation_hours": "Organisation collective : heures demandées",
    "delivered_collective_organisation_hours": "Organisation collective : heures données",
    "demand_collective_presence_hours": "Présence collective : heures souhaitées",
    "delivered_collective_presence_hours": "Présence collective : heures données",
    "demand_individual_hours": "Aide individuelle : heures nécessaires",
    "delivered_individual_hours": "Aide individuelle : heures données",
    "pooled_hours": "Aide individuelle mise en commun",
    "quality_of_life_everyone": "Qualité de vie de tous ceux qui y ont vécu (départs compris)",
    "qaly": "Années de vie pondérées par la qualité (QALY)",
    "individual_help_cost_eur": "Coût de l'aide individuelle",
    "hospital_cost_eur": "Coût des journées d'hôpital",
    "cost_per_resident_year": "Coût par habitant, ramené à l'année",
    "adverse_events": "Événements indésirables après un retour d'hôpital",
    "readmissions": "Réhospitalisations dans les 30 jours",
}

#: The metrics' units in French, as the CSV gives them day by day: hours summed over the
#: last 7 days (hours a week, as the charts and the comparison say them), the rest as
#: the day's value.
UNIT_FR: dict[str, str] = {
    "people": "habitants",
    "residents": "habitants",
    "0-1": "0 à 1",
    "h/day": "h sur les 7 derniers jours",
    "outings/day": "sorties ce jour",
    "conflicts": "conflits",
    "disputes": "désaccords",
    "failures": "défauts",
    "families": "familles",
    "ruptures": "ruptures",
    "activities": "activités",
    "ratio": "rapport",
    "EUR/day": "€ ce jour",
    "EUR": "€",
    "days": "jours",
    "EUR/year": "€ par an",
    "QALY/day": "QALY ce jour",
    "events": "événements",
}


@dataclass(frozen=True)
class Band:
    """Median and 90 % band over replications, day by day."""

    chart: Chart
    median: np.ndarray
    low: np.ndarray
    high: np.ndarray


def daily(result: SimulationResult, chart: Chart) -> np.ndarray:
    """The metric's values (days, replications), as a 7-day sum for weekly charts."""
    values = result.values[:, METRIC_INDEX[chart.metric], :].astype(np.float64)
    return last_7_days(values) if chart.weekly else values


def last_7_days(values: np.ndarray) -> np.ndarray:
    """Daily values (days first) summed over each day and the 6 before (fewer at the start)."""
    total = np.cumsum(values, axis=0, dtype=np.float64)
    total[7:] = total[7:] - total[:-7]
    return total


def bands(result: SimulationResult) -> dict[str, Band]:
    """Each chart's median and 5th-95th percentile per day."""
    out = {}
    for chart in CHARTS:
        low, median, high = np.percentile(daily(result, chart), [5.0, 50.0, 95.0], axis=1)
        out[chart.metric] = Band(chart, median, low, high)
    return out


def _fr(value: float, digits: int = 1) -> str:
    text = f"{value:,.{digits}f}".replace(",", " ").replace(".", ",")
    return text.removesuffix(",0") if digits == 1 else text


def reading(result: SimulationResult) -> list[str]:
    """The results in plain French: what happens in 9 runs out of 10."""
    n = result.replications
    weekly_unmet = daily(result, CHART_OF["unmet_individual_hours"])
    mean_week = weekly_unmet[6:].mean(axis=0) if result.days > 7 else weekly_unmet[-1]
    worst_week = weekly_unmet.max(axis=0)
    per = result.per_replication()
    quality = result.values[-1, METRIC_INDEX["quality_of_life"], :]
    strain = result.values[-1, METRIC_INDEX["animator_strain"], :]
    balance = result.values[-1, METRIC_INDEX["avp_balance_eur"], :]
    ruptures = per["ruptures"].to_numpy()
    conflicts = per["conflicts_new"].to_numpy()
    out = [
        f"Dans 9 simulations sur 10, l'aide individuelle non couverte reste sous "
        f"{_fr(np.percentile(mean_week, 90))} h par semaine en moyenne sur la période "
        f"(la pire semaine : sous {_fr(np.percentile(worst_week, 90))} h).",
        f"La qualité de vie moyenne des habitants finit entre {_fr(np.percentile(quality, 5), 2)}"
        f" et {_fr(np.percentile(quality, 95), 2)} (médiane {_fr(np.median(quality), 2)}, "
        "sur une échelle de 0 à 1).",
        f"Nouveaux conflits sur la période : {_fr(np.median(conflicts), 0)} en médiane, "
        f"au plus {_fr(np.percentile(conflicts, 90), 0)} dans 9 simulations sur 10.",
        f"Ruptures de parcours : au plus {_fr(np.percentile(ruptures, 90), 0)} dans 9 "
        f"simulations sur 10 ; aucune dans {_share(ruptures == 0)} des simulations.",
        f"L'usure de l'animateur·rice dépasse 0,7 en fin de période dans "
        f"{_share(strain > 0.7)} des simulations.",
        f"Le solde AVP est négatif en fin de période (déficit pour l'organisme porteur) "
        f"dans {_share(balance < 0)} des simulations.",
    ]
    out.append(f"Lecture établie sur {n} simulations de {result.days} jours, graine {result.seed}.")
    return out


def _share(mask: np.ndarray) -> str:
    return f"{100.0 * float(np.mean(mask)):.0f} %"


#: Key metrics of the comparison table, with the French words people read.
COMPARED: tuple[tuple[str, str], ...] = (
    ("unmet_individual_hours", "Aide individuelle non couverte (h par semaine, moyenne)"),
    ("quality_of_life", "Qualité de vie en fin de période (0 à 1)"),
    (
        "quality_of_life_everyone",
        "Qualité de vie de tous ceux qui y ont vécu, départs compris (0 à 1, fin de période)",
    ),
    ("qaly", "Années de vie pondérées par la qualité (QALY, total de l'habitat)"),
    ("cost_per_resident_year", "Coût par habitant et par an (€ : AVP, aide, hôpital)"),
    ("social_mix_index", "Mixité sociale (0 à 1, moyenne)"),
    ("participation_rate", "Participation aux activités (0 à 1, moyenne)"),
    ("outings", "Sorties dans le quartier (par semaine, moyenne)"),
    ("conflicts_new", "Nouveaux conflits (total)"),
    ("coordination_failures", "Défauts de coordination (total)"),
    ("family_withdrawals", "Familles qui se retirent (total)"),
    ("ruptures", "Ruptures de parcours (total)"),
    ("exits", "Départs (décès, établissement ou ailleurs, total)"),
    ("exits_death", "dont décès (total)"),
    ("exits_institution", "dont départs en établissement (total)"),
    ("animator_strain", "Usure de l'animateur·rice en fin de période (0 à 1)"),
    ("avp_balance_eur", "Solde AVP en fin de période (€)"),
)


def comparison(results: Mapping[str, SimulationResult]) -> dict[str, list[str]]:
    """A side-by-side table: one row per key metric, one column per scenario.

    Each cell is the median over replications and, in brackets, the 90 % band.
    """
    columns: dict[str, list[str]] = {"Indicateur": [label for _, label in COMPARED]}
    for name, result in results.items():
        per = _per_replication(result)
        cells = []
        for metric, _ in COMPARED:
            values = per[metric]
            low, median, high = np.percentile(values, [5.0, 50.0, 95.0])
            digits = (
                0 if abs(median) >= 100 or metric in _COUNTS else 1 if metric in _PER_WEEK else 2
            )
            cells.append(f"{_fr(median, digits)}  [{_fr(low, digits)} – {_fr(high, digits)}]")
        columns[name] = cells
    return columns


_COUNTS = {m.name for m in METRICS if m.integer} - {"outings"}
#: Daily means shown per week (a person counts help hours and outings by the week).
_PER_WEEK = {"unmet_individual_hours", "outings"}


def _per_replication(result: SimulationResult) -> dict[str, np.ndarray]:
    """Each metric reduced over the run, per replication, in the units people read."""
    per = result.per_replication()
    return {
        name: per[name].to_numpy(dtype=np.float64) * (7.0 if name in _PER_WEEK else 1.0)
        for name in per.columns
    }


@dataclass(frozen=True)
class Compared:
    """A metric of the comparison summary, in words: subject, unit and what counts as a change."""

    metric: str
    subject: str  # "les besoins …", with its article
    plural: bool
    unit: str  # after a value: " h par semaine", " €", ""
    digits: int
    negligible: float  # an absolute difference below this is "about the same"
    relative: bool = True  # say the change in % (not for a balance that can change sign)


#: What the comparison summary talks about, in this order.
SUMMARISED: tuple[Compared, ...] = (
    Compared(
        "unmet_individual_hours",
        "les besoins d'aide individuelle non couverts",
        True,
        " h par semaine",
        1,
        0.1,
    ),
    Compared("quality_of_life", "la qualité de vie en fin de période", False, "", 2, 0.01),
    Compared("participation_rate", "la participation aux activités", False, "", 2, 0.01),
    Compared("conflicts_new", "les nouveaux conflits", True, "", 0, 0.5),
    Compared("ruptures", "les ruptures de parcours", True, "", 0, 0.5),
    Compared("animator_strain", "l'usure de l'animateur·rice", False, "", 2, 0.01),
    Compared("avp_balance_eur", "le solde AVP", False, " €", 0, 50.0, relative=False),
)
#: A relative change below this share is "about the same".
NEGLIGIBLE_SHARE = 0.05


def comparison_summary(results: Mapping[str, SimulationResult]) -> list[str]:
    """The comparison in plain French: each scenario against the first one, on the medians.

    One sentence per scenario after the first, computed from the results, e.g. "Avec
    « Variante », par rapport à « Projet » : les besoins d'aide individuelle non couverts
    augmentent de 12 % (de 3,4 à 3,8 h par semaine) ; … ; ne changent presque pas :
    les ruptures de parcours."
    """
    names = list(results)
    if len(names) < 2:
        return []
    medians = {
        name: {c.metric: float(np.median(per[c.metric])) for c in SUMMARISED}
        for name, per in ((n, _per_replication(r)) for n, r in results.items())
    }
    reference = names[0]
    out = []
    for name in names[1:]:
        changed: list[str] = []
        same: list[str] = []
        for c in SUMMARISED:
            before, after = medians[reference][c.metric], medians[name][c.metric]
            phrase = _change(c, before, after)
            (changed if phrase else same).append(phrase or c.subject)
        parts = changed[:]
        if same:
            verb = (
                "ne changent presque pas"
                if len(same) > 1 or _plural(same[0])
                else ("ne change presque pas")
            )
            parts.append(f"{_join(same)} {verb}")
        out.append(f"Avec « {name} », par rapport à « {reference} » : " + " ; ".join(parts) + ".")
    return out


def _plural(subject: str) -> bool:
    return any(c.plural for c in SUMMARISED if c.subject == subject)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]


def _change(c: Compared, before: float, after: float) -> str:
    """How a median moved, in words; "" when the change is negligible."""
    difference = after - before
    scale = max(abs(before), abs(after))
    shown = _fr(before, c.digits), _fr(after, c.digits)
    if (
        shown[0] == shown[1]
        or abs(difference) < c.negligible
        or (c.relative and scale > 0 and abs(difference) / scale < NEGLIGIBLE_SHARE)
    ):
        return ""
    up = difference > 0
    verb = ("augmentent" if up else "baissent") if c.plural else ("augmente" if up else "baisse")
    span = f"de {shown[0]} à {shown[1]}{c.unit}"
    if c.relative and before != 0:
        return f"{c.subject} {verb} de {abs(difference) / abs(before):.0%} ({span})".replace(
            "%", "\u00a0%"
        )
    return f"{c.subject} {'passent' if c.plural else 'passe'} {span}"


#: Units the CSV sums over the last 7 days: a person counts hours of help by the week.
_WEEKLY_UNITS = {"h/day"}


def results_csv(results: Mapping[str, SimulationResult]) -> str:
    """Every metric, day by day: median, 5 % and 95 % over the simulations, per scenario.

    As French Excel opens it: UTF-8 with a BOM, `;` between cells, decimal commas,
    French headers (each metric's label and unit). One row per scenario and day;
    hours are summed over the last 7 days, as the charts show them.
    Scenario names are typed by people: cells a spreadsheet would run as formulas are
    neutralised.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    head = ["Scénario", "Graine", "Simulations", "Jour"]
    for metric in METRICS:
        title = (
            f"{METRIC_FR.get(metric.name, metric.name)} ({UNIT_FR.get(metric.unit, metric.unit)})"
        )
        head += [f"{title} : médiane", f"{title} : 5 %", f"{title} : 95 %"]
    writer.writerow(head)
    hours = [i for i, metric in enumerate(METRICS) if metric.unit in _WEEKLY_UNITS]
    for name, result in results.items():
        low, median, high = np.percentile(result.values, [5.0, 50.0, 95.0], axis=2)
        weekly = np.percentile(last_7_days(result.values[:, hours, :]), [5.0, 50.0, 95.0], axis=2)
        low[:, hours], median[:, hours], high[:, hours] = weekly
        stacked = np.stack([median, low, high], axis=2).reshape(result.days, -1)
        safe = neutralise(name)
        for day, row in enumerate(stacked, start=1):
            writer.writerow(
                [safe, result.seed, result.replications, day, *(csv_number(v) for v in row)]
            )
    return buffer.getvalue()


def csv_number(value: float) -> str:
    """A number as French Excel reads it: decimal comma, no thousands separator, 3 decimals."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text.replace(".", ",")


def scenario_yaml(
    scenario: Scenario, seed: int | None = None, replications: int | None = None
) -> str:
    """The scenario as a file `habitat simulate` runs unchanged (every setting written out).

    Every parameter is written, defaults included, so the file gives the same
    numbers with a later version whose defaults changed.
    """
    head = [f"# {scenario.name}: scenario written by the habitat's scenario explorer."]
    if seed is not None:
        reps = f" --replications {replications}" if replications else ""
        head.append(f"# Same numbers as in the app: habitat simulate FILE --seed {seed}{reps}")
    body = yaml.safe_dump(
        scenario.model_dump(mode="json", exclude_none=True),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=None,
        width=100,
    )
    return "\n".join(head) + "\n" + body


def scenario_from_yaml(text: str) -> Scenario:
    """Read back a scenario written by `scenario_yaml` (for saved scenarios).

    Raises:
        ScenarioError: the text is not a valid scenario.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        raise ScenarioError("scenario", [("", "YAML syntax error")]) from None
    if not isinstance(data, dict):
        raise ScenarioError("scenario", [("", "the file must hold a mapping of fields")])
    return scenario_from_data(data)

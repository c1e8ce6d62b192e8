"""A run's results for people: bands over time, readings in French, CSV and YAML downloads."""

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
    Chart("conflicts_open", "Conflits en cours", "conflits"),
    Chart("participation_rate", "Participation aux activités (7 derniers jours)", "part"),
    Chart("animator_strain", "Usure de l'animateur·rice", "0 à 1"),
    Chart("family_care_hours", "Aide donnée par les familles", "h par semaine", True),
    Chart("residents", "Habitants présents", "habitants"),
    Chart("avp_balance_eur", "Solde AVP cumulé", "€"),
)
CHART_OF: dict[str, Chart] = {c.metric: c for c in CHARTS}


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
    if not chart.weekly:
        return values
    total = np.cumsum(values, axis=0)
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
    ("unmet_individual_hours", "Aide individuelle non couverte (h/jour, moyenne)"),
    ("quality_of_life", "Qualité de vie en fin de période (0-1)"),
    ("participation_rate", "Participation aux activités (moyenne)"),
    ("outings", "Sorties dans le quartier (par jour, moyenne)"),
    ("conflicts_new", "Nouveaux conflits (total)"),
    ("coordination_failures", "Défauts de coordination (total)"),
    ("family_withdrawals", "Familles qui se retirent (total)"),
    ("ruptures", "Ruptures de parcours (total)"),
    ("exits", "Départs (décès ou établissement, total)"),
    ("animator_strain", "Usure de l'animateur·rice en fin de période (0-1)"),
    ("avp_balance_eur", "Solde AVP en fin de période (€)"),
)


def comparison(results: Mapping[str, SimulationResult]) -> dict[str, list[str]]:
    """A side-by-side table: one row per key metric, one column per scenario.

    Each cell is the median over replications and, in brackets, the 90 % band.
    """
    columns: dict[str, list[str]] = {"Indicateur": [label for _, label in COMPARED]}
    for name, result in results.items():
        per = result.per_replication()
        cells = []
        for metric, _ in COMPARED:
            values = per[metric].to_numpy()
            low, median, high = np.percentile(values, [5.0, 50.0, 95.0])
            digits = 0 if abs(median) >= 100 or metric in _COUNTS else 2
            cells.append(f"{_fr(median, digits)}  [{_fr(low, digits)} – {_fr(high, digits)}]")
        columns[name] = cells
    return columns


_COUNTS = {m.name for m in METRICS if m.integer}


def results_csv(results: Mapping[str, SimulationResult]) -> str:
    """Every metric, day by day: median, 5th and 95th percentile per scenario (CSV, `;`).

    Scenario names are typed by people: cells a spreadsheet would run as formulas are
    neutralised.
    """
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["scenario", "seed", "replications", "day", "metric", "unit", "median", "p5", "p95"]
    )
    for name, result in results.items():
        low, median, high = np.percentile(result.values, [5.0, 50.0, 95.0], axis=2)
        days = np.arange(1, result.days + 1)
        safe = neutralise(name)
        for i, metric in enumerate(METRICS):
            for d, m, lo, hi in zip(days, median[:, i], low[:, i], high[:, i], strict=True):
                writer.writerow(
                    [safe, result.seed, result.replications, int(d), metric.name, metric.unit,
                     f"{m:.6g}", f"{lo:.6g}", f"{hi:.6g}"]
                )  # fmt: skip
    return buffer.getvalue()


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

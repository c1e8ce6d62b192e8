"""The scenario explorer: a project's form to a scenario, and runs sized for the server.

What a run shows (bands, readings, downloads) is in `habitat.services.results`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from habitat.scenario import Scenario, ScenarioError, load_scenario, scenario_from_data
from habitat.sim.run import SimulationResult, simulate

#: The scenario files shipped in the package (a promoter starts from one of them); the
#: checkout's top-level `scenarios/` links to the same folder.
SCENARIOS_DIR = Path(str(resources.files("habitat") / "scenarios"))

#: Replications a person may ask for: enough for a stable 90 % band, bounded for memory.
MAX_REPLICATIONS = 1000
#: Estimated server time above which a run is refused (two cores shared by everyone).
MAX_SECONDS = 20.0
#: Days x replications above which a run is refused: its metrics (35 float32 a day and
#: replication) would take more than ~140 MB per scenario.
MAX_DAY_REPLICATIONS = 1_000_000
#: Cost model of one run, measured on the 2-core machine (`simulations/bench_explorer.py`):
#: seconds = days x dwellings x (PER_DWELLING_DAY + PER_REPLICATION x replications).
#: Agents are Python objects stepping numpy rows, so a day costs a fixed amount per
#: dwelling plus a little per replication carried.
PER_DWELLING_DAY_S = 2.5e-4
PER_REPLICATION_S = 3.0e-7
#: Progress is reported this many times a run at most (each report is a message to the page).
PROGRESS_STEPS = 40
#: The comparison holds at most this many scenarios side by side.
MAX_COMPARED = 3


class InvalidForm(ValueError):
    """The form describes an impossible habitat; `by_field` maps each field to its French reason."""

    def __init__(self, by_field: Mapping[str, str]):
        self.by_field = dict(by_field)
        super().__init__("; ".join(f"{k}: {v}" for k, v in self.by_field.items()))

    @property
    def message_fr(self) -> str:
        """The banner: nothing ran, and how many fields to fix."""
        count = len(self.by_field)
        return "Rien n'a été simulé : corrigez " + (
            "le champ signalé." if count == 1 else f"les {count} champs signalés."
        )


class TooLarge(ValueError):
    """A run the server cannot afford; `message_fr` says why and what would fit."""

    def __init__(self, message_fr: str, replications: int | None, days: int | None):
        super().__init__(message_fr)
        self.message_fr = message_fr
        self.suggested_replications = replications
        self.suggested_days = days


class Stopped(RuntimeError):
    """The person stopped the run before its end (nothing is shown of it)."""


# --------------------------------------------------------------------------- the form

#: Shocks a person can schedule, by kind: French label and the scenario's shock.
SHOCKS: dict[str, tuple[str, dict[str, Any]]] = {
    "family_withdrawal": (
        "La famille la plus impliquée se retire",
        {"kind": "family_withdrawal", "target": "most_involved_family"},
    ),
    "animator_absence": (
        "L'animateur·rice est absent·e trois semaines, sans remplacement",
        {"kind": "animator_absence", "duration_days": 21, "replacement_share": 0.0},
    ),
    "new_resident": (
        "Un nouvel habitant en GIR 2 arrive (s'il reste un logement libre)",
        {"kind": "new_resident", "resident": {"public": "elderly", "gir": 2}},
    ),
    "provider_exit": (
        "Un intervenant choisi par l'habitat s'arrête, sans relais pendant 30 jours",
        {"kind": "provider_exit", "target": "habitat", "handover": False, "replacement_days": 30},
    ),
    "hospitalisation": (
        "L'habitant le plus dépendant est hospitalisé trois semaines",
        {"kind": "hospitalisation", "target": "most_dependent", "duration_days": 21},
    ),
}

#: Short names of the shocks, for a scenario's name.
SHOCK_NAMES: dict[str, str] = {
    "family_withdrawal": "retrait d'une famille",
    "animator_absence": "animation absente 3 semaines",
    "new_resident": "arrivée en GIR 2",
    "provider_exit": "arrêt d'un intervenant",
    "hospitalisation": "hospitalisation",
}

DISABILITIES_FR: dict[str, str] = {
    "motor": "handicap moteur",
    "psychic": "handicap psychique",
    "intellectual": "handicap intellectuel",
    "autism": "autisme",
    "sensory": "handicap sensoriel",
}

#: How far from 100 % a GIR mix may add up: the form's shares of a scenario file are
#: rounded to 0.1 %, six of them may miss 100 by 0.3.
GIR_TOLERANCE_PCT = 0.5

#: AVP tiers seen in departments' rules (DOMAIN.md §6), euros per resident per year.
AVP_TIERS = (5000.0, 7500.0, 10000.0)


@dataclass(frozen=True)
class ShockChoice:
    """A shock the person scheduled: its kind (a key of `SHOCKS`) and its day."""

    kind: str
    day: int


@dataclass(frozen=True)
class ProjectForm:
    """What a promoter fills in, in the units they think in (percentages, hours a week)."""

    name: str = "Mon projet"
    dwellings: int = 8
    residents: int = 7
    share_elderly_pct: float = 100.0
    disabilities: tuple[str, ...] = ("motor", "psychic", "intellectual")
    gir_pct: Mapping[int, float] = field(
        default_factory=lambda: {1: 0.0, 2: 0.0, 3: 15.0, 4: 40.0, 5: 30.0, 6: 15.0}
    )
    share_by_default_pct: float = 20.0
    avp_per_resident_eur: float = 7500.0
    animator_hours_per_week: float = 28.0
    share_own_providers_pct: float = 30.0
    neighbourhood_access_pct: float = 60.0
    family_hours_per_week: float = 5.0
    share_no_family_pct: float = 20.0
    activities_per_week: float = 4.0
    days: int = 365
    shocks: tuple[ShockChoice, ...] = ()


#: Form field -> (scenario path, French label, divisor from the form's unit to the scenario's).
FIELDS: dict[str, tuple[str, str, float]] = {
    "name": ("name", "Nom du projet", 1.0),
    "dwellings": ("habitat.dwellings", "Logements", 1.0),
    "residents": ("residents.generate.count", "Habitants à l'ouverture", 1.0),
    "share_elderly_pct": ("residents.generate.share_elderly", "Part de personnes âgées", 100.0),
    "disabilities": ("residents.generate.disability_mix", "Handicaps représentés", 1.0),
    "gir_pct": ("residents.generate.gir_distribution", "Répartition des GIR", 1.0),
    "share_by_default_pct": (
        "residents.generate.share_entered_by_default",
        "Part d'entrées par défaut",
        100.0,
    ),
    "avp_per_resident_eur": ("habitat.avp_per_resident_eur", "AVP par habitant et par an", 1.0),
    "animator_hours_per_week": ("animator.hours_per_week", "Heures d'animation par semaine", 1.0),
    "share_own_providers_pct": ("providers.share_own", "Part gardant ses intervenants", 100.0),
    "neighbourhood_access_pct": (
        "habitat.neighbourhood_access",
        "Accessibilité du quartier",
        100.0,
    ),
    "family_hours_per_week": ("families.hours_per_week", "Aide des familles (h/semaine)", 1.0),
    "share_no_family_pct": ("families.share_no_family", "Part sans famille", 100.0),
    "activities_per_week": ("policies.activities_per_week", "Activités par semaine", 1.0),
    "days": ("days", "Durée simulée (jours)", 1.0),
}


def shock_field(kind: str) -> str:
    """The form field of a scheduled shock (its day input)."""
    return f"shock.{kind}"


def _set(data: dict, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = data
    for key in parents:
        node = node.setdefault(key, {})
    node[last] = value


def scenario_data(form: ProjectForm, base: Scenario | None = None) -> dict[str, Any]:
    """The plain data of the scenario a form describes, over `base` (a file) if given.

    Residents are generated from the form's mix; every other setting of `base`
    (providers, mechanisms, regulation practice...) is kept.
    """
    data = base.model_dump(mode="json", exclude_none=True) if base is not None else {}
    data["residents"] = {"generate": {}}
    for name, (path, _, divisor) in FIELDS.items():
        value = getattr(form, name)
        if name == "disabilities":
            value = {kind: 1.0 for kind in value}
        elif name == "gir_pct":
            value = {int(g): float(w) for g, w in value.items() if w}
        elif divisor != 1.0:
            value = float(value) / divisor
        _set(data, path, value)
    data["shocks"] = [{**SHOCKS[s.kind][1], "day": int(s.day)} for s in form.shocks]
    return data


def scenario_from_form(form: ProjectForm, base: Scenario | None = None) -> Scenario:
    """Validate the form as a scenario, with the scenario's own rules.

    Raises:
        InvalidForm: each field at fault with its French reason; nothing to run.
    """
    data = scenario_data(form, base)
    if not form.disabilities and form.share_elderly_pct < 100:
        # An empty mix is refused by the scenario too; say it in the form's words.
        raise InvalidForm({"disabilities": "choisissez au moins un handicap représenté"})
    refused = {}
    total = sum(float(v) for v in form.gir_pct.values())
    if abs(total - 100.0) > GIR_TOLERANCE_PCT:
        # The scenario would rescale any mix silently; a promoter means what they typed.
        refused["gir_pct"] = (
            f"la répartition des GIR fait {_number(str(round(total, 1)))} % au total : "
            "elle doit faire 100 %"
        )
    try:
        scenario = scenario_from_data(data, source="formulaire")
    except ScenarioError as error:
        raise InvalidForm({**_translate(error, form), **refused}) from None
    if refused:
        raise InvalidForm(refused)
    return scenario


def _field_of(path: str, form: ProjectForm) -> str:
    parts = path.split(".")
    if parts[0] == "shocks" and len(parts) > 1 and parts[1].isdigit():
        index = int(parts[1])
        if index < len(form.shocks):
            return shock_field(form.shocks[index].kind)
    best = ""
    for name, (target, _, _) in FIELDS.items():
        if (path == target or path.startswith(target + ".")) and len(target) > len(
            FIELDS.get(best, ("",))[0]
        ):
            best = name
    return best


def _translate(error: ScenarioError, form: ProjectForm) -> dict[str, str]:
    by_field: dict[str, str] = {}
    for path, reason in error.problems:
        name = _field_of(path, form)
        by_field.setdefault(name, _reason_fr(name, reason, form))
    return by_field


def _number(text: str) -> str:
    value = float(text)
    return f"{value:g}".replace(".", ",")


def _reason_fr(name: str, reason: str, form: ProjectForm) -> str:
    """A scenario's English reason, said in French in the form's units."""
    if "do not fit in" in reason:
        return (
            f"{form.residents} habitants ne tiennent pas dans {form.dwellings} logements : "
            "ajoutez des logements ou accueillez moins d'habitants"
        )
    if after := re.search(r"day (\d+) is after the horizon of (\d+) days", reason):
        return (
            f"le jour {after[1]} est après la fin de la simulation ({after[2]} jours) : "
            "choisissez un jour plus tôt ou une durée plus longue"
        )
    if name.endswith("_pct") and re.search(r"(greater|less) than", reason):
        return "doit être un pourcentage entre 0 et 100"
    if re.search(r"greater than or equal to 0(\.0)?\b", reason):
        return "ne peut pas être négatif"
    if bound := re.search(r"greater than or equal to ([\d.]+)", reason):
        return f"doit valoir au moins {_number(bound[1])}"
    if bound := re.search(r"greater than ([\d.]+)", reason):
        return f"doit être supérieur à {_number(bound[1])}"
    if bound := re.search(r"less than or equal to ([\d.]+)", reason):
        return f"doit valoir au plus {_number(bound[1])}"
    if "at least one positive value" in reason:
        return "indiquez au moins une part positive"
    if "at least 1 character" in reason:
        return "ne peut pas être vide"
    if bound := re.search(r"at most (\d+) characters", reason):
        return f"{bound[1]} caractères au plus"
    if "pattern" in reason:
        return "ne doit pas contenir de caractères de contrôle"
    if "valid integer" in reason or "valid number" in reason:
        return "doit être un nombre"
    return "valeur refusée"


def form_from_scenario(scenario: Scenario) -> ProjectForm:
    """The form filled in from a scenario (a file), so a person can change it.

    Explicit residents are summarised as a mix (their publics, GIR and entry modes).
    """
    h, generate = scenario.habitat, scenario.residents.generate
    disabilities: tuple[str, ...]
    if generate is not None:
        elderly = generate.share_elderly
        disabilities = tuple(k for k, w in generate.disability_mix.items() if w > 0)
        total = sum(generate.gir_distribution.values())
        gir = {g: 100.0 * generate.gir_distribution.get(g, 0.0) / total for g in range(1, 7)}
        by_default = generate.share_entered_by_default
        own = scenario.providers.share_own
    else:
        members = scenario.residents.members
        assert members is not None  # a scenario's residents are generated or listed
        n = len(members)
        elderly = sum(m.public == "elderly" for m in members) / n
        disabilities = tuple(
            dict.fromkeys(m.public.value for m in members if m.public != "elderly")
        )
        gir = {g: 100.0 * sum(m.gir == g for m in members) / n for g in range(1, 7)}
        by_default = sum(m.entered_by_default for m in members) / n
        own = sum(m.own_providers for m in members) / n
    return ProjectForm(
        name=scenario.name,
        dwellings=h.dwellings,
        residents=scenario.residents.count,
        share_elderly_pct=round(100 * elderly, 1),
        disabilities=disabilities or ProjectForm().disabilities,
        gir_pct={g: round(v, 1) for g, v in gir.items()},
        share_by_default_pct=round(100 * by_default, 1),
        avp_per_resident_eur=h.avp_per_resident_eur,
        animator_hours_per_week=scenario.animator.hours_per_week,
        share_own_providers_pct=round(100 * own, 1),
        neighbourhood_access_pct=round(100 * h.neighbourhood_access, 1),
        family_hours_per_week=scenario.families.hours_per_week,
        share_no_family_pct=round(100 * scenario.families.share_no_family, 1),
        activities_per_week=scenario.policies.activities_per_week,
        days=scenario.days,
        shocks=tuple(ShockChoice(s.kind, s.day) for s in scenario.shocks if s.kind in SHOCKS),
    )


@dataclass(frozen=True)
class ShippedFr:
    """How a shipped scenario file is presented to a promoter: a French title and summary."""

    title: str
    summary: str


#: The shipped scenario files by id (their file name, kept stable: tests, docs and the
#: command line name them), as the explorer shows them. The files' own `name` stays
#: the one `habitat simulate` prints.
SHIPPED_FR: dict[str, ShippedFr] = {
    "elderly_baseline": ShippedFr(
        "Habitat de référence : 7 personnes âgées en centre-ville",
        "7 personnes âgées, surtout en GIR 4 et 5, dans 7 logements ; AVP de 7 500 € par "
        "habitant, animation 28 h par semaine, familles moyennement présentes, un tiers des "
        "habitants garde ses intervenants. Le point de comparaison des autres scénarios.",
    ),
    "apa_entrants": ShippedFr(
        "Entrants à l'APA : 7 personnes âgées très dépendantes",
        "L'habitat de référence habité par des personnes aussi dépendantes que celles qui "
        "entrent à l'APA (surtout GIR 2 et 4, quelques GIR 1), suivies deux ans. Sert à "
        "confronter le modèle aux chiffres publiés de la DREES sur ces personnes (décès, "
        "évolution de la dépendance).",
    ),
    "thin_animator": ShippedFr(
        "Animation réduite : 10,5 h par semaine",
        "L'habitat de référence avec une animation à 10,5 h par semaine au lieu de 28 et "
        "l'AVP la plus basse (5 000 €) : la vie collective manque de moyens. À prévoir : moins "
        "d'activités, des conflits réglés plus lentement, un·e animateur·rice usé·e.",
    ),
    "own_providers": ShippedFr(
        "Les habitants gardent leurs propres intervenants",
        "L'habitat de référence où 9 habitants sur 10 gardent l'aide à domicile et les soins "
        "qu'ils avaient avant d'entrer : plus d'intervenants à coordonner, plus de défauts "
        "de coordination et de conflits.",
    ),
    "mixed_disabilities": ShippedFr(
        "Habitat mixte : personnes âgées et handicap psychique ou intellectuel",
        "9 habitants, un peu moins de la moitié âgés, les autres avec un handicap psychique "
        "ou intellectuel ; plus d'entrées faute d'autre choix, AVP de 10 000 €, animation "
        "35 h par semaine, 6 activités par semaine. À prévoir : plus de conflits à réguler.",
    ),
    "rural_poor_access": ShippedFr(
        "Habitat rural, loin des commerces et des transports",
        "6 personnes âgées dans un village sans commerce à pied ni transport en commun : les "
        "sorties dépendent de l'animateur·rice ; AVP la plus basse (5 000 €).",
    ),
    "two_involved_families": ShippedFr(
        "Un habitat qui repose sur deux familles très présentes",
        "7 habitants : deux familles donnent 15 et 12 h par semaine et participent aux "
        "décisions, trois une heure ou deux, deux habitants n'ont pas de famille. Tout va "
        "bien tant que ces deux familles tiennent.",
    ),
    "family_withdrawal_day90": ShippedFr(
        "La famille la plus présente se retire au 90e jour",
        "Le même habitat reposant sur deux familles ; au 90e jour, la plus impliquée "
        "(15 h par semaine) déménage. À comparer avec le scénario précédent.",
    ),
    "shocks_year": ShippedFr(
        "Une année difficile : tous les chocs",
        "L'habitat de référence (8 logements) traverse, au fil de l'année : l'arrêt d'un "
        "intervenant sans relais (jour 60), une hospitalisation (jour 120), trois semaines "
        "sans animateur·rice (jour 150), l'arrivée d'un habitant en GIR 2 (jour 200) et le "
        "retrait d'une famille (jour 250).",
    ),
}


def shipped_fr(scenario_id: str, scenario: Scenario | None = None) -> ShippedFr:
    """A shipped file's French title and summary (a file added without one: its own name)."""
    if scenario_id in SHIPPED_FR:
        return SHIPPED_FR[scenario_id]
    return ShippedFr(scenario.name if scenario is not None else scenario_id, "")


def scenario_files(folder: Path = SCENARIOS_DIR) -> dict[str, Path]:
    """The shipped scenario files by id: the file name without `.yaml`.

    Files that do not load are left out; `shipped_fr` gives the title a person reads.
    Read again only when a file is added, removed or changed (the page asks on every rerun).
    """
    paths = sorted(folder.glob("*.yaml"))
    return dict(_loadable(tuple((p, p.stat().st_mtime_ns) for p in paths)))


@functools.lru_cache(maxsize=8)
def _loadable(files: tuple[tuple[Path, int], ...]) -> tuple[tuple[str, Path], ...]:
    found = []
    for path, _ in files:
        try:
            load_scenario(path)
        except ScenarioError:
            continue
        found.append((path.stem, path))
    return tuple(found)


# --------------------------------------------------------------------------- running


def estimated_seconds(scenarios: Sequence[Scenario], replications: int) -> float:
    """Server time the runs would take, by the measured cost model."""
    return sum(
        s.days * s.habitat.dwellings * (PER_DWELLING_DAY_S + PER_REPLICATION_S * replications)
        for s in scenarios
    )


def _nice_below(value: float) -> int:
    for step in (1000, 500, 200, 100, 50, 20, 10, 5, 2, 1):
        if value >= step:
            return step
    return 0


def check_size(scenarios: Sequence[Scenario], replications: int) -> None:
    """Refuse a run too large for the server, with the reason and a smaller run that fits.

    Raises:
        TooLarge: the runs would take more than `MAX_SECONDS` or too much memory.
    """
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise TooLarge(
            f"Le nombre de simulations doit être entre 1 et {MAX_REPLICATIONS}.",
            min(max(replications, 1), MAX_REPLICATIONS),
            None,
        )
    seconds = estimated_seconds(scenarios, replications)
    cells = max(sc.days for sc in scenarios) * replications
    if seconds <= MAX_SECONDS and cells <= MAX_DAY_REPLICATIONS:
        return
    days = max(s.days for s in scenarios)
    fixed = estimated_seconds(scenarios, 0)
    per_replication = estimated_seconds(scenarios, 1) - fixed
    fits = min((MAX_SECONDS - fixed) / per_replication, MAX_DAY_REPLICATIONS / days)
    reps = _nice_below(fits) if fits >= 1 else 0
    why = (
        f"environ {seconds:.0f} s de calcul (la limite est {MAX_SECONDS:.0f} s)"
        if seconds > MAX_SECONDS
        else f"trop de mémoire ({days} jours × {replications} simulations)"
    )
    if reps >= 10:
        raise TooLarge(
            f"Simulation trop lourde pour le serveur : {why}. "
            f"Essayez {reps} simulations au lieu de {replications}.",
            reps,
            None,
        )
    shorter = max(30, int(days * MAX_SECONDS / max(seconds, 1e-9)) // 30 * 30)
    raise TooLarge(
        f"Simulation trop lourde pour le serveur : {why}. "
        f"Essayez une durée de {shorter} jours et 100 simulations au plus.",
        min(replications, 100),
        shorter,
    )


def run(
    scenario: Scenario,
    replications: int,
    seed: int,
    on_progress: Callable[[float], None] | None = None,
) -> SimulationResult:
    """Simulate one scenario exactly as `habitat simulate --seed` does, reporting progress.

    Args:
        scenario: the scenario.
        replications: replications, carried together in one model.
        seed: the seed (the same seed gives the same numbers as the command line).
        on_progress: called with the share done (0-1) a few dozen times; it may
            raise (a stop) to end the run.

    Raises:
        TooLarge: the run does not fit the server.
    """
    check_size([scenario], replications)
    return _run(scenario, replications, seed, on_progress, 0.0, 1.0)


def _run(scenario, replications, seed, on_progress, start: float, share: float):
    every = max(1, scenario.days // PROGRESS_STEPS)

    def on_day(day: int, days: int) -> None:
        if on_progress is not None and (day % every == 0 or day == days):
            on_progress(start + share * day / days)

    return simulate(
        scenario, replications=replications, seed=seed, record_events=False, on_day=on_day
    )


def run_all(
    scenarios: Sequence[Scenario],
    replications: int,
    seed: int,
    on_progress: Callable[[float], None] | None = None,
) -> list[SimulationResult]:
    """Simulate several scenarios on the same seed (common random numbers), one after another.

    Raises:
        TooLarge: the runs together do not fit the server.
    """
    check_size(scenarios, replications)
    share = 1.0 / len(scenarios)
    return [
        _run(s, replications, seed, on_progress, i * share, share) for i, s in enumerate(scenarios)
    ]

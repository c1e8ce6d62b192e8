"""Widgets the simulation screens share: a run with progress and a stop, bands, downloads, story.

A valid submit is noted (`request`) and the page reruns: the run happens in that
fresh rerun (`requested`), drawn without the messages of an earlier refused submit.
It shows a progress bar the browser sees move and an "Arrêter" button (both gone
when the run ends): clicking it makes Streamlit rerun the page, which interrupts
the running script at its next progress update, so the page never waits for the
end of a run it no longer wants. Results are kept in session state, so later
reruns (a filter, a download) show them without simulating again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from habitat.scenario import Scenario
from habitat.services import explore, results, story, trust
from habitat.sim.run import SimulationResult
from habitat.ui import charts, fmt, forms, tables

#: A run's size and seed until the person changes them.
DEFAULT_REPLICATIONS = 100
DEFAULT_SEED = 2026


@dataclass(frozen=True)
class Runs:
    """Scenarios simulated together on one seed, by name (insertion order kept)."""

    results: dict[str, SimulationResult]
    seed: int
    replications: int

    @property
    def first(self) -> SimulationResult:
        """The first (or only) scenario's result."""
        return next(iter(self.results.values()))


def unique_names(scenarios: Sequence[Scenario]) -> list[str]:
    """The scenarios' names, numbered when two are the same."""
    names: list[str] = []
    for scenario in scenarios:
        name, n = scenario.name, 2
        while name in names:
            name, n = f"{scenario.name} ({n})", n + 1
        names.append(name)
    return names


def run(key: str, scenarios: Sequence[Scenario], replications: int, seed: int) -> Runs | None:
    """Simulate scenarios on the same seed with a progress bar and a stop button.

    Returns:
        The runs, or None when the run does not fit the server (the reason is shown).
    """
    try:
        explore.check_size(scenarios, replications)
    except explore.TooLarge as refusal:
        st.error(refusal.message_fr, icon="⏱️")
        return None
    stop = st.empty()
    stop.button("Arrêter la simulation", key=f"{key}:stop", icon=":material/stop_circle:")
    bar = st.progress(0.0, text="Simulation en cours…")

    def progress(share: float) -> None:
        bar.progress(min(share, 1.0), text=f"Simulation en cours… {100 * share:.0f} %")

    results = explore.run_all(scenarios, replications, seed, on_progress=progress)
    bar.empty()
    stop.empty()  # nothing left to stop
    return Runs(dict(zip(unique_names(scenarios), results, strict=True)), seed, replications)


def request(key: str, *what: object) -> None:
    """Note a valid submit's run and rerun the page: the run happens in a fresh rerun.

    The rerun that validated the submit has already drawn the last refusal's
    messages; the fresh one draws the form without them.
    """
    st.session_state.pop(f"{key}:errors", None)
    st.session_state[f"{key}:requested"] = what
    st.rerun()


def requested(key: str) -> tuple | None:
    """The run a submit asked for (forgotten once read: a later rerun does not run it again)."""
    return st.session_state.pop(f"{key}:requested", None)


def stopped(key: str) -> bool:
    """Whether this rerun comes from a click on the stop button (the run was interrupted)."""
    return bool(st.session_state.get(f"{key}:stop"))


def show_reading(result: SimulationResult) -> None:
    """The plain-French reading, as a list."""
    st.markdown("\n".join(f"- {line}" for line in results.reading(result)))


def show_bands(runs: Runs, metrics: Sequence[str] | None = None) -> None:
    """Median and 90 % band over time of each key metric, two charts a row."""
    per_run = {name: results.bands(result) for name, result in runs.results.items()}
    shown = [c for c in results.CHARTS if metrics is None or c.metric in metrics]
    st.caption(
        "Sur chaque graphique, jour après jour : la ligne est la médiane des simulations, la "
        "zone colorée l'intervalle où tombent 9 simulations sur 10.",
        help=results.GLOSSARY["Intervalle à 90 %"],
    )
    for i in range(0, len(shown), 2):
        for column, chart in zip(st.columns(2), shown[i : i + 2], strict=False):
            with column:
                st.caption(
                    f"**{chart.title}** ({chart.unit})",
                    help=results.GLOSSARY.get(_TERM_OF.get(chart.metric, ""), None),
                )
                charts.bands(
                    {
                        name: (b[chart.metric].median, b[chart.metric].low, b[chart.metric].high)
                        for name, b in per_run.items()
                    },
                    value_title=chart.unit,
                )
                said = trust.trust(chart.metric)
                st.caption(f"Confiance : {said.level}", help=said.sentence_fr)
    trust_panel()


#: The icon of each trust level, for the panel.
_TRUST_ICON = {"vérifié": "✅", "en partie": "⚠️", "non vérifié": "❌", "hypothèses": "💭"}


def trust_panel() -> None:
    """How far to trust the results: each published figure and whether the model reproduces it."""
    with st.expander("Jusqu'où faire confiance à ces résultats ?", icon=":material/verified:"):
        st.markdown(
            "Le modèle est confronté à des chiffres publiés (DREES, CNSA, études "
            "scientifiques). Sous chaque graphique, « Confiance » dit si les mécanismes dont "
            "il découle les reproduisent : **vérifié** (tous), **en partie**, **non vérifié** "
            "(aucun), ou **hypothèses** (aucun chiffre publié ne le teste encore)."
        )
        rows = list(trust.recorded().values())
        when = trust.recorded_when()
        tables.show(
            {
                "Chiffre publié": [r.statement_fr for r in rows],
                "Publié": [r.published_fr for r in rows],
                "Modèle (médiane)": [r.model_fr for r in rows],
                "Verdict": [r.verdict_fr for r in rows],
            }
        )
        st.caption(
            f"Mesuré le {fmt.fr_date(date.fromisoformat(str(when['date'])))} sur "
            f"{when.get('replications')} simulations (commande `habitat validate`)."
        )


#: The glossary's entry of a chart, when its title holds a term to explain.
_TERM_OF = {
    "unmet_individual_hours": "Aide individuelle non couverte",
    "quality_of_life": "Qualité de vie",
    "quality_of_life_everyone": "Départs compris",
    "cost_per_resident_year": "Coût par habitant",
    "social_mix_index": "Mixité sociale",
    "participation_rate": "Participation",
    "animator_strain": "Usure",
    "avp_balance_eur": "Solde AVP",
}


def file_name(text: str) -> str:
    """A safe file name from a scenario's name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")[:60] or "scenario"


def downloads(key: str, runs: Runs, scenario: Scenario) -> None:
    """Download buttons: the results (CSV) and the scenario (YAML for `habitat simulate`)."""
    left, right = st.columns(2)
    left.download_button(
        "Télécharger les résultats (CSV)",
        help="Pour un tableur : chaque indicateur jour par jour (médiane, 5 % et 95 % des "
        "simulations), en français, virgule décimale.",
        data=results.results_csv(runs.results),
        file_name=f"{file_name(scenario.name)}_resultats.csv",
        mime="text/csv",
        key=f"{key}:csv",
        icon=":material/download:",
    )
    right.download_button(
        "Télécharger le scénario (YAML)",
        data=results.scenario_yaml(scenario, runs.seed, runs.replications),
        file_name=f"{file_name(scenario.name)}.yaml",
        mime="application/x-yaml",
        key=f"{key}:yaml",
        icon=":material/download:",
        help="Tous les réglages du scénario, à garder ou à transmettre : avec la même graine, "
        "il redonne exactement ces résultats (commande `habitat simulate`).",
    )


def show_story(key: str, scenario: Scenario, seed: int) -> None:
    """One run told day by day, filterable by resident and kind of event."""
    with st.expander("Suivre une simulation jour par jour", icon=":material/auto_stories:"):
        st.caption(
            "Une simulation à part (une seule, même graine), racontée : qui, quoi, "
            "et comment cela a été réglé."
        )
        told: story.Story | None = st.session_state.get(f"{key}:story")
        if told is None or told.scenario.name != scenario.name or told.seed != seed:
            if st.button("Raconter une simulation", key=f"{key}:tell"):
                st.session_state[f"{key}:story"] = story.tell(scenario, seed)
                st.rerun()
            return
        left, right = st.columns(2)
        resident = left.selectbox(
            "Habitant",
            [None, *told.residents()],
            format_func=lambda r: "Tous" if r is None else f"Logement {r}",
            key=f"{key}:story.resident",
            placeholder="Choisir…",
        )
        families = right.multiselect(
            "Sortes d'événements",
            list(story.FAMILIES_FR),
            key=f"{key}:story.kinds",
            placeholder="Choisir…",
            select_all=False,
        )
        events = told.filtered(resident, families)
        st.caption(f"{len(events)} événements sur {told.scenario.days} jours.")
        tables.show(
            {"Jour": events["day"].tolist(), "Ce qui se passe": events["sentence"].tolist()},
            height=360,
        )


def comparison(runs: Runs) -> None:
    """The comparison in plain French, then the side-by-side table of the key metrics."""
    summary = results.comparison_summary(runs.results)
    if summary:
        st.markdown("\n".join(f"- {fmt.plain(line)}" for line in summary))
        st.caption(
            "En médiane sur les simulations ; une différence sous 5 % est dite « presque nulle »."
        )
    st.caption(
        "Tableau : la médiane sur les simulations et, entre crochets, l'intervalle où tombent "
        "9 simulations sur 10.",
        help=results.GLOSSARY["Intervalle à 90 %"],
    )
    tables.show(results.comparison(runs.results))


def glossary() -> None:
    """The words of the simulation screens, explained (an expander, closed)."""
    with st.expander("Comprendre les termes", icon=":material/help:"):
        st.markdown("\n".join(f"- **{term}** : {text}" for term, text in results.GLOSSARY.items()))


def form_status(form: str, fields: Sequence[str]) -> None:
    """A simulation form's banner: nothing ran, and the messages no field shows."""
    errors = st.session_state.get(f"{form}:errors") or {}
    if errors:
        rest = [message for field, message in errors.items() if field not in fields]
        st.error(
            explore.InvalidForm(errors).message_fr + "".join(f"\n\n{message}" for message in rest)
        )


def pick_shocks(form: str, kinds: Sequence[str], defaults: Mapping[str, int]) -> list:
    """A checkbox and a day for each shock offered; returns the chosen `ShockChoice`s."""
    from habitat.ui import forms

    chosen = []
    for kind in kinds:
        label = explore.SHOCKS[kind][0]
        left, right = st.columns([3, 1])
        on = left.checkbox(label, key=f"{form}.shock_on.{kind}")
        st.session_state.setdefault(f"{form}.shock_day.{kind}", int(defaults.get(kind, 90)))
        day = right.number_input(
            "Jour",
            step=1,
            key=f"{form}.shock_day.{kind}",
            help="Le jour de la simulation où l'événement arrive (1 : le premier jour).",
        )
        forms.field_error(form, explore.shock_field(kind))
        if on:
            chosen.append(explore.ShockChoice(kind, int(day)))
    return chosen


def size_fields(form: str) -> tuple[int | float, int | float]:
    """The run's size and seed, side by side in a form, each with its error under it."""
    a, b = st.columns(2)
    replications = a.number_input(
        "Nombre de simulations",
        value=DEFAULT_REPLICATIONS,
        step=10,
        key=f"{form}.replications",
        help=f"De 1 à {explore.MAX_REPLICATIONS}. {results.GLOSSARY['Simulations']}",
    )
    with a:
        forms.field_error(form, "replications")
    seed = b.number_input(
        "Graine",
        value=DEFAULT_SEED,
        step=1,
        key=f"{form}.seed",
        help=results.GLOSSARY["Graine"],
    )
    with b:
        forms.field_error(form, "seed")
    return replications, seed

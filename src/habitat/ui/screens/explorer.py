"""Explorer un projet: a habitat described in a form, simulated, read, compared, downloaded."""

from __future__ import annotations

import dataclasses

import streamlit as st

from habitat.scenario import Scenario, load_scenario
from habitat.services import explore, results
from habitat.ui import forms, shell, simulation

FORM = "explorer.form"
RUNS = "explorer.runs"
KEPT = "explorer.kept"
COMPARED = "explorer.compared"
BASE = "explorer.base"
#: The form's own blank start (no file).
BLANK = "Formulaire vierge"
_SHOCK_FIELDS = [explore.shock_field(kind) for kind in explore.SHOCKS]


def render(ctx: shell.Context) -> None:
    """The scenario explorer."""
    forms.show_flash()
    st.title("Explorer un projet")
    st.caption(
        "Décrivez un habitat inclusif, simulez-le cent fois et lisez ce qui peut arriver. "
        "Aucune donnée personnelle n'est utilisée : les habitants sont tirés au hasard "
        "selon la composition indiquée."
    )
    simulation.glossary()
    files = explore.scenario_files()
    order = list(explore.SHIPPED_FR)
    chosen = st.selectbox(
        "Point de départ",
        [BLANK, *sorted(files, key=lambda i: (order.index(i) if i in order else len(order), i))],
        format_func=lambda i: i if i == BLANK else explore.shipped_fr(i).title,
        key=BASE,
        on_change=_load_base,
        args=(files,),
        help="Un scénario fourni remplit le formulaire ; vous pouvez ensuite le modifier.",
        placeholder="Choisir…",
    )
    if chosen in files and explore.shipped_fr(chosen).summary:
        st.caption(explore.shipped_fr(chosen).summary)
    if f"{FORM}.name" not in st.session_state:
        _fill(explore.ProjectForm())
    _form()
    asked = simulation.requested(FORM)
    if asked is not None:
        scenario, replications, seed = asked
        runs = simulation.run(FORM, [scenario], replications, seed)
        if runs is not None:
            st.session_state[RUNS] = (scenario, runs)
    elif simulation.stopped(FORM):
        st.warning("Simulation arrêtée : rien n'a été calculé.", icon="⏹️")
    if RUNS in st.session_state:
        _results(*st.session_state[RUNS])
    _comparison()


def _base(files: dict) -> Scenario | None:
    name = st.session_state.get(BASE, BLANK)
    return load_scenario(files[name]) if name in files else None


def _load_base(files: dict) -> None:
    base = _base(files)
    if base is None:
        _fill(explore.ProjectForm())
    else:
        # The form is named as the list shows the file, in French.
        title = explore.shipped_fr(st.session_state[BASE], base).title
        _fill(dataclasses.replace(explore.form_from_scenario(base), name=title))
    st.session_state.pop(f"{FORM}:errors", None)


def _fill(form: explore.ProjectForm) -> None:
    """Put a form's values into the widgets (before they are drawn)."""
    state = st.session_state
    for name in explore.FIELDS:
        if name == "gir_pct":
            for gir in range(1, 7):
                state[f"{FORM}.gir.{gir}"] = float(form.gir_pct.get(gir, 0.0))
        elif name == "disabilities":
            state[f"{FORM}.disabilities"] = list(form.disabilities)
        elif name == "avp_per_resident_eur":
            state[f"{FORM}.avp"] = float(form.avp_per_resident_eur)
        elif name in WHOLE:
            state[f"{FORM}.{name}"] = int(getattr(form, name))
        elif name != "name":
            state[f"{FORM}.{name}"] = float(getattr(form, name))
        else:
            state[f"{FORM}.{name}"] = form.name
    chosen = {s.kind: s.day for s in form.shocks}
    for kind in explore.SHOCKS:
        state[f"{FORM}.shock_on.{kind}"] = kind in chosen
        state[f"{FORM}.shock_day.{kind}"] = int(chosen.get(kind, min(90, form.days)))


#: Fields counted in whole numbers: shown "8", never "8.00".
WHOLE = {"dwellings", "residents", "days"}
#: Other numbers shown as typed ("28", "10.5"): Streamlit's default is two decimals.
AS_TYPED = "%g"


def _number(label: str, field: str, *, step: float = 1.0, column=None, **options) -> float:
    if field in WHOLE:
        options = {"step": int(step), "format": "%d", **options}
    else:
        options = {"step": float(step), "format": AS_TYPED, **options}
    if column is None:
        value = st.number_input(label, key=f"{FORM}.{field}", **options)
        forms.field_error(FORM, field)
        return value
    with column:
        value = st.number_input(label, key=f"{FORM}.{field}", **options)
        forms.field_error(FORM, field)
    return value


def _form() -> None:
    """The form; a valid submit asks for a run of its scenario (`simulation.request`)."""
    simulation.form_status(FORM, [*explore.FIELDS, *_SHOCK_FIELDS, "replications", "seed"])
    with st.form(FORM, border=True):
        st.text_input(
            "Nom du projet",
            key=f"{FORM}.name",
            max_chars=80,
            help="Le nom qui titre les résultats et la comparaison.",
        )
        forms.field_error(FORM, "name")
        a, b, c = st.columns(3)
        dwellings = _number(
            "Logements", "dwellings", column=a, help="Logements privatifs de l'habitat."
        )
        residents = _number(
            "Habitants à l'ouverture",
            "residents",
            column=b,
            help="Au plus un habitant par logement ; un logement libre peut se remplir "
            "pendant la simulation.",
        )
        days = _number(
            "Durée simulée (jours)",
            "days",
            column=c,
            step=30,
            help="365 jours : une année de vie de l'habitat.",
        )

        st.markdown("**Les habitants**")
        a, b = st.columns(2)
        elderly = _number("Part de personnes âgées (%)", "share_elderly_pct", column=a, step=5.0)
        by_default = _number(
            "Part entrée par défaut, faute d'autre choix (%)",
            "share_by_default_pct",
            column=b,
            step=5.0,
            help="Habitants venus faute d'autre solution plutôt que par choix : ils "
            "participent moins et les tensions sont plus fréquentes.",
        )
        disabilities = st.multiselect(
            "Handicaps représentés parmi les autres habitants",
            list(explore.DISABILITIES_FR),
            format_func=explore.DISABILITIES_FR.__getitem__,
            key=f"{FORM}.disabilities",
            placeholder="Choisir…",
            select_all=False,
            help="Parmi les habitants qui ne sont pas des personnes âgées.",
        )
        forms.field_error(FORM, "disabilities")
        st.caption(
            "Répartition des niveaux d'autonomie, en % des habitants : le total doit faire "
            "100 %. Le GIR va de 1 (le plus dépendant) à 6 (autonome)."
        )
        gir = {
            g: column.number_input(
                f"GIR {g}",
                step=5.0,
                format=AS_TYPED,
                key=f"{FORM}.gir.{g}",
                help=results.GLOSSARY["GIR"],
            )
            for g, column in zip(range(1, 7), st.columns(6), strict=True)
        }
        forms.field_error(FORM, "gir_pct")

        st.markdown("**L'accompagnement**")
        a, b, c = st.columns(3)
        avp_options = sorted(
            {*explore.AVP_TIERS, float(st.session_state.get(f"{FORM}.avp", 7500.0))}
        )
        avp = a.selectbox(
            "AVP par habitant et par an",
            avp_options,
            format_func=lambda v: f"{v:,.0f} €".replace(",", " "),
            key=f"{FORM}.avp",
            placeholder="Choisir…",
            help=results.GLOSSARY["AVP"],
        )
        with a:
            forms.field_error(FORM, "avp_per_resident_eur")
        animator = _number(
            "Animation (h/semaine)",
            "animator_hours_per_week",
            column=b,
            help="Heures de l'animateur·rice coordinateur·rice : 35 h = un temps plein.",
        )
        activities = _number(
            "Activités par semaine",
            "activities_per_week",
            column=c,
            help="Activités collectives proposées (repas partagé, sortie, atelier…).",
        )
        a, b, c = st.columns(3)
        own = _number(
            "Gardent leurs propres intervenants (%)",
            "share_own_providers_pct",
            column=a,
            step=5.0,
            help=results.GLOSSARY["Intervenants"],
        )
        family = _number(
            "Aide d'une famille (h/semaine)",
            "family_hours_per_week",
            column=b,
            help="Heures données en moyenne chaque semaine par la famille d'un habitant.",
        )
        no_family = _number(
            "Sans famille (%)",
            "share_no_family_pct",
            column=c,
            step=5.0,
            help="Part des habitants sans proche qui les aide.",
        )
        _number(
            "Accessibilité du quartier (%)",
            "neighbourhood_access_pct",
            step=10.0,
            help="0 : isolé, sans commerce ni transport ; 100 : centre-ville accessible.",
        )

        st.markdown(
            "**Ce qui peut arriver** (chocs programmés)",
            help=results.GLOSSARY["Choc"],
        )
        shocks = simulation.pick_shocks(FORM, list(explore.SHOCKS), {})

        st.markdown("**La simulation**")
        replications, seed = simulation.size_fields(FORM)
        if not st.form_submit_button("Lancer la simulation", type="primary"):
            return

    form = explore.ProjectForm(
        name=st.session_state[f"{FORM}.name"],
        dwellings=int(dwellings),
        residents=int(residents),
        share_elderly_pct=elderly,
        disabilities=tuple(disabilities),
        gir_pct=gir,
        share_by_default_pct=by_default,
        avp_per_resident_eur=avp,
        animator_hours_per_week=animator,
        share_own_providers_pct=own,
        neighbourhood_access_pct=st.session_state[f"{FORM}.neighbourhood_access_pct"],
        family_hours_per_week=family,
        share_no_family_pct=no_family,
        activities_per_week=activities,
        days=int(days),
        shocks=tuple(shocks),
    )
    errors = {}
    scenario = None
    try:
        scenario = explore.scenario_from_form(form, _base(explore.scenario_files()))
    except explore.InvalidForm as refusal:
        errors.update(refusal.by_field)
    if not 1 <= replications <= explore.MAX_REPLICATIONS:
        errors["replications"] = f"entre 1 et {explore.MAX_REPLICATIONS} simulations"
    if seed < 0:
        errors["seed"] = "ne peut pas être négative"
    if errors:
        st.session_state[f"{FORM}:errors"] = errors
        st.rerun()
    simulation.request(FORM, scenario, int(replications), int(seed))


def _results(scenario: Scenario, runs: simulation.Runs) -> None:
    result = runs.first
    st.header(f"Résultats : {scenario.name}", divider="green")
    simulation.show_reading(result)
    simulation.show_bands(runs)
    simulation.downloads("explorer.results", runs, scenario)
    kept: list = st.session_state.setdefault(KEPT, [])
    names = [s.name for s in kept]
    if scenario in kept:
        st.caption("Ce scénario est dans la comparaison.")
    elif len(kept) >= explore.MAX_COMPARED:
        st.caption(f"La comparaison est pleine ({explore.MAX_COMPARED} scénarios au plus).")
    elif st.button("Garder pour comparer", key="explorer.keep", icon=":material/add:"):
        kept.append(scenario)
        forms.flash(f"« {scenario.name} » est gardé pour la comparaison ({len(names) + 1}).")
        st.rerun()
    simulation.show_story("explorer.story", scenario, runs.seed)


def _comparison() -> None:
    kept: list[Scenario] = st.session_state.get(KEPT, [])
    st.header("Comparer des scénarios", divider="green")
    if not kept:
        st.info(
            "Simulez un projet puis « Garder pour comparer » ; faites de même avec une "
            f"variante (jusqu'à {explore.MAX_COMPARED}), puis comparez-les sur les mêmes tirages."
        )
        return
    st.markdown("\n".join(f"{i}. {s.name}" for i, s in enumerate(kept, start=1)))
    a, b = st.columns(2)
    if b.button("Vider la comparaison", key="explorer.clear"):
        st.session_state.pop(KEPT, None)
        st.session_state.pop(COMPARED, None)
        st.rerun()
    if a.button(
        "Comparer sur les mêmes tirages",
        key="explorer.compare",
        type="primary",
        disabled=len(kept) < 2,
        help=results.GLOSSARY["Mêmes tirages"],
    ):
        replications = int(
            st.session_state.get(f"{FORM}.replications") or simulation.DEFAULT_REPLICATIONS
        )
        seed = int(st.session_state.get(f"{FORM}.seed") or simulation.DEFAULT_SEED)
        runs = simulation.run("explorer.compare", kept, replications, seed)
        if runs is not None:
            st.session_state[COMPARED] = runs
    elif simulation.stopped("explorer.compare"):
        st.warning("Comparaison arrêtée : rien n'a été calculé.", icon="⏹️")
    runs = st.session_state.get(COMPARED)
    if runs is None:
        return
    st.subheader(
        f"{len(runs.results)} scénarios, {runs.replications} simulations, graine {runs.seed}"
    )
    simulation.comparison(runs)
    simulation.show_bands(runs)
    st.download_button(
        "Télécharger la comparaison (CSV)",
        data=results.results_csv(runs.results),
        file_name="comparaison.csv",
        mime="text/csv",
        key="explorer.compare:csv",
        icon=":material/download:",
        help="Pour un tableur : chaque indicateur jour par jour et par scénario (médiane, 5 % "
        "et 95 % des simulations), en français, virgule décimale.",
    )

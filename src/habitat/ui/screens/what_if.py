"""Et si… pour mon habitat: the habitat as its records stand, shocks, saved scenarios."""

from __future__ import annotations

import streamlit as st

from habitat.services import explore, results, what_if
from habitat.services.access import may_write
from habitat.store.entities import SavedScenario
from habitat.ui import fmt, forms, shell, simulation, tables

FORM = "what_if.form"
RUNS = "what_if.runs"
SAVE = "what_if.save"
REPLAY = "what_if.replay"
#: Default day of each shock: after a quarter, so the baseline has settled.
SHOCK_DAY = 90


def render(ctx: shell.Context) -> None:
    """The what-if screen."""
    forms.show_flash()
    st.title("Et si… pour mon habitat")
    st.caption(
        "Un scénario construit à partir des données pseudonymisées de l'habitat : des codes "
        "et des nombres, jamais un nom, une date de naissance, des coordonnées ou un texte."
    )
    simulation.glossary()
    try:
        habitat = what_if.from_records(ctx.db, ctx.user, ctx.today)
    except what_if.InconsistentRecords as refusal:
        st.error(refusal.message_fr, icon="⚠️")
        return
    _taken(habitat)
    _form(habitat)
    asked = simulation.requested(FORM)
    if asked is not None:
        baseline, shocked, replications, seed = asked
        runs = simulation.run(FORM, [baseline, shocked], replications, seed)
        if runs is not None:
            st.session_state[RUNS] = (shocked, runs)
    elif simulation.stopped(FORM):
        st.warning("Simulation arrêtée : rien n'a été calculé.", icon="⏹️")
    if RUNS in st.session_state:
        _results(ctx, *st.session_state[RUNS])
    _saved(ctx, habitat)


def _taken(habitat: what_if.HabitatScenario) -> None:
    st.subheader("Ce qui a été pris dans les données de l'habitat")
    tables.show(
        {
            "Donnée": [t.item for t in habitat.taken],
            "Valeur extraite": [t.value for t in habitat.taken],
            "Utilisée pour": [t.used_for for t in habitat.taken],
        }
    )
    with st.expander("Les habitants tels que le scénario les voit"):
        rows = habitat.residents
        tables.show({key: [row[key] for row in rows] for key in rows[0]} if rows else {})


def _form(habitat: what_if.HabitatScenario):
    """Shocks and run settings; a valid submit asks for a run of the two scenarios."""
    simulation.form_status(
        FORM,
        ["days", "replications", "seed", *(explore.shock_field(k) for k in what_if.WHAT_IF_SHOCKS)],
    )
    if not what_if.has_vacancy(habitat.scenario):
        st.caption(
            "Tous les logements sont occupés : un nouvel habitant ne pourra entrer que si "
            "un logement se libère pendant la simulation."
        )
    with st.form(FORM):
        st.markdown("**Et si…**")
        days = st.number_input(
            "Durée simulée (jours)",
            value=365,
            step=30,
            key=f"{FORM}.days",
            help="365 jours : une année de vie de l'habitat.",
        )
        forms.field_error(FORM, "days")
        shocks = simulation.pick_shocks(
            FORM, what_if.WHAT_IF_SHOCKS, dict.fromkeys(what_if.WHAT_IF_SHOCKS, SHOCK_DAY)
        )
        replications, seed = simulation.size_fields(FORM)
        if not st.form_submit_button("Comparer à l'habitat aujourd'hui", type="primary"):
            return
    errors = {}
    if not shocks:
        errors["shock.family_withdrawal"] = "cochez au moins un événement"
    if not 1 <= days <= 3650:
        errors["days"] = "entre 1 et 3 650 jours"
    if not 1 <= replications <= explore.MAX_REPLICATIONS:
        errors["replications"] = f"entre 1 et {explore.MAX_REPLICATIONS} simulations"
    if seed < 0:
        errors["seed"] = "ne peut pas être négative"
    baseline = shocked = None
    if not errors:
        baseline = habitat.scenario.with_days(int(days))
        try:
            shocked = what_if.with_shocks(baseline, shocks)
        except explore.InvalidForm as refusal:
            errors.update(refusal.by_field)
    if errors:
        st.session_state[f"{FORM}:errors"] = errors
        st.rerun()
    simulation.request(FORM, baseline, shocked, int(replications), int(seed))


def _results(ctx: shell.Context, shocked, runs: simulation.Runs) -> None:
    st.header("Effet par rapport à l'habitat aujourd'hui", divider="green")
    st.caption(
        f"Mêmes tirages (graine {runs.seed}) : seuls les événements ajoutés diffèrent.",
        help=results.GLOSSARY["Mêmes tirages"],
    )
    simulation.comparison(runs)
    simulation.show_bands(runs)
    st.markdown(f"**Lecture : {fmt.plain(shocked.name)}**")
    simulation.show_reading(runs.results[shocked.name])
    simulation.downloads("what_if.results", runs, shocked)
    if may_write(ctx.user, SavedScenario.table):
        with st.form(SAVE):
            st.markdown("**Enregistrer ce scénario dans l'habitat** (pour le relancer plus tard)")
            note = st.text_input("Commentaire (facultatif)", key=f"{SAVE}.note", max_chars=200)
            forms.field_error(SAVE, "note")
            if st.form_submit_button("Enregistrer le scénario"):
                forms.submit(
                    SAVE,
                    lambda: what_if.save(
                        ctx.db,
                        ctx.user,
                        shocked,
                        as_of=ctx.today,
                        seed=runs.seed,
                        replications=runs.replications,
                        note=note,
                    ),
                    f"Scénario « {shocked.name} » enregistré.",
                )
        forms.status(SAVE, ["note"])


def _saved(ctx: shell.Context, habitat: what_if.HabitatScenario) -> None:
    st.header("Scénarios enregistrés", divider="green")
    saved = what_if.saved(ctx.db, ctx.user)
    if not saved:
        st.info("Aucun scénario enregistré pour cet habitat.")
        return
    tables.show(
        {
            "Scénario": [s.name for s in saved],
            "Situation au": [fmt.fr_date(s.as_of) for s in saved],
            "Simulations": [s.replications for s in saved],
            "Graine": [s.seed for s in saved],
            "Commentaire": [s.note or "" for s in saved],
        }
    )
    chosen = st.selectbox(
        "Scénario à relancer",
        saved,
        format_func=lambda s: f"{s.name} ({fmt.fr_date(s.as_of)})",
        key=f"{REPLAY}.chosen",
        placeholder="Choisir…",
    )
    if st.button("Relancer et comparer à l'habitat aujourd'hui", key=f"{REPLAY}.run"):
        again = what_if.load_saved(chosen)
        baseline = habitat.scenario.with_days(again.days)
        runs = simulation.run(REPLAY, [baseline, again], chosen.replications, chosen.seed)
        if runs is not None:
            st.session_state[REPLAY] = (chosen.id, runs)
    elif simulation.stopped(REPLAY):
        st.warning("Simulation arrêtée : rien n'a été calculé.", icon="⏹️")
    replayed = st.session_state.get(REPLAY)
    if replayed and replayed[0] == chosen.id:
        runs = replayed[1]
        simulation.comparison(runs)
        simulation.show_bands(runs, ["unmet_individual_hours", "quality_of_life"])

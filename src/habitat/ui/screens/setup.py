"""Mise en place: the set-up assistant a new habitat's animator lands on.

Six steps, each saved on its own (the records say which are done, so leaving and
coming back resumes where one stopped); at the end, what to do next.
"""

from __future__ import annotations

import streamlit as st

from habitat.services import setup
from habitat.services.access import Screen
from habitat.ui import forms, navigation, shell
from habitat.ui.screens import setup_forms

STEP = "setup.step"
GOTO = "setup.goto"
#: Set in the session that saved the last step: the assistant stays to say what next.
FINISHED = "setup.finished"


def render(ctx: shell.Context) -> None:
    """The set-up assistant."""
    forms.show_flash()
    st.title("Mise en place de l'habitat")
    progress = setup.progress(ctx.db)
    done = progress.done
    st.progress(
        sum(done.values()) / len(done),
        text=f"{sum(done.values())} étape(s) sur {len(done)} enregistrée(s)",
    )
    if GOTO in st.session_state:
        st.session_state[STEP] = st.session_state.pop(GOTO)
    available = [s for s in setup.STEPS if s == "habitat" or progress.habitat is not None]
    if st.session_state.get(STEP) not in available:
        st.session_state[STEP] = progress.next_step or "habitat"
    step = st.radio(
        "Étape",
        available,
        format_func=lambda s: (
            f"{list(setup.STEPS).index(s) + 1}. {setup.STEPS[s]}" + (" ✓" if done[s] else "")
        ),
        horizontal=True,
        key=STEP,
    )
    if progress.habitat is None:
        st.caption(
            "Commencez par l'habitat : les autres étapes s'ouvrent dès qu'il est enregistré. "
            "Chaque étape s'enregistre à part : vous pouvez vous arrêter et reprendre plus tard."
        )
    st.subheader(setup.STEPS[step])

    def then() -> None:
        after = setup.progress(ctx.db).next_step
        if after is None:
            st.session_state[FINISHED] = True
        else:
            st.session_state[GOTO] = after

    form = f"setup.{step}"
    if step == "habitat":
        setup_forms.habitat_form(ctx, progress, form, then)
    elif step == "dwellings":
        setup_forms.dwellings_form(ctx, progress, form, then)
    elif step == "spaces":
        setup_forms.spaces_form(ctx, progress, form, then)
    elif step == "avp":
        setup_forms.avp_form(ctx, progress, form, then)
    elif step == "project":
        setup_forms.project_form(ctx, progress, form, then)
    else:
        _rota(ctx, progress, then)
    if progress.complete:
        _next(progress)


def _rota(ctx: shell.Context, progress: setup.Progress, then) -> None:
    st.caption(
        "Qui assure la présence collective, chaque semaine : l'animateur·rice, l'aide "
        "mutualisée, une famille, un·e bénévole, un intervenant. Les exceptions (un jour "
        "férié, un remplacement) se saisissent ensuite dans les Paramètres de l'habitat."
    )
    setup_forms.presence_hours_form(ctx, progress, "setup.hours")
    setup_forms.pattern_form(ctx, "setup.pattern", then)
    setup_forms.pattern_list(ctx, progress, "setup.patterns")
    if progress.patterns:
        setup_forms.week_view(ctx, progress)


def _next(progress: setup.Progress) -> None:
    st.divider()
    st.success(
        f"L'habitat « {progress.recorded_habitat.name} » est en place : {len(progress.dwellings)} "
        f"logements, {len(progress.spaces)} espace(s) commun(s), la convention AVP, le projet "
        "de vie sociale et partagée et le planning de présence.",
        icon="🎉",
    )
    st.markdown("**Et maintenant ?**")
    navigation.link(
        Screen.RESIDENTS,
        "Ajouter les habitant·es, un par un (écran Habitants)",
        ":material/person_add:",
    )
    navigation.link(
        Screen.CARERS,
        "Ajouter les proches de chaque habitant·e",
        ":material/family_restroom:",
    )
    navigation.link(
        Screen.PROVIDERS,
        "Ajouter les intervenants",
        ":material/medical_services:",
    )
    st.markdown(
        "Vous avez déjà une liste d'habitant·es dans un tableur ? Un fichier CSV ou Excel "
        "peut être importé par la personne qui a installé l'outil. Tout ce qui a été saisi "
        "ici se modifie plus tard dans **Paramètres de l'habitat**, et les comptes des "
        "proches et des intervenants se créent dans **Administration**."
    )

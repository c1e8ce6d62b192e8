"""Paramètres de l'habitat: everything the set-up recorded, changed later (versioned, audited).

The animator edits; the host organisation reads. The presence rota has its own
tab: the weekly pattern, exceptions on given dates and the week with its gaps.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from habitat.services import setup
from habitat.store.entities import ExceptionKind, PresenceRole
from habitat.ui import fields, fmt, forms, labels, shell, tables
from habitat.ui.screens import setup_forms

EXCEPTION = "settings.exception"


def render(ctx: shell.Context) -> None:
    """The settings screen."""
    forms.show_flash()
    st.title("Paramètres de l'habitat")
    progress = setup.progress(ctx.db)
    if not ctx.user.is_animator:
        _read_only(progress)
        return
    step = progress.next_step
    if step is not None:
        st.info(f"Étape à terminer : {setup.STEPS[step]} (dans « Mise en place »).")
    tabs = st.tabs(
        ["Habitat", "Logements", "Espaces communs", "Convention AVP", "Projet", "Présence"]
    )
    with tabs[0]:
        setup_forms.habitat_form(ctx, progress, "settings.habitat")
    with tabs[1]:
        setup_forms.dwellings_form(ctx, progress, "settings.dwellings")
        free = setup.free_dwellings(ctx.db, progress.recorded_habitat.stored_id)
        st.caption(
            "Logements libres : " + (", ".join(free) if free else "aucun")
            if progress.dwellings
            else "Aucun logement nommé pour l'instant."
        )
    with tabs[2]:
        setup_forms.spaces_form(ctx, progress, "settings.spaces")
    with tabs[3]:
        setup_forms.avp_form(ctx, progress, "settings.avp")
    with tabs[4]:
        setup_forms.project_form(ctx, progress, "settings.project")
    with tabs[5]:
        _rota(ctx, progress)


def _rota(ctx: shell.Context, progress: setup.Progress) -> None:
    setup_forms.presence_hours_form(ctx, progress, "settings.hours")
    st.markdown("**Planning hebdomadaire**")
    setup_forms.pattern_list(ctx, progress, "settings.patterns")
    with st.expander(
        "Ajouter un créneau hebdomadaire", expanded=fields.is_open("settings.pattern")
    ):
        setup_forms.pattern_form(ctx, "settings.pattern")
    st.markdown("**Exceptions**")
    _exceptions(ctx, progress)
    with st.expander("Ajouter une exception", expanded=fields.is_open(EXCEPTION)):
        _exception_form(ctx, progress)
    setup_forms.week_view(ctx, progress)


def _exceptions(ctx: shell.Context, progress: setup.Progress) -> None:
    habitat_id = progress.recorded_habitat.stored_id
    coming = setup.exceptions(ctx.db, habitat_id, ctx.today - timedelta(days=7))
    if not coming:
        st.caption("Aucune exception à venir.")
        return
    patterns = {p.stored_id: p for p in progress.patterns}
    rows: dict[str, list[str]] = {"Date": [], "Changement": [], "Motif": []}
    for exception in coming:
        rows["Date"].append(fmt.fr_date(exception.day))
        if exception.kind is ExceptionKind.CANCEL:
            cancelled = exception.pattern_id
            pattern = None if cancelled is None else patterns.get(cancelled)
            what = "créneau annulé" + (
                f" : {pattern.person} {fmt.fr_time(pattern.starts)}–{fmt.fr_time(pattern.ends)}"
                if pattern
                else ""
            )
        else:
            what = (
                f"créneau ajouté : {exception.person} ({labels.fr(exception.role)}) "
                f"{fmt.fr_time(exception.starts)}–{fmt.fr_time(exception.ends)}"
            )
        rows["Changement"].append(what)
        rows["Motif"].append(exception.reason or "")
    tables.show(rows)


def _exception_form(ctx: shell.Context, progress: setup.Progress) -> None:
    form = EXCEPTION
    forms.status(form, ["day", "kind", "pattern_id", "person", "role", "starts", "ends", "reason"])
    with st.form(form):
        day = fields.date(form, "day", ctx.today)
        kind = st.radio(
            "Changement",
            [ExceptionKind.CANCEL.value, ExceptionKind.ADD.value],
            format_func=lambda k: (
                "Annuler un créneau hebdomadaire"
                if k == "cancel"
                else "Ajouter un créneau ce jour-là"
            ),
            horizontal=True,
            key=f"{form}.kind",
        )
        pattern = fields.choice(
            form,
            "pattern_id",
            [p.id for p in progress.patterns],
            None,
            format_func=lambda i: _pattern_label(progress, i),
            optional=True,
        )
        st.caption("Pour un créneau ajouté :")
        left, right = st.columns(2)
        with left:
            person = fields.text(form, "person", None, label="Qui")
            starts = fields.time(form, "starts", None)
        with right:
            role = fields.enum(form, "role", PresenceRole, None, optional=True)
            ends = fields.time(form, "ends", None)
        reason = fields.text(form, "reason", None)
        if st.form_submit_button("Enregistrer l'exception", type="primary"):
            data = fields.given(
                {
                    "day": day,
                    "kind": kind,
                    "pattern_id": pattern if kind == "cancel" else None,
                    "person": (person or None) if kind == "add" else None,
                    "role": role if kind == "add" else None,
                    "starts": starts if kind == "add" else None,
                    "ends": ends if kind == "add" else None,
                    "reason": reason or None,
                }
            )
            forms.submit(
                form,
                lambda: setup.add_exception(ctx.db, ctx.user, data),
                "Exception enregistrée.",
            )


def _pattern_label(progress: setup.Progress, pattern_id: int) -> str:
    pattern = next((p for p in progress.patterns if p.id == pattern_id), None)
    if pattern is None:
        return "—"
    return (
        f"{setup.WEEKDAYS_FR[pattern.weekday]} {fmt.fr_time(pattern.starts)}–"
        f"{fmt.fr_time(pattern.ends)} · {pattern.person}"
    )


def _read_only(progress: setup.Progress) -> None:
    habitat = progress.recorded_habitat
    st.caption("Seul·e l'animateur·rice-coordinateur·rice modifie ces paramètres.")
    tables.show(
        {
            "Paramètre": [
                "Nom",
                "Porteur du projet partagé",
                "Adresse",
                "Logements",
                "Espaces communs",
                "AVP par habitant et par an",
                "Palier",
                "Convention",
                "Présence attendue",
                "Prénoms sur le programme de la semaine",
            ],
            "Valeur": [
                habitat.name,
                habitat.host_organisation,
                habitat.address,
                ", ".join(d.name for d in progress.dwellings) or str(habitat.dwellings),
                ", ".join(s.name for s in progress.spaces) or "—",
                f"{habitat.avp_amount_per_resident:,.0f} €".replace(",", " "),
                habitat.avp_tier or "—",
                f"du {fmt.fr_date(habitat.avp_start)} au {fmt.fr_date(habitat.avp_end)}",
                f"de {fmt.fr_time(habitat.presence_from)} à {fmt.fr_time(habitat.presence_to)}",
                "oui" if habitat.noticeboard_first_names else "non",
            ],
        }
    )
    if progress.patterns:
        st.markdown("**Planning hebdomadaire**")
        tables.show(
            {
                "Jour": [setup.WEEKDAYS_FR[p.weekday] for p in progress.patterns],
                "Qui": [p.person for p in progress.patterns],
                "Rôle": [labels.fr(p.role) for p in progress.patterns],
                "De": [fmt.fr_time(p.starts) for p in progress.patterns],
                "À": [fmt.fr_time(p.ends) for p in progress.patterns],
            }
        )

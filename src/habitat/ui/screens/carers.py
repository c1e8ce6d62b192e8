"""Proches: family members and carers, what they do, their consent, and how much rests on them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.services import access, reads
from habitat.services.carers import TOP_FAMILY_WARNING, family_help
from habitat.store.entities import Carer, Resident
from habitat.ui import fmt, forms, shell, tables
from habitat.ui.screens import carer_forms

FILTER = "carers.resident"
ALL = 0


def render(ctx: shell.Context) -> None:
    """The carers screen."""
    forms.show_flash()
    st.title("Proches")
    st.caption(f"{ctx.current_habitat.name} · familles et proches aidants des habitants")
    residents = reads.living_residents(ctx.db, ctx.user, ctx.habitat_id, ctx.today)
    by_id = {r.stored_id: r for r in residents}
    carers = [c for c in reads.carers(ctx.db, ctx.user, ctx.habitat_id) if c.resident_id in by_id]
    writer = access.may_write(ctx.user, Carer.table)
    present = reads.current_residents(ctx.db, ctx.user, ctx.habitat_id, ctx.today)
    _concentration(carers, {r.stored_id: r for r in present})
    _carers_table(carers, by_id)
    if writer:
        carer_forms.add_carer(ctx, residents)
        carer_forms.edit_carer(ctx, carers, by_id)
    carer_forms.archived(ctx, by_id, writer)


def _share(value: float | None) -> str:
    """`41 %` (French spacing); "—" when there is nothing to divide."""
    return "—" if value is None else f"{value:.0%}".replace("%", " %")


_name = carer_forms.name


def _concentration(carers: list[Carer], present: dict[int, Resident]) -> None:
    help_ = family_help(carers, list(present))
    st.subheader("L'aide des familles")
    a, b, c, d = st.columns(4)
    a.metric("Heures de proches par semaine", fmt.hours(help_.total_hours))
    b.metric(
        "Familles qui donnent du temps",
        f"{len(help_.hours_by_family)} / {len(present)}",
        help="Une famille : les proches d'un habitant.",
    )
    c.metric(
        "Part de la famille la plus présente",
        _share(help_.top_share),
    )
    d.metric(
        "Part des trois plus présentes",
        _share(help_.top_three_share),
    )
    if help_.concentrated:
        top_id, top_hours = help_.hours_by_family[0]
        st.warning(
            f"L'habitat repose beaucoup sur quelques familles : celle de "
            f"{fmt.plain(_name(present[top_id]))} donne {fmt.hours(top_hours)} par semaine "
            f"({_share(help_.top_share)} du temps des proches). Anticipez le jour où elle ne "
            "pourra plus (relais, autres bénévoles, intervenants).",
            icon="⚠️",
        )
    elif help_.total_hours:
        st.caption(
            f"Aucune famille ne donne {_share(TOP_FAMILY_WARNING)} ou plus du temps des proches."
        )
    st.caption(
        f"Familles impliquées dans la gouvernance : {help_.families_in_governance} · "
        f"dans la gestion : {help_.families_in_management}."
    )
    if help_.residents_without_carer:
        names = ", ".join(_name(present[i]) for i in help_.residents_without_carer)
        st.info(f"Habitants sans proche enregistré : {fmt.plain(names)}.")
    if help_.hours_by_family:
        tables.frame(
            pd.DataFrame(
                {
                    "Famille de": [_name(present[i]) for i, _ in help_.hours_by_family],
                    "Heures/semaine": [h for _, h in help_.hours_by_family],
                    "Part": [_share(h / help_.total_hours) for _, h in help_.hours_by_family],
                }
            ),
            hide_index=True,
        )


def _carers_table(carers: list[Carer], residents: dict[int, Resident]) -> None:
    st.subheader(f"Proches des habitants ({len(carers)})")
    options = [ALL, *residents]
    if st.session_state.get(FILTER) not in options:
        st.session_state.pop(FILTER, None)
    chosen = st.selectbox(
        "Habitant",
        options,
        format_func=lambda i: "Tous les habitants" if i == ALL else _name(residents[i]),
        key=FILTER,
        placeholder="Choisir…",
    )
    shown = carers if chosen == ALL else [c for c in carers if c.resident_id == chosen]
    if shown:
        tables.frame(carer_forms.table(shown, residents), hide_index=True)
    else:
        st.info("Aucun proche enregistré.")

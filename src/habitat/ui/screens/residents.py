"""Habitants: the residents' list, each resident's file, support plan and history."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.services import access, reads
from habitat.store.entities import Resident, Role
from habitat.ui import fmt, forms, shell, tables
from habitat.ui.labels import fr
from habitat.ui.screens import resident_file, resident_forms

SELECTED = "residents.selected"
#: The resident whose file (and forms) the last rerun showed.
SHOWN = "residents.shown"

_LIST_TITLES = {
    Role.PROVIDER: "Habitants que vous accompagnez",
    Role.FAMILY: "Votre proche",
    Role.RESIDENT: "Votre fiche",
}


def render(ctx: shell.Context) -> None:
    """The residents screen."""
    added = resident_forms.just_added()
    forms.show_flash()
    st.title("Habitants")
    st.caption(ctx.current_habitat.name)
    writer = access.may_write(ctx.user, Resident.table)
    listed, former = reads.resident_list(ctx.db, ctx.user, ctx.habitat_id, ctx.today)
    _list(ctx, listed, former)
    if writer:
        resident_forms.add_resident(ctx)
    choices = listed + former
    if not choices:
        st.info("Aucune fiche d'habitant à afficher pour votre compte.")
        return
    resident = _pick(choices, {r.stored_id for r in former}, added)
    resident_file.show(ctx, resident.stored_id, writer)


# --- The list ------------------------------------------------------------------------


def _table(residents: list[Resident], *, left: bool) -> pd.DataFrame:
    columns = {
        "Habitant": [r.full_name for r in residents],
        "Logement": [r.dwelling or "" for r in residents],
        "Public": [fr(r.public) for r in residents],
        "GIR": [str(r.gir) if r.gir else "" for r in residents],
        "Besoin d'accompagnement": [fr(r.support_level) for r in residents],
        "Entrée le": [fmt.fr_date(r.entry_date) for r in residents],
    }
    if left:
        columns["Sortie le"] = [fmt.fr_date(r.exit_date) for r in residents]
        columns["Motif"] = [fr(r.exit_reason) for r in residents]
        columns["Archivée"] = ["oui" if r.archived_at else "" for r in residents]
    return pd.DataFrame(columns)


def _list(ctx: shell.Context, listed: list[Resident], former: list[Resident]) -> None:
    coming = sum(1 for r in listed if r.entry_date > ctx.today)
    title = _LIST_TITLES.get(ctx.user.role, "Habitants actuels")
    st.subheader(f"{title} ({len(listed) - coming})")
    if coming:
        st.caption(f"dont {coming} arrivée(s) prévue(s), comptée(s) à part.")
    if listed:
        tables.frame(_table(listed, left=False), hide_index=True)
    if former:
        with st.expander(f"Anciens habitants et fiches archivées ({len(former)})"):
            tables.frame(_table(former, left=True), hide_index=True)


def _pick(choices: list[Resident], left: set[int], added: int | None) -> Resident:
    """The resident whose file is shown: chosen in a list (or just added), or the only one."""
    if len(choices) == 1:
        chosen = choices[0]
    else:
        if added is not None:
            st.session_state[SELECTED] = added
        by_id = {r.stored_id: r for r in choices}
        if st.session_state.get(SELECTED) not in by_id:
            st.session_state.pop(SELECTED, None)
        picked = st.selectbox(
            "Fiche de",
            list(by_id),
            format_func=lambda i: (
                by_id[i].full_name + (" (ancien·ne habitant·e)" if i in left else "")
            ),
            key=SELECTED,
            placeholder="Choisir…",
        )
        chosen = by_id[picked]
    shown = st.session_state.get(SHOWN)
    if shown is not None and shown != chosen.id:
        resident_forms.forget(shown)
    st.session_state[SHOWN] = chosen.id
    return chosen

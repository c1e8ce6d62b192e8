"""Cahier de liaison: read the notes one may see, filtered and paged, and write one."""

from __future__ import annotations

import streamlit as st

from habitat import store
from habitat.services import notebook
from habitat.services.access import may_write, visible_resident_ids
from habitat.store import queries
from habitat.store.entities import Audience, LiaisonNote, Resident, Role
from habitat.ui import fmt, forms, shell
from habitat.ui.labels import fmt as enum_fmt
from habitat.ui.labels import fr

FORM = "notebook.new"
#: The (time, id) of the last note of each page shown so far (the first page has none).
CURSORS = "notebook.cursors"
FILTERS = ("notebook.filter.resident", "notebook.filter.author", "notebook.filter.audience")


def _first_page() -> None:
    st.session_state[CURSORS] = []


def render(ctx: shell.Context) -> None:
    """The liaison notebook screen."""
    user, db = ctx.user, ctx.db
    forms.show_flash()
    st.title("Cahier de liaison")
    visible = visible_resident_ids(db, user)
    residents = {
        r.id: r
        for r in store.find(db, Resident, "habitat_id = ?", [ctx.habitat.id], order_by="last_name")
        if visible is None or r.id in visible
    }
    if user.role is Role.FAMILY:
        relative = residents.get(user.resident_id)
        st.caption(
            "Les notes adressées à la famille de "
            + (fmt.plain(relative.full_name) if relative else "votre proche")
            + "."
        )
    elif user.role is Role.PROVIDER:
        st.caption(
            "Les notes destinées aux intervenants, au sujet des habitants que vous accompagnez."
        )

    if may_write(user, LiaisonNote.table):
        _write_form(ctx, residents)

    st.subheader("Notes")
    resident_id, author, audience = _filters(ctx, residents)
    cursors = st.session_state.setdefault(CURSORS, [])
    notes = notebook.read_notes(
        db,
        user,
        ctx.habitat.id,
        resident_id=resident_id,
        author=author,
        audience=audience,
        before=cursors[-1][0] if cursors else None,
        before_id=cursors[-1][1] if cursors else None,
    )
    if not notes:
        st.info("Aucune note pour ces critères.")
    for note in notes:
        _show(note, residents)
    left, right = st.columns(2)
    if cursors and left.button(
        "Notes plus récentes", key="notebook.newer", icon=":material/arrow_upward:"
    ):
        cursors.pop()
        st.rerun()
    if len(notes) >= queries.NOTES_PAGE and right.button(
        "Notes plus anciennes", key="notebook.older", icon=":material/arrow_downward:"
    ):
        cursors.append((notes[-1].written_at, notes[-1].id))
        st.rerun()


def _filters(
    ctx: shell.Context, residents: dict[int, Resident]
) -> tuple[int | None, str | None, str | None]:
    user = ctx.user
    columns = st.columns(3)
    resident_id = None
    if user.role is not Role.FAMILY:
        resident_id = columns[0].selectbox(
            "Habitant",
            [None, *residents],
            format_func=lambda i: "Tous" if i is None else residents[i].full_name,
            key=FILTERS[0],
            on_change=_first_page,
        )
    author = columns[1].selectbox(
        "Auteur",
        [None, *notebook.authors(ctx.db, user, ctx.habitat.id)],
        format_func=lambda a: "Tous" if a is None else a,
        key=FILTERS[1],
        on_change=_first_page,
    )
    audience = None
    if user.role in (Role.ANIMATOR, Role.HOST):
        audience = columns[2].selectbox(
            "Destinataires",
            [None, *(a.value for a in Audience)],
            format_func=lambda a: "Tous" if a is None else fr(Audience(a)),
            key=FILTERS[2],
            on_change=_first_page,
        )
    return resident_id, author, audience


def _show(note: LiaisonNote, residents: dict[int, Resident]) -> None:
    audience = fr(note.audience)
    if note.audience is Audience.FAMILY and note.audience_resident_id in residents:
        audience = f"famille de {residents[note.audience_resident_id].full_name}"
    concerned = [residents[i].full_name for i in note.resident_ids if i in residents]
    header = (
        f"**{fmt.fr_datetime(note.written_at)}** · {fmt.plain(note.author)}"
        f" · pour : {fmt.plain(audience)}"
    )
    if concerned:
        # On the header's second line, not a caption of its own: 50 notes a page, and
        # every element costs a rerun time.
        header += "  \n:gray[Au sujet de : " + fmt.plain(", ".join(concerned)) + "]"
    with st.container(border=True):
        st.markdown(header)
        st.markdown(fmt.plain(note.body))


def _write_form(ctx: shell.Context, residents: dict[int, Resident]) -> None:
    user = ctx.user
    current = {
        r.id: r
        for r in residents.values()
        if r.entry_date <= ctx.today and (r.exit_date is None or r.exit_date > ctx.today)
    }
    with st.expander("Écrire une note", expanded=bool(st.session_state.get(f"{FORM}:errors"))):
        forms.status(FORM, ["body", "resident_ids", "audience", "audience_resident_id"])
        with st.form(FORM):
            body = st.text_area("Note", key=f"{FORM}.body", max_chars=20_000)
            forms.field_error(FORM, "body")
            chosen, audience, family_of = [], Audience.FAMILY.value, user.resident_id
            if user.role is Role.FAMILY:
                relative = residents.get(user.resident_id)
                st.caption(
                    "Au sujet de "
                    + (fmt.plain(relative.full_name) if relative else "votre proche")
                    + ", à l'équipe de l'habitat."
                )
            else:
                chosen = st.multiselect(
                    "Habitants concernés",
                    list(current),
                    format_func=lambda i: current[i].full_name,
                    key=f"{FORM}.resident_ids",
                    help=(
                        "Les habitants que vous accompagnez."
                        if user.role is Role.PROVIDER
                        else None
                    ),
                    placeholder="Choisir…",
                    select_all=False,
                )
                forms.field_error(FORM, "resident_ids")
                choices = notebook.audiences_for(user)
                audience = st.selectbox(
                    "Destinataires",
                    choices,
                    format_func=enum_fmt(Audience),
                    key=f"{FORM}.audience",
                    placeholder="Choisir…",
                )
                forms.field_error(FORM, "audience")
                family_of = None
                if user.role is Role.ANIMATOR:
                    family_of = st.selectbox(
                        "Famille de (si la note est destinée à une famille)",
                        [None, *current],
                        format_func=lambda i: "—" if i is None else current[i].full_name,
                        key=f"{FORM}.audience_resident_id",
                        placeholder="Choisir…",
                    )
                    forms.field_error(FORM, "audience_resident_id")
            if st.form_submit_button("Enregistrer la note", type="primary"):
                _first_page()
                forms.submit(
                    FORM,
                    lambda: notebook.write_note(
                        ctx.db,
                        user,
                        ctx.habitat.id,
                        body=body,
                        resident_ids=chosen,
                        audience=audience,
                        family_of=family_of,
                    ),
                    "Note enregistrée.",
                )

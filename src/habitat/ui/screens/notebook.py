"""Cahier de liaison: read the notes one may see, filtered and paged, and write one."""

from __future__ import annotations

import streamlit as st

from habitat.services import notebook, reads
from habitat.services.access import may_write
from habitat.store import queries
from habitat.store.entities import Audience, LiaisonNote, Resident, Role
from habitat.ui import fmt, forms, shell
from habitat.ui.labels import fmt as enum_fmt
from habitat.ui.labels import fr

FORM = "notebook.new"
RECTIFY = "notebook.rectify"
#: The (time, id) of the last note of each page shown so far (the first page has none).
CURSORS = "notebook.cursors"
#: The provider select's first choice: a note for every provider of the residents concerned.
ALL_PROVIDERS = "Tous les intervenants de ces habitants"
FILTERS = ("notebook.filter.resident", "notebook.filter.author", "notebook.filter.audience")


def _first_page() -> None:
    st.session_state[CURSORS] = []


def render(ctx: shell.Context) -> None:
    """The liaison notebook screen."""
    user, db = ctx.user, ctx.db
    forms.show_flash()
    st.title("Cahier de liaison")
    residents = {r.stored_id: r for r in reads.residents(db, user, ctx.habitat_id)}
    if user.role is Role.FAMILY:
        relative = residents.get(user.tied_resident_id)
        st.caption(
            "Les notes adressées à la famille de "
            + (fmt.plain(relative.full_name) if relative else "votre proche")
            + "."
        )
    elif user.role is Role.PROVIDER:
        st.caption(
            "Les notes destinées aux intervenants, au sujet des habitants que vous accompagnez."
        )

    providers = notebook.provider_names(db, user, ctx.habitat_id)
    if may_write(user, LiaisonNote.table):
        _write_form(ctx, residents, providers)

    st.subheader("Notes")
    resident_id, author, audience = _filters(ctx, residents)
    cursors = st.session_state.setdefault(CURSORS, [])
    notes = notebook.read_notes(
        db,
        user,
        ctx.habitat_id,
        resident_id=resident_id,
        author=author,
        audience=audience,
        before=cursors[-1][0] if cursors else None,
        before_id=cursors[-1][1] if cursors else None,
    )
    if not notes:
        st.info("Aucune note pour ces critères.")
    originals, later = notebook.links(db, notes)
    for note in notes:
        rectified_id = note.rectifies_note_id
        original = None if rectified_id is None else originals.get(rectified_id)
        _show(note, residents, providers, original, later)
    mine = [n for n in notes if notebook.may_rectify(user, n)]
    if mine and may_write(user, LiaisonNote.table):
        _rectify_form(ctx, mine)
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
            placeholder="Choisir…",
        )
    author = columns[1].selectbox(
        "Auteur",
        [None, *notebook.authors(ctx.db, user, ctx.habitat_id)],
        format_func=lambda a: "Tous" if a is None else a,
        key=FILTERS[1],
        on_change=_first_page,
        placeholder="Choisir…",
    )
    audience = None
    if user.role in (Role.ANIMATOR, Role.HOST):
        audience = columns[2].selectbox(
            "Destinataires",
            [None, *(a.value for a in Audience)],
            format_func=lambda a: "Tous" if a is None else fr(Audience(a)),
            key=FILTERS[2],
            on_change=_first_page,
            placeholder="Choisir…",
        )
    return resident_id, author, audience


def _addressee(note: LiaisonNote, residents: dict[int, Resident], providers: dict[int, str]) -> str:
    """To whom the note was addressed, in words."""
    if note.audience is Audience.FAMILY and note.audience_resident_id in residents:
        return f"famille de {residents[note.audience_resident_id].full_name}"
    if note.audience is Audience.PROVIDERS:
        if note.audience_provider_id is None:
            return ALL_PROVIDERS.lower()
        return providers.get(note.audience_provider_id, "un intervenant")
    return fr(note.audience)


def _rectify_form(ctx: shell.Context, notes: list[LiaisonNote]) -> None:
    """Correct one of one's notes shown above by a rectification (the note stays)."""
    by_id = {n.stored_id: n for n in notes}
    with st.expander(
        "Rectifier une de mes notes", expanded=bool(st.session_state.get(f"{RECTIFY}:errors"))
    ):
        st.caption(
            "Une note du cahier ne se modifie pas : la rectification s'ajoute, pour les mêmes "
            "destinataires, et les deux notes renvoient l'une à l'autre."
        )
        forms.status(RECTIFY, ["body"])
        with st.form(RECTIFY):
            chosen = st.selectbox(
                "Note à rectifier",
                list(by_id),
                format_func=lambda i: (
                    f"{fmt.fr_datetime(by_id[i].written_at)} · {by_id[i].body[:60]}"
                ),
                key=f"{RECTIFY}.note",
                placeholder="Choisir…",
            )
            body = st.text_area("Rectification", key=f"{RECTIFY}.body")
            forms.field_error(RECTIFY, "body")
            if st.form_submit_button("Ajouter la rectification", type="primary"):
                forms.submit(
                    RECTIFY,
                    lambda: notebook.rectify(ctx.db, ctx.user, chosen, body),
                    "Rectification ajoutée.",
                )


def _show(
    note: LiaisonNote,
    residents: dict[int, Resident],
    providers: dict[int, str],
    original: LiaisonNote | None = None,
    later: dict[int, list[LiaisonNote]] | None = None,
) -> None:
    audience = _addressee(note, residents, providers)
    concerned = [residents[i].full_name for i in note.resident_ids if i in residents]
    header = (
        f"**{fmt.fr_datetime(note.written_at)}** · {fmt.plain(note.author)}"
        f" · pour : {fmt.plain(audience)}"
    )
    if concerned:
        # On the header's second line, not a caption of its own: 50 notes a page, and
        # every element costs a rerun time.
        header += "  \n:gray[Au sujet de : " + fmt.plain(", ".join(concerned)) + "]"
    if original is not None:
        header += (
            f"  \n:orange[Rectifie la note du {fmt.fr_datetime(original.written_at)}"
            f" de {fmt.plain(original.author)}]"
        )
    rectified = (later or {}).get(note.stored_id, [])
    if rectified:
        header += (
            "  \n:orange[Rectifiée le "
            + ", ".join(fmt.fr_datetime(r.written_at) for r in rectified)
            + " : voir la rectification]"
        )
    with st.container(border=True):
        st.markdown(header)
        st.markdown(fmt.plain(note.body))


def _write_form(
    ctx: shell.Context, residents: dict[int, Resident], providers: dict[int, str]
) -> None:
    user = ctx.user
    current = {
        r.stored_id: r
        for r in residents.values()
        if r.entry_date <= ctx.today and (r.exit_date is None or r.exit_date > ctx.today)
    }
    fields = ["body", "resident_ids", "audience", "audience_resident_id", "audience_provider_id"]
    with st.expander("Écrire une note", expanded=bool(st.session_state.get(f"{FORM}:errors"))):
        forms.status(FORM, fields)
        audience, family_of = Audience.FAMILY.value, user.resident_id
        if user.role is not Role.FAMILY:
            # Outside the form: choosing the audience shows the select that goes with it.
            audience = st.selectbox(
                "Destinataires",
                notebook.audiences_for(user),
                format_func=enum_fmt(Audience),
                key=f"{FORM}.audience",
                placeholder="Choisir…",
            )
            forms.field_error(FORM, "audience")
        with st.form(FORM):
            body = st.text_area("Note", key=f"{FORM}.body", max_chars=20_000)
            forms.field_error(FORM, "body")
            chosen, provider_id = [], None
            if user.role is Role.FAMILY:
                relative = residents.get(user.tied_resident_id)
                st.caption(
                    "Au sujet de "
                    + (fmt.plain(relative.full_name) if relative else "votre proche")
                    + ", à l'équipe de l'habitat."
                )
            else:
                family_of = None
                if audience == Audience.FAMILY.value:
                    family_of = st.selectbox(
                        "Famille de",
                        list(current),
                        format_func=lambda i: current[i].full_name,
                        key=f"{FORM}.audience_resident_id",
                        help="La note ne concerne que cet habitant.",
                        placeholder="Choisir…",
                    )
                    forms.field_error(FORM, "audience_resident_id")
                if audience == Audience.PROVIDERS.value:
                    provider_id = st.selectbox(
                        "Intervenant destinataire",
                        [None, *providers],
                        format_func=lambda i: ALL_PROVIDERS if i is None else providers[i],
                        key=f"{FORM}.audience_provider_id",
                        placeholder="Choisir…",
                    )
                    forms.field_error(FORM, "audience_provider_id")
                chosen = st.multiselect(
                    "Habitants concernés",
                    list(current),
                    format_func=lambda i: current[i].full_name,
                    key=f"{FORM}.resident_ids",
                    help=(
                        "Les habitants que vous accompagnez."
                        if user.role is Role.PROVIDER
                        else "Vide : l'habitant dont la famille reçoit la note."
                        if audience == Audience.FAMILY.value
                        else None
                    ),
                    placeholder="Choisir…",
                    select_all=False,
                )
                forms.field_error(FORM, "resident_ids")
            if st.form_submit_button("Enregistrer la note", type="primary"):
                _first_page()
                forms.submit(
                    FORM,
                    lambda: notebook.write_note(
                        ctx.db,
                        user,
                        ctx.habitat_id,
                        body=body,
                        resident_ids=chosen,
                        audience=audience,
                        family_of=family_of,
                        provider_id=provider_id,
                    ),
                    "Note enregistrée.",
                )

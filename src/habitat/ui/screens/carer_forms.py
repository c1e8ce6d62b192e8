"""The carers' table and the animator's forms: add, edit, archive and restore a carer."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from habitat.services import reads, records
from habitat.services.residents import optional
from habitat.store.entities import Carer, Relation, Resident
from habitat.ui import fields, fmt, forms, tables
from habitat.ui.labels import fr
from habitat.ui.shell import Context

NEW = "carer.new"
RESTORE = "carer.restore"
ADDING = "carers.adding"
EDITED = "carers.edited"
#: The carer whose edit form the last rerun showed.
SHOWN = "carers.shown"

CARER_FIELDS = [
    "resident_id",
    "first_name",
    "last_name",
    "relation",
    "phone",
    "email",
    "does_care",
    "does_management",
    "does_governance",
    "usual_hours_per_week",
    "consent_to_share",
    "consent_date",
]


def name(person: Carer | Resident) -> str:
    """First and last name."""
    return f"{person.first_name} {person.last_name}"


def _consent(carer: Carer) -> str:
    return f"oui, le {fmt.fr_date(carer.consent_date)}" if carer.consent_to_share else "non"


def table(carers: list[Carer], residents: dict[int, Resident]) -> pd.DataFrame:
    """Carers as a table: whose carer, relation, what they do, contact, consent."""

    def flag(value: bool) -> str:
        return "oui" if value else ""

    return pd.DataFrame(
        {
            "Habitant": [name(residents[c.resident_id]) for c in carers],
            "Proche": [name(c) for c in carers],
            "Lien": [fr(c.relation) for c in carers],
            "Aide au quotidien": [flag(c.does_care) for c in carers],
            "Gestion": [flag(c.does_management) for c in carers],
            "Gouvernance": [flag(c.does_governance) for c in carers],
            "Heures/semaine": [c.usual_hours_per_week for c in carers],
            "Téléphone": [c.phone or "" for c in carers],
            "Courriel": [c.email or "" for c in carers],
            "Consentement au partage": [_consent(c) for c in carers],
        }
    )


def _inputs(form: str, carer: Carer | None, residents: list[Resident]) -> dict:
    ids = [r.id for r in residents]
    names = {r.stored_id: name(r) for r in residents}
    return {
        "resident_id": fields.choice(
            form,
            "resident_id",
            ids,
            carer.resident_id if carer else None,
            format_func=lambda i: names.get(i, "—"),
        ),
        "first_name": fields.text(form, "first_name", carer.first_name if carer else None),
        "last_name": fields.text(form, "last_name", carer.last_name if carer else None),
        "relation": fields.enum(form, "relation", Relation, carer.relation if carer else None),
        "phone": optional(fields.text(form, "phone", carer.phone if carer else None)),
        "email": optional(fields.text(form, "email", carer.email if carer else None)),
        "does_care": fields.checkbox(form, "does_care", carer.does_care if carer else False),
        "does_management": fields.checkbox(
            form, "does_management", carer.does_management if carer else False
        ),
        "does_governance": fields.checkbox(
            form, "does_governance", carer.does_governance if carer else False
        ),
        "usual_hours_per_week": fields.number(
            form,
            "usual_hours_per_week",
            carer.usual_hours_per_week if carer else 0.0,
            step=0.5,
            help="Temps donné d'habitude (aide, gestion, réunions), en heures par semaine.",
        ),
        "consent_to_share": fields.checkbox(
            form, "consent_to_share", carer.consent_to_share if carer else False
        ),
        "consent_date": fields.date(form, "consent_date", carer.consent_date if carer else None),
    }


def add_carer(ctx: Context, residents: list[Resident]) -> None:
    """The form adding a carer, shown on demand."""
    if not residents or not st.toggle("Ajouter un proche", key=ADDING):
        _drop(NEW)
        return
    forms.status(NEW, CARER_FIELDS)
    with st.form(NEW):
        values = _inputs(NEW, None, residents)
        if st.form_submit_button("Ajouter le proche", type="primary", key=f"{NEW}:save"):
            forms.submit(
                NEW,
                lambda: records.create(ctx.db, ctx.user, Carer, fields.given(values)),
                "Proche ajouté.",
            )


def edit_carer(ctx: Context, carers: list[Carer], residents: dict[int, Resident]) -> None:
    """The form editing or archiving the carer picked in a list."""
    if not carers:
        return
    by_id = {c.stored_id: c for c in carers}
    st.subheader("Modifier ou archiver un proche")
    if st.session_state.get(EDITED) not in by_id:
        st.session_state.pop(EDITED, None)
    picked = st.selectbox(
        "Proche",
        list(by_id),
        index=None,
        placeholder="Choisissez un proche à modifier",
        format_func=lambda i: (
            f"{name(by_id[i])} — proche de {name(residents[by_id[i].resident_id])}"
        ),
        key=EDITED,
    )
    previous = st.session_state.get(SHOWN)
    if previous is not None and previous != picked:
        _drop(f"carer.{previous}")
    st.session_state[SHOWN] = picked
    if picked is None:
        return
    carer = by_id[picked]
    form = f"carer.{carer.id}"
    version = forms.opened_version(form, carer)
    forms.status(form, CARER_FIELDS)
    with st.form(form):
        values = _inputs(form, carer, list(residents.values()))
        save, archive = st.columns(2)
        if save.form_submit_button("Enregistrer", type="primary", key=f"{form}:save"):
            forms.submit(
                form,
                lambda: records.update(ctx.db, ctx.user, Carer, carer.stored_id, version, values),
                "Proche enregistré.",
            )
        if archive.form_submit_button("Archiver ce proche", key=f"{form}:archive"):
            forms.submit(
                form,
                lambda: records.archive(ctx.db, ctx.user, Carer, carer.stored_id, version),
                "Proche archivé (il reste dans l'historique).",
            )


def _drop(form: str) -> None:
    """Forget what a form not on screen kept: its opened version and its messages."""
    for suffix in (":version", ":errors", ":conflict"):
        st.session_state.pop(f"{form}{suffix}", None)


def archived(ctx: Context, residents: dict[int, Resident], writer: bool) -> None:
    """Archived carers, and (for the animator) a form to bring one back."""
    archived = [
        c
        for c in reads.carers(ctx.db, ctx.user, ctx.habitat_id, archived=True)
        if c.resident_id in residents
    ]
    if not archived:
        return
    with st.expander(f"Proches archivés ({len(archived)})", expanded=fields.is_open(RESTORE)):
        tables.frame(table(archived, residents), hide_index=True)
        if not writer:
            return
        by_id = {c.stored_id: c for c in archived}
        forms.status(RESTORE, ["carer"])
        with st.form(RESTORE):
            picked = st.selectbox(
                "Proche",
                list(by_id),
                format_func=lambda i: name(by_id[i]),
                key=f"{RESTORE}.carer",
                placeholder="Choisir…",
            )
            if st.form_submit_button("Rétablir", key=f"{RESTORE}:save"):
                carer = by_id[picked]
                forms.submit(
                    RESTORE,
                    lambda: records.unarchive(
                        ctx.db, ctx.user, Carer, carer.stored_id, carer.version
                    ),
                    "Proche rétabli.",
                )

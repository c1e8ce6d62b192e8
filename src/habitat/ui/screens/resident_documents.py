"""A resident's documents on screen: the liaison sheet's form, the two downloads.

A document is produced (and its printing audited) only when asked: a button
prepares it, then a download button hands it over.
"""

from __future__ import annotations

import streamlit as st

from habitat.documents.render import Format
from habitat.services import documents, records
from habitat.services.residents import optional
from habitat.store.entities import LiaisonSheet
from habitat.ui import downloads, fields, forms
from habitat.ui.shell import Context

#: The documents about one resident: their label on screen and their service.
DOCUMENTS = {
    "hospital_sheet": ("Fiche de liaison hôpital", documents.hospital_sheet),
    "support_plan": ("Projet d'accompagnement (à signer)", documents.support_plan),
}
SHEET_FIELDS = [
    "trusted_person",
    "trusted_person_phone",
    "gp",
    "gp_phone",
    "treatments",
    "allergies",
    "usual_life",
]


def offer(ctx: Context, resident_id: int, name: str, key: str, fmt: Format = Format.PDF) -> None:
    """A button preparing one document of the resident, then its download button.

    Args:
        ctx: the rerun's context.
        resident_id: the resident (refused if outside the user's scope).
        name: "hospital_sheet" or "support_plan".
        key: a prefix of the widgets' keys, unique on the page.
        fmt: PDF, or HTML to print from the browser.
    """
    label, make = DOCUMENTS[name]
    downloads.offer(
        f"{key}.{name}",
        f"{label} ({fmt.value.upper()})",
        lambda: make(ctx.db, ctx.user, ctx.habitat_id, resident_id, fmt),
        subject=resident_id,
    )


def documents_section(ctx: Context, resident_id: int) -> None:
    """The resident's two documents, in PDF or HTML (printing is audited)."""
    st.subheader("Documents à imprimer")
    st.caption("Chaque impression est enregistrée dans l'historique de la fiche (qui, quand).")
    fmt = st.radio(
        "Format",
        [Format.PDF, Format.HTML],
        format_func=lambda f: "PDF" if f is Format.PDF else "HTML (imprimer depuis le navigateur)",
        horizontal=True,
        key=f"resident_docs.{resident_id}.format",
    )
    left, right = st.columns(2)
    with left:
        offer(ctx, resident_id, "hospital_sheet", f"resident_docs.{resident_id}", fmt)
    with right:
        offer(ctx, resident_id, "support_plan", f"resident_docs.{resident_id}", fmt)


def liaison_sheet_form(ctx: Context, resident_id: int) -> None:
    """The animator's form creating or editing the resident's hospital liaison sheet."""
    sheet = documents.liaison_sheet(ctx.db, ctx.user, ctx.habitat_id, resident_id)
    form = f"liaison_sheet.{resident_id}"
    if not st.toggle("Modifier la fiche de liaison hôpital", key=f"{form}.open"):
        return
    version = forms.opened_version(form, sheet) if sheet else None
    forms.status(form, SHEET_FIELDS)
    st.caption("Ce que l'équipe sait, tel qu'elle l'a noté : ce n'est pas un dossier médical.")
    with st.form(form):
        values = {
            field: optional(
                fields.text(
                    form,
                    field,
                    getattr(sheet, field) if sheet else None,
                    area=field in ("treatments", "allergies", "usual_life"),
                )
            )
            for field in SHEET_FIELDS
        }
        if st.form_submit_button(
            "Enregistrer la fiche de liaison", type="primary", key=f"{form}:save"
        ):
            forms.submit(
                form,
                lambda: _save(ctx, resident_id, sheet, version, values),
                "Fiche de liaison enregistrée.",
            )


def _save(
    ctx: Context, resident_id: int, sheet: LiaisonSheet | None, version: int | None, values: dict
) -> None:
    values = values | {"updated_on": ctx.today}
    if sheet is None:
        data = fields.given(values) | {"resident_id": resident_id}
        records.create(ctx.db, ctx.user, LiaisonSheet, data)
    else:
        assert version is not None  # read with the sheet
        records.update(ctx.db, ctx.user, LiaisonSheet, sheet.stored_id, version, values)

"""Importer des données: pick a kind, upload a file, read the preview, confirm."""

from __future__ import annotations

import streamlit as st

from habitat.services import imports
from habitat.services.access import Forbidden
from habitat.services.import_files import MAX_BYTES
from habitat.services.imports import Kind, Status
from habitat.ui import fmt, forms, shell, tables

KIND = "import.kind"
#: Bumped after an import, so the uploader starts empty (Streamlit keeps a file otherwise).
UPLOAD_ROUND = "import.round"

#: Twice the service's limit: a file just over it still gets the French message.
UPLOAD_MB = 2 * MAX_BYTES // (1024 * 1024)

_KIND_FR = {
    Kind.RESIDENTS: "Habitants",
    Kind.CARERS: "Proches (familles et aidants)",
    Kind.PROVIDERS: "Intervenants",
}


def render(ctx: shell.Context) -> None:
    """The import screen."""
    forms.show_flash()
    st.title("Importer des données")
    st.caption(
        "Reprenez une liste existante (tableur CSV ou Excel .xlsx) : rien n'est enregistré "
        "avant votre confirmation, et une personne déjà enregistrée n'est pas créée deux fois."
    )
    # A list typed before the call: inside it, Streamlit's first overload
    # (`options: Sequence[Never]`) would type `list(Kind)` as empty and the choice as None.
    kinds: list[Kind] = list(Kind)
    kind = st.radio(
        "Que contient le fichier ?",
        kinds,
        format_func=_KIND_FR.get,
        key=KIND,
        horizontal=True,
    )
    _templates(kind)
    round_ = st.session_state.get(UPLOAD_ROUND, 0)
    upload = st.file_uploader(
        "Fichier à importer (.csv ou .xlsx, 1 Mo au plus)",
        type=["csv", "xlsx", "xlsm", "xls", "txt"],
        key=f"import.file.{kind}.{round_}",
        # The browser stops what is far too large before sending it (the server's
        # own limit is the backups' 200 Mio); the service says the 1 Mo limit in French.
        max_upload_size=UPLOAD_MB,
    )
    if upload is None:
        return
    try:
        plan = imports.preview(ctx.db, ctx.user, kind, upload.name, upload.getvalue())
    except imports.FileRefused as refusal:
        st.error(refusal.message_fr + " Rien n'a été importé.")
        return
    _show(plan)
    new = plan.count(Status.NEW)
    if not new:
        st.info("Rien à créer dans ce fichier.")
        return
    singular, plural = imports.KINDS[kind].nouns
    label = f"Importer {new} {singular if new < 2 else plural}"
    if st.button(label, type="primary", key="import.confirm", icon=":material/upload:"):
        try:
            created = imports.commit(ctx.db, ctx.user, plan)
        except (imports.ImportFailed, Forbidden) as refusal:
            st.error(refusal.message_fr)
            return
        st.session_state[UPLOAD_ROUND] = round_ + 1
        count = len(created)
        forms.flash(
            f"{count} {singular if count < 2 else plural} importé{'s' if count > 1 else ''} "
            f"depuis « {plan.file_name} »."
        )
        st.rerun()


def _templates(kind: Kind) -> None:
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Modèle Excel (.xlsx)",
            imports.template_xlsx(kind),
            file_name=imports.template_name(kind, "xlsx"),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="import.template.xlsx",
            icon=":material/download:",
            on_click="ignore",
        )
    with right:
        st.download_button(
            "Modèle CSV",
            imports.template_csv(kind),
            file_name=imports.template_name(kind, "csv"),
            mime="text/csv",
            key="import.template.csv",
            icon=":material/download:",
            on_click="ignore",
        )


def _show(plan: imports.Preview) -> None:
    st.subheader("Aperçu avant import")
    st.markdown(plan.summary_fr())
    if plan.refusals:
        st.warning(
            "Ces cellules sont refusées : corrigez le fichier puis importez-le à nouveau "
            "(les autres lignes peuvent être importées dès maintenant)."
        )
        # A list, not a table: each refusal reads as a sentence, on a phone too. The
        # column's name and the reason may quote the file: shown as text.
        st.markdown("\n".join(f"- {fmt.plain(r.message_fr)}" for r in plan.refusals))
    if plan.ignored_columns:
        ignored = ", ".join(f"« {c} »" for c in plan.ignored_columns)
        st.caption(f"Colonnes ignorées (inconnues du modèle) : {ignored}.")
    rows = plan.table()
    tables.show({name: [row[name] for row in rows] for name in rows[0]}, key="import.rows")

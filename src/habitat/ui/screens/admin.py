"""Administration: accounts and roles, backup and restore, a resident's export and erasure."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from habitat import store
from habitat.services import admin, reads
from habitat.services.auth import PASSWORD_MIN
from habitat.store.entities import Account, Provider, Resident, Role
from habitat.ui import fmt, forms, session, shell, tables
from habitat.ui.labels import fmt as enum_fmt
from habitat.ui.labels import fr, options

NEW = "account.new"
RESTORE = "admin.restore"
ERASE = "admin.erase"
BACKUP = "admin.backup:file"
EXPORT = "admin.export:file"


def render(ctx: shell.Context) -> None:
    """The administration screen (the animator's only)."""
    admin.require_animator(ctx.user)
    forms.show_flash()
    st.title("Administration")
    accounts, backups, personal = st.tabs(
        ["Comptes et rôles", "Sauvegarde et restauration", "Données personnelles (RGPD)"]
    )
    providers = {p.stored_id: p for p in reads.providers(ctx.db, ctx.user, ctx.habitat_id)}
    residents = {
        r.stored_id: r
        for r in reads.residents(ctx.db, ctx.user, ctx.habitat_id, include_archived=True)
    }
    with accounts:
        _accounts(ctx, providers, residents)
    with backups:
        _backup(ctx)
        _restore(ctx)
    with personal:
        _personal_data(ctx, residents)


# --- Accounts ----------------------------------------------------------------------------


def _state(account: Account) -> str:
    if account.archived_at is not None:
        return "archivé"
    if account.locked_until is not None:
        return f"verrouillé jusqu'au {fmt.fr_datetime(account.locked_until)}"
    return "actif"


def _accounts(
    ctx: shell.Context, providers: dict[int, Provider], residents: dict[int, Resident]
) -> None:
    accounts = reads.accounts(ctx.db, ctx.user, ctx.habitat_id)

    def scope(account: Account) -> str:
        if account.provider_id is not None:
            provider = providers.get(account.provider_id)
            return provider.name if provider else f"intervenant n° {account.provider_id}"
        if account.resident_id is not None:
            resident = residents.get(account.resident_id)
            return resident.full_name if resident else f"habitant n° {account.resident_id}"
        return ""

    st.subheader("Comptes")
    tables.frame(
        pd.DataFrame(
            {
                "Identifiant": [a.username for a in accounts],
                "Nom affiché": [a.display_name for a in accounts],
                "Rôle": [fr(a.role) for a in accounts],
                "Rattaché à": [scope(a) for a in accounts],
                "État": [_state(a) for a in accounts],
                "Échecs de connexion": [a.failed_logins for a in accounts],
            }
        ),
        hide_index=True,
    )
    _new_account(ctx, providers, residents)
    _manage_account(ctx, accounts)


def _new_account(
    ctx: shell.Context, providers: dict[int, Provider], residents: dict[int, Resident]
) -> None:
    fields = ["username", "display_name", "role", "provider_id", "resident_id", "password", "again"]
    current = {i: r for i, r in residents.items() if r.archived_at is None}
    with st.expander("Créer un compte", expanded=bool(st.session_state.get(f"{NEW}:errors"))):
        forms.status(NEW, fields)
        with st.form(NEW):
            username = st.text_input(
                "Identifiant",
                key=f"{NEW}.username",
                max_chars=40,
                help="3 à 40 caractères : minuscules, chiffres, point, tiret.",
            )
            forms.field_error(NEW, "username")
            display_name = st.text_input("Nom affiché", key=f"{NEW}.display_name", max_chars=200)
            forms.field_error(NEW, "display_name")
            role = st.selectbox(
                "Rôle",
                options(Role),
                format_func=enum_fmt(Role),
                key=f"{NEW}.role",
                placeholder="Choisir…",
            )
            forms.field_error(NEW, "role")
            provider_id = st.selectbox(
                "Intervenant (compte intervenant)",
                [None, *providers],
                format_func=lambda i: "—" if i is None else providers[i].name,
                key=f"{NEW}.provider_id",
                placeholder="Choisir…",
            )
            forms.field_error(NEW, "provider_id")
            resident_id = st.selectbox(
                "Habitant (compte proche ou habitant)",
                [None, *current],
                format_func=lambda i: "—" if i is None else current[i].full_name,
                key=f"{NEW}.resident_id",
                placeholder="Choisir…",
            )
            forms.field_error(NEW, "resident_id")
            password = st.text_input(
                "Mot de passe",
                type="password",
                key=f"{NEW}.password",
                help=f"Au moins {PASSWORD_MIN} caractères.",
            )
            forms.field_error(NEW, "password")
            again = st.text_input("Confirmer le mot de passe", type="password", key=f"{NEW}.again")
            forms.field_error(NEW, "again")
            if st.form_submit_button("Créer le compte", type="primary"):
                forms.submit(
                    NEW,
                    lambda: admin.create_account(
                        ctx.db,
                        ctx.user,
                        username=username,
                        display_name=display_name,
                        role=role,
                        password=password,
                        again=again,
                        provider_id=provider_id,
                        resident_id=resident_id,
                    ),
                    f"Compte « {username.strip().lower()} » créé.",
                )


def _manage_account(ctx: shell.Context, accounts: list[Account]) -> None:
    st.subheader("Gérer un compte")
    by_id = {a.stored_id: a for a in accounts}
    chosen = st.selectbox(
        "Compte",
        list(by_id),
        format_func=lambda i: f"{by_id[i].username} · {by_id[i].display_name} · {_state(by_id[i])}",
        key="admin.account.pick",
        placeholder="Choisir…",
    )
    if chosen is None:
        return
    account = by_id[chosen]
    form = f"account.{account.id}"
    version = forms.opened_version(form, account)
    forms.status(form, ["password", "again"])
    with st.form(form):
        st.markdown("**Réinitialiser le mot de passe** (déverrouille aussi le compte)")
        password = st.text_input(
            "Nouveau mot de passe",
            type="password",
            key=f"{form}.password",
            help=f"Au moins {PASSWORD_MIN} caractères.",
        )
        forms.field_error(form, "password")
        again = st.text_input("Confirmer", type="password", key=f"{form}.again")
        forms.field_error(form, "again")
        if st.form_submit_button("Réinitialiser le mot de passe"):
            forms.submit(
                form,
                lambda: admin.reset_password(
                    ctx.db, ctx.user, account.stored_id, version, password, again
                ),
                f"Mot de passe de « {account.username} » réinitialisé.",
            )
    left, middle, _ = st.columns(3)
    if (account.locked_until is not None or account.failed_logins) and left.button(
        "Déverrouiller", key=f"{form}:unlock", icon=":material/lock_open:"
    ):
        forms.submit(
            form,
            lambda: admin.unlock(ctx.db, ctx.user, account.stored_id, version),
            f"Compte « {account.username} » déverrouillé.",
        )
    if account.archived_at is None:
        if account.id != ctx.user.account_id and middle.button(
            "Archiver le compte", key=f"{form}:archive", icon=":material/archive:"
        ):
            forms.submit(
                form,
                lambda: admin.archive_account(ctx.db, ctx.user, account.stored_id, version),
                f"Compte « {account.username} » archivé : il ne peut plus se connecter.",
            )
    elif middle.button("Réactiver le compte", key=f"{form}:reopen", icon=":material/unarchive:"):
        forms.submit(
            form,
            lambda: admin.reopen_account(ctx.db, ctx.user, account.stored_id, version),
            f"Compte « {account.username} » réactivé.",
        )


# --- Backup and restore --------------------------------------------------------------------


def _backup(ctx: shell.Context) -> None:
    st.subheader("Sauvegarde")
    st.caption(
        "Une copie complète et vérifiée de la base, à conserver en lieu sûr : elle contient "
        "des données personnelles et de santé."
    )
    if st.button("Préparer une sauvegarde", key="admin.backup", icon=":material/backup:"):
        with tempfile.TemporaryDirectory(prefix="habitat-backup-") as folder:
            made = admin.backup_file(ctx.user, session.db_path(), folder)
            st.session_state[BACKUP] = (made.name, made.read_bytes())
    ready = st.session_state.get(BACKUP)
    if ready:
        name, data = ready
        st.download_button(
            f"Télécharger {name} ({len(data) / 1024 / 1024:.1f} Mio)",
            data,
            file_name=name,
            mime="application/vnd.sqlite3",
            key="admin.backup.download",
            on_click="ignore",
            icon=":material/download:",
        )


def _restore(ctx: shell.Context) -> None:
    st.subheader("Restauration")
    st.warning(
        "Restaurer remplace toutes les données actuelles par celles de la sauvegarde. "
        "Les données actuelles sont d'abord copiées à côté de la base (« .before-restore »).",
        icon="⚠️",
    )
    forms.status(RESTORE, ["backup_file", "confirmation"])
    with st.form(RESTORE):
        upload = st.file_uploader(
            "Fichier de sauvegarde (.db ou .sqlite, 200 Mio au plus)",
            type=["db", "sqlite"],
            key=f"{RESTORE}.backup_file",
        )
        forms.field_error(RESTORE, "backup_file")
        confirmation = st.text_input(
            f"Tapez {admin.RESTORE_WORD} pour confirmer", key=f"{RESTORE}.confirmation"
        )
        forms.field_error(RESTORE, "confirmation")
        if st.form_submit_button("Restaurer la sauvegarde", type="primary"):
            forms.submit(
                RESTORE, lambda: _restore_upload(ctx, upload, confirmation), "Sauvegarde restaurée."
            )


def _restore_upload(ctx: shell.Context, upload, confirmation: str) -> Path:
    if upload is None:
        raise store.InvalidRecord.one(
            "administration", "backup_file", "no file", "choisissez un fichier de sauvegarde"
        )
    return admin.restore_upload(ctx.db, ctx.user, upload.name, upload.getvalue(), confirmation)


# --- GDPR ----------------------------------------------------------------------------------


def _personal_data(ctx: shell.Context, residents: dict[int, Resident]) -> None:
    st.subheader("Export des données d'un habitant")
    if not residents:
        st.info("Aucun habitant enregistré.")
        return

    def name(i: int) -> str:
        r = residents[i]
        archived = " (archivé)" if r.archived_at is not None else ""
        return f"{r.full_name} · {r.pseudonym}{archived}"

    chosen = st.selectbox(
        "Habitant",
        list(residents),
        format_func=name,
        key="admin.gdpr.resident",
        placeholder="Choisir…",
    )
    if st.button("Préparer l'export", key="admin.export", icon=":material/folder_zip:"):
        st.session_state[EXPORT] = (chosen, *admin.export_resident(ctx.db, ctx.user, chosen))
    ready = st.session_state.get(EXPORT)
    if ready and ready[0] == chosen:
        _, file_name, data = ready
        st.download_button(
            f"Télécharger {file_name}",
            data,
            file_name=file_name,
            mime="application/zip",
            key="admin.export.download",
            on_click="ignore",
            icon=":material/download:",
        )
        st.caption("L'export est inscrit au journal d'audit.")

    st.subheader("Effacement des données d'un habitant")
    resident = residents[chosen]
    st.warning(
        f"L'effacement remplace définitivement l'identité de {fmt.plain(resident.full_name)}, "
        "de ses "
        "proches et le texte des notes et tensions le concernant ; les dates et les codes "
        "restent pour les rapports. Les sauvegardes antérieures contiennent encore ces données.",
        icon="⚠️",
    )
    forms.status(ERASE, ["reason", "confirmation"])
    with st.form(ERASE):
        reason = st.text_area("Motif de l'effacement", key=f"{ERASE}.reason", max_chars=2000)
        forms.field_error(ERASE, "reason")
        confirmation = st.text_input(
            f"Tapez le pseudonyme {resident.pseudonym} pour confirmer",
            key=f"{ERASE}.confirmation",
        )
        forms.field_error(ERASE, "confirmation")
        if st.form_submit_button("Effacer définitivement", type="primary"):
            forms.submit(
                ERASE,
                lambda: admin.erase_resident(ctx.db, ctx.user, chosen, reason, confirmation),
                f"Données de {resident.pseudonym} effacées.",
            )

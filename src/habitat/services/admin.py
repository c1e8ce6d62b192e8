"""Administration, for the animator only: accounts, backup and restore, GDPR export and erasure.

Every function checks the user's role itself (the screen is not the access
control) and leaves the audit to the store, which logs each of these writes.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path

import sqlite_utils

from habitat import store
from habitat.services import auth, sessions
from habitat.services.access import Forbidden, User
from habitat.services.arguments import checked
from habitat.store import gdpr
from habitat.store.backup import restore_into
from habitat.store.entities import Account, Id, Resident, Role
from habitat.store.errors import InvalidRecord

#: Extensions a backup upload may have (what `backup_file` produces and SQLite's usual one).
BACKUP_SUFFIXES = (".db", ".sqlite")
#: Largest backup accepted for a restore: the app's upload limit (`.streamlit/config.toml`).
BACKUP_MAX_BYTES = 200 * 1024 * 1024
#: What the animator types to confirm a restore, which replaces every record.
RESTORE_WORD = "RESTAURER"

#: French reasons for a refused backup, by the start of the store's English reason.
_BAD_BACKUP_FR = {
    "no such file": "fichier introuvable",
    "not an SQLite database": "ce n'est pas une base de données SQLite",
    "unreadable": "fichier illisible",
    "integrity check failed": "fichier endommagé",
    "not a habitat database": "ce n'est pas une base de l'habitat",
    "made by a newer version": "sauvegarde faite par une version plus récente de l'application",
}


def require_animator(user: User) -> None:
    """Refuse unless the user is the animator-coordinator.

    Raises:
        Forbidden: any other role.
    """
    if not user.is_animator:
        raise Forbidden(
            f"{user.actor} may not administer",
            "Seul·e l'animateur·rice-coordinateur·rice administre l'application.",
        )


def _refuse(field: str, reason: str, reason_fr: str) -> InvalidRecord:
    return InvalidRecord.one("administration", field, reason, reason_fr)


# --- Accounts --------------------------------------------------------------------------


def create_account(
    db: sqlite_utils.Database,
    user: User,
    *,
    username: str,
    display_name: str,
    role: Role | str,
    password: str,
    again: str,
    provider_id: int | None = None,
    resident_id: int | None = None,
) -> Account:
    """Create an account with its role and scope; its password is stored hashed (argon2).

    Args:
        db: the database.
        user: the signed-in animator.
        username: the login (lower-cased).
        display_name: the name shown on screens and notes.
        role: the account's role.
        password: the first password (the person changes it in "Mon compte").
        again: the password typed a second time.
        provider_id: the provider of a provider account.
        resident_id: the resident of a family or resident account.

    Raises:
        Forbidden: the user is not the animator.
        InvalidRecord: bad or taken username, short password, passwords that differ,
            a scope that does not fit the role (nothing written).
    """
    require_animator(user)
    if password != again:
        raise _refuse("again", "does not match", "ne correspond pas au mot de passe")
    role = Role(role)
    return auth.add_user(
        db,
        user.actor,
        username=username,
        display_name=display_name,
        role=role,
        password=password,
        provider_id=provider_id if role is Role.PROVIDER else None,
        resident_id=resident_id if role in (Role.FAMILY, Role.RESIDENT) else None,
    )


@checked
def reset_password(
    db: sqlite_utils.Database,
    user: User,
    account_id: Id,
    version: int,
    password: str,
    again: str,
) -> Account:
    """Give an account a new password (and unlock it).

    Raises:
        Forbidden: the user is not the animator.
        InvalidRecord: short password or passwords that differ.
        Conflict: the account changed since it was read.
    """
    require_animator(user)
    if password != again:
        raise _refuse("again", "does not match", "ne correspond pas au mot de passe")
    return auth.set_password(db, user.actor, account_id, version, password)


@checked
def unlock(db: sqlite_utils.Database, user: User, account_id: Id, version: int) -> Account:
    """Lift a lock-out after repeated failed sign-ins.

    Raises:
        Forbidden: the user is not the animator.
        Conflict: the account changed since it was read.
    """
    require_animator(user)
    return store.update(
        db, user.actor, Account, account_id, version, {"failed_logins": 0, "locked_until": None}
    )


@checked
def archive_account(db: sqlite_utils.Database, user: User, account_id: Id, version: int) -> Account:
    """Close an account (kept, and restorable), ending its sessions; one's own stays open.

    Raises:
        Forbidden: the user is not the animator, or it is their own account.
        Conflict: the account changed since it was read.
    """
    require_animator(user)
    if account_id == user.account_id:
        raise Forbidden(
            f"{user.actor} may not archive their own account",
            "Vous ne pouvez pas archiver votre propre compte.",
        )
    with store.transaction(db):
        account = store.archive(db, user.actor, Account, account_id, version)
        sessions.end_for_account(db, user.actor, account_id, sessions.ACCOUNT_CLOSED)
    return account


@checked
def reopen_account(db: sqlite_utils.Database, user: User, account_id: Id, version: int) -> Account:
    """Reopen an archived account.

    Raises:
        Forbidden: the user is not the animator.
        Conflict: the account changed since it was read.
    """
    require_animator(user)
    return store.unarchive(db, user.actor, Account, account_id, version)


# --- Backup and restore ------------------------------------------------------------------


def backup_file(user: User, path: str | Path, folder: str | Path) -> Path:
    """A fresh, checked backup of the database at `path`, written into `folder`.

    Raises:
        Forbidden: the user is not the animator.
        BadBackup: the copy failed its check.
    """
    require_animator(user)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    return store.backup(path, Path(folder) / f"habitat-{stamp}.db", user.actor)


def restore_upload(
    db: sqlite_utils.Database, user: User, name: str, data: bytes, confirmation: str
) -> Path:
    """Restore an uploaded backup into the live database (see `store.backup.restore_into`).

    Only a `.db` or `.sqlite` file of at most `BACKUP_MAX_BYTES`, that is a sound
    habitat database, is restored, and only once the animator typed `RESTORE_WORD`.
    Anything else changes nothing.

    Args:
        db: the live database.
        user: the signed-in animator.
        name: the uploaded file's name.
        data: its content.
        confirmation: what the animator typed to confirm.

    Returns:
        The copy of the data as it was before the restore.

    Raises:
        Forbidden: the user is not the animator.
        InvalidRecord: no confirmation, wrong type or size, or not a sound habitat
            backup (field `backup_file` or `confirmation`, French reason).
    """
    require_animator(user)
    if confirmation.strip() != RESTORE_WORD:
        raise _refuse(
            "confirmation", "not confirmed", f"tapez {RESTORE_WORD} pour confirmer la restauration"
        )
    if Path(name).suffix.lower() not in BACKUP_SUFFIXES:
        raise _refuse(
            "backup_file",
            "not a .db or .sqlite file",
            "seuls les fichiers de sauvegarde .db ou .sqlite sont acceptés",
        )
    if len(data) > BACKUP_MAX_BYTES:
        raise _refuse(
            "backup_file",
            "too large",
            f"le fichier dépasse {BACKUP_MAX_BYTES // (1024 * 1024)} Mio",
        )
    with tempfile.TemporaryDirectory(prefix="habitat-restore-") as folder:
        upload = Path(folder) / "sauvegarde.db"
        upload.write_bytes(data)
        try:
            return restore_into(db, upload, user.actor)
        except store.BadBackup as refusal:
            reason = next(
                (fr for en, fr in _BAD_BACKUP_FR.items() if f": {en}" in str(refusal)),
                "fichier refusé",
            )
            raise _refuse(
                "backup_file", str(refusal), f"{reason} : rien n'a été restauré"
            ) from None


# --- GDPR: export and erasure ------------------------------------------------------------


@checked
def export_resident(db: sqlite_utils.Database, user: User, resident_id: Id) -> tuple[str, bytes]:
    """Everything held about a resident, as a zip to hand over (the export is audited).

    Returns:
        The file name and the zip's bytes.

    Raises:
        Forbidden: the user is not the animator.
        NotFound: no such resident.
    """
    require_animator(user)
    export = gdpr.export_resident(db, user.actor, resident_id)
    return f"export-{export.pseudonym}.zip", export.to_zip()


@checked
def erase_resident(
    db: sqlite_utils.Database, user: User, resident_id: Id, reason: str, confirmation: str
) -> gdpr.Erasure:
    """Erase a resident's personal data, once the animator typed their pseudonym.

    Raises:
        Forbidden: the user is not the animator.
        InvalidRecord: no reason, or the pseudonym typed does not match.
        NotFound: no such resident.
    """
    require_animator(user)
    resident = store.get(db, Resident, resident_id)
    if not reason.strip():
        raise _refuse("reason", "must not be blank", "indiquez le motif de l'effacement")
    if confirmation.strip().upper() != resident.pseudonym:
        raise _refuse(
            "confirmation",
            "pseudonym does not match",
            f"tapez le pseudonyme {resident.pseudonym} pour confirmer",
        )
    return gdpr.erase_resident(db, user.actor, resident_id, reason.strip())

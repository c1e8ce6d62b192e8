"""Administration: accounts, restore refusals, GDPR erasure; the animator's only."""

from __future__ import annotations

import pytest

from habitat import store
from habitat.services import admin
from habitat.services.access import Forbidden, Screen, user_of
from habitat.services.auth import authenticate
from habitat.store.entities import Account, Resident, Role

from .conftest import texts
from .field_errors import error_under

NEW = "account.new"
RESTORE = "admin.restore"
PASSWORD = "une phrase assez longue"


def _click(app, label):
    return next(b for b in app.button if b.label == label).click().run()


def _user(db, account):
    return user_of(db, store.get(db, Account, account.id))


def test_the_animator_creates_an_account_that_can_sign_in(page_as, demo_db):
    app = page_as(Screen.ADMIN, Role.ANIMATOR)

    app.text_input(key=f"{NEW}.username").input("Nadia.Benali")
    app.text_input(key=f"{NEW}.display_name").input("Nadia Benali")
    app.selectbox(key=f"{NEW}.role").select("host")
    app.text_input(key=f"{NEW}.password").input(PASSWORD)
    app.text_input(key=f"{NEW}.again").input(PASSWORD)
    app = _click(app, "Créer le compte")

    assert not app.exception
    assert "Compte « nadia.benali » créé." in texts(app)
    with store.connect(demo_db) as db:
        account = store.find(db, Account, "username = ?", ["nadia.benali"])[0]
        assert account.role is Role.HOST
        assert account.password_hash.startswith("$argon2id$")
        assert PASSWORD not in account.password_hash
        dump = "\n".join(db.iterdump())
        assert PASSWORD not in dump
        created = store.history(db, "account", account.id)
        assert [e.action for e in created] == ["create"]
        assert "password_hash" not in (created[0].after or {})
        user = authenticate(db, "nadia.benali", PASSWORD)
    assert user.role is Role.HOST
    assert "nadia.benali" in app.dataframe[0].value["Identifiant"].tolist()


def test_a_short_password_is_refused_next_to_its_field(page_as, demo_db):
    app = page_as(Screen.ADMIN, Role.ANIMATOR)

    app.text_input(key=f"{NEW}.username").input("court")
    app.text_input(key=f"{NEW}.display_name").input("Mot de passe court")
    app.text_input(key=f"{NEW}.password").input("abc")
    app.text_input(key=f"{NEW}.again").input("abc")
    app = _click(app, "Créer le compte")

    assert error_under(app, f"{NEW}.password") == "Mot de passe : au moins 10 caractères"
    with store.connect(demo_db) as db:
        assert not store.find(db, Account, "username = ?", ["court"], include_archived=True)


def test_a_provider_account_needs_its_provider(page_as, demo_db):
    app = page_as(Screen.ADMIN, Role.ANIMATOR)

    app.text_input(key=f"{NEW}.username").input("infirmiere")
    app.text_input(key=f"{NEW}.display_name").input("Infirmière")
    app.selectbox(key=f"{NEW}.role").select("provider")
    app.text_input(key=f"{NEW}.password").input(PASSWORD)
    app.text_input(key=f"{NEW}.again").input(PASSWORD)
    app = _click(app, "Créer le compte")

    assert error_under(app, f"{NEW}.provider_id").startswith("Intervenant : un compte intervenant")


def test_reset_password_unlocks_the_account(page_as, accounts, demo_db):
    family = accounts[Role.FAMILY]
    with store.connect(demo_db) as db:
        store.update(db, "test", Account, family.id, family.version, {"failed_logins": 3})
    app = page_as(Screen.ADMIN, Role.ANIMATOR)
    app = app.selectbox(key="admin.account.pick").select(family.id).run()
    form = f"account.{family.id}"

    app.text_input(key=f"{form}.password").input(PASSWORD)
    app.text_input(key=f"{form}.again").input(PASSWORD)
    app = _click(app, "Réinitialiser le mot de passe")

    assert not app.exception
    with store.connect(demo_db) as db:
        assert authenticate(db, family.username, PASSWORD).account_id == family.id
        assert store.get(db, Account, family.id).failed_logins == 0


def test_restoring_an_uploaded_file_that_is_not_sqlite_is_refused(page_as, demo_db):
    before = store.content_hash(demo_db)
    app = page_as(Screen.ADMIN, Role.ANIMATOR)

    app.file_uploader(key=f"{RESTORE}.backup_file").set_value(
        ("sauvegarde.db", b"id;nom\n1;Jeanne Martin\n", "application/octet-stream")
    )
    app.text_input(key=f"{RESTORE}.confirmation").input("RESTAURER")
    app = _click(app, "Restaurer la sauvegarde")

    assert not app.exception
    assert error_under(app, f"{RESTORE}.backup_file") == (
        "Fichier de sauvegarde : ce n'est pas une base de données SQLite : rien n'a été restauré"
    )
    assert store.content_hash(demo_db) == before
    assert not demo_db.with_name(demo_db.name + ".before-restore").exists()


def test_a_restore_needs_the_typed_confirmation(page_as, demo_db, tmp_path):
    before = store.content_hash(demo_db)
    app = page_as(Screen.ADMIN, Role.ANIMATOR)

    app.file_uploader(key=f"{RESTORE}.backup_file").set_value(
        ("sauvegarde.db", demo_db.read_bytes(), "application/octet-stream")
    )
    app.text_input(key=f"{RESTORE}.confirmation").input("oui")
    app = _click(app, "Restaurer la sauvegarde")

    assert error_under(app, f"{RESTORE}.confirmation") == (
        "Confirmation : tapez RESTAURER pour confirmer la restauration"
    )
    assert store.content_hash(demo_db) == before


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("notes.txt", 10, "seuls les fichiers de sauvegarde .db ou .sqlite sont acceptés"),
        ("sauvegarde.sqlite", admin.BACKUP_MAX_BYTES + 1, "le fichier dépasse 200 Mio"),
    ],
)
def test_a_restore_refuses_other_types_and_oversized_files(accounts, demo_db, name, size, message):
    before = store.content_hash(demo_db)
    with store.connect(demo_db) as db:
        user = _user(db, accounts[Role.ANIMATOR])
        with pytest.raises(store.InvalidRecord) as refused:
            admin.restore_upload(db, user, name, b"\0" * size, "RESTAURER")
    assert refused.value.by_field() == {"backup_file": message}
    assert store.content_hash(demo_db) == before


def test_a_backup_made_in_the_app_restores_the_data(page_as, accounts, demo_db, tmp_path):
    with store.connect(demo_db) as db:
        user = _user(db, accounts[Role.ANIMATOR])
        made = admin.backup_file(user, demo_db, tmp_path)
        resident = store.find(db, Resident)[0]
        store.update(db, "test", Resident, resident.id, resident.version, {"first_name": "Changé"})
        admin.restore_upload(db, user, made.name, made.read_bytes(), "RESTAURER")
        assert store.get(db, Resident, resident.id).first_name == resident.first_name
        assert store.history(db, "database")[-1].action == "restore"


def test_the_backup_button_offers_a_download(page_as):
    app = page_as(Screen.ADMIN, Role.ANIMATOR)

    app = _click(app, "Préparer une sauvegarde")

    assert not app.exception
    labels = [d.proto.label for d in app.get("download_button")]
    assert any(label.startswith("Télécharger habitat-") for label in labels)


def test_erasure_needs_the_pseudonym_then_erases(page_as, demo_db):
    app = page_as(Screen.ADMIN, Role.ANIMATOR)
    resident_id = app.selectbox(key="admin.gdpr.resident").value
    with store.connect(demo_db) as db:
        resident = store.get(db, Resident, resident_id)

    app.text_area(key="admin.erase.reason").input("Demande de la personne")
    app.text_input(key="admin.erase.confirmation").input("H-XXXXXX")
    app = _click(app, "Effacer définitivement")
    assert error_under(app, "admin.erase.confirmation") == (
        f"Confirmation : tapez le pseudonyme {resident.pseudonym} pour confirmer"
    )
    with store.connect(demo_db) as db:
        assert store.get(db, Resident, resident_id).first_name == resident.first_name

    app.text_input(key="admin.erase.confirmation").input(resident.pseudonym)
    app = _click(app, "Effacer définitivement")

    assert f"Données de {resident.pseudonym} effacées." in texts(app)
    with store.connect(demo_db) as db:
        erased = store.get(db, Resident, resident_id)
        assert erased.first_name == "[effacé]"
        assert store.history(db, "resident", resident_id)[-1].action == "erase"


def test_export_is_a_zip_and_is_audited(accounts, demo_db):
    with store.connect(demo_db) as db:
        user = _user(db, accounts[Role.ANIMATOR])
        resident = store.find(db, Resident)[0]
        name, data = admin.export_resident(db, user, resident.id)
        assert store.history(db, "resident", resident.id)[-1].action == "export"
    assert name == f"export-{resident.pseudonym}.zip"
    assert data.startswith(b"PK")


@pytest.mark.parametrize("role", [Role.HOST, Role.PROVIDER, Role.FAMILY, Role.RESIDENT])
def test_other_roles_may_not_administer(accounts, demo_db, role):
    with store.connect(demo_db) as db:
        user = _user(db, accounts[role])
        resident = store.find(db, Resident)[0]
        with pytest.raises(Forbidden):
            admin.create_account(
                db,
                user,
                username="intrus",
                display_name="Intrus",
                role="animator",
                password=PASSWORD,
                again=PASSWORD,
            )
        with pytest.raises(Forbidden):
            admin.erase_resident(db, user, resident.id, "x", resident.pseudonym)
        with pytest.raises(Forbidden):
            admin.export_resident(db, user, resident.id)
        assert not store.find(db, Account, "username = ?", ["intrus"])

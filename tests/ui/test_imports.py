"""Importer des données: the animator previews a file, sees refused cells, confirms."""

from __future__ import annotations

from datetime import timedelta

import pytest

from habitat import store
from habitat.services import imports
from habitat.services.access import Screen
from habitat.services.imports import Kind
from habitat.store.entities import Resident, Role

from .conftest import TODAY, texts

UPLOADER = "import.file.residents.0"


def residents_file(*rows: str) -> bytes:
    return imports.template_csv(Kind.RESIDENTS) + "".join(r + "\r\n" for r in rows).encode()


GOOD = "Odette;Fournier;1938;personne âgée;2;;;;01/09/2026;choisie"
BAD = "Marcel;Roux;1941;personne âgée;8;;;;01/09/2026;"


def test_the_animator_previews_then_imports(page_as, demo_db):
    app = page_as(Screen.IMPORT, Role.ANIMATOR)
    assert not app.exception
    assert [t.value for t in app.title] == ["Importer des données"]
    with store.connect(demo_db) as db:
        someone = store.find(db, Resident, limit=1)[0]
        before = len(store.find(db, Resident, include_archived=True))
        # The demo's eight dwellings are lived in: one resident left yesterday.
        leaving = store.find(db, Resident, "exit_date IS NULL", order_by="id")[-1]
        store.update(db, "test", Resident, leaving.id, leaving.version,
                     {"exit_date": TODAY - timedelta(days=1), "exit_reason": "family"})  # fmt: skip
    present = f"{someone.first_name};{someone.last_name};{someone.birth_year or ''};" + (
        f"{someone.public.value};{someone.gir or ''};{someone.support_level or ''};;;"
        f"{someone.entry_date.isoformat()};"
    )
    app.file_uploader(key=UPLOADER).upload("habitants.csv", residents_file(GOOD, BAD, present))
    app.run()
    assert not app.exception
    shown = texts(app).replace("\\", "")  # Markdown escapes of typed text
    assert "1 habitant à créer, 1 déjà présent, 1 ligne refusée." in shown
    assert "Ligne 3, colonne « GIR » : doit être inférieur ou égal à 6" in shown
    rows = app.dataframe[0].value
    assert list(rows["Résultat"]) == ["à créer", "refusé", "déjà présent"]
    with store.connect(demo_db) as db:
        assert len(store.find(db, Resident, include_archived=True)) == before, "nothing yet"
    app.button(key="import.confirm").click().run()
    assert not app.exception
    assert "1 habitant importé depuis « habitants.csv »." in texts(app)
    assert not app.dataframe, "the uploader starts empty again"
    with store.connect(demo_db) as db:
        after = store.find(db, Resident, include_archived=True)
        assert len(after) == before + 1
        assert [r.full_name for r in after if r.first_name == "Odette"] == ["Odette Fournier"]


def test_a_bad_file_shows_why_and_offers_no_import(page_as):
    app = page_as(Screen.IMPORT, Role.ANIMATOR)
    app.file_uploader(key=UPLOADER).upload("habitants.csv", b"Nom;GIR\nRoux;3\n")
    app.run()
    assert not app.exception
    assert [e.value for e in app.error] == [
        "Il manque dans l'en-tête de « habitants.csv » les colonnes obligatoires « Prénom », "
        "« Public », « Date d'entrée ». La première ligne du fichier doit porter les noms des "
        "colonnes, comme dans le modèle à télécharger. Rien n'a été importé."
    ]
    assert not [b for b in app.button if b.key == "import.confirm"]


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ANIMATOR])
def test_no_other_role_sees_the_import(page_as, app_as, role):
    app = page_as(Screen.IMPORT, role)
    assert "Votre rôle ne donne pas accès à cette page." in texts(app)
    assert not app.file_uploader and not app.title

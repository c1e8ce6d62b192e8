"""A real habitat's first residents, brought in from a file in a real browser.

The server has its own database, started as a real habitat starts (`habitat db
init`, `habitat users add`, one habitat recorded), with no demo data: the journey
uploads a residents file with one bad row, reads the refused cell, fixes the file,
uploads it again, confirms, and finds the residents on the Habitants page.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from habitat import store
from habitat.services import imports
from habitat.services.imports import Kind
from habitat.store.entities import (
    Activity,
    Attendance,
    Audience,
    Dwelling,
    Habitat,
    LiaisonNote,
    Resident,
    Tension,
    TensionStatus,
)

from .conftest import ROOT, SERVE, Server, free_port, wait_healthy
from .test_journeys import choose, eventually, key, open_page, page_text, see, settle, type_date

USERNAME = "c.martin"
PASSWORD = "import-habitat-2026"


def _habitat(*args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "habitat.cli", *args],
        input=stdin,
        text=True,
        check=True,
        cwd=ROOT,
        capture_output=True,
    )


def _empty_database(folder) -> Path:
    """A database as a real habitat starts: `habitat db init`, one animator account."""
    db = folder / "habitat.db"
    _habitat("db", "init", "--db", str(db))
    _habitat(
        "users", "add", USERNAME, "--name", "Claire Martin", "--role", "animator",
        "--password-stdin", "--db", str(db), stdin=PASSWORD + "\n",
    )  # fmt: skip
    return db


@pytest.fixture(scope="module")
def real_habitat(tmp_path_factory) -> Iterator[Server]:
    """A server on a new, real habitat's database: one animator, one habitat, no one else."""
    folder = tmp_path_factory.mktemp("import")
    db = _empty_database(folder)
    with store.connect(db) as conn:
        store.create(
            conn,
            "test:setup",
            Habitat,
            {
                "name": "Les Tilleuls",
                "host_organisation": "CCAS",
                "address": "1 rue",
                "dwellings": 8,
            },
        )
    yield from _serve(db, folder)


@pytest.fixture
def empty_habitat(tmp_path_factory) -> Iterator[Server]:
    """A server on a database with one animator account and nothing else."""
    folder = tmp_path_factory.mktemp("day-one")
    yield from _serve(_empty_database(folder), folder)


def _serve(db: Path, folder: Path) -> Iterator[Server]:
    port, log = free_port(), folder / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*SERVE, "--db", str(db), "--port", str(port), "--address", "127.0.0.1"],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, log)
        yield Server(url, db, process, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _file(*rows: str) -> bytes:
    return imports.template_csv(Kind.RESIDENTS) + "".join(r + "\r\n" for r in rows).encode()


ODETTE = "Odette;Fournier;1938;personne âgée;2;;Logement 1;;01/09/2026;choisie"
MARCEL_BAD = "Marcel;Roux;1941;personne âgée;8;;Logement 2;;02/09/2026;"
MARCEL_FIXED = "Marcel;Roux;1941;personne âgée;4;;Logement 2;;02/09/2026;"


def _upload(page, data: bytes) -> None:
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(
        files=[{"name": "habitants.csv", "mimeType": "text/csv", "buffer": data}]
    )


def _open_import(page) -> None:
    """The import page sits below the menu's first ten entries: show them all first."""
    link = page.locator('[data-testid="stSidebarNavLink"][href$="/import"]')
    page.locator('[data-testid="stSidebarNavLink"]').first.wait_for()
    settle(page)
    more = page.locator('[data-testid="stSidebarNavViewButton"]')
    if not link.count() and more.count():
        more.click()
    open_page(page, "import", "Importer des données")


def test_animator_imports_residents_fixing_one_bad_row(real_habitat, page):
    """Must not happen: a write before the confirmation, a bad row saved, a duplicate."""
    page.goto(real_habitat.url)
    page.get_by_label("Identifiant", exact=True).fill(USERNAME)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Se déconnecter").wait_for()
    _open_import(page)

    _upload(page, _file(ODETTE, MARCEL_BAD))
    see(page, "1 habitant à créer, 0 déjà présent, 1 ligne refusée.")
    assert "Ligne 3, colonne « GIR » : doit être inférieur ou égal à 6" in page_text(page)
    with store.connect(real_habitat.db) as db:
        assert store.find(db, Resident) == [], "nothing is written before the confirmation"

    _upload(page, _file(ODETTE, MARCEL_FIXED))  # the file, fixed, uploaded again
    see(page, "2 habitants à créer, 0 déjà présent, 0 ligne refusée.")
    page.get_by_role("button", name="Importer 2 habitants").click()
    see(page, "2 habitants importés depuis « habitants.csv ».")

    _upload(page, _file(ODETTE, MARCEL_FIXED))  # and once more, by mistake
    see(page, "0 habitant à créer, 2 déjà présents, 0 ligne refusée.")
    assert "Importer 2 habitants" not in page_text(page)

    open_page(page, "residents", "Habitants")
    page.get_by_text("Habitants actuels (2)").wait_for()
    settle(page)
    # The table's cells are drawn a moment after the rerun ends: wait for them.
    names = ("Odette Fournier", "Marcel Roux")
    assert eventually(lambda: all(n in page_text(page) for n in names)), page_text(page)[-2000:]
    with store.connect(real_habitat.db) as db:
        saved = sorted((r.full_name, r.gir) for r in store.find(db, Resident))
    assert saved == [("Marcel Roux", 4), ("Odette Fournier", 2)]


# --- Day one: from an empty database to the habitat's first week ----------------------


def _sign_in(page, server) -> None:
    page.goto(server.url)
    page.get_by_label("Identifiant", exact=True).fill(USERNAME)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Se déconnecter").wait_for()


def _fill(page, name: str, value: str, kind: str = "input") -> None:
    key(page, name).locator(kind).fill(value)


def _save(page, button: str, confirmation: str) -> None:
    page.get_by_role("button", name=button).click()
    see(page, confirmation)


def test_a_real_habitat_from_an_empty_database_to_its_first_week(empty_habitat, page):
    """Must not happen: a dead end, an English word, a traceback, a duplicate, demo data."""
    _sign_in(page, empty_habitat)
    page.get_by_role("heading", name="Mise en place de l'habitat").wait_for()
    settle(page)

    # 1. The set-up assistant, step by step.
    _fill(page, "setup.habitat.name", "Les Tilleuls")
    _fill(page, "setup.habitat.host_organisation", "CCAS de Saintes")
    _fill(page, "setup.habitat.address", "4 rue des Tilleuls, 17100 Saintes")
    _fill(page, "setup.habitat.dwellings", "3")
    _save(page, "Enregistrer", "Habitat enregistré")
    page.get_by_role("heading", name="Les logements").wait_for()
    settle(page)
    _save(page, "Enregistrer les logements", "3 logement(s) enregistré(s).")
    page.get_by_role("heading", name="Les espaces communs").wait_for()
    settle(page)
    _save(page, "Enregistrer les espaces", "Espaces communs enregistrés.")
    page.get_by_role("heading", name="La convention AVP").wait_for()
    settle(page)
    type_date(page, "setup.avp.avp_start", "01/01/2026")
    type_date(page, "setup.avp.avp_end", "31/12/2028")
    _fill(page, "setup.avp.animator_hours_per_week", "20")
    _save(page, "Enregistrer la convention", "enregistrée")
    _fill(page, "setup.project.text", "Vivre chacun chez soi, et ensemble.", "textarea")
    _fill(page, "setup.project.adopted_by", "Conseil d'administration du CCAS")
    _save(page, "Enregistrer cette version", "Projet de vie sociale et partagée enregistré.")
    _fill(page, "setup.pattern.person", "Claire Martin")
    _save(page, "Ajouter au planning", "Créneau ajouté au planning hebdomadaire.")
    see(page, "est en place")

    # 2. Its first residents, from a file with one bad row fixed.
    _open_import(page)
    first = "Odette;Fournier;1938;personne âgée;2;;Logement 1;;01/09/2026;choisie"
    bad = "Marcel;Roux;1941;personne âgée;8;;Logement 2;;02/09/2026;"
    _upload(page, _file(first, bad))
    see(page, "1 habitant à créer, 0 déjà présent, 1 ligne refusée.")
    _upload(page, _file(first, bad.replace(";8;", ";4;")))
    see(page, "2 habitants à créer, 0 déjà présent, 0 ligne refusée.")
    _save(page, "Importer 2 habitants", "2 habitants importés")

    with store.connect(empty_habitat.db) as db:
        residents = {r.full_name: r for r in store.find(db, Resident)}
        dwellings = [d.name for d in store.find(db, Dwelling)]
    assert sorted(residents) == ["Marcel Roux", "Odette Fournier"]
    assert dwellings == ["Logement 1", "Logement 2", "Logement 3"]
    assert "Traceback" not in page_text(page)

    # 3. A first activity, today, and who came (everyone, in one tap).
    open_page(page, "collective", "Vie collective")
    page.get_by_text("Nouvelle activité").click()
    key(page, "activity.new.title").locator("input").wait_for()
    settle(page)
    _fill(page, "activity.new.title", "Goûter de bienvenue")
    _save(page, "Ajouter l'activité", "Activité ajoutée au calendrier.")
    with store.connect(empty_habitat.db) as db:
        (activity,) = store.find(db, Activity)
    assert activity.starts_at.date() == date.today()
    page.get_by_role("tab", name="Présences").click()
    choose(
        page,
        "collective.attendance.activity",
        f"{date.today():%d/%m/%Y} 14h00 · Goûter de bienvenue (à relever)",
    )
    page.get_by_role("button", name="Tous présents").click()
    for resident in residents.values():
        radio = key(page, f"attendance.{activity.id}.{resident.id}").get_by_role(
            "radio", name="présent"
        )
        expect(radio).to_have_attribute("aria-checked", "true")
    settle(page)
    _save(page, "Enregistrer les présences", "Présences enregistrées : Goûter de bienvenue.")
    with store.connect(empty_habitat.db) as db:
        came = {a.resident_id: a.status for a in store.find(db, Attendance)}
    assert came == {r.id: "present" for r in residents.values()}

    # 4. A reload in the middle keeps the session and the page; then a note to one family.
    open_page(page, "notebook", "Cahier de liaison")
    page.reload()
    page.get_by_role("button", name="Se déconnecter").wait_for()
    page.get_by_role("heading", name="Cahier de liaison").wait_for()
    assert page.url.endswith("/notebook")
    settle(page)
    page.get_by_text("Écrire une note").click()
    choose(page, "notebook.new.audience", "famille")
    choose(page, "notebook.new.audience_resident_id", "Odette Fournier")
    _fill(page, "notebook.new.body", "Odette a bien profité du goûter.", "textarea")
    _save(page, "Enregistrer la note", "Note enregistrée.")
    with store.connect(empty_habitat.db) as db:
        (note,) = store.find(db, LiaisonNote)
    odette = residents["Odette Fournier"].id
    assert (note.audience, note.audience_resident_id, note.resident_ids) == (
        Audience.FAMILY,
        odette,
        [odette],
    )

    # 5. A tension logged, then closed today.
    open_page(page, "tensions", "Tensions")
    page.get_by_text("Signaler une tension").click()
    choose(page, "tension.new.resident_ids", "Odette Fournier")
    _fill(page, "tension.new.description", "Bruit dans le salon après 22h.", "textarea")
    _save(page, "Enregistrer la tension", "Tension enregistrée.")
    with store.connect(empty_habitat.db) as db:
        (tension,) = store.find(db, Tension)
    form = f"tension.{tension.id}"
    key(page, f"{form}.status").wait_for()
    settle(page)
    choose(page, f"{form}.status", "close")
    type_date(page, f"{form}.resolved_on", f"{date.today():%d/%m/%Y}")
    _save(page, "Enregistrer le suivi", "Tension close.")
    with store.connect(empty_habitat.db) as db:
        (closed,) = store.find(db, Tension)
    assert (closed.status, closed.resolved_on) == (TensionStatus.CLOSED, date.today())
    assert "Traceback" not in page_text(page)

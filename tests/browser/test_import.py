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

import pytest

from habitat import store
from habitat.services import imports
from habitat.services.imports import Kind
from habitat.store.entities import Habitat, Resident

from .conftest import ROOT, SERVE, Server, free_port, wait_healthy
from .test_journeys import eventually, open_page, page_text, see, settle

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


@pytest.fixture(scope="module")
def real_habitat(tmp_path_factory) -> Iterator[Server]:
    """A server on a new, real habitat's database: one animator, one habitat, no one else."""
    folder = tmp_path_factory.mktemp("import")
    db = folder / "habitat.db"
    _habitat("db", "init", "--db", str(db))
    _habitat(
        "users", "add", USERNAME, "--name", "Claire Martin", "--role", "animator",
        "--password-stdin", "--db", str(db), stdin=PASSWORD + "\n",
    )  # fmt: skip
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

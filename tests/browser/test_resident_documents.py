"""The hospital liaison sheet in a real browser: filled in the file, downloaded, read back."""

from __future__ import annotations

import re
from pathlib import Path

from habitat.store.entities import LiaisonSheet, Resident
from tests.documents.conftest import pdf_text

from .conftest import sign_in
from .test_journeys import choose, eventually, key, one, open_page, see, settle, unique


def test_animator_fills_the_liaison_sheet_and_downloads_it(server, page):
    """Must not happen: the sheet saved but missing from the PDF, or the print not audited."""
    sign_in(page, server, "animator")
    open_page(page, "residents", "Habitants")
    resident = sorted(one(server, Resident, "exit_date IS NULL", []), key=lambda r: r.id)[-1]
    choose(page, "residents.selected", resident.full_name)
    page.get_by_role("heading", name=resident.full_name).wait_for()
    settle(page)
    form = f"liaison_sheet.{resident.id}"
    page.get_by_text("Modifier la fiche de liaison hôpital").click()
    gp = unique("Dr Essai")
    key(page, f"{form}.gp").locator("input").wait_for()
    key(page, f"{form}.gp").locator("input").fill(gp)
    key(page, f"{form}.allergies").locator("textarea").fill("Latex <b>gras</b>")
    page.get_by_role("button", name="Enregistrer la fiche de liaison").click()
    see(page, "Fiche de liaison enregistrée.")
    assert eventually(lambda: one(server, LiaisonSheet, "gp = ?", [gp]))

    page.get_by_role("button", name="Préparer : Fiche de liaison hôpital (PDF)").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger fiche-liaison-hopital-").click()
    path = Path(download.value.path())
    text = " ".join(pdf_text(path.read_bytes()).split())
    assert resident.full_name in text
    assert gp in text
    assert "Latex <b>gras</b>" in text
    assert "pas un dossier médical" in text


def test_animator_prints_the_support_plan_for_signature(server, page):
    """The plan the resident signs: their name, the needs and a signature block."""
    sign_in(page, server, "animator")
    open_page(page, "residents", "Habitants")
    resident = sorted(one(server, Resident, "exit_date IS NULL", []), key=lambda r: r.id)[0]
    choose(page, "residents.selected", resident.full_name)
    page.get_by_role("heading", name=resident.full_name).wait_for()
    settle(page)
    page.get_by_role("button", name="Préparer : Projet d'accompagnement (à signer) (PDF)").click()
    button = page.get_by_role("button", name=re.compile(r"^Télécharger projet-accompagnement-"))
    button.wait_for(timeout=30_000)
    settle(page)
    with page.expect_download() as download:
        button.click()
    text = " ".join(pdf_text(Path(download.value.path()).read_bytes()).split())
    assert resident.full_name in text
    assert "Signature" in text or "signature" in text

"""Reading documents back as a person would: the text of a PDF, the cells of a workbook."""

from __future__ import annotations

import io
from datetime import date

import pytest

from habitat import store
from habitat.store.entities import Account, Habitat, Role

#: Who the fixtures' writes are audited as.
ACTOR = "test"


def pdf_text(content: bytes) -> str:
    """All the text of a PDF, page after page (what a reader or a search finds)."""
    from pypdf import PdfReader

    assert content.startswith(b"%PDF-"), "not a PDF"
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def xlsx_cells(content: bytes) -> dict[str, list[list[object]]]:
    """Every worksheet's cells as stored (a formula would show as "=..." with type f)."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book}


@pytest.fixture
def read_pdf():
    return pdf_text


@pytest.fixture
def read_xlsx():
    return xlsx_cells


@pytest.fixture
def empty_db(tmp_path):
    """A new habitat with no record, an agreement from 1 April 2024, and its animator,
    host and promoter accounts (each named after its role; the animator first)."""
    path = tmp_path / "habitat.db"
    store.init(path)
    with store.connect(path) as db:
        store.create(
            db,
            ACTOR,
            Habitat,
            {
                "name": "Les Glycines",
                "host_organisation": "Asso",
                "address": "1 rue des Lilas",
                "dwellings": 6,
                "avp_amount_per_resident": 6000,
                "avp_start": date(2024, 4, 1),
            },
        )
        for role in (Role.ANIMATOR, Role.HOST, Role.PROMOTER):
            store.create(
                db,
                ACTOR,
                Account,
                {"username": role.value, "display_name": role.value, "role": role},
            )
    return path

"""Reading documents back as a person would: the text of a PDF, the cells of a workbook."""

from __future__ import annotations

import io

import pytest


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

"""The shared rendering: A4 pages that print French, load nothing, and keep typed text as text."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from habitat.documents import render, sheets

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("http://evil","clic")',
    "+1+cmd|' /C calc'!A0",
    "@SUM(A1:A9)",
    "-2+3",
    "ligne\x00nulle\x07cloche\x1b[31m",
    "<link rel=stylesheet href=file:///etc/passwd>",
]


def test_a_page_prints_french_text_to_a_pdf(read_pdf):
    body = "<h1>Rapport d’activité</h1><p>Œuvre commune : été, Noël, « çà et là ».</p>"
    content = render.pdf(render.page("Rapport", body))
    text = read_pdf(content)
    assert "Rapport d’activité" in text
    assert "Œuvre commune : été, Noël, « çà et là »." in text


def test_a_page_fetches_nothing_even_when_asked(read_pdf, tmp_path):
    secret = tmp_path / "secret.css"
    secret.write_text("body::after { content: 'FUITE'; }")
    body = f'<link rel="stylesheet" href="file://{secret}"><p>Bonjour</p>'
    text = read_pdf(render.pdf(render.page("x", body)))
    assert "Bonjour" in text and "FUITE" not in text


@pytest.mark.parametrize("payload", HOSTILE)
def test_typed_text_is_text_in_html_and_pdf(payload, read_pdf):
    page = render.page("Fiche", f"<p>{render.esc(payload)}</p>")
    assert "<script>" not in page and "<img" not in page and "<link" not in page
    assert "\x00" not in page and "\x1b" not in page
    text = read_pdf(render.pdf(page))
    assert render.clean(payload).split("<")[0][:5] in text


@pytest.mark.parametrize("payload", HOSTILE)
def test_typed_text_is_never_a_formula_in_a_workbook(payload, read_xlsx):
    content = sheets.workbook([sheets.Sheet("Feuille", ["Texte"], [[payload], [3.5]])])
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content))
    cell = book["Feuille"]["A2"]
    assert cell.data_type == "s", f"{payload!r} stored as {cell.data_type}"
    assert not str(cell.value).startswith(sheets.FORMULA_PREFIXES)
    assert book["Feuille"]["A3"].value == 3.5


@given(st.text(max_size=200))
def test_clean_text_keeps_what_prints_and_drops_control_characters(value):
    cleaned = render.clean(value)
    assert all(c in "\t\n\r" or (ord(c) >= 0x20 and not 0x7F <= ord(c) <= 0x9F) for c in cleaned)
    assert "<" not in render.esc(value) and ">" not in render.esc(value)


def test_file_names_hold_no_path_or_quote():
    assert render.filename_part('../../etc/"passwd"') == "etc-passwd"
    assert render.filename_part("") == "document"
    assert render.filename_part("Élise Dupré") == "lise-Dupr"

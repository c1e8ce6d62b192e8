"""Spreadsheet files (xlsx) a department or a host organisation can open safely.

openpyxl writes a text starting with "=" as a formula: every text cell goes through
`cell`, which removes control characters (the format refuses them) and neutralises
formula prefixes with a leading apostrophe, as the CSV files do.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from habitat.documents.render import clean

#: Cells starting with these are formulas to a spreadsheet (the CSV exports' rule).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

#: Longest text an xlsx cell holds.
CELL_MAX = 32_767


def cell(value: Any) -> Any:
    """A value as a cell: numbers as numbers, text cleaned and never a formula."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    text = clean(value)[: CELL_MAX - 1]
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


@dataclass(frozen=True)
class Sheet:
    """One worksheet: a title, a header row, rows, optional column widths."""

    title: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    widths: Sequence[int] = field(default_factory=tuple)


def workbook(sheets: Sequence[Sheet]) -> bytes:
    """An xlsx workbook of `sheets`, header rows in bold and frozen.

    Args:
        sheets: the worksheets, in order (titles cut to Excel's 31 characters).

    Returns:
        The workbook's bytes.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        title = "".join(c for c in clean(sheet.title) if c not in "[]:*?/\\")[:31] or "Feuille"
        ws = book.create_sheet(title)
        ws.append([cell(h) for h in sheet.header])
        for bold in ws[1]:
            bold.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for row in sheet.rows:
            ws.append([cell(v) for v in row])
        for index, width in enumerate(sheet.widths, start=1):
            ws.column_dimensions[ws.cell(row=1, column=index).column_letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

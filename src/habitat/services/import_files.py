"""Reading a spreadsheet a person uploads: a CSV or an .xlsx file, or a French refusal.

Only the file is judged here (type by content, size, encoding, formulas, macros);
what the cells mean is `habitat.services.imports`' business. Every refusal is a
`FileRefused` whose `message_fr` the screen shows as it is; nothing is written.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

#: A habitat has at most 30 dwellings: its residents, carers and providers fit in a
#: few kilobytes. One megabyte is a hundred times that, and keeps a stray export of
#: a whole department's database from being read into memory.
MAX_BYTES = 1024 * 1024
#: An .xlsx is compressed: its parts may not unpack to more than this (a zip bomb
#: would otherwise pass the size check above).
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
#: Rows of data read from one file; more is not a habitat's list.
MAX_ROWS = 1000

#: The parts every .xlsx workbook has (Office Open XML, ECMA-376).
_XLSX_PARTS = ("[Content_Types].xml", "xl/workbook.xml")
#: Where a workbook keeps its macros.
_MACRO_PART = re.compile(r"(^|/)vbaProject\.bin$", re.IGNORECASE)
#: The start of an old binary Office file (.xls, .doc): OLE2 compound document.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A well-formed UTF-8 multi-byte sequence: its presence in a file that is not valid
#: UTF-8 means two encodings were mixed (a cp1252 file has none of these, or few by
#: pure chance: "Ã©" is how UTF-8's "é" reads in cp1252).
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
#: Separators a French or English spreadsheet writes (French Excel writes `;`).
_SEPARATORS = (";", ",", "\t")


class FileRefused(ValueError):
    """The file cannot be imported at all; `message_fr` says why, in French."""

    def __init__(self, reason: str, message_fr: str):
        super().__init__(reason)
        self.message_fr = message_fr


@dataclass(frozen=True)
class Sheet:
    """A table read from a file: its header and rows of cells, with their line numbers.

    Cells are stripped text, or what Excel stored (a number, a date) for .xlsx.
    """

    name: str
    header: list[str]
    rows: list[tuple[int, list[Any]]]


def read(name: str, data: bytes) -> Sheet:
    """Read an uploaded file into a header and rows.

    Args:
        name: the file's name as uploaded (its extension must agree with its content).
        data: its bytes.

    Raises:
        FileRefused: wrong type, too large, empty, bad encoding, formulas or macros.
    """
    suffix = PurePath(name).suffix.lower()
    if len(data) > MAX_BYTES:
        raise FileRefused(
            "too large",
            f"Le fichier « {name} » est trop volumineux ({_size(len(data))}) : "
            f"la limite est de {_size(MAX_BYTES)}.",
        )
    if not data.strip():
        raise FileRefused("empty", f"Le fichier « {name} » est vide.")
    if suffix == ".xlsm":
        raise FileRefused(
            "macros",
            f"Le fichier « {name} » est un classeur avec macros (.xlsm) : par sécurité, "
            "il n'est pas lu. Enregistrez-le au format .xlsx (sans macros) ou CSV.",
        )
    if suffix == ".xls" or data.startswith(_OLE2):
        raise FileRefused(
            "old excel",
            f"Le fichier « {name} » est au format Excel 97-2003 (.xls), qui n'est pas lu : "
            "enregistrez-le au format .xlsx ou CSV.",
        )
    is_zip = data.startswith(b"PK\x03\x04")
    if suffix == ".xlsx":
        if not is_zip:
            raise _not_what_it_says(name, "un classeur Excel .xlsx")
        sheet = _read_xlsx(name, data)
    elif suffix in (".csv", ".txt"):
        if is_zip or b"\x00" in data:
            raise _not_what_it_says(name, "un fichier CSV (du texte)")
        sheet = _read_csv(name, data)
    else:
        raise FileRefused(
            "type",
            f"Le fichier « {name} » n'est ni un fichier CSV (.csv) ni un classeur Excel "
            "(.xlsx) : utilisez l'un des modèles proposés.",
        )
    if not sheet.rows:
        raise FileRefused(
            "no rows",
            f"Le fichier « {name} » ne contient aucune ligne de données sous ses en-têtes.",
        )
    return sheet


def _size(count: int) -> str:
    """`1 Mo (1 024 ko)`, `1 050 ko`: a size as a French animator reads it."""
    kilobytes = f"{max(1, -(-count // 1024)):,} ko".replace(",", "\u202f")
    if count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} Mo ({kilobytes})"
    return kilobytes


def _not_what_it_says(name: str, what: str) -> FileRefused:
    return FileRefused(
        "content does not match the extension",
        f"Le fichier « {name} » n'est pas {what}, contrairement à ce qu'indique son nom : "
        "utilisez l'un des modèles proposés (CSV ou .xlsx).",
    )


def _too_many_rows(name: str) -> FileRefused:
    return FileRefused(
        "too many rows",
        f"Le fichier « {name} » a plus de {MAX_ROWS} lignes : ce n'est pas la liste d'un "
        "habitat. Importez un fichier par habitat.",
    )


# --- CSV ------------------------------------------------------------------------------


def decode(name: str, data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), else wholly cp1252.

    A file that is not valid UTF-8 is read as cp1252 (what French Excel writes) only
    if all of it decodes so and it holds no UTF-8 multi-byte sequence: otherwise two
    encodings were mixed (a list pasted together from two sources) and any reading
    would garble some names, so it is refused, naming the first line that is not UTF-8.

    Raises:
        FileRefused: the encodings are mixed, or the text is neither UTF-8 nor cp1252.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        first_bad = data.count(b"\n", 0, error.start) + 1
    if not _UTF8_MULTIBYTE.search(data):
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    raise FileRefused(
        "mixed encodings",
        f"Le fichier « {name} » mélange des encodages de caractères (accents illisibles "
        f"à partir de la ligne {first_bad}) : enregistrez-le en « CSV UTF-8 » depuis "
        "votre tableur, puis importez-le à nouveau.",
    )


def _separator(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in _SEPARATORS}
    best = max(_SEPARATORS, key=lambda sep: counts[sep])
    return best if counts[best] else ";"


def _read_csv(name: str, data: bytes) -> Sheet:
    text = decode(name, data)
    if "\x00" in text:
        raise _not_what_it_says(name, "un fichier CSV (du texte)")
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(first_line))
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if not any(cells):
                continue
            if header is None:
                header = cells
                continue
            if len(rows) == MAX_ROWS:
                raise _too_many_rows(name)
            rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise FileRefused(
            f"csv: {error}",
            f"Le fichier « {name} » n'est pas un CSV lisible à la ligne {reader.line_num} "
            "(guillemets mal fermés ?).",
        ) from None
    if header is None:
        raise FileRefused("empty", f"Le fichier « {name} » est vide.")
    return Sheet(name, header, rows)


# --- Excel ----------------------------------------------------------------------------


def _read_xlsx(name: str, data: bytes) -> Sheet:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _not_what_it_says(name, "un classeur Excel .xlsx") from None
    names = {part.filename for part in parts}
    if not all(required in names for required in _XLSX_PARTS):
        raise _not_what_it_says(name, "un classeur Excel .xlsx")
    if any(_MACRO_PART.search(part) for part in names):
        raise FileRefused(
            "macros",
            f"Le fichier « {name} » contient des macros : par sécurité, il n'est pas lu. "
            "Enregistrez-le au format .xlsx sans macros, ou en CSV.",
        )
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise FileRefused(
            "too large unpacked",
            f"Le fichier « {name} » est trop volumineux une fois décompressé : "
            f"la limite est de {_size(MAX_UNPACKED_BYTES)}.",
        )
    import openpyxl  # the app extra; only an .xlsx upload needs it

    try:
        # data_only=False: formulas stay formulas (never evaluated), so we can see them.
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
        worksheet = workbook.worksheets[0]
        raw = list(worksheet.iter_rows(max_row=MAX_ROWS + 50))
    except Exception:  # openpyxl raises many kinds on a damaged workbook
        raise FileRefused(
            "unreadable xlsx",
            f"Le classeur « {name} » est endommagé ou illisible : ouvrez-le dans votre "
            "tableur et enregistrez-le à nouveau au format .xlsx.",
        ) from None
    header: list[str] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for cells in raw:
        values = []
        for cell in cells:
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or (
                isinstance(value, str) and value.startswith("=")
            ):
                raise FileRefused(
                    "formula",
                    f"Le classeur « {name} » contient une formule (cellule "
                    f"{cell.coordinate}) : les formules ne sont pas importées. Copiez les "
                    "cellules et collez-les « en valeurs », puis importez à nouveau.",
                )
            values.append(_cell(value))
        if not any(v not in (None, "") for v in values):
            continue
        row_number = cells[0].row
        if header is None:
            header = ["" if v is None else str(v) for v in values]
            continue
        if len(rows) == MAX_ROWS:
            raise _too_many_rows(name)
        rows.append((row_number, values))
    workbook.close()
    if header is None:
        raise FileRefused("empty", f"Le classeur « {name} » est vide.")
    return Sheet(name, header, rows)


def _cell(value: Any) -> Any:
    """A cell's value: text stripped, a whole number as an int, a date as a date."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, date | int | float | bool) or value is None:
        return value
    return str(value)

"""Bring existing data in: residents, carers and providers from a CSV or Excel file.

`preview` reads a file (`import_files.read`), turns each row into an entity through
the same validation as a form (`store.parse`), and says what would be created, who
is already on record and each refused cell, with its French reason; it writes
nothing. `commit` writes the rows the preview accepted in one transaction, each
through `records.create` (so the role is checked and every creation audited).
Templates (`template_csv`, `template_xlsx`) carry the columns in French.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlite_utils

from habitat import store
from habitat.domain import Public
from habitat.services import records
from habitat.services.access import Screen, User, require
from habitat.services.import_files import FileRefused, Sheet, read
from habitat.store.entities import (
    Arrangement,
    Carer,
    EntryMode,
    Provider,
    ProviderKind,
    Relation,
    Resident,
    SupportLevel,
)
from habitat.store.labels import LABELS
from habitat.store.messages import FIELD_LABELS
from habitat.store.queries_residents import people_on_record
from habitat.store.record import Record

__all__ = [
    "KINDS",
    "FileRefused",
    "ImportFailed",
    "Kind",
    "Preview",
    "Refusal",
    "RowResult",
    "Status",
    "commit",
    "preview",
    "template_csv",
    "template_xlsx",
]


class Kind(StrEnum):
    """What a file lists."""

    RESIDENTS = "residents"
    CARERS = "carers"
    PROVIDERS = "providers"


class ImportFailed(Exception):
    """The confirmed import could not be written; nothing was. `message_fr` says why."""

    def __init__(self, reason: str, message_fr: str):
        super().__init__(reason)
        self.message_fr = message_fr


class _CellRefused(ValueError):
    """A cell whose text cannot be read as its column's kind of value (French reason)."""


# --- Reading cells --------------------------------------------------------------------


def _plain(text: str) -> str:
    """Text compared loosely: no accents, case, inclusive dots or extra spaces."""
    text = unicodedata.normalize("NFKD", text.replace("·", "")).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("\u2019", "'").split())


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _whole(value: Any) -> int:
    if isinstance(value, bool):
        raise _CellRefused("doit être un nombre entier")
    if isinstance(value, int):
        return value
    text = _text(value).replace(" ", "").replace("\u202f", "").replace("\xa0", "")
    if re.fullmatch(r"-?\d{1,18}", text):
        return int(text)
    raise _CellRefused("doit être un nombre entier")


def _number(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = _text(value).replace(" ", "").replace("\xa0", "").replace(",", ".")
    if re.fullmatch(r"-?\d{1,9}(\.\d{1,6})?", text):
        return float(text)
    raise _CellRefused("doit être un nombre (par exemple 3,5)")


_FRENCH_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    french, iso = _FRENCH_DAY.fullmatch(text), _ISO_DAY.fullmatch(text)
    try:
        if french:
            day, month, year = (int(part) for part in french.groups())
            return date(year, month, day)
        if iso:
            year, month, day = (int(part) for part in iso.groups())
            return date(year, month, day)
    except ValueError:
        raise _CellRefused("cette date n'existe pas") from None
    raise _CellRefused("n'est pas une date (JJ/MM/AAAA, par exemple 01/12/2026)")


_YES = frozenset({"oui", "o", "vrai", "x", "1", "yes", "true"})
_NO = frozenset({"non", "n", "faux", "0", "no", "false"})


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _plain(_text(value))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise _CellRefused("répondez oui ou non")


#: Words people write for a relation that are not the label itself.
_RELATION_WORDS: dict[str, str] = {
    "fille": "child",
    "fils": "child",
    "conjointe": "spouse",
    "epoux": "spouse",
    "epouse": "spouse",
    "mari": "spouse",
    "femme": "spouse",
    "mere": "parent",
    "pere": "parent",
    "frere": "sibling",
    "soeur": "sibling",
    "petite-fille": "grandchild",
    "petit-fils": "grandchild",
    "amie": "friend",
    "voisine": "neighbour",
    "tuteur": "legal_guardian",
    "tutrice": "legal_guardian",
    "curateur": "legal_guardian",
    "curatrice": "legal_guardian",
}
#: "propre" is how a habitat's own lists say the resident kept their own provider.
_ARRANGEMENT_WORDS: dict[str, str] = {"propre": "own", "habitant": "own", "habitat": "habitat"}


def _choice(enum: type[StrEnum], words: Mapping[str, str] | None = None) -> Callable[[Any], str]:
    """A reader of an enum's French label (or its code, or a common word for it)."""
    accepted = {_plain(label): code for code, label in LABELS[enum].items()}
    accepted.update({_plain(code): code for code in LABELS[enum]})
    accepted.update({_plain(word): code for word, code in (words or {}).items()})
    listed = ", ".join(f"« {label} »" for label in LABELS[enum].values())

    def read_choice(value: Any) -> str:
        code = accepted.get(_plain(_text(value)))
        if code is None:
            raise _CellRefused(f"valeur inconnue (valeurs possibles : {listed})")
        return code

    read_choice.allowed = list(LABELS[enum].values())  # type: ignore[attr-defined]
    return read_choice


def _gir(value: Any) -> int:
    text = _text(value).strip()
    if _plain(text).startswith("gir"):
        text = text[3:].strip()
    return _whole(text)


# --- What each kind of file holds -----------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a template: its French header, the field it fills, how it is read."""

    header: str
    field: str
    read: Callable[[Any], Any] = _text
    required: bool = False
    hint: str = ""
    #: Other headers accepted for it (the form's label is always accepted).
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        """Every header this column is recognised by, compared loosely."""
        labels = {self.header, FIELD_LABELS.get(self.field, self.header), *self.aliases}
        return {_plain(label) for label in labels}

    def allowed(self) -> str:
        """What may be written in it, for the template's help sheet."""
        values = getattr(self.read, "allowed", None)
        return self.hint or (" ; ".join(values) if values else "")


#: The header of the carers' column naming their resident.
RESIDENT_COLUMN = "Habitant"

_DATE_HINT = "une date JJ/MM/AAAA (01/12/2026) ou AAAA-MM-JJ"
_YES_NO_HINT = "oui ou non (vide : non)"


@dataclass(frozen=True)
class KindSpec:
    """How a kind of file is read: its entity, columns, and what makes two rows the same."""

    model: type[Record]
    columns: tuple[Column, ...]
    #: French nouns, singular and plural ("habitant", "habitants").
    nouns: tuple[str, str]
    title: str


KINDS: dict[Kind, KindSpec] = {
    Kind.RESIDENTS: KindSpec(
        Resident,
        (
            Column("Prénom", "first_name", required=True),
            Column("Nom", "last_name", required=True),
            Column("Année de naissance", "birth_year", _whole, hint="par exemple 1942"),
            Column("Public", "public", _choice(Public), required=True),
            Column("GIR", "gir", _gir, hint="1 à 6 (obligatoire pour une personne âgée)"),
            Column(
                "Niveau d'accompagnement",
                "support_level",
                _choice(SupportLevel),
                aliases=("Niveau de besoin",),
            ),
            Column("Logement", "dwelling", hint="par exemple Logement 3"),
            Column("Contact d'urgence", "emergency_contact"),
            Column("Date d'entrée", "entry_date", _day, required=True, hint=_DATE_HINT),
            Column("Mode d'entrée", "entry_mode", _choice(EntryMode)),
        ),
        ("habitant", "habitants"),
        "Habitants",
    ),
    Kind.CARERS: KindSpec(
        Carer,
        (
            Column(
                RESIDENT_COLUMN,
                "resident_id",
                required=True,
                hint="pseudonyme (H-…) ou « Prénom Nom » d'un habitant déjà enregistré",
            ),
            Column("Prénom", "first_name", required=True),
            Column("Nom", "last_name", required=True),
            Column("Lien", "relation", _choice(Relation, _RELATION_WORDS), required=True),
            Column("Téléphone", "phone", hint="par exemple 06 12 34 56 78"),
            Column("Courriel", "email"),
            Column("Aidant", "does_care", _yes_no, hint=_YES_NO_HINT),
            Column("Gestion", "does_management", _yes_no, hint=_YES_NO_HINT),
            Column("Gouvernance", "does_governance", _yes_no, hint=_YES_NO_HINT),
            Column("Heures par semaine", "usual_hours_per_week", _number, hint="par exemple 3,5"),
            Column("Consentement", "consent_to_share", _yes_no, hint=_YES_NO_HINT),
            Column("Date du consentement", "consent_date", _day, hint=_DATE_HINT),
        ),
        ("proche", "proches"),
        "Proches",
    ),
    Kind.PROVIDERS: KindSpec(
        Provider,
        (
            Column("Nom", "name", required=True),
            Column("Type", "kind", _choice(ProviderKind), required=True),
            Column(
                "Relation",
                "arrangement",
                _choice(Arrangement, _ARRANGEMENT_WORDS),
                required=True,
                hint="propre (choisi par l'habitant) ou choisi par l'habitat",
                aliases=("Choisi par",),
            ),
            Column("Contact", "contact_name"),
            Column("Téléphone", "phone"),
            Column("Courriel", "email"),
            Column("Adresse", "address"),
            Column("Services", "services"),
            Column("FINESS", "finess", hint="9 caractères, le département d'abord"),
        ),
        ("intervenant", "intervenants"),
        "Intervenants",
    ),
}

# --- The preview ----------------------------------------------------------------------


class Status(StrEnum):
    """What the import does with a row."""

    NEW = "new"
    PRESENT = "present"
    REFUSED = "refused"


STATUS_FR: dict[Status, str] = {
    Status.NEW: "à créer",
    Status.PRESENT: "déjà présent",
    Status.REFUSED: "refusé",
}


@dataclass(frozen=True)
class Refusal:
    """One refused cell: the row and column as in the file, and why (in French)."""

    line: int
    column: str
    reason: str

    @property
    def message_fr(self) -> str:
        """`Ligne 4, colonne « GIR » : doit être inférieur ou égal à 6`."""
        return f"Ligne {self.line}, colonne « {self.column} » : {self.reason}"


@dataclass(frozen=True)
class RowResult:
    """One row of the file: who it names, and what the import does with it."""

    line: int
    name: str
    status: Status
    record: Record | None = None
    detail: str = ""


@dataclass(frozen=True)
class Preview:
    """What an import would do, before anything is written."""

    kind: Kind
    file_name: str
    habitat_id: int
    rows: tuple[RowResult, ...]
    refusals: tuple[Refusal, ...]
    ignored_columns: tuple[str, ...] = field(default=())

    @property
    def to_create(self) -> list[Record]:
        """The records a confirmation writes."""
        return [row.record for row in self.rows if row.status is Status.NEW and row.record]

    def count(self, status: Status) -> int:
        """How many rows have this status."""
        return sum(1 for row in self.rows if row.status is status)

    def summary_fr(self) -> str:
        """`2 habitants à créer, 1 déjà présent, 1 ligne refusée.`."""
        singular, plural = KINDS[self.kind].nouns
        new, present, refused = (self.count(s) for s in Status)
        parts = [
            f"{new} {singular if new < 2 else plural} à créer",
            f"{present} déjà présent{'s' if present > 1 else ''}",
            f"{refused} ligne{'s' if refused > 1 else ''} refusée{'s' if refused > 1 else ''}",
        ]
        return ", ".join(parts) + "."

    def table(self) -> list[dict[str, str]]:
        """One line per row of the file, in French, for the screen and the command."""
        return [
            {
                "Ligne": str(row.line),
                "Nom": row.name,
                "Résultat": STATUS_FR[row.status],
                "Détail": row.detail,
            }
            for row in self.rows
        ]


def preview(db: sqlite_utils.Database, user: User, kind: Kind, name: str, data: bytes) -> Preview:
    """Read a file and say what importing it would do; writes nothing.

    Args:
        db: the habitat's database.
        user: who imports (the animator: `services.access` decides).
        kind: what the file lists.
        name: the file's name as uploaded.
        data: its bytes.

    Raises:
        Forbidden: the user may not import.
        FileRefused: the file itself is refused (type, size, encoding, formulas,
            macros, missing columns); its `message_fr` says why.
    """
    require(user, Screen.IMPORT)
    if user.habitat_id is None:
        raise FileRefused("no habitat", "Aucun habitat n'est encore enregistré dans cette base.")
    spec = KINDS[Kind(kind)]
    sheet = read(name, data)
    positions, ignored = _match_header(spec, sheet)
    residents, carers, providers = people_on_record(db, user.habitat_id)
    by_kind: dict[Kind, Sequence[Record]] = {
        Kind.RESIDENTS: residents,
        Kind.CARERS: carers,
        Kind.PROVIDERS: providers,
    }
    on_record = by_kind[Kind(kind)]
    known = {_key(record): record for record in on_record}
    seen: dict[tuple, int] = {}
    rows, refusals = [], []
    for line, cells in sheet.rows:
        row_refusals, record = _row(spec, user.habitat_id, residents, positions, line, cells)
        refusals.extend(row_refusals)
        name_shown = _name(spec, positions, cells)
        if record is None:
            reasons = "; ".join(f"{r.column} : {r.reason}" for r in row_refusals)
            rows.append(RowResult(line, name_shown, Status.REFUSED, None, reasons))
            continue
        key = _key(record)
        if key in known:
            rows.append(RowResult(line, name_shown, Status.PRESENT, None, "déjà enregistré"))
        elif key in seen:
            detail = f"en double avec la ligne {seen[key]} : importé une seule fois"
            rows.append(RowResult(line, name_shown, Status.PRESENT, None, detail))
        else:
            seen[key] = line
            rows.append(RowResult(line, name_shown, Status.NEW, record))
    rows, refusals = _as_the_store_would(db, user, spec, positions, rows, refusals)
    return Preview(Kind(kind), name, user.habitat_id, tuple(rows), tuple(refusals), ignored)


class _Rehearsal(Exception):
    """Ends the preview's rehearsal: its transaction is rolled back."""


def _as_the_store_would(
    db: sqlite_utils.Database,
    user: User,
    spec: KindSpec,
    positions: Mapping[str, tuple[int, str]],
    rows: list[RowResult],
    refusals: list[Refusal],
) -> tuple[list[RowResult], list[Refusal]]:
    """Rows the store itself would refuse, found by writing them all and rolling back.

    A form's validation knows one record; the store also checks it against the others
    (a dwelling lived in, more residents than dwellings, a date before another's).
    The rehearsal writes the new rows in file order in one transaction, as `commit`
    does, notes each refusal, and undoes everything.
    """
    checked: list[RowResult] = []
    found: list[Refusal] = []
    try:
        with store.transaction(db):
            for row in rows:
                if row.status is not Status.NEW or row.record is None:
                    checked.append(row)
                    continue
                data = row.record.model_dump(exclude={"id", "version", "archived_at"})
                try:
                    with store.transaction(db):  # a savepoint: a refused row leaves nothing
                        records.create(db, user, type(row.record), data)
                except store.InvalidRecord as refusal:
                    said = [
                        Refusal(row.line, _header(spec, positions, p.field), p.message_fr)
                        for p in refusal.problems
                    ]
                    found.extend(said)
                    detail = "; ".join(f"{r.column} : {r.reason}" for r in said)
                    checked.append(RowResult(row.line, row.name, Status.REFUSED, None, detail))
                else:
                    checked.append(row)
            raise _Rehearsal
    except _Rehearsal:
        pass
    return checked, sorted([*refusals, *found], key=lambda r: r.line)


def _match_header(spec: KindSpec, sheet: Sheet) -> tuple[dict[str, tuple[int, str]], tuple]:
    """Each field's column position and header as written; the columns not used."""
    positions: dict[str, tuple[int, str]] = {}
    ignored = []
    for index, header in enumerate(sheet.header):
        wanted = _plain(header)
        column = next((c for c in spec.columns if wanted in c.names()), None)
        if column is None:
            if header.strip():
                ignored.append(header.strip())
            continue
        if column.field in positions:
            raise FileRefused(
                "duplicate column",
                f"La colonne « {header.strip()} » apparaît deux fois dans l'en-tête de "
                f"« {sheet.name} » : gardez-en une seule.",
            )
        positions[column.field] = (index, header.strip())
    missing = [c.header for c in spec.columns if c.required and c.field not in positions]
    if missing:
        listed = ", ".join(f"« {h} »" for h in missing)
        raise FileRefused(
            "missing columns",
            f"Il manque dans l'en-tête de « {sheet.name} » "
            f"{'la colonne obligatoire' if len(missing) == 1 else 'les colonnes obligatoires'}"
            f" {listed}. La première ligne du fichier doit porter les noms des colonnes, "
            "comme dans le modèle à télécharger.",
        )
    return positions, tuple(ignored)


def _cell(cells: list[Any], position: int) -> Any:
    value = cells[position] if position < len(cells) else None
    return None if value is None or (isinstance(value, str) and not value.strip()) else value


def _row(
    spec: KindSpec,
    habitat_id: int,
    residents: list[Resident],
    positions: Mapping[str, tuple[int, str]],
    line: int,
    cells: list[Any],
) -> tuple[list[Refusal], Record | None]:
    """One row as an entity, validated like a form, or its refused cells."""
    data: dict[str, Any] = {}
    if spec.model is not Carer:
        data["habitat_id"] = habitat_id
    refusals: list[Refusal] = []
    for column in spec.columns:
        if column.field not in positions:
            continue
        position, header = positions[column.field]
        value = _cell(cells, position)
        if value is None:
            continue
        try:
            if column.field == "resident_id":
                data["resident_id"] = _resident(residents, value)
            else:
                data[column.field] = column.read(value)
        except _CellRefused as refusal:
            refusals.append(Refusal(line, header, str(refusal)))
    refused_fields = {f for f, (_, h) in positions.items() if any(r.column == h for r in refusals)}
    try:
        record = store.parse(spec.model, data)
    except store.InvalidRecord as invalid:
        for problem in invalid.problems:
            top = problem.field.split(".")[0]
            if top in refused_fields:
                continue  # already refused as written: one reason per cell
            refusals.append(Refusal(line, _header(spec, positions, top), problem.reason_fr))
        return _in_file_order(refusals, positions), None
    return refusals, (None if refusals else record)


def _in_file_order(
    refusals: list[Refusal], positions: Mapping[str, tuple[int, str]]
) -> list[Refusal]:
    order = {header: index for index, header in positions.values()}
    return sorted(refusals, key=lambda r: order.get(r.column, len(order)))


def _header(spec: KindSpec, positions: Mapping[str, tuple[int, str]], name: str) -> str:
    """The column a field is read from, as the file writes it (or as the template does)."""
    if name in positions:
        return positions[name][1]
    column = next((c for c in spec.columns if c.field == name), None)
    return f"{column.header} (colonne absente)" if column else "—"


def _name(spec: KindSpec, positions: Mapping[str, tuple[int, str]], cells: list[Any]) -> str:
    fields = ("name",) if spec.model is Provider else ("first_name", "last_name")
    parts = [
        _text(_cell(cells, positions[f][0]))
        for f in fields
        if f in positions and _cell(cells, positions[f][0]) is not None
    ]
    return " ".join(parts) or "—"


def _resident(residents: list[Resident], value: Any) -> int:
    """The resident a carer's row names, by pseudonym or "Prénom Nom"."""
    text = _text(value).strip()
    by_pseudonym = [r for r in residents if r.pseudonym.casefold() == text.casefold()]
    if by_pseudonym:
        return by_pseudonym[0].stored_id
    wanted = _plain(text)
    named = [
        r
        for r in residents
        if wanted in (_plain(r.full_name), _plain(f"{r.last_name} {r.first_name}"))
    ]
    if len(named) > 1:
        raise _CellRefused("plusieurs habitants portent ce nom : indiquez le pseudonyme (H-…)")
    if not named:
        raise _CellRefused(
            "aucun habitant de ce nom ni de ce pseudonyme : importez d'abord les habitants"
        )
    return named[0].stored_id


def _key(record: Record) -> tuple:
    """What makes two records the same person (or the same provider)."""
    if isinstance(record, Resident):
        return ("resident", _plain(record.first_name), _plain(record.last_name), record.birth_year)
    if isinstance(record, Carer):
        names = (_plain(record.first_name), _plain(record.last_name))
        return ("carer", record.resident_id, *names)
    if isinstance(record, Provider):
        return ("provider", _plain(record.name))
    raise TypeError(f"{type(record).__name__} is not imported from a file")


# --- Writing --------------------------------------------------------------------------


def commit(db: sqlite_utils.Database, user: User, plan: Preview) -> list[Record]:
    """Write what a preview accepted: every record in one transaction, each audited.

    Someone may have added the same person since the preview: they are checked again
    inside the transaction and left out.

    Returns:
        The records created, with their ids.

    Raises:
        Forbidden: the user may not import (or write one of these records).
        ImportFailed: a record was refused on writing (nothing was written).
    """
    require(user, Screen.IMPORT)
    if plan.habitat_id != user.habitat_id:
        raise ImportFailed(
            "another habitat", "Cet aperçu concerne un autre habitat : rien n'a été importé."
        )
    created: list[Record] = []
    with store.transaction(db):
        known = {_key(r) for group in people_on_record(db, plan.habitat_id) for r in group}
        for row in plan.rows:
            if row.status is not Status.NEW or row.record is None or _key(row.record) in known:
                continue
            data = row.record.model_dump(exclude={"id", "version", "archived_at"})
            try:
                created.append(records.create(db, user, type(row.record), data))
            except store.InvalidRecord as refusal:
                raise ImportFailed(
                    f"line {row.line}: {refusal}",
                    f"Ligne {row.line} ({row.name}) refusée à l'enregistrement : "
                    f"{refusal.message_fr}. Rien n'a été importé.",
                ) from None
    return created


# --- Templates ------------------------------------------------------------------------


def template_name(kind: Kind, extension: str) -> str:
    """`modele-habitants.csv`."""
    return f"modele-{KINDS[kind].title.lower()}.{extension}"


def template_csv(kind: Kind) -> bytes:
    """The CSV template of a kind: its French header, `;`-separated, UTF-8 with BOM.

    French Excel opens a `;` file with a BOM in the right columns and accents.
    """
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\r\n").writerow(
        [c.header for c in KINDS[kind].columns]
    )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(kind: Kind) -> bytes:
    """The Excel template of a kind: the header, and a second sheet saying what each takes."""
    import openpyxl
    from openpyxl.styles import Font

    spec = KINDS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = spec.title
    sheet.append([c.header for c in spec.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(14, len(cell.value) + 4)
    # Dates typed as text stay text: the import reads 01/12/2026 either way.
    help_sheet = workbook.create_sheet("Aide")
    help_sheet.append(["Colonne", "Obligatoire", "Valeurs possibles"])
    for column in spec.columns:
        help_sheet.append([column.header, "oui" if column.required else "", column.allowed()])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

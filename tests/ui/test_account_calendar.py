"""Mon compte · Mon calendrier: each role prepares its .ics and downloads what it may see."""

from __future__ import annotations

import pytest
from icalendar import Calendar
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from habitat import store
from habitat.services.access import Screen
from habitat.store.entities import Resident, Role


@pytest.fixture
def served(monkeypatch):
    """The bytes each download button hands to the browser (Streamlit's media storage)."""
    files: list[tuple[bytes, str, str | None]] = []
    keep = MemoryMediaFileStorage.load_and_get_id

    def load(self, path_or_data, mimetype, kind, filename=None):
        files.append((path_or_data, mimetype, filename))
        return keep(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load)
    return files


@pytest.mark.parametrize(
    ("role", "suffix"),
    [
        (Role.ANIMATOR, "animateur"),
        (Role.FAMILY, "proche"),
        (Role.RESIDENT, "habitant"),
        (Role.PROVIDER, "intervenant"),
    ],
)
def test_each_role_downloads_its_calendar_from_its_account(
    page_as, accounts, demo_db, served, role, suffix
):
    app = page_as(Screen.ACCOUNT, role)
    assert "Mon calendrier" in [s.value for s in app.subheader]
    assert any("téléphone" in c.value for c in app.caption)
    assert not app.get("download_button")  # nothing produced before it is asked
    key = f"account.calendar.{accounts[role].id}"
    app = app.button(key=f"{key}.make").click().run()
    assert not app.exception
    (button,) = app.get("download_button")
    assert button.proto.label == f"Télécharger calendrier-La-Maison-des-Tilleuls-{suffix}.ics"
    content, mimetype, filename = served[-1]
    assert filename.endswith(f"-{suffix}.ics") and mimetype.startswith("text/calendar")
    calendar = Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert events and calendar.walk("VTIMEZONE")
    kinds = {str(e["uid"]).split("-")[0] for e in events}
    if role is Role.PROVIDER:
        assert kinds == {"intervention"}
    else:
        assert {"activity", "booking", "presence"} <= kinds
    if role is Role.FAMILY:
        fields = ("summary", "location", "description")
        text = "\n".join(str(e.get(f, "")) for e in events for f in fields)
        with store.connect(demo_db) as db:
            others = [
                r
                for r in store.find(db, Resident, include_archived=True)
                if r.id != accounts[role].resident_id
            ]
        for other in others:
            assert other.pseudonym not in text and other.last_name not in text


def test_a_promoter_has_no_calendar_on_its_account(page_as):
    app = page_as(Screen.ACCOUNT, Role.PROMOTER)
    assert not app.exception
    assert "Mon calendrier" not in [s.value for s in app.subheader]

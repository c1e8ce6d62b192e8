"""Showing people's text and dates safely and the French way."""

from __future__ import annotations

import re
from datetime import date, datetime, time

from habitat.domain import MONTHS_FR, WEEKDAYS_FR

#: Characters Markdown gives a meaning to: escaped so typed text stays text.
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str | None) -> str:
    """Text typed by someone, made safe to pass to `st.markdown`: shown as typed.

    Streamlit never renders raw HTML without `unsafe_allow_html` (never used
    here); escaping Markdown also stops links and remote images in notes.
    """
    if not text:
        return ""
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


def fr_date(day: date | datetime | None) -> str:
    """`23/11/2026`; "—" when missing."""
    return day.strftime("%d/%m/%Y") if day else "—"


def fr_long_date(day: date) -> str:
    """`lundi 23 novembre 2026`."""
    return f"{WEEKDAYS_FR[day.weekday()]} {day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def fr_time(moment: time | datetime | None) -> str:
    """`14h05`."""
    return f"{moment.hour}h{moment.minute:02d}" if moment else "—"


def fr_datetime(moment: datetime | None) -> str:
    """`23/11/2026 14h05`."""
    return f"{fr_date(moment)} {fr_time(moment)}" if moment else "—"


def hours(value: float) -> str:
    """`12,5 h`."""
    return f"{value:.1f}".replace(".", ",").removesuffix(",0") + " h"

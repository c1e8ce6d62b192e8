"""Every page of every role is in French, what Streamlit draws included.

One browser page per role, one visit per page of its menu: the visible text and
the words inputs show (placeholders, labels read aloud, tooltips) are searched
for English that Streamlit's frontend draws by default, and for numbers written
with a decimal point. Tables draw their cells on a canvas (their hidden copy for
screen readers keeps the raw `71.2`): `tables.frame` formats their decimals.
"""

from __future__ import annotations

import re

import pytest

from habitat.services.access import READ, Role, Screen
from habitat.ui.navigation import PAGES

from .conftest import sign_in
from .test_journeys import open_page, settle

#: English Streamlit's frontend draws by default (placeholders, the multiselect's
#: bulk option, the folded menu, date formats and parts, table and chart toolbars,
#: the status widget, file uploads), matched as whole words with their case: none
#: is a French word. Icons' names (`upload`, `logout`) are drawn as icons, not words.
ENGLISH = [
    "Choose an option",
    "Choose options",
    "Choose or add",
    "No options to select",
    "Select all",
    "No results",
    "View",
    "more",
    "Press Enter",
    "dd/mm/yyyy",
    "DD/MM/YYYY",
    "YYYY/MM/DD",
    "Download",
    "Download as CSV",
    "Search",
    "Fullscreen",
    "Show data",
    "Clear all",
    "Clear",
    "Deploy",
    "Running",
    "Stop",
    "None",
    "NaN",
    "True",
    "False",
    "Browse files",
    "Drag and drop",
    "Open",
    "Close",
    "Help for",
    "Remove",
    "Skip to main content",
    "Main menu",
    "Collapse sidebar",
    "Expand sidebar",
    "Show/hide columns",
    "Copy Vega-Lite spec",
    "Show password",
    "Choose date",
    "Increment",
    "Decrement",
    "dd",
    "yyyy",
    "day",
    "month",
    "year",
    "hour",
    "per file",
    "Upload",
    "file upload",
    "Vega visualization",
    "X-axis",
    "Y-axis",
]
PATTERN = re.compile(r"(?<![\w/])(" + "|".join(map(re.escape, ENGLISH)) + r")(?![\w/])")

#: A number with a decimal point (`12.5`) where a French reader expects `12,5`.
DECIMAL_POINT = re.compile(r"(?<![\w.,/:])\d+\.\d+(?![\w.,/:])")

#: The visible text, then the words elements show as placeholder or tooltip, or say aloud.
SHOWN = """() => [
    document.body.innerText,
    ...Array.from(
        document.querySelectorAll("[placeholder], [aria-label], [title]"),
        (e) => [e.placeholder, e.getAttribute("aria-label"), e.title].filter(Boolean).join("\\n"),
    ),
].join("\\n")"""


def menu(role: Role) -> list[tuple[str, str]]:
    """The (url path, title) of each page of the role's menu, the set-up assistant aside.

    The demo habitat is set up, so the assistant is not in the animator's menu.
    """
    return [
        (screen.value, title)
        for screen, _, title, _ in PAGES
        if screen in READ[role] and screen is not Screen.SETUP
    ]


def english_in(text: str) -> list[str]:
    """Each English word found, with a little of what surrounds it."""
    return _around(PATTERN, text)


def decimal_points_in(text: str) -> list[str]:
    """Each number written with a decimal point, with a little of what surrounds it."""
    return _around(DECIMAL_POINT, text)


def _around(pattern: re.Pattern, text: str) -> list[str]:
    return [
        text[max(0, m.start() - 30) : m.end() + 30].replace("\n", " ⏎ ")
        for m in pattern.finditer(text)
    ]


def test_english_in_finds_whole_words_only():
    assert english_in("Choose options") == ["Choose options"]
    assert english_in("View 3 more") == ["View 3 more", "View 3 more"]
    assert english_in("Clearance, Reviewed, encore, Stopper, 01/12/2026") == []
    assert english_in("JJ/MM/AAAA") == []
    assert decimal_points_in("12.5 h") == ["12.5 h"]
    assert decimal_points_in("12,5 h, 01/12/2026, 7h30, v1.2.3, 10:30.5") == []


def test_the_sign_in_page_is_in_french(server, page):
    """Must not happen: English on the page everyone sees first."""
    page.goto(server.url)
    page.get_by_role("button", name="Se connecter").wait_for()
    settle(page)
    assert page.evaluate("document.documentElement.lang") == "fr"
    shown = page.evaluate(SHOWN)
    assert english_in(shown) + decimal_points_in(shown) == []


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_every_page_of_the_role_is_in_french(server, page, role):
    """Must not happen: English Streamlit draws, `12.5` for 12,5, or a page not declared French."""
    sign_in(page, server, role.value)
    found: dict[str, list[str]] = {}
    for number, (path, title) in enumerate(menu(role)):
        if number:
            open_page(page, path, title)
        else:  # the first page of the menu opens on signing in, at the app's root
            page.get_by_role("heading", name=title, exact=True).wait_for()
            settle(page)
        assert page.evaluate("document.documentElement.lang") == "fr", path
        shown = page.evaluate(SHOWN)
        if english := english_in(shown):
            found[path] = english
        if points := decimal_points_in(shown):
            found[f"{path} (decimal point)"] = points
    assert found == {}

"""A tablet and a phone: every page of the animator fits the width, the phone's menu closes.

An animator works on a tablet (1024x768) and glances at a phone (390x844): no page
may need scrolling sideways (tables scroll inside themselves, the page does not),
and on a phone the menu folds away once a page is chosen.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from habitat.services.access import Role

from .conftest import sign_in
from .test_french import menu
from .test_journeys import settle

#: How much wider than the window the page may be (a scrollbar's rounding).
SLACK_PX = 2

WIDER_THAN_WINDOW = """() => {
    const page = document.documentElement;
    return page.scrollWidth - window.innerWidth;
}"""


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (390, 844)], ids=["tablet", "phone"])
def test_no_page_of_the_animator_scrolls_sideways(server, page, width, height):
    """Must not happen: a page wider than the tablet or the phone it is read on."""
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, server, Role.ANIMATOR.value)
    too_wide = {}
    for number, (path, title) in enumerate(menu(Role.ANIMATOR)):
        if number:
            _open(page, path)
        page.get_by_role("heading", name=title, exact=True).wait_for()
        settle(page)
        extra = page.evaluate(WIDER_THAN_WINDOW)
        if extra > SLACK_PX:
            too_wide[path] = extra
    assert too_wide == {}


def _open(page, path: str) -> None:
    """Choose a page from the menu, unfolding it first where the window folds it."""
    link = page.locator(f'[data-testid="stSidebarNavLink"][href$="/{path}"]')
    for attempt in range(3):  # the menu may be sliding in or out: try again once it stops
        if not _in_view(link):
            page.locator('[data-testid="stExpandSidebarButton"]').click()
            page.wait_for_function(IN_VIEW, arg=link.element_handle())
        try:
            link.click(timeout=5_000)
            return
        except PlaywrightTimeout:
            if attempt == 2:
                raise


#: Whether an element lies within the window's width (a folded menu slides out of it).
IN_VIEW = """(el) => {
    const box = el.getBoundingClientRect();
    return box.right > 0 && box.left < window.innerWidth && box.width > 0;
}"""


def _in_view(locator) -> bool:
    return locator.evaluate(IN_VIEW)


def test_on_a_phone_the_menu_closes_after_a_page_is_chosen(server, page):
    """Must not happen: the menu left over the page the animator just chose."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, server, Role.ANIMATOR.value)
    page.get_by_role("heading", name="Tableau de bord", exact=True).wait_for()
    settle(page)
    _open(page, "tensions")
    page.get_by_role("heading", name="Tensions", exact=True).wait_for()
    settle(page)
    link = page.locator('[data-testid="stSidebarNavLink"][href$="/tensions"]')
    page.wait_for_timeout(1000)  # the menu slides away: let it finish
    assert not _in_view(link)

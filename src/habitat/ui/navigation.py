"""The menu: the pages a role may open, in the animator's order of the day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from habitat.services.access import Screen, User, can_read

PAGES_DIR = Path(__file__).resolve().parent / "pages"

#: Screen, page file, French title, icon; in menu order.
PAGES: list[tuple[Screen, str, str, str]] = [
    (Screen.SETUP, "setup.py", "Mise en place", ":material/rocket_launch:"),
    (Screen.DASHBOARD, "dashboard.py", "Tableau de bord", ":material/dashboard:"),
    (Screen.RESIDENTS, "residents.py", "Habitants", ":material/group:"),
    (Screen.CARERS, "carers.py", "Proches", ":material/family_restroom:"),
    (Screen.PROVIDERS, "providers.py", "Intervenants", ":material/medical_services:"),
    (Screen.COLLECTIVE, "collective.py", "Vie collective", ":material/celebration:"),
    (Screen.NOTEBOOK, "notebook.py", "Cahier de liaison", ":material/menu_book:"),
    (Screen.TENSIONS, "tensions.py", "Tensions", ":material/warning:"),
    (Screen.COUNCIL, "council.py", "Conseil des habitants", ":material/how_to_vote:"),
    (Screen.TIME, "time_avp.py", "Temps et AVP", ":material/schedule:"),
    (Screen.WHAT_IF, "what_if.py", "Et si… pour mon habitat", ":material/science:"),
    (Screen.TWIN, "twin.py", "Le modèle de mon habitat", ":material/model_training:"),
    (Screen.EXPLORER, "explorer.py", "Explorer un projet", ":material/explore:"),
    (Screen.SETTINGS, "settings.py", "Paramètres de l'habitat", ":material/home_work:"),
    (Screen.IMPORT, "import_data.py", "Importer des données", ":material/upload_file:"),
    (Screen.ADMIN, "admin.py", "Administration", ":material/admin_panel_settings:"),
    (Screen.ACCOUNT, "account.py", "Mon compte", ":material/person:"),
]


#: The sign-in page's url path.
SIGN_IN = "connexion"


def page_file(screen: Screen) -> Path:
    """The file of a screen's page."""
    return PAGES_DIR / next(name for s, name, _, _ in PAGES if s is screen)


def pages_for(user: User, *, setting_up: bool = False) -> list[st.Page]:
    """The pages of the user's menu (each page checks the role again itself).

    Args:
        user: the signed-in user.
        setting_up: the habitat's set-up is not finished: the animator's menu opens
            on the set-up assistant (it leaves the menu once every step is saved).
    """
    return [
        st.Page(
            PAGES_DIR / name,
            title=title,
            icon=icon,
            url_path=screen.value,
            default=screen is Screen.SETUP,
        )
        for screen, name, title, icon in PAGES
        if _in_menu(user, screen, setting_up)
    ]


def _in_menu(user: User, screen: Screen, setting_up: bool) -> bool:
    return can_read(user, screen) and (screen is not Screen.SETUP or setting_up)


def signed_out_pages(sign_in: Callable[[], None]) -> list[st.Page]:
    """Before signing in: the sign-in page, at its own address and at every page's.

    A bookmarked or reloaded address (`/tensions`) shows the sign-in form, not
    Streamlit's English "Page not found", and stays in the address bar: once
    signed in, the same address is the page itself (a page is known by its path).
    """
    return [
        st.Page(sign_in, title="Connexion", url_path=SIGN_IN, default=True),
        *(
            st.Page(sign_in, title="Connexion", url_path=screen.value, visibility="hidden")
            for screen, _, _, _ in PAGES
        ),
    ]


def unavailable_pages(user: User, *, setting_up: bool = False) -> list[st.Page]:
    """Signed in: every page's address outside the menu, each saying so in French.

    An address the role may not open (a colleague's link, an old bookmark) or the
    set-up assistant once finished shows a French sentence and the way back,
    instead of Streamlit's English "Page not found". (The sign-in page's address is
    left out: the rerun that follows signing in there opens the menu's first page.)
    """
    return [
        st.Page(_unavailable, title=title, url_path=screen.value, visibility="hidden")
        for screen, _, title, _ in PAGES
        if not _in_menu(user, screen, setting_up)
    ]


def _unavailable() -> None:
    st.title("Page non disponible")
    st.info(
        "Cette page n'est pas ouverte à votre compte, ou plus utile ici. "
        "Choisissez une page dans le menu."
    )


def link(screen: Screen, label: str, icon: str | None = None) -> None:
    """A link to another page of the menu.

    A page run on its own (not through the menu, as a page's AppTest runs it) has
    no other page registered: the link is then a plain one to the page's address.
    """
    try:
        st.page_link(str(page_file(screen)), label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{label}](/{screen.value})")


def go(screen: Screen) -> None:
    """Open another page of the menu now (its session state set before, if need be).

    A page run on its own (as a page's AppTest runs it) cannot switch: it then shows
    a link to the page's address instead.
    """
    try:
        st.switch_page(str(page_file(screen)))
    except StreamlitPageNotFoundError:
        st.markdown(f"[Ouvrir la page](/{screen.value})")

"""Every page for every role: renders without exception, or is refused on the server."""

from __future__ import annotations

import pytest

from habitat.services.access import READ, Screen
from habitat.store.entities import Role

from .conftest import texts

CASES = [(screen, role) for screen in Screen for role in Role]


@pytest.mark.parametrize(("screen", "role"), CASES, ids=[f"{s}-{r}" for s, r in CASES])
def test_every_page_for_every_role(page_as, screen, role):
    app = page_as(screen, role)
    assert not app.exception, app.exception
    shown = texts(app)
    if screen in READ[role]:
        assert "Votre rôle ne donne pas accès" not in shown
        assert app.title, "the page shows its title"
    else:
        assert "Votre rôle ne donne pas accès à cette page." in shown
        assert not app.title, "a refused page shows nothing of its content"
        assert not app.dataframe


@pytest.mark.parametrize("role", list(Role))
def test_menu_lists_only_the_role_pages(app_as, role):
    app = app_as(role)
    assert not app.exception
    # The app ran the role's first page: its title is one of the allowed screens.
    assert app.title


def test_signed_out_visitor_sees_only_the_login(demo_db):
    from streamlit.testing.v1 import AppTest

    from .conftest import APP, TIMEOUT

    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not app.exception
    assert [t.value for t in app.title] == ["Habitat inclusif"]
    assert app.text_input(key="login.username")
    assert not app.dataframe

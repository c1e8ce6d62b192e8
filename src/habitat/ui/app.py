"""The habitat's management tool: sign in, then the pages the role may open.

Shipped in the package: `habitat serve` runs this file (`make run`, or
`streamlit run app.py` in a checkout, whose app.py runs it too); the database is
`$HABITAT_DB` or `data/habitat.db`.
"""

import streamlit as st

from habitat.services import setup
from habitat.services.access import ROLE_FR
from habitat.ui import login, navigation, session
from habitat.ui.screens.setup import FINISHED

st.set_page_config(page_title="Habitat inclusif", page_icon="🏡", layout="wide")

if not session.db_path().exists():
    st.error(
        f"Base de données introuvable ({session.db_path()}) : créez-la avec "
        "`habitat db init` puis `habitat users add`, ou `habitat db demo` pour une démonstration."
    )
    st.stop()

with session.database() as db:
    user = session.signed_in_user(db)
    # The animator lands on the set-up assistant until every step is saved (and, in
    # the session that finished it, stays there to read what comes next).
    setting_up = (
        user is not None
        and user.is_animator
        and (st.session_state.get(FINISHED) or not setup.progress(db).complete)
    )


def sign_in_page() -> None:
    """The only page before signing in."""
    with session.database() as db:
        login.render(db)


# A signed-in page hands its new session to the browser's cookie; a signed-out one
# clears it.
session.hand_over_cookie()

if user is None:
    st.navigation(navigation.signed_out_pages(sign_in_page)).run()
    st.stop()

with st.sidebar:
    st.caption(f"{user.display_name} · {ROLE_FR[user.role]}")
    if st.button("Se déconnecter", key="app.sign_out", icon=":material/logout:"):
        with session.database() as db:
            session.sign_out(db, user)
        st.rerun()
menu = navigation.pages_for(user, setting_up=setting_up)
hidden = navigation.unavailable_pages(user, setting_up=setting_up)
# Expanded: every page in the menu, no folded "View N more" (English) below the tenth.
st.navigation([*menu, *hidden], expanded=True).run()

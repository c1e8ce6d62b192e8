"""The frame every page runs in: who is signed in, may they see this, and the database.

A page file ends with `shell.page(Screen.X, render)`. The shell re-reads the
signed-in account, refuses the screen if the role may not open it (on the
server: the menu only hides what this refuses anyway), opens the database for
the rerun and hands `render` a `Context`. Refusals and store errors are shown in
French, never as a traceback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import sqlite_utils
import streamlit as st

from habitat import store
from habitat.clock import today
from habitat.services.access import (
    HABITAT_FREE,
    NO_HABITAT_YET,
    Forbidden,
    Screen,
    User,
    require,
)
from habitat.store.entities import Habitat
from habitat.ui import navigation, session


@dataclass
class Context:
    """What a page works with during one rerun."""

    user: User
    db: sqlite_utils.Database
    habitat: Habitat | None  # None only on screens that show no habitat (`HABITAT_FREE`)
    today: date

    @property
    def current_habitat(self) -> Habitat:
        """The habitat the page shows (every screen outside `HABITAT_FREE` has one).

        Raises:
            RuntimeError: asked on a screen that shows no habitat.
        """
        if self.habitat is None:
            raise RuntimeError("this screen shows no habitat (it is in HABITAT_FREE)")
        return self.habitat

    @property
    def habitat_id(self) -> int:
        """The id of the habitat the page shows (see `current_habitat`)."""
        return self.current_habitat.stored_id


def page(screen: Screen, render: Callable[[Context], None]) -> None:
    """Run a page: check the user may open `screen`, then call `render`."""
    try:
        with session.database() as db:
            user = session.signed_in_user(db)
            if user is None:
                st.warning("Votre session a expiré ou vous n'êtes pas connecté·e.")
                st.stop()
            require(user, screen)
            if user.habitat_id is None and screen not in HABITAT_FREE:
                if user.is_animator:
                    st.info("Aucun habitat n'est encore enregistré dans cette base.")
                    navigation.link(
                        Screen.SETUP,
                        "Mettre l'habitat en place",
                        ":material/arrow_forward:",
                    )
                else:
                    st.info(NO_HABITAT_YET)
                st.stop()
            habitat = store.get(db, Habitat, user.habitat_id) if user.habitat_id else None
            render(Context(user, db, habitat, today()))
    except Forbidden as refusal:
        st.error(refusal.message_fr, icon="🔒")
    except FileNotFoundError:
        st.error("La base de données de l'habitat est introuvable.")
    except store.NotFound as missing:
        st.error(missing.message_fr)

"""The sign-in screen."""

from __future__ import annotations

import sqlite_utils
import streamlit as st

from habitat.services.auth import SignInRefused, authenticate
from habitat.ui import session


def render(db: sqlite_utils.Database) -> None:
    """Ask for a username and password; sign in or say why not."""
    st.title("Habitat inclusif")
    st.subheader("Connexion")
    if st.session_state.pop(session.EXPIRED, False):
        st.info("Votre session a expiré : reconnectez-vous.")
    with st.form("login", enter_to_submit=True):
        username = st.text_input("Identifiant", key="login.username", autocomplete="username")
        password = st.text_input(
            "Mot de passe", type="password", key="login.password", autocomplete="current-password"
        )
        submitted = st.form_submit_button("Se connecter", type="primary")
    if submitted:
        try:
            user = authenticate(db, username, password)
        except SignInRefused as refusal:
            st.error(refusal.message_fr, icon="🔒")
        else:
            session.sign_in(db, user)
            st.rerun()

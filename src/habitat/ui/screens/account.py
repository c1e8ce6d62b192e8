"""Mon compte: who I am signed in as, and changing my password."""

from __future__ import annotations

import streamlit as st

from habitat import store
from habitat.services.access import ROLE_FR, Forbidden
from habitat.services.auth import PASSWORD_MIN, SignInRefused, authenticate, set_password
from habitat.store.entities import Account
from habitat.ui import forms, session, shell

FORM = "account.password"


def render(ctx: shell.Context) -> None:
    """The account screen."""
    forms.show_flash()
    st.title("Mon compte")
    st.write(f"**{ctx.user.display_name}** ({ctx.user.username}) · {ROLE_FR[ctx.user.role]}")
    st.subheader("Changer mon mot de passe")
    forms.status(FORM, ["current", "password"])
    with st.form(FORM):
        current = st.text_input("Mot de passe actuel", type="password", key=f"{FORM}.current")
        forms.field_error(FORM, "current")
        new = st.text_input(
            "Nouveau mot de passe",
            type="password",
            key=f"{FORM}.password",
            help=f"Au moins {PASSWORD_MIN} caractères ; une phrase facile à retenir convient.",
        )
        forms.field_error(FORM, "password")
        again = st.text_input("Confirmer", type="password", key=f"{FORM}.again")
        forms.field_error(FORM, "again")
        if st.form_submit_button("Enregistrer", type="primary"):
            forms.submit(FORM, lambda: _change(ctx, current, new, again), "Mot de passe changé.")


def _change(ctx: shell.Context, current: str, new: str, again: str) -> None:
    try:
        authenticate(ctx.db, ctx.user.username, current)
    except SignInRefused:
        raise store.InvalidRecord.one(
            "compte", "current", "wrong password", "mot de passe incorrect"
        ) from None
    if new != again:
        raise store.InvalidRecord.one(
            "compte", "again", "does not match", "ne correspond pas au nouveau mot de passe"
        )
    account = store.get(ctx.db, Account, ctx.user.account_id)
    if account.id != ctx.user.account_id:  # pragma: no cover - defensive
        raise Forbidden("other account", "Compte d'un autre utilisateur.")
    # Signed out everywhere else; this session goes on.
    keep = st.session_state.get(session.WEB_SESSION)
    set_password(ctx.db, ctx.user.actor, account.id, account.version, new, keep_session=keep)

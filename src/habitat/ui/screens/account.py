"""Mon compte: who I am signed in as, changing my password, my calendar (.ics)."""

from __future__ import annotations

import streamlit as st

from habitat import store
from habitat.services import documents
from habitat.services.access import ROLE_FR, Forbidden
from habitat.services.auth import PASSWORD_MIN, SignInRefused, authenticate, set_password
from habitat.store.entities import Account, Role
from habitat.ui import downloads, forms, session, shell

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
    calendar_section(ctx)


#: How to put the calendar on a phone, in one sentence.
PHONE_HELP = (
    "Sur un téléphone, ouvrez le fichier téléchargé (ou envoyez-le-vous par courriel) :"
    " l'application Agenda propose de l'ajouter ; importer plus tard un fichier plus récent"
    " met les évènements à jour sans les doubler."
)


def calendar_section(ctx: shell.Context) -> None:
    """Mon calendrier: the role's calendar as an .ics file, prepared then downloaded."""
    if ctx.user.role is Role.PROMOTER:
        return  # a project promoter is tied to no habitat: no calendar
    st.subheader("Mon calendrier")
    what = (
        "Vos interventions prévues"
        if ctx.user.role is Role.PROVIDER
        else "Les activités, les réservations des espaces communs et le planning de présence,"
        " avec ce qui vous concerne"
    )
    weeks = documents.CALENDAR_DAYS_BACK // 7
    st.caption(f"{what}, des {weeks} dernières semaines aux 6 prochains mois.")
    downloads.offer(
        f"account.calendar.{ctx.user.account_id}",
        "mon calendrier (.ics)",
        lambda: documents.calendar(ctx.db, ctx.user, ctx.user.habitat_id),
    )
    st.caption(PHONE_HELP)


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

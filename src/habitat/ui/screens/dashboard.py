"""Tableau de bord: today and this week at a glance, with what needs attention."""

from __future__ import annotations

import streamlit as st

from habitat.services import reads
from habitat.services.access import Screen, can_read
from habitat.store import queries
from habitat.store.entities import Severity
from habitat.ui import fmt, forms, navigation, shell, tables
from habitat.ui.labels import fr
from habitat.ui.screens import resident_documents, residents

_AGES = {"week": "moins de 7 jours", "month": "8 à 30 jours", "older": "plus de 30 jours"}


#: Where each alert is dealt with, as the button says it.
_WHERE = {
    "residents": "Ouvrir la fiche",
    "carers": "Ajouter un proche",
    "providers": "Voir les interventions",
    "settings": "Compléter le planning",
    "time": "Voir le temps",
}


def _open(alert: queries.Alert) -> None:
    """Go where the alert is dealt with, the resident's file chosen when it names one."""
    if alert.resident_id is not None:
        st.session_state[residents.SELECTED] = alert.resident_id
    navigation.go(Screen(alert.screen))


def _alerts(ctx: shell.Context, alerts: list[queries.Alert]) -> None:
    """Each alert: overdue first, what it is about, and a button to where it is dealt with."""
    late = sum(a.overdue for a in alerts)
    st.subheader(f"Alertes ({len(alerts)}" + (f", dont {late} en retard)" if late else ")"))
    if not alerts:
        st.success("Rien à signaler.")
        return
    ordered = sorted(alerts, key=lambda a: not a.overdue)
    for i, alert in enumerate(ordered):
        text, action = st.columns([5, 1], vertical_alignment="center")
        badge = "🔴 **En retard** · " if alert.overdue else "🟠 "
        text.markdown(badge + fmt.plain(alert.message_fr))
        screen = Screen(alert.screen)
        if can_read(ctx.user, screen) and action.button(
            _WHERE.get(alert.screen, "Ouvrir"), key=f"dashboard.alert.{i}"
        ):
            _open(alert)


def _hospital_sheet(ctx: shell.Context, names: dict[int, str]) -> None:
    """The hospital liaison sheet of a present resident, for a departure in a hurry."""
    if not names:
        return
    with st.expander("Fiche de liaison hôpital", icon=":material/local_hospital:"):
        chosen = st.selectbox(
            "Habitant",
            list(names),
            format_func=lambda rid: names[rid],
            key="dashboard.liaison.resident",
        )
        resident_documents.offer(ctx, chosen, "hospital_sheet", "dashboard.liaison")


def render(ctx: shell.Context) -> None:
    """The dashboard screen."""
    board = reads.dashboard(ctx.db, ctx.user, ctx.habitat_id, ctx.today)
    names = {r.stored_id: f"{r.first_name} {r.last_name}" for r in board.residents}
    forms.show_flash()
    st.title("Tableau de bord")
    st.caption(f"{ctx.current_habitat.name} · {fmt.fr_long_date(ctx.today)}")

    used, planned = board.avp_hours_used, board.avp_hours_planned
    open_total = sum(board.open_tension_counts.values())
    a, b, c, d = st.columns(4)
    a.metric("Habitants présents", len(board.residents), help="Résidant dans l'habitat ce jour")
    b.metric("Trous de présence (7 j)", fmt.hours(sum(g.hours for g in board.gaps_week)))
    c.metric("Tensions ouvertes", open_total)
    d.metric(
        "Temps AVP utilisé",
        f"{used / planned:.0%}" if planned else "—",
        help=f"{fmt.hours(used)} sur {fmt.hours(planned)} prévues depuis le début de l'année",
    )

    _alerts(ctx, board.alerts)
    _hospital_sheet(ctx, names)

    left, right = st.columns(2)
    with left:
        st.subheader("Présence aujourd'hui")
        if board.shifts_today:
            tables.show(
                {
                    "Qui": [s.person for s in board.shifts_today],
                    "Rôle": [fr(s.role) for s in board.shifts_today],
                    "De": [fmt.fr_datetime(s.starts_at) for s in board.shifts_today],
                    "À": [fmt.fr_datetime(s.ends_at) for s in board.shifts_today],
                }
            )
        else:
            st.info("Personne n'est inscrit au planning de présence aujourd'hui.")
        if board.gaps_week:
            st.markdown("**Trous du planning cette semaine**")
            tables.show(
                {
                    "De": [fmt.fr_datetime(g.starts_at) for g in board.gaps_week],
                    "À": [fmt.fr_datetime(g.ends_at) for g in board.gaps_week],
                    "Durée": [fmt.hours(g.hours) for g in board.gaps_week],
                }
            )
        st.subheader("Interventions prévues aujourd'hui")
        if board.visits_today:
            tables.show(
                {
                    "Habitant": [names.get(v.resident_id, "—") for v in board.visits_today],
                    "Intervenant": [v.provider for v in board.visits_today],
                    "Choisi par": [fr(v.arrangement) for v in board.visits_today],
                    "De": [fmt.fr_time(v.start_time) for v in board.visits_today],
                    "À": [fmt.fr_time(v.end_time) for v in board.visits_today],
                    "Tâche": [v.task or "" for v in board.visits_today],
                }
            )
        else:
            st.info("Aucune intervention prévue aujourd'hui.")
    with right:
        st.subheader("Activités de la semaine")
        if board.activities_week:
            tables.show(
                {
                    "Quand": [fmt.fr_datetime(a.starts_at) for a in board.activities_week],
                    "Activité": [a.title for a in board.activities_week],
                    "Type": [fr(a.category) for a in board.activities_week],
                    "Lieu": [fr(a.place) for a in board.activities_week],
                }
            )
        else:
            st.info("Aucune activité prévue cette semaine.")
        st.subheader("Tensions ouvertes")
        counts = board.open_tension_counts
        if counts:
            severities = list(reversed(Severity))
            tables.show(
                {"Gravité": [fr(s) for s in severities]}
                | {
                    label: [counts.get((s.value, age), 0) for s in severities]
                    for age, label in _AGES.items()
                }
            )
            tables.show(
                {
                    "Depuis (jours)": [age for _, age in board.open_tensions],
                    "Gravité": [fr(t.severity) for t, _ in board.open_tensions],
                    "Type": [fr(t.kind) for t, _ in board.open_tensions],
                    "Description": [t.description[:120] for t, _ in board.open_tensions],
                }
            )
        else:
            st.success("Aucune tension ouverte.")

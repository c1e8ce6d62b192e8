"""Conseil des habitants: meetings (agenda, minutes, attendees), decisions and their follow-up."""

from __future__ import annotations

import streamlit as st

from habitat.services import collective, documents, reads, records
from habitat.services.access import may_write
from habitat.store.entities import CouncilDecision, CouncilMeeting, DecisionStatus, Resident
from habitat.store.queries_collective import OpenDecision
from habitat.ui import downloads, fmt, forms, shell, tables
from habitat.ui.labels import fmt as enum_fmt
from habitat.ui.labels import fr, options

NEW_MEETING = "meeting.new"
NEW_DECISION = "decision.new"
MINUTES = "council.minutes"
#: The meetings list goes back this many meetings (five years of monthly councils).
MEETINGS_SHOWN = 60
OVERDUE = "⚠️ en retard"
MEETING_FIELDS = ("held_on", "agenda", "minutes", "others_present", "attendee_ids")
DECISION_FIELDS = ("text", "owner", "due_on", "status", "follow_up", "done_on")


def render(ctx: shell.Context) -> None:
    """The residents' council screen."""
    forms.show_flash()
    st.title("Conseil des habitants")
    follow_up, meetings = st.tabs(["Suivi des décisions", "Réunions"])
    with follow_up:
        _follow_up(ctx)
    with meetings:
        _meetings(ctx)


def _optional(text: str | None) -> str | None:
    return text if text and text.strip() else None


# --- Follow-up of decisions ----------------------------------------------------------


def _follow_up(ctx: shell.Context) -> None:
    pending = reads.open_decisions(ctx.db, ctx.user, ctx.habitat_id)
    if not pending:
        st.success("Toutes les décisions du conseil sont faites ou abandonnées.")
        return
    days_late = [_days_late(p.decision, ctx) for p in pending]
    late = [p for p, days in zip(pending, days_late, strict=True) if days]
    a, b = st.columns(2)
    a.metric("Décisions à suivre", len(pending))
    b.metric("En retard", len(late))
    if late:
        st.warning(
            f"{len(late)} décision(s) ont dépassé leur échéance.",
            icon="⚠️",
        )
    # The overdue are flagged in their own column (a Styler highlight costs ~20 ms a rerun).
    tables.show(
        {
            "Échéance": [fmt.fr_date(p.decision.due_on) for p in pending],
            "Retard": [f"{OVERDUE} ({days} j)" if days else "" for days in days_late],
            "Décision": [p.decision.text for p in pending],
            "Responsable": [p.decision.owner or "" for p in pending],
            "Statut": [fr(p.decision.status) for p in pending],
            "Suivi": [p.decision.follow_up or "" for p in pending],
            "Conseil du": [fmt.fr_date(p.held_on) for p in pending],
        }
    )
    if may_write(ctx.user, CouncilDecision.table):
        st.subheader("Mettre à jour une décision")
        by_id = {p.decision.stored_id: p for p in pending}
        chosen = st.selectbox(
            "Décision",
            list(by_id),
            format_func=lambda i: _decision_title(by_id[i]),
            key="council.follow_up.decision",
            placeholder="Choisir…",
        )
        _decision_form(ctx, by_id[chosen].decision)


def _days_late(decision: CouncilDecision, ctx: shell.Context) -> int:
    """Days since the decision fell due (0: not due yet, or no due date)."""
    if decision.due_on is None or decision.due_on >= ctx.today:
        return 0
    return (ctx.today - decision.due_on).days


def _decision_title(line: OpenDecision) -> str:
    text = line.decision.text
    short = text if len(text) <= 80 else text[:79] + "…"
    return f"{short} (conseil du {fmt.fr_date(line.held_on)})"


def _decision_form(ctx: shell.Context, decision: CouncilDecision) -> None:
    form = f"decision.{decision.id}"
    version = forms.opened_version(form, decision)
    forms.status(form, DECISION_FIELDS)
    with st.form(form):
        statuses = options(DecisionStatus)
        status = st.segmented_control(
            forms.label("status"),
            statuses,
            default=decision.status.value,
            format_func=enum_fmt(DecisionStatus),
            key=f"{form}.status",
        )
        forms.field_error(form, "status")
        follow_up = st.text_area(
            forms.label("follow_up"), value=decision.follow_up or "", key=f"{form}.follow_up"
        )
        forms.field_error(form, "follow_up")
        left, middle, right = st.columns(3)
        owner = left.text_input(
            forms.label("owner"), value=decision.owner or "", key=f"{form}.owner"
        )
        due_on = middle.date_input(
            forms.label("due_on"), value=decision.due_on, format="DD/MM/YYYY", key=f"{form}.due_on"
        )
        done_on = right.date_input(
            forms.label("done_on"),
            value=decision.done_on,
            format="DD/MM/YYYY",
            key=f"{form}.done_on",
            help="Laissé vide, une décision faite l'est aujourd'hui.",
        )
        forms.field_error(form, "owner")
        forms.field_error(form, "due_on")
        forms.field_error(form, "done_on")
        if st.form_submit_button("Enregistrer le suivi", type="primary"):
            changes = {
                "follow_up": _optional(follow_up),
                "owner": _optional(owner),
                "due_on": due_on,
                **collective.decision_follow_up(status or decision.status, done_on, ctx.today),
            }
            forms.submit(
                form,
                lambda: records.update(
                    ctx.db, ctx.user, CouncilDecision, decision.stored_id, version, changes
                ),
                "Suivi de la décision enregistré.",
            )


# --- Meetings ------------------------------------------------------------------------


def _meetings(ctx: shell.Context) -> None:
    writer = may_write(ctx.user, CouncilMeeting.table)
    meetings = reads.council_meetings(ctx.db, ctx.user, ctx.habitat_id, MEETINGS_SHOWN)
    if writer:
        with st.expander(
            "Nouvelle réunion", expanded=bool(st.session_state.get(f"{NEW_MEETING}:errors"))
        ):
            _meeting_form(ctx, NEW_MEETING, None)
    if not meetings:
        st.info("Aucune réunion du conseil n'est encore enregistrée.")
        return
    by_id = {m.stored_id: m for m in meetings}
    ids = list(by_id)  # typed here, not by Streamlit's `Sequence[Never]` overload
    held = [m.stored_id for m in meetings if m.held_on <= ctx.today]
    chosen = st.selectbox(
        "Réunion",
        ids,
        index=ids.index(held[0]) if held else 0,
        format_func=lambda i: (
            f"Conseil du {fmt.fr_long_date(by_id[i].held_on)}"
            + (" (à venir)" if by_id[i].held_on > ctx.today else "")
        ),
        key="council.meeting",
        placeholder="Choisir…",
    )
    meeting = by_id[chosen]
    names = reads.residents_by_id(ctx.db, ctx.user, ctx.habitat_id, meeting.attendee_ids)
    _meeting_view(meeting, names)
    decisions = reads.meeting_decisions(ctx.db, ctx.user, ctx.habitat_id, meeting.stored_id)
    st.subheader("Décisions")
    if decisions:
        tables.show(
            {
                "Décision": [d.text for d in decisions],
                "Responsable": [d.owner or "" for d in decisions],
                "Échéance": [fmt.fr_date(d.due_on) for d in decisions],
                "Statut": [fr(d.status) for d in decisions],
                "Suivi": [d.follow_up or "" for d in decisions],
                "Réalisée le": [fmt.fr_date(d.done_on) for d in decisions],
            }
        )
    else:
        st.info("Aucune décision enregistrée pour cette réunion.")
    downloads.offer(
        MINUTES,
        "Compte rendu à afficher et signer (PDF)",
        lambda: documents.council_minutes(ctx.db, ctx.user, ctx.habitat_id, meeting.stored_id),
        subject=meeting.stored_id,
    )
    if writer:
        with st.expander("Ajouter une décision"):
            _new_decision_form(ctx, meeting)
        with st.expander("Modifier la réunion (compte rendu, présents)"):
            _meeting_form(ctx, f"meeting.{meeting.id}", meeting)


def _meeting_view(meeting: CouncilMeeting, names: dict[int, Resident]) -> None:
    st.markdown(f"**Conseil du {fmt.fr_long_date(meeting.held_on)}**")
    st.markdown("**Ordre du jour**")
    st.markdown(fmt.plain(meeting.agenda))
    st.markdown("**Compte rendu**")
    if meeting.minutes:
        st.markdown(fmt.plain(meeting.minutes))
    else:
        st.caption("Pas encore de compte rendu.")
    present = sorted(names[i].full_name for i in meeting.attendee_ids if i in names)
    st.markdown(
        f"**Habitants présents ({len(present)})** : "
        + (fmt.plain(", ".join(present)) if present else "aucun")
    )
    if meeting.others_present:
        st.markdown("**Autres présents** : " + fmt.plain(meeting.others_present))


def _attendee_choices(ctx: shell.Context, meeting: CouncilMeeting | None) -> dict[int, str]:
    residents = {
        r.stored_id: r for r in reads.current_residents(ctx.db, ctx.user, ctx.habitat_id, ctx.today)
    }
    if meeting is not None:
        residents |= reads.residents_by_id(ctx.db, ctx.user, ctx.habitat_id, meeting.attendee_ids)
    ordered = sorted(residents.values(), key=lambda r: (r.last_name, r.first_name))
    return {r.stored_id: r.full_name for r in ordered}


def _meeting_form(ctx: shell.Context, form: str, meeting: CouncilMeeting | None) -> None:
    version = forms.opened_version(form, meeting) if meeting else None
    choices = _attendee_choices(ctx, meeting)
    forms.status(form, MEETING_FIELDS)
    with st.form(form):
        held_on = st.date_input(
            forms.label("held_on"),
            value=meeting.held_on if meeting else ctx.today,
            format="DD/MM/YYYY",
            key=f"{form}.held_on",
        )
        forms.field_error(form, "held_on")
        agenda = st.text_area(
            forms.label("agenda"), value=meeting.agenda if meeting else "", key=f"{form}.agenda"
        )
        forms.field_error(form, "agenda")
        minutes = st.text_area(
            forms.label("minutes"),
            value=(meeting.minutes or "") if meeting else "",
            height=200,
            key=f"{form}.minutes",
        )
        forms.field_error(form, "minutes")
        attendee_ids = st.multiselect(
            forms.label("attendee_ids"),
            list(choices),
            default=[i for i in meeting.attendee_ids if i in choices] if meeting else [],
            format_func=lambda i: choices[i],
            key=f"{form}.attendee_ids",
            placeholder="Choisir…",
            select_all=False,
        )
        forms.field_error(form, "attendee_ids")
        others = st.text_input(
            forms.label("others_present"),
            value=(meeting.others_present or "") if meeting else "",
            key=f"{form}.others_present",
        )
        forms.field_error(form, "others_present")
        data = {
            "held_on": held_on,
            "agenda": agenda,
            "minutes": _optional(minutes),
            "others_present": _optional(others),
            "attendee_ids": attendee_ids,
        }
        if meeting is None:
            if st.form_submit_button("Créer la réunion", type="primary"):
                forms.submit(
                    form,
                    lambda: records.create(
                        ctx.db, ctx.user, CouncilMeeting, {"habitat_id": ctx.habitat_id, **data}
                    ),
                    "Réunion du conseil enregistrée.",
                )
        elif st.form_submit_button("Enregistrer la réunion", type="primary"):
            assert version is not None  # read with the meeting
            forms.submit(
                form,
                lambda: records.update(
                    ctx.db, ctx.user, CouncilMeeting, meeting.stored_id, version, data
                ),
                "Réunion enregistrée.",
            )


def _new_decision_form(ctx: shell.Context, meeting: CouncilMeeting) -> None:
    form = NEW_DECISION
    forms.status(form, DECISION_FIELDS)
    with st.form(form):
        text = st.text_area(forms.label("text"), key=f"{form}.text")
        forms.field_error(form, "text")
        left, middle, right = st.columns(3)
        owner = left.text_input(forms.label("owner"), key=f"{form}.owner")
        due_on = middle.date_input(
            forms.label("due_on"), value=None, format="DD/MM/YYYY", key=f"{form}.due_on"
        )
        status = right.selectbox(
            forms.label("status"),
            options(DecisionStatus),
            format_func=enum_fmt(DecisionStatus),
            key=f"{form}.status",
            placeholder="Choisir…",
        )
        forms.field_error(form, "owner")
        forms.field_error(form, "due_on")
        forms.field_error(form, "status")
        if st.form_submit_button("Ajouter la décision", type="primary"):
            data = {
                "meeting_id": meeting.id,
                "text": text,
                "owner": _optional(owner),
                "due_on": due_on,
                **collective.decision_follow_up(status, None, ctx.today),
            }
            forms.submit(
                form,
                lambda: records.create(ctx.db, ctx.user, CouncilDecision, data),
                "Décision ajoutée.",
            )

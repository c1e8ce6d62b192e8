"""A resident's file on screen: identity, support plan, collective life, notes, history."""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
import streamlit as st

from habitat.services import reads
from habitat.services.residents import (
    attendance_rate,
    changed_fields,
    file_parts,
    weekdays_fr,
)
from habitat.store.entities import RECORDS
from habitat.store.queries import ResidentFile
from habitat.ui import fmt, forms, tables
from habitat.ui.labels import fr
from habitat.ui.screens import resident_documents, resident_forms
from habitat.ui.shell import Context

#: Participation is summed over this many days, besides since the entry.
PARTICIPATION_DAYS = 365
#: The tab of the file on screen (only that tab's content is computed).
SECTION = "residents.section"

_ACTIONS = {
    "create": "création",
    "update": "modification",
    "archive": "archivage",
    "restore": "restauration",
    "erase": "effacement",
    "export": "export",
    "print": "impression",
}


def show(ctx: Context, resident_id: int, writer: bool) -> None:
    """A resident's file, in tabs; only the open tab is computed.

    Args:
        ctx: the rerun's context.
        resident_id: the resident (refused if outside the user's scope).
        writer: whether to show the animator's forms.
    """
    file = reads.resident_file(ctx.db, ctx.user, ctx.habitat_id, resident_id)
    parts = file_parts(ctx.user.role)
    st.divider()
    st.header(fmt.plain(file.resident.full_name))
    names = ["Identité", "Projet d'accompagnement", "Vie collective"]
    if parts.team_notes:
        names.append("Notes et tensions")
    if parts.history:
        names.append("Historique")
    if st.session_state.get(SECTION) not in names:
        st.session_state.pop(SECTION, None)
    tabs = dict(zip(names, st.tabs(names, key=SECTION, on_change="rerun"), strict=True))
    with tabs["Identité"]:
        if tabs["Identité"].open:
            _identity(ctx, file, parts.carers, writer)
            if writer:
                resident_documents.liaison_sheet_form(ctx, resident_id)
            resident_documents.documents_section(ctx, resident_id)
        else:
            resident_forms.forget(resident_id, *resident_forms.IDENTITY_FORMS)
    with tabs["Projet d'accompagnement"]:
        if tabs["Projet d'accompagnement"].open:
            _plan(ctx, file, parts.plan_details, writer)
        else:
            resident_forms.forget(resident_id, *resident_forms.PLAN_FORMS)
    with tabs["Vie collective"]:
        if tabs["Vie collective"].open:
            _participation(ctx, file)
    if parts.team_notes:
        with tabs["Notes et tensions"]:
            if tabs["Notes et tensions"].open:
                _notes_and_tensions(file)
    if parts.history:
        with tabs["Historique"]:
            if tabs["Historique"].open:
                _history(ctx, resident_id)


def _identity(ctx: Context, file: ResidentFile, show_carers: bool, writer: bool) -> None:
    r = file.resident
    lines = [
        f"**Pseudonyme** : {r.pseudonym}",
        f"**Année de naissance** : {r.birth_year or '—'}",
        f"**Public** : {fr(r.public)}",
        f"**GIR** : {r.gir or '—'} · **Besoin d'accompagnement** : {fr(r.support_level)}",
        f"**Logement** : {fmt.plain(r.dwelling) or '—'}",
        f"**Contact d'urgence** : {fmt.plain(r.emergency_contact) or '—'}",
        f"**Entrée le** {fmt.fr_date(r.entry_date)} (entrée {fr(r.entry_mode)})",
    ]
    if r.exit_date:
        lines.append(f"**Sortie le** {fmt.fr_date(r.exit_date)} ({fr(r.exit_reason)})")
    if r.archived_at:
        lines.append(f"**Fiche archivée le** {fmt.fr_datetime(r.archived_at)}")
    st.markdown("  \n".join(lines))
    if show_carers:
        st.subheader("Famille et proches")
        if file.carers:
            tables.frame(
                pd.DataFrame(
                    {
                        "Proche": [f"{c.first_name} {c.last_name}" for c in file.carers],
                        "Lien": [fr(c.relation) for c in file.carers],
                        "Téléphone": [c.phone or "" for c in file.carers],
                        "Courriel": [c.email or "" for c in file.carers],
                        "Heures/semaine": [c.usual_hours_per_week for c in file.carers],
                        "Consentement au partage": [
                            fmt.fr_date(c.consent_date) if c.consent_to_share else "non"
                            for c in file.carers
                        ],
                    }
                ),
                hide_index=True,
            )
        else:
            st.info("Aucun proche enregistré (voir la page Proches).")
        if not file.carers and not r.emergency_contact:
            st.warning("Ni proche ni contact d'urgence : à compléter.", icon="⚠️")
    if writer:
        resident_forms.edit_resident(ctx, r)


def _plan(ctx: Context, file: ResidentFile, details: bool, writer: bool) -> None:
    plan = file.plan
    if plan is None:
        st.info("Pas encore de projet d'accompagnement.")
        if writer:
            resident_forms.plan_form(ctx, file.resident.stored_id, None)
        return
    st.caption(
        f"Projet commencé le {fmt.fr_date(plan.started_on)} · "
        f"révision prévue le {fmt.fr_date(plan.review_due)}"
    )
    if plan.review_due and plan.review_due <= ctx.today:
        st.warning("La révision du projet est due.", icon="⚠️")
    if plan.preferences:
        st.markdown("**Préférences**")
        st.markdown(fmt.plain(plan.preferences))
    st.markdown("**Besoins**")
    if file.needs:
        needs = {
            "Domaine": [fr(n.domain) for n in file.needs],
            "Intensité": [fr(n.intensity) for n in file.needs],
        }
        if details:
            needs["Description"] = [n.description for n in file.needs]
        tables.frame(pd.DataFrame(needs), hide_index=True)
    else:
        st.caption("Aucun besoin enregistré.")
    st.markdown("**Interventions**")
    if file.interventions:
        provider = {i: p.name for i, p in file.providers.items()}
        tables.frame(
            pd.DataFrame(
                {
                    "Intervenant": [provider.get(i.provider_id, "—") for i in file.interventions],
                    "Jours": [weekdays_fr(i.weekdays) for i in file.interventions],
                    "De": [fmt.fr_time(i.start_time) for i in file.interventions],
                    "À": [fmt.fr_time(i.end_time) for i in file.interventions],
                    "Heures/semaine": [round(i.hours_per_week, 2) for i in file.interventions],
                    "Tâche": [i.task or "" for i in file.interventions],
                }
            ),
            hide_index=True,
        )
    else:
        st.caption("Aucune intervention enregistrée.")
    if details:
        st.markdown("**Choix convenus entre autonomie et sécurité**")
        if file.agreements:
            tables.frame(
                pd.DataFrame(
                    {
                        "Choix convenu": [a.what for a in file.agreements],
                        "Convenu avec": [", ".join(a.agreed_by) for a in file.agreements],
                        "Convenu le": [fmt.fr_date(a.agreed_on) for a in file.agreements],
                        "À revoir le": [fmt.fr_date(a.review_on) for a in file.agreements],
                    }
                ),
                hide_index=True,
            )
        else:
            st.caption("Aucun accord enregistré.")
        st.markdown("**Révisions**")
        if file.reviews:
            tables.frame(
                pd.DataFrame(
                    {
                        "Revu le": [fmt.fr_date(v.reviewed_on) for v in file.reviews],
                        "Revu par": [v.reviewed_by for v in file.reviews],
                        "Synthèse": [v.summary for v in file.reviews],
                    }
                ),
                hide_index=True,
            )
        else:
            st.caption("Aucune révision enregistrée.")
    if writer:
        resident_forms.plan_editor(ctx, file, plan)


def _participation(ctx: Context, file: ResidentFile) -> None:
    since = ctx.today - timedelta(days=PARTICIPATION_DAYS)
    recent = reads.resident_participation(
        ctx.db, ctx.user, ctx.habitat_id, file.resident.stored_id, since
    )
    st.subheader("Participation aux activités collectives")
    if not file.attendance:
        st.info("Aucune présence enregistrée aux activités.")
        return
    rate, overall = attendance_rate(recent), attendance_rate(file.attendance)
    a, b, c = st.columns(3)
    a.metric("Présent·e (12 mois)", recent.get("present", 0))
    b.metric("Taux de présence (12 mois)", f"{rate:.0%}" if rate is not None else "—")
    c.metric("Taux depuis l'entrée", f"{overall:.0%}" if overall is not None else "—")
    tables.frame(
        pd.DataFrame(
            {
                "Statut": ["présent", "absent", "excusé"],
                "12 derniers mois": [recent.get(s, 0) for s in ("present", "absent", "excused")],
                "Depuis l'entrée": [
                    file.attendance.get(s, 0) for s in ("present", "absent", "excused")
                ],
            }
        ),
        hide_index=True,
    )


def _notes_and_tensions(file: ResidentFile) -> None:
    st.subheader("Notes récentes du cahier de liaison")
    if file.notes:
        tables.frame(
            pd.DataFrame(
                {
                    "Écrit le": [fmt.fr_datetime(n.written_at) for n in file.notes],
                    "Auteur": [n.author for n in file.notes],
                    "Destinataires": [fr(n.audience) for n in file.notes],
                    "Note": [n.body for n in file.notes],
                }
            ),
            hide_index=True,
        )
    else:
        st.caption("Aucune note.")
    st.subheader("Tensions")
    if file.tensions:
        tables.frame(
            pd.DataFrame(
                {
                    "Survenue le": [fmt.fr_date(t.occurred_on) for t in file.tensions],
                    "Type": [fr(t.kind) for t in file.tensions],
                    "Gravité": [fr(t.severity) for t in file.tensions],
                    "Statut": [fr(t.status) for t in file.tensions],
                    "Description": [t.description for t in file.tensions],
                }
            ),
            hide_index=True,
        )
    else:
        st.caption("Aucune tension.")


def _when(stamp: str) -> str:
    return fmt.fr_datetime(datetime.fromisoformat(stamp).astimezone().replace(tzinfo=None))


def _printed(entry) -> str:
    """What a print entry produced: "document : fiche-liaison-hopital-H-....pdf"."""
    if entry.action != "print":
        return ""
    document = (entry.after or {}).get("document") if isinstance(entry.after, dict) else None
    return f"document : {document}" if document else "document imprimé"


def _history(ctx: Context, resident_id: int) -> None:
    entries = reads.file_history(ctx.db, ctx.user, ctx.habitat_id, resident_id)
    st.subheader("Historique de la fiche")
    if not entries:
        st.caption("Aucune modification enregistrée.")
        return
    st.caption(f"Les {len(entries)} dernières modifications, les plus récentes d'abord.")
    tables.frame(
        pd.DataFrame(
            {
                "Quand": [_when(e.at) for e in entries],
                "Qui": [e.actor for e in entries],
                "Quoi": [
                    RECORDS[e.entity].label_fr if e.entity in RECORDS else e.entity for e in entries
                ],
                "Action": [_ACTIONS.get(e.action, e.action) for e in entries],
                "Champs modifiés": [
                    ", ".join(forms.label(f) for f in changed_fields(e))
                    if e.action == "update"
                    else _printed(e)
                    for e in entries
                ],
            }
        ),
        hide_index=True,
    )

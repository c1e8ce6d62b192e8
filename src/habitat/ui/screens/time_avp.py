"""Temps et AVP: the animator's time by support function, the AVP budget, the yearly report."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from habitat.documents.render import RenderingUnavailableError
from habitat.domain import WEEKDAYS_FR, SupportFunction
from habitat.services import documents, reads, records, timesheet
from habitat.services.access import may_write
from habitat.store import queries_follow_up as follow_up
from habitat.store.entities import (
    ActivityCategory,
    PartnerKind,
    Partnership,
    ReportNarrative,
    TensionKind,
    TimeEntry,
)
from habitat.ui import charts, fields, fmt, forms, shell, tables
from habitat.ui.labels import fr, options

GRID = "time.week"
#: Entries listed for the chosen year (the most recent first).
ENTRIES_SHOWN = 100
_MONTHS: tuple[str, ...] = ("janv.", "févr.", "mars", "avr.", "mai", "juin")
_MONTHS += ("juil.", "août", "sept.", "oct.", "nov.", "déc.")


def render(ctx: shell.Context) -> None:
    """The time and AVP screen."""
    forms.show_flash()
    st.title("Temps et AVP")
    years = reads.time_years(ctx.db, ctx.user, ctx.habitat_id)
    if ctx.today.year not in years:
        years = sorted({ctx.today.year, *years}, reverse=True)
    year = st.selectbox("Année", years, key="time.year", placeholder="Choisir…")
    if may_write(ctx.user, TimeEntry.table):
        _week_grid(ctx)
    _budget(ctx, year)
    _time(ctx, year)
    _report(ctx, year)


def _budget(ctx: shell.Context, year: int) -> None:
    st.subheader("Budget AVP")
    budget = reads.avp_budget(ctx.db, ctx.user, ctx.habitat_id, year, ctx.today)
    a, b, c, d = st.columns(4)
    a.metric("AVP par habitant et par an", f"{budget.amount_per_resident:,.0f} €".replace(",", " "))
    b.metric("Habitants", budget.residents)
    c.metric(
        "Budget annuel",
        f"{budget.annual_budget:,.0f} €".replace(",", " "),
        help="Montant par habitant × habitants présents",
    )
    share = budget.used_share
    d.metric(
        "Temps AVP réalisé",
        f"{share:.0%}" if share is not None else "—",
        help=(
            f"{fmt.hours(budget.hours_used_to_date)} réalisées sur "
            f"{fmt.hours(budget.hours_planned_to_date)} prévues à ce jour "
            f"({fmt.hours(budget.hours_planned_year)} sur l'année)"
        ),
    )
    if budget.hours_planned_to_date > 0:
        st.progress(
            min(share or 0.0, 1.0),
            text=(
                f"Heures financées par l'AVP : {fmt.hours(budget.hours_used_to_date)} réalisées, "
                f"{fmt.hours(budget.hours_planned_to_date)} prévues à ce jour"
            ),
        )
    else:
        st.info("Aucun temps d'animation prévu par la convention AVP pour cette année.")


def _time(ctx: shell.Context, year: int) -> None:
    st.subheader("Temps par fonction de soutien")
    months = reads.time_by_month(
        ctx.db, ctx.user, ctx.habitat_id, date(year, 1, 1), date(year, 12, 31)
    )
    totals = follow_up.hours_by_function(months)
    labels = [fr(f) for f in SupportFunction]
    left, right = st.columns(2)
    with left:
        st.caption("Total de l'année (heures)")
        charts.bars(
            {fr(f): {"Heures": totals[f.value]} for f in SupportFunction},
            value_title="Heures",
            horizontal=True,
        )
    with right:
        st.caption("Par mois (heures)")
        table = {month: {label: 0.0 for label in labels} for month in _MONTHS}
        for row in months:
            table[_MONTHS[int(row.month[5:7]) - 1]][fr(SupportFunction(row.function))] = row.hours
        charts.bars(table, value_title="Heures")
    tables.show(
        {
            "Fonction": labels,
            "Heures": [round(totals[f.value], 1) for f in SupportFunction],
            "Dont financées par l'AVP": [
                round(sum(m.avp_hours for m in months if m.function == f.value), 1)
                for f in SupportFunction
            ],
        }
    )
    function = st.selectbox(
        "Fonction",
        [None, *options(SupportFunction)],
        format_func=lambda f: "Toutes" if f is None else fr(SupportFunction(f)),
        key="time.filter.function",
        placeholder="Choisir…",
    )
    entries = reads.time_entries(
        ctx.db,
        ctx.user,
        ctx.habitat_id,
        year,
        function=SupportFunction(function) if function else None,
        limit=ENTRIES_SHOWN,
    )
    st.caption(f"Saisies de l'année, les {ENTRIES_SHOWN} plus récentes au plus.")
    if entries:
        tables.show(
            {
                "Date": [fmt.fr_date(e.worked_on) for e in entries],
                "Personne": [e.person for e in entries],
                "Fonction": [fr(e.function) for e in entries],
                "Heures": [e.hours for e in entries],
                "AVP": ["oui" if e.avp_funded else "non" for e in entries],
                "Commentaire": [e.note or "" for e in entries],
            }
        )
    else:
        st.info("Aucun temps saisi.")


def _week_grid(ctx: shell.Context) -> None:
    """A week of time in one grid (days x the four functions), saved or corrected at once."""
    with st.expander("Saisir ou corriger une semaine", expanded=True):
        left, right = st.columns(2)
        person = left.text_input(
            "Personne", value=ctx.user.display_name, key="time.week.person", max_chars=200
        ).strip()
        day = right.date_input(
            "Semaine du", value=ctx.today, format="DD/MM/YYYY", key="time.week.day"
        )
        if not person:
            st.info("Indiquez la personne dont vous saisissez le temps.")
            return
        monday = timesheet.monday_of(day)
        form = f"{GRID}.{person}.{monday.isoformat()}"
        read_key = f"{form}:read"
        if read_key not in st.session_state:
            st.session_state[read_key] = timesheet.week(
                ctx.db, ctx.user, ctx.habitat_id, person, monday
            )
        read: timesheet.Week = st.session_state[read_key]
        forms.status(form)
        functions = list(SupportFunction)
        with st.form(form):
            st.caption(
                f"Heures de {person}, semaine du {fmt.fr_date(monday)} au "
                f"{fmt.fr_date(monday + timedelta(days=6))}. Une case vide ou à 0 ne compte pas ; "
                "corriger une case remplace ce qui était saisi (l'historique est gardé)."
            )
            widths = [1.4] + [1.0] * len(functions)
            for column, title in zip(
                st.columns(widths), ["Jour", *(fr(f) for f in functions)], strict=True
            ):
                column.markdown(f"**{title}**")
            typed: dict[timesheet.Cell, float] = {}
            for day_ in read.days:
                columns = st.columns(widths)
                columns[0].markdown(f"{WEEKDAYS_FR[day_.weekday()]} {day_:%d/%m}")
                for column, function in zip(columns[1:], functions, strict=True):
                    typed[(day_, function)] = column.number_input(
                        f"{fr(function)}, {WEEKDAYS_FR[day_.weekday()]} {day_:%d/%m}",
                        min_value=0.0,
                        max_value=24.0,
                        step=0.25,
                        value=float(read.hours.get((day_, function), 0.0)),
                        key=f"{form}.{day_.isoformat()}.{function.value}",
                        label_visibility="collapsed",
                    )
            avp_funded = st.checkbox(
                "Temps financé par l'AVP (pour les nouvelles saisies)",
                value=True,
                key=f"{form}.avp_funded",
            )
            if st.form_submit_button("Enregistrer la semaine", type="primary"):
                forms.submit(
                    form,
                    lambda: timesheet.save_week(
                        ctx.db, ctx.user, ctx.habitat_id, read, typed, avp_funded=avp_funded
                    ),
                    f"Semaine du {fmt.fr_date(monday)} enregistrée pour {person}.",
                )


def _report(ctx: shell.Context, year: int) -> None:
    st.subheader(f"Rapport d'activité {year} pour le département")
    report = reads.avp_report(ctx.db, ctx.user, ctx.habitat_id, year)
    pseudonyms = {
        r.stored_id: r.pseudonym
        for r in reads.residents(ctx.db, ctx.user, ctx.habitat_id, include_archived=True)
    }
    a, b, c, d = st.columns(4)
    a.metric("Journées de présence", f"{report.resident_days:,}".replace(",", " "))
    b.metric("AVP au prorata", f"{report.avp_budget:,.0f} €".replace(",", " "))
    c.metric("Activités", sum(report.activities_by_category.values()))
    d.metric("Conseils des habitants", report.council_meetings)
    left, right = st.columns(2)
    with left:
        st.caption("Temps financé par l'AVP par mois (heures)")
        charts.bars(
            {
                label: {"Heures": report.avp_hours_by_month.get(m, 0.0)}
                for m, label in enumerate(_MONTHS, start=1)
            },
            value_title="Heures",
        )
        st.caption("Tensions régulées par type")
        charts.bars(
            {fr(k): {"Tensions": report.tensions_by_kind.get(k.value, 0)} for k in TensionKind},
            value_title="Tensions",
            horizontal=True,
        )
    with right:
        st.caption("Activités par catégorie")
        charts.bars(
            {
                fr(c): {"Activités": report.activities_by_category.get(c.value, 0)}
                for c in ActivityCategory
            },
            value_title="Activités",
            horizontal=True,
        )
        st.caption("Participation aux activités par habitant (pseudonymes)")
        if report.participation:
            charts.bars(
                {
                    pseudonyms.get(i, str(i)): {"Participation (%)": round(rate * 100)}
                    for i, rate in report.participation.items()
                },
                value_title="Participation (%)",
                horizontal=True,
            )
        else:
            st.info("Aucune présence enregistrée cette année.")
    st.markdown(
        f"Décisions du conseil réalisées : **{report.decisions_done}** sur "
        f"**{report.decisions_total}** · activités à l'extérieur : **{report.activities_outside}**"
    )
    if report.model_need is not None:
        need = report.model_need
        st.caption(
            f"Le rapport reprend l'estimation du modèle de l'habitat jointe le "
            f"{need.model_from:%d/%m/%Y} (besoin en temps d'animation pour les mois suivants ; "
            "page « Le modèle de mon habitat », « Avant de décider »)."
        )
    else:
        st.caption(
            "Aucune estimation du modèle de l'habitat n'est jointe à ce rapport : elle se joint "
            "depuis la page « Le modèle de mon habitat » (question sur l'AVP)."
        )
    _report_download(ctx, year)


#: The report's formats, as the screen names them.
_FORMATS = {
    "pdf": "PDF (A4, à imprimer ou envoyer)",
    "xlsx": "Classeur Excel (xlsx)",
    "html": "Page imprimable (HTML, A4)",
    "csv": "Tableau (CSV)",
}
_PERIODS = {"calendar": "Année civile", "agreement": "Année de la convention AVP"}
_PREPARED = "time.report.prepared"


def _report_download(ctx: shell.Context, year: int) -> None:
    """Choose the period and the format, prepare the file, offer it for download."""
    st.markdown("**Télécharger le rapport pour le département**")
    left, right = st.columns(2)
    period = left.radio(
        "Période",
        list(_PERIODS),
        format_func=_PERIODS.__getitem__,
        key="time.report.period",
        horizontal=True,
    )
    chosen = right.selectbox(
        "Format", list(_FORMATS), format_func=_FORMATS.__getitem__, key="time.report.format"
    )
    if st.button("Préparer le rapport", key="time.report.prepare", icon=":material/description:"):
        st.session_state.pop(_PREPARED, None)
        try:
            made = documents.avp_report(
                ctx.db, ctx.user, ctx.habitat_id, year, chosen, period=period
            )
        except documents.BadPeriod as exc:
            st.error(exc.message_fr)
        except RenderingUnavailableError as exc:
            st.error(exc.message_fr)
        else:
            st.session_state[_PREPARED] = ((year, period, chosen), made)
    _texts(ctx, year, period)
    prepared = st.session_state.get(_PREPARED)
    if prepared is not None and prepared[0] == (year, period, chosen):  # not a stale choice
        made = prepared[1]
        st.download_button(
            f"Télécharger {made.filename}",
            made.content,
            file_name=made.filename,
            mime=made.media_type,
            key="time.report.download",
            on_click="ignore",
            icon=":material/download:",
        )


def _texts(ctx: shell.Context, year: int, period: str) -> None:
    """What the animator writes into the report: the period's text, the partnerships."""
    try:
        first, last, narrative, partners = documents.avp_texts(
            ctx.db, ctx.user, ctx.habitat_id, year, period
        )
    except documents.BadPeriod as exc:
        st.error(exc.message_fr)
        return
    writes = may_write(ctx.user, "report_narrative")
    with st.expander("Texte du rapport et partenariats avec le quartier"):
        _narrative_form(ctx, first, last, narrative, writes)
        _partnerships(ctx, partners, writes)


def _narrative_form(ctx, first: date, last: date, narrative, writes: bool) -> None:
    form = f"time.narrative.{first}"
    st.markdown(f"**Le mot de l'animation, du {fmt.fr_date(first)} au {fmt.fr_date(last)}**")
    if not writes:
        st.write(narrative.text if narrative else "Aucun texte pour cette période.")
        return
    forms.status(form, ["text", "other_spending"])
    version = forms.opened_version(form, narrative) if narrative else 0
    with st.form(form):
        text = fields.text(form, "text", narrative.text if narrative else "", area=True)
        spending = fields.number(
            form, "other_spending", narrative.other_spending if narrative else 0.0, step=50.0
        )
        if st.form_submit_button("Enregistrer le texte", type="primary"):
            data = {"text": text, "other_spending": spending or 0.0}
            if narrative is None:
                data |= {"habitat_id": ctx.habitat_id, "period_start": first, "period_end": last}
                action = lambda: records.create(ctx.db, ctx.user, ReportNarrative, data)  # noqa: E731
            else:
                action = lambda: records.update(  # noqa: E731
                    ctx.db, ctx.user, ReportNarrative, narrative.stored_id, version, data
                )
            forms.submit(form, action, "Texte du rapport enregistré.")


def _partnerships(ctx, partners, writes: bool) -> None:
    st.markdown("**Partenariats avec le quartier**")
    if partners:
        tables.show(
            {
                "Partenaire": [p.name for p in partners],
                "Type": [fr(p.kind) for p in partners],
                "Depuis": [fmt.fr_date(p.started_on) for p in partners],
                "Jusqu'au": [
                    fmt.fr_date(p.ended_on) if p.ended_on else "en cours" for p in partners
                ],
            }
        )
    else:
        st.caption("Aucun partenariat enregistré.")
    if not writes:
        return
    form = "time.partner"
    forms.status(form, ["name", "kind", "started_on", "contact_name", "description"])
    with st.form(form):
        name = fields.text(form, "name")
        kind = fields.enum(form, "kind", PartnerKind, PartnerKind.OTHER)
        started = fields.date(form, "started_on", None)
        contact = fields.text(form, "contact_name")
        if st.form_submit_button("Ajouter le partenariat"):
            data = {
                "habitat_id": ctx.habitat_id,
                "name": name,
                "kind": kind,
                "started_on": started,
                "contact_name": contact or None,
            }
            forms.submit(
                form,
                lambda: records.create(ctx.db, ctx.user, Partnership, data),
                "Partenariat ajouté.",
            )
    ongoing = [p for p in partners if p.ended_on is None]
    if ongoing:
        form = "time.partner_end"
        forms.status(form, ["ended_on"])
        with st.form(form):
            chosen = st.selectbox(
                "Partenariat à terminer",
                ongoing,
                format_func=lambda p: p.name,
                key=f"{form}.partner",
            )
            ended = fields.date(form, "ended_on", ctx.today)
            if st.form_submit_button("Terminer le partenariat"):
                forms.submit(
                    form,
                    lambda: records.update(
                        ctx.db,
                        ctx.user,
                        Partnership,
                        chosen.stored_id,
                        chosen.version,
                        {"ended_on": ended},
                    ),
                    "Partenariat terminé.",
                )

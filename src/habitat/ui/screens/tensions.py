"""Tensions: log a tension, follow up its regulation and close it; tensions by type over time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import streamlit as st

from habitat.services import reads, records
from habitat.services.access import may_write
from habitat.store import queries_follow_up as follow_up
from habitat.store.entities import Resident, Severity, Tension, TensionKind, TensionStatus
from habitat.ui import charts, fmt, forms, shell, tables
from habitat.ui.labels import fmt as enum_fmt
from habitat.ui.labels import fr, options

NEW = "tension.new"
#: How many closed tensions are listed (grows by a page with "Afficher plus").
CLOSED_SHOWN = "tensions.closed_shown"
_PERIODS: dict[reads.Period, str] = {"month": "par mois", "quarter": "par trimestre"}


def render(ctx: shell.Context) -> None:
    """The tensions screen."""
    forms.show_flash()
    st.title("Tensions")
    residents = {r.stored_id: r for r in reads.residents(ctx.db, ctx.user, ctx.habitat_id)}
    writer = may_write(ctx.user, Tension.table)
    if writer:
        _new_form(ctx, residents)

    kinds, severities, resident_id = _filters(residents)
    opened = reads.tensions(
        ctx.db,
        ctx.user,
        ctx.habitat_id,
        kinds=kinds,
        severities=severities,
        resident_id=resident_id,
    )
    st.subheader(f"Tensions ouvertes ({len(opened)})")
    if opened:
        tables.show(_table(ctx, opened, residents, with_age=True))
    else:
        st.success("Aucune tension ouverte pour ces critères.")
    if writer and opened:
        _follow_up_form(ctx, opened, residents)

    st.subheader("Tensions closes")
    shown = st.session_state.setdefault(CLOSED_SHOWN, follow_up.TENSIONS_PAGE)
    closed = reads.tensions(
        ctx.db,
        ctx.user,
        ctx.habitat_id,
        closed=True,
        kinds=kinds,
        severities=severities,
        resident_id=resident_id,
        limit=shown,
    )
    if closed:
        tables.show(_table(ctx, closed, residents, with_age=False))
    else:
        st.info("Aucune tension close pour ces critères.")
    if len(closed) >= shown and st.button("Afficher plus", key="tensions.more"):
        st.session_state[CLOSED_SHOWN] = shown + follow_up.TENSIONS_PAGE
        st.rerun()

    _chart(ctx)


def _filters(
    residents: dict[int, Resident],
) -> tuple[list[TensionKind], list[Severity], int | None]:
    a, b, c = st.columns(3)
    kinds = a.multiselect(
        "Type",
        options(TensionKind),
        format_func=enum_fmt(TensionKind),
        key="tensions.filter.kind",
        placeholder="Choisir…",
        select_all=False,
    )
    severities = b.multiselect(
        "Gravité",
        options(Severity),
        format_func=enum_fmt(Severity),
        key="tensions.filter.severity",
        placeholder="Choisir…",
        select_all=False,
    )
    resident_id = c.selectbox(
        "Habitant",
        [None, *residents],
        format_func=lambda i: "Tous" if i is None else residents[i].full_name,
        key="tensions.filter.resident",
        placeholder="Choisir…",
    )
    return [TensionKind(k) for k in kinds], [Severity(s) for s in severities], resident_id


def _table(
    ctx: shell.Context, tensions: list[Tension], residents: dict[int, Resident], *, with_age: bool
) -> tables.Columns:
    def names(tension: Tension) -> str:
        return ", ".join(residents[i].full_name for i in tension.resident_ids if i in residents)

    columns: dict[str, Sequence[Any]] = {
        "N°": [t.id for t in tensions],
        "Survenue le": [fmt.fr_date(t.occurred_on) for t in tensions],
    }
    if with_age:
        columns["Depuis (jours)"] = [(ctx.today - t.occurred_on).days for t in tensions]
        columns["Statut"] = [fr(t.status) for t in tensions]
    else:
        columns["Résolue le"] = [fmt.fr_date(t.resolved_on) for t in tensions]
    columns |= {
        "Gravité": [fr(t.severity) for t in tensions],
        "Type": [fr(t.kind) for t in tensions],
        "Habitants": [names(t) for t in tensions],
        "Autres personnes": [t.others_involved or "" for t in tensions],
        "Description": [t.description for t in tensions],
        "Actions menées": [t.actions or "" for t in tensions],
    }
    return columns


def _new_form(ctx: shell.Context, residents: dict[int, Resident]) -> None:
    current = {
        i: r
        for i, r in residents.items()
        if r.entry_date <= ctx.today and (r.exit_date is None or r.exit_date > ctx.today)
    }
    fields = ["kind", "severity", "occurred_on", "resident_ids", "others_involved", "description"]
    with st.expander("Signaler une tension", expanded=bool(st.session_state.get(f"{NEW}:errors"))):
        forms.status(NEW, fields)
        with st.form(NEW):
            kind = st.selectbox(
                "Type",
                options(TensionKind),
                format_func=enum_fmt(TensionKind),
                key=f"{NEW}.kind",
                placeholder="Choisir…",
            )
            forms.field_error(NEW, "kind")
            severity = st.selectbox(
                "Gravité",
                options(Severity),
                format_func=enum_fmt(Severity),
                key=f"{NEW}.severity",
                placeholder="Choisir…",
            )
            forms.field_error(NEW, "severity")
            occurred_on = st.date_input(
                "Survenue le", value=ctx.today, format="DD/MM/YYYY", key=f"{NEW}.occurred_on"
            )
            forms.field_error(NEW, "occurred_on")
            chosen = st.multiselect(
                "Habitants concernés",
                list(current),
                format_func=lambda i: current[i].full_name,
                key=f"{NEW}.resident_ids",
                placeholder="Choisir…",
                select_all=False,
            )
            forms.field_error(NEW, "resident_ids")
            others = st.text_input(
                "Autres personnes impliquées", key=f"{NEW}.others_involved", max_chars=200
            )
            forms.field_error(NEW, "others_involved")
            description = st.text_area("Description", key=f"{NEW}.description")
            forms.field_error(NEW, "description")
            if st.form_submit_button("Enregistrer la tension", type="primary"):
                forms.submit(
                    NEW,
                    lambda: records.create(
                        ctx.db,
                        ctx.user,
                        Tension,
                        {
                            "habitat_id": ctx.habitat_id,
                            "kind": kind,
                            "severity": severity,
                            "occurred_on": occurred_on,
                            "resident_ids": chosen,
                            "others_involved": others.strip() or None,
                            "description": description,
                            "status": TensionStatus.OPEN.value,
                        },
                    ),
                    "Tension enregistrée.",
                )


def _follow_up_form(
    ctx: shell.Context, opened: list[Tension], residents: dict[int, Resident]
) -> None:
    st.markdown("**Suivi et clôture**")
    by_id = {t.stored_id: t for t in opened}
    chosen = st.selectbox(
        "Tension à suivre",
        list(by_id),
        format_func=lambda i: (
            f"n° {i} · {fmt.fr_date(by_id[i].occurred_on)} · {fr(by_id[i].kind)}"
            f" · {by_id[i].description[:60]}"
        ),
        key="tensions.pick",
        placeholder="Choisir…",
    )
    tension = by_id[chosen]
    form = f"tension.{tension.id}"
    version = forms.opened_version(form, tension)
    fields = ["occurred_on", "description", "actions", "status", "resolved_on", "severity"]
    forms.status(form, fields)
    with st.form(form):
        st.caption(
            "Corriger la date ou la description garde la version précédente dans l'historique."
        )
        occurred_on = st.date_input(
            "Survenue le",
            value=tension.occurred_on,
            min_value=min(tension.occurred_on, ctx.today - timedelta(days=3660)),
            max_value=ctx.today + timedelta(days=3660),
            format="DD/MM/YYYY",
            key=f"{form}.occurred_on",
        )
        forms.field_error(form, "occurred_on")
        description = st.text_area(
            "Description", value=tension.description, key=f"{form}.description"
        )
        forms.field_error(form, "description")
        severity = st.selectbox(
            "Gravité",
            options(Severity),
            index=options(Severity).index(tension.severity.value),
            format_func=enum_fmt(Severity),
            key=f"{form}.severity",
            placeholder="Choisir…",
        )
        forms.field_error(form, "severity")
        actions = st.text_area("Actions menées", value=tension.actions or "", key=f"{form}.actions")
        forms.field_error(form, "actions")
        statuses = options(TensionStatus)
        status = st.selectbox(
            "Statut",
            statuses,
            index=statuses.index(tension.status.value),
            format_func=enum_fmt(TensionStatus),
            key=f"{form}.status",
            placeholder="Choisir…",
        )
        forms.field_error(form, "status")
        resolved_on = st.date_input(
            "Résolue le (pour clore la tension)",
            value=tension.resolved_on,
            format="DD/MM/YYYY",
            key=f"{form}.resolved_on",
        )
        forms.field_error(form, "resolved_on")
        if st.form_submit_button("Enregistrer le suivi", type="primary"):
            forms.submit(
                form,
                lambda: records.update(
                    ctx.db,
                    ctx.user,
                    Tension,
                    tension.stored_id,
                    version,
                    {
                        "occurred_on": occurred_on,
                        "description": description,
                        "severity": severity,
                        "actions": actions.strip() or None,
                        "status": status,
                        "resolved_on": resolved_on,
                    },
                ),
                "Tension close." if status == TensionStatus.CLOSED.value else "Suivi enregistré.",
            )


def _chart(ctx: shell.Context) -> None:
    st.subheader("Tensions par type")
    by = st.radio(
        "Période",
        list(_PERIODS),
        format_func=_PERIODS.get,
        horizontal=True,
        key="tensions.chart.period",
    )
    counts = reads.tension_counts(ctx.db, ctx.user, ctx.habitat_id, ctx.today, by)
    st.caption(f"Tensions survenues ces {follow_up.CHART_MONTHS} derniers mois, {_PERIODS[by]}.")
    if not counts:
        st.info("Aucune tension sur la période.")
        return
    table = {
        period: {fr(kind): 0 for kind in TensionKind}
        for period in follow_up.periods(ctx.today, by=by)
    }
    for row in counts:
        table[row.period][fr(TensionKind(row.kind))] = row.count
    charts.bars(table, value_title="Tensions", category_title="Période")

"""Intervenants: the provider directory (own vs habitat-chosen) and who comes when, per resident."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from habitat.services import reads, records
from habitat.services.access import may_write
from habitat.store import queries
from habitat.store.entities import Arrangement, Provider, ProviderKind
from habitat.ui import charts, fmt, forms, shell, tables
from habitat.ui.labels import fmt as enum_fmt
from habitat.ui.labels import fr, options

NEW = "provider.new"
#: Fields of the provider form, in screen order.
FIELDS = (
    "name",
    "kind",
    "arrangement",
    "contact_name",
    "phone",
    "email",
    "address",
    "finess",
    "services",
)
#: Markers that tell own and habitat-chosen providers apart in the week table.
MARK = {Arrangement.OWN: "🔵", Arrangement.HABITAT: "🟠"}
#: Chart colours of own and habitat-chosen providers (colour-blind safe pair).
COLOURS = {Arrangement.OWN: "#1f77b4", Arrangement.HABITAT: "#ff7f0e"}
OVERLAP = "⚠️"


def render(ctx: shell.Context) -> None:
    """The providers screen."""
    forms.show_flash()
    st.title("Intervenants")
    st.caption(
        f"{fmt.plain(ctx.current_habitat.name)} · {MARK[Arrangement.OWN]} {fr(Arrangement.OWN)} · "
        f"{MARK[Arrangement.HABITAT]} {fr(Arrangement.HABITAT)}"
    )
    directory, week = st.tabs(["Annuaire", "Semaine des interventions"])
    with directory:
        _directory(ctx)
    with week:
        _week(ctx)


# --- Directory -----------------------------------------------------------------------


def _directory(ctx: shell.Context) -> None:
    left, middle, right = st.columns([2, 2, 1])
    arrangement = left.selectbox(
        "Choisi par",
        [None, *options(Arrangement)],
        format_func=lambda v: "Tous" if v is None else fr(Arrangement(v)),
        key="providers.filter.arrangement",
        placeholder="Choisir…",
    )
    kind = middle.selectbox(
        "Type",
        [None, *options(ProviderKind)],
        format_func=lambda v: "Tous" if v is None else fr(ProviderKind(v)),
        key="providers.filter.kind",
        placeholder="Choisir…",
    )
    archived = right.checkbox("Archivés aussi", key="providers.filter.archived")
    providers = reads.provider_directory(
        ctx.db,
        ctx.user,
        ctx.habitat_id,
        arrangement=Arrangement(arrangement) if arrangement else None,
        kind=ProviderKind(kind) if kind else None,
        include_archived=archived,
    )
    if providers:
        tables.show(_directory_table(providers))
    else:
        st.info("Aucun intervenant ne correspond à ces filtres.")

    if not may_write(ctx.user, Provider.table):
        return
    with st.expander(
        "Ajouter un intervenant", expanded=bool(st.session_state.get(f"{NEW}:errors"))
    ):
        _provider_form(ctx, NEW, None)
    everyone = reads.providers(ctx.db, ctx.user, ctx.habitat_id, include_archived=True)
    if everyone:
        st.subheader("Modifier un intervenant")
        by_id = {p.stored_id: p for p in everyone}
        chosen = st.selectbox(
            "Intervenant",
            list(by_id),
            format_func=lambda i: by_id[i].name + (" (archivé)" if by_id[i].archived_at else ""),
            key="providers.edit",
            placeholder="Choisir…",
        )
        _provider_form(ctx, f"provider.{chosen}", by_id[chosen])


def _directory_table(providers: list[Provider]) -> tables.Columns:
    return {
        "Nom": [p.name for p in providers],
        "Type": [fr(p.kind) for p in providers],
        "Choisi par": [f"{MARK[p.arrangement]} {fr(p.arrangement)}" for p in providers],
        "Contact": [p.contact_name or "" for p in providers],
        "Téléphone": [p.phone or "" for p in providers],
        "Courriel": [p.email or "" for p in providers],
        "Adresse": [p.address or "" for p in providers],
        "N° FINESS": [p.finess or "" for p in providers],
        "Prestations": [p.services or "" for p in providers],
        "Archivé": ["oui" if p.archived_at else "" for p in providers],
    }


def _optional(text: str | None) -> str | None:
    """Empty inputs are "not given", not an empty string."""
    return text if text and text.strip() else None


def _provider_form(ctx: shell.Context, form: str, provider: Provider | None) -> None:
    version = forms.opened_version(form, provider) if provider else None
    forms.status(form, FIELDS)
    with st.form(form):
        name = st.text_input(
            forms.label("name"), value=provider.name if provider else "", key=f"{form}.name"
        )
        forms.field_error(form, "name")
        left, right = st.columns(2)
        with left:
            kinds = options(ProviderKind)
            kind = st.selectbox(
                forms.label("kind"),
                kinds,
                index=kinds.index(provider.kind.value) if provider else 0,
                format_func=enum_fmt(ProviderKind),
                key=f"{form}.kind",
                placeholder="Choisir…",
            )
            forms.field_error(form, "kind")
        with right:
            arrangements = options(Arrangement)
            arrangement = st.radio(
                forms.label("arrangement"),
                arrangements,
                index=arrangements.index(provider.arrangement.value) if provider else 0,
                format_func=enum_fmt(Arrangement),
                horizontal=True,
                key=f"{form}.arrangement",
            )
            forms.field_error(form, "arrangement")
        values = {"name": name, "kind": kind, "arrangement": arrangement}
        left, right = st.columns(2)
        for column, field in zip(
            (left, right, left, right, left),
            ("contact_name", "phone", "email", "address", "finess"),
            strict=True,
        ):
            with column:
                values[field] = st.text_input(
                    forms.label(field),
                    value=(getattr(provider, field) or "") if provider else "",
                    key=f"{form}.{field}",
                    help="9 caractères, le département d'abord" if field == "finess" else None,
                )
                forms.field_error(form, field)
        values["services"] = st.text_area(
            forms.label("services"),
            value=(provider.services or "") if provider else "",
            key=f"{form}.services",
        )
        forms.field_error(form, "services")
        data = {
            field: value if field in ("name", "kind", "arrangement") else _optional(value)
            for field, value in values.items()
        }
        if provider is None:
            if st.form_submit_button("Ajouter", type="primary"):
                forms.submit(
                    form,
                    lambda: records.create(
                        ctx.db, ctx.user, Provider, {"habitat_id": ctx.habitat_id, **data}
                    ),
                    "Intervenant ajouté.",
                )
        elif st.form_submit_button("Enregistrer", type="primary"):
            assert version is not None  # read with the provider
            forms.submit(
                form,
                lambda: records.update(
                    ctx.db, ctx.user, Provider, provider.stored_id, version, data
                ),
                "Intervenant enregistré.",
            )
    if provider is None:
        return
    assert version is not None  # read with the provider
    if provider.archived_at is None:
        if st.button("Archiver cet intervenant", key=f"{form}:archive"):
            forms.submit(
                form,
                lambda: records.archive(ctx.db, ctx.user, Provider, provider.stored_id, version),
                "Intervenant archivé : il reste dans l'historique.",
            )
    elif st.button("Rétablir cet intervenant", key=f"{form}:unarchive"):
        forms.submit(
            form,
            lambda: records.unarchive(ctx.db, ctx.user, Provider, provider.stored_id, version),
            "Intervenant rétabli.",
        )


# --- Week of interventions -----------------------------------------------------------


def _week(ctx: shell.Context) -> None:
    start, end = ctx.today, ctx.today + timedelta(days=6)
    visits = reads.visits(ctx.db, ctx.user, ctx.habitat_id, start, end)
    st.caption(f"Semaine du {fmt.fr_long_date(start)} au {fmt.fr_long_date(end)}")
    if not visits:
        st.info("Aucune intervention prévue cette semaine.")
        return
    residents = reads.residents_by_id(
        ctx.db, ctx.user, ctx.habitat_id, sorted({v.resident_id for v in visits})
    )
    names = {i: r.full_name for i, r in residents.items()}
    overlaps = queries.overlapping_visits(visits)
    overlapping = {id(v) for pair in overlaps for v in pair}

    a, b, c = st.columns(3)
    a.metric(
        f"Passages {fr(Arrangement.OWN)}", sum(v.arrangement is Arrangement.OWN for v in visits)
    )
    b.metric(
        f"Passages {fr(Arrangement.HABITAT)}",
        sum(v.arrangement is Arrangement.HABITAT for v in visits),
    )
    c.metric("Chevauchements", len(overlaps))
    if overlaps:
        # One box listing every overlap: an element each costs ~1 ms a rerun.
        st.warning(
            "\n".join(
                "- "
                + fmt.plain(
                    f"{fmt.fr_long_date(first.day)}, {names.get(first.resident_id, '—')} : "
                    f"{first.provider} ({fr(first.arrangement)}, {fmt.fr_time(first.start_time)}–"
                    f"{fmt.fr_time(first.end_time)}) et {second.provider} "
                    f"({fr(second.arrangement)}, {fmt.fr_time(second.start_time)}–"
                    f"{fmt.fr_time(second.end_time)}) interviennent en même temps."
                )
                for first, second in overlaps
            ),
            icon=OVERLAP,
        )

    days = [start + timedelta(days=i) for i in range(7)]
    labels = {day: f"{fmt.WEEKDAYS_FR[day.weekday()][:3]}. {day:%d/%m}" for day in days}
    st.subheader("Qui vient quand")
    grid: dict[int, dict[str, list[str]]] = {}
    for visit in visits:
        cell = grid.setdefault(visit.resident_id, {}).setdefault(labels[visit.day], [])
        cell.append(
            f"{OVERLAP if id(visit) in overlapping else ''}{MARK[visit.arrangement]} "
            f"{fmt.fr_time(visit.start_time)}–{fmt.fr_time(visit.end_time)} {visit.provider}"
        )
    ordered = sorted(grid, key=lambda i: names.get(i, ""))
    tables.show(
        {"Habitant": [names.get(i, "—") for i in ordered]}
        | {labels[d]: ["\n".join(grid[i].get(labels[d], [])) for i in ordered] for d in days}
    )

    chosen = st.selectbox(
        "Habitant",
        ordered,
        format_func=lambda i: names.get(i, "—"),
        key="providers.week.resident",
        placeholder="Choisir…",
    )
    mine = [v for v in visits if v.resident_id == chosen]
    columns: tables.Columns = {
        "Jour": [labels[v.day] for v in mine],
        "Début": [v.start_time.hour + v.start_time.minute / 60 for v in mine],
        "Fin": [v.end_time.hour + v.end_time.minute / 60 for v in mine],
        "Horaire": [f"{fmt.fr_time(v.start_time)}–{fmt.fr_time(v.end_time)}" for v in mine],
        "Intervenant": [v.provider for v in mine],
        "Choisi par": [fr(v.arrangement) for v in mine],
        "Tâche": [v.task or "" for v in mine],
        "Chevauchement": ["oui" if id(v) in overlapping else "" for v in mine],
    }
    st.vega_lite_chart(
        tables.arrow(columns),
        charts.french(_week_chart([labels[d] for d in days])),
        width="stretch",
    )
    tables.show({k: v for k, v in columns.items() if k not in ("Début", "Fin")})


def _week_chart(day_labels: list[str]) -> dict:
    """Bars from start to end time, one column per day, own and habitat side by side."""
    domain = [fr(Arrangement.OWN), fr(Arrangement.HABITAT)]
    overlap = {"field": "Chevauchement", "equal": "oui"}
    return {
        "mark": {"type": "bar", "opacity": 0.85},
        "encoding": {
            "x": {"field": "Jour", "type": "nominal", "sort": day_labels, "title": None},
            "xOffset": {"field": "Choisi par", "type": "nominal", "sort": domain},
            "y": {
                "field": "Début",
                "type": "quantitative",
                "title": "Heure",
                "scale": {"reverse": True, "zero": False},
            },
            "y2": {"field": "Fin"},
            "color": {
                "field": "Choisi par",
                "type": "nominal",
                "scale": {"domain": domain, "range": [COLOURS[a] for a in Arrangement]},
                "legend": {"orient": "bottom", "title": None},
            },
            "stroke": {"condition": {"test": overlap, "value": "#d62728"}, "value": None},
            "strokeWidth": {"condition": {"test": overlap, "value": 3}, "value": 0},
            "tooltip": [
                {"field": name, "type": "nominal"}
                for name in (
                    "Jour",
                    "Horaire",
                    "Intervenant",
                    "Choisi par",
                    "Tâche",
                    "Chevauchement",
                )
            ],
        },
    }

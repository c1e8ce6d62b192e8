"""The habitat's settings, one form per part: shared by the set-up assistant and the settings.

Each form shows what is recorded, saves through `services.setup` in one call, and
shows each refusal in French under its field. `then` runs after a save that went
through (the assistant moves on to the next step).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import time

import streamlit as st

from habitat.services import setup
from habitat.services.setup import Progress
from habitat.store.entities import PresenceRole
from habitat.ui import fields, fmt, forms, labels, shell, tables

#: AVP tiers seen in department rules (DOMAIN.md §6), offered as a start.
AVP_TIERS = (
    "Palier 1 : 5 000 €",
    "Palier 2 : 7 500 €",
    "Palier 3 : 10 000 €",
)

Then = Callable[[], None]


def _nothing() -> None:
    return None


def _saved(action: Callable[[], object], then: Then) -> Callable[[], None]:
    def run() -> None:
        action()
        then()

    return run


def habitat_form(ctx: shell.Context, progress: Progress, form: str, then: Then = _nothing) -> None:
    """Name, host organisation, address and number of dwellings."""
    habitat = progress.habitat
    forms.status(form, setup.HABITAT_FIELDS)
    version = forms.opened_version(form, habitat) if habitat else None
    with st.form(form):
        name = fields.text(
            form, "name", habitat.name if habitat else None, label="Nom de l'habitat"
        )
        host = fields.text(
            form, "host_organisation", habitat.host_organisation if habitat else None
        )
        address = fields.text(form, "address", habitat.address if habitat else None)
        count = fields.number(
            form,
            "dwellings",
            habitat.dwellings if habitat else 8,
            help="Les logements privatifs ; vous les nommerez à l'étape suivante.",
        )
        first_names = st.checkbox(
            "Afficher les prénoms sur le programme de la semaine",
            value=habitat.noticeboard_first_names if habitat else False,
            key=f"{form}.noticeboard_first_names",
            help="Le programme affiché dans la maison montre alors le prénom des "
            "intervenants et des habitants qui réservent un espace (jamais le nom de "
            "famille). Sinon, il ne nomme personne.",
        )
        forms.field_error(form, "noticeboard_first_names")
        if st.form_submit_button("Enregistrer", type="primary"):
            data = fields.given(
                {
                    "name": name,
                    "host_organisation": host,
                    "address": address,
                    "dwellings": count,
                    "noticeboard_first_names": first_names,
                }
            )
            # Named dwellings set the count (and there are some only once the habitat is).
            if habitat is not None and progress.dwellings and count == habitat.dwellings:
                data.pop("dwellings", None)
            forms.submit(
                form,
                _saved(lambda: setup.save_habitat(ctx.db, ctx.user, data, version), then),
                "Habitat enregistré.",
            )


def dwellings_form(
    ctx: shell.Context, progress: Progress, form: str, then: Then = _nothing
) -> None:
    """The dwellings by name, one a line."""
    names = [d.name for d in progress.dwellings] or setup.default_dwelling_names(
        progress.recorded_habitat.dwellings
    )
    st.caption(
        "Un logement par ligne, tel que vous le nommez (« Logement 1 », « Studio du jardin »…). "
        "Chaque logement accueille un·e habitant·e à la fois."
    )
    forms.status(form, ["dwelling_names"])
    with st.form(form):
        typed = st.text_area(
            "Logements (un par ligne)", value="\n".join(names), height=220, key=f"{form}.names"
        )
        forms.field_error(form, "dwelling_names")
        if st.form_submit_button("Enregistrer les logements", type="primary"):
            lines = [line for line in typed.splitlines() if line.strip()] or []
            forms.submit(
                form,
                _saved(lambda: setup.save_dwellings(ctx.db, ctx.user, lines), then),
                f"{len(lines)} logement(s) enregistré(s).",
            )


def spaces_form(ctx: shell.Context, progress: Progress, form: str, then: Then = _nothing) -> None:
    """The common spaces, one a line, with an optional capacity after a semicolon."""
    current = "\n".join(
        f"{s.name} ; {s.capacity}" if s.capacity else s.name for s in progress.spaces
    )
    st.caption(
        "Un espace par ligne ; sa capacité (nombre de personnes), si vous le souhaitez, après "
        "un point-virgule : « Salle commune ; 20 »."
    )
    forms.status(form, ["spaces"])
    with st.form(form):
        typed = st.text_area(
            "Espaces communs (un par ligne)",
            value=current or "Cuisine partagée ; 12\nSalon ; 15\nJardin",
            height=180,
            key=f"{form}.lines",
        )
        forms.field_error(form, "spaces")
        if st.form_submit_button("Enregistrer les espaces", type="primary"):
            rows = setup.spaces_from_lines(typed)
            forms.submit(
                form,
                _saved(lambda: setup.save_spaces(ctx.db, ctx.user, rows), then),
                "Espaces communs enregistrés.",
            )


def avp_form(ctx: shell.Context, progress: Progress, form: str, then: Then = _nothing) -> None:
    """The AVP agreement with the department, and the animator time it pays for."""
    habitat = progress.recorded_habitat
    forms.status(form, [*setup.AVP_FIELDS, "animator_hours_per_week", "animator_hourly_cost"])
    version = forms.opened_version(form, habitat)
    with st.form(form):
        amount = fields.number(
            form,
            "avp_amount_per_resident",
            habitat.avp_amount_per_resident or 7500.0,
            step=500.0,
            help="Au plus 10 000 € par habitant et par an.",
        )
        tier = fields.choice(
            form,
            "avp_tier",
            list(dict.fromkeys([*AVP_TIERS, *([habitat.avp_tier] if habitat.avp_tier else [])])),
            habitat.avp_tier,
            optional=True,
        )
        left, right = st.columns(2)
        with left:
            start = fields.date(form, "avp_start", habitat.avp_start)
        with right:
            end = fields.date(form, "avp_end", habitat.avp_end)
        hours = fields.number(
            form, "animator_hours_per_week", habitat.animator_hours_per_week or None, step=0.5
        )
        hourly_cost = fields.number(
            form,
            "animator_hourly_cost",
            habitat.animator_hourly_cost,
            step=1.0,
            help="Salaire et charges d'une heure d'animation : le budget utilisé du rapport AVP.",
        )
        if st.form_submit_button("Enregistrer la convention", type="primary"):
            data = {
                "avp_amount_per_resident": amount,
                "avp_tier": tier,
                "avp_start": start,
                "avp_end": end,
                "animator_hours_per_week": hours or 0.0,
                "animator_hourly_cost": hourly_cost,
            }
            forms.submit(
                form,
                _saved(lambda: setup.save_avp(ctx.db, ctx.user, data, version), then),
                "Convention AVP enregistrée.",
            )


def project_form(ctx: shell.Context, progress: Progress, form: str, then: Then = _nothing) -> None:
    """A version of the shared-life project: the first one, or the next."""
    latest = progress.project
    if latest is not None:
        st.caption(
            f"Version {latest.number} en vigueur, adoptée le {fmt.fr_date(latest.adopted_on)} "
            f"par {latest.adopted_by}. Enregistrer crée la version {latest.number + 1}."
        )
    forms.status(form, ["text", "adopted_on", "adopted_by"])
    with st.form(form):
        text = fields.text(
            form,
            "text",
            latest.text if latest else None,
            area=True,
            label="Texte du projet de vie sociale et partagée",
        )
        adopted_on = fields.date(form, "adopted_on", ctx.today)
        adopted_by = fields.text(
            form,
            "adopted_by",
            latest.adopted_by if latest else None,
            help="Par exemple : conseil d'administration de l'association et futurs habitants.",
        )
        if st.form_submit_button("Enregistrer cette version", type="primary"):
            data = fields.given({"text": text, "adopted_on": adopted_on, "adopted_by": adopted_by})
            forms.submit(
                form,
                _saved(lambda: setup.save_project(ctx.db, ctx.user, data), then),
                "Projet de vie sociale et partagée enregistré.",
            )


def presence_hours_form(ctx: shell.Context, progress: Progress, form: str) -> None:
    """The hours someone should be present every day."""
    habitat = progress.recorded_habitat
    forms.status(form, ["presence_from", "presence_to"])
    version = forms.opened_version(form, habitat)
    with st.form(form):
        left, right = st.columns(2)
        with left:
            start = fields.time(form, "presence_from", habitat.presence_from)
        with right:
            end = fields.time(form, "presence_to", habitat.presence_to)
        if st.form_submit_button("Enregistrer les horaires"):
            data = {"presence_from": start, "presence_to": end}
            forms.submit(
                form,
                lambda: setup.save_presence_hours(ctx.db, ctx.user, data, version),
                "Horaires de présence enregistrés.",
            )


def pattern_form(ctx: shell.Context, form: str, then: Then = _nothing) -> None:
    """A weekly slot, on one or several weekdays."""
    forms.status(form, ["person", "role", "weekday", "starts", "ends"])
    with st.form(form):
        left, right = st.columns(2)
        with left:
            person = fields.text(
                form, "person", None, label="Qui", help="Un nom, ou « Aide mutualisée »…"
            )
        with right:
            role = fields.enum(form, "role", PresenceRole, PresenceRole.ANIMATOR)
        days = st.multiselect(
            "Jours",
            list(range(7)),
            default=[0, 1, 2, 3, 4],
            format_func=lambda day: setup.WEEKDAYS_FR[day],
            placeholder="Choisissez un ou plusieurs jours",
            key=f"{form}.days",
            select_all=False,
        )
        forms.field_error(form, "weekday")
        left, right = st.columns(2)
        with left:
            starts = fields.time(form, "starts", time(9, 0))
        with right:
            ends = fields.time(form, "ends", time(17, 0))
        if st.form_submit_button("Ajouter au planning", type="primary"):
            slot = fields.given({"person": person, "role": role, "starts": starts, "ends": ends})
            forms.submit(
                form,
                _saved(lambda: setup.add_patterns(ctx.db, ctx.user, slot, days), then),
                "Créneau ajouté au planning hebdomadaire.",
            )


def pattern_list(ctx: shell.Context, progress: Progress, form: str) -> None:
    """The weekly slots, each with a button to take it off the rota."""
    if not progress.patterns:
        st.info("Aucun créneau hebdomadaire pour l'instant.")
        return
    for pattern in progress.patterns:
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.write(
            f"**{setup.WEEKDAYS_FR[pattern.weekday].capitalize()}** "
            f"{fmt.fr_time(pattern.starts)}–{fmt.fr_time(pattern.ends)} · "
            f"{fmt.plain(pattern.person)} ({labels.fr(pattern.role)})"
        )
        if ctx.user.is_animator and button.button(
            "Retirer", key=f"{form}.remove.{pattern.id}", icon=":material/delete:"
        ):
            forms.submit(
                form,
                functools.partial(
                    setup.remove_pattern, ctx.db, ctx.user, pattern.stored_id, pattern.version
                ),
                "Créneau retiré du planning.",
            )


def week_view(ctx: shell.Context, progress: Progress) -> None:
    """The week as it will be (pattern, exceptions, dated shifts) and its gaps."""
    habitat = progress.recorded_habitat
    week = setup.week(ctx.db, habitat.stored_id, ctx.today)
    st.markdown(
        f"**Semaine du {fmt.fr_date(week.monday)}** · présence attendue de "
        f"{fmt.fr_time(habitat.presence_from)} à "
        f"{fmt.fr_time(habitat.presence_to)}"
    )
    rows: dict[str, list[str]] = {"Jour": [], "Qui": [], "Rôle": [], "De": [], "À": []}
    for slot in week.slots:
        rows["Jour"].append(fmt.fr_date(slot.starts_at.date()))
        rows["Qui"].append(slot.person)
        rows["Rôle"].append(labels.fr(slot.role))
        rows["De"].append(fmt.fr_time(slot.starts_at))
        rows["À"].append(fmt.fr_time(slot.ends_at))
    if week.slots:
        tables.show(rows)
    if week.gaps:
        st.warning(
            f"{fmt.hours(week.gap_hours)} sans personne présente cette semaine :\n\n"
            + "\n\n".join(
                f"- {fmt.fr_date(gap.starts_at.date())} de {fmt.fr_time(gap.starts_at)} "
                f"à {fmt.fr_time(gap.ends_at)}"
                for gap in week.gaps
            ),
            icon="⚠️",
        )
    else:
        st.success("Toutes les heures de présence attendues sont couvertes cette semaine.")

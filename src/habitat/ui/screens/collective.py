"""Vie collective: activities, attendance, participation, bookings, house rules and the PVSP."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import streamlit as st

from habitat.services import collective, documents, reads, records
from habitat.services.access import Forbidden, may_write, visible_resident_ids
from habitat.store.entities import (
    Activity,
    ActivityCategory,
    Attendance,
    Booking,
    CommonSpace,
    HouseRule,
    Place,
    Presence,
    Registration,
    Resident,
    SharedLifeProject,
)
from habitat.store.errors import StoreError
from habitat.store.queries_collective import ActivityLine
from habitat.ui import charts, downloads, fmt, forms, shell, tables
from habitat.ui.labels import fmt as enum_fmt
from habitat.ui.labels import fr, options

WEEK = "collective.week"
PROGRAMME = "collective.programme"
TAB = "collective.tab"
NEW_ACTIVITY = "activity.new"
NEW_BOOKING = "booking.new"
CANCEL_BOOKING = "booking.cancel"
NEW_PROJECT = "project.new"
LOW_FLAG = "⚠️ faible"
#: The attendance tab lists the activities of the last two weeks: attendance is
#: taken on the day or soon after, older activities are history.
ATTENDANCE_DAYS = 14
_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin"]
_MONTHS += ["juil.", "août", "sept.", "oct.", "nov.", "déc."]


def render(ctx: shell.Context) -> None:
    """The collective-life screen."""
    forms.show_flash()
    st.title("Vie collective")
    visible = visible_resident_ids(ctx.db, ctx.user)
    if visible is not None:
        # A resident: the activities and their own participation, nothing about others.
        sections = {
            "Les activités": _my_activities,
            "Calendrier des activités": _calendar,
            "Ma participation": lambda ctx: _participation(ctx, visible),
            "Les règles de la maison": _my_house,
        }
    else:
        sections = {
            "Calendrier des activités": _calendar,
            "Présences": _attendance,
            "Participation": lambda ctx: _participation(ctx, None),
            "Réservations des espaces": _bookings,
            "Règles de vie et projet": _rules,
        }
    # Only the open tab runs: a rerun costs one section, not five.
    tabs = st.tabs(list(sections), key=TAB, on_change="rerun")
    for tab, section in zip(tabs, sections.values(), strict=True):
        if tab.open:
            with tab:
                section(ctx)


# --- A resident's own view: signing up, the house's rules in plain words ------------

#: A resident sees the activities of the next two weeks to sign up for.
SIGN_UP_DAYS = 14


MY_SIGNUPS = "collective.my_signups"
#: The sign-ups as last drawn (a change since then is the resident's own).
SIGNUPS_SHOWN = "collective.my_signups:shown"


def _my_activities(ctx: shell.Context) -> None:
    """The activities to come as one set of buttons: a touch signs up, another withdraws.

    One widget for the fortnight (an element per activity would cost a rerun ~1 ms
    each): the chosen buttons are the activities the resident is signed up for.
    """
    resident_id = ctx.user.resident_id
    st.markdown(
        "Voici les activités des deux prochaines semaines. "
        "**Touchez une activité pour vous y inscrire.** "
        "Touchez-la encore pour vous désinscrire. "
        "Vous pouvez changer d'avis jusqu'au début de l'activité."
    )
    lines = [
        x
        for x in reads.activities(
            ctx.db, ctx.user, ctx.habitat_id, ctx.today, ctx.today + timedelta(days=SIGN_UP_DAYS)
        )
        if not x.activity.cancelled
    ]
    if not lines or resident_id is None:
        st.info("Pas d'activité prévue pour le moment.")
        return
    by_id = {x.activity.stored_id: x for x in lines}
    mine = collective.my_registrations(ctx.db, ctx.user, list(by_id))
    chosen = st.session_state.get(MY_SIGNUPS)
    # The resident touched the buttons since they were drawn from these very records
    # (not someone else's change meanwhile): sign up and withdraw accordingly.
    if (
        chosen is not None
        and st.session_state.get(SIGNUPS_SHOWN) == sorted(mine)
        and set(chosen) != set(mine)
    ):
        _apply_signups(ctx, resident_id, set(chosen), mine, by_id)
        mine = collective.my_registrations(ctx.db, ctx.user, list(by_id))
    st.session_state[MY_SIGNUPS] = st.session_state[SIGNUPS_SHOWN] = sorted(mine)
    forms.show_flash()
    st.pills(
        "Mes inscriptions",
        list(by_id),
        selection_mode="multi",
        format_func=lambda i: _signup_label(by_id[i]),
        key=MY_SIGNUPS,
    )
    if mine:
        st.caption(
            "Vous êtes inscrit·e à : "
            + ", ".join(fmt.plain(by_id[i].activity.title) for i in sorted(mine))
            + "."
        )


def _signup_label(line: ActivityLine) -> str:
    activity = line.activity
    day = fmt.fr_long_date(activity.starts_at.date()).split(" ")
    return (
        f"{day[0].capitalize()} {activity.starts_at:%d/%m}, {fmt.fr_time(activity.starts_at)} · "
        f"{activity.title} · {_where(line)}"
    )


def _apply_signups(
    ctx: shell.Context,
    resident_id: int,
    chosen: set[int],
    mine: dict[int, Registration],
    by_id: dict[int, ActivityLine],
) -> None:
    """Sign up for what was just chosen, withdraw from what was just left (in plain words)."""
    said = []
    try:
        for activity_id in sorted(chosen - set(mine)):
            collective.sign_up(ctx.db, ctx.user, activity_id, resident_id)
            said.append(f"vous êtes inscrit·e à « {by_id[activity_id].activity.title} »")
        for activity_id in sorted(set(mine) - chosen):
            registration = mine[activity_id]
            collective.withdraw(ctx.db, ctx.user, registration.stored_id, registration.version)
            said.append(f"vous n'êtes plus inscrit·e à « {by_id[activity_id].activity.title} »")
    except (StoreError, Forbidden) as refusal:
        st.session_state[forms.FLASH_ERROR] = refusal.message_fr
    if said:
        forms.flash("C'est noté : " + " ; ".join(said) + ".")


def _my_house(ctx: shell.Context) -> None:
    """The shared-life project and the house rules, introduced in plain words."""
    st.markdown(
        "Dans la maison, chacun a son logement. "
        "Nous partageons aussi des espaces et des moments. "
        "Le **projet de vie sociale et partagée** dit ce que nous voulons vivre ensemble. "
        "Les **règles de vie** disent comment bien vivre ensemble. "
        "Les habitants les décident ensemble, au conseil des habitants."
    )
    _rules(ctx)


# --- Week navigation -----------------------------------------------------------------


def _monday(ctx: shell.Context) -> date:
    if WEEK not in st.session_state:
        st.session_state[WEEK] = collective.week_start(ctx.today)
    return st.session_state[WEEK]


def _move_week(days: int, today: date) -> None:
    if days == 0:
        st.session_state[WEEK] = collective.week_start(today)
    else:
        st.session_state[WEEK] = st.session_state[WEEK] + timedelta(days=days)


def _week_navigation(ctx: shell.Context) -> date:
    back, now, forward = st.columns(3)
    back.button(
        "◀ Semaine précédente",
        key="collective.week.back",
        on_click=_move_week,
        args=(-7, ctx.today),
    )
    now.button("Cette semaine", key="collective.week.now", on_click=_move_week, args=(0, ctx.today))
    forward.button(
        "Semaine suivante ▶", key="collective.week.next", on_click=_move_week, args=(7, ctx.today)
    )
    monday = _monday(ctx)
    st.caption(
        f"Semaine du {fmt.fr_long_date(monday)} au {fmt.fr_long_date(monday + timedelta(days=6))}"
    )
    return monday


def _week_activities(ctx: shell.Context, monday: date) -> list[ActivityLine]:
    return reads.activities(ctx.db, ctx.user, ctx.habitat_id, monday, monday + timedelta(days=7))


def _where(line: ActivityLine) -> str:
    activity = line.activity
    if line.space:
        return line.space
    return activity.location or fr(activity.place)


# --- Calendar ------------------------------------------------------------------------


def _calendar(ctx: shell.Context) -> None:
    monday = _week_navigation(ctx)
    lines = _week_activities(ctx, monday)
    signed_up = collective.registered(ctx.db, [x.activity.stored_id for x in lines])
    if lines:
        tables.show(
            {
                "Jour": [fmt.fr_long_date(x.activity.starts_at.date()) for x in lines],
                "Horaire": [
                    f"{fmt.fr_time(x.activity.starts_at)}–{fmt.fr_time(x.activity.ends_at)}"
                    for x in lines
                ],
                "Activité": [
                    x.activity.title
                    + (
                        f" — annulée ({x.activity.cancelled_reason})"
                        if x.activity.cancelled
                        else ""
                    )
                    for x in lines
                ],
                "Type": [fr(x.activity.category) for x in lines],
                "Lieu": [_where(x) for x in lines],
                "Inscrits": [len(signed_up[x.activity.stored_id]) for x in lines],
                "Présents": [f"{x.present} / {x.recorded}" if x.recorded else "—" for x in lines],
            }
        )
    else:
        st.info("Aucune activité prévue cette semaine.")
    _programme(ctx, monday)
    if may_write(ctx.user, Activity.table):
        with st.expander(
            "Nouvelle activité", expanded=bool(st.session_state.get(f"{NEW_ACTIVITY}:errors"))
        ):
            _activity_form(ctx, monday)
        with st.expander("Modifier ou annuler une activité à venir"):
            _change_activity(ctx, lines)


def _programme(ctx: shell.Context, monday: date) -> None:
    """The week shown, as the large-type programme to post on the noticeboard."""
    downloads.offer(
        PROGRAMME,
        "Programme de la semaine (PDF, à afficher)",
        lambda: documents.week_programme(ctx.db, ctx.user, ctx.habitat_id, monday),
        subject=monday,
    )


def _spaces(ctx: shell.Context) -> dict[int, CommonSpace]:
    return {s.stored_id: s for s in reads.common_spaces(ctx.db, ctx.user, ctx.habitat_id)}


def _when(form: str, default_day: date, start: time, end: time) -> tuple[datetime, datetime]:
    """Day, start and end inputs of a form, as two datetimes."""
    day_column, start_column, end_column = st.columns(3)
    day = day_column.date_input("Jour", value=default_day, format="DD/MM/YYYY", key=f"{form}.day")
    starts = start_column.time_input(forms.label("starts_at"), value=start, key=f"{form}.start")
    ends = end_column.time_input(forms.label("ends_at"), value=end, key=f"{form}.end")
    forms.field_error(form, "starts_at")
    forms.field_error(form, "ends_at")
    return datetime.combine(day, starts), datetime.combine(day, ends)


def _optional(text: str | None) -> str | None:
    return text if text and text.strip() else None


_ACTIVITY_FIELDS = ["title", "category", "starts_at", "ends_at", "place", "space_id", "location"]


def _activity_inputs(
    ctx: shell.Context, form: str, current: Activity | None, default_day: date
) -> dict:
    """The inputs of an activity (empty for a new one, filled for a change); its data."""
    spaces = _spaces(ctx)
    categories, places, space_ids = options(ActivityCategory), options(Place), [None, *spaces]
    title = st.text_input(
        forms.label("title"), value=current.title if current else "", key=f"{form}.title"
    )
    forms.field_error(form, "title")
    category = st.selectbox(
        forms.label("category"),
        categories,
        index=categories.index(current.category.value) if current else 0,
        format_func=enum_fmt(ActivityCategory),
        key=f"{form}.category",
        placeholder="Choisir…",
    )
    forms.field_error(form, "category")
    if current is None:
        starts_at, ends_at = _when(form, default_day, time(14, 0), time(16, 0))
    else:
        starts_at, ends_at = _when(
            form, current.starts_at.date(), current.starts_at.time(), current.ends_at.time()
        )
    place = st.radio(
        forms.label("place"),
        places,
        index=places.index(current.place.value) if current else 0,
        format_func=enum_fmt(Place),
        horizontal=True,
        key=f"{form}.place",
    )
    forms.field_error(form, "place")
    space_id = st.selectbox(
        forms.label("space_id"),
        space_ids,
        index=space_ids.index(current.space_id) if current and current.space_id in spaces else 0,
        format_func=lambda i: "Aucun" if i is None else spaces[i].name,
        key=f"{form}.space_id",
        placeholder="Choisir…",
    )
    forms.field_error(form, "space_id")
    location = st.text_input(
        forms.label("location"),
        value=(current.location or "") if current else "",
        key=f"{form}.location",
    )
    forms.field_error(form, "location")
    description = st.text_area(
        forms.label("description"),
        value=(current.description or "") if current else "",
        key=f"{form}.description",
    )
    forms.field_error(form, "description")
    return {
        "title": title,
        "category": category,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
        "space_id": space_id,
        "location": _optional(location),
        "description": _optional(description),
    }


def _activity_form(ctx: shell.Context, monday: date) -> None:
    form = NEW_ACTIVITY
    forms.status(form, _ACTIVITY_FIELDS)
    with st.form(form):
        data = _activity_inputs(ctx, form, None, max(monday, ctx.today))
        if st.form_submit_button("Ajouter l'activité", type="primary"):
            forms.submit(
                form,
                lambda: records.create(
                    ctx.db, ctx.user, Activity, {"habitat_id": ctx.habitat_id, **data}
                ),
                "Activité ajoutée au calendrier.",
            )


def _change_activity(ctx: shell.Context, lines: list[ActivityLine]) -> None:
    """Change or call off an activity still to come (one that took place stays as it was)."""
    coming = {
        x.activity.stored_id: x.activity
        for x in lines
        if x.activity.starts_at.date() >= ctx.today and not x.activity.cancelled
    }
    if not coming:
        st.info("Aucune activité à venir cette semaine.")
        return
    chosen = st.selectbox(
        "Activité à modifier ou annuler",
        list(coming),
        format_func=lambda i: f"{fmt.fr_datetime(coming[i].starts_at)} · {coming[i].title}",
        key="activity.pick",
        placeholder="Choisir…",
    )
    activity = coming[chosen]
    form = f"activity.{activity.id}"
    version = forms.opened_version(form, activity)
    forms.status(form, _ACTIVITY_FIELDS)
    with st.form(form):
        data = _activity_inputs(ctx, form, activity, activity.starts_at.date())
        if st.form_submit_button("Enregistrer les modifications", type="primary"):
            forms.submit(
                form,
                lambda: records.update(
                    ctx.db, ctx.user, Activity, activity.stored_id, version, data
                ),
                f"Activité modifiée : {data['title']}.",
            )
    cancel = f"activity_cancel.{activity.id}"
    forms.status(cancel, ["cancelled_reason"])
    with st.form(cancel):
        reason = st.text_input(
            "Motif d'annulation (affiché sur le calendrier)",
            key=f"{cancel}.cancelled_reason",
            max_chars=200,
        )
        forms.field_error(cancel, "cancelled_reason")
        if st.form_submit_button("Annuler cette activité"):
            forms.submit(
                cancel,
                lambda: collective.cancel_activity(
                    ctx.db, ctx.user, activity.stored_id, version, reason
                ),
                f"Activité annulée : {activity.title}.",
            )


# --- Attendance ----------------------------------------------------------------------


def _attendance(ctx: shell.Context) -> None:
    start = ctx.today - timedelta(days=ATTENDANCE_DAYS - 1)
    lines = [
        x
        for x in reads.activities(
            ctx.db, ctx.user, ctx.habitat_id, start, ctx.today + timedelta(days=1)
        )
        if not x.activity.cancelled
    ]
    st.caption(
        f"Activités des {ATTENDANCE_DAYS} derniers jours, la plus récente d'abord. "
        "Les présences se relèvent le jour même ou dans les jours qui suivent."
    )
    if not lines:
        st.info("Aucune activité ces derniers jours.")
        return
    by_id = {x.activity.stored_id: x for x in reversed(lines)}
    chosen = st.selectbox(
        "Activité",
        list(by_id),
        format_func=lambda i: (
            f"{fmt.fr_datetime(by_id[i].activity.starts_at)} · {by_id[i].activity.title}"
            + (f" ({by_id[i].recorded} réponses)" if by_id[i].recorded else " (à relever)")
        ),
        key="collective.attendance.activity",
        placeholder="Choisir…",
    )
    activity = by_id[chosen].activity
    rows = {
        row.resident_id: row
        for row in reads.activity_attendance(ctx.db, ctx.user, ctx.habitat_id, activity.stored_id)
    }
    residents = {
        r.stored_id: r
        for r in reads.current_residents(
            ctx.db, ctx.user, ctx.habitat_id, activity.starts_at.date()
        )
    }
    residents |= reads.residents_by_id(
        ctx.db, ctx.user, ctx.habitat_id, [i for i in rows if i not in residents]
    )
    if not may_write(ctx.user, Attendance.table):
        _attendance_table(residents, rows)
        return
    _attendance_form(ctx, activity, residents, rows)


def _recorded(row: Attendance | None) -> str | None:
    return row.status.value if row is not None and row.archived_at is None else None


def _attendance_table(residents: dict[int, Resident], rows: dict[int, Attendance]) -> None:
    if not rows:
        st.info("Les présences de cette activité n'ont pas été relevées.")
        return
    ordered = sorted(residents.values(), key=lambda r: (r.last_name, r.first_name))
    tables.show(
        {
            "Habitant": [r.full_name for r in ordered],
            "Présence": [fr(_recorded(rows.get(r.stored_id))) for r in ordered],
        }
    )


def _all_present(form: str, resident_ids: list[int]) -> None:
    for resident_id in resident_ids:
        key = f"{form}.{resident_id}"
        if st.session_state.get(key) is None:
            st.session_state[key] = Presence.PRESENT.value


def _attendance_form(
    ctx: shell.Context,
    activity: Activity,
    residents: dict[int, Resident],
    rows: dict[int, Attendance],
) -> None:
    form = f"attendance.{activity.id}"
    ordered = sorted(residents.values(), key=lambda r: (r.last_name, r.first_name))
    opened_key = f"{form}:opened"
    if opened_key not in st.session_state:
        st.session_state[opened_key] = {i: row.version for i, row in rows.items()}
    for resident in ordered:
        key = f"{form}.{resident.id}"
        if key not in st.session_state:
            st.session_state[key] = _recorded(rows.get(resident.stored_id))
    forms.status(form)
    st.button(
        "Tous présents (puis corrigez les absents)",
        key=f"{form}:all",
        on_click=_all_present,
        args=(form, [r.id for r in ordered]),
    )
    signed_up = collective.registered(ctx.db, [activity.stored_id])[activity.stored_id]
    with st.form(form):
        for resident in ordered:
            st.segmented_control(
                fmt.plain(resident.full_name)
                + (" (inscrit·e)" if resident.id in signed_up else ""),
                options(Presence),
                format_func=enum_fmt(Presence),
                key=f"{form}.{resident.id}",
            )
        st.caption("Un habitant sans réponse n'est pas enregistré.")
        if st.form_submit_button("Enregistrer les présences", type="primary"):
            statuses = {r.stored_id: st.session_state.get(f"{form}.{r.id}") for r in ordered}
            opened = dict(st.session_state[opened_key])
            forms.submit(
                form,
                lambda: collective.take_attendance(
                    ctx.db, ctx.user, activity.stored_id, statuses, opened
                ),
                f"Présences enregistrées : {activity.title}.",
            )


# --- Participation -------------------------------------------------------------------


def _month_label(key: str) -> str:
    return f"{_MONTHS[int(key[5:7]) - 1]} {key[:4]}"


def _participation(ctx: shell.Context, visible: set[int] | None) -> None:
    start, end = collective.participation_window(ctx.today)
    monthly = reads.monthly_attendance(ctx.db, ctx.user, ctx.habitat_id, start, end)
    present = reads.current_residents(ctx.db, ctx.user, ctx.habitat_id, ctx.today)
    arrived = collective.newcomers({r.stored_id: r.entry_date for r in present}, ctx.today)
    summary = collective.participation(monthly, [r.stored_id for r in present], arrived)
    residents = reads.residents_by_id(
        ctx.db, ctx.user, ctx.habitat_id, [p.resident_id for p in summary]
    )
    names = {i: r.full_name for i, r in residents.items()}
    st.caption(
        f"Activités du {fmt.fr_date(start)} au {fmt.fr_date(ctx.today)} "
        f"({collective.PARTICIPATION_MONTHS} mois)."
    )
    if not summary:
        st.info("Aucune présence relevée sur cette période.")
        return
    low = [p for p in summary if p.low]
    if visible is None and low:
        st.warning(
            fmt.plain(
                "Peu de participation : "
                + ", ".join(f"{names.get(p.resident_id, '—')} ({p.rate:.0%})" for p in low)
                + ". Un échange avec ces habitants peut aider à comprendre pourquoi."
            ),
            icon="⚠️",
        )
    labels = {
        p.resident_id: ("⚠️ " if p.low else "")
        + names.get(p.resident_id, "—")
        + (" (arrivée récente)" if p.resident_id in arrived else "")
        for p in summary
    }
    months = collective.month_keys(start, end)
    counts = {(m.resident_id, m.month): m for m in monthly}
    cells = [
        (p.resident_id, month, counts.get((p.resident_id, month)))
        for p in summary
        for month in months
    ]
    frame = tables.arrow(
        {
            "Habitant": [labels[i] for i, _, _ in cells],
            "Mois": [_month_label(month) for _, month, _ in cells],
            "Présences": [c.present if c else 0 for _, _, c in cells],
            "Activités proposées": [c.recorded if c else 0 for _, _, c in cells],
        }
    )
    st.subheader("Présences par mois")
    st.vega_lite_chart(
        frame,
        {
            "config": charts.FRENCH,
            "mark": {"type": "rect"},
            "encoding": {
                "x": {
                    "field": "Mois",
                    "type": "nominal",
                    "sort": [_month_label(m) for m in months],
                    "title": None,
                },
                "y": {
                    "field": "Habitant",
                    "type": "nominal",
                    "sort": [labels[p.resident_id] for p in summary],
                    "title": None,
                },
                "color": {
                    "field": "Présences",
                    "type": "quantitative",
                    "scale": {"scheme": "blues"},
                },
                "tooltip": [
                    {
                        "field": name,
                        "type": "nominal" if name in ("Habitant", "Mois") else "quantitative",
                    }
                    for name in ("Habitant", "Mois", "Présences", "Activités proposées")
                ],
            },
        },
        width="stretch",
    )
    st.subheader("Sur la période")
    tables.show(
        {
            "Habitant": [names.get(p.resident_id, "—") for p in summary],
            "Présent": [p.present for p in summary],
            "Excusé": [p.excused for p in summary],
            "Activités proposées": [p.recorded for p in summary],
            "Taux de présence (%)": [round(100 * p.rate) for p in summary],
            "Participation": [LOW_FLAG if p.low else "" for p in summary],
        }
    )
    st.caption(
        f"Signalé « faible » : moins de {collective.LOW_RATE:.0%} des activités, ou moins de "
        f"la moitié du taux médian de l'habitat."
    )


# --- Bookings ------------------------------------------------------------------------


def _bookings(ctx: shell.Context) -> None:
    monday = _monday(ctx)
    st.caption(
        f"Réservations de la semaine du {fmt.fr_long_date(monday)} "
        "(changez de semaine dans le calendrier)."
    )
    lines = reads.bookings(ctx.db, ctx.user, ctx.habitat_id, monday, monday + timedelta(days=7))
    residents = reads.residents_by_id(
        ctx.db,
        ctx.user,
        ctx.habitat_id,
        [x.booking.resident_id for x in lines if x.booking.resident_id],
    )
    if lines:
        tables.show(
            {
                "Jour": [fmt.fr_long_date(x.booking.starts_at.date()) for x in lines],
                "Horaire": [
                    f"{fmt.fr_time(x.booking.starts_at)}–{fmt.fr_time(x.booking.ends_at)}"
                    for x in lines
                ],
                "Espace": [x.space for x in lines],
                "Objet": [x.booking.purpose for x in lines],
                "Réservé par": [x.booking.booked_by for x in lines],
                "Habitant": [
                    residents[x.booking.resident_id].full_name
                    if x.booking.resident_id in residents
                    else ""
                    for x in lines
                ],
            }
        )
    else:
        st.info("Aucune réservation cette semaine.")
    if may_write(ctx.user, Booking.table):
        st.subheader("Réserver un espace")
        _booking_form(ctx, monday)
        if ctx.user.is_animator:
            with st.expander("Annuler une réservation à venir"):
                _cancel_booking(ctx, [x.booking for x in lines])


def _cancel_booking(ctx: shell.Context, bookings: list[Booking]) -> None:
    """Call off a booking still to come: it frees the space and stays in the history."""
    coming = {b.stored_id: b for b in bookings if b.starts_at.date() >= ctx.today}
    if not coming:
        st.info("Aucune réservation à venir cette semaine.")
        return
    form = CANCEL_BOOKING
    forms.status(form)
    with st.form(form):
        chosen = st.selectbox(
            "Réservation",
            list(coming),
            format_func=lambda i: (
                f"{fmt.fr_datetime(coming[i].starts_at)} · {coming[i].purpose}"
                f" · {coming[i].booked_by}"
            ),
            key=f"{form}.booking",
            placeholder="Choisir…",
        )
        if st.form_submit_button("Annuler la réservation"):
            booking = coming[chosen]
            forms.submit(
                form,
                lambda: records.archive(
                    ctx.db, ctx.user, Booking, booking.stored_id, booking.version
                ),
                f"Réservation annulée : {booking.purpose} "
                f"({fmt.fr_datetime(booking.starts_at)}). L'espace est libre.",
            )


def _booking_form(ctx: shell.Context, monday: date) -> None:
    form = NEW_BOOKING
    spaces = _spaces(ctx)
    residents = {
        r.stored_id: r for r in reads.current_residents(ctx.db, ctx.user, ctx.habitat_id, ctx.today)
    }
    forms.status(form, ["space_id", "resident_id", "booked_by", "purpose", "starts_at", "ends_at"])
    with st.form(form):
        space_id = st.selectbox(
            forms.label("space_id"),
            list(spaces),
            format_func=lambda i: spaces[i].name,
            key=f"{form}.space_id",
            placeholder="Choisir…",
        )
        forms.field_error(form, "space_id")
        resident_id = st.selectbox(
            forms.label("resident_id"),
            [None, *residents],
            format_func=lambda i: (
                "Aucun (réservation collective)" if i is None else residents[i].full_name
            ),
            key=f"{form}.resident_id",
            placeholder="Choisir…",
        )
        forms.field_error(form, "resident_id")
        booked_by = st.text_input(forms.label("booked_by"), key=f"{form}.booked_by")
        forms.field_error(form, "booked_by")
        purpose = st.text_input(forms.label("purpose"), key=f"{form}.purpose")
        forms.field_error(form, "purpose")
        starts_at, ends_at = _when(form, max(monday, ctx.today), time(14, 0), time(16, 0))
        if st.form_submit_button("Réserver", type="primary"):
            data = {
                "space_id": space_id,
                "resident_id": resident_id,
                "booked_by": booked_by,
                "purpose": purpose,
                "starts_at": starts_at,
                "ends_at": ends_at,
            }
            forms.submit(
                form,
                lambda: records.create(ctx.db, ctx.user, Booking, data),
                "Réservation enregistrée.",
            )


# --- House rules and the shared-life project -----------------------------------------


def _rules(ctx: shell.Context) -> None:
    writer = may_write(ctx.user, HouseRule.table)
    st.subheader("Projet de vie sociale et partagée")
    versions = reads.project_versions(ctx.db, ctx.user, ctx.habitat_id)
    if versions:
        current = versions[0]
        st.caption(
            f"Version {current.number}, adoptée le {fmt.fr_date(current.adopted_on)} "
            f"par {fmt.plain(current.adopted_by)}"
        )
        with st.container(border=True):
            st.markdown(fmt.plain(current.text))
        if len(versions) > 1:
            with st.expander(f"Versions précédentes ({len(versions) - 1})"):
                for version in versions[1:]:
                    st.markdown(
                        f"**Version {version.number}**, adoptée le "
                        f"{fmt.fr_date(version.adopted_on)} par {fmt.plain(version.adopted_by)}"
                    )
                    st.markdown(fmt.plain(version.text))
    else:
        st.info("Aucun projet de vie sociale et partagée n'est encore enregistré.")
    if writer:
        with st.expander("Adopter une nouvelle version du projet"):
            _project_form(ctx, versions[0] if versions else None)

    st.subheader("Règles de vie")
    rules = reads.house_rules(ctx.db, ctx.user, ctx.habitat_id)
    for rule in rules:
        with st.container(border=True):
            st.markdown(f"**{fmt.plain(rule.title)}**")
            st.markdown(fmt.plain(rule.text))
            st.caption(
                f"Adoptée le {fmt.fr_date(rule.adopted_on)} par {fmt.plain(rule.adopted_by)}"
            )
    if not rules:
        st.info("Aucune règle de vie n'est encore enregistrée.")
    former = reads.house_rules(ctx.db, ctx.user, ctx.habitat_id, former=True)
    if former:
        with st.expander(f"Versions précédentes des règles ({len(former)})"):
            tables.show(
                {
                    "Règle": [r.title for r in former],
                    "Texte": [r.text for r in former],
                    "Adoptée le": [fmt.fr_date(r.adopted_on) for r in former],
                    "Par": [r.adopted_by for r in former],
                    "Remplacée le": [fmt.fr_date(r.archived_at) for r in former],
                }
            )
    if writer:
        with st.expander("Adopter une règle ou une nouvelle version"):
            _rule_form(ctx, {r.stored_id: r for r in rules})


def _adoption(ctx: shell.Context, form: str, text: str) -> tuple[str, date, str]:
    """The fields every adopted text has: the text, when and by whom it was adopted."""
    text = st.text_area(forms.label("text"), value=text, height=200, key=f"{form}.text")
    forms.field_error(form, "text")
    adopted_on = st.date_input(
        forms.label("adopted_on"), value=ctx.today, format="DD/MM/YYYY", key=f"{form}.adopted_on"
    )
    forms.field_error(form, "adopted_on")
    adopted_by = st.text_input(forms.label("adopted_by"), key=f"{form}.adopted_by")
    forms.field_error(form, "adopted_by")
    return text, adopted_on, adopted_by


def _project_form(ctx: shell.Context, current: SharedLifeProject | None) -> None:
    form = NEW_PROJECT
    forms.status(form, ["number", "text", "adopted_on", "adopted_by"])
    with st.form(form):
        number = st.number_input(
            forms.label("number"),
            min_value=1,
            value=(current.number + 1) if current else 1,
            step=1,
            key=f"{form}.number",
        )
        forms.field_error(form, "number")
        text, adopted_on, adopted_by = _adoption(ctx, form, current.text if current else "")
        if st.form_submit_button("Adopter cette version", type="primary"):
            data = {
                "habitat_id": ctx.habitat_id,
                "number": int(number),
                "text": text,
                "adopted_on": adopted_on,
                "adopted_by": adopted_by,
            }
            forms.submit(
                form,
                lambda: records.create(ctx.db, ctx.user, SharedLifeProject, data),
                "Nouvelle version du projet adoptée.",
            )


def _rule_form(ctx: shell.Context, rules: dict[int, HouseRule]) -> None:
    replaced_id = st.selectbox(
        "Règle",
        [None, *rules],
        format_func=lambda i: (
            "Nouvelle règle" if i is None else f"Nouvelle version : {rules[i].title}"
        ),
        key="house_rule.replaces",
        placeholder="Choisir…",
    )
    replaced = None if replaced_id is None else rules.get(replaced_id)
    form = f"house_rule.{replaced_id or 'new'}"
    version = forms.opened_version(form, replaced) if replaced else None
    forms.status(form, ["title", "text", "adopted_on", "adopted_by"])
    with st.form(form):
        title = st.text_input(
            forms.label("title"), value=replaced.title if replaced else "", key=f"{form}.title"
        )
        forms.field_error(form, "title")
        text, adopted_on, adopted_by = _adoption(ctx, form, replaced.text if replaced else "")
        if st.form_submit_button("Adopter", type="primary"):
            data = {
                "habitat_id": ctx.habitat_id,
                "title": title,
                "text": text,
                "adopted_on": adopted_on,
                "adopted_by": adopted_by,
            }
            forms.submit(
                form,
                lambda: collective.adopt_house_rule(ctx.db, ctx.user, data, replaced, version),
                "Règle de vie adoptée.",
            )

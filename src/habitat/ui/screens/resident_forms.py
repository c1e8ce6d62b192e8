"""The animator's forms of a resident's file: identity, support plan and its parts."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

from habitat.domain import Public
from habitat.services import reads, records, setup
from habitat.services.residents import optional, weekdays_fr
from habitat.store.entities import (
    EntryMode,
    ExitReason,
    Intensity,
    Intervention,
    NeedDomain,
    PlanNeed,
    PlanReview,
    Resident,
    RiskAgreement,
    SupportLevel,
    SupportPlan,
)
from habitat.store.queries import ResidentFile
from habitat.store.record import Record
from habitat.ui import fields, fmt, forms
from habitat.ui.labels import fr
from habitat.ui.shell import Context

#: A resident to open on the next rerun of the residents page (the one just added).
OPEN = "residents.open"
NEW = "resident.new"
#: Switches showing a form only when asked for (a form's inputs cost time on every rerun).
ADDING = "residents.adding"
EDITING = "residents.editing"
PLAN_ACTION = "residents.plan_action"
#: What the plan editor offers, and the prefix of each form's key (followed by the resident id).
PLAN_ACTIONS = {
    "Projet": "support_plan",
    "Besoin": "need",
    "Intervention": "intervention",
    "Accord autonomie-sécurité": "agreement",
    "Révision": "review",
    "Archiver un élément": "part",
}
_FORMS = ("resident", *PLAN_ACTIONS.values())

RESIDENT_FIELDS = [
    "first_name",
    "last_name",
    "birth_year",
    "public",
    "gir",
    "support_level",
    "dwelling",
    "emergency_contact",
    "entry_date",
    "entry_mode",
    "exit_date",
    "exit_reason",
]
#: A new risk agreement is reviewed after this many days unless said otherwise.
AGREEMENT_REVIEW_DAYS = 180

_PARTS: dict[str, type[Record]] = {
    "plan_need": PlanNeed,
    "intervention": Intervention,
    "risk_agreement": RiskAgreement,
    "plan_review": PlanReview,
}


def _dwelling_input(ctx: Context, form: str, r: Resident | None) -> str | None:
    """The dwelling: a choice among the free ones when the habitat names its dwellings."""
    current = r.dwelling if r else None
    offered = setup.dwelling_choices(ctx.db, ctx.habitat_id, current)
    if offered is None:
        return optional(fields.text(form, "dwelling", current))
    if not offered:
        st.caption(
            "Tous les logements sont occupés : enregistrez d'abord la sortie d'un habitant "
            "(ou ajoutez un logement dans « Paramètres de l'habitat »)."
        )
    return fields.choice(form, "dwelling", offered, current, optional=True)


def _resident_inputs(
    ctx: Context, form: str, r: Resident | None, today: date, *, leaving: bool
) -> dict:
    values = {
        "first_name": fields.text(form, "first_name", r.first_name if r else None),
        "last_name": fields.text(form, "last_name", r.last_name if r else None),
        "birth_year": fields.number(form, "birth_year", r.birth_year if r else None),
        "public": fields.enum(form, "public", Public, r.public if r else Public.ELDERLY),
        "gir": fields.number(
            form, "gir", r.gir if r else None, help="De 1 (très dépendant) à 6 (autonome)."
        ),
        "support_level": fields.enum(
            form, "support_level", SupportLevel, r.support_level if r else None, optional=True
        ),
        "dwelling": _dwelling_input(ctx, form, r),
        "emergency_contact": optional(
            fields.text(form, "emergency_contact", r.emergency_contact if r else None)
        ),
        "entry_date": fields.date(form, "entry_date", r.entry_date if r else today),
        "entry_mode": fields.enum(form, "entry_mode", EntryMode, r.entry_mode if r else None),
    }
    if leaving:
        values["exit_date"] = fields.date(form, "exit_date", r.exit_date if r else None)
        values["exit_reason"] = fields.enum(
            form, "exit_reason", ExitReason, r.exit_reason if r else None, optional=True
        )
    return values


def add_resident(ctx: Context) -> None:
    """The form adding a resident, shown on demand (the new file opens once saved)."""
    if not st.toggle("Ajouter un habitant", key=ADDING):
        _drop(NEW)
        return
    forms.status(NEW, RESIDENT_FIELDS)
    with st.form(NEW):
        values = _resident_inputs(ctx, NEW, None, ctx.today, leaving=False)
        if st.form_submit_button("Ajouter l'habitant", type="primary", key=f"{NEW}:save"):
            forms.submit(NEW, lambda: _create_resident(ctx, values), "Habitant ajouté.")


def just_added() -> int | None:
    """The resident added by the last rerun, if any (call before any widget is shown).

    Closes the adding form, so that the new resident's file shows instead.
    """
    added = st.session_state.pop(OPEN, None)
    if added is not None:
        st.session_state[ADDING] = False
    return added


def _create_resident(ctx: Context, values: dict) -> None:
    data = fields.given(values) | {"habitat_id": ctx.habitat_id}
    resident = records.create(ctx.db, ctx.user, Resident, data)
    st.session_state[OPEN] = resident.id


def edit_resident(ctx: Context, r: Resident) -> None:
    """The form editing a resident's identity, entry and exit, shown on demand."""
    form = f"resident.{r.id}"
    if not st.toggle("Modifier la fiche", key=EDITING):
        _drop(form)
        return
    version = forms.opened_version(form, r)
    forms.status(form, RESIDENT_FIELDS)
    with st.form(form):
        values = _resident_inputs(ctx, form, r, ctx.today, leaving=True)
        if st.form_submit_button("Enregistrer", type="primary", key=f"{form}:save"):
            forms.submit(
                form,
                lambda: records.update(ctx.db, ctx.user, Resident, r.stored_id, version, values),
                "Fiche enregistrée.",
            )


# --- The support plan ----------------------------------------------------------------


def plan_form(ctx: Context, rid: int, plan: SupportPlan | None) -> None:
    """The form creating a resident's support plan, or editing its dates and preferences."""
    form = f"support_plan.{rid}"
    version = forms.opened_version(form, plan) if plan else None
    st.markdown("**Modifier le projet**" if plan else "**Créer le projet d'accompagnement**")
    forms.status(form, ["started_on", "review_due", "preferences"])
    with st.form(form):
        values = {
            "started_on": fields.date(form, "started_on", plan.started_on if plan else ctx.today),
            "review_due": fields.date(form, "review_due", plan.review_due if plan else None),
            "preferences": optional(
                fields.text(form, "preferences", plan.preferences if plan else None, area=True)
            ),
        }
        if st.form_submit_button("Enregistrer le projet", type="primary", key=f"{form}:save"):
            forms.submit(
                form,
                lambda: _save_plan(ctx, rid, plan, version, values),
                "Projet d'accompagnement enregistré.",
            )


def _save_plan(
    ctx: Context, rid: int, plan: SupportPlan | None, version: int | None, values: dict
) -> None:
    if plan is None:
        records.create(ctx.db, ctx.user, SupportPlan, fields.given(values) | {"resident_id": rid})
    else:
        assert version is not None  # read with the plan
        records.update(ctx.db, ctx.user, SupportPlan, plan.stored_id, version, values)


def _add(ctx: Context, model, plan: SupportPlan, values: dict) -> None:
    records.create(ctx.db, ctx.user, model, fields.given(values) | {"plan_id": plan.id})


def _need_form(ctx: Context, rid: int, plan: SupportPlan) -> None:
    form = f"need.{rid}"
    st.markdown("**Ajouter un besoin**")
    forms.status(form, ["domain", "intensity", "description"])
    with st.form(form):
        values = {
            "domain": fields.enum(form, "domain", NeedDomain, None),
            "intensity": fields.enum(form, "intensity", Intensity, Intensity.MODERATE),
            "description": fields.text(form, "description", area=True),
        }
        if st.form_submit_button("Ajouter le besoin", key=f"{form}:save"):
            forms.submit(form, lambda: _add(ctx, PlanNeed, plan, values), "Besoin ajouté.")


def _intervention_form(ctx: Context, rid: int, plan: SupportPlan) -> None:
    form = f"intervention.{rid}"
    providers = {p.stored_id: p for p in reads.providers(ctx.db, ctx.user, ctx.habitat_id)}
    st.markdown("**Ajouter une intervention**")
    if not providers:
        st.info("Enregistrez d'abord un intervenant (page Intervenants).")
        return
    shown = ["provider_id", "weekdays", "start_time", "end_time", "task"]
    forms.status(form, shown)
    with st.form(form):
        values = {
            "provider_id": fields.choice(
                form,
                "provider_id",
                list(providers),
                None,
                format_func=lambda i: f"{providers[i].name} ({fr(providers[i].arrangement)})",
            ),
            "weekdays": fields.several(
                form, "weekdays", range(7), [], format_func=lambda d: fmt.WEEKDAYS_FR[d]
            ),
            "start_time": fields.time(form, "start_time", None),
            "end_time": fields.time(form, "end_time", None),
            "task": optional(fields.text(form, "task")),
        }
        if st.form_submit_button("Ajouter l'intervention", key=f"{form}:save"):
            forms.submit(
                form, lambda: _add(ctx, Intervention, plan, values), "Intervention ajoutée."
            )


def _names(typed: str) -> list[str]:
    return [name.strip() for name in typed.split(",") if name.strip()]


def _agreement_form(ctx: Context, rid: int, plan: SupportPlan) -> None:
    form = f"agreement.{rid}"
    st.markdown("**Ajouter un choix convenu (autonomie et sécurité)**")
    forms.status(form, ["what", "agreed_by", "agreed_on", "review_on"])
    with st.form(form):
        values = {
            "what": fields.text(
                form,
                "what",
                area=True,
                help="Le risque accepté et ce qui est convenu pour le limiter.",
            ),
            "agreed_by": _names(
                fields.text(
                    form,
                    "agreed_by",
                    label="Convenu avec (noms séparés par des virgules)",
                )
            ),
            "agreed_on": fields.date(form, "agreed_on", ctx.today),
            "review_on": fields.date(
                form, "review_on", ctx.today + timedelta(days=AGREEMENT_REVIEW_DAYS)
            ),
        }
        if st.form_submit_button("Ajouter l'accord", key=f"{form}:save"):
            forms.submit(form, lambda: _add(ctx, RiskAgreement, plan, values), "Accord enregistré.")


def _review_form(ctx: Context, rid: int, plan: SupportPlan) -> None:
    form = f"review.{rid}"
    st.markdown("**Enregistrer une révision**")
    forms.status(form, ["reviewed_on", "reviewed_by", "summary"])
    with st.form(form):
        values = {
            "reviewed_on": fields.date(form, "reviewed_on", ctx.today),
            "reviewed_by": fields.text(form, "reviewed_by", ctx.user.display_name),
            "summary": fields.text(form, "summary", area=True),
        }
        if st.form_submit_button("Enregistrer la révision", key=f"{form}:save"):
            forms.submit(form, lambda: _add(ctx, PlanReview, plan, values), "Révision enregistrée.")


def _archive_part_form(ctx: Context, file: ResidentFile) -> None:
    form = f"part.{file.resident.id}"
    provider = {i: p.name for i, p in file.providers.items()}
    items: dict[str, tuple[Record, str]] = {
        f"plan_need:{n.id}": (n, f"Besoin · {fr(n.domain)}") for n in file.needs
    }
    items |= {
        f"intervention:{i.id}": (
            i,
            f"Intervention · {provider.get(i.provider_id, '—')} · {weekdays_fr(i.weekdays)} "
            f"{fmt.fr_time(i.start_time)}",
        )
        for i in file.interventions
    }
    items |= {f"risk_agreement:{a.id}": (a, f"Accord · {a.what[:60]}") for a in file.agreements}
    items |= {
        f"plan_review:{v.id}": (v, f"Révision du {fmt.fr_date(v.reviewed_on)}")
        for v in file.reviews
    }
    st.markdown("**Archiver un élément du projet**")
    if not items:
        st.caption("Le projet n'a encore aucun élément.")
        return
    forms.status(form, ["item"])
    with st.form(form):
        picked = st.selectbox(
            "Élément",
            list(items),
            format_func=lambda k: items[k][1],
            key=f"{form}.item",
            placeholder="Choisir…",
        )
        forms.field_error(form, "item")
        if st.form_submit_button("Archiver", key=f"{form}:save"):
            record = items[picked][0]
            model = _PARTS[picked.split(":")[0]]
            forms.submit(
                form,
                lambda: records.archive(ctx.db, ctx.user, model, record.stored_id, record.version),
                "Élément archivé (il reste dans l'historique).",
            )


def plan_editor(ctx: Context, file: ResidentFile, plan: SupportPlan) -> None:
    """The plan's forms, one at a time, as the animator picks them.

    Dates and preferences, needs, interventions, agreements, reviews, archiving a part.
    `plan` is the file's plan (a file without one offers `plan_form` only).
    """
    rid = file.resident.stored_id
    action = st.segmented_control("Modifier le projet", list(PLAN_ACTIONS), key=PLAN_ACTION)
    for label, prefix in PLAN_ACTIONS.items():
        if label != action:
            _drop(f"{prefix}.{rid}")
    if action == "Projet":
        plan_form(ctx, rid, plan)
    elif action == "Besoin":
        _need_form(ctx, rid, plan)
    elif action == "Intervention":
        _intervention_form(ctx, rid, plan)
    elif action == "Accord autonomie-sécurité":
        _agreement_form(ctx, rid, plan)
    elif action == "Révision":
        _review_form(ctx, rid, plan)
    elif action == "Archiver un élément":
        _archive_part_form(ctx, file)


def _drop(form: str) -> None:
    """Forget what a form not on screen kept: its opened version and its messages.

    Its inputs' values Streamlit drops itself when they are not shown.
    """
    for suffix in (":version", ":errors", ":conflict"):
        st.session_state.pop(f"{form}{suffix}", None)


def forget(resident_id: int, *prefixes: str) -> None:
    """Drop the forms of a file no longer shown (their opened versions would be stale).

    Args:
        resident_id: the resident whose forms to drop.
        prefixes: only the forms with these prefixes ("resident", "support_plan"...);
            all of them when none is given.
    """
    for prefix in prefixes or _FORMS:
        _drop(f"{prefix}.{resident_id}")


#: The forms of the file's identity section and of its plan section.
IDENTITY_FORMS = ("resident",)
PLAN_FORMS = tuple(PLAN_ACTIONS.values())

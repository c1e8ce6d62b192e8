"""Le modèle de mon habitat: what the model expected against what happened, and what comes.

Four tabs, each a form, a run with a progress bar and a stop button, and a table
with a plain-French reading: the backtest (tab "Attendu et constaté": "Ce que le
modèle attendait, ce qui s'est passé"), the forecast of the coming months, the
questions asked before deciding, and the habitat's own calibration ("Ajuster à mon
habitat"), which the
animator saves for the forecast and the questions to use. The services
(`habitat.services.twin`) build the scenario from the pseudonymised extract and
audit each run; each result says which values the model ran with.
"""

from __future__ import annotations

import json

import streamlit as st

from habitat.domain import Public
from habitat.services import decisions, twin, twin_results
from habitat.services.access import may_write
from habitat.services.twin_calibration import CalibrationUsed
from habitat.services.what_if import InconsistentRecords
from habitat.store.entities import HabitatCalibration
from habitat.twin.calibrate import CalibrationStopped
from habitat.twin.observed import Comparison, Verdict
from habitat.twin.paired import Effect, reading
from habitat.ui import shell, tables
from habitat.ui.labels import fmt as enum_fmt
from habitat.ui.labels import options

BACKTEST = "twin.backtest"
FORECAST = "twin.forecast"
QUESTION = "twin.question"
ADMISSION = "twin.admission"
RULE = "twin.rule"
FAMILIES = "twin.families"
AVP = "twin.avp"
SAVE = "twin.save"
REOPEN = "twin.reopen"
CALIBRATE = "twin.calibrate"
KEEP = "twin.keep"
GENERAL = "twin.general"
#: The questions asked before deciding, in French.
QUESTIONS = {
    ADMISSION: "Une admission",
    RULE: "Une règle avant le vote du conseil",
    FAMILIES: "Ce qui repose sur chaque famille",
    AVP: "Le temps de l'animateur·rice et l'AVP à demander",
}
REGULATION_FR = {
    "none": "aucune régulation",
    "house_rules": "les règles de la maison",
    "council": "le conseil des habitants",
}
#: The animator's time, grouped as the AVP question answers it.
GROUP_FR = {
    "premises": "Locaux et équipements (fonction 1)",
    "collective_organisation": "Organisation de la vie collective (fonction 2)",
    "presence_and_individual": "Présence et soutien individuel (fonctions 3 et 4)",
    "total": "Total",
}
#: What the animator reads about the model before trusting it.
CAVEAT = (
    "Le modèle part de l'habitat tel que ses fiches le décrivent (données pseudonymisées : "
    "des codes et des nombres, jamais un nom ni un texte), avec ses paramètres généraux "
    "(chiffres publiés et hypothèses, voir la page Explorer), ou avec les valeurs propres "
    "de votre habitat une fois le modèle ajusté à ses fiches (onglet « Ajuster à mon "
    "habitat »)."
)
GENERAL_FR = "paramètres généraux du modèle (chiffres publiés et hypothèses)"
VERDICT_ICON = {
    Verdict.INSIDE: "✅",
    Verdict.ABOVE: "🔺",
    Verdict.BELOW: "🔻",
    Verdict.UNKNOWN: "—",
}


def render(ctx: shell.Context) -> None:
    """The twin screen."""
    st.title("Le modèle de mon habitat")
    st.caption(CAVEAT)
    past, coming, ask, own = st.tabs(
        [
            "Attendu et constaté",
            "Les prochains mois",
            "Avant de décider",
            "Ajuster à mon habitat",
        ]
    )
    with past:
        _backtest(ctx)
    with coming:
        _forecast(ctx)
    with ask:
        _questions(ctx)
    with own:
        _calibration(ctx)


def _values(calibration: CalibrationUsed | None) -> str:
    """Which values a run used, as its result says it."""
    return f"Valeurs utilisées : {GENERAL_FR if calibration is None else calibration.said_fr}."


def _general(ctx: shell.Context, key: str) -> bool:
    """Say which values the next run uses; offer the general ones when a calibration is saved."""
    in_use = twin.in_use(ctx.db, ctx.user)
    if in_use is None:
        st.caption(
            f"Le modèle tourne avec ses {GENERAL_FR} : ajustez-le à votre habitat dans "
            "l'onglet « Ajuster à mon habitat »."
        )
        return False
    return st.checkbox(
        "Utiliser les paramètres généraux plutôt que l'ajustement à mon habitat",
        key=key,
        help=f"Par défaut : {in_use.said_fr}.",
    )


def _number(value: float | None) -> str:
    """A figure as the screens write it: three significant digits, a decimal comma."""
    if value is None:
        return "—"
    text = (
        f"{value:.2f}"
        if abs(value) < 10
        else f"{value:.1f}"
        if abs(value) < 100
        else f"{value:.0f}"
    )
    return text.replace(".", ",")


def _euros(value: float) -> str:
    """`7 500`: whole euros, thousands apart."""
    return f"{value:,.0f}".replace(",", "\u202f")


def _band(low: float | None, high: float | None) -> str:
    return "—" if low is None or high is None else f"{_number(low)} à {_number(high)}"


def _fields(form: str, months: int = 12) -> tuple[int, int, int]:
    a, b, c = st.columns(3)
    chosen = a.number_input(
        "Mois", min_value=1, max_value=24, value=months, step=1, key=f"{form}.months"
    )
    replications = _replications(b, form, "Nombre de simulations", 100)
    return int(chosen), replications, _seed(c, form)


def _replications(column, form: str, label: str, value: int) -> int:
    """How many simulations a run makes (10 to 1,000)."""
    return int(
        column.number_input(
            label,
            min_value=10,
            max_value=1000,
            value=value,
            step=10,
            key=f"{form}.replications",
            help="Plus de simulations : des fourchettes plus sûres, un calcul plus long.",
        )
    )


def _seed(column, form: str) -> int:
    """The random seed of a run: the same seed gives the same figures."""
    return int(
        column.number_input(
            "Graine",
            min_value=0,
            value=twin.DEFAULT_SEED,
            step=1,
            key=f"{form}.seed",
            help="La même graine redonne exactement les mêmes chiffres.",
        )
    )


def _progress(form: str, in_days: bool = True):
    """A stop button and a progress bar; returns the callback and a function clearing both.

    The bar counts days, or (`in_days=False`, for a calibration) a percentage.
    """
    stop = st.empty()
    stop.button("Arrêter la simulation", key=f"{form}:stop", icon=":material/stop_circle:")
    bar = st.progress(0.0, text="Simulation en cours…")
    shown = [-1]

    def on_day(day: int, days: int) -> None:
        share = min(day / max(days, 1), 1.0)
        if in_days and (day % 10 == 0 or day == days):
            bar.progress(share, text=f"Simulation en cours… jour {day} sur {days}")
        elif not in_days and int(share * 100) != shown[0]:
            shown[0] = int(share * 100)
            bar.progress(share, text=f"Ajustement en cours… {shown[0]} %")

    def done() -> None:
        bar.empty()
        stop.empty()

    return on_day, done


def _run(form: str, ctx: shell.Context, call, in_days: bool = True) -> None:
    """Run the service with a progress bar; keep its result, or say why it cannot run."""
    on_day, done = _progress(form, in_days)
    try:
        st.session_state[f"{form}:run"] = call(on_day)
    except (twin.BadTwinRequest, InconsistentRecords) as refusal:
        st.session_state.pop(f"{form}:run", None)
        st.error(refusal.message_fr, icon="⚠️")
    except CalibrationStopped:
        st.session_state.pop(f"{form}:run", None)
        st.warning("Ajustement arrêté avant la fin de sa première étape : rien à montrer.")
    finally:
        done()


def _backtest(ctx: shell.Context) -> None:
    st.subheader("Ce que le modèle attendait, ce qui s'est passé")
    st.markdown(
        "Le modèle repart de l'habitat tel qu'il était il y a quelques mois et simule la "
        "période jusqu'à aujourd'hui. Pour chaque chiffre, on compare ce qu'il attendait "
        "(la fourchette où tombent 9 simulations sur 10) à ce que disent les fiches."
    )
    usual = _usual_window(ctx, 6)
    if usual is None:
        return
    with st.form(BACKTEST):
        months, replications, seed = _fields(BACKTEST, usual)
        before = max(_history(ctx) - usual, 1)
        a, b = st.columns([2, 1])
        fit_first = a.checkbox(
            "Ajuster d'abord le modèle sur les mois d'avant (environ une minute)",
            key=f"{BACKTEST}.fit",
            help="Le modèle apprend les chiffres propres de l'habitat sur les fiches d'avant la "
            "période comparée, puis prévoit la période : la comparaison dit alors si "
            "l'ajustement prévoit bien. Sinon, il tourne avec l'ajustement enregistré s'il a "
            "été fait sur des fiches antérieures, ou avec ses paramètres généraux.",
        )
        fit_months = b.number_input(
            "Mois d'ajustement",
            min_value=1,
            max_value=24,
            value=min(12, before),
            key=f"{BACKTEST}.fit_months",
            help="Les mois de fiches juste avant la période comparée.",
        )
        asked = st.form_submit_button("Comparer", type="primary")
    if asked:
        _run(
            BACKTEST,
            ctx,
            lambda on_day: twin.backtest(
                ctx.db,
                ctx.user,
                months=months,
                replications=replications,
                seed=seed,
                fit_months=int(fit_months) if fit_first else None,
                on_day=on_day,
            ),
            in_days=not fit_first,
        )
    elif st.session_state.get(f"{BACKTEST}:stop"):
        st.warning("Simulation arrêtée : rien n'a été calculé.", icon="⏹️")
    run = st.session_state.get(f"{BACKTEST}:run")
    if run is None:
        return
    st.subheader(f"Du {run.start.strftime('%d/%m/%Y')} au {run.end.strftime('%d/%m/%Y')}")
    st.caption(_values(run.calibration))
    st.markdown(_reading(run.rows))
    tables.show(
        {
            "Chiffre": [r.measure.label_fr for r in run.rows],
            "Unité": [r.measure.unit_fr for r in run.rows],
            "Attendu (médiane)": [_number(r.median) for r in run.rows],
            "Fourchette attendue": [_band(*r.band) for r in run.rows],
            "Constaté dans les fiches": [_number(r.observed.value) for r in run.rows],
            "Incertitude du constat": [_band(r.observed.low, r.observed.high) for r in run.rows],
            "Verdict": [f"{VERDICT_ICON[r.verdict]} {r.verdict}" for r in run.rows],
        }
    )
    few = [r.measure.label_fr for r in run.rows if r.observed.value is not None and r.observed.few]
    if few:
        st.caption(
            "Peu d'événements derrière ces chiffres, à lire avec prudence : " + ", ".join(few) + "."
        )
    _explain(run.rows)


def _forecast(ctx: shell.Context) -> None:
    st.markdown(
        "Le modèle part de l'habitat tel qu'il est aujourd'hui. À côté de chaque chiffre "
        "attendu, le même chiffre sur les 12 derniers mois des fiches."
    )
    general = _general(ctx, f"{FORECAST}.general")
    with st.form(FORECAST):
        months, replications, seed = _fields(FORECAST, 12)
        asked = st.form_submit_button("Prévoir", type="primary")
    if asked:
        _run(
            FORECAST,
            ctx,
            lambda on_day: twin.forecast(
                ctx.db,
                ctx.user,
                months=months,
                replications=replications,
                seed=seed,
                general=general,
                on_day=on_day,
            ),
        )
    elif st.session_state.get(f"{FORECAST}:stop"):
        st.warning("Simulation arrêtée : rien n'a été calculé.", icon="⏹️")
    run = st.session_state.get(f"{FORECAST}:run")
    if run is not None:
        _forecast_result(ctx, run)
    _reopen(ctx)


def _forecast_result(ctx: shell.Context, run: twin.TwinRun) -> None:
    st.subheader(f"Du {run.start.strftime('%d/%m/%Y')} au {run.end.strftime('%d/%m/%Y')}")
    st.caption(_values(run.calibration))
    tables.show(
        {
            "Chiffre": [r.measure.label_fr for r in run.rows],
            "Unité": [r.measure.unit_fr for r in run.rows],
            "Attendu (médiane)": [_number(r.median) for r in run.rows],
            "Fourchette attendue": [_band(*r.band) for r in run.rows],
            "Les 12 derniers mois": [_number(r.observed.value) for r in run.rows],
        }
    )
    _explain(run.rows)
    if may_write(ctx.user, "twin_result"):
        _save(ctx, run)


def _save(ctx: shell.Context, run: twin.TwinRun) -> None:
    """Keep the forecast with the habitat, to compare later with what happened."""
    note = _note_form(SAVE, "Enregistrer cette prévision", "avant l'été")
    if note is None:
        return
    twin_results.save(ctx.db, ctx.user, run, note)
    st.success(
        "Prévision enregistrée : rouvrez-la plus tard pour la comparer à ce qui s'est passé.",
        icon="✅",
    )


def _note_form(form: str, button: str, placeholder: str) -> str | None:
    """A form keeping a result with an optional note: None until submitted, then the note."""
    with st.form(form, clear_on_submit=True):
        note = st.text_input(
            "Note (facultative)", key=f"{form}.note", max_chars=200, placeholder=placeholder
        )
        if not st.form_submit_button(button):
            return None
    return note.strip()


def _reopen(ctx: shell.Context) -> None:
    """The saved forecasts, each comparable with what the records say happened since."""
    results = twin_results.saved(ctx.db, ctx.user)
    st.subheader("Prévisions enregistrées")
    if not results:
        st.caption("Aucune prévision enregistrée pour l'instant.")
        return
    by_id = {r.stored_id: r for r in results}
    chosen = st.selectbox(
        "Prévision",
        list(by_id),
        format_func=lambda i: (
            f"Du {by_id[i].model_from.strftime('%d/%m/%Y')} au "
            f"{by_id[i].model_to.strftime('%d/%m/%Y')}"
            + (f" — {by_id[i].note}" if by_id[i].note else "")
        ),
        key=f"{REOPEN}.chosen",
    )
    if not st.button("Comparer à ce qui s'est passé depuis", key=f"{REOPEN}.go"):
        return
    try:
        reopened = twin_results.since(ctx.db, ctx.user, chosen)
    except twin.BadTwinRequest as refusal:
        st.error(refusal.message_fr, icon="⚠️")
        return
    covered = (
        "toute la période prévue"
        if reopened.complete
        else f"du {reopened.observed_from.strftime('%d/%m/%Y')} au "
        f"{reopened.observed_to.strftime('%d/%m/%Y')} (la période n'est pas finie : les "
        "chiffres constatés reposent sur moins de jours)"
    )
    st.caption(f"Les fiches couvrent {covered}.")
    st.markdown(_reading(reopened.rows))
    tables.show(
        {
            "Chiffre": [r.measure.label_fr for r in reopened.rows],
            "Unité": [r.measure.unit_fr for r in reopened.rows],
            "Attendu (médiane)": [_number(r.median) for r in reopened.rows],
            "Fourchette attendue": [_band(*r.band) for r in reopened.rows],
            "Constaté depuis": [_number(r.observed.value) for r in reopened.rows],
            "Verdict": [f"{VERDICT_ICON[r.verdict]} {r.verdict}" for r in reopened.rows],
        }
    )


def _reading(rows: list[Comparison]) -> str:
    """The comparison in one plain-French paragraph."""
    judged = [r for r in rows if r.verdict != Verdict.UNKNOWN]
    inside = [r for r in judged if r.verdict == Verdict.INSIDE]
    above = [r.measure.label_fr.lower() for r in judged if r.verdict == Verdict.ABOVE]
    below = [r.measure.label_fr.lower() for r in judged if r.verdict == Verdict.BELOW]
    text = f"**{len(inside)} chiffres sur {len(judged)}** sont dans la fourchette du modèle."
    if above:
        text += " Plus haut que prévu : " + " ; ".join(above) + "."
    if below:
        text += " Plus bas que prévu : " + " ; ".join(below) + "."
    if above or below:
        text += (
            " Un écart dit soit que l'habitat vit autrement que le modèle ne le suppose "
            "(à ajuster), soit que les fiches ne notent pas tout (par exemple des tensions "
            "réglées sans être saisies)."
        )
    return text


def _explain(rows: list[Comparison]) -> None:
    with st.expander("Comment chaque chiffre est comparé"):
        st.markdown("\n".join(f"- **{r.measure.label_fr}** : {r.measure.basis_fr}" for r in rows))


# --- Avant de décider ------------------------------------------------------------------


def _questions(ctx: shell.Context) -> None:
    st.markdown(
        "Chaque question est posée au modèle de l'habitat tel qu'il est aujourd'hui : la "
        "même période est simulée avec et sans la décision, sur les mêmes graines."
    )
    general = _general(ctx, GENERAL)
    asked = st.radio(
        "Votre question",
        list(QUESTIONS),
        format_func=QUESTIONS.__getitem__,
        key=QUESTION,
        horizontal=True,
    )
    {ADMISSION: _admission, RULE: _rule, FAMILIES: _families, AVP: _avp}[asked](ctx, general)


def _effects(effects: list[Effect]) -> None:
    """An answer: each outcome without and with the decision, and its plain reading."""
    tables.show(
        {
            "Indicateur": [e.outcome.label_fr for e in effects],
            "Aujourd'hui": [_number(e.without) for e in effects],
            "Avec la décision": [_number(e.with_) for e in effects],
            "Lecture": [reading(e).split(" : ", 2)[-1] for e in effects],
        }
    )
    with st.expander("Comment lire ces chiffres"):
        st.markdown(
            "Les deux colonnes sont les médianes des simulations. La lecture dit dans "
            "combien de simulations sur 10 l'indicateur monte ou baisse avec la décision : "
            "un écart est « net » quand 9 simulations sur 10 au moins vont dans le même sens."
        )


def _admission(ctx: shell.Context, general: bool) -> None:
    with st.form(ADMISSION):
        st.markdown("**Profil de la personne candidate**")
        a, b = st.columns(2)
        public = a.selectbox(
            "Public", options(Public), format_func=enum_fmt(Public), key=f"{ADMISSION}.public"
        )
        gir = b.number_input("GIR", min_value=1, max_value=6, value=4, key=f"{ADMISSION}.gir")
        family = a.number_input(
            "Aide des proches (h/semaine)",
            min_value=0.0,
            max_value=70.0,
            value=0.0,
            step=1.0,
            key=f"{ADMISSION}.family",
        )
        own = b.checkbox("Garde ses propres intervenants", key=f"{ADMISSION}.own")
        by_default = b.checkbox(
            "Entre faute d'autre solution (par défaut)", key=f"{ADMISSION}.default"
        )
        months, replications, seed = _fields(ADMISSION)
        go = st.form_submit_button("Simuler l'admission", type="primary")
    if go:
        candidate = {
            "public": public,
            "gir": int(gir),
            "family_hours_per_week": float(family),
            "own_providers": own,
            "entered_by_default": by_default,
        }
        _run(
            ADMISSION,
            ctx,
            lambda on_day: decisions.admission(
                ctx.db, ctx.user, candidate, months=months, replications=replications,
                seed=seed, general=general, on_day=on_day,
            ),
        )  # fmt: skip
    answer = st.session_state.get(f"{ADMISSION}:run")
    if answer is not None:
        st.caption(_values(answer.calibration))
        _effects(answer.effects)


def _rule(ctx: shell.Context, general: bool) -> None:
    with st.form(RULE):
        st.markdown("**La règle proposée** (ne cochez que ce qui change)")
        changes: dict[str, object] = {}
        a, b = st.columns([1, 2])
        if a.checkbox("Régulation des conflits", key=f"{RULE}.on.regulation"):
            changes["regulation_practice"] = None
        regulation = b.selectbox(
            "Par",
            list(REGULATION_FR),
            format_func=REGULATION_FR.__getitem__,
            key=f"{RULE}.regulation",
        )
        a, b = st.columns([1, 2])
        if a.checkbox("Activités par semaine", key=f"{RULE}.on.activities"):
            changes["activities_per_week"] = None
        activities = b.number_input(
            "Nombre", min_value=0.0, max_value=21.0, value=4.0, step=1.0, key=f"{RULE}.activities"
        )
        a, b = st.columns([1, 2])
        if a.checkbox("Aide mutualisée", key=f"{RULE}.on.pooling"):
            changes["pooling_share"] = None
        pooling = b.number_input(
            "Part de l'aide individuelle mise en commun (%)",
            min_value=0,
            max_value=100,
            value=20,
            step=5,
            key=f"{RULE}.pooling",
        )
        a, b = st.columns([1, 2])
        if a.checkbox("Présence sur place", key=f"{RULE}.on.presence"):
            changes["presence_hours_per_day"] = None
        presence = b.number_input(
            "Heures de présence par jour",
            min_value=0.0,
            max_value=24.0,
            value=4.0,
            step=0.5,
            key=f"{RULE}.presence",
        )
        months, replications, seed = _fields(RULE)
        go = st.form_submit_button("Simuler la règle", type="primary")
    if go:
        values = {
            "regulation_practice": regulation,
            "activities_per_week": float(activities),
            "pooling_share": pooling / 100,
            "presence_hours_per_day": float(presence),
        }
        chosen = {key: values[key] for key in changes}
        if not chosen:
            st.error("Cochez au moins ce que la règle change.", icon="⚠️")
        else:
            _run(
                RULE,
                ctx,
                lambda on_day: decisions.rule(
                    ctx.db, ctx.user, chosen, months=months, replications=replications,
                    seed=seed, general=general, on_day=on_day,
                ),
            )  # fmt: skip
    answer = st.session_state.get(f"{RULE}:run")
    if answer is not None:
        st.caption(_values(answer.calibration))
        _effects(answer.effects)


def _families(ctx: shell.Context, general: bool) -> None:
    st.caption(
        "Les familles ne sont pas nommées : « famille 1 » est celle qui donne le plus "
        "d'heures. Pour chacune, le modèle simule son retrait."
    )
    with st.form(FAMILIES):
        months, replications, seed = _fields(FAMILIES)
        go = st.form_submit_button("Calculer", type="primary")
    if go:
        _run(
            FAMILIES,
            ctx,
            lambda on_day: decisions.families(
                ctx.db, ctx.user, months=months, replications=replications, seed=seed,
                general=general, on_day=on_day,
            ),
        )  # fmt: skip
    answers = st.session_state.get(f"{FAMILIES}:run")
    if answers is None:
        return
    if not answers:
        st.info("Aucune famille ne donne d'heures d'aide : rien ne repose sur une famille.")
        return
    st.caption(_values(None if general else twin.in_use(ctx.db, ctx.user)))
    tables.show(
        {
            "Famille": [a.label for a in answers],
            "Heures par semaine": [_number(a.hours_per_week) for a in answers],
            "Part des heures des familles": [f"{100 * a.share:.0f} %" for a in answers],
        }
    )
    for answer in answers:
        with st.expander(f"Si la {answer.label} se retire"):
            _effects(answer.effects)


def _avp(ctx: shell.Context, general: bool) -> None:
    st.caption(
        "Le temps saisi ces 12 derniers mois, par fonction, face au temps que le modèle "
        "demande à l'animateur·rice pour les mois à venir : l'argument chiffré de la "
        "demande d'AVP, à reprendre dans le rapport annuel."
    )
    with st.form(AVP):
        months, replications, seed = _fields(AVP)
        go = st.form_submit_button("Calculer", type="primary")
    if go:
        _run(
            AVP,
            ctx,
            lambda on_day: decisions.avp(
                ctx.db, ctx.user, months=months, replications=replications, seed=seed,
                general=general, on_day=on_day,
            ),
        )  # fmt: skip
    answer = st.session_state.get(f"{AVP}:run")
    if answer is None:
        return
    st.caption(_values(answer.calibration))
    groups = list(GROUP_FR)
    tables.show(
        {
            "Fonctions": [GROUP_FR[g] for g in groups],
            "Temps saisi (h/semaine)": [_number(answer.logged[g]) for g in groups],
            "Besoin selon le modèle (h/semaine)": [_number(answer.need[g]) for g in groups],
            "Fourchette du besoin": [_band(*answer.need_band[g]) for g in groups],
        }
    )
    if answer.avp_per_resident is None:
        st.info(
            "Le coût horaire de l'animateur·rice n'est pas renseigné (Paramètres de l'habitat, "
            "convention AVP) : le besoin est donné en heures seulement."
        )
    else:
        st.markdown(
            f"Au coût horaire de {_number(answer.hourly_cost)} €, ce besoin correspond à une "
            f"AVP de **{_euros(answer.avp_per_resident)} € par habitant et par an** pour "
            f"{answer.residents} habitants (convention actuelle : "
            f"{_euros(answer.current_avp_per_resident)} €)."
        )
    st.caption(
        "La présence demandée repose sur des hypothèses du modèle (voir « Jusqu'où faire "
        "confiance » dans l'explorateur) : à présenter comme une estimation."
    )
    if may_write(ctx.user, "avp_need"):
        _join_report(ctx, answer)


# --- Ajuster à mon habitat ---------------------------------------------------------------


def _history(ctx: shell.Context) -> int:
    """Whole months of records the habitat has, to today."""
    from habitat.clock import today

    return twin.history_months(ctx.db, twin.habitat_of(ctx.user), today())


def _usual_window(ctx: shell.Context, usual: int) -> int | None:
    """The usual window, shortened to the habitat's history; None (and why) under a month."""
    history = _history(ctx)
    if history < 1:
        st.info(
            "Moins d'un mois de fiches : le modèle n'a encore rien à comparer ni à apprendre. "
            "Revenez après le premier mois de vie de l'habitat.",
            icon="ℹ️",
        )
        return None
    return min(usual, history)


def _calibration(ctx: shell.Context) -> None:
    st.markdown(
        "Le modèle apprend de vos fiches les chiffres propres à votre habitat : la fréquence "
        "des conflits et le temps qu'ils restent ouverts, les désaccords entre autonomie et "
        "sécurité, l'envie de participer aux activités. Il part des valeurs générales et ne "
        "s'en écarte que si vos fiches le justifient : un chiffre qui repose sur peu "
        "d'événements le fait peu bouger."
    )
    usual = _usual_window(ctx, 12)
    if usual is None:
        _calibrations(ctx)
        return
    with st.form(CALIBRATE):
        months = st.number_input(
            "Sur les derniers mois",
            min_value=1,
            max_value=24,
            value=usual,
            step=1,
            key=f"{CALIBRATE}.months",
            help="Plus de mois : plus d'événements, un ajustement plus sûr.",
        )
        with st.expander("Réglages avancés"):
            a, b = st.columns(2)
            waves = a.number_input(
                "Étapes", min_value=1, max_value=10, value=3, key=f"{CALIBRATE}.waves",
                help="Chaque étape resserre la recherche autour des valeurs plausibles.",
            )  # fmt: skip
            candidates = b.number_input(
                "Valeurs essayées par étape", min_value=10, max_value=500, value=100, step=10,
                key=f"{CALIBRATE}.candidates",
            )  # fmt: skip
            replications = _replications(a, CALIBRATE, "Simulations par valeur", 20)
            seed = _seed(b, CALIBRATE)
        go = st.form_submit_button("Ajuster le modèle (environ une minute)", type="primary")
    if go:
        _run(
            CALIBRATE,
            ctx,
            lambda on_progress: twin.calibrate(
                ctx.db, ctx.user, months=int(months), waves=int(waves),
                candidates=int(candidates), replications=replications, seed=seed,
                on_progress=on_progress,
            ),
            in_days=False,
        )  # fmt: skip
    elif st.session_state.get(f"{CALIBRATE}:stop"):
        st.warning("Ajustement arrêté : rien n'a été calculé ni enregistré.", icon="⏹️")
    done = st.session_state.get(f"{CALIBRATE}:run")
    if done is not None:
        _fitted(ctx, done)
    _calibrations(ctx)


def _fitted(ctx: shell.Context, done: twin.TwinCalibrated) -> None:
    """A calibration just run: each parameter, each figure, and the button to use it."""
    fit = done.fit
    st.subheader(f"Ajusté sur les fiches du {done.start:%d/%m/%Y} au {done.end:%d/%m/%Y}")
    if fit.ruled_out_all:
        st.warning(
            "Aucune combinaison de valeurs ne reproduit tous les chiffres de vos fiches : "
            "les plus proches sont retenues. Le modèle ne sait pas tout dire de votre "
            "habitat (voir les chiffres qu'il reproduit mal ci-dessous).",
            icon="⚠️",
        )
    tables.show(
        {
            "Paramètre": [p.label_fr for p in fit.parameters],
            "Valeur générale": [_number(p.general) for p in fit.parameters],
            "Valeur de votre habitat": [
                _number(p.mean) if p.fitted else "—" for p in fit.parameters
            ],
            "Fourchette (9 chances sur 10)": [
                _band(*p.interval) if p.fitted else "—" for p in fit.parameters
            ],
            "Ce que les fiches en disent": [p.reading_fr for p in fit.parameters],
        }
    )
    with st.expander("Les chiffres des fiches sur lesquels le modèle a appris"):
        tables.show(
            {
                "Chiffre": [t.label_fr for t in fit.targets],
                "Unité": [t.unit_fr for t in fit.targets],
                "Dans les fiches": [_number(t.observed.value) for t in fit.targets],
                "Incertitude": [_band(t.observed.low, t.observed.high) for t in fit.targets],
                "Modèle ajusté": [_number(t.model) for t in fit.targets],
                "Confiance": [t.trust_fr for t in fit.targets],
            }
        )
    if not may_write(ctx.user, "habitat_calibration"):
        st.caption("Seul·e l'animateur·rice peut faire utiliser cet ajustement par le modèle.")
        return
    if not fit.values:
        st.info("Aucun paramètre n'a pu être ajusté sur ces fiches : rien à utiliser.")
        return
    note = _note_form(
        KEEP, "Utiliser cet ajustement pour les prévisions et les questions", "après l'hiver"
    )
    if note is None:
        return
    try:
        twin_results.save_calibration(ctx.db, ctx.user, done, note)
    except twin.BadTwinRequest as refusal:
        st.error(refusal.message_fr, icon="⚠️")
        return
    st.success(
        "Ajustement enregistré : les prévisions et les questions l'utilisent désormais.",
        icon="✅",
    )


def _calibrations(ctx: shell.Context) -> None:
    """The calibrations saved, the one in use first."""
    saved = twin_results.calibrations(ctx.db, ctx.user)
    st.subheader("Ajustements enregistrés")
    if not saved:
        st.caption(
            f"Aucun pour l'instant : les prévisions et les questions utilisent les {GENERAL_FR}."
        )
        return
    tables.show(
        {
            "Fiches du": [c.window_from.strftime("%d/%m/%Y") for c in saved],
            "au": [c.window_to.strftime("%d/%m/%Y") for c in saved],
            "Utilisé": ["✅ en cours" if i == 0 else "" for i in range(len(saved))],
            "Valeurs": [_said_values(c) for c in saved],
            "Note": [c.note or "" for c in saved],
        }
    )


def _said_values(saved: HabitatCalibration) -> str:
    """A saved calibration's values, in French."""
    parts = [
        f"{p['label_fr']} : {_number(p['mean'])} (général {_number(p['general'])})"
        for p in json.loads(saved.parameters_json)
        if p.get("fitted")
    ]
    return " ; ".join(parts)


def _join_report(ctx: shell.Context, answer: decisions.AvpAnswer) -> None:
    """Save the answer for the yearly AVP report of the year its run starts in."""
    note = _note_form(
        f"{AVP}.save", "Joindre au rapport annuel AVP", "pour la demande de renouvellement"
    )
    if note is None:
        return
    saved = twin_results.save_avp(ctx.db, ctx.user, answer, note or None)
    st.success(
        f"Estimation jointe : elle figurera dans le rapport annuel AVP "
        f"{saved.model_from.year} (la dernière estimation enregistrée dans l'année y "
        "remplace les précédentes).",
        icon="✅",
    )

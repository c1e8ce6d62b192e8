"""Le modèle de mon habitat: what the model expected against what happened, and what comes.

Two tabs, each a form, a run with a progress bar and a stop button, and a table
with a plain-French reading: the backtest ("Ce que le modèle attendait, ce qui
s'est passé") and the forecast of the coming months. The services
(`habitat.services.twin`) build the scenario from the pseudonymised extract and
audit each run.
"""

from __future__ import annotations

import streamlit as st

from habitat.services import twin
from habitat.services.what_if import InconsistentRecords
from habitat.twin.observed import Comparison, Verdict
from habitat.ui import shell, tables

BACKTEST = "twin.backtest"
FORECAST = "twin.forecast"
#: What the animator reads about the model before trusting it.
CAVEAT = (
    "Le modèle part de l'habitat tel que ses fiches le décrivent (données pseudonymisées : "
    "des codes et des nombres, jamais un nom ni un texte), avec ses paramètres généraux "
    "(chiffres publiés et hypothèses, voir la page Explorer). Il n'est pas encore ajusté "
    "aux chiffres propres de votre habitat : la comparaison ci-dessous dit justement où "
    "il s'en écarte."
)
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
    past, coming = st.tabs(["Ce que le modèle attendait, ce qui s'est passé", "Les prochains mois"])
    with past:
        _backtest(ctx)
    with coming:
        _forecast(ctx)


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


def _band(low: float | None, high: float | None) -> str:
    return "—" if low is None or high is None else f"{_number(low)} à {_number(high)}"


def _fields(form: str, months: int) -> tuple[int, int, int]:
    a, b, c = st.columns(3)
    chosen = a.number_input(
        "Mois", min_value=1, max_value=24, value=months, step=1, key=f"{form}.months"
    )
    replications = b.number_input(
        "Nombre de simulations",
        min_value=10,
        max_value=1000,
        value=100,
        step=10,
        key=f"{form}.replications",
        help="Plus de simulations : des fourchettes plus sûres, un calcul plus long.",
    )
    seed = c.number_input(
        "Graine",
        min_value=0,
        value=twin.DEFAULT_SEED,
        step=1,
        key=f"{form}.seed",
        help="La même graine redonne exactement les mêmes chiffres.",
    )
    return int(chosen), int(replications), int(seed)


def _progress(form: str):
    """A stop button and a progress bar; returns the callback and a function clearing both."""
    stop = st.empty()
    stop.button("Arrêter la simulation", key=f"{form}:stop", icon=":material/stop_circle:")
    bar = st.progress(0.0, text="Simulation en cours…")

    def on_day(day: int, days: int) -> None:
        if day % 10 == 0 or day == days:
            bar.progress(min(day / days, 1.0), text=f"Simulation en cours… jour {day} sur {days}")

    def done() -> None:
        bar.empty()
        stop.empty()

    return on_day, done


def _run(form: str, ctx: shell.Context, call) -> None:
    """Run the service with a progress bar; keep its result, or say why it cannot run."""
    on_day, done = _progress(form)
    try:
        st.session_state[f"{form}:run"] = call(on_day)
    except twin.BadTwinRequest as refusal:
        st.session_state.pop(f"{form}:run", None)
        st.error(refusal.message_fr, icon="⚠️")
    except InconsistentRecords as refusal:
        st.session_state.pop(f"{form}:run", None)
        st.error(refusal.message_fr, icon="⚠️")
    finally:
        done()


def _backtest(ctx: shell.Context) -> None:
    st.markdown(
        "Le modèle repart de l'habitat tel qu'il était il y a quelques mois et simule la "
        "période jusqu'à aujourd'hui. Pour chaque chiffre, on compare ce qu'il attendait "
        "(la fourchette où tombent 9 simulations sur 10) à ce que disent les fiches."
    )
    with st.form(BACKTEST):
        months, replications, seed = _fields(BACKTEST, 6)
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
                on_day=on_day,
            ),
        )
    elif st.session_state.get(f"{BACKTEST}:stop"):
        st.warning("Simulation arrêtée : rien n'a été calculé.", icon="⏹️")
    run = st.session_state.get(f"{BACKTEST}:run")
    if run is None:
        return
    st.subheader(f"Du {run.start.strftime('%d/%m/%Y')} au {run.end.strftime('%d/%m/%Y')}")
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
                on_day=on_day,
            ),
        )
    elif st.session_state.get(f"{FORECAST}:stop"):
        st.warning("Simulation arrêtée : rien n'a été calculé.", icon="⏹️")
    run = st.session_state.get(f"{FORECAST}:run")
    if run is None:
        return
    st.subheader(f"Du {run.start.strftime('%d/%m/%Y')} au {run.end.strftime('%d/%m/%Y')}")
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

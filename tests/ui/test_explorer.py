"""The simulation screens: run, read, compare, refuse bad input in French, and by role."""

from __future__ import annotations

import pytest

from habitat import store
from habitat.services import results
from habitat.services.access import Screen
from habitat.store.entities import Role, SavedScenario
from habitat.ui import charts
from habitat.ui.screens import explorer, what_if

from .conftest import texts

FORM = explorer.FORM


def _submit(app):
    app.get("form_submit_button")[0].click()
    return app.run()


def _table(app, column: str = "Indicateur"):
    """The last table with this column (the trust panel's table comes after the results)."""
    return next(d.value for d in reversed(app.dataframe) if column in d.value.columns)


def _small(app, form: str = FORM, replications: int = 8):
    app.number_input(key=f"{form}.replications").set_value(replications)
    if form == FORM:
        app.number_input(key=f"{form}.days").set_value(60)
    return app


def test_a_promoter_simulates_a_project_reads_it_and_compares_a_variant(page_as):
    app = page_as(Screen.EXPLORER, Role.PROMOTER)
    assert not app.exception
    app = _submit(_small(app))
    assert not app.exception and not app.error
    shown = texts(app)
    assert "Dans 9 simulations sur 10, l'aide individuelle non couverte reste sous" in shown
    assert "Résultats : Mon projet" in shown
    assert len(app.get("vega_lite_chart")) == len(results.CHARTS)
    app.button(key="explorer.keep").click().run()
    app.text_input(key=f"{FORM}.name").set_value("Peu d'animation")
    app.number_input(key=f"{FORM}.animator_hours_per_week").set_value(8)
    app = _submit(app)
    app.button(key="explorer.keep").click().run()
    app.button(key="explorer.compare").click().run()
    assert not app.exception
    table = _table(app)
    assert list(table.columns) == ["Indicateur", "Mon projet", "Peu d'animation"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("residents", 12, "12 habitants ne tiennent pas dans 8 logements"),
        ("animator_hours_per_week", -5, "ne peut pas être négatif"),
        ("share_no_family_pct", 140, "doit être un pourcentage entre 0 et 100"),
    ],
)
def test_bad_input_shows_a_french_message_next_to_the_field_and_nothing_runs(
    page_as, field, value, message
):
    app = page_as(Screen.EXPLORER, Role.ANIMATOR)
    app.number_input(key=f"{FORM}.{field}").set_value(value)
    app = _submit(app)
    assert not app.exception
    errors = [e.value for e in app.error]
    assert errors[0].startswith("Rien n'a été simulé")
    assert any(message in e for e in errors)
    assert explorer.RUNS not in app.session_state
    assert "Résultats" not in texts(app)


def test_a_shock_after_the_horizon_is_refused_next_to_the_shock(page_as):
    app = page_as(Screen.EXPLORER, Role.ANIMATOR)
    app.number_input(key=f"{FORM}.days").set_value(60)
    app.checkbox(key=f"{FORM}.shock_on.family_withdrawal").check()
    app.number_input(key=f"{FORM}.shock_day.family_withdrawal").set_value(200)
    app = _submit(app)
    assert any("le jour 200 est après la fin de la simulation" in e.value for e in app.error)
    assert explorer.RUNS not in app.session_state


def test_a_run_too_large_is_refused_with_a_smaller_suggestion(page_as):
    app = page_as(Screen.EXPLORER, Role.ANIMATOR)
    app.number_input(key=f"{FORM}.dwellings").set_value(30)
    app.number_input(key=f"{FORM}.days").set_value(3650)
    app.number_input(key=f"{FORM}.replications").set_value(1000)
    app = _submit(app)
    assert any("trop lourde pour le serveur" in e.value and "Essayez" in e.value for e in app.error)
    assert explorer.RUNS not in app.session_state


def test_a_shipped_scenario_fills_the_form(page_as):
    app = page_as(Screen.EXPLORER, Role.PROMOTER)
    app.selectbox(key=explorer.BASE).select("thin_animator").run()
    assert not app.exception
    assert app.text_input(key=f"{FORM}.name").value == "Animation réduite : 10,5 h par semaine"
    assert "l'AVP la plus basse" in texts(app)
    assert app.number_input(key=f"{FORM}.animator_hours_per_week").value < 15


def test_the_promoter_menu_lists_only_the_explorer_and_the_account(app_as):
    app = app_as(Role.PROMOTER)
    assert not app.exception
    assert [t.value for t in app.title] == ["Explorer un projet"]


def test_the_animator_tries_a_shock_on_the_habitat_and_saves_it(page_as, demo_db):
    app = page_as(Screen.WHAT_IF, Role.ANIMATOR)
    assert not app.exception
    assert "Ce qui a été pris dans les données de l'habitat" in texts(app)
    app.checkbox(key=f"{what_if.FORM}.shock_on.family_withdrawal").check()
    app = _submit(_small(app, what_if.FORM))
    assert not app.exception and not app.error
    table = _table(app)
    assert list(table.columns)[1:] == ["Habitat au 30/06/2026", "Et si : retrait d'une famille"]
    app.text_input(key=f"{what_if.SAVE}.note").set_value("avant l'été")
    app.get("form_submit_button")[1].click().run()
    assert not app.exception
    assert "enregistré" in texts(app)
    with store.connect(demo_db) as db:
        notes = [s.note for s in store.find(db, SavedScenario)]
    assert "avant l'été" in notes


def test_the_host_compares_but_cannot_save(page_as):
    app = page_as(Screen.WHAT_IF, Role.HOST)
    app.checkbox(key=f"{what_if.FORM}.shock_on.animator_absence").check()
    app = _submit(_small(app, what_if.FORM))
    assert not app.exception
    assert len(app.get("form_submit_button")) == 1  # no save form
    app.button(key=f"{what_if.REPLAY}.run").click().run()
    assert not app.exception
    assert "Projet d'origine" in list(_table(app, "Projet d'origine").columns)


WHOLE = ("dwellings", "residents", "days")


def test_counts_show_as_whole_numbers_and_no_number_with_two_decimals(page_as):
    app = page_as(Screen.EXPLORER, Role.PROMOTER)
    app.selectbox(key=explorer.BASE).select("mixed_disabilities").run()
    for field in WHOLE:
        shown = app.number_input(key=f"{FORM}.{field}")
        assert shown.proto.format == "%d" and isinstance(shown.value, int)
    # Must not happen: Streamlit's default "8.00", "365.00", "28.00".
    assert not [n.label for n in app.number_input if n.proto.format == "%0.2f"]


def test_a_gir_mix_not_adding_up_to_100_is_refused_and_changes_nothing(page_as):
    app = _submit(_small(page_as(Screen.EXPLORER, Role.PROMOTER)))
    before = app.session_state[explorer.RUNS]
    app.number_input(key=f"{FORM}.gir.4").set_value(30)  # 15 + 30 + 30 + 15 = 90
    app = _submit(app)
    assert not app.exception
    errors = [e.value for e in app.error]
    assert errors[0].startswith("Rien n'a été simulé")
    assert "la répartition des GIR fait 90 % au total : elle doit faire 100 %" in errors
    assert app.session_state[explorer.RUNS] is before  # the last results stay as they were
    assert "Simulation en cours" not in texts(app)


def test_a_good_run_after_a_refusal_leaves_no_error_and_no_stop_button(page_as):
    app = page_as(Screen.EXPLORER, Role.PROMOTER)
    app.number_input(key=f"{FORM}.animator_hours_per_week").set_value(-5)
    app = _submit(_small(app))
    assert any("ne peut pas être négatif" in e.value for e in app.error)
    app.number_input(key=f"{FORM}.animator_hours_per_week").set_value(28)
    app = _submit(app)
    assert not app.exception
    assert "Résultats : Mon projet" in texts(app)
    # Must not happen: last submit's refusal still on screen, or a stop button with
    # nothing left to stop.
    assert not app.error
    assert f"{FORM}:stop" not in [b.key for b in app.button]


def test_the_comparison_is_said_in_french_with_a_colour_per_scenario(page_as):
    app = _submit(_small(page_as(Screen.EXPLORER, Role.PROMOTER)))
    app.button(key="explorer.keep").click().run()
    app.text_input(key=f"{FORM}.name").set_value("Peu d'animation")
    app.number_input(key=f"{FORM}.animator_hours_per_week").set_value(6)
    app = _submit(app)
    app.button(key="explorer.keep").click().run()
    app.button(key="explorer.compare").click().run()
    assert not app.exception and not app.error
    shown = texts(app)
    assert "Avec « Peu d'animation », par rapport à « Mon projet »" in shown
    assert "la participation aux activités baisse de" in shown
    assert "explorer.compare:stop" not in [b.key for b in app.button]
    spec = app.get("vega_lite_chart")[-1].proto.spec
    assert all(colour in spec for colour in charts.PALETTE[:2])
    table = _table(app)
    assert "Aide individuelle non couverte (h par semaine, moyenne)" in list(table["Indicateur"])


def test_every_term_a_promoter_meets_is_explained(page_as):
    app = page_as(Screen.EXPLORER, Role.PROMOTER)
    glossary = app.expander[0]
    assert glossary.label == "Comprendre les termes"
    explained = "\n".join(m.value for m in glossary.markdown)
    for term in ("Usure", "Graine", "réplications", "Intervalle à 90 %", "Médiane", "GIR"):
        assert term in explained
    assert "graine" in app.number_input(key=f"{FORM}.seed").help
    assert "réplications" in app.number_input(key=f"{FORM}.replications").help


def test_the_shipped_scenarios_are_listed_in_french(page_as):
    app = page_as(Screen.EXPLORER, Role.PROMOTER)
    listed = app.selectbox(key=explorer.BASE).options
    assert "Habitat de référence : 7 personnes âgées en centre-ville" in listed
    assert not [title for title in listed if title in ("Elderly baseline", "A year of shocks")]


def test_what_if_runs_leave_no_stop_button_and_sum_up_the_shock(page_as):
    app = page_as(Screen.WHAT_IF, Role.ANIMATOR)
    app.checkbox(key=f"{what_if.FORM}.shock_on.animator_absence").check()
    app = _submit(_small(app, what_if.FORM))
    assert not app.exception and not app.error
    assert f"{what_if.FORM}:stop" not in [b.key for b in app.button]
    assert "par rapport à « Habitat au 30/06/2026 »" in texts(app)
    assert app.expander[0].label == "Comprendre les termes"


def test_what_if_refuses_a_negative_seed_and_says_the_records_in_french(page_as):
    app = page_as(Screen.WHAT_IF, Role.ANIMATOR)
    taken = app.dataframe[0].value.to_string() + app.dataframe[1].value.to_string()
    assert "personne âgée" in taken and "entre habitants" in taken
    # Must not happen: the records' codes or a decimal point on a French screen.
    assert not [code for code in ("elderly", "between_residents", "moderate") if code in taken]
    app.checkbox(key=f"{what_if.FORM}.shock_on.animator_absence").check()
    app.number_input(key=f"{what_if.FORM}.seed").set_value(-1)
    app = _submit(_small(app, what_if.FORM))
    assert not app.exception
    assert "ne peut pas être négative" in [e.value for e in app.error]
    assert what_if.RUNS not in app.session_state


def test_each_result_says_how_far_to_trust_it_from_the_published_figures(page_as):
    """Every chart carries a trust level; the panel lists each figure and its verdict."""
    from habitat.services import trust

    app = _submit(_small(page_as(Screen.EXPLORER, Role.PROMOTER)))
    assert not app.exception
    levels = [c.value for c in app.caption if c.value.startswith("Confiance : ")]
    assert len(levels) == len(app.get("vega_lite_chart"))
    # Quality of life has no published figure behind it: said as resting on assumptions.
    assert "Confiance : hypothèses" in levels
    panel = next(e for e in app.expander if e.label.startswith("Jusqu'où faire confiance"))
    table = panel.dataframe[0].value
    assert list(table["Chiffre publié"]) == [r.statement_fr for r in trust.recorded().values()]
    assert set(table["Verdict"]) <= {"reproduit", "trop bas", "trop haut", "non mesurable"}

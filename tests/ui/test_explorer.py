"""The simulation screens: run, read, compare, refuse bad input in French, and by role."""

from __future__ import annotations

import pytest

from habitat import store
from habitat.services.access import Screen
from habitat.store.entities import Role, SavedScenario
from habitat.ui.screens import explorer, what_if

from .conftest import texts

FORM = explorer.FORM


def _submit(app):
    app.get("form_submit_button")[0].click()
    return app.run()


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
    assert len(app.get("vega_lite_chart")) == 8
    app.button(key="explorer.keep").click().run()
    app.text_input(key=f"{FORM}.name").set_value("Peu d'animation")
    app.number_input(key=f"{FORM}.animator_hours_per_week").set_value(8)
    app = _submit(app)
    app.button(key="explorer.keep").click().run()
    app.button(key="explorer.compare").click().run()
    assert not app.exception
    table = app.dataframe[-1].value
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
    app.selectbox(key=explorer.BASE).select("Thin animator (0.3 FTE)").run()
    assert not app.exception
    assert app.text_input(key=f"{FORM}.name").value == "Thin animator (0.3 FTE)"
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
    table = app.dataframe[-2].value if len(app.dataframe) > 2 else app.dataframe[-1].value
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
    assert "Projet d'origine" in list(app.dataframe[-1].value.columns)

"""Le modèle de mon habitat: the animator compares the model with the records, then forecasts."""

from __future__ import annotations

import pytest

from habitat import store
from habitat.services.access import Screen
from habitat.store.entities import Role
from habitat.twin.observed import MEASURES
from habitat.ui.screens import twin

from .conftest import TODAY, texts


def _table(app, column: str):
    return next(d.value for d in reversed(app.dataframe) if column in d.value.columns)


def _ask(app, form: str, submit: int, months: int, replications: int = 20):
    app.number_input(key=f"{form}.months").set_value(months)
    app.number_input(key=f"{form}.replications").set_value(replications)
    app.get("form_submit_button")[submit].click()
    return app.run()


@pytest.mark.parametrize("role", [Role.ANIMATOR, Role.HOST])
def test_the_backtest_shows_each_figure_expected_observed_and_its_verdict(page_as, demo_db, role):
    app = page_as(Screen.TWIN, role)
    assert not app.exception
    assert [t.value for t in app.title] == ["Le modèle de mon habitat"]
    app = _ask(app, twin.BACKTEST, 0, months=6)
    assert not app.exception and not app.error
    table = _table(app, "Constaté dans les fiches")
    assert list(table["Chiffre"]) == [m.label_fr for m in MEASURES]
    assert all(
        v.split(" ", 1)[1]
        in {
            "conforme à la prévision",
            "plus haut que prévu",
            "plus bas que prévu",
            "rien à comparer",
        }
        for v in table["Verdict"]
    )
    assert "Du 30/12/2025 au 30/06/2026" in texts(app)
    assert "chiffres sur" in texts(app)  # the plain-French reading
    # Decimal commas, as the animator reads them.
    assert any("," in v for v in table["Attendu (médiane)"])
    with store.connect(demo_db) as db:
        asked = [e.after["purpose"] for e in store.history(db) if e.action == "export"]
        # The demo's saved forecast and AVP answer, then this.
        assert asked == ["twin forecast", "twin ask avp", "twin backtest"]


def test_a_backtest_longer_than_the_history_says_why_in_french(page_as):
    app = _ask(page_as(Screen.TWIN, Role.ANIMATOR), twin.BACKTEST, 0, months=24)
    assert not app.exception
    assert "Aucun habitant n'était présent" in app.error[0].value


def test_the_forecast_shows_the_coming_months_beside_the_last_year(page_as):
    app = _ask(page_as(Screen.TWIN, Role.ANIMATOR), twin.FORECAST, 1, months=3)
    assert not app.exception and not app.error
    table = _table(app, "Les 12 derniers mois")
    assert len(table) == len(MEASURES)
    assert "Du 30/06/2026 au 30/09/2026" in texts(app)


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FAMILY, Role.RESIDENT, Role.PROMOTER])
def test_other_roles_do_not_open_the_twin(page_as, role):
    app = page_as(Screen.TWIN, role)
    assert not app.exception
    assert not app.get("form_submit_button")


def _question(app, key: str):
    app.radio(key=twin.QUESTION).set_value(key).run()
    return app


def _small(app, form: str, months: int = 3, replications: int = 20):
    app.number_input(key=f"{form}.months").set_value(months)
    app.number_input(key=f"{form}.replications").set_value(replications)
    return app


def _submit(app, label: str):
    next(b for b in app.get("form_submit_button") if b.label == label).click()
    return app.run()


def test_an_admission_without_a_free_dwelling_says_so_then_is_answered(page_as, demo_db):
    app = _question(page_as(Screen.TWIN, Role.ANIMATOR), twin.ADMISSION)
    app.number_input(key=f"{twin.ADMISSION}.gir").set_value(2)
    app = _submit(_small(app, twin.ADMISSION), "Simuler l'admission")
    assert not app.exception
    assert "logements sont occupés" in app.error[0].value
    with store.connect(demo_db) as db:
        from datetime import timedelta

        from habitat.services import records
        from habitat.services.access import user_of
        from habitat.store.entities import Account, Resident

        animator = user_of(db, next(a for a in store.find(db, Account) if a.role is Role.ANIMATOR))
        leaving = next(r for r in store.find(db, Resident) if r.exit_date is None)
        records.update(
            db, animator, Resident, leaving.stored_id, leaving.version,
            {"exit_date": TODAY - timedelta(days=5), "exit_reason": "death"},
        )  # fmt: skip
    app = _submit(app, "Simuler l'admission")
    assert not app.exception and not app.error
    table = _table(app, "Avec la décision")
    assert "Aide individuelle non couverte" in list(table["Indicateur"])
    assert all(("simulations sur 10" in r) or ("changement" in r) for r in table["Lecture"])


def test_a_rule_needs_what_it_changes_then_is_compared(page_as):
    app = _question(page_as(Screen.TWIN, Role.ANIMATOR), twin.RULE)
    app = _submit(_small(app, twin.RULE), "Simuler la règle")
    assert "Cochez au moins" in app.error[0].value
    app.checkbox(key=f"{twin.RULE}.on.activities").check()
    app.number_input(key=f"{twin.RULE}.activities").set_value(8.0)
    app = _submit(app, "Simuler la règle")
    assert not app.exception and not app.error
    assert len(_table(app, "Avec la décision")) == 7


def test_the_families_are_anonymised_with_their_share(page_as, demo_db):
    app = _question(page_as(Screen.TWIN, Role.HOST), twin.FAMILIES)
    app = _submit(_small(app, twin.FAMILIES), "Calculer")
    assert not app.exception and not app.error
    table = _table(app, "Part des heures des familles")
    assert list(table["Famille"])[:2] == ["famille 1", "famille 2"]
    with store.connect(demo_db) as db:
        from habitat.store.entities import Resident

        shown = texts(app)
        assert not [r.last_name for r in store.find(db, Resident) if r.last_name in shown]


def test_the_avp_question_sets_logged_time_against_the_need(page_as):
    app = _question(page_as(Screen.TWIN, Role.ANIMATOR), twin.AVP)
    app = _submit(_small(app, twin.AVP), "Calculer")
    assert not app.exception and not app.error
    table = _table(app, "Besoin selon le modèle (h/semaine)")
    assert list(table["Fonctions"])[-1] == "Total"
    assert "coût horaire" in texts(app)  # the demo sets none: hours only, said so


def test_the_animator_saves_a_forecast_and_reopens_it(page_as, demo_db):
    app = _ask(page_as(Screen.TWIN, Role.ANIMATOR), twin.FORECAST, 1, months=3)
    app.text_input(key=f"{twin.SAVE}.note").set_value("avant l'été")
    app = _submit(app, "Enregistrer cette prévision")
    assert not app.exception
    assert "Prévision enregistrée" in texts(app)
    assert any("avant l'été" in o for o in app.selectbox(key=f"{twin.REOPEN}.chosen").options)
    # The demo's winter forecast, half a year on: the records cover its first half.
    app.selectbox(key=f"{twin.REOPEN}.chosen").select_index(1).run()
    app.button(key=f"{twin.REOPEN}.go").click()
    app = app.run()
    assert not app.exception and not app.error
    assert "Les fiches couvrent du 31/12/2025 au 30/06/2026" in texts(app)
    assert "Constaté depuis" in _table(app, "Constaté depuis").columns
    # The forecast just saved: nothing has happened yet.
    app.selectbox(key=f"{twin.REOPEN}.chosen").select_index(0).run()
    app.button(key=f"{twin.REOPEN}.go").click()
    app = app.run()
    assert not app.exception
    assert "Moins d'une semaine" in app.error[0].value


def test_the_host_reads_saved_forecasts_but_saves_none(page_as):
    app = _ask(page_as(Screen.TWIN, Role.HOST), twin.FORECAST, 1, months=3)
    assert not app.exception
    assert "Enregistrer cette prévision" not in [b.label for b in app.get("form_submit_button")]
    assert "Prévisions enregistrées" in texts(app)


def _calibrate_small(app):
    for key, value in (("months", 6), ("waves", 1), ("candidates", 10), ("replications", 10)):
        app.number_input(key=f"{twin.CALIBRATE}.{key}").set_value(value)
    return _submit(app, "Ajuster le modèle (environ une minute)")


def test_the_animator_calibrates_saves_and_the_forecast_then_uses_it(page_as, demo_db):
    app = page_as(Screen.TWIN, Role.ANIMATOR)
    assert "Aucun pour l'instant" in texts(app)  # nothing saved yet: the general values
    assert app.number_input(key=f"{twin.CALIBRATE}.months").value == 11  # the demo's history
    app = _calibrate_small(app)
    assert not app.exception and not app.error
    assert "Ajusté sur les fiches du 30/12/2025 au 30/06/2026" in texts(app)
    table = _table(app, "Valeur de votre habitat")
    assert "Fréquence des conflits (par habitant et par an)" in list(table["Paramètre"])
    assert "Modèle ajusté" in _table(app, "Modèle ajusté").columns  # the figures it learnt from
    app.text_input(key=f"{twin.KEEP}.note").set_value("après l'hiver")
    app = _submit(app, "Utiliser cet ajustement pour les prévisions et les questions")
    assert not app.exception
    assert "Ajustement enregistré" in texts(app)
    saved = _table(app, "Utilisé")
    assert list(saved["Utilisé"]) == ["✅ en cours"] and list(saved["Note"]) == ["après l'hiver"]
    with store.connect(demo_db) as db:
        assert [e.action for e in store.history(db, "habitat_calibration")] == ["create"]
    # The forecast now runs with the habitat's own values, and says so; the general ones stay.
    app = app.run()
    assert app.checkbox(key=f"{twin.FORECAST}.general").value is False
    app = _ask(app, twin.FORECAST, 1, months=3)
    assert not app.exception
    assert "ajustement enregistré" in texts(app)
    app.checkbox(key=f"{twin.FORECAST}.general").check()
    app = _ask(app.run(), twin.FORECAST, 1, months=3)
    assert "paramètres généraux du modèle" in texts(app)


def test_the_host_calibrates_to_read_but_does_not_save(page_as):
    app = _calibrate_small(page_as(Screen.TWIN, Role.HOST))
    assert not app.exception and not app.error
    assert "Valeur de votre habitat" in _table(app, "Valeur de votre habitat").columns
    labels = [b.label for b in app.get("form_submit_button")]
    assert "Utiliser cet ajustement pour les prévisions et les questions" not in labels
    assert "Seul·e l'animateur·rice" in texts(app)


def test_the_backtest_can_fit_on_the_months_before_it(page_as):
    app = page_as(Screen.TWIN, Role.ANIMATOR)
    # The demo's 11 months: 6 compared by default, so at most 5 to fit on before them.
    assert app.number_input(key=f"{twin.BACKTEST}.fit_months").value == 5
    app.checkbox(key=f"{twin.BACKTEST}.fit").check()
    app.number_input(key=f"{twin.BACKTEST}.fit_months").set_value(3)
    app = _ask(app, twin.BACKTEST, 0, months=3, replications=10)
    assert not app.exception and not app.error
    assert "modèle ajusté pour cette comparaison sur les fiches du 30/12/2025 au 30/03/2026" in (
        texts(app)
    )


def test_the_animator_joins_the_avp_answer_to_the_years_report(page_as, demo_db):
    app = _question(page_as(Screen.TWIN, Role.ANIMATOR), twin.AVP)
    app = _submit(_small(app, twin.AVP), "Calculer")
    app.text_input(key=f"{twin.AVP}.save.note").set_value("pour le département")
    app = _submit(app, "Joindre au rapport annuel AVP")
    assert not app.exception and not app.error
    assert "elle figurera dans le rapport annuel AVP 2026" in texts(app)
    with store.connect(demo_db) as db:
        from habitat.store import queries
        from habitat.store.entities import Habitat

        need = queries.avp_report(db, store.find(db, Habitat)[0].stored_id, 2026).model_need
        assert need is not None and need.note == "pour le département"
        assert need.model_from == TODAY


def test_the_host_reads_the_avp_answer_but_joins_none(page_as, demo_db):
    app = _question(page_as(Screen.TWIN, Role.HOST), twin.AVP)
    app = _submit(_small(app, twin.AVP), "Calculer")
    assert not app.exception and not app.error
    assert "Joindre au rapport annuel AVP" not in [b.label for b in app.get("form_submit_button")]

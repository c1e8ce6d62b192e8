"""Le modèle de mon habitat: the animator compares the model with the records, then forecasts."""

from __future__ import annotations

import pytest

from habitat import store
from habitat.services.access import Screen
from habitat.store.entities import Role
from habitat.twin.observed import MEASURES
from habitat.ui.screens import twin

from .conftest import texts


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
        assert [e.after["purpose"] for e in store.history(db) if e.action == "export"] == [
            "twin backtest"
        ]


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

"""Le modèle de mon habitat, as the animator: the backtest, then each question before deciding."""

from __future__ import annotations

import re

from .conftest import sign_in
from .test_journeys import open_page, see, settle


def _fill(page, scope, label: str, value: str) -> None:
    field = scope.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")


def _small(page, tab) -> None:
    _fill(page, tab, "Mois", "3")
    _fill(page, tab, "Nombre de simulations", "20")


def _tab(page, name: str):
    page.get_by_role("tab", name=name).click()
    settle(page)
    return page.get_by_role("tabpanel", name=name)


def _question(page, label: str):
    tab = _tab(page, "Avant de décider")
    tab.get_by_text(label, exact=True).click()
    settle(page)
    return tab


def _open(server, page):
    sign_in(page, server, "animator")
    open_page(page, "twin", "Le modèle de mon habitat")


def test_animator_reads_what_the_model_expected_and_what_happened(server, page):
    _open(server, page)
    tab = _tab(page, "Attendu et constaté")
    assert "Ce que le modèle attendait, ce qui s'est passé" in tab.inner_text()
    _fill(page, tab, "Nombre de simulations", "20")
    tab.get_by_role("button", name="Comparer").click()
    see(page, "sont dans la fourchette du modèle")
    reading = tab.get_by_text("sont dans la fourchette du modèle").inner_text()
    assert re.search(r"\d chiffres sur \d", reading), reading
    assert re.search(r"Du \d\d/\d\d/\d{4} au \d\d/\d\d/\d{4}", tab.inner_text())


def test_animator_rehearses_a_council_rule(server, page):
    _open(server, page)
    tab = _question(page, "Une règle avant le vote du conseil")
    tab.get_by_text("Activités par semaine", exact=True).click()
    _fill(page, tab, "Nombre", "8")
    _small(page, tab)
    tab.get_by_role("button", name="Simuler la règle").click()
    see(page, "Comment lire ces chiffres")


def test_animator_sees_what_rests_on_each_family(server, page):
    _open(server, page)
    tab = _question(page, "Ce qui repose sur chaque famille")
    _small(page, tab)
    tab.get_by_role("button", name="Calculer").click()
    see(page, "Si la famille 1 se retire")


def test_animator_prepares_the_avp_request(server, page):
    _open(server, page)
    tab = _question(page, "Le temps de l'animateur·rice et l'AVP à demander")
    _small(page, tab)
    tab.get_by_role("button", name="Calculer").click()
    see(page, "le besoin est donné en heures seulement")  # the demo sets no hourly cost
    _fill(page, tab, "Note (facultative)", "pour le département")
    tab.get_by_role("button", name="Joindre au rapport annuel AVP").click()
    see(page, "elle figurera dans le rapport annuel AVP 2026")


def test_animator_asks_about_an_admission_in_a_full_house(server, page):
    """The demo's dwellings are all taken: the answer says so, in French, and runs nothing."""
    _open(server, page)
    tab = _question(page, "Une admission")
    _fill(page, tab, "GIR", "2")
    _small(page, tab)
    tab.get_by_role("button", name="Simuler l'admission").click()
    see(page, "Tous les logements sont occupés")


def test_animator_stops_a_calibration_then_fits_and_uses_one(server, page):
    _open(server, page)
    tab = _tab(page, "Ajuster à mon habitat")
    # The default size takes about a minute: the stop button ends it, nothing is saved.
    tab.get_by_role("button", name="Ajuster le modèle (environ une minute)").click()
    page.get_by_text("Ajustement en cours").first.wait_for()
    page.get_by_role("button", name="Arrêter la simulation").click()
    see(page, "Ajustement arrêté")
    tab = _tab(page, "Ajuster à mon habitat")
    assert "Aucun pour l'instant" in tab.inner_text()
    # A small one runs to the end, shows what it learnt, and is kept for the forecasts.
    tab.get_by_text("Réglages avancés").click()
    _fill(page, tab, "Étapes", "1")
    _fill(page, tab, "Valeurs essayées par étape", "10")
    _fill(page, tab, "Simulations par valeur", "10")
    tab.get_by_role("button", name="Ajuster le modèle (environ une minute)").click()
    see(page, "Ajusté sur les fiches du")
    tab.get_by_role(
        "button", name="Utiliser cet ajustement pour les prévisions et les questions"
    ).click()
    see(page, "Ajustement enregistré")
    tab = _tab(page, "Les prochains mois")
    _fill(page, tab, "Mois", "3")
    _fill(page, tab, "Nombre de simulations", "20")
    tab.get_by_role("button", name="Prévoir").click()
    see(page, "Les 12 derniers mois")
    assert "ajustement enregistré" in _tab(page, "Les prochains mois").inner_text()

"""A promoter in a real browser: simulate, compare a variant, download the YAML, run it."""

from __future__ import annotations

import subprocess
import sys
import time

import psutil
import pytest

from .conftest import ROOT, serving, sign_in


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The explorer's own server: its runs take seconds of the server's CPU, which
    would slow the journeys sharing a server with them."""
    with serving(tmp_path_factory.mktemp("explorer")) as running:
        yield running


def server_cpu_seconds(server) -> float:
    times = psutil.Process(server.process.pid).cpu_times()
    return times.user + times.system


def _fill(page, label: str, value: str) -> None:
    field = page.get_by_label(label, exact=True)
    field.fill(value)
    field.press("Tab")


def _simulate(page, name: str, animator_hours: str) -> None:
    _fill(page, "Nom du projet", name)
    _fill(page, "Durée simulée (jours)", "90")
    _fill(page, "Animation (h/semaine)", animator_hours)
    _fill(page, "Nombre de simulations", "20")
    page.get_by_role("button", name="Lancer la simulation").click()
    page.get_by_role("heading", name=f"Résultats : {name}").wait_for()
    page.get_by_role("button", name="Garder pour comparer").click()
    page.get_by_text(f"« {name} » est gardé pour la comparaison").wait_for()


def test_promoter_simulates_compares_and_downloads_a_yaml_the_cli_runs(server, page, tmp_path):
    sign_in(page, server, "promoter")
    page.get_by_role("heading", name="Explorer un projet").wait_for()
    # Must not happen: a promoter seeing any screen with people's data.
    assert page.get_by_role("link", name="Habitants").count() == 0

    _simulate(page, "Projet Tilleuls", "28")
    page.get_by_text("Dans 9 simulations sur 10, l'aide individuelle non couverte").wait_for()
    # Must not happen: a stop button left when the run is over, a count shown "8.00".
    assert page.get_by_role("button", name="Arrêter la simulation").count() == 0
    assert page.get_by_label("Logements", exact=True).input_value() == "8"
    assert page.get_by_label("Durée simulée (jours)", exact=True).input_value() == "90"
    # How far to trust it: a level under each chart, and the published figures behind them.
    assert page.get_by_text("Confiance : hypothèses").count() >= 1
    page.get_by_text("Jusqu'où faire confiance à ces résultats ?").first.click()
    page.get_by_text("Le modèle est confronté à des chiffres publiés").wait_for()
    _simulate(page, "Variante peu animée", "8")
    page.get_by_role("button", name="Comparer sur les mêmes tirages").click()
    page.get_by_role("heading", name="2 scénarios, 20 simulations, graine 2026").wait_for()
    page.get_by_text("Avec « Variante peu animée », par rapport à « Projet Tilleuls »").wait_for()
    assert page.get_by_role("button", name="Arrêter la simulation").count() == 0

    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger la comparaison (CSV)").click()
    table = download.value.path().read_bytes().decode("utf-8")
    assert table.startswith("\ufeffScénario;Graine;Simulations;Jour;Habitants présents")
    assert ";Variante peu animée;" not in table and "\r\nVariante peu animée;2026;20;1;" in table

    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le scénario (YAML)").click()
    path = tmp_path / "variante.yaml"
    download.value.save_as(path)
    assert page.get_by_text("Traceback").count() == 0

    command = [sys.executable, "-m", "habitat.cli", "simulate", str(path), "--seed", "2026"]
    run = subprocess.run(
        [*command, "-r", "5", "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "Variante peu animée: 5 replications x 90 days, seed 2026" in run.stdout


def test_a_long_run_shows_progress_and_stops_at_once(server, page):
    sign_in(page, server, "promoter")
    page.get_by_role("heading", name="Explorer un projet").wait_for()
    _fill(page, "Durée simulée (jours)", "3650")
    _fill(page, "Nombre de simulations", "100")
    page.get_by_role("button", name="Lancer la simulation").click()
    page.get_by_text("Simulation en cours…").wait_for()
    started = time.monotonic()
    page.get_by_role("button", name="Arrêter la simulation").click()
    page.get_by_text("Simulation arrêtée : rien n'a été calculé.").wait_for()
    # Must not happen: waiting for the end of a run of several seconds nobody wants.
    assert time.monotonic() - started < 3.0
    assert page.get_by_role("heading", name="Résultats : Mon projet").count() == 0
    # Must not happen: the run going on on the server after the page stopped it.
    time.sleep(0.5)
    before = server_cpu_seconds(server)
    time.sleep(2.0)
    assert server_cpu_seconds(server) - before < 0.5


def test_a_run_left_by_closing_the_page_stops_on_the_server(server, browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(60_000)
    page = context.new_page()
    sign_in(page, server, "promoter")
    page.get_by_role("heading", name="Explorer un projet").wait_for()
    _fill(page, "Durée simulée (jours)", "3650")
    _fill(page, "Nombre de simulations", "100")
    page.get_by_role("button", name="Lancer la simulation").click()
    page.get_by_text("Simulation en cours…").wait_for()
    context.close()  # the tab is closed mid-run, no "Arrêter"
    time.sleep(1.0)
    before = server_cpu_seconds(server)
    time.sleep(2.0)
    # Must not happen: a run nobody will see keeping the server busy for seconds.
    assert server_cpu_seconds(server) - before < 0.5

"""The explorer's service: French messages, sized runs, readings, files that round-trip."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from habitat import load_scenario
from habitat.services import explore, results, story
from habitat.services.explore import InvalidForm, ProjectForm, ShockChoice
from habitat.sim.metrics import METRICS

from ..conftest import SCENARIO_FILES, SCENARIOS

SEED = 11


@pytest.fixture(scope="module")
def small_run():
    scenario = explore.scenario_from_form(
        ProjectForm(days=60, shocks=(ShockChoice("animator_absence", 20),))
    )
    return scenario, explore.run(scenario, 12, SEED)


def test_the_form_becomes_the_scenario_it_says():
    form = ProjectForm(
        dwellings=9,
        residents=6,
        share_elderly_pct=50,
        disabilities=("psychic",),
        gir_pct={2: 10, 4: 90},
        share_by_default_pct=40,
        avp_per_resident_eur=10_000,
        animator_hours_per_week=14,
        share_own_providers_pct=25,
        neighbourhood_access_pct=30,
        family_hours_per_week=3,
        share_no_family_pct=50,
        activities_per_week=2,
        days=200,
        shocks=(ShockChoice("family_withdrawal", 100), ShockChoice("new_resident", 150)),
    )
    scenario = explore.scenario_from_form(form)
    generate = scenario.residents.generate
    assert (scenario.habitat.dwellings, generate.count, scenario.days) == (9, 6, 200)
    assert generate.share_elderly == 0.5 and generate.disability_mix == {"psychic": 1.0}
    assert generate.gir_distribution == {2: 10, 4: 90}
    assert generate.share_entered_by_default == pytest.approx(0.4)
    assert scenario.habitat.avp_per_resident_eur == 10_000
    assert scenario.habitat.neighbourhood_access == pytest.approx(0.3)
    assert scenario.animator.hours_per_week == 14
    assert scenario.providers.share_own == pytest.approx(0.25)
    assert (scenario.families.hours_per_week, scenario.families.share_no_family) == (3, 0.5)
    assert scenario.policies.activities_per_week == 2
    assert [(s.kind, s.day) for s in scenario.shocks] == [
        ("family_withdrawal", 100),
        ("new_resident", 150),
    ]
    assert scenario.shocks[1].resident.gir == 2


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (
            ProjectForm(dwellings=6, residents=8),
            "residents",
            "8 habitants ne tiennent pas dans 6 logements",
        ),
        (
            ProjectForm(animator_hours_per_week=-3),
            "animator_hours_per_week",
            "ne peut pas être négatif",
        ),
        (
            ProjectForm(family_hours_per_week=-1),
            "family_hours_per_week",
            "ne peut pas être négatif",
        ),
        (
            ProjectForm(days=100, shocks=(ShockChoice("animator_absence", 120),)),
            "shock.animator_absence",
            "le jour 120 est après la fin de la simulation (100 jours)",
        ),
        (ProjectForm(share_by_default_pct=120), "share_by_default_pct", "entre 0 et 100"),
        (ProjectForm(gir_pct={g: 0 for g in range(1, 7)}), "gir_pct", "elle doit faire 100 %"),
        (
            ProjectForm(gir_pct={3: 20, 4: 40, 5: 30}),
            "gir_pct",
            "la répartition des GIR fait 90 % au total : elle doit faire 100 %",
        ),
        (
            ProjectForm(gir_pct={3: 20.5, 4: 40, 5: 50}),
            "gir_pct",
            "la répartition des GIR fait 110,5 % au total",
        ),
        (ProjectForm(avp_per_resident_eur=12_000), "avp_per_resident_eur", "au plus 10000"),
        (ProjectForm(dwellings=0), "dwellings", "au moins 1"),
        (ProjectForm(name=""), "name", "ne peut pas être vide"),
        (
            ProjectForm(share_elderly_pct=50, disabilities=()),
            "disabilities",
            "au moins un handicap",
        ),
    ],
)
def test_impossible_settings_are_refused_in_french_next_to_their_field(form, field, message):
    with pytest.raises(InvalidForm) as refusal:
        explore.scenario_from_form(form)
    assert message in refusal.value.by_field[field]
    assert refusal.value.message_fr.startswith("Rien n'a été simulé")


def test_a_file_fills_the_form_and_the_form_keeps_the_file_settings():
    base = load_scenario(SCENARIOS / "own_providers.yaml")
    form = explore.form_from_scenario(base)
    again = explore.scenario_from_form(form, base)
    assert again.providers == base.providers.model_copy(
        update={"share_own": again.providers.share_own}
    )
    assert again.mechanisms == base.mechanisms
    assert again.animator == base.animator and again.habitat == base.habitat


def test_a_run_too_large_is_refused_with_the_reason_and_a_run_that_fits():
    scenario = explore.scenario_from_form(ProjectForm(dwellings=30, residents=30, days=3650))
    with pytest.raises(explore.TooLarge) as refusal:
        explore.check_size([scenario], 1000)
    message = refusal.value.message_fr
    assert "trop lourde pour le serveur" in message and "Essayez" in message
    smaller = refusal.value.suggested_days or scenario.days
    fits = scenario.with_days(smaller)
    explore.check_size([fits], refusal.value.suggested_replications)  # the suggestion fits
    with pytest.raises(explore.TooLarge, match="entre 1 et 1000"):
        explore.check_size([scenario], 0)


def test_progress_is_reported_and_a_stop_ends_the_run():
    scenario = explore.scenario_from_form(ProjectForm(days=40))
    seen = []
    explore.run(scenario, 3, SEED, on_progress=seen.append)
    assert 10 <= len(seen) <= explore.PROGRESS_STEPS + 1 and seen[-1] == 1.0
    assert seen == sorted(seen)

    def stop(share: float) -> None:
        if share > 0.5:
            raise explore.Stopped

    with pytest.raises(explore.Stopped):
        explore.run(scenario, 3, SEED, on_progress=stop)


def test_bands_and_the_plain_french_reading(small_run):
    scenario, result = small_run
    bands = results.bands(result)
    assert set(bands) == {c.metric for c in results.CHARTS}
    for band in bands.values():
        assert len(band.median) == scenario.days
        assert (band.low <= band.median + 1e-9).all() and (band.median <= band.high + 1e-9).all()
    text = "\n".join(results.reading(result))
    assert "Dans 9 simulations sur 10, l'aide individuelle non couverte reste sous" in text
    assert "h par semaine" in text and f"graine {SEED}" in text


def test_comparison_runs_every_scenario_on_the_same_seeds():
    base = explore.scenario_from_form(ProjectForm(days=60))
    shocked = explore.scenario_from_form(
        ProjectForm(days=60, shocks=(ShockChoice("family_withdrawal", 30),))
    )
    first, second = explore.run_all([base, shocked], 8, SEED)
    # Common random numbers: the same story until the shock.
    assert (first.values[:29] == second.values[:29]).all()
    assert not (first.values[29:] == second.values[29:]).all()
    table = results.comparison({"Projet": first, "Variante": second})
    assert list(table) == ["Indicateur", "Projet", "Variante"]
    assert all("[" in cell for cell in table["Variante"])


def test_results_csv_has_every_metric_every_day_and_no_formula(small_run):
    scenario, result = small_run
    text = results.results_csv({"=HYPERLINK(1)": result})
    assert text.startswith("\ufeff")
    lines = text.lstrip("\ufeff").splitlines()
    head = lines[0].split(";")
    assert head[:4] == ["Scénario", "Graine", "Simulations", "Jour"]
    assert "Aide individuelle non couverte (h sur les 7 derniers jours) : médiane" in head
    assert "Usure de l'animateur·rice (0 à 1) : 95 %" in head
    assert len(head) == 4 + 3 * len(METRICS)
    assert len(lines) == 1 + scenario.days
    assert all(line.startswith("'=HYPERLINK(1)") for line in lines[1:])
    cells = [cell for line in lines[1:] for cell in line.split(";")[4:]]
    # Must not happen: a decimal point French Excel reads as text, or an English header.
    assert not any("." in cell for cell in cells)
    assert any("," in cell for cell in cells)
    assert not any(word in lines[0] for word in ("median", "metric", "day", "h/day"))
    # Hours as the charts show them: the last 7 days, so day 30 agrees with the band.
    column = head.index("Aide individuelle non couverte (h sur les 7 derniers jours) : médiane")
    band = results.bands(result)["unmet_individual_hours"].median
    assert lines[30].split(";")[column] == results.csv_number(band[29])


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_the_yaml_round_trips_through_load_scenario(path, tmp_path):
    scenario = load_scenario(path)
    file = tmp_path / "s.yaml"
    file.write_text(results.scenario_yaml(scenario, 3, 10), encoding="utf-8")
    assert load_scenario(file) == scenario


def test_app_and_cli_give_the_same_numbers_for_the_same_seed(small_run, tmp_path, run_cli):
    scenario, result = small_run
    file = tmp_path / "project.yaml"
    file.write_text(results.scenario_yaml(scenario, SEED, 12), encoding="utf-8")
    out = tmp_path / "out"
    status, stdout, stderr = run_cli(
        "simulate", str(file), "--seed", str(SEED), "-r", "12", "--out", str(out), "--quiet"
    )
    assert status == 0, stderr
    from_cli = pd.read_parquet(out / "metrics.parquet")
    pd.testing.assert_frame_equal(from_cli, result.metrics)
    assert f"seed {SEED}" in stdout


def test_the_story_is_french_and_filters_by_resident_and_kind():
    scenario = load_scenario(SCENARIOS / "shocks_year.yaml")
    told = story.tell(scenario, 5)
    events = told.events
    assert len(events) > 20
    assert not events["sentence"].str.contains(r"\b(?:resident|animator|family of)\b").any()
    assert events["sentence"].str.contains("L'animateur·rice s'absente").any()
    one = told.residents()[0]
    mine = told.filtered(one)
    assert len(mine) and (mine["resident"] == one).all()
    assert mine["sentence"].str.contains(f"logement {one}").all()
    health = told.filtered(families=["Santé et autonomie"])
    assert set(health["family"]) == {"Santé et autonomie"}


@pytest.fixture(scope="module")
def project_and_thin_variant():
    project = explore.scenario_from_form(ProjectForm(days=60))
    thin = explore.scenario_from_form(ProjectForm(days=60, animator_hours_per_week=6))
    first, second = explore.run_all([project, thin], 10, SEED)
    return {"Projet": first, "Peu d'animation": second}


def test_the_comparison_is_summed_up_in_french_from_the_results(project_and_thin_variant):
    (sentence,) = results.comparison_summary(project_and_thin_variant)
    assert sentence.startswith("Avec « Peu d'animation », par rapport à « Projet » : ")
    participation = {
        name: np.median(result.per_replication()["participation_rate"])
        for name, result in project_and_thin_variant.items()
    }
    fall = 1 - participation["Peu d'animation"] / participation["Projet"]
    assert f"la participation aux activités baisse de {fall:.0%}".replace("%", "\u00a0%") in (
        sentence
    )
    # Hours of help are said by the week, as in the charts and the reading.
    unmet = "les besoins d'aide individuelle non couverts"
    assert unmet in sentence
    assert "h par jour" not in sentence and "h/jour" not in sentence


def test_the_same_results_compared_change_almost_nothing(project_and_thin_variant):
    same = project_and_thin_variant["Projet"]
    (sentence,) = results.comparison_summary({"Projet": same, "Copie": same})
    assert "ne changent presque pas" in sentence
    assert "augment" not in sentence and "baisse" not in sentence
    assert results.comparison_summary({"Projet": same}) == []


def test_the_comparison_table_says_hours_by_the_week(project_and_thin_variant):
    table = results.comparison(project_and_thin_variant)
    labels = table["Indicateur"]
    assert "Aide individuelle non couverte (h par semaine, moyenne)" in labels
    assert not any("jour" in label for label in labels)
    row = labels.index("Aide individuelle non couverte (h par semaine, moyenne)")
    per_day = np.median(
        project_and_thin_variant["Projet"].per_replication()["unmet_individual_hours"]
    )
    assert table["Projet"][row].startswith(
        f"{7 * per_day:.1f}".replace(".", ",").removesuffix(",0")
    )
    # Counts are whole numbers.
    row = labels.index("Nouveaux conflits (total)")
    assert "," not in table["Projet"][row]


def test_every_metric_has_a_french_label_and_unit():
    assert set(results.METRIC_FR) == {m.name for m in METRICS}
    assert {m.unit for m in METRICS} <= set(results.UNIT_FR)


def test_every_shipped_scenario_has_a_french_title_and_fills_a_valid_form():
    files = explore.scenario_files()
    assert set(files) == {path.stem for path in SCENARIO_FILES} == set(explore.SHIPPED_FR)
    for scenario_id, path in files.items():
        shown = explore.shipped_fr(scenario_id)
        assert shown.title and shown.summary and len(shown.title) <= 80
        form = explore.form_from_scenario(load_scenario(path))
        # The GIR mix of a file, rounded for the form, still adds up to 100 %.
        explore.scenario_from_form(form, load_scenario(path))


def test_csv_numbers_have_a_decimal_comma():
    assert [results.csv_number(v) for v in (2.5, 7.0, -1234.5678, -0.0001, 0.1)] == [
        "2,5",
        "7",
        "-1234,568",
        "0",
        "0,1",
    ]

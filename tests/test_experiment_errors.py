"""Bad experiment files, folders and schedulers: the message a user sees, status 2, no trace."""

from __future__ import annotations

import pytest

from habitat.experiment import ExperimentError, load_experiment

from .conftest import SCENARIOS

HEAD = f"scenario: {SCENARIOS / 'elderly_baseline.yaml'}\nseed: 1\n"

BAD_EXPERIMENTS = {
    "unknown_factor_path": (
        "factors:\n  - {path: animator.hours_per_wek, levels: [7, 14]}\n",
        "{f}: factors.0.path: animator.hours_per_wek: unknown field; "
        "did you mean 'hours_per_week'?",
    ),
    "unknown_linked_path": (
        "factors:\n  - {path: [habitat.dwellings, residents.generate.cont], levels: [7]}\n",
        "{f}: factors.0.path: residents.generate.cont: unknown field; did you mean 'count'?",
    ),
    "factor_value_out_of_range": (
        "factors:\n  - {path: habitat.neighbourhood_access, levels: [0.5, 1.5]}\n",
        "{f}: factors.0.levels.1: habitat.neighbourhood_access = 1.5: Input should be less "
        "than or equal to 1 (got 1.5)",
    ),
    "empty_range": (
        "design: {kind: latin, samples: 10}\n"
        "factors:\n  - {path: animator.hours_per_week, range: [20, 20]}\n",
        "{f}: factors.0.range: empty range [20.0, 20.0]; the low end must be below the high end",
    ),
    "no_levels": (
        "factors:\n  - {path: animator.hours_per_week, levels: []}\n",
        "{f}: factors.0.levels: no levels given",
    ),
    "levels_and_range": (
        "factors:\n  - {path: animator.hours_per_week, levels: [7], range: [1, 2]}\n",
        "{f}: factors.0: give either 'levels' or 'range', exactly one",
    ),
    "grid_with_a_range": (
        "factors:\n  - {path: animator.hours_per_week, range: [7, 35]}\n",
        "{f}: design.kind: a grid needs levels, but factor 'animator.hours_per_week' "
        "(factors.0) has a range; give it levels or use latin/sobol/morris",
    ),
    "sobol_with_levels": (
        "design: {kind: sobol, samples: 64}\n"
        "factors:\n  - {path: policies.regulation_practice, levels: [none, council]}\n",
        "{f}: design.kind: a sobol design samples continuous ranges, but factor "
        "'policies.regulation_practice' (factors.0) has levels; give it a range",
    ),
    "sobol_samples_not_a_power_of_two": (
        "design: {kind: sobol, samples: 100}\n"
        "factors:\n  - {path: animator.hours_per_week, range: [7, 35]}\n",
        "{f}: design.samples: Sobol sampling needs a power of 2, got 100; try 64 or 128",
    ),
    "sampled_design_without_samples": (
        "design: {kind: latin}\nfactors:\n  - {path: animator.hours_per_week, range: [7, 35]}\n",
        "{f}: design.samples: a latin design needs a number of samples",
    ),
    "morris_without_factors": (
        "design: {kind: morris, samples: 4}\n",
        "{f}: design.kind: a morris design needs at least one factor",
    ),
    "unknown_metric": (
        "outputs: {summaries: [participation]}\n",
        "{f}: outputs.summaries.0: unknown metric 'participation'; "
        "did you mean 'participation_rate'?",
    ),
    "unknown_top_level_key": (
        "replication: 5\n",
        "{f}: replication: unknown field; did you mean 'replications'?",
    ),
    "unknown_design_kind": (
        "design: {kind: factorial}\n",
        "{f}: design.kind: Input should be 'grid', 'latin', 'sobol', 'morris' or 'territory' "
        "(got 'factorial')",
    ),
}


def _refused_by_load_and_sweep(path, expected: str, tmp_path, run_cli) -> None:
    """The experiment file is refused with `expected`, read in Python and by `habitat sweep`,
    which exits 2, prints nothing on stdout and writes nothing."""
    with pytest.raises(ExperimentError) as caught:
        load_experiment(path)
    assert str(caught.value) == expected

    out = tmp_path / "out"
    status, stdout, err = run_cli("sweep", str(path), "--out", str(out), "-q")
    assert status == 2
    assert err == f"habitat sweep: error: {expected}\n"
    assert stdout == ""
    assert not out.exists(), "nothing is written"


@pytest.mark.parametrize("case", BAD_EXPERIMENTS, ids=str)
def test_bad_experiment_message_names_file_field_and_reason(tmp_path, run_cli, case):
    text, expected = BAD_EXPERIMENTS[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(HEAD + text, encoding="utf-8")
    expected = expected.format(f=path)
    _refused_by_load_and_sweep(path, expected, tmp_path, run_cli)


def test_bad_base_scenario_names_the_scenario_and_the_override(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(HEAD + "overrides: [habitat.dwelings=3]\n", encoding="utf-8")
    with pytest.raises(ExperimentError) as caught:
        load_experiment(path)
    scenario = SCENARIOS / "elderly_baseline.yaml"
    assert str(caught.value) == (
        f"{path}: scenario: {scenario} (--set habitat.dwelings=3): habitat.dwelings: "
        "unknown field; did you mean 'dwellings'?"
    )


def test_missing_experiment_file(run_cli, tmp_path):
    status, _, err = run_cli("sweep", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o"))
    assert status == 2
    assert err == f"habitat sweep: error: {tmp_path / 'nope.yaml'}: file not found\n"


def test_bad_command_line_override(run_cli, tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(HEAD, encoding="utf-8")
    status, _, err = run_cli("sweep", str(path), "--out", str(tmp_path / "o"), "--set", "seed=-1")
    assert status == 2
    assert err == (
        f"habitat sweep: error: {path}: seed: Input should be greater than or equal to 0 (got -1)\n"
    )


@pytest.mark.slow
def test_unreachable_scheduler_writes_nothing(run_cli, tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(HEAD, encoding="utf-8")
    out = tmp_path / "out"
    status, _, err = run_cli(
        "sweep", str(path), "--out", str(out), "--scheduler", "tcp://127.0.0.1:9"
    )
    assert status == 2
    assert err.startswith(
        "habitat sweep: error: --scheduler: cannot reach the Dask scheduler at "
        "tcp://127.0.0.1:9 within 5 s"
    )
    assert not out.exists()


def test_out_folder_with_other_content_is_refused(run_cli, tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(HEAD + "days: 10\nreplications: 1\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    status, _, err = run_cli("sweep", str(path), "--out", str(out), "-q")
    assert status == 2
    assert err == f"habitat sweep: error: --out: {out} is not empty and holds no sweep; " \
        "choose a new folder\n"  # fmt: skip
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_out_folder_of_another_experiment_is_refused(run_cli, tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(HEAD + "days: 10\nreplications: 1\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_cli("sweep", str(path), "--out", str(out), "-q", "--workers", "1")[0] == 0
    before = sorted(p.name for p in out.rglob("*"))
    status, _, err = run_cli("sweep", str(path), "--out", str(out), "--set", "seed=2", "-q")
    assert status == 2
    assert "holds a sweep of another experiment" in err
    assert sorted(p.name for p in out.rglob("*")) == before


def test_analyze_a_folder_that_is_not_a_sweep(run_cli, tmp_path):
    status, _, err = run_cli("analyze", str(tmp_path))
    assert status == 2
    assert err == (
        f"habitat analyze: error: {tmp_path}: no manifest.json; is this a `habitat sweep` folder?\n"
    )


def test_unreachable_scheduler_is_said_from_inside_a_running_event_loop():
    """A researcher's notebook runs an event loop: the probe must still say why, not crash."""
    import asyncio

    from habitat.experiment.backends import BackendError
    from habitat.experiment.cluster import probe_scheduler

    async def from_a_notebook() -> str:
        try:
            probe_scheduler("tcp://127.0.0.1:9", None, 2)
        except BackendError as refusal:
            return str(refusal)
        return "no refusal"

    said = asyncio.run(from_a_notebook())
    assert said.startswith("--scheduler: cannot reach the Dask scheduler at tcp://127.0.0.1:9")


GIR4 = "mechanisms.autonomy.mortality_rate_per_year_by_gir.4"
#: A bad posterior (its CSV, None for no file) and the message: `{p}` is the CSV's path.
BAD_POSTERIORS = {
    "missing_file": (None, 2, "{f}: posterior.file: {p}: file not found"),
    "no_weight_column": (
        f"{GIR4},w\n0.1,1\n",
        2,
        "{f}: posterior.file: {p}: no 'weight' column; a posterior written by "
        "`habitat calibrate` has one",
    ),
    "unknown_path": (
        "mechanisms.autonomy.mortality_rate,weight\n0.1,1\n",
        2,
        "{f}: posterior.file: {p}: column 'mechanisms.autonomy.mortality_rate': not a "
        "scenario field; did you mean 'male_mortality_ratio'?",
    ),
    "misspelt_table": (
        "mechanisms.autonomy.mortality_rate_per_year_by_gr.4,weight\n0.1,1\n",
        2,
        "{f}: posterior.file: {p}: column 'mechanisms.autonomy.mortality_rate_per_year_by_gr.4': "
        "not a scenario field (mechanisms.autonomy.mortality_rate_per_year_by_gr); "
        "did you mean 'mortality_rate_per_year_by_gir'?",
    ),
    "no_such_gir": (
        "mechanisms.autonomy.mortality_rate_per_year_by_gir.7,weight\n0.1,1\n",
        2,
        "{f}: posterior.file: {p}: column 'mechanisms.autonomy.mortality_rate_per_year_by_gir.7': "
        "no item 7 in a table of 6 (1 to 6)",
    ),
    "a_group_not_a_value": (
        "mechanisms.autonomy,weight\n1,1\n",
        2,
        "{f}: posterior.file: {p}: column 'mechanisms.autonomy': a group of fields, not one value",
    ),
    "value_the_scenario_refuses": (
        "habitat.neighbourhood_access,weight\n0.5,0.5\n1.5,0.5\n",
        2,
        "{f}: posterior.file: {p}: column 'habitat.neighbourhood_access' = 1.5: Input should be "
        "less than or equal to 1 (got 1.5)",
    ),
    "not_a_number": (
        f"{GIR4},weight\n0.1,1\nabout 0.2,0\n",
        2,
        f"{{f}}: posterior.file: {{p}}: column '{GIR4}', line 3: not a number",
    ),
    "weights_not_summing_to_one": (
        f"{GIR4},weight\n0.1,0.5\n0.2,0.3\n",
        2,
        "{f}: posterior.file: {p}: the weights sum to 0.8, not 1; is this a whole posterior "
        "(one written by `habitat calibrate`)?",
    ),
    "negative_weight": (
        f"{GIR4},weight\n0.1,1.5\n0.2,-0.5\n",
        2,
        "{f}: posterior.file: {p}: weights must be >= 0; line 3 has -0.5",
    ),
    "no_rows": (f"{GIR4},weight\n", 2, "{f}: posterior.file: {p}: the posterior has no rows"),
    "no_parameter": (
        "wave,weight\n2,1\n",
        2,
        "{f}: posterior.file: {p}: no parameter column (a column named by a scenario path)",
    ),
    "no_draws": (
        f"{GIR4},weight\n0.1,1\n",
        0,
        "{f}: posterior.draws: Input should be greater than or equal to 1 (got 0)",
    ),
    "too_many_draws": (
        f"{GIR4},weight\n0.1,1\n",
        5000,
        "{f}: posterior.draws: Input should be less than or equal to 1000 (got 5000)",
    ),
    "more_draws_than_replications": (
        f"{GIR4},weight\n0.1,1\n",
        20,
        "{f}: posterior.draws: 20 draws for 10 replications leave fewer than 1 replication "
        "per draw; ask for at most 10 draws or more replications",
    ),
}


@pytest.mark.parametrize("case", BAD_POSTERIORS, ids=str)
def test_bad_posterior_message_names_the_field_and_reason(tmp_path, run_cli, case):
    text, draws, expected = BAD_POSTERIORS[case]
    posterior = tmp_path / "posterior.csv"
    if text is not None:
        posterior.write_text(text, encoding="utf-8")
    path = tmp_path / f"{case}.yaml"
    path.write_text(
        HEAD + f"replications: 10\nposterior: {{file: posterior.csv, draws: {draws}}}\n",
        encoding="utf-8",
    )
    expected = expected.format(f=path, p=posterior)
    _refused_by_load_and_sweep(path, expected, tmp_path, run_cli)

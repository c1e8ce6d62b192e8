"""The documentation keeps up with the code."""

from __future__ import annotations

import subprocess
import sys

import pytest
from pydantic import BaseModel

from habitat.scenario import MechanismParams, Scenario
from habitat.sim.metrics import METRICS

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
MODEL = (ROOT / "docs" / "MODEL.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("metric", METRICS, ids=lambda m: m.name)
def test_every_metric_column_is_documented_in_the_readme(metric):
    assert f"`{metric.name}`" in README


def _paths(model: type[BaseModel], prefix: str):
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _paths(annotation, f"{prefix}{name}.")
        else:
            yield f"{prefix}{name}"


@pytest.mark.parametrize("path", list(_paths(MechanismParams, "mechanisms.")))
def test_every_mechanism_parameter_is_documented_in_the_model_description(path):
    assert path in MODEL


@pytest.mark.parametrize(
    "section", ["habitat", "families", "providers", "animator", "policies", "entry"]
)
def test_every_scenario_field_is_documented(section):
    model = Scenario.model_fields[section].annotation
    for name in model.model_fields:
        assert f"{section}.{name}" in MODEL


def test_the_simulation_core_does_not_load_streamlit():
    code = "import sys, habitat, habitat.sim; assert 'streamlit' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


EXPERIMENTS = (ROOT / "docs" / "EXPERIMENTS.md").read_text(encoding="utf-8")


def _experiment_fields():
    from habitat.experiment.spec import Design, Experiment, Factor, Outputs

    yield from (f"`{name}`" for name in Experiment.model_fields)
    yield from (f"`{name}`" for name in Factor.model_fields)
    yield from (f"`design.{name}`" for name in Design.model_fields)
    yield from (f"`outputs.{name}`" for name in Outputs.model_fields)


@pytest.mark.parametrize("field", list(_experiment_fields()))
def test_every_experiment_field_is_documented(field):
    assert field in EXPERIMENTS


def test_the_simulation_core_does_not_load_the_experiment_libraries():
    code = (
        "import sys, habitat, habitat.sim, habitat.cli; "
        "loaded = {'dask', 'distributed', 'SALib', 'matplotlib'} & set(sys.modules); "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

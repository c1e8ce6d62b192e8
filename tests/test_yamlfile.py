"""Settings files: the message a person sees for each unreadable file, in either loader."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from habitat import yamlfile
from habitat.experiment.spec import ExperimentError, load_experiment
from habitat.scenario import ScenarioError, load_scenario
from habitat.yamlfile import MAX_BYTES, YamlFileError, load_yaml

BAD_FILES = {
    "not_utf8": (
        b"habitat:\n  name: caf\xe9\n",
        "cannot be read: not UTF-8 text (byte 0xe9 at position 20); save it as UTF-8",
    ),
    "too_large": (
        b"#" * (MAX_BYTES + 1),
        f"too large for a settings file ({MAX_BYTES + 1:,} bytes; at most {MAX_BYTES:,})",
    ),
    "yaml_syntax": (
        b"a: 1\n b: 2\n",
        "YAML syntax error at line 2, column 3: mapping values are not allowed here",
    ),
    "not_a_mapping": (b"- a\n- b\n", "the file must hold a mapping of fields"),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=str)
def test_bad_file_message_names_file_and_reason(tmp_path, case):
    content, reason = BAD_FILES[case]
    path = tmp_path / "settings.yaml"
    path.write_bytes(content)
    with pytest.raises(YamlFileError) as caught:
        load_yaml(path, "settings file")
    assert str(caught.value) == f"{path}: {reason}"


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(YamlFileError, match=r"nope\.yaml: file not found$"):
        load_yaml(tmp_path / "nope.yaml", "settings file")
    with pytest.raises(YamlFileError, match=r": is a directory, not a settings file$"):
        load_yaml(tmp_path, "settings file")


def test_empty_file_is_an_empty_mapping(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    assert load_yaml(path, "settings file") == {}


@pytest.mark.parametrize(
    ("load", "error", "what"),
    [
        (load_scenario, ScenarioError, "scenario file"),
        (load_experiment, ExperimentError, "experiment file"),
    ],
    ids=["scenario", "experiment"],
)
def test_both_loaders_say_the_same(tmp_path, load, error, what):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(error) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}: too large for a {what} ({MAX_BYTES + 1:,} bytes; at most {MAX_BYTES:,})"
    )


def test_an_empty_experiment_names_the_missing_field(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("", encoding="utf-8")
    with pytest.raises(ExperimentError) as caught:
        load_experiment(path)
    assert str(caught.value) == f"{path}: seed: Field required"


def test_yamlfile_sits_below_everything():
    tree = ast.parse(Path(yamlfile.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not {name for name in imported if name.startswith("habitat")}

"""Bad scenario files, overrides and flags: the exact message a user sees, status 2."""

from __future__ import annotations

import textwrap

import pytest

from habitat import ScenarioError, load_scenario

from .conftest import SCENARIOS

BASELINE = str(SCENARIOS / "elderly_baseline.yaml")

BAD_FILES = {
    "unknown_key": (
        "habitat:\n  dwelings: 8\n",
        "{f}: habitat.dwelings: unknown field; did you mean 'dwellings'?",
    ),
    "wrong_type": (
        "habitat:\n  dwellings: eight\n",
        "{f}: habitat.dwellings: Input should be a valid integer, unable to parse string "
        "as an integer (got 'eight')",
    ),
    "out_of_range": (
        "habitat:\n  neighbourhood_access: 1.5\n",
        "{f}: habitat.neighbourhood_access: Input should be less than or equal to 1 (got 1.5)",
    ),
    "yaml_syntax": (
        "habitat:\n  dwellings: 8\n   common_spaces: 2\n",
        "{f}: YAML syntax error at line 3, column 17: mapping values are not allowed here",
    ),
    "too_many_residents": (
        "habitat:\n  dwellings: 7\nresidents:\n  generate:\n    count: 9\n",
        "{f}: residents.generate.count: 9 residents do not fit in habitat.dwellings = 7",
    ),
    "too_many_agreed_residents": (
        "habitat:\n  dwellings: 7\n  avp_agreed_residents: 8\n"
        "residents:\n  generate:\n    count: 5\n",
        "{f}: habitat.avp_agreed_residents: 8 residents agreed do not fit in habitat.dwellings = 7",
    ),
    "negative_weekend_factor": (
        "mechanisms:\n  presence:\n    weekend_factor: -1\n",
        "{f}: mechanisms.presence.weekend_factor: Input should be greater than or equal to 0 "
        "(got -1)",
    ),
    "shock_after_horizon": (
        "days: 100\nshocks:\n  - {kind: animator_absence, day: 400}\n",
        "{f}: shocks.0.day: day 400 is after the horizon of 100 days",
    ),
    "unknown_shock_kind": (
        "shocks:\n  - {kind: flood, day: 4}\n",
        "{f}: shocks.0: unknown kind 'flood'; expected one of: 'family_withdrawal', "
        "'animator_absence', 'provider_exit', 'new_resident', 'hospitalisation'",
    ),
    "both_members_and_generator": (
        "residents:\n  members: [{gir: 3}]\n  generate: {count: 3}\n",
        "{f}: residents: give either 'members' (a list) or 'generate', exactly one",
    ),
    "not_a_mapping": ("- a\n- b\n", "{f}: the file must hold a mapping of fields"),
    "member_too_young": (
        "residents:\n  members: [{gir: 4, age: 12}]\n",
        "{f}: residents.members.0.age: Input should be greater than or equal to 18 (got 12)",
    ),
    "member_unknown_sex": (
        "residents:\n  members: [{gir: 4}, {gir: 3, sex: other}]\n",
        "{f}: residents.members.1.sex: Input should be 'female' or 'male' (got 'other')",
    ),
    "unknown_shock_target": (
        "habitat: {dwellings: 7}\nresidents: {generate: {count: 5}}\n"
        "shocks:\n  - {kind: hospitalisation, day: 3, target: 9}\n",
        "{f}: shocks.0.target: dwelling 9 does not exist (dwellings are numbered 0 to 6)",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES, ids=str)
def test_bad_file_message_names_file_field_and_reason(tmp_path, run_cli, case):
    text, expected = BAD_FILES[case]
    path = tmp_path / f"{case}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert str(caught.value) == expected.format(f=path)

    out_dir = tmp_path / "out"
    status, out, err = run_cli("simulate", str(path), "--out", str(out_dir), "-q")
    assert status == 2
    assert err == f"habitat simulate: error: {expected.format(f=path)}\n"
    assert out == ""
    assert not out_dir.exists(), "nothing runs, nothing is written"


def test_missing_file(run_cli, tmp_path):
    status, _, err = run_cli("simulate", str(tmp_path / "nope.yaml"))
    assert status == 2
    assert err == f"habitat simulate: error: {tmp_path / 'nope.yaml'}: file not found\n"


BAD_OVERRIDES = {
    "habitat.dwelings=3": "{f} (--set habitat.dwelings=3): habitat.dwelings: unknown field; "
    "did you mean 'dwellings'?",
    "animator.hours_per_week=-1": "{f} (--set animator.hours_per_week=-1): "
    "animator.hours_per_week: Input should be greater than or equal to 0 (got -1)",
    "animator.hours_per_week=lots": "{f} (--set animator.hours_per_week=lots): "
    "animator.hours_per_week: Input should be a valid number, unable to parse string as a "
    "number (got 'lots')",
    "policies.regulation_practice=shouting": "{f} (--set policies.regulation_practice=shouting): "
    "policies.regulation_practice: Input should be 'none', 'house_rules' or 'council' "
    "(got 'shouting')",
    "habitat.dwellings=3": "{f}: residents.generate.count: 7 residents do not fit in "
    "habitat.dwellings = 3",
    "nodot": "--set: nodot: expected dotted.path=value",
    "residents.members.3.gir=2": "--set: residents.members: there is no list here",
    "habitat.dwellings.x=1": "--set: habitat.dwellings.x: cannot set a field inside a plain value",
}


@pytest.mark.parametrize("override", BAD_OVERRIDES, ids=str)
def test_bad_override_message(run_cli, override):
    status, out, err = run_cli("simulate", BASELINE, "--set", override, "-q")
    assert status == 2
    assert err == f"habitat simulate: error: {BAD_OVERRIDES[override].format(f=BASELINE)}\n"
    assert out == ""


def test_override_sets_any_field_and_is_validated_like_the_file():
    scenario = load_scenario(
        BASELINE,
        [
            "animator.hours_per_week=14",
            "mechanisms.conflicts.by_default_multiplier=3",
            "policies.regulation_practice=house_rules",
            "providers.habitat.0.reliability=0.5",
        ],
    )
    assert scenario.animator.hours_per_week == 14
    assert scenario.mechanisms.conflicts.by_default_multiplier == 3
    assert scenario.policies.regulation_practice == "house_rules"
    assert scenario.providers.habitat[0].reliability == 0.5


def test_override_index_into_member_list(tmp_path):
    path = tmp_path / "members.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            habitat: {dwellings: 3}
            residents:
              members: [{gir: 4}, {gir: 5}]
            """
        ),
        encoding="utf-8",
    )
    assert load_scenario(path, ["residents.members.1.gir=2"]).residents.members[1].gir == 2
    with pytest.raises(ScenarioError, match=r"no item 5 in a list of 2"):
        load_scenario(path, ["residents.members.5.gir=2"])


BAD_FLAGS = {
    ("--replications", "0"): "argument --replications/-r: --replications must be between 1 "
    "and 100000, got 0",
    ("--days", "-3"): "argument --days: --days must be between 1 and 3650, got -3",
    ("--days", "many"): "argument --days: --days must be a whole number, got 'many'",
    ("--seed", "x"): "argument --seed: --seed must be a whole number, got 'x'",
    ("--seed", "-1"): "argument --seed: --seed must be 0 or more, got -1",
}


@pytest.mark.parametrize("flag", BAD_FLAGS, ids=lambda f: " ".join(f))
def test_bad_flag_message(run_cli, flag):
    status, out, err = run_cli("simulate", BASELINE, *flag)
    assert status == 2
    assert err.endswith(f"habitat simulate: error: {BAD_FLAGS[flag]}\n")
    assert out == ""


def test_days_flag_before_a_scheduled_shock_is_refused(run_cli):
    path = str(SCENARIOS / "family_withdrawal_day90.yaml")
    status, _, err = run_cli("simulate", path, "--days", "30", "-q")
    assert status == 2
    assert (
        err
        == "habitat simulate: error: --days: shocks.0.day: day 90 is after the horizon of 30 days\n"
    )


def test_run_too_large_is_refused_with_a_smaller_suggestion(run_cli):
    status, _, err = run_cli("simulate", BASELINE, "-r", "100000", "--days", "3650", "-q")
    assert status == 2
    assert "too large for one run" in err and "use fewer replications" in err


def test_the_literal_kinds_of_a_scenario_are_the_domain_s():
    from typing import get_args

    from habitat.domain import DISABILITY_KINDS, ProviderKind
    from habitat.scenario import DisabilityKind
    from habitat.scenario import ProviderKind as ProviderKindLiteral

    assert get_args(DisabilityKind) == DISABILITY_KINDS
    assert get_args(ProviderKindLiteral) == tuple(k.value for k in ProviderKind)


def test_members_without_age_or_sex_still_load_and_get_them_drawn():
    from habitat.sim.model import HabitatModel

    scenario = load_scenario(BASELINE, ["residents={members: [{gir: 4}, {gir: 3, age: 90}]}"])
    model = HabitatModel(scenario, replications=200, seed=3)
    r = model.state.residents
    age = r.age(slice(0, 2), 0)
    assert (abs(age[1] - 90) < 0.01).all(), "a given age is kept (to the day)"
    assert age[0].min() >= 60 and age[0].max() < 100 and age[0].std() > 5, "drawn"
    assert 0.15 < r.male[:2].mean() < 0.5, "31 % men among elderly people"

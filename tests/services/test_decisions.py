"""Ask before deciding: each question against the habitat's own forecast, scoped and audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from habitat import demo, store
from habitat.services import decisions, records, twin, twin_results
from habitat.services.access import Forbidden
from habitat.store.entities import Habitat, Resident, Role
from habitat.twin.paired import OUTCOMES

END = demo.DEFAULT_END
CANDIDATE = {
    "public": "elderly",
    "gir": 2,
    "family_hours_per_week": 0.0,
    "own_providers": False,
    "entered_by_default": True,
}


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())


def _exports(db) -> list[str]:
    """What the twin was asked, beyond the demo's own saved forecast and AVP answer."""
    return [e.after["purpose"] for e in store.history(db) if e.action == "export"][2:]


def _free_a_dwelling(db, user) -> None:
    resident = next(r for r in store.find(db, Resident) if r.exit_date is None)
    records.update(
        db,
        user,
        Resident,
        resident.stored_id,
        resident.version,
        {"exit_date": END - timedelta(days=10), "exit_reason": "institution"},
    )


def test_an_admission_is_refused_without_a_free_dwelling_then_answered(demo_conn, users, today):
    animator = users[Role.ANIMATOR]
    with pytest.raises(twin.BadTwinRequest) as full:
        decisions.admission(demo_conn, animator, CANDIDATE, months=3, replications=10)
    assert full.value.field == "candidate" and "logements sont occupés" in full.value.message_fr
    _free_a_dwelling(demo_conn, animator)
    answer = decisions.admission(demo_conn, animator, CANDIDATE, months=6, replications=40)
    assert [e.outcome.metric for e in answer.effects] == [o.metric for o in OUTCOMES]
    by = {e.outcome.metric: e for e in answer.effects}
    for effect in answer.effects:
        assert effect.band[0] <= effect.difference <= effect.band[1]
        assert 0.0 <= effect.up + effect.down <= 1.0
    # A GIR 2 newcomer with no family, entered by default: more help left unmet.
    assert by["unmet_individual_hours"].with_ > by["unmet_individual_hours"].without
    assert _exports(demo_conn) == ["twin ask admission"]


@pytest.mark.parametrize(
    ("candidate", "field"),
    [
        ({**CANDIDATE, "gir": 7}, "candidate.gir"),
        ({**CANDIDATE, "public": "martian"}, "candidate.public"),
        ({**CANDIDATE, "family_hours_per_week": -3}, "candidate.family_hours_per_week"),
    ],
)
def test_a_bad_candidate_names_its_field(demo_conn, users, today, candidate, field):
    with pytest.raises(twin.BadTwinRequest) as caught:
        decisions.admission(demo_conn, users[Role.ANIMATOR], candidate, replications=10)
    assert caught.value.field == field
    assert _exports(demo_conn) == []


def test_a_council_rule_is_compared_on_the_same_seed(demo_conn, users, today):
    host = users[Role.HOST]
    answer = decisions.rule(demo_conn, host, {"activities_per_week": 8.0}, replications=30)
    again = decisions.rule(demo_conn, host, {"activities_per_week": 8.0}, replications=30)
    assert [e.difference for e in answer.effects] == [e.difference for e in again.effects]
    with pytest.raises(twin.BadTwinRequest) as caught:
        decisions.rule(demo_conn, host, {"curfew": "22h"})
    assert caught.value.field == "rule.curfew"
    with pytest.raises(twin.BadTwinRequest) as caught:
        decisions.rule(demo_conn, host, {"pooling_share": 2.0}, replications=10)
    assert caught.value.field == "rule.pooling_share"


def test_the_families_answer_is_anonymised_ranked_and_adds_up(demo_conn, users, today):
    answers = decisions.families(demo_conn, users[Role.ANIMATOR], months=6, replications=20)
    assert [a.label for a in answers] == [f"famille {k + 1}" for k in range(len(answers))]
    assert len(answers) >= 3
    hours = [a.hours_per_week for a in answers]
    assert hours == sorted(hours, reverse=True)
    assert sum(a.share for a in answers) == pytest.approx(1.0)
    text = repr(answers)
    for resident in store.find(demo_conn, Resident):
        assert resident.last_name not in text and resident.pseudonym not in text
    # The most involved family stepping back leaves more help unmet, in most runs.
    first = {e.outcome.metric: e for e in answers[0].effects}
    assert first["unmet_individual_hours"].up > first["unmet_individual_hours"].down


def test_the_avp_answer_sets_logged_time_against_the_need(demo_conn, users, today):
    animator = users[Role.ANIMATOR]
    answer = decisions.avp(demo_conn, animator, months=6, replications=20)
    assert set(answer.need) == {*decisions.GROUPS, "total"}
    assert answer.logged["total"] == pytest.approx(sum(answer.logged[g] for g in decisions.GROUPS))
    assert answer.need["total"] >= answer.need["premises"]
    assert answer.avp_per_resident is None  # the demo sets no hourly cost
    habitat = store.get(demo_conn, Habitat, animator.habitat_id)
    records.update(
        demo_conn,
        animator,
        Habitat,
        habitat.stored_id,
        habitat.version,
        {"animator_hourly_cost": 30.0},
    )
    priced = decisions.avp(demo_conn, animator, months=6, replications=20)
    expected = priced.need["total"] * 52 * 30.0 / priced.residents
    assert priced.avp_per_resident == pytest.approx(min(expected, 10_000.0))


@pytest.mark.parametrize("role", [Role.PROVIDER, Role.FAMILY, Role.RESIDENT, Role.PROMOTER])
def test_only_the_animator_and_the_host_ask(demo_conn, users, role, today):
    for ask in (decisions.families, decisions.avp):
        with pytest.raises(Forbidden):
            ask(demo_conn, users[role], replications=10)
    assert _exports(demo_conn) == []


def test_each_question_prints_the_services_numbers(demo_conn, tmp_path, users, today, run_cli):
    from habitat.cli.twin import answer_rows

    status, out, err = run_cli(
        "twin", "ask", "rule", "--regulation", "none", "--db", str(tmp_path / "habitat.db"),
        "-r", "20", "--months", "3", "--seed", "5", "--format", "json",
    )  # fmt: skip
    assert status == 0, err
    answer = decisions.rule(
        demo_conn, users[Role.ANIMATOR], {"regulation_practice": "none"},
        months=3, replications=20, seed=5,
    )  # fmt: skip
    assert json.loads(out)["rows"] == json.loads(json.dumps(answer_rows("rule", answer)))
    status, out, err = run_cli("twin", "ask", "rule", "--db", str(tmp_path / "habitat.db"))
    assert status == 2 and "--regulation" in err and out == ""
    status, out, err = run_cli(
        "twin",
        "ask",
        "admission",
        "--public",
        "elderly",
        "--gir",
        "9",
        "--db",
        str(tmp_path / "habitat.db"),
    )
    assert status == 2 and "--gir" in err


def test_the_avp_answer_is_saved_for_the_report_from_the_command_line(
    demo_conn, tmp_path, users, today, run_cli
):
    path = str(tmp_path / "habitat.db")  # demo_conn's own copy of the demo
    ask = ("twin", "ask", "avp", "--db", path, "-r", "10", "--months", "3", "--format", "json")
    status, out, err = run_cli(*ask, "--save", "--note", "pour le département")
    assert status == 0, err
    rows = json.loads(out)["rows"]  # the answer stays the only output
    assert "saved" in err and "the AVP report of 2026" in err
    newest, _demos = twin_results.saved_avp(demo_conn, users[Role.HOST])
    assert newest.note == "pour le département" and newest.model_from == END
    figures = {f["group"]: f for f in json.loads(newest.figures_json)}
    assert [round(figures[r["function"]]["need"], 2) for r in rows] == [
        r["need_hours_per_week"] for r in rows
    ]

    status, _, err = run_cli(*ask, "--note", "sans --save")
    assert status == 2 and "--note: only with --save" in err
    status, _, err = run_cli(*ask, "--save", "--as", users[Role.HOST].username)
    assert status == 2 and "--as" in err
    status, _, err = run_cli(*ask, "--save", "--note", "x" * 201)
    assert status == 2 and "--note" in err
    assert len(twin_results.saved_avp(demo_conn, users[Role.HOST])) == 2

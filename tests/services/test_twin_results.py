"""A forecast saved with the habitat, reopened later against what the records say happened.

And the AVP question's answer, joined to the yearly AVP report of its period.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from habitat import demo, store
from habitat.services import decisions, twin, twin_results
from habitat.services.access import Forbidden
from habitat.store import queries
from habitat.store.entities import AvpNeed, Role, TwinResult
from habitat.twin.observed import MEASURES, Verdict

END = demo.DEFAULT_END


def test_a_saved_backtest_reopens_with_the_same_verdicts(demo_conn, users, monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())
    animator = users[Role.ANIMATOR]
    run = twin.backtest(demo_conn, animator, months=6, replications=20, seed=4)
    saved = twin_results.save(demo_conn, animator, run, "avant l'été")
    notes = [r.note for r in twin_results.saved(demo_conn, users[Role.HOST])]
    assert notes == ["avant l'été", "Prévision de l'hiver"]  # newest first; the demo's own
    stored = json.loads(saved.bands_json)
    assert [b["measure"] for b in stored] == [m.key for m in MEASURES]
    assert store.history(demo_conn, "twin_result", saved.stored_id)[-1].action == "create"

    reopened = twin_results.since(demo_conn, users[Role.HOST], saved.stored_id)
    assert reopened.complete
    assert [r.verdict for r in reopened.rows] == [r.verdict for r in run.rows]
    assert [r.observed.value for r in reopened.rows] == [r.observed.value for r in run.rows]


def test_the_demos_winter_forecast_reopens_against_the_spring(demo_conn, users, monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())
    (winter,) = [r for r in twin_results.saved(demo_conn, users[Role.HOST]) if r.note]
    reopened = twin_results.since(demo_conn, users[Role.HOST], winter.stored_id)
    assert reopened.observed_to == END and not reopened.complete
    assert len(reopened.rows) == len(MEASURES)


def test_a_forecast_saved_months_ago_meets_what_happened_since(demo_conn, users, monkeypatch):
    """Saved on 31 Dec 2025 for a year; reopened on 30 Jun 2026: half the period observed."""
    monkeypatch.setenv("HABITAT_TODAY", "2025-12-31")
    animator = users[Role.ANIMATOR]
    run = twin.forecast(demo_conn, animator, months=12, replications=20)
    saved = twin_results.save(demo_conn, animator, run)
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())
    reopened = twin_results.since(demo_conn, animator, saved.stored_id)
    assert not reopened.complete
    assert (reopened.observed_from, reopened.observed_to) == (date(2026, 1, 1), END)
    assert {r.verdict for r in reopened.rows} <= {
        Verdict.INSIDE, Verdict.ABOVE, Verdict.BELOW, Verdict.UNKNOWN
    }  # fmt: skip
    participation = next(r for r in reopened.rows if r.measure.key == "participation")
    assert participation.observed.events > 100  # person-weeks since January


def test_only_the_animator_saves_and_a_fresh_forecast_has_nothing_to_compare(
    demo_conn, users, monkeypatch
):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())
    run = twin.forecast(demo_conn, users[Role.HOST], months=3, replications=10)
    with pytest.raises(Forbidden):
        twin_results.save(demo_conn, users[Role.HOST], run)
    saved = twin_results.save(demo_conn, users[Role.ANIMATOR], run)
    with pytest.raises(twin.BadTwinRequest) as early:
        twin_results.since(demo_conn, users[Role.ANIMATOR], saved.stored_id)
    assert "Moins d'une semaine" in early.value.message_fr
    with pytest.raises(twin.BadTwinRequest):
        twin_results.since(demo_conn, users[Role.ANIMATOR], 9999)
    with pytest.raises(Forbidden):
        twin_results.saved(demo_conn, users[Role.FAMILY])
    assert len(store.find(demo_conn, TwinResult)) == 2  # the demo's, and this one


def _avp_answer(db, user):
    return decisions.avp(db, user, months=3, replications=10, seed=4)


def test_the_avp_answer_joins_the_report_of_its_year_and_no_other(demo_conn, users, monkeypatch):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())
    animator, habitat_id = users[Role.ANIMATOR], users[Role.ANIMATOR].habitat_id
    (winter,) = twin_results.saved_avp(demo_conn, users[Role.HOST])  # the demo's, 30/12/2025
    answer = _avp_answer(demo_conn, animator)
    first = twin_results.save_avp(demo_conn, animator, answer, "première version")
    newest = twin_results.save_avp(demo_conn, animator, answer, "pour le département")
    assert store.history(demo_conn, "avp_need", newest.stored_id)[-1].action == "create"
    assert [r.stored_id for r in twin_results.saved_avp(demo_conn, users[Role.HOST])] == [
        newest.stored_id, first.stored_id, winter.stored_id
    ]  # fmt: skip
    figures = {f["group"]: f for f in json.loads(newest.figures_json)}
    assert figures["total"]["need"] == answer.need["total"]
    assert figures["total"]["logged"] == answer.logged["total"]
    assert (figures["premises"]["low"], figures["premises"]["high"]) == answer.need_band["premises"]

    this_year = queries.avp_report(demo_conn, habitat_id, 2026)
    assert this_year.model_need is not None
    assert this_year.model_need.stored_id == newest.stored_id  # the newest saved in 2026
    last_year = queries.avp_report(demo_conn, habitat_id, 2025)
    assert last_year.model_need is not None and last_year.model_need.stored_id == winter.stored_id
    assert queries.avp_report(demo_conn, habitat_id, 2024).model_need is None


@pytest.mark.parametrize("role", [Role.HOST, Role.FAMILY, Role.RESIDENT, Role.PROVIDER])
def test_only_the_animator_joins_an_avp_answer_to_the_report(demo_conn, users, monkeypatch, role):
    monkeypatch.setenv("HABITAT_TODAY", END.isoformat())
    answer = _avp_answer(demo_conn, users[Role.ANIMATOR])
    with pytest.raises(Forbidden):
        twin_results.save_avp(demo_conn, users[role], answer)
    assert len(store.find(demo_conn, AvpNeed)) == 1  # the demo's only
    assert queries.avp_report(demo_conn, users[Role.ANIMATOR].habitat_id, 2026).model_need is None

"""A forecast saved with the habitat, reopened later against what the records say happened."""

from __future__ import annotations

import json
from datetime import date

import pytest

from habitat import demo, store
from habitat.services import twin, twin_results
from habitat.services.access import Forbidden
from habitat.store.entities import Role, TwinResult
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

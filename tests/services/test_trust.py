"""How far to trust an outcome: tied to evidence that exists, read from the recorded verdicts."""

from __future__ import annotations

import pytest

from habitat.evidence import load_evidence
from habitat.services import results, trust
from habitat.sim.metrics import METRIC_NAMES

EVIDENCE = {e.id for kind in ("targets", "patterns") for e in load_evidence(kind)}


def test_every_outcome_tied_to_evidence_names_real_metrics_and_entries():
    for metric, ids in trust.EVIDENCE_OF.items():
        assert metric in METRIC_NAMES, metric
        assert set(ids) <= EVIDENCE, metric


def test_the_recorded_validation_covers_every_published_figure_and_says_it_in_french():
    # Adding a target or a pattern without `make validation` fails here.
    assert set(trust.recorded()) == EVIDENCE
    assert set(trust.STATEMENT_FR) == EVIDENCE
    assert trust.recorded_when()["evidence"] == "all"


@pytest.mark.parametrize("chart", results.CHARTS, ids=lambda c: c.metric)
def test_every_chart_has_a_trust_level_and_a_french_sentence(chart):
    said = trust.trust(chart.metric)
    assert said.level in {"vérifié", "en partie", "non vérifié", "hypothèses"}
    assert said.sentence_fr.endswith(".")


def test_the_level_follows_the_verdicts(monkeypatch):
    def recorded(verdicts):
        return {
            i: trust.Recorded(i, v, 1.0, 1.0, "share")
            for i, v in zip(("a", "b"), verdicts, strict=True)
        }

    monkeypatch.setitem(trust.EVIDENCE_OF, "x", ("a", "b"))
    for verdicts, level in [
        (("consistent", "consistent"), "vérifié"),
        (("consistent", "too low"), "en partie"),
        (("too high", "not measurable"), "non vérifié"),
    ]:
        monkeypatch.setattr(trust, "recorded", lambda v=verdicts: recorded(v))
        assert trust.trust("x").level == level
    assert trust.trust("no_such_outcome").level == "hypothèses"


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (0.42, "share", "42 %"),
        (35318, "EUR/year", "35\u202f318 €"),
        (3.25, "h/week", "3,2 h par semaine"),
        (float("nan"), "share", "—"),
    ],
)
def test_figures_are_said_in_french(value, unit, text):
    assert trust.value_fr(value, unit) == text

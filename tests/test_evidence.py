"""The evidence files: they load, every figure has a source, a mistake is named."""

from __future__ import annotations

import copy
from importlib import resources

import pytest
import yaml

from habitat.evidence import EVIDENCE_FILES, EvidenceError, load_evidence, parse_evidence
from habitat.experiment.statistics import STATISTICS

KNOWN = frozenset(STATISTICS)


def _raw(kind: str) -> dict:
    text = (resources.files("habitat.evidence") / EVIDENCE_FILES[kind]).read_text("utf-8")
    return yaml.safe_load(text)


@pytest.mark.parametrize("kind", sorted(EVIDENCE_FILES))
def test_the_shipped_file_loads_and_every_entry_has_a_source(kind):
    entries = load_evidence(kind, KNOWN)
    assert entries
    for entry in entries:
        assert entry.source.author and entry.source.title and entry.source.url.startswith("http")
        assert entry.source.short and entry.source.locator and entry.source.year
        low, high = entry.interval
        assert low <= entry.value <= high
        if entry.source.status != "verified":
            assert entry.source.note, f"{entry.id}: an unverified source says what is known"


def test_targets_and_patterns_are_apart():
    targets = {e.id for e in load_evidence("targets", KNOWN)}
    patterns = {e.id for e in load_evidence("patterns", KNOWN)}
    assert targets and patterns and not targets & patterns


@pytest.mark.parametrize("kind", sorted(EVIDENCE_FILES))
def test_each_file_says_why_at_the_top(kind):
    text = (resources.files("habitat.evidence") / EVIDENCE_FILES[kind]).read_text("utf-8")
    assert text.startswith("#") and "Why these are" in text.split("entries:")[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda e: e["source"].pop("url"),
            "patterns.yaml: entry exits_that_are_deaths: source.url: Field required",
        ),
        (
            lambda e: e.update(interval=[0.9, 0.95]),
            "patterns.yaml: entry exits_that_are_deaths: interval: 0.8 is not within [0.9, 0.95]",
        ),
        (
            lambda e: e.update(scenario="nowhere"),
            "patterns.yaml: entry exits_that_are_deaths: scenario: 'nowhere' is not a shipped",
        ),
        (
            lambda e: e.update(statistic="share_of_happiness"),
            "patterns.yaml: entry exits_that_are_deaths: statistic: 'share_of_happiness' is not",
        ),
        (
            lambda e: e.update(horizon="two years"),
            "patterns.yaml: entry exits_that_are_deaths: horizon: unknown field; did you mean "
            "'horizon_days'?",
        ),
    ],
    ids=["no url", "value outside", "unknown scenario", "unknown statistic", "misspelt field"],
)
def test_a_malformed_entry_is_named_with_its_field(change, message):
    data = copy.deepcopy(_raw("patterns"))
    change(data["entries"][0])
    with pytest.raises(EvidenceError) as caught:
        parse_evidence(data, "patterns.yaml", KNOWN)
    assert message in str(caught.value)


def test_an_entry_without_id_is_named_by_its_place():
    data = copy.deepcopy(_raw("patterns"))
    del data["entries"][1]["id"]
    with pytest.raises(EvidenceError, match=r"patterns.yaml: entry #2: id: Field required"):
        parse_evidence(data, "patterns.yaml", KNOWN)


def test_a_repeated_id_is_refused():
    data = copy.deepcopy(_raw("patterns"))
    data["entries"].append(data["entries"][0])
    with pytest.raises(EvidenceError, match="entry exits_that_are_deaths: id: used twice"):
        parse_evidence(data, "patterns.yaml", KNOWN)

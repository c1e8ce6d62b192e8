"""Published figures the model is held to: calibration targets and validation patterns.

Two files ship with the package: `targets.yaml` (figures the calibration may fit
parameters to) and `patterns.yaml` (figures held out, for `habitat validate`).
Both hold entries of the same shape, `Evidence`, read and checked here.
"""

from __future__ import annotations

from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from habitat.yamlfile import messages

__all__ = [
    "EVIDENCE_FILES",
    "Evidence",
    "EvidenceError",
    "Source",
    "load_evidence",
    "parse_evidence",
    "shipped_scenarios",
]

#: The two shipped files, by the role their figures play.
EVIDENCE_FILES = {"targets": "targets.yaml", "patterns": "patterns.yaml"}
#: How far a source has been checked: read at the source itself, read in a
#: faithful secondary report (press, a summary page), or still to be checked.
SourceStatus = Literal["verified", "secondary", "to-verify"]


class EvidenceError(ValueError):
    """An evidence file is wrong; `str()` names the file, the entry and the field."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where a figure was published."""

    author: str = Field(min_length=1, description="author(s) or organisation")
    title: str = Field(min_length=1)
    year: int = Field(ge=1900, le=2100)
    publication: str = Field(min_length=1, description="journal or series and number")
    locator: str = Field(min_length=1, description="table, page or section of the figure")
    url: str = Field(pattern=r"^https?://")
    short: str = Field(min_length=1, max_length=30, description="for tables: 'DREES ER 724'")
    status: SourceStatus = "verified"
    note: str = ""


class Evidence(_Strict):
    """One published figure, the scenario and statistic it constrains, and over how long."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    statement: str = Field(min_length=1, description="the figure in plain English")
    value: float
    interval: tuple[float, float] = Field(
        description="what counts as agreeing: the published uncertainty, else a stated tolerance"
    )
    interval_basis: str = Field(min_length=1, description="where the interval comes from")
    unit: str = Field(min_length=1)
    source: Source
    scenario: str = Field(description="a shipped scenario id (src/habitat/scenarios/)")
    statistic: str = Field(description="a named statistic of habitat.experiment.statistics")
    horizon_days: int = Field(ge=1, le=3650)
    caveat: str = ""

    @model_validator(mode="after")
    def _value_inside(self) -> Evidence:
        low, high = self.interval
        if not low <= self.value <= high:
            raise ValueError(f"interval: {self.value} is not within [{low}, {high}]")
        return self


class _EvidenceFile(_Strict):
    entries: list[Evidence] = Field(min_length=1)


def shipped_scenarios() -> list[str]:
    """The ids of the scenarios shipped with the package (file stems)."""
    folder = resources.files("habitat") / "scenarios"
    return sorted(
        p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml")
    )


def parse_evidence(
    data: Any, source: str, statistics: frozenset[str] | None = None
) -> list[Evidence]:
    """Check an evidence file's content.

    Args:
        data: the file's YAML content.
        source: the file's name, for the messages.
        statistics: the statistics that exist; None skips that check.

    Returns:
        The entries, in file order.

    Raises:
        EvidenceError: one line per problem, "file: entry ID: field: reason".
    """
    if not isinstance(data, dict):
        raise EvidenceError(f"{source}: the file must hold a mapping with 'entries'")
    try:
        parsed = _EvidenceFile.model_validate(data)
    except ValidationError as error:
        raise EvidenceError(
            "\n".join(_named(line, data, source) for line in _lines(error))
        ) from None
    problems = []
    seen: set[str] = set()
    scenarios = set(shipped_scenarios())
    for entry in parsed.entries:
        where = f"{source}: entry {entry.id}"
        if entry.id in seen:
            problems.append(f"{where}: id: used twice")
        seen.add(entry.id)
        if entry.scenario not in scenarios:
            problems.append(
                f"{where}: scenario: {entry.scenario!r} is not a shipped scenario "
                f"({', '.join(sorted(scenarios))})"
            )
        if statistics is not None and entry.statistic not in statistics:
            problems.append(
                f"{where}: statistic: {entry.statistic!r} is not a known statistic "
                f"({', '.join(sorted(statistics))})"
            )
    if problems:
        raise EvidenceError("\n".join(problems))
    return parsed.entries


def _lines(error: ValidationError) -> list[str]:
    return messages(error, _EvidenceFile)


def _named(line: str, data: dict, source: str) -> str:
    """'entries.2.source.url: reason' -> 'file: entry ID: source.url: reason'."""
    path, sep, reason = line.partition(": ")
    parts = path.split(".")
    if sep and len(parts) >= 2 and parts[0] == "entries" and parts[1].isdigit():
        index = int(parts[1])
        entries = data.get("entries") or []
        raw = entries[index] if index < len(entries) else None
        name = raw.get("id") if isinstance(raw, dict) and raw.get("id") else f"#{index + 1}"
        field = ".".join(parts[2:]) or "(the entry)"
        return f"{source}: entry {name}: {field}: {reason}"
    return f"{source}: {line}"


def load_evidence(kind: str, statistics: frozenset[str] | None = None) -> list[Evidence]:
    """Read a shipped evidence file.

    Args:
        kind: "targets" or "patterns".
        statistics: the statistics that exist; None skips that check.

    Returns:
        Its entries.

    Raises:
        EvidenceError: the file is wrong (a message per problem).
    """
    name = EVIDENCE_FILES[kind]
    text = (resources.files("habitat.evidence") / name).read_text(encoding="utf-8")
    return parse_evidence(yaml.safe_load(text), name, statistics)

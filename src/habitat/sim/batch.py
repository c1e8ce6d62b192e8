"""Several habitats in one run: which scenarios can share a model, and how.

A batch is a list of scenarios with the same shape (dwellings, providers, policies
that are counts or choices, shocks, horizon) that may differ in any other number:
access, AVP tier, animator hours, a mechanism parameter... The model then carries
them side by side along its replication axis, and a number that differs becomes one
value per column (`column_view`). Who lives in each habitat (`residents`) is drawn
habitat by habitat from that habitat's own scenario, so it may differ freely.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
from pydantic import BaseModel
from pydantic_core import to_jsonable_python

from habitat.scenario import Scenario

__all__ = [
    "PER_HABITAT",
    "STRUCTURAL",
    "BatchError",
    "batch_key",
    "batchable_path",
    "column_view",
]

#: Numbers that shape the run itself (array sizes, whole-day delays, a count of
#: activities) or the per-GIR tables: equal within a batch.
STRUCTURAL = frozenset(
    {
        "days",
        "habitat.dwellings",
        "policies.activities_per_week",
        "mechanisms.providers.replacement_days",
        "mechanisms.disputes.agreement_review_days",
        "mechanisms.animator.recruitment_days",
        # Multipliers of the per-GIR tables, which the model indexes by GIR (one table
        # for the whole batch): scenarios that differ in them run apart.
        "mechanisms.needs.hours_multiplier",
        "mechanisms.autonomy.mortality_multiplier",
        "mechanisms.autonomy.change_multiplier",
        "mechanisms.hospital.rate_multiplier",
        "mechanisms.exits.institution_multiplier",
    }
)
#: Read habitat by habitat (or not at all) by the model: free to differ.
PER_HABITAT = frozenset({"name", "description", "residents"})


class BatchError(ValueError):
    """The scenarios cannot share a run; `str()` names the first field that differs."""


def _batchable(path: str, value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and path not in STRUCTURAL


def batchable_path(path: str) -> bool:
    """Whether scenarios may differ at `path` (dotted) and still share a run.

    Decided on the schema alone: a number that does not shape the run, or anything
    under `residents`.
    """
    parts = path.split(".")
    if parts[0] in PER_HABITAT:
        return True
    if path in STRUCTURAL:
        return False
    model: Any = Scenario
    for depth, part in enumerate(parts):
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return False
        model = field.annotation
        if depth < len(parts) - 1 and not (
            isinstance(model, type) and issubclass(model, BaseModel)
        ):
            return False
    return model in (int, float)


def batch_key(scenario: Scenario) -> str:
    """What must be equal for scenarios to share a run, as text.

    Scenarios with the same key can be simulated together by `simulate_batch`.
    """

    def strip(model: BaseModel, prefix: str) -> dict[str, Any]:
        kept = {}
        for name in type(model).model_fields:
            path = prefix + name
            value = getattr(model, name)
            if path in PER_HABITAT:
                continue
            if isinstance(value, BaseModel):
                kept[name] = strip(value, path + ".")
            elif not _batchable(path, value):
                kept[name] = to_jsonable_python(value)
        return kept

    return json.dumps(strip(scenario, ""), sort_keys=True)


def column_view(scenarios: Sequence[Scenario], per: int) -> Any:
    """The batch's scenario as the model reads it: numbers that differ become columns.

    Args:
        scenarios: the batch, habitat h at index h.
        per: replications per habitat.

    Returns:
        An object with the scenario's attributes (`habitat.neighbourhood_access`,
        `mechanisms.conflicts.resolution_per_day`...): a value shared by the batch is
        the scenario's own, a number that differs is a float array with `per`
        columns per habitat. `residents` is the shared value, or None.

    Raises:
        BatchError: the scenarios differ in a field that shapes the run.
    """

    def view(models: Sequence[BaseModel], prefix: str) -> SimpleNamespace:
        section = SimpleNamespace()
        for name in type(models[0]).model_fields:
            path = prefix + name
            values = [getattr(m, name) for m in models]
            first = values[0]
            if isinstance(first, BaseModel) and path not in PER_HABITAT:
                setattr(section, name, view(values, path + "."))
            elif all(v == first for v in values[1:]):
                setattr(section, name, first)
            elif path in PER_HABITAT:
                setattr(section, name, None)
            elif _batchable(path, first):
                column = np.repeat(np.asarray(values, dtype=np.float64), per)
                column.flags.writeable = False
                setattr(section, name, column)
            else:
                raise BatchError(f"{path} differs between the scenarios of a batch")
        return section

    return view(list(scenarios), "")

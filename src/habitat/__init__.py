"""habitat: simulate and manage inclusive shared housing (habitat inclusif)."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from habitat.scenario import Scenario, ScenarioError, load_scenario
    from habitat.sim.run import SimulationResult, simulate

__version__ = "0.2.0.dev0"

#: The public names and the module each comes from, imported on first use so that
#: `import habitat.store` (the app's bottom layer) does not load the model.
_PUBLIC = {
    "Scenario": "habitat.scenario",
    "ScenarioError": "habitat.scenario",
    "load_scenario": "habitat.scenario",
    "SimulationResult": "habitat.sim.run",
    "simulate": "habitat.sim.run",
}

__all__ = [
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "__version__",
    "load_scenario",
    "simulate",
]


def __getattr__(name: str):
    if name in _PUBLIC:
        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value  # later lookups skip this function
        return value
    raise AttributeError(f"module 'habitat' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_PUBLIC))

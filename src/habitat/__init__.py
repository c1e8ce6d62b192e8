"""habitat: simulate and manage inclusive shared housing (habitat inclusif)."""

from habitat.scenario import Scenario, ScenarioError, load_scenario
from habitat.sim.run import SimulationResult, simulate

__version__ = "0.2.0.dev0"

__all__ = [
    "Scenario",
    "ScenarioError",
    "SimulationResult",
    "__version__",
    "load_scenario",
    "simulate",
]

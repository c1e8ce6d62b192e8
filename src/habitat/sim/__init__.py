"""The agent-based model of an inclusive habitat (Mesa 3, replications batched)."""

from habitat.sim.metrics import METRIC_NAMES, METRICS, Metric
from habitat.sim.model import HabitatModel

__all__ = ["METRICS", "METRIC_NAMES", "HabitatModel", "Metric"]

"""Research experiments: designs, sweeps on local processes or Dask, and their analysis."""

from habitat.experiment.spec import Experiment, ExperimentError, load_experiment
from habitat.experiment.sweep import SweepError, SweepSummary, run_sweep

__all__ = [
    "Experiment",
    "ExperimentError",
    "SweepError",
    "SweepSummary",
    "load_experiment",
    "run_sweep",
]

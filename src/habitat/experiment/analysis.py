"""Analysis of a sweep: Sobol and Morris indices, and comparisons with confidence intervals."""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from habitat.experiment.design import salib_problem
from habitat.experiment.spec import Experiment

__all__ = [
    "CONFIDENCE",
    "Analysis",
    "AnalysisError",
    "Sweep",
    "analyze",
    "compare_points",
    "draws_interval",
    "factor_effects",
    "load_sweep",
    "mean_interval",
    "morris_indices",
    "point_means",
    "runs_interval",
    "sobol_indices",
]

#: Confidence level of every interval in the analysis.
CONFIDENCE = 0.95
#: Bootstrap resamples for the Sobol and Morris confidence intervals (SALib's default
#: is 100; 1,000 steadies the interval ends at a cost of a fraction of a second).
RESAMPLES = 1000


class AnalysisError(ValueError):
    """A folder cannot be analysed; `str()` is the message a user sees."""


@dataclass(frozen=True)
class Sweep:
    """A finished sweep as read back from its folder."""

    out: Path
    experiment: Experiment
    design: pd.DataFrame
    results: pd.DataFrame
    failures: list[dict[str, Any]]

    @property
    def outputs(self) -> list[str]:
        """The outputs the results hold: every column but the design's and `replication`."""
        fixed = {"point", "replication", "seed", *self.experiment.factor_names}
        fixed |= set(self.design.columns)  # with a posterior: the draw and its parameters
        return [c for c in self.results.columns if c not in fixed]

    @property
    def point_column(self) -> str:
        """The column naming a design point: `design_point` with a posterior, else `point`."""
        return "design_point" if "design_point" in self.design.columns else "point"

    @property
    def points(self) -> pd.DataFrame:
        """The design, one row per design point (a posterior's draws of it left out)."""
        if self.point_column == "point":
            return self.design
        return self.design.drop_duplicates("design_point", ignore_index=True)


@dataclass
class Analysis:
    """The tables an analysis produced, by name, and notes on what was left out."""

    sweep: Sweep
    outputs: list[str]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def load_sweep(out: Path) -> Sweep:
    """Read a sweep folder written by `habitat sweep`.

    Raises:
        AnalysisError: the folder, its manifest or its results are missing.
    """
    out = Path(out)
    if not out.is_dir():
        raise AnalysisError(f"{out}: no such folder")
    manifest_path = out / "manifest.json"
    if not manifest_path.exists():
        raise AnalysisError(f"{out}: no manifest.json; is this a `habitat sweep` folder?")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("status") != "complete" or not (out / "results.parquet").exists():
        raise AnalysisError(
            f"{out}: the sweep has not finished; run the same `habitat sweep` again to resume it"
        )
    experiment = Experiment.model_validate(manifest["experiment"])
    failures_path = out / "failures.json"
    failures = (
        json.loads(failures_path.read_text(encoding="utf-8")) if failures_path.exists() else []
    )
    return Sweep(
        out=out,
        experiment=experiment,
        design=pd.read_parquet(out / "design.parquet"),
        results=pd.read_parquet(out / "results.parquet"),
        failures=failures,
    )


def analyze(sweep: Sweep, outputs: list[str] | None = None) -> Analysis:
    """Every analysis the design allows, for each output.

    Sobol designs get first- and total-order indices, Morris designs elementary
    effects; every design gets the mean of each output at each point and, for
    factors with levels, at each level, with confidence intervals.

    Args:
        sweep: the sweep to analyse.
        outputs: outputs to analyse (default: all kept).

    Returns:
        The tables (`sobol`, `morris`, `points`, `factors`) and notes.

    Raises:
        AnalysisError: an output was not kept by the sweep.
    """
    outputs = outputs or sweep.outputs
    unknown = [name for name in outputs if name not in sweep.results.columns]
    if unknown:
        raise AnalysisError(
            f"--outputs: {', '.join(unknown)} not in the results; kept: {', '.join(sweep.outputs)}"
        )
    analysis = Analysis(sweep=sweep, outputs=list(outputs))
    if sweep.failures:
        analysis.notes.append(
            f"{len(sweep.failures)} of {len(sweep.design)} points failed (see failures.json)."
        )
    kind = sweep.experiment.design.kind
    if kind == "sobol":
        analysis.tables["sobol"] = sobol_indices(sweep, outputs, analysis.notes)
    elif kind == "morris":
        analysis.tables["morris"] = morris_indices(sweep, outputs, analysis.notes)
    analysis.tables["points"] = compare_points(sweep, outputs)
    if any(f.levels is not None for f in sweep.experiment.factors):
        analysis.tables["factors"] = factor_effects(sweep, outputs)
    return analysis


def point_means(sweep: Sweep, outputs: list[str]) -> pd.DataFrame:
    """Mean of each output over each point's replications (and draws); NaN for failed points."""
    key = sweep.point_column
    means = sweep.results.groupby(key)[outputs].mean()
    return means.reindex(sweep.points[key])


def sobol_indices(sweep: Sweep, outputs: list[str], notes: list[str] | None = None) -> pd.DataFrame:
    """First- and total-order Sobol indices of each output, with confidence intervals.

    Each point's output is its mean over replications; SALib's Saltelli estimator
    and bootstrap give the indices and their intervals.

    Returns:
        One row per output and factor: `S1`, `S1_conf`, `ST`, `ST_conf` (half-widths
        of the 95 % interval).
    """
    from SALib.analyze import sobol

    experiment = sweep.experiment
    problem = salib_problem(experiment)
    means = point_means(sweep, outputs)
    rows = []
    for output in outputs:
        y = means[output].to_numpy(dtype=float)
        if not _usable(y, output, "Sobol", notes):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # SALib warns when a subset of runs agree; the indices are still computed.
            warnings.filterwarnings("ignore", "Constant values encountered")
            indices = sobol.analyze(
                problem,
                y,
                calc_second_order=experiment.design.second_order,
                num_resamples=RESAMPLES,
                conf_level=CONFIDENCE,
                seed=experiment.seed,
            )
        for i, name in enumerate(problem["names"]):
            rows.append(
                {
                    "output": output,
                    "factor": name,
                    "S1": indices["S1"][i],
                    "S1_conf": indices["S1_conf"][i],
                    "ST": indices["ST"][i],
                    "ST_conf": indices["ST_conf"][i],
                }
            )
    return pd.DataFrame(rows, columns=["output", "factor", "S1", "S1_conf", "ST", "ST_conf"])


def morris_indices(
    sweep: Sweep, outputs: list[str], notes: list[str] | None = None
) -> pd.DataFrame:
    """Morris elementary effects of each output: mu, mu*, its interval, sigma.

    Returns:
        One row per output and factor: `mu`, `mu_star`, `mu_star_conf` (half-width of
        the 95 % interval) and `sigma`.
    """
    from SALib.analyze import morris

    experiment = sweep.experiment
    problem = salib_problem(experiment)
    x = sweep.points[experiment.factor_names].to_numpy(dtype=float)
    means = point_means(sweep, outputs)
    rows = []
    for output in outputs:
        y = means[output].to_numpy(dtype=float)
        if not _usable(y, output, "Morris", notes):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            # SALib warns when a subset of runs agree; the indices are still computed.
            warnings.filterwarnings("ignore", "Constant values encountered")
            indices = morris.analyze(
                problem,
                x,
                y,
                num_resamples=RESAMPLES,
                conf_level=CONFIDENCE,
                num_levels=experiment.design.morris_levels,
                seed=experiment.seed,
            )
        for i, name in enumerate(problem["names"]):
            rows.append(
                {
                    "output": output,
                    "factor": name,
                    "mu": indices["mu"][i],
                    "mu_star": indices["mu_star"][i],
                    "mu_star_conf": indices["mu_star_conf"][i],
                    "sigma": indices["sigma"][i],
                }
            )
    return pd.DataFrame(
        rows, columns=["output", "factor", "mu", "mu_star", "mu_star_conf", "sigma"]
    )


def compare_points(sweep: Sweep, outputs: list[str]) -> pd.DataFrame:
    """Each point's mean of each output over its replications, with a 95 % interval.

    Returns:
        One row per point and output: the factor values, `n`, `mean`, `low`, `high`
        (Student t interval of the mean over replications; with a posterior, see
        `draws_interval`, and `draws`).
    """
    names = sweep.experiment.factor_names
    key = sweep.point_column
    draw = ["draw"] if key == "design_point" else []
    long = sweep.results.melt(
        id_vars=[key, *names, *draw], value_vars=outputs, var_name="output", value_name="value"
    )
    table = runs_interval(long, [key, *names, "output"]).rename(columns={key: "point"})
    return table.sort_values(["output", "point"], ignore_index=True)


def factor_effects(sweep: Sweep, outputs: list[str]) -> pd.DataFrame:
    """Mean of each output at each level of each factor with levels, with a 95 % interval.

    The mean is over every run at that level (the other factors vary as the design
    has them).

    Returns:
        One row per factor, level and output: `n`, `mean`, `low`, `high`.
    """
    frames = []
    for factor in sweep.experiment.factors:
        if factor.levels is None:
            continue
        draw = ["draw"] if "draw" in sweep.results.columns else []
        long = sweep.results.melt(
            id_vars=[factor.label, *draw], value_vars=outputs, var_name="output", value_name="value"
        ).rename(columns={factor.label: "level"})
        table = runs_interval(long, ["output", "level"])
        table.insert(0, "factor", factor.label)
        table["level"] = table["level"].map(str)
        frames.append(table)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def mean_interval(long: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Group a long table's `value` by `by`: `n`, `mean`, and the Student t interval."""
    from scipy import stats

    grouped = long.groupby(by, sort=True)["value"]
    table = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        t = stats.t.ppf(0.5 + CONFIDENCE / 2, np.maximum(table["n"] - 1, 1))
        half = np.where(table["n"] > 1, t * table["sd"] / np.sqrt(table["n"]), np.nan)
    table["low"] = table["mean"] - half
    table["high"] = table["mean"] + half
    return table.drop(columns="sd")


def runs_interval(long: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """`draws_interval` when the runs come from a posterior's draws, else `mean_interval`."""
    return draws_interval(long, by) if "draw" in long.columns else mean_interval(long, by)


def draws_interval(long: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Group runs under a posterior's draws by `by`: `n`, `draws`, `mean` and its interval.

    The interval is where the group's mean lies under one parameter set drawn from
    the posterior: the draws' means m_d spread by the parameters' variance tau^2
    (their variance less the Monte-Carlo part, a one-way random-effects reading) and
    the overall mean is itself uncertain by var(m_d) / draws, so the half-width is
    t(draws - 1) x sqrt(tau^2 + var(m_d) / draws). Where the parameters do not
    matter this is the Monte-Carlo interval of the mean over all runs; with one
    replication per draw, Monte Carlo's share cannot be told apart and counts as
    the parameters'. With one draw it is the Monte-Carlo interval.
    """
    from scipy import stats

    per_draw = (
        long.groupby([*by, "draw"], sort=True)["value"]
        .agg(n="count", m="mean", within="var")
        .reset_index()
    )
    grouped = per_draw.groupby(by, sort=True)
    table = grouped.agg(
        n=("n", "sum"),
        draws=("m", "count"),
        mean=("m", "mean"),
        between=("m", "var"),
        within=("within", "mean"),
        per_draw=("n", "mean"),
    ).reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        draws = table["draws"].to_numpy(dtype=float)
        between = table["between"].to_numpy(dtype=float)
        monte_carlo = table["within"].to_numpy(dtype=float) / table["per_draw"].to_numpy(float)
        tau2 = np.where(np.isnan(monte_carlo), between, np.maximum(between - monte_carlo, 0.0))
        t = stats.t.ppf(0.5 + CONFIDENCE / 2, np.maximum(draws - 1, 1))
        half = np.where(draws > 1, t * np.sqrt(tau2 + between / draws), np.nan)
    table["low"] = table["mean"] - half
    table["high"] = table["mean"] + half
    single = table["draws"] <= 1
    if single.any():  # one draw: the Monte-Carlo interval over its runs
        mc = table[by].merge(mean_interval(long, by)[[*by, "low", "high"]], on=by, how="left")
        table.loc[single, ["low", "high"]] = mc.loc[single, ["low", "high"]].to_numpy()
    return table.drop(columns=["between", "within", "per_draw"])


def _usable(y: np.ndarray, output: str, method: str, notes: list[str] | None) -> bool:
    if np.isnan(y).any():
        if notes is not None:
            notes.append(f"{output}: no {method} indices, {int(np.isnan(y).sum())} points failed.")
        return False
    if np.ptp(y) == 0:
        if notes is not None:
            notes.append(f"{output}: no {method} indices, the output is constant ({y[0]:g}).")
        return False
    return True

"""Write an analysis: tables as CSV, figures as PNG, and one self-contained HTML report."""

from __future__ import annotations

import base64
import functools
import html
from pathlib import Path

import numpy as np
import pandas as pd

from habitat.experiment.analysis import CONFIDENCE, Analysis, runs_interval
from habitat.experiment.spec import Experiment
from habitat.files import write_atomically
from habitat.sim.metrics import METRICS

__all__ = ["ANALYSIS_FOLDER", "REPORT", "write_report"]

ANALYSIS_FOLDER = "analysis"
REPORT = "report.html"
#: Largest number of factors drawn side by side in one scatter figure.
MAX_SCATTER_FACTORS = 8

_UNITS = {m.name: m.summary_unit for m in METRICS}
_SUMMARY = {m.name: m.summary_label for m in METRICS}


def write_report(analysis: Analysis) -> list[Path]:
    """Write `analysis/*.csv`, `analysis/*.png` and `report.html` into the sweep's folder.

    Returns:
        The paths written, the report last.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder = analysis.sweep.out / ANALYSIS_FOLDER
    folder.mkdir(exist_ok=True)
    written: list[Path] = []
    for name, table in analysis.tables.items():
        path = folder / f"{name}.csv"
        write_atomically(path, functools.partial(table.to_csv, index=False))
        written.append(path)

    figures: list[tuple[str, str, Path]] = []  # (output, caption, path)
    for output in analysis.outputs:
        for caption, figure in _figures(analysis, output):
            path = folder / f"{caption.split(':')[0].replace(' ', '_')}_{output}.png"
            write_atomically(path, functools.partial(figure.savefig, dpi=110, format="png"))
            plt.close(figure)
            figures.append((output, caption, path))
            written.append(path)

    report = analysis.sweep.out / REPORT
    text = _html(analysis, figures)
    write_atomically(report, lambda p: Path(p).write_text(text, encoding="utf-8"))
    written.append(report)
    return written


def _figures(analysis: Analysis, output: str):
    sobol = analysis.tables.get("sobol")
    if sobol is not None and (sobol.output == output).any():
        yield "sobol: first and total order indices", _sobol_figure(sobol[sobol.output == output])
    morris = analysis.tables.get("morris")
    if morris is not None and (morris.output == output).any():
        yield "morris: mu* against sigma", _morris_figure(morris[morris.output == output])
    kind = analysis.sweep.experiment.design.kind
    if kind == "grid" and analysis.sweep.experiment.factors:
        yield "effects: mean and 95% interval", _grid_figure(analysis, output)
    elif kind in ("latin", "territory"):
        yield "scatter: point means against each factor", _scatter_figure(analysis, output)


def _label(output: str) -> str:
    unit = _UNITS.get(output, "")
    return f"{output} ({unit}, {_SUMMARY.get(output, '')})" if unit else output


def _sobol_figure(table: pd.DataFrame):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 0.45 * len(table) + 1.6))
    y = np.arange(len(table))
    ax.barh(y - 0.2, table.S1, 0.4, xerr=table.S1_conf, label="first order S1", capsize=3)
    ax.barh(y + 0.2, table.ST, 0.4, xerr=table.ST_conf, label="total order ST", capsize=3)
    ax.set_yticks(y, table.factor)
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(f"Sobol index ({CONFIDENCE:.0%} interval)")
    ax.set_title(_label(table.output.iloc[0]), fontsize=10)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _morris_figure(table: pd.DataFrame):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 4.5))
    ax.errorbar(table.mu_star, table.sigma, xerr=table.mu_star_conf, fmt="o", capsize=3)
    for row in table.itertuples():
        ax.annotate(row.factor, (row.mu_star, row.sigma), fontsize=7, xytext=(3, 3),
                    textcoords="offset points")  # fmt: skip
    ax.set_xlabel("mu* (mean absolute elementary effect)")
    ax.set_ylabel("sigma (interactions, non-linearity)")
    ax.set_title(_label(table.output.iloc[0]), fontsize=10)
    fig.tight_layout()
    return fig


def _grid_figure(analysis: Analysis, output: str):
    import matplotlib.pyplot as plt

    sweep = analysis.sweep
    factors = sweep.experiment.factors
    first = factors[0]
    second = factors[1] if len(factors) > 1 else None
    by = [first.label] + ([second.label] if second else [])
    draw = ["draw"] if "draw" in sweep.results.columns else []
    long = sweep.results[[*by, *draw, output]].rename(columns={output: "value"})
    table = runs_interval(long, by)
    positions = {str(level): i for i, level in enumerate(first.labels)}
    numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in first.labels)
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    groups = table.groupby(second.label, sort=False) if second else [(None, table)]
    for level, group in groups:
        x = (
            group[first.label].astype(float)
            if numeric
            else group[first.label].map(lambda v: positions[str(v)])
        )
        yerr = np.vstack([group["mean"] - group["low"], group["high"] - group["mean"]])
        ax.errorbar(x, group["mean"], yerr=np.nan_to_num(yerr), marker="o", capsize=3,
                    label=None if second is None else f"{second.label} = {level}")  # fmt: skip
    if not numeric:
        ax.set_xticks(range(len(positions)), list(positions))
    ax.set_xlabel(first.label)
    ax.set_ylabel(_label(output))
    others = [f.label for f in factors[2:]]
    title = f"mean over runs, {CONFIDENCE:.0%} interval"
    if draw:
        title += " (parameters and Monte Carlo)"
    ax.set_title(title + (f"; averaged over {', '.join(others)}" if others else ""), fontsize=9)
    if second is not None:
        ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _scatter_figure(analysis: Analysis, output: str):
    import matplotlib.pyplot as plt

    sweep = analysis.sweep
    factors = sweep.experiment.factors[:MAX_SCATTER_FACTORS]
    key = sweep.point_column
    means = sweep.results.groupby(key)[output].mean()
    design = sweep.points.set_index(key).loc[means.index]
    cols = min(4, max(1, len(factors)))
    rows = max(1, -(-len(factors) // cols))
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.8 * rows), squeeze=False)
    for ax, factor in zip(axes.flat, factors, strict=False):
        x = design[factor.label]
        if x.dtype == object:
            codes = {v: i for i, v in enumerate(sorted(x.unique()))}
            ax.set_xticks(range(len(codes)), list(codes), fontsize=7)
            x = x.map(codes)
        ax.scatter(x, means.to_numpy(), s=8, alpha=0.6)
        ax.set_xlabel(factor.label, fontsize=8)
    for ax in list(axes.flat)[len(factors) :]:
        ax.set_visible(False)
    fig.suptitle(f"{_label(output)}: mean of each point", fontsize=10)
    fig.tight_layout()
    return fig


def _posterior_line(experiment: Experiment) -> str:
    posterior = experiment.posterior
    if posterior is None:
        return ""
    return (
        f"<li>posterior: {html.escape(posterior.file)}; each point runs under {posterior.draws} "
        f"parameter sets drawn from it, {experiment.replications_per_run} replications each; "
        "intervals carry the parameters' uncertainty and Monte Carlo's</li>"
    )


def _html(analysis: Analysis, figures: list[tuple[str, str, Path]]) -> str:
    sweep = analysis.sweep
    experiment = sweep.experiment
    e = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>{e(experiment.name)}: analysis</title>",
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
        "table{border-collapse:collapse;font-size:12px;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
        "th{background:#f0f0f0}img{max-width:100%}h2{border-bottom:1px solid #ccc}</style>",
        "</head><body>",
        f"<h1>{e(experiment.name)}</h1>",
        f"<p>{e(experiment.description)}</p>" if experiment.description else "",
        "<ul>",
        f"<li>design: <b>{e(experiment.design.kind)}</b>, {len(sweep.points)} points x "
        f"{experiment.replications} replications, {experiment.days} days, "
        f"seed {experiment.seed}</li>",
        _posterior_line(experiment),
        f"<li>factors: {e(', '.join(experiment.factor_names) or 'none')}</li>",
        f"<li>runs kept: {len(sweep.results)}; points failed: {len(sweep.failures)}</li>",
        f"<li>intervals: {CONFIDENCE:.0%}; an output of a run is its summary over the run "
        "(last day, daily mean, total or maximum, as the README's metric table says)</li>",
        "</ul>",
    ]
    if analysis.notes:
        parts.append("<h2>Notes</h2><ul>")
        parts.extend(f"<li>{e(note)}</li>" for note in analysis.notes)
        parts.append("</ul>")
    for output in analysis.outputs:
        parts.append(f"<h2>{e(_label(output))}</h2>")
        for name in ("sobol", "morris", "factors"):
            table = analysis.tables.get(name)
            if table is None or table.empty:
                continue
            rows = table[table.output == output].drop(columns="output")
            if not rows.empty:
                parts.append(f"<h3>{name}</h3>" + rows.to_html(index=False, float_format="%.4g"))
        for fig_output, caption, path in figures:
            if fig_output == output:
                data = base64.b64encode(path.read_bytes()).decode("ascii")
                parts.append(
                    f"<figure><img alt='{e(caption)}' src='data:image/png;base64,{data}'>"
                    f"<figcaption>{e(caption)}</figcaption></figure>"
                )
    points = analysis.tables.get("points")
    if points is not None and len(points) <= 2000:
        parts.append("<h2>Every point: mean and interval over replications</h2>")
        parts.append(points.to_html(index=False, float_format="%.4g"))
    parts.append("</body></html>")
    return "\n".join(p for p in parts if p)

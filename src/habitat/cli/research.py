"""`habitat sweep` and `habitat analyze`: research experiments and their analysis."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from habitat.cli.exit_codes import (
    EXIT_BAD_INPUT,
    EXIT_CLUSTER_LOST,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_SOME_FAILED,
)
from habitat.cli.options import positive

log = logging.getLogger(__name__)


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `sweep` and `analyze` on the `habitat` command."""
    sweep = commands.add_parser(
        "sweep",
        help="run an experiment: many points, each with replications",
        description="Run every point of an experiment file (factors, design, replications) "
        "on local processes or a Dask cluster and write results.parquet, failures.json and a "
        "manifest to --out. Rerun the same command to resume an interrupted sweep.",
    )
    sweep.add_argument("experiment", type=Path, help="an experiment file (YAML)")
    sweep.add_argument("--out", type=Path, required=True, help="folder for the results")
    sweep.add_argument(
        "--workers",
        type=positive("--workers", 1024),
        help="local worker processes, or LocalCluster workers (default: one per core)",
    )
    sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask scheduler at ADDRESS (e.g. tcp://host:8786), "
        "or 'local' to start a Dask LocalCluster",
    )
    sweep.add_argument(
        "--scheduler-file",
        type=Path,
        metavar="FILE",
        help="run on the Dask scheduler whose address FILE holds, as written by "
        "`dask scheduler --scheduler-file FILE` (SLURM, PBS: docs/EXPERIMENTS.md)",
    )
    sweep.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override an experiment field, e.g. --set replications=5 (repeatable)",
    )
    sweep.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    sweep.set_defaults(run=_sweep)

    analyze = commands.add_parser(
        "analyze",
        help="analyse a finished sweep: indices, comparisons, plots, report",
        description="Read a sweep folder and write Sobol or Morris indices (when the design "
        "allows), point and factor comparisons with 95 % intervals, PNG figures and a "
        "self-contained report.html into it.",
    )
    analyze.add_argument("folder", type=Path, help="a folder written by `habitat sweep`")
    analyze.add_argument(
        "--outputs",
        type=_names,
        help="comma-separated outputs to analyse (default: every output kept)",
    )
    analyze.set_defaults(run=_analyze)


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _sweep(args: argparse.Namespace) -> int:
    from habitat.experiment.backends import BackendError, make_backend
    from habitat.experiment.spec import ExperimentError, load_experiment
    from habitat.experiment.sweep import SweepError, check_out, run_sweep

    # Everything is checked before the output folder is created: bad input leaves no trace.
    try:
        experiment = load_experiment(args.experiment, args.overrides)
        resuming = check_out(args.out, experiment)
        backend = make_backend(args.workers, args.scheduler, args.scheduler_file)
    except (ExperimentError, SweepError, BackendError) as exc:
        print(f"habitat sweep: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        if resuming:
            log.info("resuming the sweep in %s", args.out)
        summary = run_sweep(
            experiment, args.out, backend, source=str(args.experiment), progress_bar=not args.quiet
        )
    except KeyboardInterrupt:
        print(
            f"\nhabitat sweep: interrupted; finished points are kept in {args.out}/parts; "
            "run the same command again to resume",
            file=sys.stderr,
        )
        return EXIT_INTERRUPTED
    except BackendError as exc:
        print(
            f"\nhabitat sweep: error: {exc}; finished points are kept in {args.out}/parts; "
            "run the same command again to resume",
            file=sys.stderr,
        )
        return EXIT_CLUSTER_LOST
    finally:
        backend.close()
    if experiment.posterior is not None:
        runs = (
            f"{summary.points // experiment.draws} points x {experiment.draws} posterior draws x "
            f"{experiment.replications_per_run} replications ({summary.points} runs)"
        )
    else:
        runs = f"{summary.points} points x {experiment.replications} replications"
    print(
        f"{experiment.name}: {runs}; "
        f"{summary.completed} completed, {summary.failed} failed"
        + (f" ({summary.resumed_from} done before)" if summary.resumed_from else "")
        + f"; {summary.seconds:.1f} s"
    )
    print(f"written: {args.out / 'results.parquet'}, {args.out / 'manifest.json'}")
    if summary.failed:
        print(f"failed points and their errors: {args.out / 'failures.json'}")
        return EXIT_SOME_FAILED
    return EXIT_OK


def _analyze(args: argparse.Namespace) -> int:
    from habitat.experiment.analysis import AnalysisError, analyze, load_sweep
    from habitat.experiment.report import write_report

    try:
        sweep = load_sweep(args.folder)
        analysis = analyze(sweep, args.outputs)
    except AnalysisError as exc:
        print(f"habitat analyze: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    written = write_report(analysis)
    for name in ("sobol", "morris"):
        table = analysis.tables.get(name)
        if table is not None and not table.empty:
            print(f"{name} indices (95% interval half-width in brackets)")
            print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    for note in analysis.notes:
        print(f"note: {note}")
    print(f"written: {written[-1]} and {len(written) - 1} files in {written[0].parent}")
    return EXIT_OK

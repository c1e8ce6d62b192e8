"""The `habitat` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from habitat.cli_app import add_commands as add_app_commands
from habitat.cli_store import add_commands as add_store_commands
from habitat.extras import missing_extra
from habitat.scenario import ScenarioError, load_scenario

#: Exit status for bad input (a file, a flag, an override): nothing was run.
EXIT_BAD_INPUT = 2
#: Exit status of a sweep that finished with some failed points (listed in failures.json).
EXIT_SOME_FAILED = 1
#: Exit status after Ctrl-C, as shells report SIGINT.
EXIT_INTERRUPTED = 130
#: Largest run the command accepts: days x replications x dwellings agent-days.
MAX_AGENT_DAYS = 2_000_000_000


def _positive(name: str, upper: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{name} must be a whole number, got {text!r}"
            ) from None
        if not 1 <= value <= upper:
            raise argparse.ArgumentTypeError(f"{name} must be between 1 and {upper}, got {value}")
        return value

    return parse


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed must be a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"--seed must be 0 or more, got {value}")
    return value


class _Parser(argparse.ArgumentParser):
    """Bad flags exit with status 2 and one line naming the flag and the reason."""

    def error(self, message: str) -> None:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    """The command line: `habitat simulate|sweep|analyze|db|export|erase ...`."""
    parser = _Parser(prog="habitat", description="Simulate and manage inclusive habitats.")
    commands = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, help="what to do"
    )
    sim = commands.add_parser(
        "simulate",
        help="run a scenario and summarise it",
        description="Run a scenario file, print a summary (median and 90%% interval of each "
        "key metric), and write metrics, events and a manifest to --out.",
    )
    sim.add_argument(
        "scenario", type=Path, help="a scenario file (YAML), e.g. scenarios/elderly_baseline.yaml"
    )
    sim.add_argument(
        "--days", type=_positive("--days", 3650), help="horizon in days (default: the scenario's)"
    )
    sim.add_argument(
        "--replications",
        "-r",
        type=_positive("--replications", 100_000),
        default=100,
        help="independent replications (default 100)",
    )
    sim.add_argument("--seed", type=_seed, help="random seed (default: drawn and recorded)")
    sim.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help="override a scenario field, e.g. --set animator.hours_per_week=14 (repeatable)",
    )
    sim.add_argument(
        "--out", type=Path, help="folder for metrics.parquet, events.csv, manifest.json"
    )
    events = sim.add_mutually_exclusive_group()
    events.add_argument(
        "--events", dest="events", action="store_true", default=None, help="keep the event log"
    )
    events.add_argument(
        "--no-events", dest="events", action="store_false", help="drop the event log"
    )
    sim.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    sim.set_defaults(run=_simulate)

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
        type=_positive("--workers", 1024),
        help="local worker processes, or LocalCluster workers (default: one per core)",
    )
    sweep.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask scheduler at ADDRESS (e.g. tcp://host:8786), "
        "or 'local' to start a Dask LocalCluster",
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
        "allows), point and factor comparisons with 95%% intervals, PNG figures and a "
        "self-contained report.html into it.",
    )
    analyze.add_argument("folder", type=Path, help="a folder written by `habitat sweep`")
    analyze.add_argument(
        "--outputs",
        type=lambda text: [name.strip() for name in text.split(",") if name.strip()],
        help="comma-separated outputs to analyse (default: every output kept)",
    )
    analyze.set_defaults(run=_analyze)

    add_store_commands(commands)
    add_app_commands(commands)
    return parser


def _simulate(args: argparse.Namespace) -> int:
    from habitat.sim.output import write_results
    from habitat.sim.run import simulate

    try:
        scenario = load_scenario(args.scenario, args.overrides)
        if args.days is not None:
            scenario = scenario.with_days(args.days)
    except ScenarioError as exc:
        print(f"habitat simulate: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    size = scenario.days * args.replications * scenario.habitat.dwellings
    if size > MAX_AGENT_DAYS:
        print(
            f"habitat simulate: error: --replications: {args.replications} replications x "
            f"{scenario.days} days x {scenario.habitat.dwellings} dwellings is too large for one "
            f"run (limit {MAX_AGENT_DAYS:,} resident-days); use fewer replications",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        print(
            f"habitat simulate: error: --out: {args.out} exists and is not a folder",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT

    bar = None
    if not args.quiet:
        from tqdm import tqdm

        bar = tqdm(
            total=scenario.days, unit="day", desc=scenario.name, file=sys.stderr, leave=False
        )
    result = simulate(
        scenario,
        replications=args.replications,
        seed=args.seed,
        record_events=args.events,
        on_day=(lambda day, days: bar.update(1)) if bar is not None else None,
    )
    if bar is not None:
        bar.close()
    print(format_summary(result))
    if args.out is not None:
        written = write_results(result, args.out, str(args.scenario), args.overrides)
        print("\nwritten: " + ", ".join(str(p) for p in written))
    return 0


def _sweep(args: argparse.Namespace) -> int:
    from habitat.experiment.backends import BackendError, make_backend
    from habitat.experiment.spec import ExperimentError, load_experiment
    from habitat.experiment.sweep import SweepError, check_out, run_sweep

    # Everything is checked before the output folder is created: bad input leaves no trace.
    try:
        experiment = load_experiment(args.experiment, args.overrides)
        resuming = check_out(args.out, experiment)
        backend = make_backend(args.workers, args.scheduler)
    except (ExperimentError, SweepError, BackendError) as exc:
        print(f"habitat sweep: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        if resuming:
            print(f"resuming the sweep in {args.out}", file=sys.stderr)
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
    finally:
        backend.close()
    print(
        f"{experiment.name}: {summary.points} points x {experiment.replications} replications; "
        f"{summary.completed} completed, {summary.failed} failed"
        + (f" ({summary.resumed_from} done before)" if summary.resumed_from else "")
        + f"; {summary.seconds:.1f} s"
    )
    print(f"written: {args.out / 'results.parquet'}, {args.out / 'manifest.json'}")
    if summary.failed:
        print(f"failed points and their errors: {args.out / 'failures.json'}")
        return EXIT_SOME_FAILED
    return 0


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
    return 0


def format_summary(result) -> str:
    """The summary table a person reads at the end of `habitat simulate`."""
    table = result.summary()
    head = (
        f"{result.scenario.name}: {result.replications} replications x {result.days} days, "
        f"seed {result.seed}\nmedian [90% interval] over replications\n"
    )
    lines = []
    for row in table.to_dict("records"):
        n = 0 if abs(row["median"]) >= 100 else 2
        interval = f"[{row['p5']:.{n}f} - {row['p95']:.{n}f}]"
        lines.append(
            f"  {row['metric']:<26} {row['median']:>10.{n}f}  {interval}  "
            f"{row['unit']}, {row['over the run']}"
        )
    return head + "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `habitat` command; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except ModuleNotFoundError as error:  # an extra (app, research) is not installed
        return missing_extra(f"habitat {args.command}", error)


if __name__ == "__main__":
    sys.exit(main())

"""`habitat simulate`: run a scenario file and summarise it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from habitat.cli.options import positive, seed
from habitat.scenario import ScenarioError, load_scenario

#: Largest run the command accepts: days x replications x dwellings agent-days.
MAX_AGENT_DAYS = 2_000_000_000


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `simulate` on the `habitat` command."""
    sim = commands.add_parser(
        "simulate",
        help="run a scenario and summarise it",
        description="Run a scenario file, print a summary (median and 90 % interval of each "
        "key metric), and write metrics, events and a manifest to --out.",
    )
    sim.add_argument(
        "scenario", type=Path, help="a scenario file (YAML), e.g. scenarios/elderly_baseline.yaml"
    )
    sim.add_argument(
        "--days", type=positive("--days", 3650), help="horizon in days (default: the scenario's)"
    )
    sim.add_argument(
        "--replications",
        "-r",
        type=positive("--replications", 100_000),
        default=100,
        help="independent replications (default 100)",
    )
    sim.add_argument("--seed", type=seed, help="random seed (default: drawn and recorded)")
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
    return EXIT_OK


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

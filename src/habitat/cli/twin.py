"""`habitat twin ...`: the habitat's own model, from its records (pseudonymised extract).

`backtest` prints, for each figure, what the model expected over the last months
and what the records say happened, with a verdict; `forecast` the next months'
bands beside the last year's figures. Same services as the app, same scopes
(`--as ACCOUNT`, default the animator), audited the same way.
"""

from __future__ import annotations

import argparse
import csv
import io
import json

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail
from habitat.cli.options import add_db_option, existing_db, iso_date, seed


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `twin` and its subcommands on the `habitat` command."""
    text = "the habitat's own model: backtest and forecast from its records"
    group = commands.add_parser("twin", help=text, description=text)
    twin = group.add_subparsers(
        dest="twin_command", required=True, parser_class=type(group), help="what to do"
    )
    backtest = twin.add_parser(
        "backtest",
        help="what the model expected over the last months, against what happened",
        description="Start the model from the habitat as its records stood --months ago, "
        "run it to --end, and print for each figure the model's median and 90 % band, "
        "the figure the records give (with its 90 % interval and the events behind it), "
        "and a verdict.",
    )
    backtest.add_argument("--months", type=int, default=6, help="how far back (1-24, default 6)")
    backtest.add_argument("--end", type=iso_date, help="last day compared (default: today)")
    forecast = twin.add_parser(
        "forecast",
        help="the next months for the habitat as it stands",
        description="Run the model from the habitat as it stands today for --months and "
        "print each figure's median and 90 % band, beside the same figure over the last "
        "12 months of records.",
    )
    forecast.add_argument("--months", type=int, default=12, help="how far ahead (1-24)")
    for sub, command in ((backtest, "twin backtest"), (forecast, "twin forecast")):
        sub.add_argument(
            "--replications", "-r", type=int, default=100, help="replications (10-1000)"
        )
        sub.add_argument("--seed", type=seed, default=2026, help="random seed (default 2026)")
        sub.add_argument(
            "--format", choices=("table", "csv", "json"), default="table", help="output"
        )
        sub.add_argument(
            "--as",
            dest="as_account",
            metavar="ACCOUNT",
            help="act as this account, with its role's scope (default: the animator)",
        )
        add_db_option(sub)
        sub.set_defaults(run=_handler(command))


def _handler(command: str):
    def handle(args: argparse.Namespace) -> int:
        from habitat import store
        from habitat.services import twin
        from habitat.services.access import Forbidden
        from habitat.services.auth import acting_as
        from habitat.services.what_if import InconsistentRecords

        try:
            twin.check(args.months, args.replications)
        except twin.BadTwinRequest as exc:
            return fail(command, f"--{exc.field}: {str(exc).split(': ', 1)[1]}")
        if not existing_db(args, command):
            return EXIT_BAD_INPUT
        with store.connect(args.db) as db:
            try:
                user = acting_as(db, args.as_account)
                common = {"months": args.months, "replications": args.replications}
                if command == "twin backtest":
                    run = twin.backtest(db, user, end=args.end, seed=args.seed, **common)
                else:
                    run = twin.forecast(db, user, seed=args.seed, **common)
            except LookupError as exc:
                return fail(command, str(exc))
            except Forbidden as exc:
                return fail(command, f"--as: {exc}")
            except twin.BadTwinRequest as exc:
                flag = (
                    f"--{exc.field}"
                    if exc.field in ("months", "replications", "end")
                    else "records"
                )
                return fail(command, f"{flag}: {str(exc).split(': ', 1)[1]}")
            except InconsistentRecords as exc:
                return fail(
                    command, "records: they contradict each other: " + "; ".join(exc.problems_fr)
                )
        print(_render(run, args.format), end="")
        return EXIT_OK

    return handle


def rows(run) -> list[dict[str, object]]:
    """One plain row per figure (what the table, CSV and JSON print)."""
    return [
        {
            "measure": row.measure.key,
            "figure": row.measure.label_fr,
            "unit": row.measure.unit_fr,
            "model_median": round(row.median, 4),
            "model_p5": round(row.band[0], 4),
            "model_p95": round(row.band[1], 4),
            "observed": None if row.observed.value is None else round(row.observed.value, 4),
            "observed_low": None if row.observed.low is None else round(row.observed.low, 4),
            "observed_high": None if row.observed.high is None else round(row.observed.high, 4),
            "events": row.observed.events,
            "verdict": row.verdict,
        }
        for row in run.rows
    ]


def _render(run, fmt: str) -> str:
    table = rows(run)
    if fmt == "json":
        head = {
            "kind": run.kind,
            "model_from": run.start.isoformat(),
            "model_to": run.end.isoformat(),
            "observed_from": run.observed_from.isoformat(),
            "observed_to": run.observed_to.isoformat(),
            "replications": run.replications,
            "seed": run.seed,
        }
        return json.dumps({**head, "rows": table}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(table)
        return out.getvalue()
    title = (
        f"{run.kind}: model {run.start} -> {run.end}, records {run.observed_from} -> "
        f"{run.observed_to}, {run.replications} replications, seed {run.seed}\n"
    )
    lines = [title]
    for row in table:
        observed = (
            "-"
            if row["observed"] is None
            else f"{row['observed']:.3g} [{row['observed_low']:.3g}, {row['observed_high']:.3g}]"
            f" (n = {row['events']})"
        )
        lines.append(
            f"{row['figure']} ({row['unit']}): model {row['model_median']:.3g} "
            f"[{row['model_p5']:.3g}, {row['model_p95']:.3g}]; records {observed}: "
            f"{row['verdict']}\n"
        )
    return "".join(lines)

"""`habitat twin ...`: the habitat's own model, from its records (pseudonymised extract).

`backtest` prints, for each figure, what the model expected over the last months
and what the records say happened, with a verdict; `forecast` the next months'
bands beside the last year's figures; `calibrate` the habitat's own parameters
fitted to its records (prior, posterior, the figures and events behind them).
Same services as the app, same scopes (`--as ACCOUNT`, default the animator),
audited the same way.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import Any, cast

from habitat.cli.exit_codes import EXIT_BAD_INPUT, EXIT_OK, fail
from habitat.cli.options import add_as_option, existing_db, iso_date, seed

#: The services' fields that are this command's options of the same name.
_OPTIONS = frozenset(
    {"months", "replications", "end", "waves", "candidates", "out", "years", "seed", "note"}
)
#: The services' other fields, as the command's flags.
_FLAGS = {
    "fit_months": "--fit",
    "candidate.public": "--public",
    "candidate.gir": "--gir",
    "candidate.family_hours_per_week": "--family-hours",
    "rule.regulation_practice": "--regulation",
    "rule.activities_per_week": "--activities",
    "rule.pooling_share": "--pooling",
    "rule.presence_hours_per_day": "--presence-hours",
}


def _flag(field: str) -> str:
    """A service's field, as the flag (or the thing) a message names."""
    if field in _OPTIONS:
        return f"--{field}"
    return _FLAGS.get(field, field)


def _refusal(command: str, exc: Exception) -> int:
    """A `BadTwinRequest` as the command's message, naming the flag."""
    field = getattr(exc, "field", "")
    return fail(command, f"{_flag(field)}: {str(exc).split(': ', 1)[1]}")


def _acting(args: argparse.Namespace, command: str, call) -> tuple[int, object]:
    """Open `--db`, act as `--as`, return `(EXIT_OK, call(db, user))`, or the failure's code.

    Every refusal is printed as the command's message naming the flag at fault.
    """
    from habitat import store
    from habitat.services import twin
    from habitat.services.access import Forbidden
    from habitat.services.auth import acting_as
    from habitat.services.what_if import InconsistentRecords
    from habitat.store.errors import InvalidRecord

    if not existing_db(args, command):
        return EXIT_BAD_INPUT, None
    with store.connect(args.db) as db:
        try:
            user = acting_as(db, args.as_account)
            return EXIT_OK, call(db, user)
        except LookupError as exc:
            return fail(command, str(exc)), None
        except Forbidden as exc:
            return fail(command, f"--as: {exc}"), None
        except twin.BadTwinRequest as exc:
            return _refusal(command, exc), None
        except InconsistentRecords as exc:
            return fail(
                command, "records: they contradict each other: " + "; ".join(exc.problems_fr)
            ), None
        except InvalidRecord as exc:
            return fail(command, str(exc)), None


def _bad_note(command: str, note: str | None, save: bool) -> int | None:
    """Refuse a `--note` without `--save`, or one the record would refuse, before running."""
    if note is None:
        return None
    if not save:
        return fail(command, "--note: only with --save")
    from pydantic import TypeAdapter, ValidationError

    from habitat.store.text import ShortText

    try:
        TypeAdapter(ShortText).validate_python(note)
    except ValidationError as exc:  # refused before the run, not after it
        return fail(command, f"--note: {exc.errors()[0]['msg']}")
    return None


def _output_options(sub: argparse.ArgumentParser, replications: int = 100) -> None:
    """--replications, --seed, --format, --as and the database options."""
    sub.add_argument(
        "--replications",
        "-r",
        type=int,
        default=replications,
        help=f"replications (10-1000, default {replications})",
    )
    sub.add_argument("--seed", type=seed, default=2026, help="random seed (default 2026)")
    sub.add_argument("--format", choices=("table", "csv", "json"), default="table", help="output")
    add_as_option(sub)


def _general_option(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--general",
        action="store_true",
        help="run with the model's general values, not the habitat's saved calibration",
    )


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `twin` and its subcommands on the `habitat` command."""
    text = "the habitat's own model: backtest, forecast and calibrate from its records"
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
        "and a verdict. The model runs with the habitat's own values only when they were "
        "fitted on records before the start: with --fit, on that many months before it; "
        "else the newest saved calibration ending by then; else the general values.",
    )
    backtest.add_argument(
        "--months",
        type=int,
        help="how far back (1-24; default 6, or the habitat's history when shorter)",
    )
    backtest.add_argument("--end", type=iso_date, help="last day compared (default: today)")
    backtest.add_argument(
        "--fit",
        dest="fit_months",
        type=int,
        metavar="MONTHS",
        help="first calibrate on this many months of records before the start (1-24)",
    )
    _general_option(backtest)
    _output_options(backtest)
    backtest.set_defaults(run=_backtest)
    forecast = twin.add_parser(
        "forecast",
        help="the next months for the habitat as it stands",
        description="Run the model from the habitat as it stands today for --months and "
        "print each figure's median and 90 % band, beside the same figure over the last "
        "12 months of records. The model runs with the habitat's newest saved calibration "
        "(habitat twin calibrate --save), unless --general.",
    )
    forecast.add_argument("--months", type=int, default=12, help="how far ahead (1-24, default 12)")
    _general_option(forecast)
    _output_options(forecast)
    forecast.set_defaults(run=_forecast)
    _add_calibrate(twin)
    _add_ask(twin)
    _add_synthetic(twin)


def _backtest(args: argparse.Namespace) -> int:
    from habitat.services import twin

    command = "twin backtest"
    try:
        twin.check(1 if args.months is None else args.months, args.replications)
        twin.check_fit(args.fit_months)
    except twin.BadTwinRequest as exc:
        return _refusal(command, exc)
    return _run_and_print(
        args,
        command,
        lambda db, user, common: twin.backtest(
            db, user, end=args.end, fit_months=args.fit_months, **common
        ),
    )


def _forecast(args: argparse.Namespace) -> int:
    from habitat.services import twin

    command = "twin forecast"
    try:
        twin.check(args.months, args.replications)
    except twin.BadTwinRequest as exc:
        return _refusal(command, exc)
    return _run_and_print(args, command, lambda db, user, common: twin.forecast(db, user, **common))


def _run_and_print(args: argparse.Namespace, command: str, call) -> int:
    """Run a backtest or a forecast as `--as` with the options they share; print it."""
    common = {
        "months": args.months,
        "replications": args.replications,
        "seed": args.seed,
        "general": args.general,
    }
    code, run = _acting(args, command, lambda db, user: call(db, user, common))
    if code == EXIT_OK:
        print(_render(run, args.format), end="")
    return code


def _add_calibrate(twin: argparse._SubParsersAction) -> None:
    """`habitat twin calibrate`."""
    calibrate = twin.add_parser(
        "calibrate",
        help="fit the habitat's own parameters to its records",
        description="Start the model from the habitat as its records stood --months ago, "
        "history-match its conflicts, disputes and participation parameters to what the "
        "records say happened since (the general model as the prior), and print for each "
        "parameter its prior, its posterior mean and 90 % interval, and the figures it was "
        "fitted on with the events behind them. With --save, the forecast and the questions "
        "run with these values from then on.",
    )
    calibrate.add_argument(
        "--months",
        type=int,
        help="the window, ending today (1-24; default 12, or the habitat's history when shorter)",
    )
    calibrate.add_argument("--waves", type=int, default=3, help="waves (1-10, default 3)")
    calibrate.add_argument(
        "--candidates", type=int, default=100, help="candidates per wave (10-500, default 100)"
    )
    calibrate.add_argument(
        "--save",
        action="store_true",
        help="save it with the habitat: the forecast and the questions then use it",
    )
    calibrate.add_argument("--note", help="a note saved with it (with --save)")
    _output_options(calibrate, replications=20)
    calibrate.set_defaults(run=_calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    from habitat.services import twin, twin_results

    command = "twin calibrate"
    sizes = {"waves": args.waves, "candidates": args.candidates, "replications": args.replications}
    try:
        twin.check_calibration(args.months or 1, **sizes)
    except twin.BadTwinRequest as exc:
        return _refusal(command, exc)
    refused = _bad_note(command, args.note, args.save)
    if refused is not None:
        return refused

    def calibrate(db, user):
        done = twin.calibrate(db, user, months=args.months, seed=args.seed, **sizes)
        saved = twin_results.save_calibration(db, user, done, args.note) if args.save else None
        return done, saved

    code, result = _acting(args, command, calibrate)
    if code != EXIT_OK:
        return code
    done, saved = cast("tuple[Any, Any]", result)
    print(_render_calibration(done, args.format), end="")
    if saved is not None and args.format == "table":
        print(f"saved as calibration {saved.stored_id}: the forecast and the questions now use it")
    return EXIT_OK


def calibration_rows(done) -> dict[str, list[dict[str, object]]]:
    """The parameters and the targets, as plain rows (what the table, CSV and JSON print)."""

    def r(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    parameters = [
        {
            "parameter": p.path,
            "label": p.label_fr,
            "general": r(p.general),
            "prior_low": r(p.prior[0]),
            "prior_high": r(p.prior[1]),
            "fitted": p.fitted,
            "posterior_mean": r(p.mean),
            "posterior_p5": r(p.interval[0]),
            "posterior_p95": r(p.interval[1]),
            "moved": r(p.moved),
            "narrowed": r(p.narrowed),
            "targets": list(p.targets),
            "events": p.events,
            "reading": p.reading_fr,
        }
        for p in done.fit.parameters
    ]
    targets = [
        {
            "target": t.key,
            "figure": t.label_fr,
            "unit": t.unit_fr,
            "observed": r(t.observed.value),
            "observed_low": r(t.observed.low),
            "observed_high": r(t.observed.high),
            "events": t.observed.events,
            "used": t.used,
            "calibrated_model": r(t.model),
            "implausibility": r(t.implausibility),
            "trust": t.trust_fr,
        }
        for t in done.fit.targets
    ]
    return {"parameters": parameters, "targets": targets}


def _render_calibration(done, fmt: str) -> str:
    fit = done.fit
    tables = calibration_rows(done)
    if fmt == "json":
        head = {
            "window_from": done.start.isoformat(),
            "window_to": done.end.isoformat(),
            "days": fit.days,
            "waves": fit.waves,
            "candidates": len(fit.candidates),
            "kept": len(fit.posterior),
            "ruled_out_all": fit.ruled_out_all,
            "effective_candidates": round(fit.effective, 1),
            "stopped": fit.stopped,
            "replications": fit.replications,
            "seed": fit.seed,
        }
        return json.dumps({**head, **tables}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        rows_ = [
            {**row, "targets": " ".join(row["targets"])}  # type: ignore[arg-type]
            for row in tables["parameters"]
        ]
        writer = csv.DictWriter(out, fieldnames=list(rows_[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows_)
        return out.getvalue()
    lines = [
        f"calibration on the records {done.start} -> {done.end}: {fit.waves} waves, "
        f"{len(fit.candidates)} candidates, {len(fit.posterior)} kept "
        f"({fit.effective:.0f} effective), "
        f"{fit.replications} replications, seed {fit.seed}\n"
    ]
    if fit.ruled_out_all:
        lines.append("no candidate met every target: the least implausible are shown\n")
    for p in tables["parameters"]:
        lines.append(
            f"{p['parameter']}: general {p['general']:.3g}, prior [{p['prior_low']:.3g}, "
            f"{p['prior_high']:.3g}] -> {p['posterior_mean']:.3g} "
            f"[{p['posterior_p5']:.3g}, {p['posterior_p95']:.3g}]; {p['reading']}\n"
        )
    lines.append("targets (records over the window):\n")
    for t in tables["targets"]:
        observed = (
            "-"
            if t["observed"] is None
            else f"{t['observed']:.3g} [{t['observed_low']:.3g}, {t['observed_high']:.3g}]"
        )
        model = (
            ""
            if t["calibrated_model"] is None
            else f"; model {t['calibrated_model']:.3g} (I = {t['implausibility']:.2g})"
        )
        lines.append(f"  {t['figure']} ({t['unit']}): {observed}{model}; {t['trust']}\n")
    return "".join(lines)


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


def _calibration_json(calibration) -> dict[str, object] | None:
    """The habitat's own values a run used, as JSON (None: the general values)."""
    if calibration is None:
        return None
    return {
        "how": calibration.how,
        "window_from": calibration.window_from.isoformat(),
        "window_to": calibration.window_to.isoformat(),
        "saved_id": calibration.saved_id,
        "values": {path: round(value, 6) for path, value in calibration.values.items()},
    }


def _calibration_said(calibration) -> str:
    """Which values a run used, in one line."""
    if calibration is None:
        return "values: the model's general values"
    how = "fitted for this run" if calibration.how == "fitted" else "saved calibration"
    values = ", ".join(f"{path} = {value:.3g}" for path, value in calibration.values.items())
    return (
        f"values: the habitat's own ({how}, records {calibration.window_from} -> "
        f"{calibration.window_to}): {values}"
    )


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
            "calibration": _calibration_json(run.calibration),
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
        f"{_calibration_said(run.calibration)}\n"
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


# --- Ask before deciding -----------------------------------------------------------------


def _run_options(sub: argparse.ArgumentParser, months: int = 12) -> None:
    """A question's options: the horizon, the general values, the run's size and output."""
    sub.add_argument(
        "--months", type=int, default=months, help=f"how far ahead (1-24, default {months})"
    )
    _general_option(sub)
    _output_options(sub)


def _add_ask(twin: argparse._SubParsersAction) -> None:
    """`habitat twin ask admission|rule|families|avp`."""
    text = "ask the habitat's model before deciding, against its own forecast (same seed)"
    ask = twin.add_parser("ask", help=text, description=text)
    questions = ask.add_subparsers(
        dest="question", required=True, parser_class=type(ask), help="which question"
    )
    admission = questions.add_parser(
        "admission",
        help="a candidate joins the habitat as it stands",
        description="Simulate the habitat with a candidate moving in today against the habitat "
        "as it stands, on the same seed, and print each outcome's effect.",
    )
    admission.add_argument(
        "--public",
        required=True,
        choices=("elderly", "motor", "psychic", "intellectual", "autism", "sensory"),
        help="the candidate's public",
    )
    admission.add_argument("--gir", type=int, required=True, help="autonomy level, 1 to 6")
    admission.add_argument(
        "--family-hours", type=float, default=0.0, help="family help, hours a week (default 0)"
    )
    admission.add_argument("--own-providers", action="store_true", help="keeps their own providers")
    admission.add_argument(
        "--by-default", action="store_true", help="enters for want of another option"
    )
    _run_options(admission)
    admission.set_defaults(run=_ask("admission"))

    rule = questions.add_parser(
        "rule",
        help="a rule before the council votes it",
        description="Simulate the habitat under a proposed rule against the habitat as it runs "
        "today, on the same seed. Give at least one of the options.",
    )
    rule.add_argument(
        "--regulation",
        choices=("none", "house_rules", "council"),
        help="how conflicts are regulated: none, house rules, or the council",
    )
    rule.add_argument("--activities", type=float, help="collective activities a week")
    rule.add_argument("--pooling", type=float, help="share of individual help pooled (0-1)")
    rule.add_argument("--presence-hours", type=float, help="the presence rota's hours a day")
    _run_options(rule)
    rule.set_defaults(run=_ask("rule"))

    families = questions.add_parser(
        "families",
        help="how much rests on each family, and each one stepping back",
        description="For each involved family (anonymised, most hours first), its share of the "
        "families' hours and the effect of its stepping back.",
    )
    _run_options(families)
    families.set_defaults(run=_ask("families"))

    avp = questions.add_parser(
        "avp",
        help="the animator's logged time against the model's need: the AVP to ask",
        description="The animator's logged hours a week by support function (last 12 months) "
        "against the model's need for the coming months, and the AVP amount per resident "
        "the need argues for (with the habitat's hourly cost).",
    )
    _run_options(avp)
    avp.add_argument(
        "--save",
        action="store_true",
        help="save the answer with the habitat: the yearly AVP report of this year shows it",
    )
    avp.add_argument("--note", metavar="TEXT", help="a note saved with the answer (with --save)")
    avp.set_defaults(run=_ask("avp"))


def _ask(question: str):
    command = f"twin ask {question}"

    def handle(args: argparse.Namespace) -> int:
        from habitat.services import decisions, twin, twin_results

        try:
            twin.check(args.months, args.replications)
        except twin.BadTwinRequest as exc:
            return _refusal(command, exc)
        changes = {}
        if question == "rule":
            given = {
                "regulation_practice": args.regulation,
                "activities_per_week": args.activities,
                "pooling_share": args.pooling,
                "presence_hours_per_day": args.presence_hours,
            }
            changes = {k: v for k, v in given.items() if v is not None}
            if not changes:
                return fail(
                    command,
                    "give at least one of --regulation, --activities, --pooling, --presence-hours",
                )
        save = question == "avp" and args.save
        refused = _bad_note(command, args.note if question == "avp" else None, save)
        if refused is not None:
            return refused
        common = {
            "months": args.months,
            "replications": args.replications,
            "seed": args.seed,
            "general": args.general,
        }

        def ask(db, user):
            if question == "admission":
                candidate = {
                    "public": args.public,
                    "gir": args.gir,
                    "family_hours_per_week": args.family_hours,
                    "own_providers": args.own_providers,
                    "entered_by_default": args.by_default,
                }
                return decisions.admission(db, user, candidate, **common), None
            if question == "rule":
                return decisions.rule(db, user, changes, **common), None
            if question == "families":
                return decisions.families(db, user, **common), None
            answer = decisions.avp(db, user, **common)
            return answer, (twin_results.save_avp(db, user, answer, args.note) if save else None)

        code, result = _acting(args, command, ask)
        if code != EXIT_OK:
            return code
        answer, saved = cast("tuple[Any, Any]", result)
        print(_render_answer(question, answer, args.format), end="")
        if saved is not None:  # on stderr: the answer stays the only output, in every format
            print(
                f"saved (id {saved.stored_id}): the AVP report of {saved.model_from.year} "
                "shows the newest answer saved in its period",
                file=sys.stderr,
            )
        return EXIT_OK

    return handle


def effect_rows(effects, family: str | None = None) -> list[dict[str, object]]:
    """One plain row per outcome of a question (what the table, CSV and JSON print)."""
    from habitat.twin.paired import reading

    return [
        {
            **({"family": family} if family else {}),
            "outcome": e.outcome.metric,
            "without": round(e.without, 4),
            "with": round(e.with_, 4),
            "difference": round(e.difference, 4),
            "difference_p5": round(e.band[0], 4),
            "difference_p95": round(e.band[1], 4),
            "share_up": round(e.up, 3),
            "share_down": round(e.down, 3),
            "reading": reading(e),
        }
        for e in effects
    ]


def answer_rows(question: str, answer) -> list[dict[str, object]]:
    """The rows a question prints."""
    if question in ("admission", "rule"):
        return effect_rows(answer.effects)
    if question == "families":
        rows: list[dict[str, object]] = []
        for family in answer:
            for row in effect_rows(family.effects, family.label):
                rows.append(
                    {
                        "family": family.label,
                        "hours_per_week": family.hours_per_week,
                        "share_of_family_hours": round(family.share, 3),
                        **row,
                    }
                )
        return rows
    return [
        {
            "function": function,
            "logged_hours_per_week": round(answer.logged[function], 2),
            "need_hours_per_week": round(answer.need[function], 2),
            "need_p5": round(answer.need_band[function][0], 2),
            "need_p95": round(answer.need_band[function][1], 2),
        }
        for function in answer.need
    ]


def _render_answer(question: str, answer, fmt: str) -> str:
    table = answer_rows(question, answer)
    if fmt == "json":
        head: dict[str, object] = {"question": question}
        if question != "families":
            head["calibration"] = _calibration_json(answer.calibration)
        if question == "avp":
            head |= {
                "hourly_cost": answer.hourly_cost,
                "avp_per_resident_needed": answer.avp_per_resident
                and round(answer.avp_per_resident, 2),
                "avp_per_resident_today": answer.current_avp_per_resident,
                "residents": answer.residents,
            }
        return json.dumps({**head, "rows": table}, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        if table:
            writer = csv.DictWriter(out, fieldnames=list(table[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(table)
        return out.getvalue()
    said = "" if question == "families" else _calibration_said(answer.calibration) + "\n"
    if question == "avp":
        lines = [said] + [
            f"{r['function']}: logged {r['logged_hours_per_week']:.1f} h/week, model's need "
            f"{r['need_hours_per_week']:.1f} [{r['need_p5']:.1f}, {r['need_p95']:.1f}] h/week\n"
            for r in table
        ]
        if answer.avp_per_resident is None:
            lines.append("no hourly cost set for the animator (habitat settings): hours only\n")
        else:
            lines.append(
                f"AVP the need argues for: EUR {answer.avp_per_resident:,.0f} per resident a year "
                f"over {answer.residents} residents (today: EUR "
                f"{answer.current_avp_per_resident:,.0f})\n"
            )
        return "".join(lines)
    if not table:
        return "no family gives hours: nothing rests on a family\n"
    lines = [said]
    for r in table:
        prefix = (
            f"{r['family']} ({r['hours_per_week']} h/week, {r['share_of_family_hours']:.0%}): "
            if "family" in r
            else ""
        )
        lines.append(f"{prefix}{r['reading']}\n")
    return "".join(lines)


# --- Synthetic twin ----------------------------------------------------------------------


def _add_synthetic(twin: argparse._SubParsersAction) -> None:
    """`habitat twin synthetic --out DIR`."""
    synthetic = twin.add_parser(
        "synthetic",
        help="write a synthetic habitat drawn from the model (nobody real) for research",
        description="Draw synthetic residents from the habitat's distributions (pseudonymised "
        "extract), run the model for --years on a fictitious calendar from 2030-01-01 and write "
        "its records as CSV files with a README.md and a manifest.json into --out, a new or "
        "empty folder. No name, pseudonym, birth year, date or text of the records is written.",
    )
    synthetic.add_argument("--out", required=True, metavar="DIR", help="folder to create")
    synthetic.add_argument("--years", type=int, default=2, help="years to run (1-3, default 2)")
    synthetic.add_argument("--seed", type=seed, default=2026, help="random seed (default 2026)")
    synthetic.add_argument(
        "--database",
        action="store_true",
        help="also write habitat.db, the same habitat in the app's schema (habitat serve --db)",
    )
    add_as_option(synthetic)
    synthetic.set_defaults(run=_synthetic)


def _synthetic(args: argparse.Namespace) -> int:
    from habitat.services import synthetic, twin
    from habitat.services.access import Forbidden

    command = "twin synthetic"
    try:
        synthetic.check(args.out, args.years, args.seed)
    except twin.BadTwinRequest as exc:
        return _refusal(command, exc)

    def write(db, user):
        try:
            return synthetic.synthetic(
                db, user, out_dir=args.out, years=args.years, seed=args.seed, database=args.database
            )
        except Forbidden:  # a PermissionError, so an OSError: not the folder's fault
            raise
        except OSError as exc:
            raise twin.BadTwinRequest(
                "out", f"cannot write {args.out}: {exc.strerror or exc}", "écriture impossible"
            ) from None

    code, written = _acting(args, command, write)
    if code != EXIT_OK:
        return code
    print(
        f"wrote {len(written.files)} files to {written.out_dir}: {written.people} synthetic "  # type: ignore[attr-defined]
        f"residents over {written.years} year(s), seed {written.seed}"  # type: ignore[attr-defined]
    )
    return EXIT_OK

"""`habitat validate`: the model against published figures it was not fitted to."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from habitat.cli.exit_codes import EXIT_OK, fail
from habitat.cli.options import EVIDENCE_SEED, positive, seed

#: Replications by default: enough for the intervals of a share pooled over habitats.
#: At 200 the smallest cohort (men at GIR 4 still there after 2 years) held about
#: 100 people, and its verdict changed with the seed (0.49 to 0.67 over five seeds);
#: at 1,000 it holds about 500.
DEFAULT_REPLICATIONS = 1000
#: At most this many: the run keeps each dwelling's state every day (about 6 bytes per
#: dwelling-day-replication, 60 MB for 7 dwellings x 730 days x 2,000) and the event log.
MAX_REPLICATIONS = 2000
#: Columns of the printed table, with their headers.
SHOWN = {
    "id": "pattern",
    "source": "source",
    "model": "model median [90% interval]",
    "published_text": "published [interval]",
    "verdict": "verdict",
}


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `validate` on the `habitat` command."""
    validate = commands.add_parser(
        "validate",
        help="compare the model with published figures (validation patterns)",
        description="Run each validation pattern's scenario (src/habitat/evidence/patterns.yaml) "
        "and print, for each pattern, its source, the model's median and 90 % interval over "
        "replications, the published value and interval, and a verdict: consistent when the "
        "intervals meet, too low or too high otherwise, not measurable when the model cannot "
        "measure it.",
    )
    validate.add_argument(
        "--replications",
        "-r",
        type=positive("--replications", MAX_REPLICATIONS),
        default=DEFAULT_REPLICATIONS,
        help=f"replications of each scenario (default {DEFAULT_REPLICATIONS})",
    )
    validate.add_argument(
        "--seed", type=seed, default=EVIDENCE_SEED, help=f"random seed (default {EVIDENCE_SEED})"
    )
    validate.add_argument(
        "--days",
        type=positive("--days", 3650),
        help="cap every pattern's horizon at this many days (a quick check)",
    )
    validate.add_argument(
        "--evidence",
        choices=("patterns", "targets", "all"),
        default="patterns",
        help="which figures: the validation patterns (default), the calibration targets, or both",
    )
    validate.add_argument(
        "--format",
        choices=("table", "csv", "json"),
        default="table",
        help="how to print the result (default: table)",
    )
    validate.add_argument("--out", type=Path, help="folder for validation.csv and manifest.json")
    validate.set_defaults(run=_validate)


def _number(value: float) -> str:
    if math.isnan(value):
        return "—"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if abs(value) < 1:
        return f"{value:.3f}"
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def _validate(args: argparse.Namespace) -> int:
    from habitat.evidence import EvidenceError, load_evidence
    from habitat.experiment.statistics import STATISTICS
    from habitat.experiment.validation import manifest, run_evidence, table
    from habitat.files import write_atomically

    if args.out is not None and args.out.exists() and not args.out.is_dir():
        return fail("validate", f"--out: {args.out} is a file, not a folder")
    kinds = ("patterns", "targets") if args.evidence == "all" else (args.evidence,)
    try:
        entries = [e for k in kinds for e in load_evidence(k, frozenset(STATISTICS))]
    except EvidenceError as exc:
        return fail("validate", str(exc))
    started = time.perf_counter()
    verdicts = run_evidence(entries, args.replications, args.seed, args.days)
    seconds = time.perf_counter() - started
    frame = table(verdicts)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False))
    elif args.format == "json":
        print(frame.to_json(orient="records", indent=2, force_ascii=False))
    else:
        shown = frame.assign(
            model=[
                f"{_number(m)} [{_number(lo)}, {_number(hi)}]"
                for m, lo, hi in zip(
                    frame.model_median, frame.model_low, frame.model_high, strict=True
                )
            ],
            published_text=[
                f"{_number(p)} [{_number(lo)}, {_number(hi)}]"
                for p, lo, hi in zip(
                    frame.published, frame.published_low, frame.published_high, strict=True
                )
            ],
        )[list(SHOWN)].rename(columns=SHOWN)
        print(shown.to_string(index=False))
        for v in verdicts:
            if v.verdict == "not measurable":
                print(f"not measurable: {v.id}: {v.note}")
        print(
            f"{len(verdicts)} figures, {args.replications} replications, seed {args.seed}"
            + (f", horizons capped at {args.days} days" if args.days else "")
            + f"; {seconds:.1f} s"
        )
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        write_atomically(args.out / "validation.csv", lambda p: frame.to_csv(p, index=False))
        record = manifest(verdicts, args.evidence, args.replications, args.seed, args.days)
        record["seconds"] = round(seconds, 1)
        text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        write_atomically(
            args.out / "manifest.json", lambda p: Path(p).write_text(text, encoding="utf-8")
        )
        if args.format == "table":
            print(f"written: {args.out / 'validation.csv'}, {args.out / 'manifest.json'}")
    return EXIT_OK

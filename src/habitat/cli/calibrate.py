"""`habitat calibrate`: fit the uncertain parameters to the published targets."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Any

from habitat.cli.exit_codes import EXIT_CLUSTER_LOST, EXIT_INTERRUPTED, EXIT_OK, fail
from habitat.cli.options import EVIDENCE_SEED, positive, seed

log = logging.getLogger(__name__)

DEFAULT_WAVES = 3
DEFAULT_CANDIDATES = 32
DEFAULT_REPLICATIONS = 50


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Register `calibrate` on the `habitat` command."""
    calibrate = commands.add_parser(
        "calibrate",
        help="fit the uncertain parameters to the published targets (history matching)",
        description="History-match the parameters of src/habitat/evidence/calibration.yaml to "
        "the targets of src/habitat/evidence/targets.yaml: each wave draws candidates over the "
        "parameters' ranges, runs the targets' scenarios for each, and rules out those the "
        "targets make implausible (more than --cutoff combined standard deviations away); the "
        "next wave draws among the survivors. Writes candidates.csv (every candidate), "
        "posterior.csv (the last wave's survivors, weighed), report.md and manifest.json.",
    )
    calibrate.add_argument("--out", type=Path, required=True, help="folder for the results")
    calibrate.add_argument(
        "--waves",
        type=positive("--waves", 20),
        default=DEFAULT_WAVES,
        help=f"waves of refocusing (default {DEFAULT_WAVES})",
    )
    calibrate.add_argument(
        "--candidates",
        type=positive("--candidates", 10_000),
        default=DEFAULT_CANDIDATES,
        help=f"candidates per wave (default {DEFAULT_CANDIDATES})",
    )
    calibrate.add_argument(
        "--replications",
        "-r",
        type=positive("--replications", 2000),
        default=DEFAULT_REPLICATIONS,
        help=f"replications of each candidate's scenarios (default {DEFAULT_REPLICATIONS})",
    )
    calibrate.add_argument(
        "--seed", type=seed, default=EVIDENCE_SEED, help=f"random seed (default {EVIDENCE_SEED})"
    )
    calibrate.add_argument(
        "--days", type=positive("--days", 3650), help="cap every target's horizon (a quick check)"
    )
    calibrate.add_argument(
        "--cutoff",
        type=float,
        default=3.0,
        help="largest implausibility kept, in standard deviations (default 3)",
    )
    calibrate.add_argument(
        "--workers",
        type=positive("--workers", 1024),
        help="local worker processes (default: one per core)",
    )
    calibrate.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on the Dask scheduler at ADDRESS"
    )
    calibrate.add_argument(
        "--scheduler-file",
        metavar="FILE",
        help="run on the Dask scheduler whose address FILE holds",
    )
    calibrate.set_defaults(run=_calibrate)


def _calibrate(args: argparse.Namespace) -> int:
    from importlib import resources

    import yaml

    from habitat.evidence import EvidenceError, load_evidence
    from habitat.experiment.backends import BackendError, make_backend
    from habitat.experiment.calibration import (
        CalibrationError,
        calibrate,
        check_paths,
        load_calibration,
    )
    from habitat.experiment.statistics import STATISTICS

    if not 0 < args.cutoff < 100:
        return fail("calibrate", f"--cutoff: {args.cutoff} must be above 0 and below 100")
    if args.out.exists() and (not args.out.is_dir() or any(args.out.iterdir())):
        return fail("calibrate", f"--out: {args.out} exists and is not an empty folder")
    try:
        spec = load_calibration()
        entries = {e.id: e for e in load_evidence("targets", frozenset(STATISTICS))}
    except (CalibrationError, EvidenceError) as exc:
        return fail("calibrate", str(exc))
    unknown = [t for t in spec.targets if t not in entries]
    if unknown:
        return fail("calibrate", f"calibration.yaml: targets: unknown {', '.join(unknown)}")
    targets = [entries[t] for t in spec.targets]
    scenarios: dict[str, dict[str, Any]] = {}
    for target in targets:
        path = resources.files("habitat") / "scenarios" / f"{target.scenario}.yaml"
        scenarios[target.scenario] = yaml.safe_load(path.read_text("utf-8"))
    problems = check_paths(spec, scenarios)
    if problems:
        return fail("calibrate", "calibration.yaml: " + "; ".join(problems))
    try:
        backend = make_backend(args.workers, args.scheduler, args.scheduler_file)
    except BackendError as exc:
        return fail("calibrate", str(exc))

    def said(wave: int, judged: int, kept: int) -> None:
        if not args.silent:
            print(f"wave {wave + 1}/{args.waves}: {kept} of {judged} candidates not ruled out")

    started = time.perf_counter()
    try:
        result = calibrate(
            spec,
            targets,
            scenarios,
            backend.run,
            args.waves,
            args.candidates,
            args.replications,
            args.seed,
            args.days,
            args.cutoff,
            on_wave=said,
        )
    except KeyboardInterrupt:
        print("\nhabitat calibrate: interrupted; nothing written", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BackendError as exc:
        print(f"\nhabitat calibrate: error: {exc}; nothing written", file=sys.stderr)
        return EXIT_CLUSTER_LOST
    finally:
        backend.close()
    seconds = time.perf_counter() - started
    _write(args, spec, targets, result, seconds)
    return EXIT_OK


def _write(args: argparse.Namespace, spec: Any, targets: Any, result: Any, seconds: float) -> None:
    from habitat.experiment.calibration import weighted_interval
    from habitat.files import write_atomically
    from habitat.sim.output import VERSIONED_PACKAGES, git_commit, package_versions

    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    write_atomically(out / "candidates.csv", lambda p: result.candidates.to_csv(p, index=False))
    write_atomically(out / "posterior.csv", lambda p: result.posterior.to_csv(p, index=False))
    lines = [
        "# Calibration by history matching",
        "",
        f"{args.waves} waves x {args.candidates} candidates, {args.replications} replications, "
        f"seed {args.seed}, cutoff {args.cutoff:g}"
        + (f", horizons capped at {args.days} days" if args.days else "")
        + f"; {seconds:.0f} s.",
        "",
    ]
    if result.ruled_out_all:
        lines += [
            "**Every candidate of the last wave is ruled out**: no values in the ranges "
            "reproduce all targets. The posterior holds the 10 % least implausible; read it "
            "as the nearest the model comes, and the gap as a fault of a mechanism.",
            "",
        ]
    lines += [
        "| parameter | prior range | calibrated (weighted mean) | 90 % posterior interval "
        "| basis |",
        "|---|---|---|---|---|",
    ]
    for p in spec.parameters:
        low, high = weighted_interval(result.posterior[p.path], result.posterior.weight)
        lines.append(
            f"| `{p.path}` | {p.range[0]:g}–{p.range[1]:g} | {result.calibrated[p.path]:.4g} "
            f"| {low:.4g}–{high:.4g} | {p.basis} |"
        )
    best = result.posterior.sort_values("weight", ascending=False).iloc[0]
    lines += [
        "",
        "| target | published [interval] | model at the best candidate | implausibility |",
        "|---|---|---|---|",
    ]
    for t in targets:
        lines.append(
            f"| `{t.id}` | {t.value:g} [{t.interval[0]:g}, {t.interval[1]:g}] "
            f"| {best[f'model:{t.id}']:.4g} | {best[f'I:{t.id}']:.2f} |"
        )
    lines += [
        "",
        "Posterior weights are exp(-sum of squared implausibilities / 2) over the last wave's "
        "survivors: a Gaussian reading of the implausibilities (an assumption).",
        "",
    ]
    report = "\n".join(lines)
    write_atomically(out / "report.md", lambda p: Path(p).write_text(report, encoding="utf-8"))
    manifest = {
        "command": "habitat calibrate",
        "method": "history matching (Andrianakis et al. 2015), Latin hypercube waves",
        "waves": args.waves,
        "candidates": args.candidates,
        "replications": args.replications,
        "seed": args.seed,
        "days_cap": args.days,
        "cutoff": args.cutoff,
        "parameters": [p.model_dump() for p in spec.parameters],
        "targets": [t.id for t in targets],
        "boxes": [{k: list(v) for k, v in box.items()} for box in result.boxes],
        "calibrated": result.calibrated,
        "ruled_out_all": result.ruled_out_all,
        "seconds": round(seconds, 1),
        "versions": package_versions((*VERSIONED_PACKAGES, "scipy")),
        "git_commit": git_commit(),
        "files": {
            "candidates": "candidates.csv",
            "posterior": "posterior.csv",
            "report": "report.md",
        },
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_atomically(out / "manifest.json", lambda p: Path(p).write_text(text, encoding="utf-8"))
    if not args.silent:
        print(report)
        print(f"written: {out}/candidates.csv, posterior.csv, report.md, manifest.json")

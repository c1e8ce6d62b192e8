"""Write a run's results to a folder: metrics, events, manifest."""

from __future__ import annotations

import json
import platform
import subprocess
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from habitat.files import write_atomically
from habitat.sim.run import SimulationResult

#: Packages whose versions decide the numbers; recorded in every manifest.
VERSIONED_PACKAGES = ("habitat", "mesa", "numpy", "pandas", "pydantic", "pyarrow")
#: Distribution names that differ from the import name ("habitat" on PyPI is another project).
DISTRIBUTIONS = {"habitat": "habitat-inclusif"}


def package_versions(packages: tuple[str, ...]) -> dict[str, str | None]:
    """The installed version of each package, by import name (None when not installed)."""
    versions: dict[str, str | None] = {}
    for package in packages:
        try:
            versions[package] = metadata.version(DISTRIBUTIONS.get(package, package))
        except metadata.PackageNotFoundError:
            versions[package] = None
    return versions


def git_commit() -> str | None:
    """The commit of the source tree this package runs from, if it is a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=here,
        capture_output=True,
        text=True,
        timeout=5,
    ).stdout.strip()
    return out.stdout.strip() + ("-dirty" if dirty else "")


def manifest(result: SimulationResult, source: str | None, overrides: Sequence[str]) -> dict:
    """What is needed to reproduce the run, and what it ran on."""
    versions = {"python": platform.python_version(), **package_versions(VERSIONED_PACKAGES)}
    return {
        "scenario_file": source,
        "overrides": list(overrides),
        "seed": result.seed,
        "replications": result.replications,
        "days": result.days,
        "scenario": result.scenario.model_dump(mode="json"),
        "versions": versions,
        "git_commit": git_commit(),
        "files": {
            "metrics": "metrics.parquet",
            "events": "events.csv" if result.events is not None else None,
        },
    }


def write_results(
    result: SimulationResult,
    out: Path,
    source: str | None = None,
    overrides: Sequence[str] = (),
) -> list[Path]:
    """Write metrics.parquet, events.csv (when kept) and manifest.json into `out`.

    Each file is written to a temporary name then renamed, so a reader never sees a
    half-written file.

    Returns:
        The paths written.
    """
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "metrics.parquet"]
    write_atomically(written[0], lambda p: result.metrics.to_parquet(p, index=False))
    events = result.events
    if events is not None:
        written.append(out / "events.csv")
        write_atomically(written[-1], lambda p: events.to_csv(p, index=False))
    written.append(out / "manifest.json")
    text = json.dumps(manifest(result, source, list(overrides)), indent=2, ensure_ascii=False)
    write_atomically(written[-1], lambda p: Path(p).write_text(text + "\n", encoding="utf-8"))
    return written

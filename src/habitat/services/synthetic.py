"""The synthetic twin: a habitat drawn from the model, for researchers and trainers.

The scenario is built from the pseudonymised extract as the twin's other runs
(`what_if.from_records`, today); `twin.synthetic.draw` turns it into synthetic
people and runs the model on a fictitious calendar; the files are written to a
new folder whole or not at all, and the extract is audited as leaving the records
("twin synthetic"). Only the animator and the host organisation may ask
(`Screen.TWIN`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import sqlite_utils

from habitat.files import current_umask, write_atomically
from habitat.services.access import User
from habitat.services.twin import DEFAULT_SEED, BadTwinRequest, habitat_of
from habitat.services.what_if import from_records
from habitat.store import audit
from habitat.store.pseudonymise import WINDOW_DAYS
from habitat.twin.synthetic import YEARS, draw
from habitat.twin.synthetic_db import write_database

__all__ = ["SyntheticExport", "check", "synthetic"]

#: The purpose the audit log records.
PURPOSE = "twin synthetic"
#: The database file's name in the folder, when asked.
DATABASE = "habitat.db"


@dataclass(frozen=True)
class SyntheticExport:
    """What was written.

    Attributes:
        out_dir: the folder.
        files: the file names, in the order written.
        seed: the seed used.
        years: the years the model ran.
        people: synthetic residents over the run.
        as_of: the day the records were read (never written into the files).
    """

    out_dir: Path
    files: list[str]
    seed: int
    years: int
    people: int
    as_of: date


def check(out_dir: Path | str, years: int, seed: int) -> Path:
    """Refuse bad years, a bad seed or a folder that holds files (BadTwinRequest naming it).

    Returns:
        The folder, as a path.
    """
    if not isinstance(years, int) or isinstance(years, bool) or years not in YEARS:
        raise BadTwinRequest(
            "years",
            f"{years!r} is not a number of years from {YEARS[0]} to {YEARS[-1]}",
            f"Durée : de {YEARS[0]} à {YEARS[-1]} ans.",
        )
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise BadTwinRequest(
            "seed", f"{seed!r} is not a whole number 0 or more", "Graine : un entier positif."
        )
    path = Path(out_dir)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise BadTwinRequest(
            "out",
            f"{str(path)!r} exists and is not an empty folder: nothing written",
            "Le dossier de sortie existe déjà et n'est pas vide.",
        )
    return path


def synthetic(
    db: sqlite_utils.Database,
    user: User,
    *,
    out_dir: Path | str,
    years: int = 2,
    seed: int = DEFAULT_SEED,
    database: bool = False,
) -> SyntheticExport:
    """Draw the habitat's synthetic twin and write it to `out_dir` (a new or empty folder).

    Args:
        db: the database.
        user: the animator or the host organisation.
        out_dir: the folder to create (or an empty one).
        years: years the model runs (1 to 3).
        seed: the seed (the same seed gives byte-identical files).
        database: also write `habitat.db`, the same habitat in the app's schema
            (its store timestamps say when it was written: not byte-identical).

    Raises:
        Forbidden: the role may not use the twin.
        BadTwinRequest: bad years, seed or folder; nobody lives in the habitat.
        InconsistentRecords: the records contradict each other.
    """
    from habitat.clock import today

    habitat_id = habitat_of(user)
    path = check(out_dir, years, seed)
    as_of = today()
    built = from_records(db, user, as_of)
    if not built.extract["residents"]:
        raise BadTwinRequest(
            "records",
            "no resident lives in the habitat today: there is nothing to draw from",
            "Aucun habitant n'est présent aujourd'hui : le jumeau synthétique n'a rien "
            "de quoi partir.",
        )
    activities = built.extract["activities"]
    outside = (
        activities["outside_per_week"] / activities["per_week"] if activities["per_week"] else 0.0
    )
    habitat = draw(
        built.scenario,
        seed=seed,
        years=years,
        outside_share=outside,
        conflict_kinds=built.extract["tensions"],
    )
    files: dict[str, bytes | Callable[[Path], object]] = dict(habitat.files())
    if database:
        files[DATABASE] = lambda partial: write_database(habitat, partial)
    _write_folder(path, files)
    window = f"{(as_of - timedelta(days=WINDOW_DAYS)).isoformat()}/{as_of.isoformat()}"
    audit.extracted(db, user.actor, habitat_id, PURPOSE, window)
    return SyntheticExport(path, list(files), seed, years, len(habitat.tables["residents"]), as_of)


def _write_folder(path: Path, files: dict[str, bytes | Callable[[Path], object]]) -> None:
    """Write every file into a hidden folder beside `path`, then rename it to `path`.

    A reader sees the whole folder or none of it; an empty `path` is replaced.
    """
    path = path.absolute()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"))
    try:
        for name, content in files.items():
            write_atomically(partial / name, content)
        os.chmod(partial, 0o777 & ~current_umask())
        if path.exists():
            path.rmdir()  # empty (checked): replaced whole
        os.replace(partial, path)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise

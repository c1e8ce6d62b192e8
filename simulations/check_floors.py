"""Install the lowest declared version of every dependency and run a smoke test.

`make check-floors`: a fresh venv in a temporary folder, the checkout installed with
its app and research extras under a constraint `NAME==FLOOR` for every `NAME>=FLOOR`
of pyproject.toml, then `habitat simulate` on a shipped scenario, `habitat db demo`,
and an import of every module (the app's pages excepted: they run on import).
Prints what was installed and whether the floors hold; exit status 0 when they do.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: A requirement's name (extras dropped) and its lower bound.
FLOOR = re.compile(r"^\s*([A-Za-z0-9_.-]+)(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")
IMPORT_ALL = """
import importlib, pkgutil, habitat
skipped = ("habitat.ui.app", "habitat.ui.pages")
names = [m.name for m in pkgutil.walk_packages(habitat.__path__, "habitat.")
         if not m.name.startswith(skipped)]
for name in names:
    importlib.import_module(name)
print(f"imported {len(names)} modules")
"""


def floors() -> dict[str, str]:
    """`{name: floor}` for every `>=` of the core and of the app and research extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = [
        *project["dependencies"],
        *project["optional-dependencies"]["app"],
        *project["optional-dependencies"]["research"],
    ]
    found = (FLOOR.match(requirement) for requirement in declared)
    return {m.group(1): m.group(2) for m in found if m}


def run(command: list[str], cwd: Path) -> None:
    """Run a step and echo it; stop with its output when it fails."""
    print("$", " ".join(command), flush=True)
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stdout[-4000:], done.stderr[-4000:], sep="\n")
        sys.exit(f"check-floors: failed: {' '.join(command)}")
    if done.stdout.strip():
        print(done.stdout.strip()[-2000:])


def main() -> None:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="habitat-floors-") as folder:
        base = Path(folder)
        constraints = base / "floors.txt"
        constraints.write_text("".join(f"{n}=={v}\n" for n, v in floors().items()))
        print(constraints.read_text())
        venv.create(base / "venv", with_pip=True)
        python = str(base / "venv" / "bin" / "python")
        habitat = str(base / "venv" / "bin" / "habitat")
        run(
            [
                python,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--constraint",
                str(constraints),
                f"{ROOT}[app,research]",
            ],
            cwd=base,
        )
        run([python, "-m", "pip", "list", "--format=freeze"], cwd=base)
        scenario = ROOT / "scenarios" / "elderly_baseline.yaml"
        run(
            [
                habitat,
                "simulate",
                str(scenario),
                "--days",
                "60",
                "-r",
                "5",
                "--seed",
                "1",
                "-q",
                "--out",
                str(base / "run"),
            ],
            cwd=base,
        )
        run([habitat, "db", "demo", "--db", str(base / "demo.db")], cwd=base)
        run([python, "-c", IMPORT_ALL], cwd=base)
    print(f"check-floors: the declared floors hold ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()

"""The optional parts of habitat-inclusif: which extra installs a module a command needs."""

from __future__ import annotations

import sys

#: The distribution's name on PyPI ("habitat" there is an unrelated project).
DISTRIBUTION = "habitat-inclusif"
#: Which extra installs each optional module (the core is `pip install habitat-inclusif`).
EXTRAS = {
    "streamlit": "app",
    "sqlite_utils": "app",
    "argon2": "app",
    "openpyxl": "app",
    "weasyprint": "app",
    "icalendar": "app",
    "SALib": "research",
    "scipy": "research",
    "dask": "research",
    "distributed": "research",
    "matplotlib": "research",
}


def missing_extra(command: str, error: ModuleNotFoundError) -> None:
    """Say in one line which extra to install.

    Args:
        command: the command that needed the module, e.g. `habitat serve`.
        error: the failed import; re-raised when its module is not an optional one
            (a missing core module is a broken install, and its traceback helps).

    """
    module = (error.name or "").partition(".")[0]
    extra = EXTRAS.get(module)
    if extra is None:
        raise error
    print(
        f"{command}: error: {module} is not installed; this command needs the "
        f"'{extra}' extra: pip install '{DISTRIBUTION}[{extra}]'",
        file=sys.stderr,
    )

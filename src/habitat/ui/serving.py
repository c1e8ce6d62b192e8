"""What `habitat serve` starts: the packaged app script and its production Streamlit settings."""

from __future__ import annotations

import importlib.util
import tomllib
from importlib import resources
from pathlib import Path

#: The app's entry script, shipped inside the package (the checkout's app.py runs it too).
APP = Path(str(resources.files("habitat.ui") / "app.py"))
#: What `habitat serve` runs: `APP` behind the middleware that serves the page in French.
SERVED = Path(str(resources.files("habitat.ui") / "habitat_app.py"))
#: The production settings, one file: `habitat serve` passes them as flags, and the
#: checkout's `.streamlit/config.toml` (read by `streamlit run app.py`) links to it.
SETTINGS = "streamlit_config.toml"


def settings() -> dict[str, dict[str, object]]:
    """The shipped Streamlit settings, by section (`server`, `client`, ...)."""
    text = (resources.files("habitat.ui") / SETTINGS).read_text(encoding="utf-8")
    return tomllib.loads(text)


def streamlit_flags() -> list[str]:
    """The shipped settings as `streamlit run` flags, e.g. `--server.enableXsrfProtection=true`.

    Flags outrank any `.streamlit/config.toml` in the working folder or the home folder,
    so the production settings hold wherever `habitat serve` is started.

    Raises:
        ModuleNotFoundError: Streamlit is not installed (the `app` extra), so there is
            nothing to pass the flags to.
    """
    if importlib.util.find_spec("streamlit") is None:
        raise ModuleNotFoundError("No module named 'streamlit'", name="streamlit")
    return [
        f"--{section}.{name}={_flag_value(value)}"
        for section, options in settings().items()
        for name, value in options.items()
    ]


def _flag_value(value: object) -> str:
    # TOML booleans are Python's True/False; Streamlit's flags expect true/false.
    return str(value).lower() if isinstance(value, bool) else str(value)

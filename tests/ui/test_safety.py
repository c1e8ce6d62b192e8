"""What protects the browser: production config, no raw HTML, the core free of Streamlit."""

from __future__ import annotations

import subprocess
import sys
import tomllib

from .conftest import ROOT

UI = ROOT / "src" / "habitat" / "ui"


def test_production_config_hides_tracebacks_and_keeps_xsrf_protection():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] <= 200


def test_serve_passes_the_checkout_config_as_flags():
    # `streamlit run app.py` reads the checkout's file; `habitat serve` passes flags: same settings.
    from habitat.ui.serving import streamlit_flags

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    flags = {flag.removeprefix("--").partition("=")[::2] for flag in streamlit_flags()}
    expected = {
        (f"{section}.{name}", str(value).lower() if isinstance(value, bool) else str(value))
        for section, options in config.items()
        for name, value in options.items()
    }
    assert flags == expected
    assert ("server.enableXsrfProtection", "true") in flags
    assert ("client.showErrorDetails", "none") in flags


def test_no_page_renders_raw_html():
    # One exception: the session's hand-over script (`session.post_script`), tested below.
    calls = ("unsafe_allow_html=True", "st.html(", "components.html(")
    offenders = [
        path.relative_to(ROOT)
        for path in [*UI.rglob("*.py"), ROOT / "app.py"]
        if path != UI / "session.py" and any(call in path.read_text() for call in calls)
    ]
    assert offenders == []
    assert (UI / "session.py").read_text().count("st.html(") == 1


def test_the_hand_over_script_cannot_be_broken_out_of():
    from habitat.ui.session import post_script

    script = post_script("/_habitat/session/claim", "</script><img src=x onerror=alert(1)>")
    assert script.count("<") == 2  # <script> and </script>, nothing in between
    assert script.startswith("<script>fetch(") and script.endswith(");</script>")


def test_simulation_store_and_services_never_import_streamlit():
    code = (
        "import sys, habitat.sim, habitat.store, habitat.services.access, "
        "habitat.services.records, habitat.services.auth; "
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"

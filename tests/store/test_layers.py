"""The store is the bottom layer: importing it loads nothing above it."""

from __future__ import annotations

import subprocess
import sys

import pytest

#: Modules the store must not load: the scenario, the demo, the model, the app's toolkit.
ABOVE_THE_STORE = ("habitat.scenario", "habitat.demo", "habitat.sim", "streamlit")


@pytest.mark.parametrize("module", ["habitat.store", "habitat.domain"])
def test_the_lower_layers_load_nothing_above_them(module):
    code = (
        f"import sys, {module}; "
        f"loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'streamlit' "
        f"or m.startswith({ABOVE_THE_STORE!r})); "
        "print(loaded)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", f"import {module} loaded {done.stdout.strip()}"

"""The checkout's entry for `streamlit run app.py`: it runs the packaged app, `habitat.ui.app`.

The app itself ships inside the package so that `habitat serve` works from any install;
Streamlit reruns this file on every interaction, so the module is run, not imported.
"""

import runpy

runpy.run_module("habitat.ui.app", run_name="__main__")

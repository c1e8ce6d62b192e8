"""Temps et AVP: the animator's time by support function, the AVP budget, the yearly report.

The screen is built in `habitat.ui.screens.time_avp`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.time_avp import render

shell.page(Screen.TIME, render)

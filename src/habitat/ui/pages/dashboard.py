"""Tableau de bord: today and this week at a glance, with what needs attention.

The screen is built in `habitat.ui.screens.dashboard`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.dashboard import render

shell.page(Screen.DASHBOARD, render)

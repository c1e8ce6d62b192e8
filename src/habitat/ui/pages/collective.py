"""Vie collective: activities, attendance, participation, bookings, house rules and the PVSP.

The screen is built in `habitat.ui.screens.collective`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.collective import render

shell.page(Screen.COLLECTIVE, render)

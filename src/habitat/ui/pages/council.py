"""Conseil des habitants: meetings (agenda, minutes, attendees), decisions and their follow-up.

The screen is built in `habitat.ui.screens.council`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.council import render

shell.page(Screen.COUNCIL, render)

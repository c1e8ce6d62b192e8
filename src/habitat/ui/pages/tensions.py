"""Tensions: log a tension, follow up its regulation and close it; tensions by type over time.

The screen is built in `habitat.ui.screens.tensions`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.tensions import render

shell.page(Screen.TENSIONS, render)

"""Intervenants: the provider directory (own vs habitat-chosen) and who comes when, per resident.

The screen is built in `habitat.ui.screens.providers`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.providers import render

shell.page(Screen.PROVIDERS, render)

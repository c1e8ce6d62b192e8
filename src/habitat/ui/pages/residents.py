"""Habitants: the residents' list, each resident's file, support plan and history.

The screen is built in `habitat.ui.screens.residents`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.residents import render

shell.page(Screen.RESIDENTS, render)

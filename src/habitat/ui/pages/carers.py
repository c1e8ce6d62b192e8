"""Proches: family members and carers, what they do, their consent, and how much rests on them.

The screen is built in `habitat.ui.screens.carers`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.carers import render

shell.page(Screen.CARERS, render)

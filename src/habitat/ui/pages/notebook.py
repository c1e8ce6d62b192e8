"""Cahier de liaison: read the notes one may see, filtered and paged, and write one.

The screen is built in `habitat.ui.screens.notebook`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.notebook import render

shell.page(Screen.NOTEBOOK, render)

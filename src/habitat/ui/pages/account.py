"""Mon compte: who I am signed in as, and changing my password.

The screen is built in `habitat.ui.screens.account`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.account import render

shell.page(Screen.ACCOUNT, render)

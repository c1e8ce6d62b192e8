"""Administration: accounts and roles, backup and restore, a resident's export and erasure.

The screen is built in `habitat.ui.screens.admin`: a page file this small is
parsed in no time on each rerun.
"""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.admin import render

shell.page(Screen.ADMIN, render)

"""Et si… pour mon habitat: the habitat's scenario and shocks (in `habitat.ui.screens.what_if`)."""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.what_if import render

shell.page(Screen.WHAT_IF, render)

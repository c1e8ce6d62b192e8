"""Explorer un projet: the scenario explorer (screen in `habitat.ui.screens.explorer`)."""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.explorer import render

shell.page(Screen.EXPLORER, render)

"""Le modèle de mon habitat: backtest and forecast (in `habitat.ui.screens.twin`)."""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.twin import render

shell.page(Screen.TWIN, render)

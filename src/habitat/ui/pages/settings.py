"""Paramètres de l'habitat (built in `habitat.ui.screens.settings`)."""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.settings import render

shell.page(Screen.SETTINGS, render)

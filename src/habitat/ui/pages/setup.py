"""Mise en place: the set-up assistant (built in `habitat.ui.screens.setup`)."""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.setup import render

shell.page(Screen.SETUP, render)

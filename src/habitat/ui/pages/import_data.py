"""Importer des données: residents, carers and providers from a CSV or Excel file."""

from habitat.services.access import Screen
from habitat.ui import shell
from habitat.ui.screens.imports import render

shell.page(Screen.IMPORT, render)

"""What `habitat serve` runs: the app script (`app.py`) served behind `FrenchPage`.

`streamlit run` finds the `st.App` below and serves it (Starlette, uvicorn), with
the same flags and settings as a plain script, plus the session cookie's routes
(`habitat.ui.session_routes`). It imports this file as a top-level module named
after it: hence a name no installed package has.
"""

import streamlit as st
from starlette.middleware import Middleware

from habitat.ui.french import FrenchPage
from habitat.ui.serving import APP
from habitat.ui.session_routes import ROUTES

app = st.App(APP, routes=ROUTES, middleware=[Middleware(FrenchPage)])

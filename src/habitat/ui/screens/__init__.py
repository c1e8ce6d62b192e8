"""The screens' code, one module per page: each page file only runs its screen.

Streamlit parses a page file on every rerun in tests (AppTest) and on first
load; a page file of three lines keeps that cheap whatever the screen's size.
"""

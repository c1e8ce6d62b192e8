"""Habitat-management rules over the store: access by role, accounts, reports.

No Streamlit and no SQL beyond the store's calls: pages call these functions.
"""

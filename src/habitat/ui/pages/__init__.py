"""One Streamlit page per screen; each file is run by `st.navigation` from `app.py`."""

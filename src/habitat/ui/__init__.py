"""The management tool's Streamlit screens (in French): pages call services and the store."""

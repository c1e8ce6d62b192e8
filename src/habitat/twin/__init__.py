"""The habitat's own model: what its records say happened, against what the model expected.

Pure functions over the store's pseudonymised observations
(`habitat.store.pseudonymise.observations`) and the simulation's results: no
database, no Streamlit. `habitat.services.twin` joins them to the records.
"""

"""The ROR domain: database, rules and services, with no Streamlit import."""

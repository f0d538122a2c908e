"""The netmap app: ``streamlit run app.py`` (or ``netmap serve``)."""

import streamlit as st

from netmap.store import open_store

st.set_page_config(page_title="netmap", layout="wide")
st.title("netmap")
store = open_store()
counts = store.counts()
st.write(f"Store: `{store.url}`")
st.dataframe({kind.value: [n] for kind, n in counts.items()})

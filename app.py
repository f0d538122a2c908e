"""The netmap app: ``netmap serve`` runs it, and so does ``streamlit run app.py``.

It opens the store named by ``NETMAP_STORE`` (default: the embedded store in your data
folder, loaded with the demo network on the very first start) and shows the pages of
``netmap/ui/pages``; the Network page comes first.
"""

import streamlit as st

from netmap.ui import common

st.set_page_config(
    page_title="netmap",
    page_icon="🕸️",
    layout="wide",
    initial_sidebar_state="expanded",
)

store = common.store()
with common.reporting_errors():
    common.first_run(store)

pages = [
    st.Page(page.path, title=page.title, icon=page.icon, url_path=page.name, default=i == 0)
    for i, page in enumerate(common.PAGES)
]
current = st.navigation(pages)
common.sidebar_footer(store)
current.run()

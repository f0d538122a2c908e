"""The netmap app: ``netmap serve`` runs it, and so does ``streamlit run app.py``.

It opens the store named by ``NETMAP_STORE`` (default: the embedded store in your data
folder, loaded with the demo network on the very first start) and shows the pages of
``netmap/ui/pages`` that the user's role may open, in the session's language; the Network
page comes first. In team mode (the store has accounts, or ``NETMAP_MODE=team``) nothing
but the sign-in screen is shown until someone has signed in.
"""

import streamlit as st

from netmap.i18n import gettext as _
from netmap.ui import access, cached, demo, language, stores, widgets
from netmap.ui.navigation import PAGES

st.set_page_config(
    page_title="netmap",
    page_icon="🕸️",
    layout="wide",
    initial_sidebar_state="expanded",
)
language.speak_for_this_run()  # before the first word: the refusals below are words too

# A browser that names this server by a name it does not answer to (DNS rebinding) is
# refused before anything is read: the mode is not known yet, so any allowed name passes
# here and the sign-in gate holds local mode to this computer's names.
access.host_gate(team=True)
stores.raw_store()  # stops with one clear message when the store cannot be opened
language.language_picker()
if not access.let_in():
    gate = st.Page(access.sign_in_gate, title=_("Sign in"), url_path="sign-in", default=True)
    st.navigation([gate], position="hidden").run()
    st.stop()

store = access.guarded_store()
with widgets.reporting_errors():
    demo.first_run(store)

pages = [
    st.Page(page.path, title=_(page.title), icon=page.icon, url_path=page.name, default=i == 0)
    for i, page in enumerate(PAGES)
    if access.allowed(page.role)
]
current = st.navigation(pages)
widgets.include_modelled_choice()
widgets.sidebar_footer(store)
current.run()
cached.prepare_other_pages(store)

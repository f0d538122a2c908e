"""The app's store: which one, opened once per server, and one clear message when it fails.

The store is opened once per URL (``st.cache_resource``, shared by every session; the
SQLite store opens a connection per call, so it is safe across threads). Pages see it
through the current role: :func:`netmap.ui.access.guarded_store`.
"""

from __future__ import annotations

import logging

import streamlit as st

from netmap.errors import NetmapError
from netmap.i18n import gettext as _
from netmap.store import default_store_url, open_store, shown_url
from netmap.store.base import GraphStore
from netmap.ui.browser import on_this_computer
from netmap.ui.text import md


@st.cache_resource(show_spinner=False)
def _open_store(url: str) -> GraphStore:
    store = open_store(url)
    # A damaged SQLite file is refused here, with one message, rather than by whichever
    # page first reads a damaged row (checked once per server, when the store is opened).
    check = getattr(store, "check_readable", None)
    if check is not None:
        check()
    return store


def raw_store() -> GraphStore:
    """Return the app's store; on failure, stop the page with one clear message.

    The message names the store (scheme, host and port) and the reason only to a
    browser on the computer netmap runs on: anyone else, not signed in yet, learns that
    the store is unavailable and nothing about where it is. The reason goes to the
    server's log as well. Outside a Streamlit run (bare mode: ``python app.py``, a
    script), where ``st.stop()`` does not stop, the store's error is raised instead.
    """
    url = default_store_url()
    try:
        store = _open_store(url)
        store.revision()
    except NetmapError as error:
        logging.getLogger(__name__).error("cannot open the store: %s", error)
        if on_this_computer():
            st.error(
                _("netmap cannot open its store `%(store)s`.") % {"store": shown_url(url)}
                + f"\n\n{md(str(error))}\n\n"
                + _(
                    "Check the address (`--store` or `NETMAP_STORE`), that the file is a "
                    "netmap store, or that the Neo4j server is running and reachable; then "
                    "reload this page."
                )
            )
        else:
            st.error(
                _(
                    "netmap cannot open its store just now. The person who runs it can see "
                    "why in its log; try again later."
                )
            )
        st.stop()
        raise  # reached only in bare mode, where st.stop() returns
    return store

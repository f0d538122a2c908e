"""The language each session's pages speak, and the sidebar's picker that changes it.

A first visit speaks what the server was told to (``NETMAP_LANG``), else the first of the
browser's languages (its ``Accept-Language``) that netmap speaks, else English. Choosing
another in the sidebar holds for the rest of the session. Every run of the script sets it
again (:func:`speak_for_this_run`): the current language is a context variable, and each
run of a Streamlit script starts in a thread of its own.
"""

from __future__ import annotations

import streamlit as st

from netmap.i18n import LANGUAGES, choose_language, current_language, language_name, set_language
from netmap.i18n import gettext as _

#: The session's chosen language, the picker's widget key.
LANGUAGE_KEY = "netmap-language"


def session_language() -> str:
    """The language this session speaks: the one chosen in the picker, else the server's
    default (``NETMAP_LANG``), else the browser's, else English."""
    chosen = st.session_state.get(LANGUAGE_KEY)
    accept = st.context.headers.get("Accept-Language")
    return choose_language(
        chosen if chosen in LANGUAGES else None,
        accept=accept if isinstance(accept, str) else None,
    )


def speak_for_this_run() -> str:
    """Make the session's language current for this run of the script; return it."""
    spoken = session_language()
    set_language(spoken)
    return spoken


def language_picker() -> None:
    """The sidebar's choice of language, each named in itself (``български``), so that
    someone who cannot read the current one still finds theirs; it shows the language
    :func:`speak_for_this_run` made current at the start of this run."""
    if LANGUAGE_KEY not in st.session_state:
        st.session_state[LANGUAGE_KEY] = current_language()
    st.sidebar.selectbox(
        # Translators: the label of the language picker; an icon of a globe stands beside it.
        ":material/translate: " + _("Language"),
        LANGUAGES,
        format_func=_own_name,
        key=LANGUAGE_KEY,
    )


def _own_name(language: str) -> str:
    name = language_name(language)
    return name[:1].upper() + name[1:]

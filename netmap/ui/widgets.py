"""What many pages show: the institution picker, the choice of modelled records, table
downloads, links to an institution's profile, the sidebar's footer, and netmap errors as
one clear message."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from netmap import directory
from netmap.errors import NetmapError
from netmap.export import csv_bytes
from netmap.i18n import N_, format_number
from netmap.i18n import gettext as _
from netmap.model import fold
from netmap.store import shown_url
from netmap.store.base import GraphStore
from netmap.ui import cached
from netmap.ui.access import current_user_record, mode, role_label, sign_out
from netmap.ui.navigation import PAGES
from netmap.ui.text import md

#: More choices than this make a select box slow to send and to open in the browser
#: (a hundred thousand institutions take seconds): past it, a search field comes first.
CHOICES_LIMIT = 1000


def choose_institution(
    store: GraphStore,
    label: str,
    *,
    key: str,
    ids: list[str] | None = None,
    placeholder: str | None = None,
    help: str | None = None,
    required: bool = False,
    container: Any = st,
) -> str | None:
    """A select box of institutions (all, or ``ids``), with a search field first when many.

    The search matches every word of what is typed, in any script and without accents,
    against the name, the local name, the city, the country and the id. ``placeholder``
    is in the current language (by default "Choose an institution (type to search)").
    """
    if placeholder is None:
        placeholder = _("Choose an institution (type to search)")
    names = cached.institution_names(store)
    options = list(names) if ids is None else ids
    if len(options) > CHOICES_LIMIT:
        options, placeholder = _matches(store, label, key, options, help, container)
    return container.selectbox(
        label,
        options,
        index=0 if required and options else None,
        format_func=names.get,
        key=key,
        placeholder=placeholder,
        help=help,
    )


def _matches(
    store: GraphStore, label: str, key: str, ids: list[str], help: str | None, container: Any
) -> tuple[list[str], str]:
    """A search field for :func:`choose_institution`; the choices it leaves, a placeholder."""
    names = cached.institution_names(store)
    query = container.text_input(
        # Translators: the search field of a choice of institutions; %(label)s is the
        # choice's label.
        _("%(label)s: search") % {"label": label},
        key=f"{key}-search",
        placeholder=_("Part of a name or a city, in any script (%(count)s institutions)")
        % {"count": format_number(len(ids))},
        help=help,
    )
    matches = []
    if fold(query):  # some word to look for, not only punctuation
        wanted = set(ids) if len(ids) < len(names) else None
        matches = directory.names_matching(cached.folded_names(store), query, wanted)
        if not matches:
            container.caption(_("No institution matches: try fewer or shorter words."))
    chosen = st.session_state.get(key)  # kept, so a new search does not undo the choice
    options = list(dict.fromkeys([*([chosen] if chosen in names else []), *matches]))
    if not options:
        return [], _("Type in the search field first")
    return options, _("Choose one of the matches")


def include_modelled() -> bool:
    """Whether the user chose to count modelled records (illustrations, not facts) in the
    analyses (the sidebar's checkbox, remembered for the session)."""
    return bool(st.session_state.get(INCLUDE_MODELLED_KEY, False))


INCLUDE_MODELLED_KEY = "include-modelled"


def include_modelled_choice() -> None:
    """The sidebar's checkbox that counts modelled records in the analyses."""
    with st.sidebar:
        st.checkbox(
            _("Include modelled records"),
            key=INCLUDE_MODELLED_KEY,
            help=_(
                "Records marked *modelled* are illustrations, not facts: every analysis "
                "leaves them out unless you tick this. Whatever you choose, each page says "
                "so where it matters."
            ),
        )


def modelled_note() -> None:
    """Say on an analysis that modelled records are counted, when they are."""
    if include_modelled():
        st.caption(
            ":material/science: "
            + _("Modelled records (illustrations, not facts) are included (see the sidebar).")
        )


def csv_download(frame, file_name: str, label_text: str | None = None, key: str = "") -> None:
    """A download button for a table, as :func:`csv_bytes`, written when it is clicked:
    the Gaps page's tables of a hundred thousand institutions took two seconds to write
    on every run. ``label_text`` is in the current language ("Download as CSV" by
    default)."""
    st.download_button(
        label_text if label_text is not None else _("Download as CSV"),
        data=functools.partial(csv_bytes, frame),
        file_name=file_name,
        mime="text/csv",
        key=key or f"download-{file_name}",
        icon=":material/download:",
    )


#: The query parameter that opens an institution's profile on the Directory page.
PROFILE_PARAMETER = "institution"


#: The default label of :func:`profile_link` (translated where shown).
OPEN_PROFILE = N_("Open its profile")


def profile_link(institution_id: str, label: str | None = None, container: Any = st) -> None:
    """A link to ``institution_id``'s profile on the Directory page, in the same tab and
    session (``?institution=ID``, which the Directory reads once); ``label`` in the
    current language ("Open its profile" by default)."""
    if label is None:
        label = _(OPEN_PROFILE)
    directory = next(page for page in PAGES if page.name == "directory")
    try:
        container.page_link(
            str(directory.path),
            label=label,
            icon=":material/menu_book:",
            query_params={PROFILE_PARAMETER: institution_id},
        )
    except StreamlitPageNotFoundError:
        # A page run on its own (``streamlit run`` of one page file, AppTest) has no
        # Directory page to link to: the address the app gives it does the same.
        container.markdown(
            f"[{md(label)}](/{directory.name}?{PROFILE_PARAMETER}={quote(institution_id)})"
        )


# --- page frame -----------------------------------------------------------------------


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Show a netmap error as one clear message instead of a traceback."""
    try:
        yield
    except NetmapError as error:
        st.error(str(error))


def run_page(main: Callable[[], None]) -> None:
    """Run a page's ``main`` with netmap errors shown as messages."""
    with reporting_errors():
        main()


def sidebar_footer(store: GraphStore) -> None:
    """Say in the sidebar which store this is, who is signed in, and in which mode."""
    user = current_user_record()
    with st.sidebar:
        values = {
            "store": shown_url(store.url),
            "name": md(user.name),
            "role": role_label(str(user.role)),
        }
        if mode() == "team":
            st.caption(
                _("Store: `%(store)s`") % values
                + "  \n"
                + _("Signed in as **%(name)s** (%(role)s), team mode") % values
            )
            if st.button(_("Sign out"), key="sign-out", icon=":material/logout:"):
                sign_out()
        else:
            st.caption(
                _("Store: `%(store)s`") % values
                + "  \n"
                + _("You: %(name)s, %(role)s (local mode: this computer only)") % values
            )

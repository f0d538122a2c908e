"""The network graph in the page: vis-network as a Streamlit component that answers back.

Streamlit's components v2 run in the app page itself, not in a sandboxed frame, so the
component's HTML, style and script are netmap's own constant files (``assets/``) and
vis-network's, never a user's text; the drawing travels as JSON data, and the script
builds what it shows from it with ``textContent`` and vis-network's canvas labels (see
``assets/network_graph.js``). What the user does comes back as values of the result:
``clicked`` (the id of a node just clicked) and ``positions`` (where each node drawn so
far stands, ``{id: [x, y]}``). The words of the toolbar and the labels for screen readers
travel with the data too (``texts``), in the language of the session: the HTML file is
registered once for every session and holds no words of its own.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from netmap import viz
from netmap.i18n import gettext as _

_ASSETS = Path(__file__).parent / "assets"
NAME = "netmap_network_graph"

# vis-network is a UMD bundle: given a module and its exports, it fills them instead of
# setting a global ``vis`` on the app page.
_VIS_AS_MODULE = "const module = { exports: {} };\nconst exports = module.exports;\n"
_VIS_EXPORTED = "\nconst vis = module.exports;\n"


@functools.cache
def _component() -> Any:
    """Register the component once per process (Streamlit registers it again on the
    runtime of each script run that needs it)."""
    script, style = viz.vis_network_assets()
    own = _ASSETS / "network_graph"
    return st.components.v2.component(
        NAME,
        html=own.with_suffix(".html").read_text(encoding="utf-8"),
        css=style + "\n" + own.with_suffix(".css").read_text(encoding="utf-8"),
        js=_VIS_AS_MODULE + script + _VIS_EXPORTED + own.with_suffix(".js").read_text("utf-8"),
        isolate_styles=True,
    )


def texts() -> dict[str, str]:
    """The component's own words, in the current language (``assets/network_graph.js``
    puts them in with ``textContent`` and attributes, never as HTML)."""
    return {
        # Translators: a button of the graph: zoom out to show every institution drawn.
        "fit": _("Whole view"),
        "fit_title": _("Show every institution of this view"),
        "png": _("Download PNG"),
        "png_title": _("Save what the graph shows, with its legend, as a PNG picture"),
        "canvas": _("Graph of institutions and their ties"),
        # Translators: read by screen readers: the list of colours and shapes under the graph.
        "legend": _("Legend"),
    }


def network_graph(
    drawing: viz.Drawing,
    *,
    key: str,
    on_click: Callable[[], None],
    on_move: Callable[[], None],
    selected: str | None = None,
    focus: Mapping[str, Any] | None = None,
    positions: Mapping[str, Any] | None = None,
    height: int = 560,
    file_name: str = "netmap-network",
) -> Any:
    """Show ``drawing`` as a live graph; return the component's result.

    ``selected`` is the institution shown as selected; ``focus`` (``{"id", "request"}``)
    asks to centre on one, once per new ``request`` number; ``positions`` are where nodes
    stood before (:func:`positions_of`), kept so that nothing moves when the view
    changes. ``on_click`` runs when a node is clicked, ``on_move`` when the positions
    change (a layout settled, a node dragged); both read :func:`clicked` or
    :func:`positions_of` of ``key``. The PNG the graph's button saves is ``file_name``.png.
    """
    data = viz.live_data(drawing)
    data.update(
        selected=selected,
        focus=dict(focus) if focus else None,
        positions=dict(positions or {}),
        height=height,
        file=file_name,
        texts=texts(),
    )
    return _component()(
        key=key,
        data=data,
        on_clicked_change=on_click,
        on_positions_change=on_move,
        height="content",
    )


def clicked(key: str) -> str | None:
    """The institution just clicked in the graph of ``key`` (None when none was)."""
    value = st.session_state.get(key) or {}
    found = value.get("clicked") if isinstance(value, Mapping) else None
    return str(found) if found else None


def positions_of(key: str) -> dict[str, list[float]]:
    """Where each node drawn so far by the graph of ``key`` stands: ``{id: [x, y]}``."""
    value = st.session_state.get(key) or {}
    found = value.get("positions") if isinstance(value, Mapping) else None
    if not isinstance(found, Mapping):
        return {}
    return {
        str(node): [float(xy[0]), float(xy[1])]
        for node, xy in found.items()
        if isinstance(xy, (list, tuple))
        and len(xy) == 2
        and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in xy)
    }

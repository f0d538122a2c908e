"""Where the browser is: on the computer netmap runs on or another, and the name it used.

Local mode answers only to this computer; both modes refuse a Host header the app does not
answer to (DNS rebinding). The gate (:mod:`netmap.ui.access`) decides with these, and the
store's error message (:mod:`netmap.ui.stores`) names the store only to this computer.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import streamlit as st

from netmap.serve import LOOPBACK_NAMES, allowed_hosts


def from_elsewhere(address: object) -> bool:
    """True when ``address`` (``st.context.ip_address``) is another computer's.

    Streamlit gives None for a browser on this computer; anything that is not an IP
    address text (as under AppTest) counts as this computer too. A server listening on
    ``::`` sees this computer's IPv4 loopback as ``::ffff:127.0.0.1``: that is this
    computer as well.
    """
    if not isinstance(address, str):
        return False
    try:
        found = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return True
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        found = found.ipv4_mapped
    return not found.is_loopback


def host_header() -> str | None:
    """The Host header the browser sent (None outside a browser's request: AppTest, the
    server's own health check)."""
    value = st.context.headers.get("Host")
    return value if isinstance(value, str) else None


def host_allowed(header: str | None, team: bool) -> bool:
    """True when a browser that sent Host ``header`` may use the app.

    A page of another site whose name is made to resolve to this computer (DNS
    rebinding) reaches the server with that site's name in its Host header. Local mode
    answers only to this computer's names (``localhost``, ``127.0.0.1``, ``[::1]``);
    team mode also to the names configured for it (``serve --allowed-host``,
    ``NETMAP_ALLOWED_HOSTS``). Streamlit refuses the same names at the WebSocket when
    ``netmap serve`` started it; this is the app's own check, also for ``streamlit run``.
    """
    if header is None:
        return True
    try:
        parts = urlsplit(f"//{header}")
        name = parts.hostname
        _ = parts.port  # a port that is not a number is refused
    except ValueError:
        return False
    if not name or parts.username is not None or parts.password is not None or parts.path:
        return False
    name = name.rstrip(".")
    if name in LOOPBACK_NAMES:
        return True
    return team and name in allowed_hosts()[len(LOOPBACK_NAMES) :]


def on_this_computer() -> bool:
    """True when the browser runs on the computer netmap runs on, and names it so."""
    return not from_elsewhere(st.context.ip_address) and host_allowed(host_header(), False)

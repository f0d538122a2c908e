"""Store URLs taken apart without losing a password in them, and shown without one.

A Neo4j URL may carry ``user:password@``. A password is whatever its owner chose, ``/``,
``#``, ``?`` and ``@`` included; a URL parser reads those as the start of the path, the
fragment or the query, and then takes part of the password for the server's name, and
the message about it prints the password. Here the credentials end at the *last* ``@``
before the server, so a password needs no escaping except ``%`` (write ``%25``); it may
also stay out of the URL altogether, in ``NETMAP_NEO4J_PASSWORD``.

:func:`shown_url` is the only form of a store URL an error message or a page shows:
scheme, host and port, never a user, a password or anything else from the URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

#: The schemes of a Neo4j server's URL.
NEO4J_SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")


@dataclass(frozen=True)
class SplitURL:
    """A server URL in three parts: ``scheme://userinfo@rest``.

    ``userinfo`` is everything before the last ``@`` (empty when there is none), as
    written (percent-escapes not yet decoded); ``rest`` is the server, port, path and
    query.
    """

    scheme: str
    userinfo: str
    rest: str

    @property
    def user(self) -> str | None:
        """The user as written (before a ``:``), or None."""
        return self.userinfo.partition(":")[0] if self.userinfo else None

    @property
    def password(self) -> str | None:
        """The password as written (after the first ``:``), or None when there is none."""
        if ":" not in self.userinfo:
            return None
        return self.userinfo.partition(":")[2]


def split_url(url: str) -> SplitURL:
    """Split ``url`` at ``://`` and at the last ``@`` of what follows (see the module)."""
    scheme, _, after = url.partition("://")
    userinfo, at, rest = after.rpartition("@")
    return SplitURL(scheme.lower(), userinfo if at else "", rest)


def shown_url(url: str) -> str:
    """Return ``url`` as a message or a page may show it: scheme, host and port.

    A SQLite URL or path is shown as it is (a file name holds no secret). A server URL
    loses its user, password, database and options; one too malformed to find its host
    in shows as ``scheme://…``.
    """
    if "://" not in url or url.startswith("sqlite:"):
        return url
    parts = split_url(url)
    try:
        server = urlsplit(f"//{parts.rest}")
        host, port = server.hostname, server.port
    except ValueError:
        host, port = None, None
    if not host or any(ch in host for ch in "/?#@ "):
        return f"{parts.scheme}://…"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}:{port}" if port else f"{parts.scheme}://{host}"

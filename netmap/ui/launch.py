"""Streamlit's command line, with this computer's addresses never looked up on the internet.

``netmap serve`` runs ``python -m netmap.ui.launch run app.py …`` instead of ``python -m
streamlit run …``. Streamlit asks an internet service (checkip.amazonaws.com, over plain
HTTP) for this computer's public address in two places: the "External URL" it prints at
start, which netmap's settings already turn off (``browser.serverAddress`` is always
set), and, later, the check of a WebSocket whose Origin is not the page's own: any web
page a user visits can make the server ask. netmap's README promises that nothing leaves
the computer, so both lookups answer "unknown" here; a browser on another computer then
reaches netmap only by a name it was told (``--allowed-host``), never by a guessed
address.
"""

from __future__ import annotations

import sys


def _unknown() -> None:
    return None


def main() -> None:
    from streamlit import net_util
    from streamlit.web import cli

    net_util.get_external_ip = _unknown
    net_util.get_internal_ip = _unknown
    sys.exit(cli.main(prog_name="streamlit"))


if __name__ == "__main__":
    main()

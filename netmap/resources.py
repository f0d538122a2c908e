"""Where netmap's bundled files are: the taxonomy, the demo network and the Cypher.

In a source checkout they sit at the top of the repository; a built wheel carries them
inside the package (see ``force-include`` in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def bundled(name: str) -> Path:
    """Return the path of the bundled folder or file ``name`` (``data``, ``queries``, ``app.py``)."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.exists():
            return candidate
    raise FileNotFoundError(f"netmap's bundled {name!r} is missing from {_PACKAGE}")


def data_file(*parts: str) -> Path:
    """Return the path of a file under the bundled ``data`` folder."""
    return bundled("data").joinpath(*parts)

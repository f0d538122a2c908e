"""Names a package offers but imports only when first used."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import Any


def lazy_attributes(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """Return a module ``__getattr__`` for ``package`` that imports each name of ``homes``
    from its module (``homes[name]``) the first time it is asked for, then keeps it.

    So that importing a package, or one of its modules, does not import everything the
    package offers: netmap's analysis brings SciPy along, half a second the app's first
    page need not wait for.
    """

    def __getattr__(name: str) -> Any:
        if name not in homes:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(homes[name]), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__

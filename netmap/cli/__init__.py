"""The ``netmap`` command: a thin layer over the library.

Each command parses its options, calls library functions and prints their result. Every
error a user can cause becomes one clear line on stderr and exit status 1. The app is
:data:`netmap.cli.main.app`; :mod:`netmap.cli.base` holds what the commands share.
"""

from netmap.cli.main import app, main

__all__ = ["app", "main"]

"""``python -m netmap`` runs the same command as ``netmap``."""

from netmap.cli import main

main()

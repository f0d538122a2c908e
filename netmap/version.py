"""netmap's version: read by the package, the CLI and the Neo4j store (which names itself
to the server), none of which need import anything else for it."""

__version__ = "0.1.0"

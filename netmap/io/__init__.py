"""Import and export of the table format, JSON and graph files."""

from netmap.io.export import FORMATS, export_network
from netmap.io.importer import ImportReport, import_into, read_source

__all__ = ["FORMATS", "ImportReport", "export_network", "import_into", "read_source"]

"""The table format, read: folders of CSV files, zips and xlsx workbooks, validated and
imported all or nothing. (Writing a network out is :mod:`netmap.export`.)"""

from netmap.io.importer import ImportReport, import_into, read_source

__all__ = ["ImportReport", "import_into", "read_source"]

"""The table format, read: folders of CSV files, zips and xlsx workbooks, validated and
imported all or nothing, never silently overwriting what the store holds. (Writing a
network out is :mod:`netmap.export`.)"""

from netmap.io.importer import import_into, read_source
from netmap.io.plan import FieldChange, ImportPlan, ImportReport, Outcome, plan_import, write_import

__all__ = [
    "FieldChange",
    "ImportPlan",
    "ImportReport",
    "Outcome",
    "import_into",
    "plan_import",
    "read_source",
    "write_import",
]

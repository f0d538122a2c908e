"""Export a network: the table format (CSV folder, xlsx workbook), JSON, GraphML and GEXF.

Every file netmap writes for people to take away is written here, for the command line and
the app alike. Cells a spreadsheet would run as a formula are neutralised in CSV and xlsx.
``redact`` leaves out the contacts table: names, e-mails and phones of people.
Institutions' own (functional) e-mail addresses and phones stay.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from openpyxl.styles import Font

from netmap.errors import NetmapError
from netmap.graph import institution_graph
from netmap.i18n import gettext as _
from netmap.io.tables import TABLE_COLUMNS, neutralise_cell, record_to_row
from netmap.model import RECORD_KINDS, RecordKind
from netmap.store.base import Network, iter_rows

FORMATS = ("csv", "xlsx", "json", "graphml", "gexf")
# Columns kept as numbers in a workbook, so a spreadsheet can sort and sum them.
_NUMERIC = {"lat", "lon", "strength"}


def exported_kinds(redact: bool) -> tuple[RecordKind, ...]:
    """The tables an export holds: all of them, or all but contacts when redacted."""
    return tuple(k for k in RECORD_KINDS if not (redact and k is RecordKind.CONTACT))


def table_frame(network: Network, kind: RecordKind, *, neutralise: bool = True) -> pd.DataFrame:
    """Return the table ``kind`` as it is written: its columns, cells as text."""
    rows = [record_to_row(r, kind) for r in iter_rows(network[kind])]
    frame = pd.DataFrame(rows, columns=TABLE_COLUMNS[kind], dtype=object)
    if neutralise:
        frame = frame.map(neutralise_cell)
    return frame


def _write_csv(network: Network, out: Path, redact: bool) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in exported_kinds(redact):
        path = out / f"{kind.value}.csv"
        # UTF-8 with a byte-order mark: Excel on Windows then shows Greek and Cyrillic.
        table_frame(network, kind).to_csv(path, index=False, encoding="utf-8-sig")
        written.append(path)
    return written


def _write_xlsx(network: Network, out: Path, redact: bool) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for kind in exported_kinds(redact):
            frame = table_frame(network, kind)
            for column in _NUMERIC & set(frame.columns):
                frame[column] = pd.to_numeric(frame[column].replace("", None), errors="coerce")
            frame.to_excel(writer, sheet_name=kind.value, index=False)
            sheet = writer.sheets[kind.value]
            sheet.freeze_panes = "A2"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    return [out]


def network_document(network: Network, redact: bool = False) -> dict[str, Any]:
    """Return the whole network as one JSON-ready document."""
    return {
        "format": "netmap",
        "format_version": 1,
        "exported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "redacted": redact,
        "tables": {kind.value: network[kind].to_dict("records") for kind in exported_kinds(redact)},
    }


def _write_json(network: Network, out: Path, redact: bool) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as handle:
        json.dump(network_document(network, redact), handle, ensure_ascii=False, indent=1)
    return [out]


def graph_file_bytes(graph: nx.Graph[Any], fmt: str = "graphml") -> bytes:
    """Return ``graph`` as a GraphML or GEXF file (for Gephi, yEd, Cytoscape), UTF-8.

    Node names become labels; lists are joined with ``;``, empty values left out, other
    values written as text or numbers, so every attribute has a type both formats hold.
    The export of a whole network and the app's download of the graph on screen are both
    written by this one function.
    """
    clean = graph.__class__()
    for node, data in graph.nodes(data=True):
        attributes = _file_attributes(data)
        if "name" in attributes:
            attributes.setdefault("label", attributes["name"])
        clean.add_node(str(node), **attributes)
    if isinstance(graph, nx.MultiGraph):  # MultiDiGraph too
        for u, v, key, data in graph.edges(keys=True, data=True):
            clean.add_edge(str(u), str(v), key=str(key), **_file_attributes(data))
    else:
        for u, v, data in graph.edges(data=True):
            clean.add_edge(str(u), str(v), **_file_attributes(data))
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(clean, buffer, encoding="utf-8")
    elif fmt == "gexf":
        nx.write_gexf(clean, buffer, encoding="utf-8")
    else:
        raise NetmapError(
            _("unknown graph format %(format)s (one of: %(formats)s)")
            % {"format": repr(fmt), "formats": "graphml, gexf"}
        )
    return buffer.getvalue()


def _file_attributes(data: Mapping[str, Any]) -> dict[str, Any]:
    clean = {}
    for key, value in data.items():
        if key.startswith("_") or value is None:
            continue
        if isinstance(value, (list, tuple, set, frozenset)):
            value = ";".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = str(value).lower()
        elif not isinstance(value, (int, float, str)):
            value = json.dumps(value, ensure_ascii=False, default=str)
        clean[key] = value
    return clean


def _write_graph(network: Network, out: Path, fmt: str) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(graph_file_bytes(institution_graph(network), fmt))
    return [out]


def export_network(network: Network, out: str | Path, fmt: str, redact: bool = False) -> list[Path]:
    """Write ``network`` to ``out`` in ``fmt`` (see ``FORMATS``); return the files written.

    ``csv`` writes a folder of tables; the other formats write one file.
    """
    network.require_whole("an export")
    out = Path(out)
    if fmt not in FORMATS:
        raise NetmapError(
            _("unknown export format %(format)s (one of: %(formats)s)")
            % {"format": repr(fmt), "formats": ", ".join(FORMATS)}
        )
    if fmt == "csv":
        if out.exists() and not out.is_dir():
            raise NetmapError(
                _("%(path)s: a CSV export is a folder, and this is a file") % {"path": out}
            )
        return _write_csv(network, out, redact)
    if out.is_dir():
        raise NetmapError(
            _("%(path)s: is a folder; give a file name ending in .%(format)s")
            % {"path": out, "format": fmt}
        )
    if fmt == "xlsx":
        return _write_xlsx(network, out, redact)
    if fmt == "json":
        return _write_json(network, out, redact)
    return _write_graph(network, out, fmt)


def export_bytes(network: Network, fmt: str, redact: bool = False) -> bytes:
    """Return ``network`` exported in ``fmt`` as one file's bytes (CSV tables as a .zip):
    what the app offers to download, written as :func:`export_network` writes files."""
    with tempfile.TemporaryDirectory() as folder:
        if fmt == "csv":
            written = export_network(network, Path(folder) / "netmap", fmt, redact=redact)
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in written:
                    archive.write(path, arcname=path.name)
            return buffer.getvalue()
        out = Path(folder) / f"netmap.{fmt}"
        export_network(network, out, fmt, redact=redact)
        return out.read_bytes()


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV (UTF-8 with BOM, so Excel shows every script), with every cell a
    spreadsheet would run as a formula neutralised."""
    data = frame.map(neutralise_cell) if hasattr(frame, "map") else frame
    return data.to_csv(index=False).encode("utf-8-sig")

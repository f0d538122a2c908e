"""Export a network: the table format (CSV folder, xlsx workbook), JSON, GraphML and GEXF.

Cells a spreadsheet would run as a formula are neutralised in CSV and xlsx. ``redact``
leaves out the contacts table: names, e-mails and phones of people. Institutions' own
(functional) e-mail addresses and phones stay.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
from openpyxl.styles import Font

from netmap.errors import NetmapError
from netmap.graph import institution_graph
from netmap.io.tables import TABLE_COLUMNS, neutralise_cell, record_to_row
from netmap.model import RECORD_KINDS, RecordKind
from netmap.store.base import Network

FORMATS = ("csv", "xlsx", "json", "graphml", "gexf")
# Columns kept as numbers in a workbook, so a spreadsheet can sort and sum them.
_NUMERIC = {"lat", "lon", "strength"}


def exported_kinds(redact: bool) -> tuple[RecordKind, ...]:
    """The tables an export holds: all of them, or all but contacts when redacted."""
    return tuple(k for k in RECORD_KINDS if not (redact and k is RecordKind.CONTACT))


def table_frame(network: Network, kind: RecordKind, *, neutralise: bool = True) -> pd.DataFrame:
    """Return the table ``kind`` as it is written: its columns, cells as text."""
    rows = [record_to_row(r, kind) for r in network[kind].to_dict("records")]
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


def gephi_graph(network: Network) -> nx.MultiGraph:
    """The institution graph with attributes Gephi can hold (lists joined with ``;``)."""
    graph = institution_graph(network)
    for _, data in [*graph.nodes(data=True), *((None, d) for *_, d in graph.edges(data=True))]:
        for key, value in list(data.items()):
            if isinstance(value, (list, tuple)):
                data[key] = ";".join(map(str, value))
        if "name" in data:
            data.setdefault("label", data["name"])
    return graph


def _write_graph(network: Network, out: Path, fmt: str) -> list[Path]:
    out.parent.mkdir(parents=True, exist_ok=True)
    graph = gephi_graph(network)
    if fmt == "graphml":
        nx.write_graphml(graph, out, encoding="utf-8")
    else:
        nx.write_gexf(graph, out, encoding="utf-8")
    return [out]


def export_network(network: Network, out: str | Path, fmt: str, redact: bool = False) -> list[Path]:
    """Write ``network`` to ``out`` in ``fmt`` (see ``FORMATS``); return the files written.

    ``csv`` writes a folder of tables; the other formats write one file.
    """
    network.require_whole("an export")
    out = Path(out)
    if fmt not in FORMATS:
        raise NetmapError(f"unknown export format {fmt!r} (one of: {', '.join(FORMATS)})")
    if fmt == "csv":
        if out.exists() and not out.is_dir():
            raise NetmapError(f"{out}: a CSV export is a folder, and this is a file")
        return _write_csv(network, out, redact)
    if out.is_dir():
        raise NetmapError(f"{out}: is a folder; give a file name ending in .{fmt}")
    if fmt == "xlsx":
        return _write_xlsx(network, out, redact)
    if fmt == "json":
        return _write_json(network, out, redact)
    return _write_graph(network, out, fmt)

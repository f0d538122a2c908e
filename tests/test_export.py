"""Exports: the same network comes back, spreadsheets never run a cell, redaction holds."""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from pathlib import Path

import networkx as nx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netmap.export import export_bytes, export_network
from netmap.graph import institution_graph
from netmap.io import import_into
from netmap.io.tables import FORMULA_TRIGGERS, neutralise_cell, restore_cell
from netmap.model import RECORD_KINDS, Contact, Institution, RecordKind, Tie, clean_name
from netmap.store import SQLiteStore
from netmap.store.base import Network, RecordSet


def data_of(network: Network) -> dict[RecordKind, list[dict]]:
    """The content of a network, without bookkeeping, ordered by id."""
    return {
        kind: sorted(
            (
                {k: v for k, v in row.items() if k not in ("updated_at", "version")}
                for row in network[kind].to_dict("records")
            ),
            key=lambda row: row["id"],
        )
        for kind in RECORD_KINDS
    }


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_demo_network_survives_an_export_and_reimport(demo_store, tmp_path, fmt):
    original = demo_store.snapshot()
    target = tmp_path / ("out" if fmt == "csv" else "out.xlsx")
    export_network(original, target, fmt)
    copy = SQLiteStore(tmp_path / "copy.db")
    import_into(copy, target)
    assert data_of(copy.snapshot()) == data_of(original)
    assert import_into(demo_store, target).plan.changes == 0


def test_json_export_holds_every_table(demo_store, tmp_path):
    export_network(demo_store.snapshot(), tmp_path / "net.json", "json")
    document = json.loads((tmp_path / "net.json").read_text(encoding="utf-8"))
    assert document["format"] == "netmap"
    assert {k: len(v) for k, v in document["tables"].items()} == {
        kind.value: n for kind, n in demo_store.counts().items()
    }


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_gephi_files_carry_every_institution_and_tie_with_attributes(demo_store, tmp_path, fmt):
    path = tmp_path / f"net.{fmt}"
    export_network(demo_store.snapshot(), path, fmt)
    graph = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    counts = demo_store.counts()
    assert graph.number_of_nodes() == counts[RecordKind.INSTITUTION]
    assert graph.number_of_edges() == counts[RecordKind.TIE]
    arsis = graph.nodes["gr-thessaloniki-arsis"]
    assert arsis["name_local"].startswith("ΑΡΣΙΣ")
    assert arsis["sector"] == "civil_society"


def test_a_redacted_export_holds_no_personal_data(demo_store, tmp_path):
    network = demo_store.snapshot()
    export_network(network, tmp_path / "csv", "csv", redact=True)
    export_network(network, tmp_path / "net.xlsx", "xlsx", redact=True)
    export_network(network, tmp_path / "net.json", "json", redact=True)
    assert not (tmp_path / "csv" / "contacts.csv").exists()
    assert "contacts" not in openpyxl.load_workbook(tmp_path / "net.xlsx").sheetnames
    text = "".join(p.read_text(encoding="utf-8-sig") for p in (tmp_path / "csv").iterdir())
    text += (tmp_path / "net.json").read_text(encoding="utf-8")
    for contact in network.contacts.itertuples():
        assert contact.name not in text
        if contact.email:
            assert contact.email not in text


def test_csv_export_opens_in_excel_as_utf8(demo_store, tmp_path):
    export_network(demo_store.snapshot(), tmp_path / "csv", "csv")
    raw = (tmp_path / "csv" / "institutions.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "ΑΡΣΙΣ".encode() in raw


# --- spreadsheet formulas ----------------------------------------------------------------

trigger_text = st.builds(
    lambda trigger, rest: trigger + rest,
    st.sampled_from([*FORMULA_TRIGGERS, "'=", "''+"]),
    st.text(max_size=20),
)


@given(st.one_of(trigger_text, st.text(max_size=30)))
def test_guarding_a_cell_can_always_be_undone(text):
    guarded = neutralise_cell(text)
    assert not (isinstance(guarded, str) and guarded[:1] in FORMULA_TRIGGERS)
    assert restore_cell(guarded) == text


names = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40
).filter(lambda s: clean_name(s))
dangerous_names = st.one_of(names, st.builds(lambda t, n: t + n, st.sampled_from("=+-@"), names))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    institution_names=st.lists(dangerous_names, min_size=2, max_size=5),
    notes=st.one_of(st.none(), dangerous_names),
    contact_name=dangerous_names,
    fmt=st.sampled_from(["csv", "xlsx"]),
)
def test_any_unicode_survives_export_and_import(institution_names, notes, contact_name, fmt):
    batch = RecordSet()
    for number, name in enumerate(institution_names):
        batch.add(
            Institution(
                id=f"i{number}",
                name=name,
                sector="civil_society",
                country="RS",
                notes=notes,
                name_local=name,
            )
        )
    batch.add(Tie(id="t", source_id="i0", target_id="i1", kind="referral", notes=notes))
    batch.add(Contact(id="c", institution_id="i0", name=contact_name, phone="+381 18 123 456"))
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        original = SQLiteStore(folder / "a.db")
        original.write(batch)
        target = folder / ("out" if fmt == "csv" else "out.xlsx")
        export_network(original.snapshot(), target, fmt)
        cells = exported_cells(target)
        assert not any(cell[:1] in FORMULA_TRIGGERS for cell in cells if isinstance(cell, str))
        copy = SQLiteStore(folder / "b.db")
        import_into(copy, target)
        assert data_of(copy.snapshot()) == data_of(original.snapshot())


def exported_cells(target: Path) -> list:
    if target.is_dir():
        cells = []
        for path in target.glob("*.csv"):
            with path.open(encoding="utf-8-sig", newline="") as handle:
                cells += [cell for row in csv.reader(handle) for cell in row]
        return cells
    workbook = openpyxl.load_workbook(target)
    return [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row]


def test_an_outline_is_neither_exported_nor_drawn_as_institutions(demo_network, tmp_path):
    outline = demo_network.outlined()
    with pytest.raises(ValueError, match="an export needs a whole snapshot"):
        export_network(outline, tmp_path / "netmap.json", "json")
    assert not (tmp_path / "netmap.json").exists()
    with pytest.raises(ValueError, match="graph of institutions needs a whole snapshot"):
        institution_graph(outline)


def test_the_cli_export_and_the_apps_download_write_one_graphml(demo_store, tmp_path):
    """One writer: the export of the whole network and the Network page's download of
    the same graph are the same file."""
    from netmap.export import graph_file_bytes
    from netmap.graph import institution_graph

    network = demo_store.snapshot()
    export_network(network, tmp_path / "net.graphml", "graphml")
    assert (tmp_path / "net.graphml").read_bytes() == graph_file_bytes(
        institution_graph(network), "graphml"
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json", "graphml", "gexf"])
def test_every_export_format_can_be_downloaded(demo_store, fmt):
    data = export_bytes(demo_store.snapshot(), fmt, redact=True)
    assert len(data) > 1000
    if fmt == "csv":
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert "institutions.csv" in names and "contacts.csv" not in names

"""The analysis commands, run through the real ``netmap`` entry point on the demo network."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from netmap.analysis.metrics import METRIC_STEPS
from netmap.cli import app
from netmap.io import import_into
from netmap.resources import data_file
from netmap.store import SQLiteStore


@pytest.fixture(scope="module")
def store_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "d.db"
    import_into(SQLiteStore(path), data_file("demo"))
    return f"sqlite:///{path}"


@pytest.fixture
def netmap(store_url, monkeypatch):
    """Run ``netmap --store <demo> ARGS…``; return the click result."""
    monkeypatch.setenv("COLUMNS", "200")
    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, ["--store", store_url, *args], catch_exceptions=False)

    return run


def run_json(netmap, *args: str):
    result = netmap(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_metrics_json_lists_articulation_points_bridges_and_communities(netmap):
    data = run_json(netmap, "metrics")
    for key in ("articulation_points", "bridges", "isolated", "communities", "betweenness"):
        assert key in data
    # the demo's only ties that carry cases form one closed circle: no cut, no bridge
    assert (data["articulation_points"], data["bridges"], data["case_ties"]) == ([], [], 10)
    assert data["ties_used"]["brokers"] == "cases"
    assert data["modelled_included"] is False
    assert len(data["betweenness"]) == 114


def test_json_into_a_pipe_is_one_line_and_on_a_terminal_indented(store_url):
    """A script reads megabytes of metrics: one line, written by the fast encoder. A
    person at a terminal reads it indented."""
    import pty

    command = [sys.executable, "-m", "netmap", "--store", store_url, "metrics", "--json"]
    piped = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert piped.count("\n") == 1 and json.loads(piped)["institutions"] == 114
    main, replica = pty.openpty()
    with subprocess.Popen(command, stdout=replica, stderr=subprocess.DEVNULL) as process:
        os.close(replica)
        shown = b""
        while chunk := _read(main):
            shown += chunk
        process.wait()
    os.close(main)
    text = shown.decode("utf-8").replace("\r\n", "\n")
    assert text.startswith('{\n  "institutions": 114,\n')
    assert json.loads(text) == json.loads(piped)


def _read(descriptor: int) -> bytes:
    try:
        return os.read(descriptor, 65536)
    except OSError:  # the terminal's other end closed
        return b""


def test_metrics_table_reads_like_a_report(netmap):
    result = netmap("metrics", "--top", "3")
    assert result.exit_code == 0
    assert "114 institutions, 30 ties (28 pairs working together, 10 linked by ties" in (
        result.stdout
    )
    assert "Single points of failure" in result.stdout
    assert "Animus Association Foundation" in result.stdout


def test_metrics_show_each_step_on_a_terminal(store_url):
    """Minutes at a hundred thousand institutions: the terminal says which step is running."""
    environment = {**os.environ, "TTY_COMPATIBLE": "1", "COLUMNS": "120"}  # as a terminal
    done = subprocess.run(
        [sys.executable, "-m", "netmap", "--store", store_url, "metrics", "--top", "1"],
        capture_output=True, text=True, encoding="utf-8", env=environment, check=True,
    )  # fmt: skip
    for step in ("Reading the network", *METRIC_STEPS.values()):
        assert step in done.stderr, step
    assert "114 institutions, 30 ties" in done.stdout


@pytest.mark.parametrize("engine", ["igraph", "networkx"])
def test_metrics_say_which_graph_library_worked_them_out(netmap, monkeypatch, engine):
    """igraph when installed, networkx without it (or when asked): the JSON and the report
    name the one that ran, and the answers are the same."""
    monkeypatch.setenv("NETMAP_GRAPH_ENGINE", engine)
    data = run_json(netmap, "metrics")
    assert data["engine"].startswith(f"{engine} ")
    assert f"Worked out with {engine} " in data["betweenness_note"]
    assert (data["articulation_points"], data["bridges"], data["case_ties"]) == ([], [], 10)
    assert f"Worked out with {engine} " in netmap("metrics", "--top", "1").stdout


def test_an_unknown_graph_library_is_refused_in_one_line(netmap, monkeypatch):
    monkeypatch.setenv("NETMAP_GRAPH_ENGINE", "graph-tool")
    result = netmap("metrics")
    assert result.exit_code != 0
    assert "unknown graph engine 'graph-tool' (one of: igraph, networkx)" in result.output


def test_metrics_of_one_country(netmap):
    data = run_json(netmap, "metrics", "--country", "BG")
    assert data["institutions"] == 18


def test_gaps_of_a_city_given_in_cyrillic(netmap):
    data = run_json(netmap, "gaps", "--city", "Пловдив")
    for key in (
        "missing_sectors",
        "missing_stages",
        "missing_handovers",
        "single_points_of_failure",
    ):
        assert isinstance(data[key], list)
    assert data["scope"]["place"] == "Plovdiv, BG"
    assert data["scope"]["coverage"]["sources"][0]["id"] == "003_693e7ed729dc0b8c.txt"
    assert {f["grade"] for f in data["missing_stages"]} == {"not_recorded"}
    readable = netmap("gaps", "--city", "Plovdiv")
    assert readable.exit_code == 0
    assert "Their sources:\n  - Experts joined forces" in readable.stdout
    assert "Pathway stages no recorded actor carries: 4 (4 not recorded)" in readable.stdout


def test_gaps_of_a_country_and_stale_months(netmap):
    data = run_json(netmap, "gaps", "--country", "RS", "--stale-months", "12")
    assert data["scope"]["level"] == "country"
    assert any(f["id"] == "c-nshc-korac-mandic" for f in data["stale"])


def test_path_shows_the_chain_of_introductions(netmap):
    data = run_json(netmap, "path", "gr-thessaloniki-arsis", "ro-tdh")
    assert data["path"] == ["gr-thessaloniki-arsis", "ro-tdh"]
    assert data["hops"] == len(data["path"]) - 1 == len(data["steps"])
    assert data["steps"][0]["kinds"] == ["protocol"]
    readable = netmap("path", "gr-thessaloniki-arsis", "bg-sofia-sacp")
    assert "ΑΡΣΙΣ → State Agency for Child Protection (Bulgaria) (1 hop)" in readable.stdout


def test_path_between_strangers_is_empty_not_an_error(netmap):
    data = run_json(netmap, "path", "gr-thessaloniki-arsis", "bg-plovdiv-police")
    assert (data["path"], data["hops"]) == ([], None)
    readable = netmap("path", "gr-thessaloniki-arsis", "bg-plovdiv-police")
    assert readable.exit_code == 0
    assert "No recorded chain of partners who know each other links ΑΡΣΙΣ and" in (readable.stdout)


def test_no_path_runs_through_a_funder(netmap):
    """The EU funds the Greek special action and the Serbian project: no one is introduced
    to anyone through it."""
    data = run_json(netmap, "path", "gr-thessaloniki-arsis", "rs-belgrade-atina")
    assert data["path"] == []


def test_pathways_from_an_institution(netmap):
    stages = run_json(
        netmap, "pathways", "--from", "gr-thessaloniki-arsis", "--child", "--origin", "BG"
    )
    assert stages[0]["stage"] == "interpretation"
    by_key = {s["stage"]: s for s in stages}
    assert by_key["guardianship"]["country"] == "GR"
    assert by_key["reception"]["country"] == "BG"
    referral = by_key["referral"]
    assert referral["reachable"][0]["path"] == ["gr-thessaloniki-arsis", "gr-athens-ekka"]
    readable = netmap("pathways", "--city", "Ниш", "--limit", "2")
    assert readable.exit_code == 0
    assert "Referral (RS)" in readable.stdout


def test_find_contact_json_is_a_ranked_list_best_first(netmap):
    found = run_json(
        netmap, "find-contact", "--from", "gr-thessaloniki-arsis", "--country", "BG",
        "--service", "child_protection", "--language", "en",
    )  # fmt: skip
    for key in ("institution_id", "institution_name", "contact_id", "contact_name", "score",
                "reachable", "hops", "path"):  # fmt: skip
        assert key in found[0]
    assert found[0]["institution_id"] == "bg-sofia-sacp"
    assert found[0]["path"] == ["gr-thessaloniki-arsis", "bg-sofia-sacp"]
    reachable = [c["reachable"] for c in found]
    assert reachable == sorted(reachable, reverse=True)


def test_find_contact_in_a_city_written_in_cyrillic(netmap):
    found = run_json(
        netmap, "find-contact", "--from", "gr-thessaloniki-arsis", "--country", "BG",
        "--city", "Пловдив",
    )  # fmt: skip
    assert {c["city"] for c in found} == {"Plovdiv"}
    readable = netmap(
        "find-contact", "--from", "gr-thessaloniki-arsis", "--country", "BG", "--city", "Plovdiv"
    )
    assert readable.exit_code == 0
    assert "Emil Valkov" in readable.stdout


def test_find_contact_with_an_unknown_institution_fails_in_one_line(netmap):
    result = netmap("find-contact", "--from", "gr-arsis", "--country", "BG")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: unknown institution 'gr-arsis'; did you mean")
    assert "gr-thessaloniki-arsis" in lines[0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--country", "XX"], "unknown country 'XX'"),
        (["--country", "BG", "--service", "sheltr"], "did you mean 'shelter'"),
        (["--country", "BG", "--language", "xx"], "unknown language 'xx'"),
        (["--country", "BG", "--city", "Plovdv"], "did you mean 'Plovdiv'"),
    ],
)
def test_find_contact_refuses_unknown_names_listing_what_exists(netmap, args, message):
    result = netmap("find-contact", "--from", "gr-thessaloniki-arsis", *args)
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


def test_path_with_an_unknown_id_fails_in_one_line(netmap):
    result = netmap("path", "gr-thessaloniki-arsis", "nowhere")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: unknown institution 'nowhere'")
    assert len(result.stderr.strip().splitlines()) == 1


def test_search_json_is_ranked_across_scripts(netmap):
    hits = run_json(netmap, "search", "Ниш")
    assert [hits[0][k] for k in ("kind", "id", "name")] == ["city", "rs-nis", "Niš"]
    assert all({"kind", "id", "name"} <= set(h) for h in hits)
    readable = netmap("search", "Thesaloniki", "--kind", "city")
    assert readable.exit_code == 0
    assert "Thessaloniki" in readable.stdout


def test_the_same_command_prints_the_same_json_twice(netmap):
    for args in (["metrics"], ["gaps"], ["search", "centre"]):
        assert run_json(netmap, *args) == run_json(netmap, *args)

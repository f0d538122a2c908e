"""The Cypher files: each one found by name, from the source tree and from a built wheel,
each with a header that names exactly the parameters its body uses, each used."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from netmap.model import RECORD_KINDS
from netmap.store import cypher
from netmap.store.neo4j import RECORD_ELEMENT, graph_schema, store_statements

ROOT = Path(__file__).resolve().parents[1]
EXPLORE = {
    "explore/cross_border_ties",
    "explore/sector_coverage_by_city",
    "explore/institutions_without_ties",
    "explore/introduction_path",
    "explore/contacts_not_verified",
    "explore/initiatives_and_members",
}


def test_the_store_finds_every_statement_it_runs_by_name():
    for name in store_statements():
        assert cypher.query(name) == (ROOT / "queries" / f"{name}.cypher").read_text("utf-8")


def test_every_statement_file_is_run_by_the_store_or_is_schema_or_for_exploring():
    others = {n for n in cypher.names() if not n.startswith(("schema/", "explore/"))}
    assert others == set(store_statements())
    assert set(cypher.names("explore")) == EXPLORE


@pytest.mark.parametrize("name", cypher.names())
def test_each_file_says_what_it_does_and_names_exactly_the_parameters_it_uses(name):
    statement = cypher.statement(name)
    assert statement.summary.endswith((".", ")")), f"{name}: the summary should be a sentence"
    used = cypher.used_parameters(statement.body)
    assert used == statement.parameters, (
        f"queries/{name}.cypher: the header declares {sorted(statement.parameters)}, "
        f"the statement uses {sorted(used)}"
    )


def test_a_header_without_a_parameters_line_is_refused():
    with pytest.raises(ValueError, match="Parameters"):
        cypher.parse_header("// Does something.\nMATCH (n) RETURN n")
    with pytest.raises(ValueError, match="none"):
        cypher.parse_header("// Does something.\n// Parameters:\nRETURN 1")
    assert cypher.parse_header("// Reads.\n// Parameters: $a (string),\n//   $b (list)\nRETURN 1")[
        1
    ] == {"a", "b"}


def test_parameters_in_strings_and_comments_do_not_count_as_used():
    text = "MATCH (n {id: $id}) // not $this\nWHERE n.name = '$nor_this' RETURN n"
    assert cypher.used_parameters(text) == {"id"}


def test_a_statement_name_cannot_leave_the_queries_folder():
    for name in ("../pyproject", "schema/../../x", "/etc/passwd", "UPPER", "missing_one"):
        with pytest.raises(KeyError):
            cypher.query(name)


def test_each_kind_is_read_and_written_under_its_own_label_or_relationship_type():
    for kind in RECORD_KINDS:
        element = RECORD_ELEMENT[kind].value
        for operation in ("read", "list", "upsert", "delete", "lock"):
            text = cypher.statement(f"{operation}_{kind.value}").body
            assert re.search(rf":{element}\b", text), f"{operation}_{kind.value} lacks :{element}"


def test_every_record_id_has_a_uniqueness_constraint_and_every_schema_statement_is_idempotent():
    schema = {name: cypher.statement(name).body for name in cypher.names("schema")}
    for kind in RECORD_KINDS:
        element = RECORD_ELEMENT[kind].value
        assert any(
            f":{element})" in text or f":{element}]" in text
            for text in schema.values()
            if "REQUIRE" in text and ".id IS UNIQUE" in text
        ), f"no uniqueness constraint on the id of {kind.value}"
    for name, text in schema.items():
        assert "IF NOT EXISTS" in text, f"{name} must be safe to run twice"


def test_every_label_and_relationship_type_in_the_files_comes_from_the_code():
    schema = graph_schema()
    known = set(schema["labels"]) | set(schema["relationshipTypes"])
    for name in cypher.names():
        body = re.sub(r"'[^']*'|//[^\n]*", "", cypher.statement(name).body)
        for found in re.findall(r"[(\[]\w*:(\w+)", body):
            assert found in known, f"queries/{name}.cypher uses {found}, unknown to the code"


def test_the_queries_readme_lists_every_file():
    readme = (ROOT / "queries" / "README.md").read_text("utf-8")
    for name in cypher.names():
        assert f"{name}.cypher" in readme, f"queries/README.md does not list {name}.cypher"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """netmap built as a wheel, the way users install it."""
    out = tmp_path_factory.mktemp("wheel")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(out), "--no-deps", "-q"],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    (built,) = out.glob("netmap-*.whl")
    return built


def test_the_wheel_carries_every_query_file(wheel):
    with zipfile.ZipFile(wheel) as archive:
        inside = {
            name.removeprefix("netmap/queries/").removesuffix(".cypher")
            for name in archive.namelist()
            if name.startswith("netmap/queries/") and name.endswith(".cypher")
        }
        assert "netmap/queries/README.md" in archive.namelist()
    assert inside == set(cypher.names())


def test_an_installed_wheel_finds_every_statement_by_name(wheel, tmp_path):
    target = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), wheel],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    check = (
        "import sys, netmap, netmap.store.cypher as c, netmap.store.neo4j as n\n"
        "site, queries = sys.argv[1:]\n"
        "assert netmap.__file__.startswith(site), netmap.__file__\n"
        "assert str(c.queries_folder()).startswith(queries), c.queries_folder()\n"
        "for name in n.store_statements(): c.query(name)\n"
        "print(len(c.names()))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-c", check, str(target), str(target / "netmap" / "queries")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(target)},
        cwd=tmp_path,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert int(ran.stdout) == len(cypher.names())
